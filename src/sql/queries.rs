//! Query facts: which tables a query touches, which columns it filters, joins and sorts
//! on, and whether it is bounded. Best effort and never guessing: a column whose table
//! is uncertain keeps `table: None`.

use std::collections::{HashMap, HashSet};

use sqlparser::ast::{
    Expr, FromTable, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, InTarget,
    JoinConstraint, JoinOperator, LimitClause, ObjectName, OrderBy, OrderByKind, Query, Select,
    SelectItem, SelectItemQualifiedWildcardKind, SetExpr, Spanned, Statement, TableFactor,
    TableObject, TableWithJoins, UpdateTableFromKind,
};

use crate::finding::Location;
use crate::model::query::{ColumnRef, QueryFact, QueryKind};
use crate::source::Span;

use super::dialect::SqlDialect;
use super::split::{scan, SplitOptions};
use super::text::StatementText;

/// Expressions nest deeper than this only when generated; the walk stops there rather
/// than risk the stack (sqlparser builds long `AND` chains as deep left-leaning trees).
const MAX_DEPTH: usize = 200;

/// Facts for SQL found outside `.sql` files (a string passed to `execute`). `base` is
/// where the text starts in its file; spans are exact only when the text was copied
/// from the file unchanged (no escapes). Statements sqlparser rejects are skipped:
/// strings in code are often fragments.
pub fn analyse_query_text(text: &str, dialect: SqlDialect, base: &Location) -> Vec<QueryFact> {
    let parser_dialect = dialect.parser_dialect();
    let scanned = scan(text, SplitOptions::for_dialect(dialect));
    let mut facts = Vec::new();
    for raw in scanned.statements {
        if raw.unterminated.is_some() {
            continue;
        }
        let Some(slice) = text.get(raw.span.start..raw.span.end) else {
            continue;
        };
        if super::too_large(slice).is_some() {
            continue;
        }
        let Ok(statements) = sqlparser::parser::Parser::parse_sql(parser_dialect.as_ref(), slice)
        else {
            continue;
        };
        let statement_text = StatementText::new(slice, base.span.start + raw.span.start);
        let location = Location::new(&base.file, statement_text.span());
        facts.extend(
            statements
                .iter()
                .filter_map(|s| query_fact(s, dialect, &statement_text, &location)),
        );
    }
    facts
}

