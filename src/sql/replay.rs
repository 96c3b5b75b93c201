//! Applies the schema operations of one migration history in order, so that a later
//! migration's index, dropped column or renamed table is what rules see, and records a
//! [`MigrationEvent`] for every operation the migration-safety rules care about.
//!
//! Every operation is a map lookup on its table; only renames and drops, which may
//! change other tables' foreign keys, look at every table.

use std::collections::{BTreeMap, HashMap};

use crate::finding::Location;
use crate::model::schema::{
    Column, EventKind, ForeignKeyFact, IndexFact, KeyFact, MigrationEvent, SchemaHistory, Table,
};
use crate::source::{SharedSource, Span};

use super::ddl::{Action, ColumnSpec, FkSpec, IndexSpec, KeySpec, Op, TableDef, TableName};
use super::dialect::SqlDialect;

pub(crate) struct Replayer {
    dialect: SqlDialect,
    dir: String,
    files: Vec<SharedSource>,
    tables: BTreeMap<String, Table>,
    /// Effective index name (as written, or the name the database would choose) → table.
    index_owner: HashMap<String, String>,
    events: Vec<MigrationEvent>,
    unparsed_statements: usize,
}

/// The statement being applied.
struct Ctx {
    file_index: usize,
    file: SharedSource,
    statement: Span,
}

impl Ctx {
    fn location(&self, span: Span) -> Location {
        Location::new(&self.file, span)
    }
}

impl Replayer {
    pub fn new(dialect: SqlDialect, dir: &str) -> Self {
        Replayer {
            dialect,
            dir: dir.to_string(),
            files: Vec::new(),
            tables: BTreeMap::new(),
            index_owner: HashMap::new(),
            events: Vec::new(),
            unparsed_statements: 0,
        }
    }

    /// Starts the next migration file; returns its index in the history.
    pub fn begin_file(&mut self, file: SharedSource) -> usize {
        self.files.push(file);
        self.files.len() - 1
    }

    pub fn note_unparsed(&mut self) {
        self.unparsed_statements += 1;
    }

    pub fn apply(&mut self, file_index: usize, statement: Span, ops: &[Op]) {
        let Some(file) = self.files.get(file_index).cloned() else {
            return;
        };
        let ctx = Ctx {
            file_index,
            file,
            statement,
        };
        for op in ops {
            self.op(&ctx, op);
        }
    }

    pub fn finish(self) -> SchemaHistory {
        SchemaHistory {
            dir: self.dir,
            dialect: self.dialect,
            files: self.files,
            tables: self.tables,
            events: self.events,
            unparsed_statements: self.unparsed_statements,
        }
    }

    fn event(&mut self, ctx: &Ctx, table: &str, span: Span, kind: EventKind) {
        let known = self.tables.get(table);
        let existed_before = match known {
            Some(t) => t.created_in_file < ctx.file_index,
            // A table no migration created was created elsewhere, before these ran;
            // but a table being created now did not exist.
            None => kind != EventKind::CreateTable,
        };
        self.events.push(MigrationEvent {
            statement: ctx.location(ctx.statement),
            location: ctx.location(span),
            file: ctx.file_index,
            table: table.to_string(),
            known_table: known.is_some(),
            existed_before,
            kind,
        });
    }

