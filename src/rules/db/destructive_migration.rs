//! db/destructive-migration: dropping or renaming what running code still uses.

use super::{
    column_added_earlier, events_on_existing, first_line, introduces_table, same_file, table_name,
};
use crate::finding::Finding;
use crate::model::schema::EventKind;
use crate::rules::Context;

const ID: &str = "db/destructive-migration";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for (history, index, event) in events_on_existing(ctx) {
        let (before, after) = same_file(history, index);
        // Rebuilding a table (rename the old one away, create the new one under the
        // name, copy, drop the old) leaves the name in place: not a break.
        let rebuilt = |key: &str| {
            before.iter().any(|e| introduces_table(e, key))
                || after.iter().any(|e| introduces_table(e, key))
        };
        match &event.kind {
            EventKind::DropTable if rebuilt(&event.table) => continue,
            EventKind::RenameTable { from } if rebuilt(from) => continue,
            EventKind::DropColumn { column } | EventKind::RenameColumn { from: column, .. }
                if column_added_earlier(history, index, &event.table, column) =>
            {
                continue
            }
            _ => {}
        }
        let table = table_name(history, &event.table);
        let (what, label) = match &event.kind {
            EventKind::DropTable => (
                format!("table `{}` is dropped", event.table),
                "drops a table",
            ),
            EventKind::DropColumn { column } => (
                format!("column `{table}.{column}` is dropped"),
                "drops a column",
            ),
            EventKind::RenameColumn { from, to } => (
                format!("column `{table}.{from}` is renamed to `{to}`"),
                "renames a column",
            ),
            EventKind::RenameTable { from } => (
                format!("table `{from}` is renamed to `{table}`"),
                "renames a table",
            ),
            _ => continue,
        };
        out.push(
            Finding::new(
                ID,
                first_line(&event.location),
                format!(
                    "{what}: during a rolling deploy, the application version still running uses the old name"
                ),
            )
            .label(label)
            .help("expand and contract: first release code that no longer uses it, then drop or rename in a later migration (for a rename: add the new name, write both, backfill, switch reads, drop the old)"),
        );
    }
    out
}