/// The facts of one parsed statement; `None` for statements that are not queries (DDL,
/// `SET`, transaction control).
pub(crate) fn query_fact(
    statement: &Statement,
    dialect: SqlDialect,
    text: &StatementText,
    location: &Location,
) -> Option<QueryFact> {
    let mut x = Extractor {
        dialect,
        text,
        tables: Vec::new(),
        seen_tables: HashSet::new(),
        filter: Vec::new(),
        join: Vec::new(),
        order: Vec::new(),
        scopes: Vec::new(),
        depth: 0,
    };
    let mut fact = QueryFact {
        location: location.clone(),
        kind: QueryKind::Other,
        tables: Vec::new(),
        select_star: false,
        star_span: None,
        has_where: false,
        has_limit: false,
        filter_columns: Vec::new(),
        join_columns: Vec::new(),
        order_columns: Vec::new(),
    };
    match statement {
        Statement::Query(query) => {
            fact.kind = body_kind(&query.body);
            fact.has_where = body_has_where(&query.body);
            fact.has_limit = query_has_limit(query);
            if let Some(star) = x.outer_star(&query.body) {
                fact.select_star = true;
                fact.star_span = star;
            }
            x.query(query);
        }
        Statement::Insert(insert) => {
            fact.kind = QueryKind::Insert;
            if let TableObject::TableName(name) = &insert.table {
                let key = x.table_key(name);
                x.add_table(&key);
            }
            if let Some(source) = &insert.source {
                if let Some(star) = x.outer_star(&source.body) {
                    fact.select_star = true;
                    fact.star_span = star;
                }
                x.query(source);
            }
        }
        Statement::Update(update) => {
            fact.kind = QueryKind::Update;
            fact.has_where = update.selection.is_some();
            fact.has_limit = update.limit.is_some();
            let mut from: Vec<&TableWithJoins> = vec![&update.table];
            if let Some(UpdateTableFromKind::BeforeSet(t) | UpdateTableFromKind::AfterSet(t)) =
                &update.from
            {
                from.extend(t.iter());
            }
            x.push_scope(&from);
            for assignment in &update.assignments {
                x.expr(&assignment.value, Sink::None);
            }
            if let Some(selection) = &update.selection {
                x.expr(selection, Sink::Filter);
            }
            x.scopes.pop();
        }
        Statement::Delete(delete) => {
            fact.kind = QueryKind::Delete;
            fact.has_where = delete.selection.is_some();
            fact.has_limit = delete.limit.is_some();
            let (FromTable::WithFromKeyword(tables) | FromTable::WithoutKeyword(tables)) =
                &delete.from;
            let mut from: Vec<&TableWithJoins> = tables.iter().collect();
            if let Some(using) = &delete.using {
                from.extend(using.iter());
            }
            x.push_scope(&from);
            if let Some(selection) = &delete.selection {
                x.expr(selection, Sink::Filter);
            }
            x.scopes.pop();
        }
        Statement::Merge(_) => {}
        _ => return None,
    }
    fact.tables = x.tables;
    fact.filter_columns = x.filter;
    fact.join_columns = x.join;
    fact.order_columns = x.order;
    Some(fact)
}

fn body_kind(body: &SetExpr) -> QueryKind {
    match body {
        SetExpr::Select(_) | SetExpr::SetOperation { .. } => QueryKind::Select,
        SetExpr::Query(q) => body_kind(&q.body),
        SetExpr::Insert(_) => QueryKind::Insert,
        SetExpr::Update(_) => QueryKind::Update,
        SetExpr::Delete(_) => QueryKind::Delete,
        _ => QueryKind::Other,
    }
}

/// Every branch of the outermost query filters.
fn body_has_where(body: &SetExpr) -> bool {
    match body {
        SetExpr::Select(select) => select.selection.is_some(),
        SetExpr::SetOperation { left, right, .. } => body_has_where(left) && body_has_where(right),
        SetExpr::Query(q) => body_has_where(&q.body),
        // `WITH … UPDATE/DELETE`: the statement after the CTEs is what filters.
        SetExpr::Update(Statement::Update(update)) => update.selection.is_some(),
        SetExpr::Delete(Statement::Delete(delete)) => delete.selection.is_some(),
        _ => false,
    }
}

fn query_has_limit(query: &Query) -> bool {
    let limit = match &query.limit_clause {
        Some(LimitClause::LimitOffset { limit, .. }) => limit.is_some(),
        Some(LimitClause::OffsetCommaLimit { .. }) => true,
        None => false,
    };
    let top = matches!(query.body.as_ref(), SetExpr::Select(s) if s.top.is_some());
    let inner = matches!(query.body.as_ref(), SetExpr::Query(q) if query_has_limit(q));
    limit || query.fetch.is_some() || top || inner
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    /// Walk for subqueries only.
    None,
    Filter,
    Join,
    Order,
}

#[derive(Default)]
struct Scope {
    /// Alias or table name → table key (`None`: a CTE, derived table or function).
    names: HashMap<String, Option<String>>,
    /// The real tables of this `FROM`.
    tables: Vec<String>,
    /// Every relation of this `FROM`, CTEs and derived tables included: an unqualified
    /// column belongs to the one real table only when nothing else could hold it.
    relations: usize,
    /// CTE names visible here.
    ctes: HashSet<String>,
    /// Projection aliases: `ORDER BY total` names one of these, not a column.
    output_aliases: HashSet<String>,
}

