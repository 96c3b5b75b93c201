//! ops/missing-health-check: the service exposes no health or readiness route.

use crate::finding::Finding;
use crate::model::path::is_health_path;
use crate::rules::Context;

const ID: &str = "ops/missing-health-check";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
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
