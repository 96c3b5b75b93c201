//! db/sql-parse-error: SQL archlint could not read, so the user knows what went
//! unchecked.

use super::first_line;
use crate::finding::Finding;
use crate::rules::Context;
use crate::sql::ParseFailure;

const ID: &str = "db/sql-parse-error";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let sql = &ctx.project.sql;
    let mut out = Vec::new();
    // A template fails statement after statement for the same reason: one finding for
    // the file says it, at its first statement that names the reason.
    let mut templates: std::collections::BTreeMap<&str, (&ParseFailure, &str, usize)> =
        Default::default();
    for failure in &sql.parse_failures {
        if let Some(marker) = &failure.template_marker {
            templates
                .entry(failure.location.path())
                .or_insert((failure, marker, 0));
        }
    }
    for failure in &sql.parse_failures {
        if let Some(entry) = templates.get_mut(failure.location.path()) {
            entry.2 += 1;
        }
    }
    for (failure, marker, count) in templates.values() {
        let statements = if *count == 1 {
            "1 statement".to_string()
        } else {
            format!("{count} statements")
        };
        out.push(
            Finding::new(
                ID,
                first_line(&failure.location),
                format!("this file is a template, not SQL (`{marker}`): it was not checked ({statements} the SQL parser could not read)"),
            )
            .label("template")
            .help("nothing to fix if the file is rendered before it runs; exclude it in archlint.toml to skip it"),
        );
    }
    for failure in &sql.parse_failures {
        if templates.contains_key(failure.location.path()) {
            continue;
        }
        let kind = if failure.statement_kind.is_empty() {
            "this".to_string()
        } else {
            format!("this `{}`", failure.statement_kind)
        };
        let consequence = if failure.in_migration {
            "; it was not checked, and the schema archlint replays may miss its effect"
        } else {
            "; it was not checked"
        };
        let message = if failure.too_large {
            format!(
                "{kind} statement was not parsed: {}{consequence}",
                failure.message
            )
        } else {
            format!(
                "the SQL parser could not read {kind} statement ({}){consequence}",
                failure.message
            )
        };
        out.push(
            Finding::new(ID, first_line(&failure.location), message)
                .label("not read")
                .help("nothing to fix if the database accepts it; set `[sql] dialect` in archlint.toml if it is not PostgreSQL, or suppress it with `-- archlint-ignore[db/sql-parse-error]: reason`"),
        );
    }
    for open in &sql.unterminated {
        out.push(
            Finding::new(
                ID,
                open.location.clone(),
                format!(
                    "unterminated {}: everything from here to the end of the file was not read",
                    open.what.describe()
                ),
            )
            .label("never closed")
            .help("close it; the database would reject this file too"),
        );
    }
    out
}
