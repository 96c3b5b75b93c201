//! sec/unbounded-input: request fields that accept input of any size (OWASP API4).

use crate::finding::Finding;
use crate::rules::common::is_pagination_param;
use crate::rules::Context;

const ID: &str = "sec/unbounded-input";

const LISTED: usize = 4;

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for doc in &ctx.project.api.documents {
        for object in &doc.unbounded_inputs {
            let listed: Vec<String> = object
                .fields
                .iter()
                .take(LISTED)
                .map(|f| format!("`{}` ({})", f.name, f.missing))
                .collect();
            let more = object.fields.len().saturating_sub(LISTED);
            let mut message = format!(
                "request schema has {} unbounded field(s): {}",
                object.fields.len(),
                listed.join(", ")
            );
            if more > 0 {
                message.push_str(&format!(" and {more} more"));
            }
            out.push(
                Finding::new(ID, object.location.clone(), message)
                    .label("unbounded input")
                    .help("bound every input: `maxLength` (or `enum`/`pattern`/`format`) on strings, `maxItems` on arrays, `maximum` on integers")
                    .anchor(doc.anchor(object.pointer.clone())),
            );
        }
        for param in &doc.unbounded_params {
            // Page sizes have their own rule.
            if is_pagination_param(ctx.policy(), &param.name) {
                continue;
            }
            out.push(
                Finding::new(ID, param.location.clone(), format!("parameter `{}`: {}", param.name, param.missing))
                    .label("unbounded input")
                    .help("bound the parameter: `maxLength`/`enum`/`pattern`/`format` for strings, `maxItems` for arrays, `maximum` for integers")
                    .anchor(doc.anchor(param.pointer.clone())),
            );
        }
    }
    out
}
