//! Alembic migrations as a migration history: each revision's `upgrade()` operations
//! (`op.create_table`, `op.create_index`, `op.add_column`, ...) become the same schema
//! operations SQL migrations replay into, in revision order, so both the schema rules
//! and the migration-safety rules judge Python projects that keep no `.sql` files.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::orm::{column_type, flag};
use crate::model::code::{keyword_arg, last_segment, Arg, Call, CodeModel, Value};
use crate::model::schema::SchemaHistory;
use crate::source::{SharedSource, Span};
use crate::sql::ddl::{Action, ColumnSpec, FkSpec, IndexSpec, KeySpec, Op, TableDef, TableName};
use crate::sql::replay::Replayer;
use crate::sql::SqlDialect;

struct Revision {
    file: SharedSource,
    id: String,
    parents: Vec<String>,
    upgrade: Option<usize>,
}

fn string(value: &Value) -> Option<String> {
    match value {
        Value::Str(s) => Some(s.clone()),
        // `op.f("ix_users_email")`: a name used as given by the naming convention.
        Value::Call { callee, args } if last_segment(callee) == "f" => {
            args.first().and_then(|a| string(&a.value))
        }
        _ => None,
    }
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::List(items) => items.iter().filter_map(string).collect(),
        Value::Str(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The columns of `op.create_index`. An expression (`sa.text("end_time DESC")`,
/// `sa.func.lower(...)`) keeps its text rather than being dropped: dropped, the index
/// would look like one on its plain columns alone (or on none at all), which it is not.
/// A list held in a variable gives no columns: they are unknown.
fn index_columns(value: &Value, fold: impl Fn(&str) -> String) -> Vec<String> {
    let items = match value {
        Value::List(items) => items.as_slice(),
        Value::Str(_) => std::slice::from_ref(value),
        _ => return Vec::new(),
    };
    items
        .iter()
        .map(|item| match item {
            Value::Str(column) => fold(column),
            Value::Call { callee, args }
                if matches!(last_segment(callee), "text" | "literal_column") =>
            {
                match args.first().map(|a| &a.value) {
                    Some(Value::Str(sql)) => {
                        let sql = sql.trim();
                        if !sql.is_empty() && sql.chars().all(|c| c.is_alphanumeric() || c == '_') {
                            fold(sql)
                        } else {
                            sql.to_string()
                        }
                    }
                    _ => format!("{callee}(...)"),
                }
            }
            Value::Call { callee, .. } => format!("{callee}(...)"),
            _ => "(expression)".to_string(),
        })
        .collect()
}

fn keyword<'a>(args: &'a [Arg], name: &str) -> Option<&'a Value> {
    keyword_arg(args, name).map(|a| &a.value)
}

fn positional(args: &[Arg]) -> Vec<&Arg> {
    args.iter().filter(|a| a.keyword.is_none()).collect()
}

fn span(arg: &Arg) -> Span {
    arg.location.span
}

struct Translator {
    dialect: SqlDialect,
}

impl Translator {
    fn table(&self, name: &str) -> TableName {
        let parts: Vec<(&str, bool)> = name.split('.').map(|p| (p, false)).collect();
        TableName::from_parts(self.dialect, &parts)
    }

    fn fold(&self, name: &str) -> String {
        self.dialect.fold(name, false)
    }

    /// `sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False)`
    /// into the table definition.
    fn column(&self, arg: &Arg, def: &mut TableDef) {
        let Value::Call { callee, args } = &arg.value else {
            return;
        };
        if last_segment(callee) != "Column" {
            return self.constraint(arg, def);
        }
        let plain = positional(args);
        let Some(name) = plain.first().and_then(|a| string(&a.value)) else {
            return;
        };
        let folded = self.fold(&name);
        let data_type = column_type(args);
        let primary = flag(args, "primary_key");
        let not_null = matches!(keyword(args, "nullable"), Some(Value::Bool(false)));
        let has_default = keyword(args, "server_default").is_some();
        def.columns.push(ColumnSpec {
            name: folded.clone(),
            display: name.clone(),
            data_type,
            nullable: !(primary || not_null),
            has_default,
            default: None,
            span: span(arg),
        });
        if primary {
            match &mut def.primary_key {
                Some(key) => key.columns.push(folded.clone()),
                None => {
                    def.primary_key = Some(KeySpec {
                        name: None,
                        columns: vec![folded.clone()],
                        span: span(arg),
                    })
                }
            }
        }
        if flag(args, "unique") {
            def.uniques.push(KeySpec {
                name: None,
                columns: vec![folded.clone()],
                span: span(arg),
            });
        }
        if flag(args, "index") {
            def.indexes
                .push(self.index(None, vec![folded.clone()], false, span(arg)));
        }
        for fk in plain.iter().skip(1) {
            if let Value::Call { callee, args } = &fk.value {
                if last_segment(callee) == "ForeignKey" {
                    if let Some(target) = args.first().and_then(|a| string(&a.value)) {
                        def.foreign_keys.push(self.fk(
                            None,
                            vec![folded.clone()],
                            &target,
                            span(fk),
                        ));
                    }
                }
            }
        }
    }

    fn fk(&self, name: Option<String>, columns: Vec<String>, target: &str, at: Span) -> FkSpec {
        let (table, column) = target.rsplit_once('.').unwrap_or((target, ""));
        FkSpec {
            name,
            columns,
            referenced: self.table(table),
            referenced_columns: if column.is_empty() {
                Vec::new()
            } else {
                vec![self.fold(column)]
            },
            not_valid: false,
            span: at,
        }
    }

    fn index(
        &self,
        name: Option<String>,
        columns: Vec<String>,
        unique: bool,
        at: Span,
    ) -> IndexSpec {
        IndexSpec {
            name,
            columns,
            unique,
            concurrently: false,
            partial: false,
            special: false,
            not_null_predicate: None,
            span: at,
        }
    }

    /// Table-level constraints inside `op.create_table`.
    fn constraint(&self, arg: &Arg, def: &mut TableDef) {
        let Value::Call { callee, args } = &arg.value else {
            return;
        };
        let plain = positional(args);
        let name = keyword(args, "name").and_then(string);
        match last_segment(callee) {
            "PrimaryKeyConstraint" => {
                def.primary_key = Some(KeySpec {
                    name,
                    columns: plain
                        .iter()
                        .filter_map(|a| string(&a.value))
                        .map(|c| self.fold(&c))
                        .collect(),
                    span: span(arg),
                })
            }
            "UniqueConstraint" => def.uniques.push(KeySpec {
                name,
                columns: plain
                    .iter()
                    .filter_map(|a| string(&a.value))
                    .map(|c| self.fold(&c))
                    .collect(),
                span: span(arg),
            }),
            "ForeignKeyConstraint" => {
                let local: Vec<String> =
                    plain.first().map(|a| strings(&a.value)).unwrap_or_default();
                let remote: Vec<String> =
                    plain.get(1).map(|a| strings(&a.value)).unwrap_or_default();
                if let Some(first) = remote.first() {
                    // `fk` splits `schema.table.column` itself: passing it the table alone
                    // would take a schema for the table.
                    let mut fk = self.fk(
                        name,
                        local.iter().map(|c| self.fold(c)).collect(),
                        first,
                        span(arg),
                    );
                    fk.referenced_columns = remote
                        .iter()
                        .map(|r| self.fold(r.rsplit('.').next().unwrap_or(r)))
                        .collect();
                    def.foreign_keys.push(fk);
                }
            }
            _ => {}
        }
    }

    /// One call on the `batch_op` of `with op.batch_alter_table(table) as batch_op:`.
    /// Its methods are `op`'s without the table argument (`create_index(name, columns)`
    /// for `op.create_index(name, table, columns)`): put back, `ops` reads them.
    fn batch_ops(&self, call: &Call, table: &str) -> Vec<Op> {
        let position = match call.method() {
            "add_column" | "drop_column" | "alter_column" => 0,
            "create_index"
            | "create_foreign_key"
            | "create_unique_constraint"
            | "create_primary_key" => 1,
            "drop_index" => {
                let mut call = call.clone();
                call.args.push(Arg {
                    keyword: Some("table_name".to_string()),
                    value: Value::Str(table.to_string()),
                    location: call.location.clone(),
                });
                return self.ops(&call);
            }
            _ => return Vec::new(),
        };
        let table = Arg {
            keyword: None,
            value: Value::Str(table.to_string()),
            location: call.location.clone(),
        };
        let mut args: Vec<Arg> = Vec::with_capacity(call.args.len() + 1);
        let mut seen = 0;
        for arg in &call.args {
            if arg.keyword.is_none() {
                if seen == position {
                    args.push(table.clone());
                }
                seen += 1;
            }
            args.push(arg.clone());
        }
        if seen == position {
            args.push(table);
        }
        self.ops(&Call {
            args,
            ..call.clone()
        })
    }

    /// One `op.*` call of an `upgrade()`.
    fn ops(&self, call: &Call) -> Vec<Op> {
        let args = &call.args;
        let plain = positional(args);
        let text = |i: usize| plain.get(i).and_then(|a| string(&a.value));
        let at = call.location.span;
        match last_segment(&call.callee) {
            "create_table" => {
                let Some(name) = text(0) else {
                    return Vec::new();
                };
                let mut def = TableDef::default();
                for arg in plain.iter().skip(1) {
                    self.column(arg, &mut def);
                }
                vec![Op::CreateTable {
                    table: self.table(&name),
                    if_not_exists: false,
                    def,
                    complete: true,
                }]
            }
            "create_index" => {
                let (Some(name), Some(table)) = (text(0), text(1)) else {
                    return Vec::new();
                };
                let columns = plain
                    .get(2)
                    .map(|a| &a.value)
                    .or_else(|| keyword(args, "columns"))
                    .map(|v| index_columns(v, |c| self.fold(c)))
                    .unwrap_or_default();
                let mut index =
                    self.index(Some(self.fold(&name)), columns, flag(args, "unique"), at);
                index.concurrently = flag(args, "postgresql_concurrently");
                index.partial = keyword(args, "postgresql_where").is_some();
                index.special = keyword(args, "postgresql_using").is_some();
                vec![Op::CreateIndex {
                    table: self.table(&table),
                    index,
                    if_not_exists: flag(args, "if_not_exists"),
                }]
            }
            "drop_index" => match text(0) {
                Some(name) => vec![Op::DropIndex {
                    name: self.fold(&name),
                    table: keyword(args, "table_name")
                        .and_then(string)
                        .or_else(|| text(1))
                        .map(|t| self.table(&t)),
                    concurrently: false,
                }],
                None => Vec::new(),
            },
            "drop_table" => text(0).map_or_else(Vec::new, |t| {
                vec![Op::DropTable {
                    table: self.table(&t),
                }]
            }),
            "rename_table" => match (text(0), text(1)) {
                (Some(from), Some(to)) => vec![Op::RenameTable {
                    from: self.table(&from),
                    to: self.table(&to),
                }],
                _ => Vec::new(),
            },
            "add_column" => {
                let (Some(table), Some(column)) = (text(0), plain.get(1)) else {
                    return Vec::new();
                };
                let mut def = TableDef::default();
                self.column(column, &mut def);
                vec![Op::Alter {
                    table: self.table(&table),
                    action: Action::AddColumn(def),
                    span: span(column),
                }]
            }
            "drop_column" => match (text(0), text(1)) {
                (Some(table), Some(column)) => vec![Op::Alter {
                    table: self.table(&table),
                    action: Action::DropColumn(self.fold(&column)),
                    span: at,
                }],
                _ => Vec::new(),
            },
            "create_foreign_key" => {
                // create_foreign_key(name, source_table, referent_table, local_cols, remote_cols)
                let (Some(source), Some(referent)) = (text(1), text(2)) else {
                    return Vec::new();
                };
                let local: Vec<String> =
                    plain.get(3).map(|a| strings(&a.value)).unwrap_or_default();
                let remote: Vec<String> =
                    plain.get(4).map(|a| strings(&a.value)).unwrap_or_default();
                let mut fk = self.fk(
                    text(0),
                    local.iter().map(|c| self.fold(c)).collect(),
                    &referent,
                    at,
                );
                fk.referenced_columns = remote.iter().map(|c| self.fold(c)).collect();
                vec![Op::Alter {
                    table: self.table(&source),
                    action: Action::AddForeignKey(fk),
                    span: at,
                }]
            }
            "create_unique_constraint" | "create_primary_key" => {
                let Some(table) = text(1) else {
                    return Vec::new();
                };
                let key = KeySpec {
                    name: text(0),
                    columns: plain
                        .get(2)
                        .map(|a| strings(&a.value))
                        .unwrap_or_default()
                        .iter()
                        .map(|c| self.fold(c))
                        .collect(),
                    span: at,
                };
                let action = if last_segment(&call.callee) == "create_primary_key" {
                    Action::AddPrimaryKey(key)
                } else {
                    Action::AddUnique(key)
                };
                vec![Op::Alter {
                    table: self.table(&table),
                    action,
                    span: at,
                }]
            }
            "alter_column" => {
                let (Some(table), Some(column)) = (text(0), text(1)) else {
                    return Vec::new();
                };
                let table = self.table(&table);
                let column = self.fold(&column);
                let mut ops = Vec::new();
                if let Some(type_) = keyword(args, "type_") {
                    let data_type = match type_ {
                        Value::Name(n) => last_segment(n).to_ascii_uppercase(),
                        Value::Call { callee, .. } => last_segment(callee).to_ascii_uppercase(),
                        _ => String::new(),
                    };
                    ops.push(Op::Alter {
                        table: table.clone(),
                        action: Action::SetType {
                            column: column.clone(),
                            data_type,
                        },
                        span: at,
                    });
                }
                match keyword(args, "nullable") {
                    Some(Value::Bool(false)) => ops.push(Op::Alter {
                        table: table.clone(),
                        action: Action::SetNotNull(column.clone()),
                        span: at,
                    }),
                    Some(Value::Bool(true)) => ops.push(Op::Alter {
                        table: table.clone(),
                        action: Action::DropNotNull(column.clone()),
                        span: at,
                    }),
                    _ => {}
                }
                if let Some(new_name) = keyword(args, "new_column_name").and_then(string) {
                    ops.push(Op::Alter {
                        table,
                        action: Action::RenameColumn {
                            from: column,
                            to: self.fold(&new_name),
                        },
                        span: at,
                    });
                }
                ops
            }
            _ => Vec::new(),
        }
    }
}

/// The names `with op.batch_alter_table(table) as name:` binds in each function, with
/// where each binding starts and the table it stands for, in source order.
fn batch_tables(code: &CodeModel) -> BatchTables<'_> {
    let mut out = BatchTables::new();
    for a in &code.assignments {
        let (Some(f), Value::Call { callee, args }) = (a.function, &a.value) else {
            continue;
        };
        if last_segment(callee) != "batch_alter_table" {
            continue;
        }
        let table = positional(args)
            .first()
            .and_then(|arg| string(&arg.value))
            .or_else(|| keyword(args, "table_name").and_then(string));
        if let Some(table) = table {
            out.entry((f, a.target.as_str()))
                .or_default()
                .push((a.location.span.start, table));
        }
    }
    for bound in out.values_mut() {
        bound.sort_by_key(|(at, _)| *at);
    }
    out
}

