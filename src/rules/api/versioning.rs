//! api/versioning: no version in the URI (policy `uri`), a version in the URI
//! (policies `header`/`media-type`), or versioned and unversioned paths mixed.

use std::collections::HashSet;

use crate::config::Versioning;
use crate::finding::Finding;
use crate::model::path::{has_version, is_infrastructure};
use crate::model::{Endpoint, ParamIn};
use crate::rules::Context;

const ID: &str = "api/versioning";

/// A header that carries the API version: `X-API-Version`, `Accept-Version`,
/// `x-prefect-api-version`.
fn takes_version_header(endpoint: &Endpoint) -> bool {
    endpoint.parameters.iter().any(|p| {
        p.location_in == ParamIn::Header && p.name.to_ascii_lowercase().contains("version")
    })
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    let policy = ctx.policy().versioning;
    let mut out = Vec::new();
    for (doc_index, doc) in api.documents.iter().enumerate() {
        let endpoints: Vec<&Endpoint> = api.endpoints_of(doc_index).collect();
        if endpoints.is_empty() {
            continue;
        }
        let versioned_server = doc
            .servers
            .iter()
            .chain(endpoints.iter().flat_map(|e| e.servers.iter()))
            .find(|s| has_version(&s.url));
        // An API whose operations mostly take a version header is versioned by it: its
        // paths need no version, and a `/v2/...` resource beside them is no mix. A
        // majority, not any one operation: an `X-Client-Version` here and there does
        // not version the rest.
        let operations: Vec<&Endpoint> = endpoints
            .iter()
            .copied()
            .filter(|e| !is_infrastructure(&e.path))
            .collect();
        let by_header = operations
            .iter()
            .filter(|e| takes_version_header(e))
            .count();
        let header_versioned = by_header > 0 && by_header * 2 >= operations.len();
        let mut seen = HashSet::new();
        let paths: Vec<&Endpoint> = endpoints
            .into_iter()
            .filter(|e| seen.insert(e.path.as_str()))
            .collect();
        let versioned_path = paths.iter().find(|e| has_version(&e.path));
        let unversioned: Vec<&&Endpoint> = paths
            .iter()
            .filter(|e| !has_version(&e.path) && !is_infrastructure(&e.path))
            .collect();
        match policy {
            Versioning::Uri
                if versioned_server.is_none()
                    && !header_versioned
                    && versioned_path.is_none()
                    && !unversioned.is_empty() =>
            {
                out.push(
                    Finding::new(ID, doc.where_findings_go().clone(), "no path or server URL carries a version segment (`/v1`)")
                        .label("unversioned API")
                        .help("prefix the paths or the server URL with `/v1`; if you version by header or media type, set `policy.versioning` accordingly")
                        .anchor(doc.anchor("/paths")),
                );
                continue;
            }
            Versioning::Header | Versioning::MediaType => {
                let location = versioned_server
                    .map(|s| s.location.clone())
                    .or_else(|| versioned_path.map(|e| e.path_location.clone()));
                if let Some(location) = location {
                    out.push(
                        Finding::new(
                            ID,
                            location,
                            format!("the policy versions by {}, but this URI carries a version", if policy == Versioning::Header { "header" } else { "media type" }),
                        )
                        .label("version in the URI")
                        .help("drop the version segment from the URI, or set `policy.versioning = \"uri\"`")
                        .anchor(doc.anchor("/paths")),
                    );
                }
            }
            _ => {}
        }
        // A mix is one decision about the whole API, so it is one finding, at the first
        // path without a version: one per path buries every other finding in a large
        // document.
        if versioned_server.is_none() && !header_versioned {
            if let (Some(example), Some(first)) = (versioned_path, unversioned.first()) {
                let subject = match unversioned.len() {
                    1 => format!("`{}` has", first.path),
                    2 => format!("`{}` and 1 other path have", first.path),
                    n => format!("`{}` and {} other paths have", first.path, n - 1),
                };
                out.push(
                    Finding::new(
                        ID,
                        first.path_location.clone(),
                        format!(
                            "{subject} no version while other paths do (`{}`)",
                            example.path
                        ),
                    )
                    .label(match unversioned.len() {
                        1 => "unversioned path among versioned ones".to_string(),
                        n => format!("first of {n} unversioned paths among versioned ones"),
                    })
                    .help("put every path under one version prefix, or version by a header such as `X-API-Version`")
                    .anchor(doc.anchor("/paths")),
                );
            }
        }
    }
    out
}
