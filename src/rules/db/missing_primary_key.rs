//! db/missing-primary-key: a table without a primary key.

use super::first_line;
use crate::finding::Finding;
use crate::rules::Context;

const ID: &str = "db/missing-primary-key";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for history in &ctx.project.sql.schema.histories {
        for table in history.tables.values() {
            if table.primary_key.is_some() || !table.complete {
                continue;
            }
            out.push(
                Finding::new(
                    ID,
                    first_line(&table.created),
                    format!("table `{}` has no primary key", table.name),
                )
                .label("no primary key")
                .help("add one (`id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY`, or a composite key for a join table): rows without one cannot be updated or deleted reliably, and logical replication and many ORMs need it"),
            );
        }
    }
    out
}
