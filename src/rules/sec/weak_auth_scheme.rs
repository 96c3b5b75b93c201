//! sec/weak-auth-scheme: HTTP basic auth, or API keys passed in the query string.

use std::collections::HashSet;

use crate::finding::Finding;
use crate::model::SchemeKind;
use crate::rules::Context;

const ID: &str = "sec/weak-auth-scheme";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = check_spec(ctx);
    out.extend(check_code(ctx));
    out
}

fn check_spec(ctx: &Context) -> Vec<Finding> {
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

/// JWTs decoded without checking their signature.
fn check_code(ctx: &Context) -> Vec<Finding> {
    use crate::model::code::Value;
    use crate::rules::common::in_test_code;
    let code = &ctx.project.code;
    let mut out = Vec::new();
    for call in code
        .calls_named(&["decode"])
        .into_iter()
        .filter(|c| c.callee.contains("jwt"))
    {
        if in_test_code(code, &call.location) {
            continue;
        }
        let unverified_option = call.keyword("options").and_then(|a| match &a.value {
            Value::Dict(pairs) => pairs
                .iter()
                .any(|(k, v)| matches!(k, Value::Str(k) if k == "verify_signature") && v.is_false())
                .then_some(a),
            _ => None,
        });
        let verify_false = call.keyword("verify").filter(|a| a.value.is_false());
        let none_alg = call.keyword("algorithms").filter(|a| match &a.value {
            Value::List(items) => items
                .iter()
                .any(|v| matches!(v, Value::Str(s) if s.eq_ignore_ascii_case("none"))),
            Value::Str(s) => s.eq_ignore_ascii_case("none"),
            _ => false,
        });
        let Some(arg) = unverified_option.or(verify_false).or(none_alg) else {
            continue;
        };
        out.push(
            Finding::new(
                ID,
                arg.location.clone(),
                format!("`{}` accepts tokens without checking their signature: anyone can forge a token for any user", call.callee),
            )
            .label("signature not verified")
            .help("verify the signature with the key and an explicit algorithm list (`jwt.decode(token, key, algorithms=[\"HS256\"])`)"),
        );
    }
    out
}
