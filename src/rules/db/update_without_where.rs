//! db/update-without-where: an UPDATE or DELETE of every row in application code.

use rustc_hash::FxHashMap;

use super::first_line;
use crate::finding::{Finding, Location};
use crate::model::code::{CodeModel, Function};
use crate::model::naming::words;
use crate::model::query::QueryKind;
use crate::rules::Context;

const ID: &str = "db/update-without-where";

/// Words of a function name that say it touches every row on purpose: `delete_all`,
/// `clear`, `truncate_cache`, `drop_table`, `reset_counters`.
const EVERY_ROW_WORDS: &[&str] = &[
    "all",
    "every",
    "everyone",
    "everything",
    "clear",
    "truncate",
    "purge",
    "wipe",
    "reset",
    "drop",
    "flush",
];

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut functions = FunctionsByFile::new(&ctx.project.code);
    ctx.project
        .sql
        .queries
        .iter()
        .filter(|q| matches!(q.kind, QueryKind::Update | QueryKind::Delete) && !q.has_where)
        .filter(|q| {
            !functions
                .innermost(&q.location)
                .is_some_and(|f| says_every_row(&f.name))
        })
        .map(|q| {
            let verb = if q.kind == QueryKind::Update {
                "UPDATE"
            } else {
                "DELETE"
            };
            let table = q
                .tables
                .first()
                .map(|t| format!(" of `{t}`"))
                .unwrap_or_default();
            Finding::new(
                ID,
                first_line(&q.location),
                format!("`{verb}`{table} has no WHERE clause: it touches every row"),
            )
            .label(format!("{verb} without WHERE"))
            .help("add the WHERE clause; if every row is really meant, write `WHERE true` to say so, or use TRUNCATE")
        })
        .collect()
}

fn says_every_row(function: &str) -> bool {
    words(function)
        .iter()
        .any(|w| EVERY_ROW_WORDS.contains(&w.as_str()))
}

/// The code's functions by file, gathered on the first question: most runs have no
/// query to ask about.
struct FunctionsByFile<'a> {
    code: &'a CodeModel,
    by_file: Option<FxHashMap<&'a str, Vec<&'a Function>>>,
}

impl<'a> FunctionsByFile<'a> {
    fn new(code: &'a CodeModel) -> Self {
        FunctionsByFile {
            code,
            by_file: None,
        }
    }

    /// The innermost function whose definition holds `at`.
    fn innermost(&mut self, at: &Location) -> Option<&'a Function> {
        let code = self.code;
        let by_file = self.by_file.get_or_insert_with(|| {
            let mut map: FxHashMap<&str, Vec<&Function>> = FxHashMap::default();
            for f in &code.functions {
                map.entry(f.span.path()).or_default().push(f);
            }
            map
        });
        by_file
            .get(at.path())?
            .iter()
            .filter(|f| f.span.span.start <= at.span.start && at.span.end <= f.span.span.end)
            .min_by_key(|f| f.span.span.end - f.span.span.start)
            .copied()
    }
}
