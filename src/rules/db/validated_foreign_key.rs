//! db/validated-foreign-key: a foreign key added to an existing Postgres table and
//! validated in the same step.

use super::{events_on_existing, first_line, is_postgres, table_name};
use crate::finding::Finding;
use crate::model::schema::EventKind;
use crate::rules::Context;

const ID: &str = "db/validated-foreign-key";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for (history, _, event) in events_on_existing(ctx) {
        let EventKind::AddForeignKey {
            name,
            columns,
            referenced_table,
            not_valid: false,
        } = &event.kind
        else {
            continue;
        };
        if !is_postgres(history) {
            continue;
        }
        let table = table_name(history, &event.table);
        let referenced = table_name(history, referenced_table);
        let validate = match name {
            Some(name) => format!("ALTER TABLE {table} VALIDATE CONSTRAINT {name};"),
            None => "`VALIDATE CONSTRAINT`".to_string(),
        };
        out.push(
            Finding::new(
                ID,
                first_line(&event.location),
                format!(
                    "foreign key `{table} ({})` → `{referenced}` is added to an existing table and validated at once: the scan of `{table}` blocks writes to both tables",
                    columns.join(", ")
                ),
            )
            .label("validates under lock")
            .help(format!(
                "add the constraint with `NOT VALID`, then run {validate} in a later migration (validation then takes a lock that lets writes through)"
            )),
        );
    }
    out
}
