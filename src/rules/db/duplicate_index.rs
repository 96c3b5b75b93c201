//! db/duplicate-index: an index whose columns lead another index or key.

use super::{column_list, first_line};
use crate::finding::{Finding, Location};
use crate::model::schema::{IndexFact, Table};
use crate::rules::Context;

const ID: &str = "db/duplicate-index";

/// An index or key another index may be redundant with.
struct Covering<'a> {
    label: String,
    columns: &'a [String],
    unique: bool,
    location: &'a Location,
}

fn is_expression(column: &str) -> bool {
    column.contains(['(', ' ', ':'])
}

fn coverings(table: &Table) -> Vec<Covering<'_>> {
    let mut all: Vec<Covering> = Vec::new();
    if let Some(pk) = &table.primary_key {
        all.push(Covering {
            label: "the primary key".to_string(),
            columns: &pk.columns,
            unique: true,
            location: &pk.location,
        });
    }
    for key in &table.unique_constraints {
        all.push(Covering {
            label: match &key.name {
                Some(name) => format!("unique constraint `{name}`"),
                None => "a unique constraint".to_string(),
            },
            columns: &key.columns,
            unique: true,
            location: &key.location,
        });
    }
    all
}

/// Whether `index` adds nothing next to another index or key on `columns`. A unique
/// index enforces something a longer or non-unique one does not; of two identical
/// ones, the later is the duplicate.
fn redundant(index: &IndexFact, columns: &[String], unique: bool, earlier: bool) -> bool {
    let n = index.columns.len();
    if columns.len() < n || columns.get(..n) != Some(&index.columns[..]) {
        return false;
    }
    let same = columns.len() == n;
    match (index.unique, unique) {
        (true, false) => false,
        (true, true) => same && earlier,
        (false, true) => true,
        (false, false) => !same || earlier,
    }
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for history in &ctx.project.sql.schema.histories {
        for table in history.tables.values() {
            let keys = coverings(table);
            let indexes: Vec<(usize, &IndexFact)> = table
                .indexes
                .iter()
                .enumerate()
                // An index whose columns are unknown (an Alembic `create_index` given a
                // variable) has an empty list, which leads every key: it proves nothing.
                .filter(|(_, i)| {
                    !i.partial
                        && !i.special
                        && !i.columns.is_empty()
                        && !i.columns.iter().any(|c| is_expression(c))
                })
                .collect();
            for &(position, index) in &indexes {
                let by_key = keys
                    .iter()
                    .find(|k| redundant(index, k.columns, k.unique, true))
                    .map(|k| (k.label.clone(), k.location));
                let by_index = indexes
                    .iter()
                    .find(|(other_position, other)| {
                        *other_position != position
                            && redundant(
                                index,
                                &other.columns,
                                other.unique,
                                *other_position < position,
                            )
                    })
                    .map(|(_, other)| {
                        let label = match &other.name {
                            Some(name) => format!("index `{name}`"),
                            None => "an index".to_string(),
                        };
                        (label, &other.location)
                    });
                let Some((label, location)) = by_key.or(by_index) else {
                    continue;
                };
                let name = index.name.as_deref().unwrap_or("this index");
                let drop = match &index.name {
                    Some(name) => format!("DROP INDEX {name}; "),
                    None => String::new(),
                };
                out.push(
                    Finding::new(
                        ID,
                        first_line(&index.location),
                        format!(
                            "index `{name}` on `{} ({})` is redundant: {label} already leads with these columns",
                            table.name,
                            column_list(table, &index.columns)
                        ),
                    )
                    .label("redundant index")
                    .related(first_line(location), format!("{label} covers the same lookups"))
                    .help(format!(
                        "{drop}every index slows down writes and takes space, and this one serves no lookup the other cannot"
                    )),
                );
            }
        }
    }
    out
}
