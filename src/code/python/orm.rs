//! SQLAlchemy and SQLModel declarative models as schema facts: a class with a
//! `__tablename__` is a table, its `Column`/`mapped_column`/`Field` attributes are
//! columns, keys, foreign keys and indexes. They form one schema history, so the schema
//! rules (`db/fk-without-index`, ...) judge projects that keep no `.sql` files. Django
//! models are left out: Django indexes every foreign key itself.

use std::collections::{BTreeMap, HashMap};

use crate::finding::Location;
use crate::model::code::{keyword_arg, last_segment, Arg, Assignment, CodeModel, Value};
use crate::model::schema::{Column, ForeignKeyFact, IndexFact, KeyFact, SchemaHistory, Table};
use crate::sql::SqlDialect;

/// The history's name in reports and `archlint schema`.
pub const MODELS_HISTORY: &str = "(SQLAlchemy models)";

fn is_column_call(callee: &str) -> bool {
    matches!(last_segment(callee), "Column" | "mapped_column" | "Field")
}

/// A keyword argument set to `True`: `primary_key=True`, `index=True`.
pub(super) fn flag(args: &[Arg], name: &str) -> bool {
    keyword_arg(args, name).is_some_and(|a| a.value.is_true())
}

/// `ForeignKey("users.id")` among a column's arguments, or SQLModel's
/// `Field(foreign_key="users.id")`: the target and where it is written.
fn foreign_key(args: &[Arg]) -> Option<(String, &Location)> {
    if let Some(arg) = keyword_arg(args, "foreign_key") {
        if let Value::Str(target) = &arg.value {
            return Some((target.clone(), &arg.location));
        }
    }
    args.iter().find_map(|a| match &a.value {
        Value::Call {
            callee,
            args: inner,
        } if last_segment(callee) == "ForeignKey" => {
            match inner.first().map(|i| &i.value) {
                Some(Value::Str(target)) => Some((target.clone(), &a.location)),
                // `ForeignKey(User.id)`: the class attribute names the column.
                Some(Value::Name(name)) => Some((name.clone(), &a.location)),
                _ => None,
            }
        }
        _ => None,
    })
}

/// The SQL type named by a column's type argument (`Integer`, `sa.Float()`), shared
/// with Alembic's `sa.Column`.
pub(super) fn column_type(args: &[Arg]) -> String {
    args.iter()
        .filter(|a| a.keyword.is_none())
        .find_map(|a| match &a.value {
            Value::Name(name) => Some(last_segment(name).to_ascii_uppercase()),
            Value::Call { callee, .. } if last_segment(callee) != "ForeignKey" => {
                Some(last_segment(callee).to_ascii_uppercase())
            }
            _ => None,
        })
        .unwrap_or_default()
}

fn names_in(args: &[Arg]) -> Vec<String> {
    args.iter()
        .filter(|a| a.keyword.is_none())
        .filter_map(|a| match &a.value {
            Value::Str(s) => Some(s.to_lowercase()),
            Value::Name(n) => Some(last_segment(n).to_lowercase()),
            _ => None,
        })
        .collect()
}

struct ModelClass<'a> {
    table: String,
    tablename_at: &'a Assignment,
    attributes: Vec<&'a Assignment>,
    table_args: Option<&'a Assignment>,
}

/// The table a `ForeignKey` target names: `users.id` → (`users`, `id`); a class
/// attribute `User.id` → the class's table.
fn fk_target(target: &str, tables_by_class: &BTreeMap<&str, String>) -> (String, Vec<String>) {
    match target.rsplit_once('.') {
        Some((table, column)) => {
            let table = tables_by_class
                .get(table)
                .cloned()
                .unwrap_or_else(|| table.to_lowercase());
            (table, vec![column.to_lowercase()])
        }
        None => (target.to_lowercase(), Vec::new()),
    }
}

