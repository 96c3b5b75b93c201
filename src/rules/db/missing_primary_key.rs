//! db/missing-primary-key: a table without a primary key.

use super::first_line;
use crate::finding::Finding;
use crate::rules::Context;

const ID: &str = "db/missing-primary-key";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    // SQLAlchemy refuses to map a class without a primary key: a model whose key is not
    // in its own body inherits it from a base class.
    for history in ctx
        .project
        .sql
        .schema
        .histories
        .iter()
        .filter(|h| h.dir != crate::code::python::orm::MODELS_HISTORY)
    {
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
