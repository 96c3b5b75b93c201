//! api/missing-success-response: an operation that declares no 1xx/2xx/3xx response.

use crate::finding::Finding;
use crate::rules::Context;

const ID: &str = "api/missing-success-response";

pub fn check(ctx: &Context) -> Vec<Finding> {
    ctx.project
        .api
        .endpoints
        .iter()
        .filter(|e| {
            // A lone `default` may describe success; stay quiet then.
            !e.responses
                .iter()
                .any(|r| r.code == "default" || matches!(r.class(), Some(1..=3)))
        })
        .map(|e| {
            let message = if e.responses.is_empty() {
                format!("{} declares no responses at all", e.display())
            } else {
                format!(
                    "{} declares only error responses; what does success look like?",
                    e.display()
                )
            };
            Finding::new(ID, e.location.clone(), message)
                .label("no success response")
                .help("declare the 2xx response (status, body schema) clients get on success")
                .anchor(e.anchor.clone())
        })
        .collect()
}
