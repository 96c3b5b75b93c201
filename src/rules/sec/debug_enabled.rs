//! sec/debug-enabled: debug mode switched on in code that ships.

use crate::finding::Finding;
use crate::model::code::Value;
use crate::rules::common::{in_test_code, is_developer_only_class, is_developer_only_file};
use crate::rules::Context;

const ID: &str = "sec/debug-enabled";

fn is_settings_file(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    file == "settings.py" || file == "config.py" || path.split('/').any(|d| d == "settings")
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let mut out = Vec::new();
    for call in code.calls_named(&["run", "FastAPI", "Starlette", "Flask"]) {
        let Some(debug) = call.keyword("debug").filter(|a| a.value.is_true()) else {
            continue;
        };
        if in_test_code(code, &call.location) || is_developer_only_file(call.location.path()) {
            continue;
        }
        let what = match call.method() {
            "run" => "the server runs with `debug=True`: errors show stack traces to any client, and Flask's Werkzeug debugger lets it run code",
            "FastAPI" | "Starlette" | "Flask" => "the application is created with `debug=True`: errors show stack traces and local values to any client",
            _ => continue,
        };
        out.push(
            Finding::new(ID, debug.location.clone(), what.to_string())
                .label("debug mode")
                .help("read it from the environment (`debug=os.environ.get(\"DEBUG\") == \"1\"`) and keep it off in production"),
        );
    }
    for a in &code.assignments {
        let last = a.target.rsplit('.').next().unwrap_or(&a.target);
        let path = a.location.path();
        if last != "DEBUG" && a.target != "app.debug" {
            continue;
        }
        if !matches!(a.value, Value::Bool(true)) || a.function.is_some() {
            continue;
        }
        if in_test_code(code, &a.location)
            || is_developer_only_file(path)
            || a.class.as_deref().is_some_and(is_developer_only_class)
        {
            continue;
        }
        if last == "DEBUG" && !is_settings_file(path) && !a.target.contains("config") {
            continue;
        }
        out.push(
            Finding::new(
                ID,
                a.value_location.clone(),
                format!("`{}` is `True` in settings that ship: error pages show stack traces, settings and SQL to any client", a.target),
            )
            .label("debug mode")
            .help("default it to off and turn it on from the environment on developer machines (`DEBUG = os.environ.get(\"DEBUG\") == \"1\"`)"),
        );
    }
    out
}
