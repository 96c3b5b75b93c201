//! The JSON report, schema version 1 (documented in the README). Fields are only
//! added within a version, never renamed or removed.

use serde::Serialize;

use super::{range, Counts};
use crate::finding::Reported;
use crate::registry;
use crate::source::LineCol;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    #[serde(flatten)]
    counts: Counts,
    files_checked: usize,
    documents: usize,
    sql_files: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    level: &'a str,
    message: &'a str,
    path: &'a str,
    start: LineCol,
    end: LineCol,
    label: &'a str,
    help: Option<&'a str>,
    docs: String,
    fingerprint: &'a str,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    path: &'a str,
    start: LineCol,
    end: LineCol,
}

pub fn render(findings: &[Reported], outcome: &crate::engine::Outcome) -> String {
    let report = Report {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "archlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: findings
            .iter()
            .map(|r| {
                let f = &r.finding;
                let (start, end) = range(&f.location);
                JsonFinding {
                    rule: f.rule,
                    level: r.level.as_str(),
                    message: &f.message,
                    path: f.location.path(),
                    start,
                    end,
                    label: &f.label,
                    help: f.help.as_deref(),
                    docs: registry::doc_path(f.rule),
                    fingerprint: &r.fingerprint,
                    related: f
                        .related
                        .iter()
                        .map(|rel| {
                            let (start, end) = range(&rel.location);
                            JsonRelated {
                                message: &rel.message,
                                path: rel.location.path(),
                                start,
                                end,
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
        summary: Summary {
            counts: Counts::of(findings),
            files_checked: outcome.files_checked,
            documents: outcome.documents,
            sql_files: outcome.sql_files,
        },
    };
    let mut text =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
