//! The rule table, the pages under `rules/` and the README agree.

use std::path::Path;

use archlint::registry::{self, RULES};

fn page_level(doc: &str) -> Option<String> {
    // The row under `| Area | Default level | Reads |`.
    let mut lines = doc
        .lines()
        .skip_while(|l| !l.starts_with("| Area |"))
        .skip(2);
    let row = lines.next()?;
    row.split('|').nth(2).map(|c| c.trim().to_string())
}

#[test]
fn every_rule_has_a_page_titled_with_its_id_and_level() {
    for rule in RULES {
        assert!(
            rule.doc.starts_with(&format!("# {}\n", rule.id)),
            "{}: page title",
            rule.id
        );
        assert!(
            !rule.summary().is_empty(),
            "{}: no summary paragraph",
            rule.id
        );
        assert!(
            !rule.summary().contains("TODO"),
            "{}: placeholder page",
            rule.id
        );
        assert_eq!(
            page_level(rule.doc).as_deref(),
            Some(rule.default_level.as_str()),
            "{}: level in page",
            rule.id
        );
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## Options",
            "## Suppressing",
        ] {
            assert!(
                rule.doc.contains(section),
                "{}: page lacks `{section}`",
                rule.id
            );
        }
        assert!(
            registry::AREAS.contains(&rule.area()),
            "{}: unknown area",
            rule.id
        );
    }
}

#[test]
fn rule_ids_are_unique_and_sorted_by_area() {
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count);
}

#[test]
fn every_page_under_rules_belongs_to_a_rule_or_a_built_in_diagnostic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for area in std::fs::read_dir(&root).unwrap() {
        let area = area.unwrap().path();
        if !area.is_dir() {
            continue;
        }
        for page in std::fs::read_dir(&area).unwrap() {
            let page = page.unwrap().path();
            if page.extension().and_then(|e| e.to_str()) != Some("md") {
                continue;
            }
            let id = format!(
                "{}/{}",
                area.file_name().unwrap().to_string_lossy(),
                page.file_stem().unwrap().to_string_lossy()
            );
            assert!(registry::doc_of(&id).is_some(), "rules/{id}.md has no rule");
        }
    }
}

#[test]
fn every_rule_has_a_source_module_named_after_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    for rule in RULES {
        let (area, name) = rule.id.split_once('/').unwrap();
        let module = src
            .join(area)
            .join(format!("{}.rs", name.replace('-', "_")));
        assert!(
            module.is_file(),
            "{} has no module at {}",
            rule.id,
            module.display()
        );
    }
}

/// The README's rule table is generated from the registry; this keeps it in step.
#[test]
fn readme_rule_table_matches_the_registry() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("<!-- rules:start -->")
        .expect("README has no rules:start marker");
    let end = readme
        .find("<!-- rules:end -->")
        .expect("README has no rules:end marker");
    let table = readme[start + "<!-- rules:start -->".len()..end].trim();
    let expected = rule_table();
    assert_eq!(
        table,
        expected.trim(),
        "README rule table is stale; replace it with:\n{expected}"
    );
}

fn rule_table() -> String {
    let mut out = String::from("| Rule | Default | Summary |\n|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| [`{}`](rules/{}.md) | {} | {} |\n",
            r.id,
            r.id,
            r.default_level,
            r.summary().replace('|', "\\|")
        ));
    }
    out
}
