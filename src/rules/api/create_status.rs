//! api/create-status: a POST that creates a resource answers 200 instead of 201.

use crate::finding::Finding;
use crate::model::path::{ends_with_action, ends_with_param, is_param, segments};
use crate::model::Method;
use crate::rules::Context;

const ID: &str = "api/create-status";

/// `/webhooks/stripe`: an endpoint that receives events answers 200 by convention.
/// A bare `/webhooks` collection creates subscriptions and is still checked.
fn is_webhook_receiver(path: &str) -> bool {
    let segs: Vec<&str> = segments(path).collect();
    segs.iter().rev().skip(1).any(|s| {
        let s = s.to_ascii_lowercase();
        s.contains("webhook") || s == "hooks" || s == "callbacks"
    })
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = check_spec(ctx);
    out.extend(check_code(ctx));
    out
}

fn check_spec(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    let mut out = Vec::new();
    for e in api.endpoints.iter().filter(|e| e.method == Method::Post) {
        if ends_with_param(&e.path)
            || ends_with_action(&e.path)
            || is_webhook_receiver(&e.path)
            || ctx.is_rpc(e)
        {
            continue;
        }
        // A creating POST targets a collection whose items have their own path
        // (`/users` beside `/users/{id}`); elsewhere a POST is too often an action.
        let item_prefix = format!("{}/", e.path.trim_end_matches('/'));
        let has_items = api.endpoints.iter().any(|other| {
            other.origin == e.origin
                && other
                    .path
                    .strip_prefix(&item_prefix)
                    .is_some_and(|rest| rest.split('/').next().is_some_and(is_param))
        });
        if !has_items {
            continue;
        }
        let Some(ok) = e.responses.iter().find(|r| r.code == "200") else {
            continue;
        };
        let creates = e
            .responses
            .iter()
            .any(|r| matches!(r.numeric(), Some(201 | 202 | 204)) || r.class() == Some(3));
        if creates {
            continue;
        }
        out.push(
            Finding::new(
                ID,
                ok.location.clone(),
                format!("{} creates a resource but answers 200 instead of 201 Created", e.display()),
            )
            .label("200 on a creating POST")
            .help("answer 201 with a `Location` header (or 202 when the work is queued); if this POST is an action, not a creation, set `policy.style = \"rpc\"` or suppress it")
            .anchor(e.anchor_at(&format!("/responses/{}", ok.code)))
            .related(e.location.clone(), "the operation"),
        );
    }
    out
}

/// Routes in code (FastAPI, whose default status is 200): a POST to a collection whose
/// items have their own route answers 200.
/// Functions that choose their response's status themselves: they return a response
/// built with `status_code=` (`JSONResponse(..., status_code=201)`) or set
/// `response.status_code`. The status they choose is not known here, so they are not
/// judged.
fn functions_setting_status(
    code: &crate::model::code::CodeModel,
) -> std::collections::HashSet<usize> {
    use crate::model::code::Value;
    let returned = code.returns.iter().filter_map(|r| match &r.value {
        Value::Call { args, .. }
            if crate::model::code::keyword_arg(args, "status_code").is_some() =>
        {
            r.function
        }
        _ => None,
    });
    let assigned = code
        .assignments
        .iter()
        .filter(|a| a.target.ends_with(".status_code"))
        .filter_map(|a| a.function);
    returned.chain(assigned).collect()
}

fn check_code(ctx: &Context) -> Vec<Finding> {
    use crate::model::code::Framework;
    let routes = &ctx.project.code.routes;
    // Collections whose items have their own route (`/users` beside `/users/{id}`).
    let mut with_items: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for r in routes {
        // Every prefix of the path that a parameter segment follows.
        let path = r.path.trim_end_matches('/');
        let mut end = 0;
        for segment in path.split('/').skip(1) {
            if is_param(segment) {
                with_items.insert(&path[..end]);
            }
            end += segment.len() + 1;
        }
    }
    let sets_status = functions_setting_status(&ctx.project.code);
    routes
        .iter()
        .filter(|r| r.framework == Framework::Fastapi && r.method == Method::Post)
        .filter(|r| matches!(r.declared_status, None | Some(200)))
        .filter(|r| !r.function.is_some_and(|f| sets_status.contains(&f)))
        .filter(|r| !ends_with_param(&r.path) && !ends_with_action(&r.path) && !is_webhook_receiver(&r.path))
        .filter(|r| with_items.contains(r.path.trim_end_matches('/')))
        .map(|r| {
            let why = match r.declared_status {
                Some(_) => "declares `status_code=200`",
                None => "declares no `status_code`, so FastAPI answers 200",
            };
            Finding::new(
                ID,
                r.location.clone(),
                format!("POST {} creates a resource but {why} instead of 201 Created", r.path),
            )
            .label("creates with 200")
            .help("declare `status_code=201` (`status.HTTP_201_CREATED`) and return the created resource, with a `Location` header if you can")
        })
        .collect()
}
