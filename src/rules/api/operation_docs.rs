//! api/operation-docs: operations without `operationId` or a summary/description;
//! duplicate `operationId`s (an error: generated clients break on them).

use std::collections::HashMap;

use crate::finding::{Finding, Level};
use crate::model::Endpoint;
use crate::rules::Context;

const ID: &str = "api/operation-docs";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    let mut out = Vec::new();
    for (doc_index, doc) in api.documents.iter().enumerate() {
        let endpoints: Vec<&Endpoint> = api.endpoints_of(doc_index).collect();
        if endpoints.is_empty() {
            continue;
        }
        let no_id: Vec<&&Endpoint> = endpoints
            .iter()
            .filter(|e| e.operation_id.is_none())
            .collect();
        let no_summary: Vec<&&Endpoint> = endpoints.iter().filter(|e| !e.has_summary).collect();
        let all_lack_ids = no_id.len() == endpoints.len();
        let all_lack_summaries = no_summary.len() == endpoints.len();
        if all_lack_ids || all_lack_summaries {
            let what = match (all_lack_ids, all_lack_summaries) {
                (true, true) => "an `operationId` or a summary",
                (true, false) => "an `operationId`",
                _ => "a summary or description",
            };
            out.push(
                Finding::new(ID, doc.where_findings_go().clone(), format!("none of the {} operations has {what}", endpoints.len()))
                    .label("undocumented operations")
                    .help("give every operation a unique `operationId` (client generators name methods after it) and a one-line `summary`")
                    .anchor(doc.anchor("/paths")),
            );
        }
        for e in &endpoints {
            let mut missing = Vec::new();
            if !all_lack_ids && e.operation_id.is_none() {
                missing.push("`operationId`");
            }
            if !all_lack_summaries && !e.has_summary {
                missing.push("summary or description");
            }
            if !missing.is_empty() {
                out.push(
                    Finding::new(
                        ID,
                        e.location.clone(),
                        format!("{} has no {}", e.display(), missing.join(" and no ")),
                    )
                    .label("undocumented operation")
                    .help("add a unique `operationId` and a one-line `summary`")
                    .anchor(e.anchor.clone()),
                );
            }
        }
        let mut first_use: HashMap<&str, &Endpoint> = HashMap::new();
        for e in &endpoints {
            let Some((id, location)) = &e.operation_id else {
                continue;
            };
            match first_use.get(id.as_str()) {
                None => {
                    first_use.insert(id, e);
                }
                Some(first) => {
                    let mut f = Finding::new(ID, location.clone(), format!("operationId `{id}` is also used by {}", first.display()))
                        .label("duplicate operationId")
                        .level(Level::Error)
                        .help("operationIds must be unique across the document; client generators fail or silently overwrite methods")
                        .anchor(e.anchor_at("/operationId"));
                    if let Some((_, first_location)) = &first.operation_id {
                        f = f.related(first_location.clone(), "first used here");
                    }
                    out.push(f);
                }
            }
        }
    }
    out
}
