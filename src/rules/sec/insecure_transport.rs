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
