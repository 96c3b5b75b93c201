//! Python: parse with tree-sitter-python once per file (in parallel, one parser per
//! thread), extract facts per file, then the routes across files (routers and URL
//! confs refer to each other).

pub mod alembic;
pub mod facts;
pub mod fields;
pub mod orm;
pub mod routes;
pub mod syntax;

use std::cell::RefCell;

use rayon::prelude::*;
use tree_sitter::{Parser, Tree};

use super::CodeFacts;
use crate::finding::{Finding, Location};
use crate::model::code::{CodeFile, Language};
use crate::source::{SharedSource, Span};
use crate::suppress::{Scope, Suppression};

/// A parsed file, kept for the cross-file route pass.
pub struct ParsedFile {
    pub source: SharedSource,
    pub tree: Tree,
    /// Index in [`crate::model::code::CodeModel::functions`] of this file's first
    /// function; its functions follow in the order `facts` found them.
    pub first_function: usize,
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

fn parse(text: &str) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_python::LANGUAGE.into())
                .ok()?;
            *slot = Some(parser);
        }
        slot.as_mut()?.parse(text, None)
    })
}

/// `tests/`, `test_x.py`, `x_test.py`, `conftest.py`.
pub fn is_test_path(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    path.split('/').any(|d| d == "tests" || d == "test")
        || file.starts_with("test_")
        || file.ends_with("_test.py")
        || file == "conftest.py"
}

pub fn load(files: &[SharedSource]) -> CodeFacts {
    let per_file: Vec<(SharedSource, Option<Tree>, facts::FileFacts)> = files
        .par_iter()
        .map(|source| {
            let tree = parse(&source.text);
            let facts = match &tree {
                Some(tree) => facts::extract(source, tree),
                None => facts::FileFacts::default(),
            };
            (source.clone(), tree, facts)
        })
        .collect();

    let mut out = CodeFacts::default();
    let mut parsed = Vec::new();
    for (source, tree, file_facts) in per_file {
        let Some(tree) = tree else {
            out.problems.push(crate::spec::parse_error(
                Location::new(&source, Span::default()),
                "tree-sitter could not parse this file; it was skipped",
            ));
            continue;
        };
        if let Some(error) = syntax::first_error(&source, &tree) {
            out.problems.push(error);
        }
        let model = &mut out.model;
        let offset = model.functions.len();
        model
            .file_index
            .insert(source.path.clone(), model.files.len());
        model.files.push(CodeFile {
            source: source.clone(),
            language: Language::Python,
            is_test: is_test_path(&source.path),
        });
        let shift = |f: Option<usize>| f.map(|i| i + offset);
        model.functions.extend(file_facts.functions);
        model
            .calls
            .extend(file_facts.calls.into_iter().map(|mut c| {
                c.function = shift(c.function);
                c
            }));
        model
            .assignments
            .extend(file_facts.assignments.into_iter().map(|mut a| {
                a.function = shift(a.function);
                a
            }));
        model
            .returns
            .extend(file_facts.returns.into_iter().map(|mut r| {
                r.function = shift(r.function);
                r
            }));
        model.imports.extend(file_facts.imports);
        out.suppressions
            .extend(file_facts.suppressions.into_iter().map(|s| Suppression {
                target: s.rule,
                reason: s.reason,
                location: s.location,
                scope: Scope::Span {
                    path: source.path.clone(),
                    span: s.covers,
                },
            }));
        parsed.push(ParsedFile {
            source,
            tree,
            first_function: offset,
        });
    }
    let routes = routes::extract(&parsed, &out.model);
    out.model.routes = routes;
    out
}

/// A problem found while reading, reported like a parse error.
pub fn problem(source: &SharedSource, span: Span, message: impl Into<String>) -> Finding {
    crate::spec::parse_error(Location::new(source, span), message)
}
