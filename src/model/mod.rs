//! The facts rules read. Parsers and extractors fill them; rules never parse.

pub mod api;
pub mod code;
pub mod naming;
pub mod path;
pub mod query;
pub mod schema;

pub use api::*;

use crate::finding::Finding;
use crate::suppress::Suppression;

/// Everything archlint learned about the scanned repository.
#[derive(Debug, Default)]
pub struct Project {
    pub api: ApiModel,
    /// What the SQL files say: the replayed schema, queries, unreadable statements.
    pub sql: crate::sql::SqlFacts,
    /// What the source code says: calls, assignments, functions, imports, routes.
    pub code: code::CodeModel,
    /// Suppression comments and `x-archlint-ignore` entries found while loading.
    pub suppressions: Vec<Suppression>,
    /// Problems met while reading input (`archlint/parse-error`).
    pub load_problems: Vec<Finding>,
}
