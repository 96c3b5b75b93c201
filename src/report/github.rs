//! GitHub Actions workflow commands: each finding becomes an annotation on the pull
//! request's diff and in the run's summary.

use crate::finding::{Level, Reported};

/// Escapes the message part of a workflow command (after `::`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`); `:` and `,` would end it early.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "notice",
    }
}

pub fn render(findings: &[Reported]) -> String {
    let mut out = String::new();
    for r in findings {
        let f = &r.finding;
        let (start, end) = super::range(&f.location);
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push_str("\n\nHelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{} file={},line={},endLine={},col={},endColumn={},title={}::{}\n",
            command(r.level),
            escape_property(f.location.path()),
            start.line,
            end.line,
            start.column,
            end.column,
            escape_property(&format!("archlint {}", f.rule)),
            escape_data(&message),
        ));
    }
    out
}
