//! api/path-naming: verbs in paths, case that breaks the policy, trailing slashes,
//! file extensions.

use std::collections::HashSet;

use crate::config::PathCase;
use crate::finding::Finding;
use crate::model::path::{is_param, is_verb_noun_segment, is_version_segment, segments};
use crate::rules::Context;

const ID: &str = "api/path-naming";

const EXTENSIONS: &[&str] = &[
    ".json", ".xml", ".csv", ".html", ".htm", ".txt", ".yaml", ".yml", ".php", ".asp", ".aspx",
];

/// Well-known documents that keep their extension.
fn is_well_known(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase();
    s.starts_with("openapi") || s.starts_with("swagger") || s == "robots.txt" || s == "sitemap.xml"
}

fn case_problem(case: PathCase, segment: &str) -> Option<&'static str> {
    let upper = segment.chars().any(|c| c.is_ascii_uppercase());
    match case {
        PathCase::Any => None,
        PathCase::Lower if upper => Some("has upper-case letters"),
        PathCase::Kebab if upper || segment.contains('_') => Some("is not kebab-case"),
        PathCase::Snake if upper || segment.contains('-') => Some("is not snake_case"),
        _ => None,
    }
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for e in &api.endpoints {
        if !seen.insert((e.path_location.file.path.clone(), e.path_location.span)) {
            continue;
        }
        let rpc = ctx.is_rpc(e);
        let mut problems = Vec::new();
        if e.path.len() > 1 && e.path.ends_with('/') {
            problems.push("ends with a trailing slash".to_string());
        }
        let segs: Vec<&str> = segments(&e.path).collect();
        for (i, seg) in segs.iter().enumerate() {
            if is_param(seg) || is_version_segment(seg) {
                continue;
            }
            if !rpc && is_verb_noun_segment(seg) {
                problems.push(format!(
                    "`{seg}` is a verb; name the resource and let the method say what happens"
                ));
            }
            if let Some(p) = case_problem(ctx.policy().path_case, seg) {
                problems.push(format!("`{seg}` {p}"));
            }
            if i + 1 == segs.len() && !is_well_known(seg) {
                if let Some(ext) = EXTENSIONS
                    .iter()
                    .find(|x| seg.to_ascii_lowercase().ends_with(*x))
                {
                    problems.push(format!("`{seg}` carries a file extension (`{ext}`); negotiate the format with `Accept`"));
                }
            }
        }
        if problems.is_empty() {
            continue;
        }
        out.push(
            Finding::new(ID, e.path_location.clone(), format!("path `{}`: {}", e.path, problems.join("; ")))
                .label("path naming")
                .help("use lower-case, plural nouns for resources (`/users/{id}/orders`), no verbs, no trailing slash, no extension")
                .anchor(e.anchor.as_ref().map(|a| crate::finding::Anchor {
                    document: a.document.clone(),
                    pointer: a.pointer.rsplit_once('/').map(|(p, _)| p.to_string()).unwrap_or_default(),
                })),
        );
    }
    out
}
