//! perf/connection-per-request: a connection, pool or client built for each request.

use crate::finding::Finding;
use crate::rules::common::{handler_functions, in_handler};
use crate::rules::Context;

const ID: &str = "perf/connection-per-request";

const ENGINE: &str = "a database engine (and its pool)";
const CONNECTION: &str = "a database connection";
const REDIS: &str = "a Redis client";
const HTTP: &str = "an HTTP client (and its connection pool)";

/// The calls that build a connection, pool or client, and what they build.
const BUILDERS: &[(&str, &str)] = &[
    ("create_engine", ENGINE),
    ("sqlalchemy.create_engine", ENGINE),
    ("create_async_engine", ENGINE),
    ("psycopg2.connect", CONNECTION),
    ("psycopg.connect", CONNECTION),
    ("pymysql.connect", CONNECTION),
    ("MySQLdb.connect", CONNECTION),
    ("asyncpg.connect", CONNECTION),
    ("asyncpg.create_pool", CONNECTION),
    ("psycopg2.pool.SimpleConnectionPool", CONNECTION),
    ("redis.Redis", REDIS),
    ("redis.StrictRedis", REDIS),
    ("Redis", REDIS),
    ("redis.from_url", REDIS),
    ("requests.Session", HTTP),
    ("httpx.Client", HTTP),
    ("httpx.AsyncClient", HTTP),
    ("aiohttp.ClientSession", HTTP),
    ("boto3.client", "an AWS client"),
    ("boto3.resource", "an AWS client"),
];

fn what_is_built(callee: &str) -> Option<&'static str> {
    BUILDERS
        .iter()
        .find(|(builder, _)| *builder == callee)
        .map(|(_, what)| *what)
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let handlers = handler_functions(code);
    let builders: Vec<&str> = BUILDERS.iter().map(|(callee, _)| *callee).collect();
    code.calls_exactly(&builders)
        .into_iter()
        .filter_map(|c| {
            let what = what_is_built(&c.callee).filter(|_| in_handler(&handlers, c))?;
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