/// One history per folder of revisions (a service may keep several: `core/versions`,
/// `tenant/versions`).
pub fn histories(code: &CodeModel, dialect: SqlDialect) -> Vec<SchemaHistory> {
    let mut dirs: Vec<&str> = code
        .assignments
        .iter()
        .filter(|a| a.function.is_none() && a.class.is_none() && a.target == "revision")
        .filter_map(|a| a.location.path().rsplit_once('/').map(|(d, _)| d))
        .filter(|d| d.split('/').any(|part| part == "versions"))
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    let batches = batch_tables(code);
    dirs.into_iter()
        .filter_map(|dir| {
            history(
                code,
                dialect_of_folder(dir).unwrap_or(dialect),
                dir,
                &batches,
            )
        })
        .collect()
}

/// A project supporting several databases keeps one revision folder per database
/// (`versions/sqlite`, `versions/postgresql`): the folder's name says which one its
/// revisions run on, whatever the project as a whole uses.
fn dialect_of_folder(dir: &str) -> Option<SqlDialect> {
    dir.split('/')
        .rev()
        .find_map(|part| match part.to_ascii_lowercase().as_str() {
            "sqlite" => Some(SqlDialect::Sqlite),
            "mysql" | "mariadb" => Some(SqlDialect::Mysql),
            "postgres" | "postgresql" => Some(SqlDialect::Postgres),
            "mssql" | "sqlserver" => Some(SqlDialect::Mssql),
            _ => None,
        })
}