    fn op(&mut self, ctx: &Ctx, op: &Op) {
        match op {
            Op::CreateTable {
                table,
                if_not_exists,
                def,
                complete,
            } => self.create_table(ctx, table, *if_not_exists, def, *complete),
            Op::CreateIndex {
                table,
                index,
                if_not_exists,
            } => {
                let key = table.key();
                self.event(
                    ctx,
                    &key,
                    ctx.statement,
                    EventKind::CreateIndex {
                        name: index.name.clone(),
                        columns: index.columns.clone(),
                        unique: index.unique,
                        concurrently: index.concurrently,
                    },
                );
                let exists = index
                    .name
                    .as_ref()
                    .is_some_and(|n| self.index_owner.contains_key(n));
                if !(*if_not_exists && exists) {
                    self.add_index(ctx, &key, index);
                }
            }
            Op::Alter {
                table,
                action,
                span,
            } => self.alter(ctx, table, action, *span),
            Op::DropTable { table } => {
                let key = table.key();
                self.event(ctx, &key, ctx.statement, EventKind::DropTable);
                self.drop_table(&key);
            }
            Op::DropIndex {
                name,
                table,
                concurrently,
            } => {
                let owner = table
                    .as_ref()
                    .map(TableName::key)
                    .or_else(|| self.index_owner.get(name).cloned())
                    .unwrap_or_default();
                self.event(
                    ctx,
                    &owner,
                    ctx.statement,
                    EventKind::DropIndex {
                        name: name.clone(),
                        concurrently: *concurrently,
                    },
                );
                self.drop_index(&owner, name);
            }
            Op::RenameTable { from, to } => self.rename_table(ctx, &from.key(), to),
            Op::Unreadable { table, creates } => {
                let key = table.key();
                if let Some(existing) = self.tables.get_mut(&key) {
                    existing.complete = false;
                } else if *creates {
                    let mut placeholder = self.new_table(ctx, table);
                    placeholder.complete = false;
                    self.tables.insert(key, placeholder);
                }
            }
        }
    }

    fn new_table(&self, ctx: &Ctx, name: &TableName) -> Table {
        Table {
            key: name.key(),
            name: name.display.clone(),
            created: ctx.location(ctx.statement),
            created_in_file: ctx.file_index,
            columns: Vec::new(),
            primary_key: None,
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            unique_constraints: Vec::new(),
            complete: true,
        }
    }

    fn create_table(
        &mut self,
        ctx: &Ctx,
        name: &TableName,
        if_not_exists: bool,
        def: &TableDef,
        complete: bool,
    ) {
        let key = name.key();
        self.event(ctx, &key, ctx.statement, EventKind::CreateTable);
        if if_not_exists && self.tables.contains_key(&key) {
            return;
        }
        // Re-creating without IF NOT EXISTS would fail on a real database; the later
        // definition is the one the author meant.
        self.drop_table(&key);
        let mut table = self.new_table(ctx, name);
        table.complete = complete;
        self.tables.insert(key.clone(), table);
        self.add_definition(ctx, &key, def);
    }

    /// Adds the columns and constraints of a `CREATE TABLE` or an `ADD COLUMN`.
    fn add_definition(&mut self, ctx: &Ctx, key: &str, def: &TableDef) {
        let not_null: Vec<&String> = def
            .primary_key
            .iter()
            .flat_map(|k| k.columns.iter())
            .collect();
        if let Some(table) = self.tables.get_mut(key) {
            for spec in &def.columns {
                let mut column = column_fact(ctx, spec);
                column.nullable &= !not_null.contains(&&column.name);
                table.columns.retain(|c| c.name != column.name);
                table.columns.push(column);
            }
            if let Some(pk) = &def.primary_key {
                table.primary_key = Some(key_fact(ctx, pk));
            }
            table
                .unique_constraints
                .extend(def.uniques.iter().map(|k| key_fact(ctx, k)));
        }
        for fk in &def.foreign_keys {
            self.add_foreign_key(ctx, key, fk);
        }
        for index in &def.indexes {
            self.add_index(ctx, key, index);
        }
    }

    fn add_foreign_key(&mut self, ctx: &Ctx, key: &str, fk: &FkSpec) {
        let referenced = fk.referenced.key();
        // `REFERENCES t` without columns means t's primary key.
        let referenced_columns = if fk.referenced_columns.is_empty() {
            self.tables
                .get(&referenced)
                .and_then(|t| t.primary_key.as_ref())
                .map(|k| k.columns.clone())
                .unwrap_or_default()
        } else {
            fk.referenced_columns.clone()
        };
        if let Some(table) = self.tables.get_mut(key) {
            table.foreign_keys.push(ForeignKeyFact {
                name: fk.name.clone(),
                columns: fk.columns.clone(),
                referenced_table: referenced,
                referenced_columns,
                not_valid: fk.not_valid,
                location: ctx.location(fk.span),
            });
        }
    }

