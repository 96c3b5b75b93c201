//! SARIF 2.1.0 for GitHub code scanning. One run; the driver lists only the rules that
//! produced results, each described from its page under `rules/`.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::finding::{Level, Location, Reported};
use crate::registry;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Key under `partialFingerprints`. GitHub matches alerts across runs with it, so its
/// meaning must never change; a new scheme gets a new key.
pub const FINGERPRINT_KEY: &str = "archlint/v1";

#[derive(Debug, Default, Clone)]
pub struct SarifOptions {
    /// `runAutomationDetails.id`: lets several archlint runs over one repository (per
    /// service, say) keep separate alerts.
    pub category: Option<String>,
}

pub fn render(findings: &[Reported], options: &SarifOptions) -> String {
    let rule_ids: Vec<&str> = {
        let mut ids: Vec<&str> = findings.iter().map(|r| r.finding.rule).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let index: BTreeMap<&str, usize> = rule_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    let rules: Vec<Value> = rule_ids.iter().map(|id| rule_descriptor(id)).collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|r| result(r, index.get(r.finding.rule).copied().unwrap_or(0)))
        .collect();

    let mut run = json!({
        "tool": {
            "driver": {
                "name": "archlint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_HOMEPAGE"),
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(category) = &options.category {
        // A trailing slash makes the whole id the category (GitHub's convention).
        let id = if category.ends_with('/') {
            category.clone()
        } else {
            format!("{category}/")
        };
        run["automationDetails"] = json!({ "id": id });
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

/// GitHub ranks security alerts by this score (critical ≥ 9, high ≥ 7, medium ≥ 4, low
/// below). archlint derives it from the rule's default level so the ranking follows
/// the catalogue rather than per-run configuration.
fn security_severity(level: Level) -> &'static str {
    match level {
        Level::Error => "8.0",
        Level::Warning => "5.5",
        Level::Info => "2.0",
    }
}

fn rule_descriptor(id: &str) -> Value {
    let doc = registry::doc_of(id).unwrap_or("");
    let summary = registry::summary_of(doc);
    let full = registry::section_of(doc, "What it checks")
        .and_then(|s| s.split("\n\n").next())
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| summary.clone());
    let url = registry::doc_url(id);
    let level = registry::default_level(id);
    let area = registry::area_of(id);
    let mut tags = vec![area.to_string()];
    let mut properties = json!({});
    if area == "sec" {
        tags.push("security".to_string());
        properties["security-severity"] = json!(security_severity(level));
    }
    properties["tags"] = json!(tags);
    json!({
        "id": id,
        "name": display_name(id),
        "shortDescription": { "text": summary },
        "fullDescription": { "text": full },
        "helpUri": url,
        "help": {
            "text": format!("{}\n\nDocumentation: {url}", doc.trim_end()),
            "markdown": format!("{}\n\n[Rule documentation]({url})", doc.trim_end()),
        },
        "defaultConfiguration": { "level": sarif_level(level) },
        "properties": properties,
    })
}

/// SARIF wants `name` to differ from the opaque `id`: `api/list-pagination` becomes
/// `ListPagination`.
fn display_name(id: &str) -> String {
    let rule = id.rsplit('/').next().unwrap_or(id);
    rule.split(['-', '_'])
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn region(location: &Location) -> Value {
    let (start, end) = super::range(location);
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

fn physical(location: &Location) -> Value {
    json!({
        "artifactLocation": { "uri": uri_of(location.path()), "uriBaseId": "%SRCROOT%" },
        "region": region(location),
    })
}

fn result(reported: &Reported, rule_index: usize) -> Value {
    let f = &reported.finding;
    let mut text = f.message.clone();
    if let Some(help) = &f.help {
        text.push_str("\nHelp: ");
        text.push_str(help);
    }
    let mut value = json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": sarif_level(reported.level),
        "message": { "text": text },
        "locations": [{ "physicalLocation": physical(&f.location) }],
        "partialFingerprints": { FINGERPRINT_KEY: reported.fingerprint },
    });
    if !f.related.is_empty() {
        value["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                json!({
                    "id": i + 1,
                    "physicalLocation": physical(&rel.location),
                    "message": { "text": rel.message },
                })
            })
            .collect();
    }
    value
}

/// A relative path as a URI reference: unreserved characters and `/` stay, the rest is
/// percent-encoded (spaces, `#`, `%` and non-ASCII all occur in real repositories).
pub fn uri_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/');
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_but_keep_slashes() {
        assert_eq!(uri_of("api/my spec#1.yaml"), "api/my%20spec%231.yaml");
        assert_eq!(uri_of("docs/é.yaml"), "docs/%C3%A9.yaml");
        assert_eq!(uri_of("a/b_c-d~e.yml"), "a/b_c-d~e.yml");
    }

    #[test]
    fn security_rules_carry_a_numeric_severity_and_tag() {
        let d = rule_descriptor("sec/missing-auth");
        let sev = d["properties"]["security-severity"].as_str().unwrap();
        assert!(sev.parse::<f64>().is_ok());
        assert!(d["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&json!("security")));
        let d = rule_descriptor("api/list-pagination");
        assert!(d["properties"].get("security-severity").is_none());
        assert_eq!(d["properties"]["tags"], json!(["api"]));
    }
}
