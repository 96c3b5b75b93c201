//! db/non-concurrent-index: a plain CREATE INDEX on a table that already has rows.

use std::collections::HashSet;

use super::{events_on_existing, first_line, is_postgres, table_name};
use crate::finding::Finding;
use crate::model::schema::EventKind;
use crate::rules::Context;

const ID: &str = "db/non-concurrent-index";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let judged: HashSet<(&str, usize)> = events_on_existing(ctx)
        .map(|(h, i, _)| (h.dir.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for history in ctx
        .project
        .sql
        .schema
        .histories
        .iter()
        .filter(|h| is_postgres(h))
    {
        // An index created again under a name that already exists is a no-op
        // (`IF NOT EXISTS`; without it the migration would fail): no build, no lock.
        let mut live: HashSet<&str> = HashSet::new();
        for (index, event) in history.events.iter().enumerate() {
            let (name, unique) = match &event.kind {
                EventKind::DropIndex { name, .. } => {
                    live.remove(name.as_str());
                    continue;
                }
                EventKind::CreateIndex {
                    name,
                    concurrently,
                    unique,
                    ..
                } => {
                    let existed = name.as_deref().is_some_and(|n| !live.insert(n));
                    if *concurrently || existed {
                        continue;
                    }
                    (name, unique)
                }
                _ => continue,
            };
            if !judged.contains(&(history.dir.as_str(), index)) {
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
    }
    out
}
