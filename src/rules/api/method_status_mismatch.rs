//! api/method-status-mismatch: a status code that does not fit its method.

use crate::finding::Finding;
use crate::model::Method;
use crate::rules::Context;

const ID: &str = "api/method-status-mismatch";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = check_spec(ctx);
    out.extend(check_code(ctx));
    out
}

fn check_spec(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in &ctx.project.api.endpoints {
        for r in &e.responses {
            let problem = match (e.method, r.numeric()) {
                (Method::Get | Method::Head | Method::Delete, Some(201)) => Some((
                    format!(
                        "{} declares 201 Created, but {} creates nothing",
                        e.display(),
                        e.method.upper()
                    ),
                    "201 on a method that does not create",
                    "use 200 (or 204 for a DELETE without a body)",
                )),
                (_, Some(code @ (204 | 205 | 304))) if r.has_body => Some((
                    format!(
                        "{} declares a body for {code}, which by definition has none",
                        e.display()
                    ),
                    "a body on a no-content status",
                    "drop the body, or answer 200 with it",
                )),
                _ => None,
            };
            if let Some((message, label, help)) = problem {
                out.push(
                    Finding::new(ID, r.location.clone(), message)
                        .label(label)
                        .help(help)
                        .anchor(e.anchor_at(&format!("/responses/{}", r.code))),
                );
            }
        }
    }
    out
}

/// Routes in code: a declared status that contradicts the method.
fn check_code(ctx: &Context) -> Vec<Finding> {
    use crate::model::Method;
    ctx.project
        .code
        .routes
        .iter()
        .filter(|r| {
            r.declared_status == Some(201)
                && matches!(r.method, Method::Get | Method::Head | Method::Delete)
        })
        .map(|r| {
            Finding::new(
                ID,
                r.location.clone(),
                format!(
                    "{} {} declares 201 Created, which a {} never answers",
                    r.method.upper(),
                    r.path,
                    r.method.upper()
                ),
            )
            .label("201 on a non-creating method")
            .help("use 200 (or 204 for a DELETE without body)")
        })
        .collect()
}