    fn add_index(&mut self, ctx: &Ctx, key: &str, index: &IndexSpec) {
        let effective =
            effective_index_name(self.dialect, key, index.name.as_deref(), &index.columns);
        let Some(table) = self.tables.get_mut(key) else {
            return;
        };
        table.indexes.push(IndexFact {
            name: index.name.clone(),
            columns: index.columns.clone(),
            unique: index.unique,
            concurrently: index.concurrently,
            partial: index.partial,
            special: index.special,
            not_null_predicate: index.not_null_predicate.clone(),
            location: ctx.location(index.span),
        });
        self.index_owner.insert(effective, key.to_string());
    }

    fn drop_index(&mut self, key: &str, name: &str) {
        self.index_owner.remove(name);
        let dialect = self.dialect;
        if let Some(table) = self.tables.get_mut(key) {
            let table_key = table.key.clone();
            table.indexes.retain(|i| {
                effective_index_name(dialect, &table_key, i.name.as_deref(), &i.columns) != name
            });
            // A MySQL unique key is an index and is dropped as one.
            table
                .unique_constraints
                .retain(|k| k.name.as_deref() != Some(name));
        }
    }

    fn drop_table(&mut self, key: &str) {
        let Some(table) = self.tables.remove(key) else {
            return;
        };
        for index in &table.indexes {
            let name = effective_index_name(
                self.dialect,
                &table.key,
                index.name.as_deref(),
                &index.columns,
            );
            self.index_owner.remove(&name);
        }
        // Their foreign keys went with the table (CASCADE, or dropped first).
        for other in self.tables.values_mut() {
            other.foreign_keys.retain(|fk| fk.referenced_table != key);
        }
    }

    fn rename_table(&mut self, ctx: &Ctx, from: &str, to: &TableName) {
        let new_key = to.key();
        self.event(
            ctx,
            from,
            ctx.statement,
            EventKind::RenameTable {
                from: from.to_string(),
            },
        );
        if let Some(event) = self.events.last_mut() {
            event.table = new_key.clone();
        }
        let Some(mut table) = self.tables.remove(from) else {
            return;
        };
        table.key = new_key.clone();
        table.name = to.display.clone();
        for owner in self.index_owner.values_mut() {
            if owner == from {
                *owner = new_key.clone();
            }
        }
        self.tables.insert(new_key.clone(), table);
        for other in self.tables.values_mut() {
            for fk in &mut other.foreign_keys {
                if fk.referenced_table == from {
                    fk.referenced_table = new_key.clone();
                }
            }
        }
    }

