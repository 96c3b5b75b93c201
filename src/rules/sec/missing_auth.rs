//! sec/missing-auth: operations that anyone can call, on paths that are not public.

use crate::finding::{Finding, Level};
use crate::model::path::segments;
use crate::model::Endpoint;
use crate::rules::Context;

const ID: &str = "sec/missing-auth";

const SENSITIVE: &[&str] = &[
    "admin",
    "debug",
    "internal",
    "config",
    "env",
    "metrics",
    "actuator",
    "management",
    "superuser",
];

fn sensitive_segment(path: &str) -> Option<&str> {
    segments(path).find(|s| {
        let lower = s.to_ascii_lowercase();
        SENSITIVE.contains(&lower.as_str()) || (s.starts_with('_') && s.len() > 1)
    })
}

fn is_anonymous(e: &Endpoint) -> bool {
    e.security.as_ref().is_none_or(|s| s.allows_anonymous())
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    let public = &ctx.settings.public_paths;
    let mut out = Vec::new();
    for (doc_index, doc) in api.documents.iter().enumerate() {
        let endpoints: Vec<&Endpoint> = api.endpoints_of(doc_index).collect();
        if endpoints.is_empty() {
            continue;
        }
        let guarded: Vec<&&Endpoint> = endpoints
            .iter()
            .filter(|e| !public.is_match(&e.path))
            .collect();
        if guarded.is_empty() {
            continue;
        }
        // No authentication anywhere: say it once; it may live in a gateway.
        if guarded.iter().all(|e| is_anonymous(e)) {
            // A global `security` with a `{}` alternative makes authentication optional
            // on purpose: say that, where it is written.
            let optional = doc
                .global_security
                .as_ref()
                .filter(|s| !s.requirements.is_empty() && s.allows_anonymous());
            let location = optional
                .map(|s| s.location.clone())
                .unwrap_or_else(|| doc.where_findings_go().clone());
            let message = if optional.is_some() {
                format!(
                    "the top-level `security` lets anonymous callers in (a `{{}}` alternative), and no operation requires more ({} non-public operations)",
                    guarded.len()
                )
            } else if doc.security_schemes.is_empty() {
                format!(
                    "the document declares no authentication at all ({} non-public operations)",
                    guarded.len()
                )
            } else {
                format!(
                    "security schemes are defined but no operation requires one ({} non-public operations)",
                    guarded.len()
                )
            };
            out.push(
                Finding::new(ID, location, message)
                    .label("no authentication")
                    .help("declare a security scheme and a top-level `security` requirement; if a gateway authenticates, suppress this with the reason")
                    .anchor(doc.anchor("/paths")),
            );
            continue;
        }
        for e in endpoints.into_iter().filter(|e| is_anonymous(e)) {
            if public.is_match(&e.path) {
                continue;
            }
            let sensitive = sensitive_segment(&e.path);
            let level = if sensitive.is_some() || e.method.is_write() {
                Level::Error
            } else {
                Level::Warning
            };
            let how = match &e.security {
                Some(s) if s.requirements.is_empty() => "turns authentication off (`security: []`)",
                Some(_) => "allows anonymous access (`{}` in `security`)",
                None => "declares no `security`, and the document has no global requirement",
            };
            let mut message = format!("{} {how}", e.display());
            if let Some(seg) = sensitive {
                message.push_str(&format!("; `{seg}` paths must never be public"));
            }
            let mut f = Finding::new(ID, e.location.clone(), message)
                .label("unauthenticated")
                .level(level)
                .help("require a security scheme on this operation, or add the path to `policy.public-paths` if it is meant to be public")
                .anchor(e.anchor.clone());
            if let Some(s) = e.security.as_ref().filter(|_| e.security_is_own) {
                f = f.related(s.location.clone(), "security declared here");
            }
            out.push(f);
        }
    }
    out
}
