//! Python: parse with tree-sitter-python once per file (in parallel, one parser per
//! thread), extract facts per file, then the routes across files (routers and URL
//! confs refer to each other).

pub mod alembic;
pub mod facts;
pub mod orm;
pub mod routes;
pub mod syntax;

use std::cell::RefCell;

use rayon::prelude::*;
use tree_sitter::Parser;

use super::tree::{Grammar, Tree};
use super::CodeFacts;
use crate::finding::{Finding, Location};
use crate::model::code::{CodeFile, CodeModel, Language};
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

fn grammar() -> &'static Grammar {
    static GRAMMAR: std::sync::OnceLock<Grammar> = std::sync::OnceLock::new();
    GRAMMAR.get_or_init(|| Grammar::new(&tree_sitter_python::LANGUAGE.into()))
}

/// Parses one file; syntax errors are read from tree-sitter's tree, the rest from the
/// compact copy (tree-sitter's tree is gone when this returns).
fn parse(source: &SharedSource) -> Option<(Tree, Option<Finding>)> {
    let tree = parse_tree_sitter(&source.text)?;
    let syntax_error = syntax::first_error(source, &tree);
    Some((Tree::copy(&tree, grammar()), syntax_error))
}

fn parse_tree_sitter(text: &str) -> Option<tree_sitter::Tree> {
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

/// Code that exercises the service rather than serving: `tests/`, `test/`, `e2e/`,
/// `cypress/`, `benches/` and `benchmarks/` folders, `test_x.py`, `x_test.py`,
/// `conftest.py`.
pub fn is_test_path(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    path.split('/').any(|d| {
        matches!(
            d,
            "tests" | "test" | "e2e" | "cypress" | "benches" | "benchmarks"
        )
    }) || file.starts_with("test_")
        || file.ends_with("_test.py")
        || file == "conftest.py"
}

/// Reads the files into the code model. `beside` is work that needs the facts but not
/// the routes; it runs while the routes are resolved.
pub fn load<R: Send>(
    files: &[SharedSource],
    beside: impl FnOnce(&CodeModel) -> R + Send,
) -> (CodeFacts, R) {
    let per_file: Vec<FileRead> = crate::timings::time("parse + facts", || {
        files
            .par_iter()
            .map(|source| {
                let Some((tree, syntax_error)) = parse(source) else {
                    return (source.clone(), None, facts::FileFacts::default());
                };
                let facts = facts::extract(source, &tree);
                // Trees are the bulk of the memory: only the files route resolution reads
                // keep theirs past this point.
                let kept = may_declare_routes(&source.path, &facts).then_some(tree);
                (source.clone(), Some((kept, syntax_error)), facts)
            })
            .collect()
    });
    let (out, parsed) = crate::timings::time("merge facts", || merge(per_file));
    let (routes, beside) = crate::timings::time("routes", || {
        routes::extract(&parsed, &out.model, || beside(&out.model))
    });
    let mut out = out;
    out.model.routes = routes;
    // Each tree is one allocation: freeing them is cheap, and later phases reuse the
    // memory.
    drop(parsed);
    (out, beside)
}

/// What reading one file gave: its tree (when route resolution needs it) and first
/// syntax error, or nothing when tree-sitter could not parse it; and its facts.
type FileRead = (
    SharedSource,
    Option<(Option<Tree>, Option<Finding>)>,
    facts::FileFacts,
);

/// One model from the files' facts, function indices made global; the trees that route
/// resolution reads, with where each file's functions start.
fn merge(per_file: Vec<FileRead>) -> (CodeFacts, Vec<ParsedFile>) {
    let mut out = CodeFacts::default();
    // Exact sizes first: growing by doubling would copy the largest vectors repeatedly
    // and leave up to half of them unused.
    let total = |count: fn(&facts::FileFacts) -> usize| -> usize {
        per_file.iter().map(|(_, _, f)| count(f)).sum()
    };
    let model = &mut out.model;
    model.functions.reserve_exact(total(|f| f.functions.len()));
    model.imports.reserve_exact(total(|f| f.imports.len()));
    model.files.reserve_exact(per_file.len());
    let mut parsed = Vec::new();
    for (source, parsed_file, file_facts) in per_file {
        let Some((tree, syntax_error)) = parsed_file else {
            out.problems.push(crate::spec::parse_error(
                Location::new(&source, Span::default()),
                "tree-sitter could not parse this file; it was skipped",
            ));
            continue;
        };
        out.problems.extend(syntax_error);
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
        let (mut calls, mut assignments, mut returns) =
            (file_facts.calls, file_facts.assignments, file_facts.returns);
        calls
            .iter_mut()
            .for_each(|c| c.function = shift(c.function));
        assignments
            .iter_mut()
            .for_each(|a| a.function = shift(a.function));
        returns
            .iter_mut()
            .for_each(|r| r.function = shift(r.function));
        model.calls.push_file(calls);
        model.assignments.push_file(assignments);
        model.returns.push_file(returns);
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
        if let Some(tree) = tree {
            parsed.push(ParsedFile {
                source,
                tree,
                first_function: offset,
            });
        }
    }
    (out, parsed)
}

/// Modules of the web frameworks (and their extensions) whose importers may declare
/// routes, routers, guards or limits.
const WEB_MODULES: &[&str] = &[
    "fastapi",
    "starlette",
    "flask",
    "django",
    "rest_framework",
    "slowapi",
    "apiflask",
    "flask_restful",
    "flask_smorest",
    "quart",
];

/// Whether route resolution needs this file: it imports a web framework, or it is a
/// Django settings or URL conf module (which need not import anything).
fn may_declare_routes(path: &str, facts: &facts::FileFacts) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let imports_web = facts.imports.iter().any(|i| {
        let root = i
            .module
            .trim_start_matches('.')
            .split('.')
            .next()
            .unwrap_or("");
        // Extensions keep their framework's name: `flask_restx`, `rest_framework_bulk`.
        WEB_MODULES.contains(&root)
            || root.starts_with("flask_")
            || root.starts_with("rest_framework_")
    });
    let django_conf = file == "urls.py"
        || file.starts_with("settings")
        || path.split('/').any(|d| d == "settings")
        || facts.assignments.iter().any(|a| {
            a.function.is_none()
                && matches!(
                    a.target.as_str(),
                    "urlpatterns" | "ROOT_URLCONF" | "REST_FRAMEWORK"
                )
        });
    // Blueprints and routers are often imported from the app package, not the
    // framework: `from app.api import bp` then `@bp.route(...)`.
    let declares = facts.functions.iter().any(|f| {
        f.decorators.iter().any(|d| {
            let last = d.rsplit('.').next().unwrap_or(d);
            d.contains('.') && ROUTE_DECORATORS.contains(&last)
        })
    }) || facts.calls.iter().any(|c| {
        let last = c.callee.rsplit('.').next().unwrap_or(&c.callee);
        ROUTE_CALLS.contains(&last) || last.ends_with("Router") || last.ends_with("Blueprint")
    });
    // Class-based views and resources often live in modules that import only the
    // project's base class (`class UserResource(BaseResource)`): a class answering an
    // HTTP verb may be routed from elsewhere.
    let answers_verbs = facts
        .functions
        .iter()
        .any(|f| f.class.is_some() && crate::model::Method::from_key(&f.name).is_some());
    imports_web || django_conf || declares || answers_verbs
}