    fn alter(&mut self, ctx: &Ctx, name: &TableName, action: &Action, span: Span) {
        let key = name.key();
        match action {
            Action::AddColumn(def) => {
                for column in &def.columns {
                    self.event(
                        ctx,
                        &key,
                        span,
                        EventKind::AddColumn {
                            column: column.name.clone(),
                            data_type: column.data_type.clone(),
                            not_null: !column.nullable,
                            has_default: column.has_default,
                            default: column.default.clone(),
                        },
                    );
                }
                for fk in &def.foreign_keys {
                    self.fk_event(ctx, &key, fk);
                }
                self.add_definition(ctx, &key, def);
            }
            Action::DropColumn(column) => {
                self.event(
                    ctx,
                    &key,
                    span,
                    EventKind::DropColumn {
                        column: column.clone(),
                    },
                );
                self.drop_column(&key, column);
            }
            Action::RenameColumn { from, to } => {
                self.event(
                    ctx,
                    &key,
                    span,
                    EventKind::RenameColumn {
                        from: from.clone(),
                        to: to.clone(),
                    },
                );
                self.rename_column(&key, from, to);
            }
            Action::RenameTo(to) => self.rename_table(ctx, &key, to),
            Action::AddPrimaryKey(pk) => {
                self.event(
                    ctx,
                    &key,
                    pk.span,
                    EventKind::AddPrimaryKey {
                        columns: pk.columns.clone(),
                    },
                );
                if let Some(table) = self.tables.get_mut(&key) {
                    for column in &mut table.columns {
                        if pk.columns.contains(&column.name) {
                            column.nullable = false;
                        }
                    }
                    table.primary_key = Some(key_fact(ctx, pk));
                }
            }
            Action::AddForeignKey(fk) => {
                self.fk_event(ctx, &key, fk);
                self.add_foreign_key(ctx, &key, fk);
            }
            Action::AddUnique(unique) => {
                self.event(
                    ctx,
                    &key,
                    unique.span,
                    EventKind::AddUnique {
                        name: unique.name.clone(),
                        columns: unique.columns.clone(),
                        using_index: false,
                    },
                );
                if let Some(table) = self.tables.get_mut(&key) {
                    table.unique_constraints.push(key_fact(ctx, unique));
                }
            }
            Action::AddIndex(index) => {
                self.event(
                    ctx,
                    &key,
                    index.span,
                    EventKind::CreateIndex {
                        name: index.name.clone(),
                        columns: index.columns.clone(),
                        unique: index.unique,
                        concurrently: false,
                    },
                );
                self.add_index(ctx, &key, index);
            }
            Action::PromoteIndex {
                name,
                index,
                primary,
            } => self.promote_index(ctx, &key, span, name, index, *primary),
            Action::AddCheck { name, not_valid } => self.event(
                ctx,
                &key,
                span,
                EventKind::AddCheck {
                    name: name.clone(),
                    not_valid: *not_valid,
                },
            ),
            Action::DropConstraint(constraint) => {
                self.event(
                    ctx,
                    &key,
                    span,
                    EventKind::DropConstraint {
                        name: constraint.clone(),
                    },
                );
                self.drop_constraint(&key, constraint);
            }
            Action::DropPrimaryKey => {
                self.event(
                    ctx,
                    &key,
                    span,
                    EventKind::DropConstraint {
                        name: "PRIMARY".into(),
                    },
                );
                if let Some(table) = self.tables.get_mut(&key) {
                    table.primary_key = None;
                }
            }
            Action::DropIndex(index) => {
                self.event(
                    ctx,
                    &key,
                    span,
                    EventKind::DropIndex {
                        name: index.clone(),
                        concurrently: false,
                    },
                );
                self.drop_index(&key, index);
            }
            Action::ValidateConstraint(constraint) => {
                self.event(
                    ctx,
                    &key,
                    span,
                    EventKind::ValidateConstraint {
                        name: constraint.clone(),
                    },
                );
                if let Some(table) = self.tables.get_mut(&key) {
                    let bare = bare(&key).to_string();
                    for fk in &mut table.foreign_keys {
                        if fk_name(&bare, fk) == *constraint {
                            fk.not_valid = false;
                        }
                    }
                }
            }
            Action::RenameConstraint { from, to } => {
                if let Some(table) = self.tables.get_mut(&key) {
                    let bare = bare(&key).to_string();
                    for fk in &mut table.foreign_keys {
                        if fk_name(&bare, fk) == *from {
                            fk.name = Some(to.clone());
                        }
                    }
                    let keys = table
                        .unique_constraints
                        .iter_mut()
                        .chain(table.primary_key.iter_mut());
                    for k in keys {
                        if k.name.as_deref() == Some(from.as_str()) {
                            k.name = Some(to.clone());
                        }
                    }
                }
            }
            Action::SetType { column, data_type } => {
                self.event(
                    ctx,
                    &key,
                    span,
                    EventKind::AlterColumnType {
                        column: column.clone(),
                        data_type: data_type.clone(),
                    },
                );
                self.with_column(&key, column, |c| c.data_type = data_type.clone());
            }
            Action::SetNotNull(column) => {
                self.event(
                    ctx,
                    &key,
                    span,
                    EventKind::SetNotNull {
                        column: column.clone(),
                    },
                );
                self.with_column(&key, column, |c| c.nullable = false);
            }
            Action::DropNotNull(column) => {
                self.event(
                    ctx,
                    &key,
                    span,
                    EventKind::DropNotNull {
                        column: column.clone(),
                    },
                );
                self.with_column(&key, column, |c| c.nullable = true);
            }
            Action::SetDefault(column) => {
                self.event(
                    ctx,
                    &key,
                    span,
                    EventKind::SetDefault {
                        column: column.clone(),
                    },
                );
                self.with_column(&key, column, |c| c.has_default = true);
            }
            Action::DropDefault(column) => {
                self.event(
                    ctx,
                    &key,
                    span,
                    EventKind::DropDefault {
                        column: column.clone(),
                    },
                );
                self.with_column(&key, column, |c| c.has_default = false);
            }
            Action::Redefine(spec) => {
                self.event(
                    ctx,
                    &key,
                    span,
                    EventKind::AlterColumnType {
                        column: spec.name.clone(),
                        data_type: spec.data_type.clone(),
                    },
                );
                let fact = column_fact(ctx, spec);
                self.with_column(&key, &spec.name, |c| {
                    c.data_type = fact.data_type.clone();
                    c.nullable = fact.nullable;
                    c.has_default = fact.has_default;
                });
            }
        }
    }

