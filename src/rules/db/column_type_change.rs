//! db/column-type-change: changing a column's type on a table that has rows.

use super::{column_added_earlier, events_on_existing, first_line, table_name};
use crate::finding::Finding;
use crate::model::schema::EventKind;
use crate::rules::Context;

const ID: &str = "db/column-type-change";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for (history, index, event) in events_on_existing(ctx) {
        let EventKind::AlterColumnType { column, data_type } = &event.kind else {
            continue;
        };
        if column_added_earlier(history, index, &event.table, column) {
            continue;
        }
        let table = table_name(history, &event.table);
        out.push(
            Finding::new(
                ID,
                first_line(&event.location),
                format!(
                    "the type of `{table}.{column}` changes to `{data_type}` on an existing table: most type changes rewrite the table under an exclusive lock, and running application versions may break"
                ),
            )
            .label("type change on an existing table")
            .help("add a new column with the new type, backfill it, switch reads and writes to it, then drop the old one in a later release"),
        );
    }
    out
}
