//! api/unbounded-page-size: a page-size parameter without a maximum.

use std::collections::HashSet;

use crate::finding::Finding;
use crate::model::ParamIn;
use crate::rules::common::is_page_size_param;
use crate::rules::Context;

const ID: &str = "api/unbounded-page-size";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let policy = ctx.policy();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for e in &ctx.project.api.endpoints {
        for p in &e.parameters {
            let numeric = matches!(
                p.schema_type.as_deref(),
                None | Some("integer") | Some("number")
            );
            if p.location_in != ParamIn::Query
                || !numeric
                || p.has_maximum
                || p.has_enum
                || !is_page_size_param(policy, &p.name)
                || !seen.insert((p.location.file.path.clone(), p.location.span))
            {
                continue;
            }
            out.push(
                Finding::new(
                    ID,
                    p.location.clone(),
                    format!("page-size parameter `{}` has no maximum, so one request can ask for everything", p.name),
                )
                .label("no `maximum`")
                .help("declare a `maximum` (for example 100) on the parameter's schema and enforce it")
                .anchor(e.anchor.as_ref().map(|a| crate::finding::Anchor {
                    document: a.document.clone(),
                    pointer: p.pointer.clone(),
                })),
            );
        }
    }
    out
}
