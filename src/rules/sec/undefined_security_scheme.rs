//! sec/undefined-security-scheme: `security` names a scheme the document does not define.

use std::collections::HashSet;

use crate::finding::{Anchor, Finding};
use crate::model::{SecurityDecl, SpecVersion};
use crate::rules::Context;

const ID: &str = "sec/undefined-security-scheme";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (doc_index, doc) in api.documents.iter().enumerate() {
        let defined: HashSet<&str> = doc
            .security_schemes
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        let where_ = if doc.version == SpecVersion::Swagger2 {
            "securityDefinitions"
        } else {
            "components.securitySchemes"
        };
        // Each declaration once, anchored where it is written: the document's own
        // `security`, or the operation's.
        let global = doc
            .global_security
            .iter()
            .map(|d| (d, doc.anchor("/security")));
        let own = api
            .endpoints_of(doc_index)
            .filter(|e| e.security_is_own)
            .filter_map(|e| e.security.as_ref().map(|d| (d, e.anchor_at("/security"))));
        let decls: Vec<(&SecurityDecl, Option<Anchor>)> = global.chain(own).collect();
        for (decl, anchor) in decls {
            for use_ in decl.requirements.iter().flat_map(|r| &r.schemes) {
                if defined.contains(use_.name.as_str())
                    || !seen.insert((use_.location.file.path.clone(), use_.location.span))
                {
                    continue;
                }
                out.push(
                    Finding::new(
                        ID,
                        use_.location.clone(),
                        format!(
                            "security scheme `{}` is not defined in `{where_}`",
                            use_.name
                        ),
                    )
                    .label("undefined scheme")
                    .help(format!(
                        "define `{}` under `{where_}`, or fix the name",
                        use_.name
                    ))
                    .anchor(anchor.clone()),
                );
            }
        }
    }
    out
}
