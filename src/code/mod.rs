//! Source code: tree-sitter parsing and extraction of language-neutral facts (calls,
//! assignments, functions, imports, routes) into the code model. One module per
//! language; rules read the model, never the syntax trees.

pub mod embedded_sql;
pub mod python;
pub mod tree;

use crate::finding::Finding;
use crate::model::code::CodeModel;
use crate::source::SharedSource;
use crate::suppress::Suppression;

/// What reading the source files gave.
#[derive(Debug, Default)]
pub struct CodeFacts {
    pub model: CodeModel,
    pub problems: Vec<Finding>,
    pub suppressions: Vec<Suppression>,
}

/// Reads the Python files (the only language so far). `beside` is work that needs the
/// facts but not the routes (SQL in code, ORM schemas); it runs while routes are
/// resolved across files.
pub fn load_code<R: Send>(
    python: &[SharedSource],
    beside: impl FnOnce(&CodeModel) -> R + Send,
) -> (CodeFacts, R) {
    python::load(python, beside)
}