    fn fk_event(&mut self, ctx: &Ctx, key: &str, fk: &FkSpec) {
        self.event(
            ctx,
            key,
            fk.span,
            EventKind::AddForeignKey {
                name: fk.name.clone(),
                columns: fk.columns.clone(),
                referenced_table: fk.referenced.key(),
                not_valid: fk.not_valid,
            },
        );
    }

    fn with_column(&mut self, key: &str, column: &str, change: impl FnOnce(&mut Column)) {
        if let Some(c) = self
            .tables
            .get_mut(key)
            .and_then(|t| t.columns.iter_mut().find(|c| c.name == column))
        {
            change(c);
        }
    }

    fn promote_index(
        &mut self,
        ctx: &Ctx,
        key: &str,
        span: Span,
        name: &Option<String>,
        index: &str,
        primary: bool,
    ) {
        let columns = self
            .tables
            .get(key)
            .and_then(|t| {
                t.indexes.iter().find(|i| {
                    effective_index_name(self.dialect, key, i.name.as_deref(), &i.columns) == index
                })
            })
            .map(|i| i.columns.clone())
            .unwrap_or_default();
        let kind = if primary {
            EventKind::AddPrimaryKey {
                columns: columns.clone(),
            }
        } else {
            EventKind::AddUnique {
                name: name.clone(),
                columns: columns.clone(),
                using_index: true,
            }
        };
        self.event(ctx, key, span, kind);
        // The index becomes the constraint's own: keep one fact, not two.
        self.drop_index(key, index);
        let fact = KeyFact {
            name: name.clone(),
            columns,
            location: ctx.location(span),
        };
        if let Some(table) = self.tables.get_mut(key) {
            if primary {
                table.primary_key = Some(fact);
            } else {
                table.unique_constraints.push(fact);
            }
        }
    }

    fn drop_constraint(&mut self, key: &str, constraint: &str) {
        let Some(table) = self.tables.get_mut(key) else {
            return;
        };
        let bare = bare(key).to_string();
        table
            .foreign_keys
            .retain(|fk| fk_name(&bare, fk) != constraint);
        table.unique_constraints.retain(|k| {
            let default = format!("{bare}_{}_key", k.columns.join("_"));
            k.name.as_deref().unwrap_or(&default) != constraint
        });
        let pk_default = format!("{bare}_pkey");
        if table
            .primary_key
            .as_ref()
            .is_some_and(|k| k.name.as_deref().unwrap_or(&pk_default) == constraint)
        {
            table.primary_key = None;
        }
    }

    fn drop_column(&mut self, key: &str, column: &str) {
        let dialect = self.dialect;
        let mut dropped_indexes = Vec::new();
        if let Some(table) = self.tables.get_mut(key) {
            table.columns.retain(|c| c.name != column);
            let table_key = table.key.clone();
            table.indexes.retain(|i| {
                let keep = !i.columns.iter().any(|c| c == column);
                if !keep {
                    dropped_indexes.push(effective_index_name(
                        dialect,
                        &table_key,
                        i.name.as_deref(),
                        &i.columns,
                    ));
                }
                keep
            });
            table
                .foreign_keys
                .retain(|fk| !fk.columns.iter().any(|c| c == column));
            table
                .unique_constraints
                .retain(|k| !k.columns.iter().any(|c| c == column));
            if table
                .primary_key
                .as_ref()
                .is_some_and(|k| k.columns.iter().any(|c| c == column))
            {
                table.primary_key = None;
            }
        }
        for name in dropped_indexes {
            self.index_owner.remove(&name);
        }
        // Foreign keys elsewhere that referenced the column went with it (CASCADE).
        for other in self.tables.values_mut() {
            other.foreign_keys.retain(|fk| {
                !(fk.referenced_table == key && fk.referenced_columns.iter().any(|c| c == column))
            });
        }
    }

