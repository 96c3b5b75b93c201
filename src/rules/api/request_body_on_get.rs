//! api/request-body-on-get: GET/HEAD/DELETE with a request body.

use crate::finding::Finding;
use crate::model::Method;
use crate::rules::Context;

const ID: &str = "api/request-body-on-get";

pub fn check(ctx: &Context) -> Vec<Finding> {
    ctx.project
        .api
        .endpoints
        .iter()
        .filter(|e| matches!(e.method, Method::Get | Method::Head | Method::Delete))
        .filter_map(|e| {
            let body = e.request_body.as_ref()?;
            Some(
                Finding::new(
                    ID,
                    body.clone(),
                    format!("{} takes a request body; {} bodies have no defined meaning and proxies and clients drop them", e.display(), e.method.upper()),
                )
                .label("request body")
                .help("move the input to query parameters, or use POST for a search with a complex body")
                .anchor(e.anchor_at("/requestBody")),
            )
        })
        .collect()
}
