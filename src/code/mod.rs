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

/// Reads the Python files (the only language so far).
pub fn load_code(python: &[SharedSource]) -> CodeFacts {
    python::load(python)
}
