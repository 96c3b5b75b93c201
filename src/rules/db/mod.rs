//! Rules over the SQL facts: the replayed schema, migration events and queries.

pub mod add_not_null_column;
pub mod column_type_change;
pub mod destructive_migration;
pub mod duplicate_index;
pub mod fk_without_index;
pub mod float_money;
pub mod missing_primary_key;
pub mod non_concurrent_index;
pub mod select_star;
pub mod sql_parse_error;
pub mod update_without_where;
pub mod validated_foreign_key;

use crate::finding::Location;
use crate::model::schema::{MigrationEvent, SchemaHistory, Table};
use crate::source::Span;
use crate::sql::SqlDialect;

/// An identifier as it must be written in SQL the user can paste: quoted unless it is
/// a plain lower-case name.
pub fn ident(name: &str) -> String {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.chars().next().is_some_and(|c| !c.is_ascii_digit());
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// `schema.table` as written, each part quoted when needed.
pub fn qualified(name: &str) -> String {
    name.split('.').map(ident).collect::<Vec<_>>().join(".")
}

/// A column's name as written in its table, else the folded one.
pub fn column_name(table: &Table, column: &str) -> String {
    table
        .column(column)
        .map_or_else(|| column.to_string(), |c| c.display_name.clone())
}

pub fn column_list(table: &Table, columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| column_name(table, c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Events of every history with the history they belong to.
pub fn events<'a>(
    ctx: &crate::rules::Context<'a>,
) -> impl Iterator<Item = (&'a SchemaHistory, &'a MigrationEvent)> {
    ctx.project
        .sql
        .schema
        .histories
        .iter()
        .flat_map(|h| h.events.iter().map(move |e| (h, e)))
}

/// The display name of an event's table: its name in the final schema when it still
/// exists, else its key.
pub fn table_name<'a>(history: &'a SchemaHistory, key: &'a str) -> &'a str {
    history.tables.get(key).map_or(key, |t| t.name.as_str())
}

pub fn is_postgres(history: &SchemaHistory) -> bool {
    history.dialect == SqlDialect::Postgres
}

/// The first line of a location: a statement can span dozens of lines, and the report
/// should underline where it starts, not all of it.
pub fn first_line(location: &Location) -> Location {
    let text = location.file.slice(location.span);
    let end = text
        .find('\n')
        .map_or(location.span.end, |i| location.span.start + i);
    let line = &location.file.text[location.span.start..end];
    Location::new(
        &location.file,
        Span::new(
            location.span.start,
            location.span.start + line.trim_end().len(),
        ),
    )
}
