//! A Markdown summary for `$GITHUB_STEP_SUMMARY` or a pull-request comment: counts by
//! area and level, then the findings grouped by rule.

use std::collections::BTreeMap;

use super::{plural, Counts};
use crate::finding::{Level, Reported};
use crate::registry;

/// Findings listed per rule; the rest are counted, so a comment stays under GitHub's
/// 65,536-character limit on a first run over a large repository.
const PER_RULE: usize = 50;

#[derive(Debug, Default, Clone)]
pub struct MarkdownOptions {
    /// Prefix for file links, e.g. `https://github.com/o/r/blob/<sha>/`; links are
    /// relative to the repository root without it.
    pub link_base: Option<String>,
}

fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
        .replace('<', "&lt;")
}

pub fn render(findings: &[Reported], files_checked: usize, options: &MarkdownOptions) -> String {
    let counts = Counts::of(findings);
    let mut out = String::from("## archlint\n\n");
    if findings.is_empty() {
        out.push_str(&format!(
            "No findings in {}.\n",
            plural(files_checked, "file")
        ));
        return out;
    }
    out.push_str(&format!(
        "**{}, {}, {}** in {}.\n\n",
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.infos, "info"),
        plural(files_checked, "file")
    ));

    let mut by_area: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut by_rule: BTreeMap<&str, Vec<&Reported>> = BTreeMap::new();
    for r in findings {
        let c = by_area
            .entry(registry::area_of(r.finding.rule))
            .or_default();
        match r.level {
            Level::Error => c.errors += 1,
            Level::Warning => c.warnings += 1,
            Level::Info => c.infos += 1,
        }
        by_rule.entry(r.finding.rule).or_default().push(r);
    }
    out.push_str("| Area | Errors | Warnings | Infos |\n|---|---:|---:|---:|\n");
    for (area, c) in &by_area {
        out.push_str(&format!(
            "| {area} | {} | {} | {} |\n",
            c.errors, c.warnings, c.infos
        ));
    }

    // Most severe rules first, then by id, so the top of a long comment matters most.
    let mut rules: Vec<(&str, Vec<&Reported>)> = by_rule.into_iter().collect();
    rules.sort_by_key(|(id, items)| {
        let worst = items.iter().map(|r| r.level).max().unwrap_or(Level::Info);
        (std::cmp::Reverse(worst), *id)
    });
    for (id, items) in rules {
        let summary = registry::doc_of(id)
            .map(registry::summary_of)
            .unwrap_or_default();
        out.push_str(&format!(
            "\n### `{id}`: {}\n\n{}\n\n",
            plural(items.len(), "finding"),
            one_line(&summary)
        ));
        for r in items.iter().take(PER_RULE) {
            let f = &r.finding;
            let line = f.location.file.line_col(f.location.span.start).line;
            let path = f.location.path();
            let target = match &options.link_base {
                Some(base) => format!("{base}{}#L{line}", super::sarif::uri_of(path)),
                None => format!("{}#L{line}", super::sarif::uri_of(path)),
            };
            out.push_str(&format!(
                "- **{}** [`{path}:{line}`]({target}): {}\n",
                r.level,
                one_line(&f.message)
            ));
        }
        if items.len() > PER_RULE {
            out.push_str(&format!("- … and {} more\n", items.len() - PER_RULE));
        }
    }
    out
}
