//! Migration statements as schema operations: a pure translation of one parsed statement,
//! with names folded and spans resolved, that the replay then applies in order. Keeping
//! the translation apart from the replay lets files be translated in parallel and their
//! syntax trees dropped early.

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnDef, ColumnOption, ColumnOptionDef, Expr,
    FunctionArg, FunctionArgExpr, FunctionArguments, Ident, IndexColumn, ObjectName, ObjectType,
    RenameTableNameKind, Spanned, Statement, TableConstraint, Value,
};
use sqlparser::tokenizer::Token;

use crate::source::Span;

use super::dialect::SqlDialect;
use super::text::{head_tokens, qualified_name, Prepared, StatementText};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableName {
    /// Folded; `None` for the default schema.
    pub schema: Option<String>,
    /// Folded.
    pub name: String,
    /// As written, quotes removed.
    pub display: String,
}

impl TableName {
    pub fn from_parts(dialect: SqlDialect, parts: &[(&str, bool)]) -> TableName {
        let key = dialect.table_key(parts.iter().copied());
        let display = parts.iter().map(|(v, _)| *v).collect::<Vec<_>>().join(".");
        // The key already dropped the default schema; what remains before the last part
        // is the schema.
        let last_len = parts.last().map_or(0, |(v, q)| dialect.fold(v, *q).len());
        let split = key.len().saturating_sub(last_len);
        let (schema, name) = match key.get(..split).and_then(|s| s.strip_suffix('.')) {
            Some(schema) if !schema.is_empty() => (
                Some(schema.to_string()),
                key.get(split..).unwrap_or("").to_string(),
            ),
            _ => (None, key.clone()),
        };
        TableName {
            schema,
            name,
            display,
        }
    }

