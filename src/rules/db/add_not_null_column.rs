//! db/add-not-null-column: a NOT NULL column without a default added to a table that
//! may have rows.

use super::{events_on_existing, table_name};
use crate::finding::Finding;
use crate::model::schema::EventKind;
use crate::rules::Context;
use crate::sql::SqlDialect;

const ID: &str = "db/add-not-null-column";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for (history, _, event) in events_on_existing(ctx) {
        // MySQL fills the new column of existing rows with the type's implicit default.
        if history.dialect == SqlDialect::Mysql {
            continue;
        }
        let EventKind::AddColumn {
            column,
            not_null: true,
            has_default: false,
            ..
        } = &event.kind
        else {
            continue;
        };
        let table = table_name(history, &event.table);
        out.push(
            Finding::new(
                ID,
                event.location.clone(),
                format!(
                    "column `{column}` is added to the existing table `{table}` as NOT NULL without a default: the migration fails as soon as the table has rows"
                ),
            )
            .label("NOT NULL without DEFAULT")
            .help("add the column nullable, backfill it in batches, then `SET NOT NULL` (or give it a constant DEFAULT)"),
        );
    }
    out
}
