//! perf/connection-per-request: a connection, pool or client built for each request.

use crate::finding::Finding;
use crate::rules::common::{handler_functions, in_handler};
use crate::rules::Context;

const ID: &str = "perf/connection-per-request";

fn what_is_built(callee: &str) -> Option<&'static str> {
    match callee {
        "create_engine" | "sqlalchemy.create_engine" | "create_async_engine" => {
            Some("a database engine (and its pool)")
        }
        "psycopg2.connect"
        | "psycopg.connect"
        | "pymysql.connect"
        | "MySQLdb.connect"
        | "asyncpg.connect"
        | "asyncpg.create_pool"
        | "psycopg2.pool.SimpleConnectionPool" => Some("a database connection"),
        "redis.Redis" | "redis.StrictRedis" | "Redis" | "redis.from_url" => Some("a Redis client"),
        "requests.Session" | "httpx.Client" | "httpx.AsyncClient" | "aiohttp.ClientSession" => {
            Some("an HTTP client (and its connection pool)")
        }
        "boto3.client" | "boto3.resource" => Some("an AWS client"),
        _ => None,
    }
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let handlers = handler_functions(code);
    code.calls
        .iter()
        .filter(|c| in_handler(&handlers, c))
        .filter_map(|c| {
            let what = what_is_built(&c.callee)?;
            Some(
                Finding::new(
                    ID,
                    c.location.clone(),
                    format!("`{}` builds {what} on every request: connection setup (TCP, TLS, authentication) is paid each time and connections pile up under load", c.callee),
                )
                .label("built per request")
                .help("create it once at startup (module level, an app factory, or a lifespan handler) and share it; inject it with a dependency"),
            )
        })
        .collect()
}