    pub fn key(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{schema}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ColumnSpec {
    pub name: String,
    pub display: String,
    pub data_type: String,
    pub nullable: bool,
    pub has_default: bool,
    pub default: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeySpec {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FkSpec {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referenced: TableName,
    pub referenced_columns: Vec<String>,
    pub not_valid: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexSpec {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub unique: bool,
    pub concurrently: bool,
    pub partial: bool,
    /// Not a plain b-tree on the columns: another method (`USING gin`), an operator
    /// class, or `INCLUDE` columns.
    pub special: bool,
    /// For a partial index whose predicate only requires columns to be non-null
    /// (`WHERE a IS NOT NULL AND b IS NOT NULL`): those columns.
    pub not_null_predicate: Option<Vec<String>>,
    pub span: Span,
}

/// Columns and constraints, as written in `CREATE TABLE` or one `ADD COLUMN`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TableDef {
    pub columns: Vec<ColumnSpec>,
    pub primary_key: Option<KeySpec>,
    pub foreign_keys: Vec<FkSpec>,
    pub uniques: Vec<KeySpec>,
    pub indexes: Vec<IndexSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    CreateTable {
        table: TableName,
        if_not_exists: bool,
        def: TableDef,
        /// False for `CREATE TABLE … AS`/`LIKE`/`CLONE`: the columns are not written out.
        complete: bool,
    },
    CreateIndex {
        table: TableName,
        index: IndexSpec,
        if_not_exists: bool,
    },
    Alter {
        table: TableName,
        action: Action,
        /// The part of the statement this action is about.
        span: Span,
    },
    DropTable {
        table: TableName,
    },
    DropIndex {
        name: String,
        /// MySQL's `DROP INDEX x ON t`.
        table: Option<TableName>,
        concurrently: bool,
    },
    RenameTable {
        from: TableName,
        to: TableName,
    },
    /// A statement sqlparser rejected that names a table: its facts may be incomplete.
    Unreadable {
        table: TableName,
        creates: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    AddColumn(TableDef),
    DropColumn(String),
    RenameColumn {
        from: String,
        to: String,
    },
    RenameTo(TableName),
    AddPrimaryKey(KeySpec),
    AddForeignKey(FkSpec),
    AddUnique(KeySpec),
    AddIndex(IndexSpec),
    /// `ADD CONSTRAINT c UNIQUE USING INDEX i` / `PRIMARY KEY USING INDEX i`.
    PromoteIndex {
        name: Option<String>,
        index: String,
        primary: bool,
    },
    AddCheck {
        name: Option<String>,
        not_valid: bool,
    },
    DropConstraint(String),
    DropPrimaryKey,
    DropIndex(String),
    ValidateConstraint(String),
    RenameConstraint {
        from: String,
        to: String,
    },
    SetType {
        column: String,
        data_type: String,
    },
    SetNotNull(String),
    DropNotNull(String),
    SetDefault(String),
    DropDefault(String),
    /// MySQL `MODIFY`/`CHANGE`: the column is defined anew.
    Redefine(ColumnSpec),
}

enum Constraint {
    PrimaryKey(KeySpec),
    ForeignKey(FkSpec),
    Unique(KeySpec),
    Index(IndexSpec),
    Check(Option<String>),
    Promote {
        name: Option<String>,
        index: String,
        primary: bool,
    },
}

const SERIAL_TYPES: &[&str] = &[
    "SERIAL",
    "BIGSERIAL",
    "SMALLSERIAL",
    "SERIAL2",
    "SERIAL4",
    "SERIAL8",
];

const CONSTRAINT_KEYWORDS: &[&str] = &[
    "CONSTRAINT",
    "FOREIGN",
    "PRIMARY",
    "UNIQUE",
    "KEY",
    "INDEX",
    "FULLTEXT",
    "SPATIAL",
];

/// The operations one parsed statement performs on the schema.
pub(crate) fn ops(
    statement: &Statement,
    dialect: SqlDialect,
    text: &StatementText,
    prepared: Prepared,
) -> Vec<Op> {
    Translator { dialect, text }.statement(statement, prepared)
}

/// What can still be learned from a statement sqlparser rejected: which table it
/// creates or changes, so the replay knows that table's facts may be incomplete.
pub(crate) fn unreadable_ops(text: &str, dialect: SqlDialect) -> Vec<Op> {
    let tokens = head_tokens(text, 24);
    let word = |i: usize, w: &str| tokens.get(i).is_some_and(|t| t.is_word(w));
    let name_at = |i: usize| -> Option<TableName> {
        let (parts, _) = qualified_name(&tokens, i)?;
        Some(TableName::from_parts(dialect, &parts))
    };
    let skip = |mut i: usize, words: &[&str]| {
        while words.iter().any(|w| word(i, w)) {
            i += 1;
        }
        i
    };
    let op = |table: Option<TableName>, creates: bool| {
        table.map(|table| Op::Unreadable { table, creates })
    };
    let found = if word(0, "CREATE") {
        let at = skip(
            1,
            &[
                "OR",
                "REPLACE",
                "GLOBAL",
                "LOCAL",
                "TEMP",
                "TEMPORARY",
                "UNLOGGED",
            ],
        );
        if word(at, "TABLE") {
            let at = if word(at + 1, "IF") { at + 4 } else { at + 1 };
            op(name_at(at), true)
        } else if word(at, "INDEX") || (word(at, "UNIQUE") && word(at + 1, "INDEX")) {
            let on = (at..tokens.len()).find(|&i| word(i, "ON"));
            on.and_then(|on| op(name_at(skip(on + 1, &["ONLY"])), false))
        } else {
            None
        }
    } else if word(0, "ALTER") && word(1, "TABLE") {
        let at = skip(2, &["IF", "EXISTS", "ONLY"]);
        op(name_at(at), false)
    } else {
        None
    };
    found.into_iter().collect()
}

struct Translator<'a, 'b> {
    dialect: SqlDialect,
    text: &'a StatementText<'b>,
}

impl Translator<'_, '_> {
    fn ident(&self, ident: &Ident) -> String {
        self.dialect.fold(&ident.value, ident.quote_style.is_some())
    }

    fn table_name(&self, name: &ObjectName) -> TableName {
        let parts: Vec<(&str, bool)> = name
            .0
            .iter()
            .filter_map(|p| p.as_ident())
            .map(|i| (i.value.as_str(), i.quote_style.is_some()))
            .collect();
        TableName::from_parts(self.dialect, &parts)
    }

    /// Index names are keyed without their schema: Postgres requires them to be unique
    /// per schema and migrations rarely repeat one across schemas.
    fn index_name(&self, name: &ObjectName) -> String {
        name.0
            .iter()
            .filter_map(|p| p.as_ident())
            .next_back()
            .map(|i| self.ident(i))
            .unwrap_or_default()
    }

    /// A key or index column: a folded name, or the expression's text.
    fn key_column(&self, expr: &Expr) -> String {
        match expr {
            Expr::Identifier(ident) => self.ident(ident),
            Expr::CompoundIdentifier(parts) => {
                parts.last().map(|i| self.ident(i)).unwrap_or_default()
            }
            // MySQL's prefix index `name(10)` parses as a call; it indexes the column.
            Expr::Function(f) if self.dialect == SqlDialect::Mysql && is_prefix_length(&f.args) => {
                self.index_name(&f.name)
            }
            other => other.to_string(),
        }
    }

    /// The columns a predicate made only of `col IS NOT NULL` conjuncts requires.
    fn not_null_columns(&self, predicate: &Expr) -> Option<Vec<String>> {
        match predicate {
            Expr::IsNotNull(inner) => match inner.as_ref() {
                Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
                    Some(vec![self.key_column(inner)])
                }
                _ => None,
            },
            Expr::BinaryOp {
                left,
                op: sqlparser::ast::BinaryOperator::And,
                right,
            } => {
                let mut columns = self.not_null_columns(left)?;
                columns.extend(self.not_null_columns(right)?);
                Some(columns)
            }
            Expr::Nested(inner) => self.not_null_columns(inner),
            _ => None,
        }
    }

    fn index_columns(&self, columns: &[IndexColumn]) -> Vec<String> {
        columns
            .iter()
            .map(|c| self.key_column(&c.column.expr))
            .collect()
    }

    fn idents(&self, idents: &[Ident]) -> Vec<String> {
        idents.iter().map(|i| self.ident(i)).collect()
    }

    fn statement_span(&self) -> Span {
        self.text.span()
    }

    /// From an identifier back to the keywords opening its clause and on to the end of
    /// the list item: `ALTER COLUMN a SET NOT NULL`, `DROP COLUMN IF EXISTS a`.
    fn clause_span(&self, anchor: sqlparser::tokenizer::Span, keywords: &[&str]) -> Span {
        match self.text.range(anchor) {
            Some((start, _)) => {
                let start = self.text.keyword_start(start, keywords);
                self.text.absolute(start, self.text.item_end(start))
            }
            None => self.statement_span(),
        }
    }

    fn column_span(&self, def: &ColumnDef) -> Span {
        self.clause_span(def.name.span, &[])
    }

    fn constraint_span(&self, constraint: &impl Spanned) -> Span {
        self.clause_span(constraint.span(), CONSTRAINT_KEYWORDS)
    }

    /// An inline `[CONSTRAINT n] REFERENCES t (c) [ON DELETE …]`.
    fn references_span(&self, option: &ColumnOptionDef) -> Span {
        let Some((start, end)) = self.text.range(option.option.span()) else {
            return self.statement_span();
        };
        let mut start = self.text.keyword_start(start, &["REFERENCES"]);
        if let Some((name_start, _)) = option.name.as_ref().and_then(|n| self.text.range(n.span)) {
            start = self
                .text
                .keyword_start(name_start.min(start), &["CONSTRAINT"]);
        }
        let has_columns = matches!(&option.option, ColumnOption::ForeignKey(fk) if !fk.referred_columns.is_empty());
        self.text
            .absolute(start, self.text.references_end(end, has_columns))
    }

    fn statement(&self, statement: &Statement, prepared: Prepared) -> Vec<Op> {
        match statement {
            // A temporary table lives for one session: not part of the schema.
            Statement::CreateTable(ct) if ct.temporary => Vec::new(),
            Statement::CreateTable(ct) => {
                let mut def = TableDef::default();
                for column in &ct.columns {
                    self.column(column, &mut def);
                }
                for constraint in &ct.constraints {
                    match self.constraint(constraint, false) {
                        Some(Constraint::PrimaryKey(key)) => {
                            for column in &mut def.columns {
                                if key.columns.contains(&column.name) {
                                    column.nullable = false;
                                }
                            }
                            def.primary_key = Some(key);
                        }
                        Some(Constraint::ForeignKey(fk)) => def.foreign_keys.push(fk),
                        Some(Constraint::Unique(key)) => def.uniques.push(key),
                        Some(Constraint::Index(index)) => def.indexes.push(index),
                        Some(Constraint::Check(_) | Constraint::Promote { .. }) | None => {}
                    }
                }
                // A partition or child table takes keys and columns from its parent.
                let complete = ct.query.is_none()
                    && ct.like.is_none()
                    && ct.clone.is_none()
                    && ct.partition_of.is_none()
                    && ct.inherits.is_none();
                vec![Op::CreateTable {
                    table: self.table_name(&ct.name),
                    if_not_exists: ct.if_not_exists,
                    def,
                    complete,
                }]
            }
            Statement::CreateIndex(ci) => vec![Op::CreateIndex {
                table: self.table_name(&ci.table_name),
                index: IndexSpec {
                    name: ci.name.as_ref().map(|n| self.index_name(n)),
                    columns: self.index_columns(&ci.columns),
                    unique: ci.unique,
                    concurrently: ci.concurrently,
                    partial: ci.predicate.is_some(),
                    special: ci
                        .using
                        .as_ref()
                        .is_some_and(|u| !u.to_string().eq_ignore_ascii_case("btree"))
                        || ci.columns.iter().any(|c| c.operator_class.is_some())
                        || !ci.include.is_empty(),
                    not_null_predicate: ci
                        .predicate
                        .as_ref()
                        .and_then(|p| self.not_null_columns(p)),
                    span: self.statement_span(),
                },
                if_not_exists: ci.if_not_exists,
            }],
            Statement::AlterTable(at) => {
                let table = self.table_name(&at.name);
                at.operations
                    .iter()
                    .flat_map(|operation| self.alter(operation, &table))
                    .map(|(action, span)| Op::Alter {
                        table: table.clone(),
                        action,
                        span,
                    })
                    .collect()
            }
            Statement::Drop {
                object_type: ObjectType::Table,
                names,
                ..
            } => names
                .iter()
                .map(|n| Op::DropTable {
                    table: self.table_name(n),
                })
                .collect(),
            Statement::Drop {
                object_type: ObjectType::Index,
                names,
                table,
                ..
            } => names
                .iter()
                .map(|n| Op::DropIndex {
                    name: self.index_name(n),
                    table: table.as_ref().map(|t| self.table_name(t)),
                    concurrently: prepared.drop_index_concurrently,
                })
                .collect(),
            Statement::RenameTable(renames) => renames
                .iter()
                .map(|r| Op::RenameTable {
                    from: self.table_name(&r.old_name),
                    to: self.table_name(&r.new_name),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn column(&self, def: &ColumnDef, into: &mut TableDef) {
        let name = self.ident(&def.name);
        let span = self.column_span(def);
        let data_type = def.data_type.to_string().to_uppercase();
        let serial = SERIAL_TYPES.contains(&data_type.as_str());
        let mut column = ColumnSpec {
            name: name.clone(),
            display: def.name.value.clone(),
            data_type,
            nullable: !serial,
            has_default: serial,
            default: None,
            span,
        };
        let option_name = |o: &ColumnOptionDef, fallback: &Option<Ident>| {
            o.name.as_ref().or(fallback.as_ref()).map(|n| self.ident(n))
        };
        for option in &def.options {
            match &option.option {
                ColumnOption::Null => column.nullable = true,
                ColumnOption::NotNull => column.nullable = false,
                ColumnOption::Default(expr) => {
                    column.has_default = true;
                    column.default = Some(expr.to_string());
                }
                ColumnOption::PrimaryKey(pk) => {
                    column.nullable = false;
                    // sqlite's `INTEGER PRIMARY KEY` is the rowid: the database fills it.
                    if self.dialect == SqlDialect::Sqlite && column.data_type == "INTEGER" {
                        column.has_default = true;
                    }
                    into.primary_key = Some(KeySpec {
                        name: option_name(option, &pk.name),
                        columns: vec![name.clone()],
                        span,
                    });
                }
                ColumnOption::Unique(unique) => into.uniques.push(KeySpec {
                    name: option_name(option, &unique.name),
                    columns: vec![name.clone()],
                    span,
                }),
                ColumnOption::ForeignKey(fk) => into.foreign_keys.push(FkSpec {
                    name: option_name(option, &fk.name),
                    columns: vec![name.clone()],
                    referenced: self.table_name(&fk.foreign_table),
                    referenced_columns: self.idents(&fk.referred_columns),
                    not_valid: false,
                    span: self.references_span(option),
                }),
                ColumnOption::Generated { .. } | ColumnOption::Identity(_) => {
                    column.has_default = true;
                }
                ColumnOption::DialectSpecific(tokens) => {
                    let auto = tokens.iter().any(|t| match t {
                        Token::Word(w) => {
                            w.value.eq_ignore_ascii_case("AUTO_INCREMENT")
                                || w.value.eq_ignore_ascii_case("AUTOINCREMENT")
                        }
                        _ => false,
                    });
                    column.has_default |= auto;
                }
                _ => {}
            }
        }
        into.columns.push(column);
    }

    fn constraint(&self, constraint: &TableConstraint, not_valid: bool) -> Option<Constraint> {
        let name = |n: &Option<Ident>| n.as_ref().map(|n| self.ident(n));
        Some(match constraint {
            TableConstraint::PrimaryKey(pk) => Constraint::PrimaryKey(KeySpec {
                name: name(&pk.name),
                columns: self.index_columns(&pk.columns),
                span: self.constraint_span(pk),
            }),
            TableConstraint::Unique(unique) => Constraint::Unique(KeySpec {
                name: name(&unique.name).or_else(|| name(&unique.index_name)),
                columns: self.index_columns(&unique.columns),
                span: self.constraint_span(unique),
            }),
            TableConstraint::ForeignKey(fk) => Constraint::ForeignKey(FkSpec {
                name: name(&fk.name),
                columns: self.idents(&fk.columns),
                referenced: self.table_name(&fk.foreign_table),
                referenced_columns: self.idents(&fk.referred_columns),
                not_valid,
                span: self.constraint_span(fk),
            }),
            TableConstraint::Index(index) => Constraint::Index(IndexSpec {
                name: name(&index.name),
                columns: self.index_columns(&index.columns),
                unique: false,
                concurrently: false,
                partial: false,
                special: false,
                not_null_predicate: None,
                span: self.constraint_span(index),
            }),
            TableConstraint::FulltextOrSpatial(index) => Constraint::Index(IndexSpec {
                name: name(&index.opt_index_name),
                columns: self.index_columns(&index.columns),
                unique: false,
                concurrently: false,
                partial: false,
                special: false,
                not_null_predicate: None,
                span: self.constraint_span(index),
            }),
            TableConstraint::Check(check) => Constraint::Check(name(&check.name)),
            TableConstraint::PrimaryKeyUsingIndex(c) | TableConstraint::UniqueUsingIndex(c) => {
                Constraint::Promote {
                    name: name(&c.name),
                    index: self.ident(&c.index_name),
                    primary: matches!(constraint, TableConstraint::PrimaryKeyUsingIndex(_)),
                }
            }
            TableConstraint::Exclude(_) => return None,
        })
    }

    fn redefined(
        &self,
        name: &Ident,
        data_type: &sqlparser::ast::DataType,
        options: &[ColumnOption],
    ) -> ColumnSpec {
        let def = ColumnDef {
            name: name.clone(),
            data_type: data_type.clone(),
            options: options
                .iter()
                .map(|o| ColumnOptionDef {
                    name: None,
                    option: o.clone(),
                })
                .collect(),
        };
        let mut scratch = TableDef::default();
        self.column(&def, &mut scratch);
        scratch.columns.pop().unwrap_or(ColumnSpec {
            name: self.ident(name),
            display: name.value.clone(),
            data_type: data_type.to_string().to_uppercase(),
            nullable: true,
            has_default: false,
            default: None,
            span: self.statement_span(),
        })
    }

    fn alter(&self, operation: &AlterTableOperation, table: &TableName) -> Vec<(Action, Span)> {
        let statement = self.statement_span();
        let column_clause =
            |ident: &Ident| self.clause_span(ident.span, &["ALTER", "MODIFY", "CHANGE", "COLUMN"]);
        match operation {
            AlterTableOperation::AddConstraint {
                constraint,
                not_valid,
            } => {
                let span = self.constraint_span(constraint);
                let action = match self.constraint(constraint, *not_valid) {
                    Some(Constraint::PrimaryKey(key)) => Action::AddPrimaryKey(key),
                    Some(Constraint::ForeignKey(fk)) => Action::AddForeignKey(fk),
                    Some(Constraint::Unique(key)) => Action::AddUnique(key),
                    Some(Constraint::Index(index)) => Action::AddIndex(index),
                    Some(Constraint::Check(name)) => Action::AddCheck {
                        name,
                        not_valid: *not_valid,
                    },
                    Some(Constraint::Promote {
                        name,
                        index,
                        primary,
                    }) => Action::PromoteIndex {
                        name,
                        index,
                        primary,
                    },
                    None => return Vec::new(),
                };
                vec![(action, span)]
            }
            AlterTableOperation::AddColumn { column_def, .. } => {
                let mut def = TableDef::default();
                self.column(column_def, &mut def);
                let span = def.columns.first().map_or(statement, |c| c.span);
                vec![(Action::AddColumn(def), span)]
            }
            AlterTableOperation::DropColumn { column_names, .. } => column_names
                .iter()
                .map(|c| {
                    let span = self.clause_span(c.span, &["DROP", "COLUMN", "IF", "EXISTS"]);
                    (Action::DropColumn(self.ident(c)), span)
                })
                .collect(),
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => vec![(
                Action::RenameColumn {
                    from: self.ident(old_column_name),
                    to: self.ident(new_column_name),
                },
                self.clause_span(old_column_name.span, &["RENAME", "COLUMN"]),
            )],
            AlterTableOperation::RenameTable { table_name } => {
                let (RenameTableNameKind::As(name) | RenameTableNameKind::To(name)) = table_name;
                let mut to = self.table_name(name);
                // An unqualified new name stays in the table's schema.
                if name.0.len() == 1 && to.schema.is_none() {
                    to.schema = table.schema.clone();
                }
                vec![(Action::RenameTo(to), statement)]
            }
            AlterTableOperation::ChangeColumn {
                old_name,
                new_name,
                data_type,
                options,
                ..
            } => {
                let span = column_clause(old_name);
                let mut actions = Vec::new();
                let (from, to) = (self.ident(old_name), self.ident(new_name));
                if from != to {
                    actions.push((Action::RenameColumn { from, to }, span));
                }
                let mut column = self.redefined(new_name, data_type, options);
                column.span = span;
                actions.push((Action::Redefine(column), span));
                actions
            }
            AlterTableOperation::ModifyColumn {
                col_name,
                data_type,
                options,
                ..
            } => {
                let span = column_clause(col_name);
                let mut column = self.redefined(col_name, data_type, options);
                column.span = span;
                vec![(Action::Redefine(column), span)]
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                let column = self.ident(column_name);
                let span = column_clause(column_name);
                let action = match op {
                    AlterColumnOperation::SetNotNull => Action::SetNotNull(column),
                    AlterColumnOperation::DropNotNull => Action::DropNotNull(column),
                    AlterColumnOperation::SetDefault { .. }
                    | AlterColumnOperation::AddGenerated { .. } => Action::SetDefault(column),
                    AlterColumnOperation::DropDefault => Action::DropDefault(column),
                    AlterColumnOperation::SetDataType { data_type, .. } => Action::SetType {
                        column,
                        data_type: data_type.to_string().to_uppercase(),
                    },
                    _ => return Vec::new(),
                };
                vec![(action, span)]
            }
            AlterTableOperation::DropConstraint { name, .. }
            | AlterTableOperation::DropForeignKey { name, .. } => {
                vec![(Action::DropConstraint(self.ident(name)), statement)]
            }
            AlterTableOperation::DropPrimaryKey { .. } => vec![(Action::DropPrimaryKey, statement)],
            AlterTableOperation::DropIndex { name } => {
                vec![(Action::DropIndex(self.ident(name)), statement)]
            }
            AlterTableOperation::ValidateConstraint { name } => {
                vec![(Action::ValidateConstraint(self.ident(name)), statement)]
            }
            AlterTableOperation::RenameConstraint { old_name, new_name } => vec![(
                Action::RenameConstraint {
                    from: self.ident(old_name),
                    to: self.ident(new_name),
                },
                statement,
            )],
            _ => Vec::new(),
        }
    }
}

/// `name(10)`: one integer argument, as MySQL writes an index prefix length.
fn is_prefix_length(args: &FunctionArguments) -> bool {
    let FunctionArguments::List(list) = args else {
        return false;
    };
    matches!(
        list.args.as_slice(),
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))]
            if matches!(v.value, Value::Number(..))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::parser::Parser;

    fn translate(sql: &str, dialect: SqlDialect) -> Vec<Op> {
        let (prepared_text, prepared) = super::super::text::prepare(sql);
        let statements = Parser::parse_sql(dialect.parser_dialect().as_ref(), &prepared_text)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let text = StatementText::new(sql, 0);
        statements
            .iter()
            .flat_map(|s| ops(s, dialect, &text, prepared))
            .collect()
    }

    fn slice(sql: &str, span: Span) -> &str {
        &sql[span.start..span.end]
    }

    #[test]
    fn table_names_drop_the_default_schema_and_keep_others() {
        let pg = SqlDialect::Postgres;
        let users = TableName::from_parts(pg, &[("public", false), ("Users", false)]);
        assert_eq!(
            (users.schema.as_deref(), users.name.as_str(), users.key()),
            (None, "users", "users".to_string())
        );
        assert_eq!(users.display, "public.Users");
        let log = TableName::from_parts(pg, &[("Audit", false), ("Log", true)]);
        assert_eq!(
            (log.schema.as_deref(), log.key()),
            (Some("audit"), "audit.Log".to_string())
        );
    }

    #[test]
    fn create_table_collects_columns_keys_and_clause_spans() {
        let sql = "CREATE TABLE IF NOT EXISTS public.orders (\n  id bigserial PRIMARY KEY,\n  user_id int NOT NULL CONSTRAINT fk_user REFERENCES users (id) ON DELETE CASCADE,\n  code text UNIQUE,\n  note text DEFAULT 'x',\n  CONSTRAINT fk_pair FOREIGN KEY (a, b) REFERENCES pairs (x, y),\n  UNIQUE (code, note),\n  last int REFERENCES lasts\n)";
        let ops = translate(sql, SqlDialect::Postgres);
        let [Op::CreateTable {
            table,
            if_not_exists,
            def,
            complete,
        }] = ops.as_slice()
        else {
            panic!("{ops:?}");
        };
        assert_eq!(table.key(), "orders");
        assert!(*if_not_exists && *complete);
        let names: Vec<_> = def.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["id", "user_id", "code", "note", "last"]);
        let id = &def.columns[0];
        assert_eq!(
            (id.data_type.as_str(), id.nullable, id.has_default),
            ("BIGSERIAL", false, true)
        );
        assert_eq!(slice(sql, id.span), "id bigserial PRIMARY KEY");
        assert!(!def.columns[1].nullable && def.columns[2].nullable);
        assert_eq!(def.columns[3].default.as_deref(), Some("'x'"));
        assert_eq!(
            def.primary_key.as_ref().map(|k| k.columns.clone()),
            Some(vec!["id".to_string()])
        );
        let [inline, last, pair] = def.foreign_keys.as_slice() else {
            panic!("{:?}", def.foreign_keys);
        };
        assert_eq!(inline.name.as_deref(), Some("fk_user"));
        assert_eq!(inline.referenced.key(), "users");
        assert_eq!(
            slice(sql, inline.span),
            "CONSTRAINT fk_user REFERENCES users (id) ON DELETE CASCADE"
        );
        assert_eq!(
            slice(sql, last.span),
            "REFERENCES lasts",
            "the table's `)` is not the clause's"
        );
        assert_eq!(pair.columns, vec!["a", "b"]);
        assert_eq!(pair.referenced_columns, vec!["x", "y"]);
        assert_eq!(
            slice(sql, pair.span),
            "CONSTRAINT fk_pair FOREIGN KEY (a, b) REFERENCES pairs (x, y)"
        );
        let uniques: Vec<_> = def.uniques.iter().map(|u| u.columns.join(",")).collect();
        assert_eq!(uniques, vec!["code", "code,note"]);
        assert_eq!(slice(sql, def.uniques[1].span), "UNIQUE (code, note)");
    }

    #[test]
    fn mysql_inline_indexes_and_auto_increment() {
        let sql = "CREATE TABLE `T` (`id` int NOT NULL AUTO_INCREMENT, `Name` varchar(50), PRIMARY KEY (`id`), KEY `idx_name` (`Name`(10)), UNIQUE KEY `uk` (`Name`)) ENGINE=InnoDB";
        let ops = translate(sql, SqlDialect::Mysql);
        let [Op::CreateTable { table, def, .. }] = ops.as_slice() else {
            panic!("{ops:?}");
        };
        assert_eq!(table.key(), "t");
        assert!(def.columns[0].has_default);
        assert_eq!(def.columns[1].name, "name");
        assert_eq!(def.columns[1].display, "Name");
        assert_eq!(def.indexes.len(), 1);
        assert_eq!(def.indexes[0].name.as_deref(), Some("idx_name"));
        assert_eq!(def.indexes[0].columns, vec!["name"]);
        assert_eq!(
            slice(sql, def.indexes[0].span),
            "KEY `idx_name` (`Name`(10))"
        );
        assert_eq!(def.uniques[0].name.as_deref(), Some("uk"));
    }

    #[test]
    fn create_and_drop_index_forms() {
        let sql = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx ON ONLY public.t USING gin (a, lower(b)) WHERE c IS NULL";
        let ops = translate(sql, SqlDialect::Postgres);
        let [Op::CreateIndex {
            table,
            index,
            if_not_exists,
        }] = ops.as_slice()
        else {
            panic!("{ops:?}");
        };
        assert_eq!(table.key(), "t");
        assert!(*if_not_exists && index.unique && index.concurrently && index.partial);
        assert_eq!(index.columns, vec!["a", "lower(b)"]);
        let ops = translate(
            "DROP INDEX CONCURRENTLY IF EXISTS public.idx, other",
            SqlDialect::Postgres,
        );
        assert_eq!(
            ops,
            vec![
                Op::DropIndex {
                    name: "idx".into(),
                    table: None,
                    concurrently: true
                },
                Op::DropIndex {
                    name: "other".into(),
                    table: None,
                    concurrently: true
                },
            ]
        );
        let ops = translate("DROP INDEX idx ON t", SqlDialect::Mysql);
        assert!(
            matches!(&ops[..], [Op::DropIndex { table: Some(t), concurrently: false, .. }] if t.key() == "t")
        );
    }

    #[test]
    fn alter_table_actions() {
        let sql = "ALTER TABLE ONLY app.t ADD COLUMN x int NOT NULL DEFAULT 0 REFERENCES u(id), DROP COLUMN IF EXISTS y, RENAME COLUMN a TO b, ALTER COLUMN c TYPE bigint, ALTER COLUMN d SET NOT NULL, ALTER COLUMN e DROP NOT NULL, ALTER COLUMN f SET DEFAULT 1, ALTER COLUMN g DROP DEFAULT";
        let ops = translate(sql, SqlDialect::Postgres);
        let actions: Vec<&Action> = ops
            .iter()
            .map(|op| match op {
                Op::Alter { table, action, .. } => {
                    assert_eq!(table.key(), "app.t");
                    action
                }
                other => panic!("{other:?}"),
            })
            .collect();
        let Action::AddColumn(def) = actions[0] else {
            panic!("{:?}", actions[0]);
        };
        assert_eq!(def.columns[0].name, "x");
        assert!(!def.columns[0].nullable && def.columns[0].has_default);
        assert_eq!(def.foreign_keys[0].referenced.key(), "u");
        assert_eq!(actions[1], &Action::DropColumn("y".into()));
        assert_eq!(
            actions[2],
            &Action::RenameColumn {
                from: "a".into(),
                to: "b".into()
            }
        );
        assert_eq!(
            actions[3],
            &Action::SetType {
                column: "c".into(),
                data_type: "BIGINT".into()
            }
        );
        assert_eq!(actions[4], &Action::SetNotNull("d".into()));
        assert_eq!(actions[5], &Action::DropNotNull("e".into()));
        assert_eq!(actions[6], &Action::SetDefault("f".into()));
        assert_eq!(actions[7], &Action::DropDefault("g".into()));
        let spans: Vec<&str> = ops
            .iter()
            .map(|op| match op {
                Op::Alter { span, .. } => slice(sql, *span),
                _ => "",
            })
            .collect();
        assert_eq!(spans[0], "x int NOT NULL DEFAULT 0 REFERENCES u(id)");
        assert_eq!(spans[1], "DROP COLUMN IF EXISTS y");
        assert_eq!(spans[4], "ALTER COLUMN d SET NOT NULL");
    }

    #[test]
    fn alter_table_constraints_and_renames() {
        let ops = translate(
            "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID",
            SqlDialect::Postgres,
        );
        assert!(
            matches!(&ops[..], [Op::Alter { action: Action::AddForeignKey(fk), .. }] if fk.not_valid && fk.name.as_deref() == Some("fk"))
        );
        let ops = translate(
            "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID",
            SqlDialect::Postgres,
        );
        assert!(matches!(
            &ops[..],
            [Op::Alter {
                action: Action::AddCheck {
                    not_valid: true,
                    ..
                },
                ..
            }]
        ));
        let ops = translate(
            "ALTER TABLE t ADD CONSTRAINT k UNIQUE USING INDEX idx",
            SqlDialect::Postgres,
        );
        assert!(matches!(
            &ops[..],
            [Op::Alter {
                action: Action::PromoteIndex { primary: false, .. },
                ..
            }]
        ));
        let ops = translate("ALTER TABLE s.t RENAME TO u", SqlDialect::Postgres);
        assert!(
            matches!(&ops[..], [Op::Alter { action: Action::RenameTo(to), .. }] if to.key() == "s.u")
        );
        let ops = translate("RENAME TABLE a TO b, c TO d", SqlDialect::Mysql);
        assert_eq!(ops.len(), 2);
        let ops = translate(
            "ALTER TABLE t CHANGE COLUMN a b varchar(10) NOT NULL",
            SqlDialect::Mysql,
        );
        assert!(matches!(&ops[..], [
            Op::Alter { action: Action::RenameColumn { .. }, .. },
            Op::Alter { action: Action::Redefine(c), .. }
        ] if c.name == "b" && !c.nullable && c.data_type == "VARCHAR(10)"));
        let ops = translate("DROP TABLE IF EXISTS a, b CASCADE", SqlDialect::Postgres);
        assert_eq!(ops.len(), 2);
    }

    #[test]
    fn unreadable_statements_still_name_their_table() {
        let ops = unreadable_ops(
            "CREATE UNLOGGED TABLE IF NOT EXISTS public.\"Big\" (x weird syntax)",
            SqlDialect::Postgres,
        );
        assert!(
            matches!(&ops[..], [Op::Unreadable { table, creates: true }] if table.key() == "Big")
        );
        let ops = unreadable_ops(
            "ALTER TABLE IF EXISTS ONLY t FROBNICATE",
            SqlDialect::Postgres,
        );
        assert!(
            matches!(&ops[..], [Op::Unreadable { table, creates: false }] if table.key() == "t")
        );
        let ops = unreadable_ops("CREATE INDEX i ON ONLY t WITH weird", SqlDialect::Postgres);
        assert!(
            matches!(&ops[..], [Op::Unreadable { table, creates: false }] if table.key() == "t")
        );
        assert!(unreadable_ops("DO $$ BEGIN END $$", SqlDialect::Postgres).is_empty());
    }
}
