//! perf/n-plus-one: a query per row of another query.

use crate::finding::Finding;
use crate::model::code::Call;
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
    // One finding per loop: a loop body making five queries is one fix (fetch the
    // related rows up front), and five findings would bury the others. Loops are told
    // apart by their function and their iterable as written.
    let mut groups: Vec<(&Call, &str, Vec<&Call>)> = Vec::new();
    let mut group_of: std::collections::HashMap<(&str, Option<usize>, &str), usize> =
        std::collections::HashMap::new();
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
        let key = (call.location.path(), call.function, outer.as_str());
        match group_of.get(&key) {
            Some(&g) => groups[g].2.push(call),
            None => {
                group_of.insert(key, groups.len());
                groups.push((call, outer.as_str(), Vec::new()));
            }
        }
    }
    for (call, outer, more) in groups {
        let message = match more.len() {
            0 => format!("`{}` runs once per row of `{outer}(...)`: one query becomes N+1, and the page gets slower as the data grows", call.callee),
            n => format!("`{}` and {n} more {} run once per row of `{outer}(...)`: each becomes one query per row, and the page gets slower as the data grows", call.callee, if n == 1 { "query" } else { "queries" }),
        };
        let mut finding = Finding::new(ID, call.location.clone(), message)
            .label("query inside a loop over query results")
            .help("fetch the related rows in the first query: `select_related`/`prefetch_related` (Django), `selectinload`/`joinedload` (SQLAlchemy), or one `WHERE id IN (...)` query");
        for other in more {
            finding = finding.related(
                other.location.clone(),
                format!("`{}` in the same loop", other.callee),
            );
        }
        out.push(finding);
    }
    out
}
