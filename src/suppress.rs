//! Suppressions: each entry silences one rule (or a whole area) within its scope.
//! Entries that silence nothing are reported, so stale ones do not pile up.

use crate::finding::{Finding, Location};
use crate::registry;
use crate::source::Span;

#[derive(Debug, Clone)]
pub enum Scope {
    /// Findings anchored at or below this JSON pointer of an OpenAPI document.
    Pointer { document: String, prefix: String },
    /// Findings that start inside this byte range of a file (a SQL statement, a line
    /// of code).
    Span { path: String, span: Span },
    /// Every finding in a file.
    File { path: String },
}

#[derive(Debug, Clone)]
pub struct Suppression {
    /// A rule id (`api/versioning`), an area (`api`) or `all`.
    pub target: String,
    pub reason: Option<String>,
    pub location: Location,
    pub scope: Scope,
}

impl Suppression {
    fn names(&self, rule: &str) -> bool {
        self.target == "all"
            || self.target == rule
            || rule
                .strip_prefix(self.target.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }

    fn covers(&self, finding: &Finding) -> bool {
        match &self.scope {
            Scope::Pointer { document, prefix } => finding.anchor.as_ref().is_some_and(|a| {
                a.document == *document
                    && a.pointer
                        .strip_prefix(prefix.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            }),
            Scope::Span { path, span } => {
                let at = finding.location.span.start;
                finding.location.path() == path && span.start <= at && at <= span.end
            }
            Scope::File { path } => finding.location.path() == path,
        }
    }
}

pub const UNUSED_SUPPRESSION: &str = "archlint/unused-suppression";

/// Drops suppressed findings and reports entries that silenced nothing. `enabled`
/// tells which rules ran: an entry for a rule that did not run is not "unused".
pub fn apply(
    findings: Vec<Finding>,
    suppressions: &[Suppression],
    enabled: &dyn Fn(&str) -> bool,
) -> Vec<Finding> {
    let mut used = vec![false; suppressions.len()];
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|f| {
            let mut suppressed = false;
            for (i, s) in suppressions.iter().enumerate() {
                if s.names(f.rule) && s.covers(f) {
                    used[i] = true;
                    suppressed = true;
                }
            }
            !suppressed
        })
        .collect();
    for (s, used) in suppressions.iter().zip(used) {
        if used {
            continue;
        }
        let known = s.target == "all"
            || registry::doc_of(&s.target).is_some()
            || registry::AREAS.contains(&s.target.as_str());
        if !known {
            kept.push(
                Finding::new(
                    UNUSED_SUPPRESSION,
                    s.location.clone(),
                    format!(
                        "`{}` is not a rule id or area, so this suppression silences nothing",
                        s.target
                    ),
                )
                .label("unknown rule")
                .help("run `archlint rules` for the list of rule ids"),
            );
        } else if s.target == "all" || enabled(&s.target) {
            kept.push(
                Finding::new(
                    UNUSED_SUPPRESSION,
                    s.location.clone(),
                    format!("suppression of `{}` silences nothing here", s.target),
                )
                .label("unused")
                .help("remove it: the finding it was written for no longer occurs"),
            );
        }
    }
    kept
}
