//! Queries found in `.sql` files (and later in code strings): what they touch and how.

use serde::Serialize;

use crate::finding::Location;
use crate::model::schema::serialize_location;
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QueryKind {
    Select,
    Insert,
    Update,
    Delete,
    /// `MERGE`, a bare `VALUES`/`TABLE` query.
    Other,
}

/// A column a query reads, with the table it belongs to when that is certain: the
/// qualifier named a known alias or table, or only one table was in scope.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ColumnRef {
    /// Table key (folded, default schema dropped).
    pub table: Option<String>,
    /// Folded.
    pub column: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueryFact {
    /// The whole statement.
    #[serde(serialize_with = "serialize_location")]
    pub location: Location,
    pub kind: QueryKind,
    /// Table keys in order of first appearance; CTE names are not tables.
    pub tables: Vec<String>,
    /// The outermost `SELECT` projects `*` or `t.*` (`count(*)` is not a star; neither
    /// is a star inside a subquery or `EXISTS`). For `INSERT … SELECT` the source counts.
    pub select_star: bool,
    /// The `*` (or `t.*`) itself, when sqlparser reported where it was.
    pub star_span: Option<Span>,
    /// The outermost statement has a `WHERE` (for `SELECT`, `UPDATE`, `DELETE`).
    pub has_where: bool,
    /// The outermost statement has `LIMIT`, `FETCH FIRST` or `TOP`.
    pub has_limit: bool,
    /// Columns in `WHERE` clauses at any depth.
    pub filter_columns: Vec<ColumnRef>,
    /// Columns in `JOIN … ON`/`USING`.
    pub join_columns: Vec<ColumnRef>,
    /// Columns in `ORDER BY` at any depth.
    pub order_columns: Vec<ColumnRef>,
}