pub fn schema(code: &CodeModel, dialect: SqlDialect) -> Option<SchemaHistory> {
    // Group class-level assignments by (file, class).
    let mut classes: BTreeMap<(&str, &str), Vec<&Assignment>> = BTreeMap::new();
    for a in code.assignments.iter().filter(|a| a.function.is_none()) {
        // Models in test code describe a test's database, not the service's.
        if let Some(class) = a.class.as_ref().filter(|_| {
            !crate::code::embedded_sql::is_migration_path(a.location.path())
                && !super::is_test_path(a.location.path())
        }) {
            classes
                .entry((a.location.path(), class.as_str()))
                .or_default()
                .push(a);
        }
    }
    let mut models: Vec<(&str, ModelClass)> = Vec::new();
    for ((_, class), attributes) in &classes {
        let Some(tablename_at) = attributes.iter().find(|a| a.target == "__tablename__") else {
            continue;
        };
        let Value::Str(table) = &tablename_at.value else {
            continue;
        };
        models.push((
            class,
            ModelClass {
                table: table.to_lowercase(),
                tablename_at,
                attributes: attributes.clone(),
                table_args: attributes
                    .iter()
                    .find(|a| a.target == "__table_args__")
                    .copied(),
            },
        ));
    }
    if models.is_empty() {
        return None;
    }
    let tables_by_class: BTreeMap<&str, String> =
        models.iter().map(|(c, m)| (*c, m.table.clone())).collect();

    let mut files: Vec<crate::source::SharedSource> = Vec::new();
    let mut file_indices: HashMap<&str, usize> = HashMap::new();
    let mut tables = BTreeMap::new();
    for (_, model) in &models {
        let file = &model.tablename_at.location.file;
        let file_index = *file_indices.entry(file.path.as_str()).or_insert_with(|| {
            files.push(file.clone());
            files.len() - 1
        });
        let mut table = Table {
            key: model.table.clone(),
            name: model.table.clone(),
            created: model.tablename_at.location.clone(),
            created_in_file: file_index,
            columns: Vec::new(),
            primary_key: None,
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            unique_constraints: Vec::new(),
            complete: true,
        };
        let mut primary = Vec::new();
        for a in &model.attributes {
            let Value::Call { callee, args } = &a.value else {
                continue;
            };
            if !is_column_call(callee) {
                continue;
            }
            // `Column("user_id", Integer, ...)` names the column; else the attribute does.
            let name = match args.first().map(|f| (&f.keyword, &f.value)) {
                Some((None, Value::Str(s))) => s.to_lowercase(),
                _ => a.target.to_lowercase(),
            };
            let is_pk = flag(args, "primary_key");
            table.columns.push(Column {
                name: name.clone(),
                display_name: name.clone(),
                data_type: column_type(args),
                nullable: !is_pk
                    && !matches!(
                        keyword_arg(args, "nullable").map(|n| &n.value),
                        Some(Value::Bool(false))
                    ),
                has_default: keyword_arg(args, "default").is_some()
                    || keyword_arg(args, "server_default").is_some(),
                location: a.location.clone(),
            });
            if is_pk {
                primary.push(name.clone());
            }
            if flag(args, "index") || flag(args, "unique") {
                // SQLAlchemy's default naming: `ix_<table>_<column>`.
                table.indexes.push(IndexFact {
                    name: Some(format!("ix_{}_{name}", model.table)),
                    columns: vec![name.clone()],
                    unique: flag(args, "unique"),
                    concurrently: false,
                    partial: false,
                    special: false,
                    not_null_predicate: None,
                    location: a.location.clone(),
                });
            }
            if let Some((target, at)) = foreign_key(args) {
                let (referenced_table, referenced_columns) = fk_target(&target, &tables_by_class);
                table.foreign_keys.push(ForeignKeyFact {
                    name: None,
                    columns: vec![name.clone()],
                    referenced_table,
                    referenced_columns,
                    not_valid: false,
                    location: at.clone(),
                });
            }
        }
        if !primary.is_empty() {
            table.primary_key = Some(KeyFact {
                name: None,
                columns: primary,
                location: model.tablename_at.location.clone(),
            });
        }
        if let Some(Value::List(items)) = model.table_args.map(|a| &a.value) {
            for item in items {
                let Value::Call { callee, args } = item else {
                    continue;
                };
                let location = model
                    .table_args
                    .map_or(table.created.clone(), |a| a.value_location.clone());
                match last_segment(callee) {
                    "Index" => {
                        let mut columns = names_in(args);
                        let name = (!columns.is_empty()).then(|| columns.remove(0));
                        table.indexes.push(IndexFact {
                            name,
                            columns,
                            unique: flag(args, "unique"),
                            concurrently: false,
                            partial: keyword_arg(args, "postgresql_where").is_some(),
                            special: keyword_arg(args, "postgresql_using").is_some(),
                            not_null_predicate: None,
                            location,
                        });
                    }
                    "UniqueConstraint" => table.unique_constraints.push(KeyFact {
                        name: None,
                        columns: names_in(args),
                        location,
                    }),
                    "PrimaryKeyConstraint" => {
                        table.primary_key = Some(KeyFact {
                            name: None,
                            columns: names_in(args),
                            location,
                        })
                    }
                    _ => {}
                }
            }
        }
        tables.insert(table.key.clone(), table);
    }
    Some(SchemaHistory {
        dir: MODELS_HISTORY.to_string(),
        dialect,
        files,
        tables,
        events: Vec::new(),
        unparsed_statements: 0,
    })
}