/// Decorator names (the last segment of `@x.route`) that declare routes.
const ROUTE_DECORATORS: &[&str] = &[
    "route",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "api_route",
    "websocket",
    "before_request",
    "before_app_request",
    "middleware",
];

/// Calls that mount or declare routes.
const ROUTE_CALLS: &[&str] = &[
    "include_router",
    "register_blueprint",
    "add_url_rule",
    "add_api_route",
    "add_route",
    "mount",
    "register",
    "as_view",
    "path",
    "re_path",
];

/// A problem found while reading, reported like a parse error.
pub fn problem(source: &SharedSource, span: Span, message: impl Into<String>) -> Finding {
    crate::spec::parse_error(Location::new(source, span), message)
}

#[cfg(test)]
mod tests {
    use super::is_test_path;

    #[test]
    fn test_code_is_known_by_its_folder_or_name() {
        for path in [
            "tests/api.py",
            "app/test/views.py",
            "cypress/e2e/auth/main.py",
            "frontend/e2e/server.py",
            "benches/bench_count_flow_runs.py",
            "benchmarks/queries.py",
            "app/test_orders.py",
            "app/orders_test.py",
            "conftest.py",
        ] {
            assert!(is_test_path(path), "{path}");
        }
        for path in [
            "app/testing_tools.py",
            "app/contest/views.py",
            "app/latest.py",
            "app/workbench/views.py",
        ] {
            assert!(!is_test_path(path), "{path}");
        }
    }
}