struct Extractor<'a, 'b> {
    dialect: SqlDialect,
    text: &'a StatementText<'b>,
    tables: Vec<String>,
    seen_tables: HashSet<String>,
    filter: Vec<ColumnRef>,
    join: Vec<ColumnRef>,
    order: Vec<ColumnRef>,
    scopes: Vec<Scope>,
    depth: usize,
}

impl Extractor<'_, '_> {
    fn fold(&self, ident: &Ident) -> String {
        self.dialect.fold(&ident.value, ident.quote_style.is_some())
    }

    fn table_key(&self, name: &ObjectName) -> String {
        self.dialect.table_key(
            name.0
                .iter()
                .filter_map(|p| p.as_ident())
                .map(|i| (i.value.as_str(), i.quote_style.is_some())),
        )
    }

    fn add_table(&mut self, key: &str) {
        if self.seen_tables.insert(key.to_string()) {
            self.tables.push(key.to_string());
        }
    }

    fn is_cte(&self, key: &str) -> bool {
        self.scopes.iter().any(|s| s.ctes.contains(key))
    }

    /// The `*` of the outermost select, if it projects one: `Some(span)`.
    fn outer_star(&self, body: &SetExpr) -> Option<Option<Span>> {
        match body {
            SetExpr::Select(select) => select.projection.iter().find_map(|item| match item {
                SelectItem::Wildcard(options) => {
                    Some(self.sql_span(options.wildcard_token.0.span, None))
                }
                SelectItem::QualifiedWildcard(kind, options) => {
                    let start = match kind {
                        SelectItemQualifiedWildcardKind::ObjectName(name) => name.span(),
                        SelectItemQualifiedWildcardKind::Expr(expr) => expr.span(),
                    };
                    Some(self.sql_span(start, Some(options.wildcard_token.0.span)))
                }
                _ => None,
            }),
            SetExpr::SetOperation { left, right, .. } => {
                self.outer_star(left).or_else(|| self.outer_star(right))
            }
            SetExpr::Query(q) => self.outer_star(&q.body),
            _ => None,
        }
    }

    /// A file span from a sqlparser span (to the end of `end` when given).
    fn sql_span(
        &self,
        start: sqlparser::tokenizer::Span,
        end: Option<sqlparser::tokenizer::Span>,
    ) -> Option<Span> {
        let (from, to) = self.text.range(start)?;
        let to = match end {
            Some(end) => self.text.range(end)?.1,
            None => to,
        };
        (to > from).then(|| self.text.absolute(from, to))
    }

