//! sec/weak-auth-scheme: HTTP basic auth, or API keys passed in the query string.

use std::collections::HashSet;

use crate::finding::Finding;
use crate::model::SchemeKind;
use crate::rules::Context;

const ID: &str = "sec/weak-auth-scheme";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    let mut out = Vec::new();
    for (doc_index, doc) in api.documents.iter().enumerate() {
        // A scheme nobody uses is not a weakness of the API.
        let used: HashSet<&str> = doc
            .global_security
            .iter()
            .chain(
                api.endpoints_of(doc_index)
                    .filter_map(|e| e.security.as_ref()),
            )
            .flat_map(|d| {
                d.requirements
                    .iter()
                    .flat_map(|r| r.schemes.iter().map(|s| s.name.as_str()))
            })
            .collect();
        for scheme in doc
            .security_schemes
            .iter()
            .filter(|s| used.contains(s.name.as_str()))
        {
            let (message, help) = match &scheme.kind {
                SchemeKind::HttpBasic => (
                    format!("security scheme `{}` is HTTP basic: the password travels with every request", scheme.name),
                    "use OAuth2 / OpenID Connect or short-lived bearer tokens",
                ),
                SchemeKind::ApiKey { location } if location == "query" => (
                    format!("security scheme `{}` takes the API key in the query string, where logs, proxies and browser history keep it", scheme.name),
                    "pass the key in a header (`in: header`) instead",
                ),
                _ => continue,
            };
            out.push(
                Finding::new(ID, scheme.location.clone(), message)
                    .label("weak authentication")
                    .help(help)
                    .anchor(doc.anchor(scheme.pointer.clone())),
            );
        }
    }
    out
}
