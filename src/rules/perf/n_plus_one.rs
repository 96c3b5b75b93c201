//! perf/n-plus-one: a query per row of another query.

use crate::finding::Finding;
use crate::rules::common::in_test_code;
use crate::rules::Context;

const ID: &str = "perf/n-plus-one";

/// A call that returns the rows of a query.
fn is_query_result(callee: &str) -> bool {
    let last = callee.rsplit('.').next().unwrap_or(callee);
    (callee.contains(".objects.")
        && matches!(
            last,
            "all" | "filter" | "exclude" | "order_by" | "select_related" | "values"
        ))
        || (callee.contains("query") && matches!(last, "all" | "filter" | "filter_by" | "order_by"))
        || matches!(last, "fetchall" | "scalars")
        || (last == "all"
            && (callee.contains("session")
                || callee.contains("scalars")
                || callee.contains("execute")))
}

/// A call that runs one query.
/// The last segments of the callees [`is_query`] accepts.
const QUERY_METHODS: &[&str] = &[
    "get", "filter", "first", "count", "exists", "create", "all", "query", "execute", "scalar",
    "scalars",
];

fn is_query(callee: &str) -> bool {
    let last = callee.rsplit('.').next().unwrap_or(callee);
    (callee.contains(".objects.")
        && matches!(
            last,
            "get" | "filter" | "first" | "count" | "exists" | "create" | "all"
        ))
        || ((callee.starts_with("session.")
            || callee.starts_with("db.session.")
            || callee.starts_with("db."))
            && matches!(last, "query" | "execute" | "get" | "scalar" | "scalars"))
        || (callee.starts_with("cursor") && last == "execute")
}

/// Code that runs once, by hand, not per request: migrations, management commands,
/// scripts.
fn offline(path: &str) -> bool {
    path.split('/').any(|d| {
        matches!(
            d,
            "migrations" | "commands" | "scripts" | "bin" | "versions"
        )
    })
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let mut out = Vec::new();
    // A chain (`Item.objects.filter(...).count()`) is one query: report it once, at the
    // outermost call, which starts where the inner ones do.
    let mut reported_starts = std::collections::HashSet::new();
    let mut calls = code.calls_named(QUERY_METHODS);
    calls.retain(|c| is_query(&c.callee));
    calls.sort_by_key(|c| {
        (
            c.location.path(),
            c.location.span.start,
            std::cmp::Reverse(c.location.span.end),
        )
    });
    for call in calls {
        if in_test_code(code, &call.location) || offline(call.location.path()) {
            continue;
        }
        let Some(outer) = call
            .loops
            .iter()
            .flatten()
            .find(|iterable| is_query_result(iterable))
        else {
            continue;
        };
        if !reported_starts.insert((call.location.path(), call.location.span.start)) {
            continue;
        }
        out.push(
            Finding::new(
                ID,
                call.location.clone(),
                format!("`{}` runs once per row of `{outer}(...)`: one query becomes N+1, and the page gets slower as the data grows", call.callee),
            )
            .label("query inside a loop over query results")
            .help("fetch the related rows in the first query: `select_related`/`prefetch_related` (Django), `selectinload`/`joinedload` (SQLAlchemy), or one `WHERE id IN (...)` query"),
        );
    }
    out
}
