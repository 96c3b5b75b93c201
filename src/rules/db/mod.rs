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
use crate::model::schema::{EventKind, MigrationEvent, SchemaHistory, Table};
use crate::source::Span;
use crate::sql::migrations::{classify, FileClass, VersionKey};
use crate::sql::SqlDialect;

/// An identifier as it must be written in SQL the user can paste: quoted unless it is
/// a plain lower-case name.
pub fn ident(name: &str, dialect: SqlDialect) -> String {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.chars().next().is_some_and(|c| !c.is_ascii_digit());
    if plain {
        name.to_string()
    } else if dialect == SqlDialect::Mssql {
        format!("[{}]", name.replace(']', "]]"))
    } else if dialect == SqlDialect::Mysql {
        format!("`{}`", name.replace('`', "``"))
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// `schema.table` as written, each part quoted when needed.
pub fn qualified(name: &str, dialect: SqlDialect) -> String {
    name.split('.')
        .map(|part| ident(part, dialect))
        .collect::<Vec<_>>()
        .join(".")
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

/// Events on tables an earlier migration file created: the ones whose rows and
/// running readers a migration can hurt. A table no migration created (a view, a table
/// from a schema archlint did not see) is not judged: nothing shows it has rows.
/// Migrations at or before `[sql] start-after` have run already and are not judged.
pub fn events_on_existing<'a>(
    ctx: &crate::rules::Context<'a>,
) -> impl Iterator<Item = (&'a SchemaHistory, usize, &'a MigrationEvent)> {
    let start_after = ctx
        .settings
        .config
        .sql
        .start_after
        .as_deref()
        .map(|v| VersionKey::parse(v.trim_start_matches(['V', 'v'])));
    ctx.project
        .sql
        .schema
        .histories
        .iter()
        .flat_map(move |h| {
            let judged: Vec<bool> = h
                .files
                .iter()
                .map(|f| match (&start_after, classify(&f.path)) {
                    (Some(after), FileClass::Migration(info)) => info.version > *after,
                    _ => true,
                })
                .collect();
            h.events
                .iter()
                .enumerate()
                .filter(move |(_, e)| judged.get(e.file).copied().unwrap_or(true))
                .map(move |(i, e)| (h, i, e))
        })
        .filter(|(_, _, e)| e.known_table && e.existed_before)
}

/// The events of the same migration file as `events[index]`: those before it and those
/// after it.
pub fn same_file(history: &SchemaHistory, index: usize) -> (&[MigrationEvent], &[MigrationEvent]) {
    let events = &history.events;
    let Some(file) = events.get(index).map(|e| e.file) else {
        return (&[], &[]);
    };
    let start = events[..index]
        .iter()
        .rposition(|e| e.file != file)
        .map_or(0, |i| i + 1);
    let end = events[index + 1..]
        .iter()
        .position(|e| e.file != file)
        .map_or(events.len(), |i| index + 1 + i);
    (&events[start..index], &events[index + 1..end])
}

/// Whether an event makes a table of this key appear: created, or renamed into it.
pub fn introduces_table(event: &MigrationEvent, key: &str) -> bool {
    event.table == key
        && matches!(
            event.kind,
            EventKind::CreateTable | EventKind::RenameTable { .. }
        )
}

/// Whether a column was added by an earlier statement of the same file (so changing
/// it touches no existing rows' readers).
pub fn column_added_earlier(
    history: &SchemaHistory,
    index: usize,
    table: &str,
    column: &str,
) -> bool {
    let (before, _) = same_file(history, index);
    before.iter().any(|e| {
        e.table == table && matches!(&e.kind, EventKind::AddColumn { column: c, .. } if c == column)
    })
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
