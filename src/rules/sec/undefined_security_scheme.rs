//! sec/undefined-security-scheme: `security` names a scheme the document does not define.

use std::collections::HashSet;

use crate::finding::Finding;
use crate::model::SecurityDecl;
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
        let decls: Vec<&SecurityDecl> = doc
            .global_security
            .iter()
            .chain(
                api.endpoints_of(doc_index)
                    .filter_map(|e| e.security.as_ref()),
            )
            .collect();
        for decl in decls {
            for use_ in decl.requirements.iter().flat_map(|r| &r.schemes) {
                if defined.contains(use_.name.as_str())
                    || !seen.insert((use_.location.file.path.clone(), use_.location.span))
                {
                    continue;
                }
                let where_ = if doc.version == crate::model::SpecVersion::Swagger2 {
                    "securityDefinitions"
                } else {
                    "components.securitySchemes"
                };
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
                    .anchor(doc.anchor("/security")),
                );
            }
        }
    }
    out
}
