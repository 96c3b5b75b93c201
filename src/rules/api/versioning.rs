//! api/versioning: no version in the URI (policy `uri`), a version in the URI
//! (policies `header`/`media-type`), or versioned and unversioned paths mixed.

use std::collections::HashSet;

use crate::config::Versioning;
use crate::finding::Finding;
use crate::model::path::{has_version, is_infrastructure};
use crate::model::Endpoint;
use crate::rules::Context;

const ID: &str = "api/versioning";

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
        if versioned_server.is_none() {
            if let Some(example) = versioned_path {
                for e in unversioned {
                    out.push(
                        Finding::new(
                            ID,
                            e.path_location.clone(),
                            format!(
                                "`{}` has no version while other paths do (`{}`)",
                                e.path, example.path
                            ),
                        )
                        .label("unversioned path among versioned ones")
                        .help("put every path under the same version prefix")
                        .anchor(
                            doc.anchor(e.pointer().rsplit_once('/').map(|(p, _)| p).unwrap_or("")),
                        ),
                    );
                }
            }
        }
    }
    out
}
