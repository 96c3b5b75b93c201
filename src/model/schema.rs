//! The replayed database schema: tables, columns, keys and indexes, plus the per-statement
//! migration events the migration-safety rules read.
//!
//! Names are stored folded the way the dialect compares them (see
//! `SqlDialect::fold`), so rules compare strings and never re-fold. Each fact keeps the
//! location of the statement (or, where it could be found, the clause) that made it.

use std::collections::BTreeMap;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::finding::Location;
use crate::source::SharedSource;
use crate::sql::dialect::SqlDialect;

/// Locations serialise as `{path, line}`: the shape a human or a snapshot wants.
pub fn serialize_location<S: Serializer>(location: &Location, s: S) -> Result<S::Ok, S::Error> {
    let line = location.file.line_col(location.span.start).line;
    let mut out = s.serialize_struct("Location", 2)?;
    out.serialize_field("path", location.path())?;
    out.serialize_field("line", &line)?;
    out.end()
}

fn serialize_paths<S: Serializer>(files: &[SharedSource], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(files.iter().map(|f| f.path.as_str()))
}

#[derive(Debug, Default, Serialize)]
pub struct SchemaModel {
    /// The configured dialect, else the one detected across all files.
    pub dialect: SqlDialect,
    /// One per migrations folder, sorted by folder.
    pub histories: Vec<SchemaHistory>,
}

impl SchemaModel {
    /// Every table with this key, across histories (several services may share a name).
    pub fn tables_named<'a>(
        &'a self,
        key: &'a str,
    ) -> impl Iterator<Item = (&'a SchemaHistory, &'a Table)> + 'a {
        self.histories
            .iter()
            .filter_map(move |h| h.tables.get(key).map(|t| (h, t)))
    }

    pub fn is_empty(&self) -> bool {
        self.histories.iter().all(|h| h.files.is_empty())
    }
}

#[derive(Debug, Serialize)]
pub struct SchemaHistory {
    /// The folder the migrations live in (`""` for the root).
    pub dir: String,
    /// The configured dialect, else the one this history's files show (a repository may
    /// hold a Postgres service and a MySQL one).
    pub dialect: SqlDialect,
    /// The migration files in replay order; `file` indices elsewhere point here.
    #[serde(serialize_with = "serialize_paths")]
    pub files: Vec<SharedSource>,
    /// The schema after the last migration, by table key.
    pub tables: BTreeMap<String, Table>,
    /// What each statement did, in replay order.
    pub events: Vec<MigrationEvent>,
    /// Statements in these files sqlparser could not read: the schema may miss their effect.
    pub unparsed_statements: usize,
}