    fn rename_column(&mut self, key: &str, from: &str, to: &str) {
        let rename = |columns: &mut Vec<String>| {
            for c in columns.iter_mut() {
                if c == from {
                    *c = to.to_string();
                }
            }
        };
        if let Some(table) = self.tables.get_mut(key) {
            for column in &mut table.columns {
                if column.name == from {
                    column.name = to.to_string();
                    column.display_name = to.to_string();
                }
            }
            table
                .indexes
                .iter_mut()
                .for_each(|i| rename(&mut i.columns));
            table
                .foreign_keys
                .iter_mut()
                .for_each(|fk| rename(&mut fk.columns));
            table
                .unique_constraints
                .iter_mut()
                .chain(table.primary_key.iter_mut())
                .for_each(|k| rename(&mut k.columns));
        }
        for other in self.tables.values_mut() {
            for fk in &mut other.foreign_keys {
                if fk.referenced_table == key {
                    rename(&mut fk.referenced_columns);
                }
            }
        }
    }
}

fn bare(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// A foreign key's name, or the one Postgres gives it (`<table>_<columns>_fkey`).
fn fk_name(bare_table: &str, fk: &ForeignKeyFact) -> String {
    fk.name
        .clone()
        .unwrap_or_else(|| format!("{bare_table}_{}_fkey", fk.columns.join("_")))
}

/// An index's name, or the one the database gives it when created without one.
fn effective_index_name(
    dialect: SqlDialect,
    table: &str,
    name: Option<&str>,
    columns: &[String],
) -> String {
    match (name, dialect) {
        (Some(name), _) => name.to_string(),
        (None, SqlDialect::Mysql) => columns.first().cloned().unwrap_or_default(),
        (None, _) => format!("{}_{}_idx", bare(table), columns.join("_")),
    }
}

fn column_fact(ctx: &Ctx, spec: &ColumnSpec) -> Column {
    Column {
        name: spec.name.clone(),
        display_name: spec.display.clone(),
        data_type: spec.data_type.clone(),
        nullable: spec.nullable,
        has_default: spec.has_default,
        location: ctx.location(spec.span),
    }
}

fn key_fact(ctx: &Ctx, spec: &KeySpec) -> KeyFact {
    KeyFact {
        name: spec.name.clone(),
        columns: spec.columns.clone(),
        location: ctx.location(spec.span),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::model::schema::{EventKind, SchemaHistory};
    use crate::source::{SharedSource, SourceFile};
    use crate::sql::{load_sql, SqlDialect};

    fn files(list: &[(&str, &str)]) -> Vec<SharedSource> {
        list.iter()
            .map(|(path, text)| {
                Arc::new(SourceFile::new(
                    path.to_string(),
                    path.into(),
                    text.to_string(),
                ))
            })
            .collect()
    }

    fn replay(list: &[(&str, &str)]) -> SchemaHistory {
        replay_in(list, SqlDialect::Postgres)
    }

    fn replay_in(list: &[(&str, &str)], dialect: SqlDialect) -> SchemaHistory {
        let facts = load_sql(&files(list), Some(dialect));
        assert!(
            facts.parse_failures.is_empty(),
            "{:?}",
            facts.parse_failures
        );
        let mut histories = facts.schema.histories;
        assert_eq!(histories.len(), 1);
        histories.remove(0)
    }

    #[test]
    fn later_migrations_shape_the_final_schema() {
        let h = replay(&[
            ("migrations/1_users.sql", "CREATE TABLE public.users (id bigserial PRIMARY KEY, email text NOT NULL, nick text);"),
            ("migrations/2_orders.sql", "CREATE TABLE orders (id int PRIMARY KEY, user_id bigint REFERENCES users, note text);\nCREATE INDEX orders_note_idx ON orders (note);"),
            ("migrations/10_index.sql", "CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);\nALTER TABLE orders DROP COLUMN note;\nALTER TABLE users RENAME COLUMN id TO user_pk;"),
        ]);
        assert_eq!(
            h.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
            vec![
                "migrations/1_users.sql",
                "migrations/2_orders.sql",
                "migrations/10_index.sql"
            ]
        );
        let orders = &h.tables["orders"];
        let fk = &orders.foreign_keys[0];
        assert_eq!(fk.referenced_table, "users");
        // `REFERENCES users` means users' primary key, renamed since.
        assert_eq!(fk.referenced_columns, vec!["user_pk"]);
        assert!(orders.has_index_on(&["user_id".to_string()]));
        assert_eq!(
            orders.indexes.len(),
            1,
            "the index on the dropped column went with it"
        );
        assert!(orders.column("note").is_none());
        let users = &h.tables["users"];
        assert_eq!(
            users.primary_key.as_ref().map(|k| k.columns.clone()),
            Some(vec!["user_pk".to_string()])
        );
        assert_eq!(users.name, "public.users");
        assert_eq!(users.created_in_file, 0);
        assert!(users
            .column("email")
            .is_some_and(|c| !c.nullable && !c.has_default));
        assert!(users
            .column("user_pk")
            .is_some_and(|c| !c.nullable && c.has_default));
    }

    #[test]
    fn events_know_whether_the_table_existed_before_the_file() {
        let h = replay(&[
            ("migrations/1.sql", "CREATE TABLE t (id int);\nCREATE INDEX t_a ON t (id);"),
            ("migrations/2.sql", "CREATE INDEX t_b ON t (id);\nALTER TABLE t ADD COLUMN c int NOT NULL;\nALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES u (id) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT fk;\nALTER TABLE t ALTER COLUMN c TYPE bigint;\nCREATE INDEX x_a ON elsewhere (a);"),
        ]);
        let summary: Vec<(usize, &str, bool, bool)> = h
            .events
            .iter()
            .map(|e| (e.file, e.table.as_str(), e.known_table, e.existed_before))
            .collect();
        assert_eq!(
            summary,
            vec![
                (0, "t", false, false), // CREATE TABLE: not known before it ran
                (0, "t", true, false),
                (1, "t", true, true),
                (1, "t", true, true),
                (1, "t", true, true),
                (1, "t", true, true),
                (1, "t", true, true),
                (1, "elsewhere", false, true),
            ]
        );
        assert_eq!(h.events[0].kind, EventKind::CreateTable);
        assert!(
            matches!(&h.events[3].kind, EventKind::AddColumn { column, not_null: true, has_default: false, .. } if column == "c")
        );
        assert!(
            matches!(&h.events[4].kind, EventKind::AddForeignKey { not_valid: true, referenced_table, .. } if referenced_table == "u")
        );
        assert!(
            matches!(&h.events[6].kind, EventKind::AlterColumnType { data_type, .. } if data_type == "BIGINT")
        );
        assert!(!h.tables["t"].foreign_keys[0].not_valid, "validated later");
        assert_eq!(
            h.tables["t"].column("c").map(|c| c.data_type.as_str()),
            Some("BIGINT")
        );
        let add = &h.events[3];
        assert_eq!(add.location.file.slice(add.location.span), "c int NOT NULL");
    }

    #[test]
    fn renamed_tables_keep_their_facts_and_references() {
        let h = replay(&[
            ("migrations/1.sql", "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (a_id int REFERENCES a (id)); CREATE INDEX b_a ON b (a_id);"),
            ("migrations/2.sql", "ALTER TABLE a RENAME TO accounts; ALTER TABLE b RENAME TO bills; DROP INDEX b_a;"),
        ]);
        assert!(!h.tables.contains_key("a") && !h.tables.contains_key("b"));
        let bills = &h.tables["bills"];
        assert_eq!(bills.foreign_keys[0].referenced_table, "accounts");
        assert!(
            bills.indexes.is_empty(),
            "DROP INDEX found the index under the new table name"
        );
        assert_eq!(bills.created_in_file, 0);
        assert!(
            matches!(&h.events.last().map(|e| (&e.table, &e.kind)), Some((t, EventKind::DropIndex { .. })) if *t == "bills")
        );
    }

    #[test]
    fn constraints_are_added_dropped_and_promoted_by_name() {
        let h = replay(&[(
            "migrations/1.sql",
            "CREATE TABLE t (id int, a int, b int REFERENCES u, c int, UNIQUE (a));
             ALTER TABLE t ADD PRIMARY KEY (id);
             ALTER TABLE t DROP CONSTRAINT t_b_fkey;
             ALTER TABLE t DROP CONSTRAINT t_a_key;
             CREATE UNIQUE INDEX CONCURRENTLY t_c_uniq ON t (c);
             ALTER TABLE t ADD CONSTRAINT t_c_key UNIQUE USING INDEX t_c_uniq;
             CREATE INDEX ON t (a);
             DROP INDEX t_a_idx;",
        )]);
        let t = &h.tables["t"];
        assert!(t.foreign_keys.is_empty());
        assert!(t.column("id").is_some_and(|c| !c.nullable));
        assert_eq!(t.unique_constraints.len(), 1);
        assert_eq!(t.unique_constraints[0].columns, vec!["c"]);
        assert!(
            t.indexes.is_empty(),
            "the promoted index and the unnamed one are gone"
        );
        assert!(h.events.iter().any(|e| matches!(&e.kind, EventKind::AddUnique { using_index: true, columns, .. } if columns == &["c".to_string()])));
    }

    #[test]
    fn drops_remove_tables_and_their_references() {
        let h = replay(&[(
            "migrations/1.sql",
            "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (a_id int REFERENCES a); CREATE INDEX b_idx ON b (a_id);
             DROP TABLE IF EXISTS a, missing CASCADE;
             DROP TABLE b; CREATE TABLE b (x int); CREATE INDEX IF NOT EXISTS b_idx ON b (x);",
        )]);
        assert!(!h.tables.contains_key("a"));
        let b = &h.tables["b"];
        assert!(b.foreign_keys.is_empty());
        assert_eq!(b.indexes.len(), 1, "the old b_idx went with the old table");
        assert_eq!(b.indexes[0].columns, vec!["x"]);
    }

    #[test]
    fn mysql_forms() {
        let h = replay_in(
            &[
                ("db/migrations/001.sql", "CREATE TABLE `Users` (`Id` int NOT NULL AUTO_INCREMENT, `Email` varchar(100), PRIMARY KEY (`Id`), KEY `idx_email` (`Email`));"),
                ("db/migrations/002.sql", "ALTER TABLE users ADD INDEX idx_both (email, id), DROP INDEX idx_email, MODIFY COLUMN email varchar(200) NOT NULL;\nRENAME TABLE users TO members;\nDROP INDEX idx_both ON members;"),
            ],
            SqlDialect::Mysql,
        );
        let members = &h.tables["members"];
        assert!(members.indexes.is_empty());
        assert!(members
            .column("id")
            .is_some_and(|c| c.has_default && !c.nullable));
        assert!(members
            .column("email")
            .is_some_and(|c| !c.nullable && c.data_type == "VARCHAR(200)"));
    }

    #[test]
    fn unreadable_statements_mark_tables_incomplete() {
        let facts = load_sql(
            &files(&[(
                "migrations/1.sql",
                "CREATE TABLE t (id int);\nALTER TABLE t FROBNICATE everything;\nCREATE TABLE u (x int) WITH SOMETHING WEIRD (;\n",
            )]),
            None,
        );
        assert_eq!(facts.parse_failures.len(), 2);
        let h = &facts.schema.histories[0];
        assert_eq!(h.unparsed_statements, 2);
        assert!(!h.tables["t"].complete);
        assert!(!h.tables["u"].complete && h.tables["u"].columns.is_empty());
    }

    #[test]
    fn down_sections_are_not_replayed() {
        let h = replay(&[(
            "db/migrations/20200101_init.sql",
            "-- migrate:up\nCREATE TABLE t (id int);\n\n-- migrate:down\nDROP TABLE t;\n",
        )]);
        assert!(h.tables.contains_key("t"));
        assert_eq!(h.events.len(), 1);
    }
}