/// The names `with op.batch_alter_table(...) as name:` binds, by function and name.
type BatchTables<'c> = HashMap<(usize, &'c str), Vec<(usize, String)>>;

fn history(
    code: &CodeModel,
    dialect: SqlDialect,
    dir: &str,
    batches: &BatchTables,
) -> Option<SchemaHistory> {
    // Revision files: `revision = "..."` and `down_revision = ...` at module level, in a
    // `versions/` folder.
    let mut revisions: BTreeMap<String, Revision> = BTreeMap::new();
    let mut ids_by_path: HashMap<&str, (Option<String>, Vec<String>)> = HashMap::new();
    for a in code
        .assignments
        .iter()
        .filter(|a| a.function.is_none() && a.class.is_none())
    {
        let path = a.location.path();
        if path.rsplit_once('/').map(|(d, _)| d) != Some(dir) {
            continue;
        }
        let entry = ids_by_path.entry(path).or_default();
        match a.target.as_str() {
            "revision" => entry.0 = string(&a.value),
            "down_revision" => entry.1 = strings(&a.value),
            _ => {}
        }
    }
    // The first module-level `upgrade` of each file.
    let mut upgrades: HashMap<&str, usize> = HashMap::new();
    for (i, f) in code.functions.iter().enumerate() {
        if f.name == "upgrade" && f.class.is_none() {
            upgrades.entry(f.location.path()).or_insert(i);
        }
    }
    for (path, (id, parents)) in ids_by_path {
        let (Some(id), Some(file)) = (id, code.file(path)) else {
            continue;
        };
        let upgrade = upgrades.get(path).copied();
        revisions.insert(
            id.clone(),
            Revision {
                file: file.source.clone(),
                id,
                parents,
                upgrade,
            },
        );
    }
    if revisions.is_empty() {
        return None;
    }
    // Kahn's order over the revision graph; among revisions ready at once, the first by
    // file path goes first, so the order is deterministic.
    let mut waiting: HashMap<&str, usize> = HashMap::new();
    let mut children: HashMap<&str, Vec<&Revision>> = HashMap::new();
    for r in revisions.values() {
        let known: Vec<&String> = r
            .parents
            .iter()
            .filter(|p| revisions.contains_key(*p))
            .collect();
        waiting.insert(r.id.as_str(), known.len());
        for parent in known {
            children.entry(parent.as_str()).or_default().push(r);
        }
    }
    let mut ready: BTreeSet<(&str, &str)> = revisions
        .values()
        .filter(|r| waiting.get(r.id.as_str()) == Some(&0))
        .map(|r| (r.file.path.as_str(), r.id.as_str()))
        .collect();
    let mut order: Vec<&Revision> = Vec::new();
    while let Some((_, id)) = ready.pop_first() {
        let Some(r) = revisions.get(id) else { continue };
        for child in children.get(id).map_or(&[][..], Vec::as_slice) {
            if let Some(n) = waiting.get_mut(child.id.as_str()) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    ready.insert((child.file.path.as_str(), child.id.as_str()));
                }
            }
        }
        order.push(r);
    }
    let translator = Translator { dialect };
    let mut replayer = Replayer::new(dialect, dir);
    // Each call with the table a batch operation works on (`None` for `op.*`).
    let mut calls_by_function: HashMap<usize, Vec<(&Call, Option<&str>)>> = HashMap::new();
    for call in &code.calls {
        let Some(f) = call.function else { continue };
        if !runs_on(call.guard.as_deref(), dialect) {
            continue;
        }
        if call.callee.starts_with("op.") {
            calls_by_function.entry(f).or_default().push((call, None));
        } else if let Some((receiver, _)) = call.callee.split_once('.') {
            // The latest `with op.batch_alter_table(...) as receiver` before the call.
            let table = batches.get(&(f, receiver)).and_then(|bound| {
                bound
                    .iter()
                    .rev()
                    .find(|(at, _)| *at < call.location.span.start)
                    .map(|(_, table)| table.as_str())
            });
            if table.is_some() {
                calls_by_function.entry(f).or_default().push((call, table));
            }
        }
    }
    for revision in order {
        let file_index = replayer.begin_file(revision.file.clone());
        let Some(calls) = revision.upgrade.and_then(|f| calls_by_function.get(&f)) else {
            continue;
        };
        let mut calls = calls.clone();
        calls.sort_by_key(|(c, _)| c.location.span.start);
        for (call, batch_table) in calls {
            let ops = match batch_table {
                Some(table) => translator.batch_ops(call, table),
                None => translator.ops(call),
            };
            if !ops.is_empty() {
                replayer.apply(file_index, call.location.span, &ops);
            }
        }
    }
    Some(replayer.finish())
}

