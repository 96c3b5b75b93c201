//! perf/blocking-in-async: a blocking call inside `async def` stalls the event loop.

use crate::finding::Finding;
use crate::model::code::Call;
use crate::rules::common::{in_async_function, in_test_code, is_requests_call};
use crate::rules::Context;

const ID: &str = "perf/blocking-in-async";

/// The blocking call and what to use instead.
fn blocking(call: &Call) -> Option<&'static str> {
    if is_requests_call(call) {
        return Some("an async client such as `httpx.AsyncClient`");
    }
    match call.callee.as_str() {
        "time.sleep" => Some("`await asyncio.sleep(...)`"),
        "urlopen" | "urllib.request.urlopen" => Some("an async client such as `httpx.AsyncClient`"),
        "subprocess.run"
        | "subprocess.call"
        | "subprocess.check_call"
        | "subprocess.check_output"
        | "os.system" => Some("`asyncio.create_subprocess_exec`"),
        "psycopg2.connect" | "pymysql.connect" | "MySQLdb.connect" => {
            Some("an async driver (asyncpg, psycopg 3's async connection, aiomysql)")
        }
        _ => None,
    }
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let mut out = Vec::new();
    for call in &code.calls {
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
