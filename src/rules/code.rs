//! Judgements the code rules share: which functions handle requests, what counts as
//! test code, and what a call does.

use std::collections::HashSet;

use crate::finding::Location;
use crate::model::code::{Call, CodeModel, Value};
use crate::rules::Context;

/// Indices of the functions that handle requests (route handlers).
pub fn handler_functions(code: &CodeModel) -> HashSet<usize> {
    code.routes.iter().filter_map(|r| r.function).collect()
}

/// Test code: secrets, prints and sleeps there are not findings.
pub fn in_test_code(code: &CodeModel, location: &Location) -> bool {
    code.file(location.path()).is_some_and(|f| f.is_test)
}

/// The call runs inside a request handler.
pub fn in_handler(handlers: &HashSet<usize>, call: &Call) -> bool {
    call.function.is_some_and(|f| handlers.contains(&f))
}

/// The call runs inside an `async def`.
pub fn in_async_function(code: &CodeModel, call: &Call) -> bool {
    code.function(call.function).is_some_and(|f| f.is_async)
}

/// Text that reads like SQL: a statement keyword followed by what it needs.
pub fn looks_like_sql(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    let has = |w: &str| {
        upper
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .any(|t| t == w)
    };
    (has("SELECT") && has("FROM"))
        || (has("INSERT") && has("INTO"))
        || (has("UPDATE") && has("SET"))
        || (has("DELETE") && has("FROM"))
        || has("WHERE")
}

/// `requests.get(...)` and friends: the module-level functions of `requests`.
pub fn is_requests_call(call: &Call) -> bool {
    matches!(
        call.callee.as_str(),
        "requests.get"
            | "requests.post"
            | "requests.put"
            | "requests.patch"
            | "requests.delete"
            | "requests.head"
            | "requests.options"
            | "requests.request"
    )
}

pub fn is_false(value: &Value) -> bool {
    matches!(value, Value::Bool(false))
}

pub fn is_true(value: &Value) -> bool {
    matches!(value, Value::Bool(true))
}

/// Code facts are only judged when the project has source files.
pub fn has_code(ctx: &Context) -> bool {
    !ctx.project.code.files.is_empty()
}