/// Whether a migration step runs on `dialect`, given the branch it is in: revisions
/// for several databases branch on the connection (`if url.startswith("mysql"):`,
/// `if op.get_bind().dialect.name == "sqlite":`), and a step in another database's
/// branch never runs on this one. A negated or unrelated condition may hold on any.
fn runs_on(guard: Option<&str>, dialect: SqlDialect) -> bool {
    const NAMES: &[(&str, SqlDialect)] = &[
        ("postgres", SqlDialect::Postgres),
        ("psycopg", SqlDialect::Postgres),
        ("mysql", SqlDialect::Mysql),
        ("mariadb", SqlDialect::Mysql),
        ("sqlite", SqlDialect::Sqlite),
        ("mssql", SqlDialect::Mssql),
    ];
    let Some(guard) = guard else {
        return true;
    };
    let lower = guard.to_ascii_lowercase();
    let negated = lower.starts_with("not ")
        || [" not in ", "!=", " is not ", "is false"]
            .iter()
            .any(|n| lower.contains(n));
    if negated || dialect == SqlDialect::Generic {
        return true;
    }
    let named: Vec<SqlDialect> = NAMES
        .iter()
        .filter(|(name, _)| lower.contains(name))
        .map(|&(_, d)| d)
        .collect();
    named.is_empty() || named.contains(&dialect)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_runs_unless_its_branch_names_only_other_databases() {
        let pg = SqlDialect::Postgres;
        assert!(runs_on(None, pg));
        assert!(runs_on(Some("url.startswith(\"postgresql\")"), pg));
        assert!(runs_on(
            Some("bind.dialect.name in (\"postgresql\", \"sqlite\")"),
            pg
        ));
        assert!(!runs_on(Some("url.startswith(\"mysql\")"), pg));
        assert!(!runs_on(
            Some("op.get_bind().dialect.name == \"sqlite\""),
            pg
        ));
        assert!(runs_on(Some("not (url.startswith(\"mysql\"))"), pg));
        assert!(runs_on(Some("dialect != \"sqlite\""), pg));
        assert!(runs_on(
            Some("op.get_bind().dialect.name not in (\"sqlite\",)"),
            pg
        ));
        assert!(runs_on(Some("context.is_offline_mode()"), pg));
        assert!(runs_on(
            Some("url.startswith(\"mysql\")"),
            SqlDialect::Mysql
        ));
    }
}
