//! sec/mass-assignment: a request body spread straight into a model.

use crate::finding::Finding;
use crate::model::code::Value;
use crate::rules::Context;

/// `body.dict()`, `payload.model_dump()`, `request.json`, `request.data`: the whole
/// request, as the client sent it.
fn is_whole_request(value: &Value) -> Option<String> {
    match value {
        Value::Call { callee, args } if args.is_empty() => {
            let method = callee.rsplit('.').next().unwrap_or(callee);
            matches!(method, "dict" | "model_dump" | "get_json" | "to_dict")
                .then(|| format!("{callee}()"))
        }
        Value::Name(name) => matches!(
            name.as_str(),
            "request.json" | "request.data" | "request.form" | "request.POST" | "request.get_json"
        )
        .then(|| name.clone()),
        _ => None,
    }
}

/// A model constructor or ORM create: `User(...)`, `User.objects.create(...)`,
/// `User.create(...)`.
fn is_model_write(callee: &str) -> bool {
    let last = callee.rsplit('.').next().unwrap_or(callee);
    last.starts_with(|c: char| c.is_ascii_uppercase())
        || (matches!(
            last,
            "create" | "update" | "get_or_create" | "update_or_create"
        ) && callee
            .split('.')
            .next()
            .is_some_and(|root| root.starts_with(|c: char| c.is_ascii_uppercase())))
}

const ID: &str = "sec/mass-assignment";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let handlers = crate::rules::common::handler_functions(code);
    let mut out = Vec::new();
    let writes = code.calls.iter().filter(|c| {
        c.args.iter().any(|a| a.keyword.as_deref() == Some("**"))
            && is_model_write(&c.callee)
            && crate::rules::common::in_handler(&handlers, c)
    });
    for call in writes {
        // What the handler received: one of its parameters (the request model), or
        // `request` itself.
        let params: &[String] = code
            .function(call.function)
            .map_or(&[], |f| f.params.as_slice());
        for arg in call
            .args
            .iter()
            .filter(|a| a.keyword.as_deref() == Some("**"))
        {
            let Some(source) = is_whole_request(&arg.value) else {
                continue;
            };
            let root = source.split(['.', '(']).next().unwrap_or("");
            if root != "request" && !params.iter().any(|p| p == root) {
                continue;
            }
            // Response and schema classes copy data out, not into the database.
            if call.callee.ends_with("Response")
                || call.callee.ends_with("Schema")
                || call.callee.ends_with("Out")
            {
                continue;
            }
            out.push(
                Finding::new(
                    ID,
                    arg.location.clone(),
                    format!("the whole request body (`{source}`) is spread into `{}`: a client can set any field, such as `is_admin` or `owner_id`", call.callee),
                )
                .label("request spread into a model")
                .help("copy the fields the client may set one by one, or use a request schema that declares only those (`model_dump(include={...})`)"),
            );
        }
    }
    out
}
