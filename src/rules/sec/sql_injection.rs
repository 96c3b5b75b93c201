//! sec/sql-injection: SQL text built from non-constant parts reaches an execute call.

use crate::code::embedded_sql::is_sql_sink;
use crate::finding::Finding;
use crate::model::code::{Call, CodeModel, Value};
use crate::rules::code::looks_like_sql;
use crate::rules::Context;

const ID: &str = "sec/sql-injection";

/// How the SQL of a call's first argument was built, when it was built from parts.
fn built_sql<'a>(code: &'a CodeModel, call: &Call, value: &'a Value) -> Option<&'a str> {
    match value {
        Value::Interpolated { constant } if looks_like_sql(constant) => Some("formatting"),
        // `sql = f"..."` earlier in the same function, then `execute(sql)`.
        Value::Name(name) if call.function.is_some() => code
            .assignments
            .iter()
            .rfind(|a| {
                a.function == call.function
                    && a.target == *name
                    && a.location.file.path == call.location.file.path
                    && a.location.span.start < call.location.span.start
            })
            .and_then(|a| match &a.value {
                Value::Interpolated { constant } if looks_like_sql(constant) => {
                    Some("formatting (in a variable assigned earlier)")
                }
                _ => None,
            }),
        _ => None,
    }
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let mut out = Vec::new();
    for call in code.calls.iter().filter(|c| is_sql_sink(c)) {
        let Some(arg) = call.positional(0) else {
            continue;
        };
        let Some(how) = built_sql(code, call, &arg.value) else {
            continue;
        };
        out.push(
            Finding::new(
                ID,
                arg.location.clone(),
                format!(
                    "SQL text built by string {how} reaches `{}`: a value that reaches it from a request can change the query",
                    call.callee
                ),
            )
            .label("SQL built from non-constant parts")
            .help("pass the values as parameters (`execute(\"... WHERE id = %s\", (user_id,))`, SQLAlchemy `text(\"... :id\")` with bound parameters); build only identifiers from an allow-list"),
        );
    }
    out
}
