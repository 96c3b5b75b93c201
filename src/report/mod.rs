//! Reporters turn graded findings into text. They know no rule.

pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod routes;
pub mod sarif;
pub mod schema;

use crate::finding::{Level, Location, Reported};
use crate::source::LineCol;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(findings: &[Reported]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            match f.level {
                Level::Error => c.errors += 1,
                Level::Warning => c.warnings += 1,
                Level::Info => c.infos += 1,
            }
        }
        c
    }
}

/// A location's start and end as 1-based lines and character columns; an empty span
/// ends where it starts.
pub fn range(location: &Location) -> (LineCol, LineCol) {
    let file = &location.file;
    (
        file.line_col(location.span.start),
        file.line_col(location.span.end.max(location.span.start)),
    )
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The closing line of the human report; deterministic (timing goes to stderr).
pub fn summary_line(counts: Counts, files: usize, documents: usize, sql_files: usize) -> String {
    let mut read = vec![plural(documents, "OpenAPI document")];
    if sql_files > 0 {
        read.push(plural(sql_files, "SQL file"));
    }
    format!(
        "{}, {}, {} in {} ({})",
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.infos, "info"),
        plural(files, "file"),
        read.join(", "),
    )
}
