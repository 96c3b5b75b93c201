//! Accepting today's findings: `--write-baseline` records them, `--baseline` reports
//! only the ones that are new. Entries match by fingerprint, which survives lines
//! inserted or removed elsewhere in the file.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::Reported;

pub const BASELINE_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    pub fingerprint: String,
    /// For the people who review the file; not used for matching.
    #[serde(default)]
    pub line: usize,
    #[serde(default)]
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    tool: String,
    findings: Vec<Entry>,
}

#[derive(Debug, Clone, Default)]
pub struct Baseline {
    pub entries: Vec<Entry>,
}

/// What applying a baseline did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaselineOutcome {
    /// Findings hidden because the baseline accepts them.
    pub accepted: usize,
    /// Baseline entries in scope of this run that matched nothing: fixed, or changed.
    pub stale: usize,
}

fn entry_of(r: &Reported) -> Entry {
    let f = &r.finding;
    Entry {
        rule: f.rule.to_string(),
        path: f.location.path().to_string(),
        fingerprint: r.fingerprint.clone(),
        line: f.location.file.line_col(f.location.span.start).line,
        message: f.message.clone(),
    }
}

pub fn render(findings: &[Reported]) -> String {
    let file = BaselineFile {
        version: BASELINE_VERSION,
        tool: "archlint".to_string(),
        findings: findings.iter().map(entry_of).collect(),
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline `{}`: {e}", path.display()))?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
            format!(
                "`{}` is not an archlint baseline: {e} (write one with --write-baseline)",
                path.display()
            )
        })?;
        if file.version != BASELINE_VERSION {
            return Err(format!(
                "baseline `{}` has version {}; this archlint reads version {BASELINE_VERSION}",
                path.display(),
                file.version
            ));
        }
        Ok(Baseline {
            entries: file.findings,
        })
    }

    /// Keeps the findings the baseline does not accept. Each entry accepts one finding,
    /// so a second identical finding on a new line is still new. `in_scope` says which
    /// entries this run could have reproduced (rules that ran, files that were read).
    pub fn filter(
        &self,
        findings: Vec<Reported>,
        in_scope: impl Fn(&Entry) -> bool,
    ) -> (Vec<Reported>, BaselineOutcome) {
        let key =
            |rule: &str, path: &str, fingerprint: &str| format!("{rule}\0{path}\0{fingerprint}");
        let mut remaining: HashMap<String, usize> = HashMap::new();
        for e in &self.entries {
            *remaining
                .entry(key(&e.rule, &e.path, &e.fingerprint))
                .or_insert(0) += 1;
        }
        let mut outcome = BaselineOutcome::default();
        let kept: Vec<Reported> = findings
            .into_iter()
            .filter(|r| {
                let k = key(r.finding.rule, r.finding.location.path(), &r.fingerprint);
                match remaining.get_mut(&k) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        outcome.accepted += 1;
                        false
                    }
                    _ => true,
                }
            })
            .collect();
        let mut left = remaining;
        outcome.stale = self
            .entries
            .iter()
            .filter(
                |e| match left.get_mut(&key(&e.rule, &e.path, &e.fingerprint)) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        in_scope(e)
                    }
                    _ => false,
                },
            )
            .count();
        (kept, outcome)
    }
}
