//! perf/blocking-in-async: a blocking call inside `async def` stalls the event loop.

use crate::finding::Finding;
use crate::model::code::Call;
use crate::rules::common::{in_async_function, in_test_code, is_requests_call, REQUESTS_CALLS};
use crate::rules::Context;

const ID: &str = "perf/blocking-in-async";

/// The blocking call and what to use instead.
fn blocking(call: &Call) -> Option<&'static str> {
    if is_requests_call(call) {
        return Some("an async client such as `httpx.AsyncClient`");
    }
    BLOCKING
        .iter()
        .find(|(callee, _)| *callee == call.callee)
        .map(|(_, instead)| *instead)
}

const ASYNC_HTTP: &str = "an async client such as `httpx.AsyncClient`";
const ASYNC_SUBPROCESS: &str = "`asyncio.create_subprocess_exec`";
const ASYNC_DRIVER: &str = "an async driver (asyncpg, psycopg 3's async connection, aiomysql)";

/// Blocking calls besides `requests`, and what to use instead.
const BLOCKING: &[(&str, &str)] = &[
    ("time.sleep", "`await asyncio.sleep(...)`"),
    ("urlopen", ASYNC_HTTP),
    ("urllib.request.urlopen", ASYNC_HTTP),
    ("subprocess.run", ASYNC_SUBPROCESS),
    ("subprocess.call", ASYNC_SUBPROCESS),
    ("subprocess.check_call", ASYNC_SUBPROCESS),
    ("subprocess.check_output", ASYNC_SUBPROCESS),
    ("os.system", ASYNC_SUBPROCESS),
    ("psycopg2.connect", ASYNC_DRIVER),
    ("pymysql.connect", ASYNC_DRIVER),
    ("MySQLdb.connect", ASYNC_DRIVER),
];

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let mut out = Vec::new();
    let callees: Vec<&str> = REQUESTS_CALLS
        .iter()
        .chain(BLOCKING.iter().map(|(callee, _)| callee))
        .copied()
        .collect();
    for call in code.calls_exactly(&callees) {
        let Some(instead) = blocking(call) else {
            continue;
        };
        if !in_async_function(code, call) || in_test_code(code, &call.location) {
            continue;
        }
        let function = code
            .function(call.function)
            .map(|f| f.name.as_str())
            .unwrap_or("");
        out.push(
            Finding::new(
                ID,
                call.location.clone(),
                format!("`{}` blocks inside `async def {function}`: the whole event loop, and every request it serves, waits for it", call.callee),
            )
            .label("blocking call in async code")
            .help(format!("use {instead}, or run it in a thread with `await asyncio.to_thread(...)`")),
        );
    }
    out
}
