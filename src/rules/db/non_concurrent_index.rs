//! db/non-concurrent-index: a plain CREATE INDEX on a table that already has rows.

use super::{events, first_line, is_postgres, table_name};
use crate::finding::Finding;
use crate::model::schema::EventKind;
use crate::rules::Context;

const ID: &str = "db/non-concurrent-index";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for (history, event) in events(ctx) {
        let EventKind::CreateIndex {
            name,
            concurrently: false,
            unique,
            ..
        } = &event.kind
        else {
            continue;
        };
        if !is_postgres(history) || !event.existed_before {
            continue;
        }
        let what = if *unique {
            "CREATE UNIQUE INDEX"
        } else {
            "CREATE INDEX"
        };
        let name = name
            .as_deref()
            .map(|n| format!(" `{n}`"))
            .unwrap_or_default();
        out.push(
            Finding::new(
                ID,
                first_line(&event.statement),
                format!(
                    "`{what}`{name} on the existing table `{}` without CONCURRENTLY blocks every write to it until the index is built",
                    table_name(history, &event.table)
                ),
            )
            .label("locks the table for writes")
            .help(format!(
                "use `{what} CONCURRENTLY`; it cannot run inside a transaction block, so mark this migration as non-transactional (sqlx: `-- no-transaction`, diesel: `run_in_transaction = false`, Flyway: `executeInTransaction=false`)"
            )),
        );
    }
    out
}
