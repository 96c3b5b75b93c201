//! sec/cors-wildcard: every origin allowed, with credentials.

use crate::finding::Finding;
use crate::model::code::Value;
use crate::rules::common::in_test_code;
use crate::rules::Context;

const ID: &str = "sec/cors-wildcard";

fn allows_any(value: &Value) -> bool {
    match value {
        Value::Str(s) => s == "*",
        Value::List(items) => items.iter().any(|v| matches!(v, Value::Str(s) if s == "*")),
        _ => false,
    }
}

fn report(location: &crate::finding::Location, what: &str) -> Finding {
    Finding::new(
        ID,
        location.clone(),
        format!("{what}: any web site a user visits can make credentialed requests to this API and read the answers"),
    )
    .label("every origin, with credentials")
    .help("list the origins that may call the API (`allow_origins=[\"https://app.example.com\"]`), or drop credentials for a public API")
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let mut out = Vec::new();
    // flask-cors reads `CORS_ORIGINS` (and `CORS_RESOURCES`) from the app's config
    // before the call's own arguments: a settings module or `app.config[...]` that sets
    // them takes the place of the default.
    let configured_origins = code.assignments.iter().find(|a| {
        matches!(
            crate::model::code::last_segment(&a.target),
            "CORS_ORIGINS" | "CORS_RESOURCES"
        ) && !in_test_code(code, &a.location)
    });
    // The test-code check looks the file up: it comes after the checks on the call.
    let shipped = |call: &crate::model::code::Call| !in_test_code(code, &call.location);
    for call in code.calls_named(&["add_middleware", "CORSMiddleware", "CORS", "cross_origin"]) {
        let credentials = |name: &str| call.keyword(name).is_some_and(|a| a.value.is_true());
        // Starlette/FastAPI: add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
        let starlette = call.method() == "add_middleware"
            && call.positional(0).is_some_and(
                |a| matches!(&a.value, Value::Name(n) if n.ends_with("CORSMiddleware")),
            )
            || call.method() == "CORSMiddleware";
        if starlette && credentials("allow_credentials") && shipped(call) {
            if let Some(origins) = call
                .keyword("allow_origins")
                .filter(|a| allows_any(&a.value))
            {
                out.push(report(
                    &origins.location,
                    "CORS allows every origin (`*`) together with credentials",
                ));
            }
            if let Some(regex) = call
                .keyword("allow_origin_regex")
                .filter(|a| matches!(&a.value, Value::Str(s) if s == ".*"))
            {
                out.push(report(
                    &regex.location,
                    "CORS allows every origin (`.*`) together with credentials",
                ));
            }
        }
        // flask-cors: CORS(app, supports_credentials=True) allows every origin by default.
        if matches!(
            call.callee.as_str(),
            "CORS" | "flask_cors.CORS" | "cross_origin"
        ) && credentials("supports_credentials")
            && shipped(call)
        {
            match call
                .keyword("origins")
                .or_else(|| call.keyword("resources"))
            {
                Some(origins) if allows_any(&origins.value) => {
                    out.push(report(
                        &origins.location,
                        "CORS allows every origin together with credentials",
                    ));
                }
                None => match configured_origins {
                    Some(config) if allows_any(&config.value) => out.push(report(
                        &config.value_location,
                        "CORS allows every origin (the app's `CORS_ORIGINS`) together with credentials",
                    )),
                    Some(_) => {}
                    None => out.push(report(
                        &call.location,
                        "CORS allows every origin (flask-cors's default) together with credentials",
                    )),
                },
                _ => {}
            }
        }
    }
    // django-cors-headers: CORS_ALLOW_ALL_ORIGINS = True with CORS_ALLOW_CREDENTIALS = True.
    let setting = |name: &str| {
        code.assignments.iter().find(|a| {
            a.function.is_none()
                && a.target == name
                && a.value.is_true()
                && !in_test_code(code, &a.location)
        })
    };
    if setting("CORS_ALLOW_CREDENTIALS").is_some() {
        for name in ["CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"] {
            if let Some(a) = setting(name) {
                out.push(report(
                    &a.location,
                    &format!("`{name} = True` with `CORS_ALLOW_CREDENTIALS = True`"),
                ));
            }
        }
    }
    out
}
