//! db/fk-without-index: a foreign key no index leads with.

use super::{column_list, is_postgres, qualified};
use crate::finding::Finding;
use crate::rules::Context;

const ID: &str = "db/fk-without-index";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for history in &ctx.project.sql.schema.histories {
        for table in history.tables.values() {
            let keys = &table.foreign_keys;
            for (i, fk) in keys.iter().enumerate() {
                // The same columns constrained again later (a key re-created under
                // another name, or once in each branch of an Alembic dialect check): one
                // index serves them all, so only the last is reported.
                let again = keys.iter().skip(i + 1).any(|k| k.columns == fk.columns);
                if again || history.foreign_key_unindexed(table, fk) != Some(true) {
                    continue;
                }
                let columns = column_list(table, &fk.columns);
                let referenced = history
                    .tables
                    .get(&fk.referenced_table)
                    .map_or(fk.referenced_table.as_str(), |t| t.name.as_str());
                let target = if fk.referenced_columns.is_empty() {
                    format!("`{referenced}`")
                } else {
                    format!("`{referenced} ({})`", fk.referenced_columns.join(", "))
                };
                let index_name = format!(
                    "{}_{}_idx",
                    table.name.rsplit('.').next().unwrap_or(&table.name),
                    fk.columns.join("_")
                )
                .to_ascii_lowercase();
                let sql_columns = fk
                    .columns
                    .iter()
                    .map(|c| super::ident(&super::column_name(table, c), history.dialect))
                    .collect::<Vec<_>>()
                    .join(", ");
                let concurrently = if is_postgres(history) {
                    "CONCURRENTLY "
                } else {
                    ""
                };
                out.push(
                    Finding::new(
                        ID,
                        fk.location.clone(),
                        format!(
                            "foreign key `{} ({columns})` → {target} has no index leading with `{columns}`",
                            table.name
                        ),
                    )
                    .label("no index covers this foreign key")
                    .help(if fk.location.path().ends_with(".py") {
                        format!(
                            "add `index=True` to the column (and a migration that runs CREATE INDEX {concurrently}{index_name} ON {} ({sql_columns})); deletes and updates of the referenced rows, and joins from them, otherwise scan `{}`",
                            qualified(&table.name, history.dialect),
                            table.name
                        )
                    } else {
                        format!(
                            "CREATE INDEX {concurrently}{index_name} ON {} ({sql_columns}); deletes and updates of the referenced rows, and joins from them, otherwise scan `{}`",
                            qualified(&table.name, history.dialect),
                            table.name
                        )
                    }),
                );
            }
        }
    }
    out
}
