//! sec/missing-rate-limit: an API that documents no rate limiting, and auth
//! operations without a 429.

use crate::finding::Finding;
use crate::model::path::{is_param, segments};
use crate::model::{Endpoint, Method, Response};
use crate::rules::Context;

const ID: &str = "sec/missing-rate-limit";

const AUTH_WORDS: &[&str] = &[
    "login",
    "signin",
    "sign-in",
    "token",
    "signup",
    "sign-up",
    "register",
    "otp",
    "mfa",
    "2fa",
    "password",
    "reset-password",
    "forgot-password",
    "password-reset",
    "verify",
    "session",
    "sessions",
    "tokens",
    "auth",
    "authenticate",
];

fn declares_limit(r: &Response) -> bool {
    r.numeric() == Some(429)
        || r.headers.iter().any(|h| {
            let h = h.to_ascii_lowercase();
            h.contains("ratelimit") || h.contains("rate-limit") || h == "retry-after"
        })
}

/// A POST to an authentication word that is not below a resource:
/// `/auth/login`, `/sessions`; not `/conferences/{id}/sessions`.
fn is_auth_operation(e: &Endpoint) -> bool {
    e.method == Method::Post
        && segments(&e.path)
            .take_while(|s| !is_param(s))
            .any(|s| AUTH_WORDS.contains(&s.to_ascii_lowercase().as_str()))
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    let mut out = Vec::new();
    for (doc_index, doc) in api.documents.iter().enumerate() {
        let endpoints: Vec<&Endpoint> = api.endpoints_of(doc_index).collect();
        if endpoints.is_empty() {
            continue;
        }
        if !endpoints
            .iter()
            .any(|e| e.responses.iter().any(declares_limit))
        {
            let auth = endpoints.iter().filter(|e| is_auth_operation(e)).count();
            let mut message =
                String::from("no operation declares a 429 response or rate-limit headers");
            if auth > 0 {
                message.push_str(&format!(", including {auth} authentication operation(s)"));
            }
            out.push(
                Finding::new(ID, doc.where_findings_go().clone(), message)
                    .label("no rate limiting documented")
                    .help("rate-limit the API and document it: a 429 response with `Retry-After` and `RateLimit` headers")
                    .anchor(doc.anchor("/paths")),
            );
            continue;
        }
        for e in endpoints.into_iter().filter(|e| is_auth_operation(e)) {
            if !e.responses.iter().any(declares_limit) {
                out.push(
                    Finding::new(ID, e.location.clone(), format!("{} is an authentication operation without a 429 response", e.display()))
                        .label("auth operation without rate limit")
                        .help("limit attempts per account and per client, and declare 429 with `Retry-After`")
                        .anchor(e.anchor.clone()),
                );
            }
        }
    }
    out
}
