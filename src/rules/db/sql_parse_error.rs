//! db/sql-parse-error: SQL archlint could not read, so the user knows what went
//! unchecked.

use super::first_line;
use crate::finding::Finding;
use crate::rules::Context;

const ID: &str = "db/sql-parse-error";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let sql = &ctx.project.sql;
    let mut out = Vec::new();
    for failure in &sql.parse_failures {
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