impl SchemaHistory {
    /// Whether a foreign key lacks an index the database would not create by itself
    /// (InnoDB indexes every foreign key; the others do not). `None` when the table's
    /// shape is not fully known, so the absence of an index proves nothing.
    pub fn foreign_key_unindexed(&self, table: &Table, fk: &ForeignKeyFact) -> Option<bool> {
        if !table.complete || fk.columns.is_empty() {
            return None;
        }
        Some(self.dialect != SqlDialect::Mysql && !table.has_index_on(&fk.columns))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// Folded, schema-qualified unless in the default schema (`users`, `audit.log`).
    pub key: String,
    /// As written where the table was created (or last renamed), quotes removed.
    pub name: String,
    #[serde(serialize_with = "serialize_location")]
    pub created: Location,
    /// Index into [`SchemaHistory::files`] of the migration that created the table.
    pub created_in_file: usize,
    pub columns: Vec<Column>,
    pub primary_key: Option<KeyFact>,
    pub foreign_keys: Vec<ForeignKeyFact>,
    pub indexes: Vec<IndexFact>,
    pub unique_constraints: Vec<KeyFact>,
    /// False when a statement that shaped this table could not be read, or the table
    /// was made by `CREATE TABLE … AS`/`LIKE`: absent facts prove nothing then.
    pub complete: bool,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether an index, unique constraint or the primary key starts with exactly these
    /// columns in some order, so that a lookup by all of them can use it. Partial
    /// indexes do not count: they cover only some rows.
    pub fn has_index_on(&self, columns: &[String]) -> bool {
        if columns.is_empty() {
            return false;
        }
        let leads_with = |key: &[String]| {
            key.len() >= columns.len()
                && key
                    .get(..columns.len())
                    .is_some_and(|lead| columns.iter().all(|c| lead.contains(c)))
        };
        // A partial index `WHERE col IS NOT NULL` serves equality lookups on `col`.
        let usable = |i: &&IndexFact| {
            !i.partial
                || i.not_null_predicate
                    .as_ref()
                    .is_some_and(|cols| cols.iter().all(|c| columns.contains(c)))
        };
        self.indexes
            .iter()
            .filter(usable)
            .any(|i| leads_with(&i.columns))
            || self
                .unique_constraints
                .iter()
                .any(|k| leads_with(&k.columns))
            || self
                .primary_key
                .as_ref()
                .is_some_and(|k| leads_with(&k.columns))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// Folded.
    pub name: String,
    /// As written, quotes removed.
    pub display_name: String,
    /// As written, upper-cased (`VARCHAR(255)`, `TIMESTAMP WITH TIME ZONE`, `CITEXT`).
    pub data_type: String,
    pub nullable: bool,
    /// A default, or a value the database supplies (serial, identity, auto-increment,
    /// generated).
    pub has_default: bool,
    #[serde(serialize_with = "serialize_location")]
    pub location: Location,
}

/// A primary key or unique constraint.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFact {
    /// The constraint name as written, folded; `None` when the database chose it.
    pub name: Option<String>,
    /// Folded column names; an expression keeps its text.
    pub columns: Vec<String>,
    #[serde(serialize_with = "serialize_location")]
    pub location: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForeignKeyFact {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// The referenced table's key.
    pub referenced_table: String,
    /// Empty when the statement names none and the referenced primary key was unknown.
    pub referenced_columns: Vec<String>,
    /// Added with `NOT VALID` and not validated since.
    pub not_valid: bool,
    /// The `REFERENCES`/`FOREIGN KEY` clause when it could be found, else the statement.
    #[serde(serialize_with = "serialize_location")]
    pub location: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexFact {
    /// The name as written (folded, schema dropped); `None` when the database chose it.
    pub name: Option<String>,
    /// Folded column names in index order; an expression keeps its text (`lower(email)`).
    pub columns: Vec<String>,
    pub unique: bool,
    pub concurrently: bool,
    /// Has a `WHERE` clause.
    pub partial: bool,
    /// Not a plain b-tree: another method (`USING gin`), an operator class, or
    /// `INCLUDE` columns. Such an index serves other lookups than a b-tree on the
    /// same columns.
    pub special: bool,
    /// For a partial index whose predicate only requires columns to be non-null: those
    /// columns. Such an index still serves every equality lookup on them.
    pub not_null_predicate: Option<Vec<String>>,
    #[serde(serialize_with = "serialize_location")]
    pub location: Location,
}

/// What one statement of a migration did, for the migration-safety rules.
#[derive(Debug, Clone, Serialize)]
pub struct MigrationEvent {
    /// The whole statement.
    #[serde(serialize_with = "serialize_location")]
    pub statement: Location,
    /// The part of the statement the event is about (the column definition, the
    /// constraint) when it could be found, else the statement.
    #[serde(serialize_with = "serialize_location")]
    pub location: Location,
    /// Index into [`SchemaHistory::files`].
    pub file: usize,
    /// The table's key; empty for `DROP INDEX` of an index no migration created.
    pub table: String,
    /// The table was created by an earlier migration replayed here.
    pub known_table: bool,
    /// The table existed before this migration file: created by an earlier file, or
    /// unknown to the replay (so created outside these migrations).
    pub existed_before: bool,
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    CreateTable,
    DropTable,
    /// `RENAME TABLE`/`ALTER TABLE … RENAME TO`; the event's table is the new key.
    RenameTable {
        from: String,
    },
    CreateIndex {
        name: Option<String>,
        columns: Vec<String>,
        unique: bool,
        concurrently: bool,
    },
    DropIndex {
        name: String,
        concurrently: bool,
    },
    AddColumn {
        column: String,
        data_type: String,
        not_null: bool,
        has_default: bool,
        /// The default expression as written, for rules that judge volatility.
        default: Option<String>,
    },
    DropColumn {
        column: String,
    },
    RenameColumn {
        from: String,
        to: String,
    },
    /// `ALTER COLUMN … TYPE`, MySQL `MODIFY`/`CHANGE`.
    AlterColumnType {
        column: String,
        data_type: String,
    },
    SetNotNull {
        column: String,
    },
    DropNotNull {
        column: String,
    },
    SetDefault {
        column: String,
    },
    DropDefault {
        column: String,
    },
    AddPrimaryKey {
        columns: Vec<String>,
    },
    AddForeignKey {
        name: Option<String>,
        columns: Vec<String>,
        referenced_table: String,
        not_valid: bool,
    },
    AddUnique {
        name: Option<String>,
        columns: Vec<String>,
        /// `… UNIQUE USING INDEX idx`: promotes an index built earlier (no new scan).
        using_index: bool,
    },
    AddCheck {
        name: Option<String>,
        not_valid: bool,
    },
    DropConstraint {
        name: String,
    },
    ValidateConstraint {
        name: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};
    use std::sync::Arc;

    fn location() -> Location {
        let file = Arc::new(SourceFile::new(
            "m.sql".into(),
            "m.sql".into(),
            "x\ny".into(),
        ));
        Location::new(&file, Span::new(2, 3))
    }

    fn key(columns: &[&str]) -> KeyFact {
        KeyFact {
            name: None,
            columns: columns.iter().map(|c| c.to_string()).collect(),
            location: location(),
        }
    }

    fn table() -> Table {
        Table {
            key: "orders".into(),
            name: "orders".into(),
            created: location(),
            created_in_file: 0,
            columns: Vec::new(),
            primary_key: Some(key(&["id"])),
            foreign_keys: Vec::new(),
            indexes: vec![
                IndexFact {
                    name: Some("by_pair".into()),
                    columns: vec!["b".into(), "a".into(), "c".into()],
                    unique: false,
                    concurrently: false,
                    partial: false,
                    special: false,
                    not_null_predicate: None,
                    location: location(),
                },
                IndexFact {
                    name: Some("partial".into()),
                    columns: vec!["d".into()],
                    unique: false,
                    concurrently: false,
                    partial: true,
                    special: false,
                    not_null_predicate: None,
                    location: location(),
                },
            ],
            unique_constraints: vec![key(&["e", "f"])],
            complete: true,
        }
    }

    #[test]
    fn index_coverage_uses_leading_columns_in_any_order() {
        let t = table();
        let cols = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(t.has_index_on(&cols(&["a", "b"])));
        assert!(t.has_index_on(&cols(&["b"])));
        assert!(!t.has_index_on(&cols(&["a"])), "a is not a leading column");
        assert!(!t.has_index_on(&cols(&["c"])));
        assert!(
            !t.has_index_on(&cols(&["d"])),
            "partial indexes do not cover"
        );
        assert!(
            t.has_index_on(&cols(&["e"])),
            "unique constraints are indexes"
        );
        assert!(t.has_index_on(&cols(&["id"])), "so is the primary key");
        assert!(!t.has_index_on(&[]));
    }

    #[test]
    fn locations_serialise_as_path_and_line() {
        let json = serde_json::to_value(key(&["id"])).unwrap_or_default();
        assert_eq!(json["location"]["path"], "m.sql");
        assert_eq!(json["location"]["line"], 2);
    }
}
