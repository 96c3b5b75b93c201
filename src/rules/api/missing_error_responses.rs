//! api/missing-error-responses: operations that declare no error responses; secured
//! operations that declare no 401/403.

use crate::finding::Finding;
use crate::model::path::is_infrastructure;
use crate::model::{Endpoint, Response};
use crate::rules::Context;

const ID: &str = "api/missing-error-responses";

fn is_client_error_or_default(r: &Response) -> bool {
    r.code == "default" || r.class() == Some(4)
}

fn declares_auth_errors(e: &Endpoint) -> bool {
    e.responses.iter().any(|r| {
        r.code == "default"
            || r.code.eq_ignore_ascii_case("4XX")
            || matches!(r.numeric(), Some(401 | 403))
    })
}

fn is_secured(e: &Endpoint) -> bool {
    e.security.as_ref().is_some_and(|s| !s.allows_anonymous())
}

/// More than half: reported once for the document instead of per operation.
fn mostly(count: usize, total: usize) -> bool {
    total > 0 && count * 2 > total
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    let mut out = Vec::new();
    for (doc_index, doc) in api.documents.iter().enumerate() {
        // Health probes, docs and version routes take no input: nothing to document.
        let endpoints: Vec<&Endpoint> = api
            .endpoints_of(doc_index)
            .filter(|e| !is_infrastructure(&e.path))
            .collect();
        if endpoints.is_empty() {
            continue;
        }
        let without_errors: Vec<&&Endpoint> = endpoints
            .iter()
            .filter(|e| {
                !e.responses.is_empty() && !e.responses.iter().any(is_client_error_or_default)
            })
            .collect();
        // When most operations document no errors, the gap is the document's habit:
        // one finding says it; per-operation findings are for the exceptions.
        if mostly(without_errors.len(), endpoints.len()) {
            out.push(
                Finding::new(
                    ID,
                    doc.where_findings_go().clone(),
                    format!("{} of the {} operations declare no 4xx or `default` response", without_errors.len(), endpoints.len()),
                )
                .label("no error responses documented")
                .help("declare the errors clients must handle (400, 404, 422, ...) with a shared error schema, or a `default` response")
                .anchor(doc.anchor("/paths")),
            );
            continue;
        }
        for e in without_errors {
            out.push(
                Finding::new(ID, e.location.clone(), format!("{} declares no 4xx or `default` response", e.display()))
                    .label("no error responses")
                    .help("declare the errors this operation can return (400, 404, 422, ...), or a `default` response")
                    .anchor(e.anchor.clone()),
            );
        }
        let secured: Vec<&&Endpoint> = endpoints.iter().filter(|e| is_secured(e)).collect();
        let missing_auth_errors: Vec<&&&Endpoint> = secured
            .iter()
            .filter(|e| !declares_auth_errors(e))
            .collect();
        if mostly(missing_auth_errors.len(), secured.len()) {
            out.push(
                Finding::new(
                    ID,
                    doc.where_findings_go().clone(),
                    format!("{} of the {} secured operations declare neither 401 nor 403", missing_auth_errors.len(), secured.len()),
                )
                .label("no 401/403 documented")
                .help("declare 401 (missing or bad credentials) and 403 (not allowed) on secured operations")
                .anchor(doc.anchor("/paths")),
            );
        } else {
            for e in missing_auth_errors {
                out.push(
                    Finding::new(
                        ID,
                        e.location.clone(),
                        format!(
                            "{} is secured but declares neither 401 nor 403",
                            e.display()
                        ),
                    )
                    .label("no 401/403")
                    .help("declare 401 (missing or bad credentials) and 403 (not allowed)")
                    .anchor(e.anchor.clone()),
                );
            }
        }
    }
    out
}
