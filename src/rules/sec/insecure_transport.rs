//! sec/insecure-transport: a server reached over plain `http://` that is not local.

use std::collections::HashSet;

use crate::finding::Finding;
use crate::model::path::host_of;
use crate::model::Server;
use crate::rules::Context;

const ID: &str = "sec/insecure-transport";

/// Hosts for which plain HTTP is fine or the URL is a placeholder.
fn is_local_or_placeholder(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    h == "localhost"
        || h.ends_with(".localhost")
        || h.starts_with("127.")
        || h == "::1"
        || h == "0.0.0.0"
        || h.contains('{')
        || h.ends_with(".local")
        || h.ends_with(".test")
        || h.ends_with(".example")
        || h.ends_with(".invalid")
        || ["example.com", "example.org", "example.net"]
            .iter()
            .any(|d| h == *d || h.ends_with(&format!(".{d}")))
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = check_spec(ctx);
    out.extend(check_code(ctx));
    out
}

fn check_spec(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (doc_index, doc) in api.documents.iter().enumerate() {
        let servers: Vec<&Server> = doc
            .servers
            .iter()
            .chain(api.endpoints_of(doc_index).flat_map(|e| e.servers.iter()))
            .collect();
        for s in servers {
            if !s.url.to_ascii_lowercase().starts_with("http://") {
                continue;
            }
            let Some(host) = host_of(&s.url) else {
                continue;
            };
            if is_local_or_placeholder(host)
                || !seen.insert((s.location.file.path.clone(), s.location.span))
            {
                continue;
            }
            out.push(
                Finding::new(ID, s.location.clone(), format!("server `{}` is reached over plain HTTP", s.url))
                    .label("http://")
                    .help("serve the API over HTTPS only; plain HTTP exposes credentials and data in transit")
                    .anchor(doc.anchor(s.pointer.clone())),
            );
        }
    }
    out
}

/// TLS verification turned off in code: `verify=False` on an HTTP call, or an SSL
/// context that accepts any certificate.
fn check_code(ctx: &Context) -> Vec<Finding> {
    use crate::model::code::Value;
    use crate::rules::common::in_test_code;
    let code = &ctx.project.code;
    let mut out = Vec::new();
    let report = |location: &crate::finding::Location, what: String| {
        Finding::new(ID, location.clone(), what)
            .label("certificate not verified")
            .help("keep verification on; for a private CA pass its bundle (`verify=\"/path/ca.pem\"`) instead of turning checks off")
    };
    for call in &code.calls {
        let method = call.method();
        let http = call.callee.starts_with("requests.")
            || call.callee.starts_with("httpx.")
            || call.callee.starts_with("session.")
            || call.callee.starts_with("client.")
            || matches!(
                method,
                "get"
                    | "post"
                    | "put"
                    | "patch"
                    | "delete"
                    | "head"
                    | "request"
                    | "Client"
                    | "AsyncClient"
                    | "stream"
            );
        if !http || call.callee.contains("jwt") {
            continue;
        }
        if let Some(arg) = call
            .keyword("verify")
            .filter(|a| a.value.is_false() && !in_test_code(code, &call.location))
        {
            out.push(report(&arg.location, format!("`{}` is called with `verify=False`: anyone on the network path can read and change the traffic", call.callee)));
        }
    }
    for call in code.calls.iter().filter(|c| {
        c.callee == "ssl._create_unverified_context" && !in_test_code(code, &c.location)
    }) {
        out.push(report(
            &call.location,
            "an SSL context that accepts any certificate is created".to_string(),
        ));
    }
    for a in &code.assignments {
        if a.target.ends_with("verify_mode")
            && matches!(&a.value, Value::Name(n) if n.ends_with("CERT_NONE"))
            && !in_test_code(code, &a.location)
        {
            out.push(report(
                &a.value_location,
                "`verify_mode` is set to `CERT_NONE`: any certificate is accepted".to_string(),
            ));
        }
    }
    out
}