    fn query(&mut self, query: &Query) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        let mut ctes = Scope::default();
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                ctes.ctes.insert(self.fold(&cte.alias.name));
            }
        }
        let has_ctes = !ctes.ctes.is_empty();
        if has_ctes {
            self.scopes.push(ctes);
            if let Some(with) = &query.with {
                for cte in &with.cte_tables {
                    self.query(&cte.query);
                }
            }
        }
        self.set_expr(&query.body, query.order_by.as_ref());
        if has_ctes {
            self.scopes.pop();
        }
        self.depth -= 1;
    }

    fn set_expr(&mut self, body: &SetExpr, order_by: Option<&OrderBy>) {
        match body {
            SetExpr::Select(select) => self.select(select, order_by),
            SetExpr::Query(q) => {
                self.query(q);
                self.order_by(order_by);
            }
            SetExpr::SetOperation { left, right, .. } => {
                self.set_expr(left, None);
                self.set_expr(right, None);
                // The order of a union names output columns: no table is certain.
                self.scopes.push(Scope::default());
                self.order_by(order_by);
                self.scopes.pop();
            }
            _ => {}
        }
    }

    fn order_by(&mut self, order_by: Option<&OrderBy>) {
        if let Some(OrderBy {
            kind: OrderByKind::Expressions(exprs),
            ..
        }) = order_by
        {
            for e in exprs {
                self.expr(&e.expr, Sink::Order);
            }
        }
    }

    fn push_scope(&mut self, from: &[&TableWithJoins]) {
        let mut scope = Scope::default();
        for twj in from {
            self.factor(&twj.relation, &mut scope);
            for join in &twj.joins {
                self.factor(&join.relation, &mut scope);
            }
        }
        self.scopes.push(scope);
        // Join conditions read the whole scope, so they come after every relation.
        for twj in from {
            let first = self.relation_key(&twj.relation);
            for join in &twj.joins {
                let constraint = join_constraint(&join.join_operator);
                match constraint {
                    Some(JoinConstraint::On(on)) => self.expr(on, Sink::Join),
                    Some(JoinConstraint::Using(names) | JoinConstraint::UsingAlias(names, _)) => {
                        let right = self.relation_key(&join.relation);
                        for name in names {
                            let Some(column) =
                                name.0.iter().filter_map(|p| p.as_ident()).next_back()
                            else {
                                continue;
                            };
                            let column = self.fold(column);
                            for table in [&first, &right].into_iter().flatten() {
                                self.join.push(ColumnRef {
                                    table: Some(table.clone()),
                                    column: column.clone(),
                                });
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// The table key of a plain table relation (not a CTE).
    fn relation_key(&self, factor: &TableFactor) -> Option<String> {
        match factor {
            TableFactor::Table { name, .. } => {
                let key = self.table_key(name);
                (!self.is_cte(&key)).then_some(key)
            }
            _ => None,
        }
    }

    fn factor(&mut self, factor: &TableFactor, scope: &mut Scope) {
        scope.relations += 1;
        match factor {
            TableFactor::Table { name, alias, .. } => {
                let key = self.table_key(name);
                let target = if self.is_cte(&key) || scope.ctes.contains(&key) {
                    None
                } else {
                    self.add_table(&key);
                    scope.tables.push(key.clone());
                    Some(key.clone())
                };
                if let Some(last) = name.0.iter().filter_map(|p| p.as_ident()).next_back() {
                    scope.names.insert(self.fold(last), target.clone());
                }
                scope.names.insert(key, target.clone());
                if let Some(alias) = alias {
                    scope.names.insert(self.fold(&alias.name), target);
                }
            }
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                self.query(subquery);
                if let Some(alias) = alias {
                    scope.names.insert(self.fold(&alias.name), None);
                }
            }
            TableFactor::NestedJoin {
                table_with_joins,
                alias,
            } => {
                self.factor(&table_with_joins.relation, scope);
                for join in &table_with_joins.joins {
                    self.factor(&join.relation, scope);
                }
                if let Some(alias) = alias {
                    scope.names.insert(self.fold(&alias.name), None);
                }
            }
            TableFactor::Function { alias, .. }
            | TableFactor::TableFunction { alias, .. }
            | TableFactor::UNNEST { alias, .. } => {
                if let Some(alias) = alias {
                    scope.names.insert(self.fold(&alias.name), None);
                }
            }
            _ => {}
        }
    }

    fn select(&mut self, select: &Select, order_by: Option<&OrderBy>) {
        let from: Vec<&TableWithJoins> = select.from.iter().collect();
        self.push_scope(&from);
        for item in &select.projection {
            match item {
                SelectItem::UnnamedExpr(e) => self.expr(e, Sink::None),
                SelectItem::ExprWithAlias { expr, alias } => {
                    let alias = self.fold(alias);
                    if let Some(scope) = self.scopes.last_mut() {
                        scope.output_aliases.insert(alias);
                    }
                    self.expr(expr, Sink::None);
                }
                _ => {}
            }
        }
        if let Some(selection) = &select.selection {
            self.expr(selection, Sink::Filter);
        }
        if let Some(having) = &select.having {
            self.expr(having, Sink::None);
        }
        self.order_by(order_by);
        self.scopes.pop();
    }

    fn column(&mut self, parts: &[Ident], sink: Sink) {
        let Some((last, qualifier)) = parts.split_last() else {
            return;
        };
        let column = self.fold(last);
        let table = if qualifier.is_empty() {
            let scope = self.scopes.last();
            if sink == Sink::Order && scope.is_some_and(|s| s.output_aliases.contains(&column)) {
                return;
            }
            match scope {
                Some(Scope {
                    tables,
                    relations: 1,
                    ..
                }) => tables.first().cloned(),
                _ => None,
            }
        } else {
            let key = self.dialect.table_key(
                qualifier
                    .iter()
                    .map(|i| (i.value.as_str(), i.quote_style.is_some())),
            );
            self.scopes
                .iter()
                .rev()
                .find_map(|s| s.names.get(&key))
                .cloned()
                .flatten()
        };
        let reference = ColumnRef { table, column };
        let list = match sink {
            Sink::None => return,
            Sink::Filter => &mut self.filter,
            Sink::Join => &mut self.join,
            Sink::Order => &mut self.order,
        };
        if !list.contains(&reference) {
            list.push(reference);
        }
    }

    fn exprs<'e>(&mut self, exprs: impl IntoIterator<Item = &'e Expr>, sink: Sink) {
        for e in exprs {
            self.expr(e, sink);
        }
    }

    fn expr(&mut self, expr: &Expr, sink: Sink) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Identifier(ident) => self.column(std::slice::from_ref(ident), sink),
            Expr::CompoundIdentifier(parts) => self.column(parts, sink),
            Expr::BinaryOp { left, right, .. }
            | Expr::AnyOp { left, right, .. }
            | Expr::AllOp { left, right, .. }
            | Expr::IsDistinctFrom(left, right)
            | Expr::IsNotDistinctFrom(left, right) => {
                self.exprs([left.as_ref(), right.as_ref()], sink)
            }
            Expr::UnaryOp { expr, .. }
            | Expr::Nested(expr)
            | Expr::IsNull(expr)
            | Expr::IsNotNull(expr)
            | Expr::IsTrue(expr)
            | Expr::IsNotTrue(expr)
            | Expr::IsFalse(expr)
            | Expr::IsNotFalse(expr)
            | Expr::IsUnknown(expr)
            | Expr::IsNotUnknown(expr)
            | Expr::Cast { expr, .. }
            | Expr::Collate { expr, .. } => self.expr(expr, sink),
            Expr::In { expr, target, .. } => {
                self.expr(expr, sink);
                match target {
                    InTarget::List(list) => self.exprs(list, sink),
                    InTarget::Subquery(q) => self.query(q),
                    InTarget::Unnest(e) => self.expr(e, sink),
                    _ => {}
                }
            }
            Expr::Between {
                expr, low, high, ..
            } => self.exprs([expr.as_ref(), low.as_ref(), high.as_ref()], sink),
            Expr::Like { expr, pattern, .. }
            | Expr::ILike { expr, pattern, .. }
            | Expr::SimilarTo { expr, pattern, .. }
            | Expr::RLike { expr, pattern, .. } => {
                self.exprs([expr.as_ref(), pattern.as_ref()], sink)
            }
            Expr::AtTimeZone {
                timestamp,
                time_zone,
            } => self.exprs([timestamp.as_ref(), time_zone.as_ref()], sink),
            Expr::Function(function) => match &function.args {
                FunctionArguments::List(list) => {
                    for arg in &list.args {
                        let (FunctionArg::Unnamed(arg)
                        | FunctionArg::Named { arg, .. }
                        | FunctionArg::ExprNamed { arg, .. }) = arg;
                        if let FunctionArgExpr::Expr(e) = arg {
                            self.expr(e, sink);
                        }
                    }
                }
                FunctionArguments::Subquery(q) => self.query(q),
                FunctionArguments::None => {}
            },
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                if let Some(operand) = operand {
                    self.expr(operand, sink);
                }
                for when in conditions {
                    self.exprs([&when.condition, &when.result], sink);
                }
                if let Some(e) = else_result {
                    self.expr(e, sink);
                }
            }
            Expr::Exists { subquery, .. } | Expr::Subquery(subquery) => self.query(subquery),
            Expr::Tuple(items) => self.exprs(items, sink),
            _ => {}
        }
        self.depth -= 1;
    }
}

fn join_constraint(operator: &JoinOperator) -> Option<&JoinConstraint> {
    match operator {
        JoinOperator::Join(c)
        | JoinOperator::Inner(c)
        | JoinOperator::Left(c)
        | JoinOperator::LeftOuter(c)
        | JoinOperator::Right(c)
        | JoinOperator::RightOuter(c)
        | JoinOperator::FullOuter(c)
        | JoinOperator::CrossJoin(c)
        | JoinOperator::Semi(c)
        | JoinOperator::LeftSemi(c)
        | JoinOperator::RightSemi(c)
        | JoinOperator::Anti(c)
        | JoinOperator::LeftAnti(c)
        | JoinOperator::RightAnti(c)
        | JoinOperator::StraightJoin(c)
        | JoinOperator::AsOf { constraint: c, .. } => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use std::sync::Arc;

    fn facts(sql: &str) -> Vec<QueryFact> {
        facts_in(sql, SqlDialect::Postgres)
    }

    fn facts_in(sql: &str, dialect: SqlDialect) -> Vec<QueryFact> {
        let file = Arc::new(SourceFile::new("q.sql".into(), "q.sql".into(), sql.into()));
        analyse_query_text(sql, dialect, &Location::new(&file, Span::new(0, sql.len())))
    }

    fn one(sql: &str) -> QueryFact {
        let mut all = facts(sql);
        assert_eq!(all.len(), 1, "{sql}");
        all.remove(0)
    }

    fn col(table: Option<&str>, column: &str) -> ColumnRef {
        ColumnRef {
            table: table.map(str::to_string),
            column: column.to_string(),
        }
    }

    #[test]
    fn select_with_aliases_joins_filters_and_order() {
        let sql = "SELECT o.id, u.name FROM public.orders o JOIN users AS u ON u.id = o.user_id WHERE o.status = $1 AND created_at > now() ORDER BY o.created_at DESC LIMIT 20";
        let f = one(sql);
        assert_eq!(f.kind, QueryKind::Select);
        assert_eq!(f.tables, vec!["orders", "users"]);
        assert!(f.has_where && f.has_limit && !f.select_star);
        assert_eq!(
            f.join_columns,
            vec![col(Some("users"), "id"), col(Some("orders"), "user_id")]
        );
        // `created_at` is unqualified with two tables in scope: its table is not certain.
        assert_eq!(
            f.filter_columns,
            vec![col(Some("orders"), "status"), col(None, "created_at")]
        );
        assert_eq!(f.order_columns, vec![col(Some("orders"), "created_at")]);
    }

    #[test]
    fn stars_are_top_level_projections_only() {
        let sql = "SELECT * FROM t";
        let f = one(sql);
        assert!(f.select_star && !f.has_where && !f.has_limit);
        let span = f.star_span.unwrap_or_default();
        assert_eq!(&sql[span.start..span.end], "*");
        let sql = "SELECT t.* FROM t WHERE id = 1";
        let span = one(sql).star_span.unwrap_or_default();
        assert_eq!(&sql[span.start..span.end], "t.*");
        assert!(!one("SELECT count(*) FROM t").select_star);
        assert!(
            !one("SELECT id FROM t WHERE EXISTS (SELECT * FROM u WHERE u.t_id = t.id)").select_star
        );
        assert!(one("INSERT INTO archive SELECT * FROM t").select_star);
    }

    #[test]
    fn unqualified_columns_resolve_when_one_table_is_in_scope() {
        let f = one("SELECT name FROM users WHERE email = 'x' AND id IN (SELECT user_id FROM orders WHERE total > 10) ORDER BY name");
        assert_eq!(
            f.filter_columns,
            vec![
                col(Some("users"), "email"),
                col(Some("users"), "id"),
                col(Some("orders"), "total")
            ]
        );
        assert_eq!(f.tables, vec!["users", "orders"]);
        assert_eq!(f.order_columns, vec![col(Some("users"), "name")]);
    }

    #[test]
    fn unqualified_columns_stay_unresolved_beside_a_cte_or_derived_table() {
        let f = one(
            "WITH r AS (SELECT 1 AS k) SELECT 1 FROM r JOIN users u ON u.id = r.k WHERE status = 1",
        );
        assert_eq!(f.filter_columns, vec![col(None, "status")]);
        assert_eq!(
            f.join_columns,
            vec![col(Some("users"), "id"), col(None, "k")]
        );
        let f = one("SELECT 1 FROM (SELECT 1 AS k) d, users WHERE status = 1");
        assert_eq!(f.filter_columns, vec![col(None, "status")]);
    }

    #[test]
    fn ctes_are_not_tables_and_output_aliases_are_not_columns() {
        let f = one("WITH recent AS (SELECT * FROM orders WHERE placed_at > now()) SELECT r.id, count(*) AS n FROM recent r GROUP BY r.id ORDER BY n");
        assert_eq!(f.tables, vec!["orders"]);
        assert!(!f.select_star, "the star is inside the CTE");
        assert_eq!(f.filter_columns, vec![col(Some("orders"), "placed_at")]);
        assert!(f.order_columns.is_empty());
    }

    #[test]
    fn update_delete_and_insert() {
        let f = one("UPDATE accounts SET balance = 0");
        assert_eq!((f.kind, f.has_where), (QueryKind::Update, false));
        let f = one(
            "UPDATE accounts a SET balance = 0 FROM users u WHERE u.id = a.user_id AND u.banned",
        );
        assert!(f.has_where);
        assert_eq!(f.tables, vec!["accounts", "users"]);
        let f = one("DELETE FROM sessions WHERE expires_at < now()");
        assert_eq!((f.kind, f.has_where), (QueryKind::Delete, true));
        assert_eq!(f.filter_columns, vec![col(Some("sessions"), "expires_at")]);
        let f = facts_in("DELETE FROM logs LIMIT 100", SqlDialect::Mysql).remove(0);
        assert!(f.has_limit && !f.has_where);
        let f = one("WITH gone AS (SELECT id FROM users WHERE banned) DELETE FROM sessions WHERE user_id IN (SELECT id FROM gone)");
        assert_eq!((f.kind, f.has_where), (QueryKind::Delete, true));
        let f = one("WITH x AS (SELECT 1) UPDATE users SET a = 1");
        assert_eq!((f.kind, f.has_where), (QueryKind::Update, false));
        let f = one("INSERT INTO users (name) VALUES ($1)");
        assert_eq!(
            (f.kind, f.tables.clone()),
            (QueryKind::Insert, vec!["users".to_string()])
        );
    }

    #[test]
    fn join_using_and_nested_depth() {
        let f = one("SELECT * FROM a JOIN b USING (k)");
        assert_eq!(
            f.join_columns,
            vec![col(Some("a"), "k"), col(Some("b"), "k")]
        );
        let deep = format!("SELECT 1 FROM t WHERE {}", vec!["x = 1"; 3000].join(" OR "));
        let f = facts(&deep);
        // Either parsed and walked without overflowing, or rejected by sqlparser's limit.
        assert!(f.len() <= 1);
    }

    #[test]
    fn ddl_and_unparseable_text_produce_no_query_facts() {
        assert!(facts("CREATE TABLE t (id int); SET x = 1; SELEC oops").is_empty());
        assert_eq!(facts("SELECT 1; SELECT 2").len(), 2);
    }
}
