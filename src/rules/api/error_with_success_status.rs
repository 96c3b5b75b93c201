//! api/error-with-success-status: a handler answers an error-shaped body with a 2xx
//! status, so clients, proxies and monitoring all see a success.

use crate::finding::Finding;
use crate::model::code::{Arg, Value};
use crate::rules::common::handler_functions;
use crate::rules::Context;

const ID: &str = "api/error-with-success-status";

/// Response constructors and the keyword that sets their status.
const RESPONSES: &[(&str, &str)] = &[
    ("jsonify", ""),
    ("JSONResponse", "status_code"),
    ("ORJSONResponse", "status_code"),
    ("UJSONResponse", "status_code"),
    ("JsonResponse", "status"),
    ("Response", "status"),
    ("make_response", ""),
];

fn error_key(value: &Value) -> Option<&str> {
    match value {
        // A resource that has an error field (a job: `{"job_id": ..., "error": ...}`)
        // is not an error body.
        Value::Dict(pairs) if pairs.iter().any(|(k, _)| is_identifier_key(k)) => None,
        // `{"error": None}` is a success body with an empty error field.
        Value::Dict(pairs) => pairs.iter().find_map(|(k, v)| match (k, v) {
            (_, Value::None | Value::Bool(false)) => None,
            (Value::Str(k), _) if matches!(k.as_str(), "error" | "errors" | "error_message") => {
                Some(k.as_str())
            }
            _ => None,
        }),
        _ => None,
    }
}

fn is_identifier_key(key: &Value) -> bool {
    matches!(key, Value::Str(k) if k == "id" || k.ends_with("_id") || k == "uuid")
}

fn status_number(value: &Value) -> Option<u16> {
    match value {
        Value::Number(n) => n.parse().ok(),
        // `status.HTTP_404_NOT_FOUND`, `HTTPStatus.NOT_FOUND` (a name: unknown, trust it).
        Value::Name(name) => name
            .rsplit('.')
            .next()
            .and_then(|last| last.strip_prefix("HTTP_"))
            .and_then(|rest| rest.split('_').next())
            .and_then(|n| n.parse().ok())
            .or(Some(0)),
        _ => Some(0),
    }
}

/// The error key and the status of a returned value; status `None` means the
/// framework's default, 200.
fn error_body(value: &Value) -> Option<(String, Option<u16>)> {
    match value {
        Value::Dict(_) => error_key(value).map(|k| (k.to_string(), None)),
        // Flask: `return {"error": ...}, 404` or `return jsonify(...), 404`.
        Value::List(items) if items.len() >= 2 => {
            let (key, _) = error_body(items.first()?)?;
            Some((key, items.get(1).and_then(status_number)))
        }
        Value::Call { callee, args } => {
            let last = callee.rsplit('.').next().unwrap_or(callee);
            let (_, status_keyword) = RESPONSES.iter().find(|(name, _)| *name == last)?;
            let key = args.iter().find_map(|a: &Arg| match a.keyword.as_deref() {
                None | Some("content") | Some("data") => error_key(&a.value).map(str::to_string),
                Some(k @ ("error" | "errors")) => Some(k.to_string()),
                _ => None,
            })?;
            let status = if status_keyword.is_empty() {
                None
            } else {
                args.iter()
                    .find(|a| a.keyword.as_deref() == Some(status_keyword))
                    .and_then(|a| status_number(&a.value))
            };
            Some((key, status))
        }
        _ => None,
    }
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let handlers = handler_functions(code);
    let declared: std::collections::HashMap<usize, Option<u16>> = code
        .routes
        .iter()
        .filter_map(|r| Some((r.function?, r.declared_status)))
        .collect();
    let mut out = Vec::new();
    for ret in code
        .returns
        .iter()
        .filter(|r| r.function.is_some_and(|f| handlers.contains(&f)))
    {
        let Some((key, status)) = error_body(&ret.value) else {
            continue;
        };
        // A status written out is a decision (a client that retries on errors, say); a
        // variable may well be an error status. Only the framework's default is judged.
        let status = match status {
            Some(_) => continue,
            None => {
                let declared = ret
                    .function
                    .and_then(|f| declared.get(&f).copied().flatten());
                match declared {
                    Some(n) if !(200..300).contains(&n) => continue,
                    Some(n) => n,
                    None => 200,
                }
            }
        };
        out.push(
            Finding::new(
                ID,
                ret.location.clone(),
                format!("the handler returns an error body (`{key}`) with status {status}: clients, caches, retries and monitoring all take it for a success"),
            )
            .label("error with a success status")
            .help("answer with the status that says what went wrong: raise `HTTPException(status_code=404, ...)`, `return {...}, 404`, or pass `status_code=`/`status=`"),
        );
    }
    out
}
