//! ops/missing-health-check: the service exposes no health or readiness route.

use crate::finding::Finding;
use crate::model::path::is_health_path;
use crate::rules::Context;

const ID: &str = "ops/missing-health-check";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = check_spec(ctx);
    out.extend(check_code(ctx));
    out
}

fn check_spec(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    // The service the documents describe is the code's: a health route declared there
    // (often left out of the schema) is the service's.
    if ctx.project.code.routes.iter().any(is_health_route) {
        return Vec::new();
    }
    api.documents
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            let mut endpoints = api.endpoints_of(*i).peekable();
            endpoints.peek().is_some() && !endpoints.any(|e| is_health_path(&e.path))
        })
        .map(|(_, doc)| {
            Finding::new(ID, doc.where_findings_go().clone(), "the API exposes no health or readiness route (`/health`, `/healthz`, `/ready`)")
                .label("no health check")
                .help("add a cheap `GET /health` (liveness) and `GET /ready` (checks dependencies) for load balancers and orchestrators")
                .anchor(doc.anchor("/paths"))
        })
        .collect()
}

/// A GET route whose handler is named as a probe, wherever it is mounted
/// (`path("", health_check)` in an app's URL conf, `def good_to_go()`).
fn is_health_handler(route: &crate::model::code::Route) -> bool {
    let name = crate::model::code::last_segment(&route.handler).to_ascii_lowercase();
    route.method == crate::model::Method::Get
        && (["health", "readiness", "liveness", "heartbeat", "good_to_go"]
            .iter()
            .any(|w| name.contains(w))
            || matches!(name.as_str(), "ping" | "ready" | "alive" | "gtg"))
}

fn is_health_route(route: &crate::model::code::Route) -> bool {
    is_health_path(&route.path) || is_health_handler(route)
}

/// Routes in code: a service that declares routes but no health route.
fn check_code(ctx: &Context) -> Vec<Finding> {
    let routes = &ctx.project.code.routes;
    let Some(first) = routes.first() else {
        return Vec::new();
    };
    if routes.iter().any(is_health_route)
        || ctx
            .project
            .api
            .endpoints
            .iter()
            .any(|e| crate::model::path::is_health_path(&e.path))
    {
        return Vec::new();
    }
    vec![Finding::new(
        ID,
        first.location.clone(),
        format!("none of the {} routes is a health or readiness route that load balancers and orchestrators could probe", routes.len()),
    )
    .label("no health route")
    .help("add `GET /health` (the process is up) and, if it has dependencies, `GET /ready` (it can serve: database reachable)")]
}
