//! api/list-pagination: a GET on a collection that takes no pagination parameter.

use crate::finding::Finding;
use crate::model::path::{ends_with_param, normalise_param_name, resource_name};
use crate::model::{BodyShape, Endpoint, Method, Response};
use crate::rules::common::takes_pagination;
use crate::rules::Context;

const ID: &str = "api/list-pagination";

const WRAPPERS: &[&str] = &[
    "items", "data", "results", "records", "entries", "content", "list", "values", "rows",
    "objects", "elements", "hits", "nodes", "edges",
];

/// Sibling properties that show the list is already paged by the server.
const PAGING_HINTS: &[&str] = &[
    "next",
    "nextcursor",
    "nextpage",
    "nextpagetoken",
    "nexttoken",
    "nextlink",
    "nexturl",
    "cursor",
    "hasmore",
    "hasnext",
    "hasnextpage",
    "page",
    "pages",
    "totalpages",
    "pageinfo",
    "pagination",
    "paging",
    "links",
    "meta",
    "total",
    "totalcount",
    "count",
    "offset",
    "limit",
    "continuationtoken",
    "nextoffset",
];

const PAGING_HEADERS: &[&str] = &[
    "link",
    "xtotalcount",
    "xnextcursor",
    "xnextpage",
    "xpagination",
    "xcontinuationtoken",
];

/// Siblings that make the object a resource of its own that happens to hold a list
/// (`{id, project_id, items, updated_at}`), not an envelope around a collection.
fn is_resource_marker(property: &str) -> bool {
    let p = property.to_ascii_lowercase();
    p == "id"
        || p.ends_with("_id")
        || property.ends_with("Id")
        || p.ends_with("_at")
        || p.starts_with("created")
        || p.starts_with("updated")
        || p.starts_with("creation")
        || p.starts_with("update_time")
}

fn same_resource(property: &str, resource: &str) -> bool {
    let p = normalise_param_name(property);
    let r = normalise_param_name(resource);
    !r.is_empty() && (p == r || p.trim_end_matches('s') == r.trim_end_matches('s'))
}

/// The success response that returns a collection, if any.
fn collection_response(endpoint: &Endpoint) -> Option<&Response> {
    let resource = resource_name(&endpoint.path).unwrap_or_default();
    endpoint.success_responses().find(|r| {
        if r.headers
            .iter()
            .any(|h| PAGING_HEADERS.contains(&normalise_param_name(h).as_str()))
        {
            return false;
        }
        match &r.body {
            BodyShape::Array => true,
            BodyShape::Wrapped { property, siblings } => {
                (WRAPPERS.contains(&property.to_ascii_lowercase().as_str())
                    || same_resource(property, &resource))
                    && !siblings
                        .iter()
                        .any(|s| PAGING_HINTS.contains(&normalise_param_name(s).as_str()))
                    && !siblings.iter().any(|s| is_resource_marker(s))
            }
            _ => false,
        }
    })
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = check_spec(ctx);
    out.extend(check_code(ctx));
    out
}

fn check_spec(ctx: &Context) -> Vec<Finding> {
    let policy = ctx.policy();
    ctx.project
        .api
        .endpoints
        .iter()
        .filter(|e| e.method == Method::Get && !ends_with_param(&e.path))
        .filter(|e| !takes_pagination(policy, e))
        .filter_map(|e| {
            let response = collection_response(e)?;
            let what = match &response.body {
                BodyShape::Wrapped { property, .. } => format!("a list in `{property}`"),
                _ => "an array".to_string(),
            };
            Some(
                Finding::new(
                    ID,
                    e.location.clone(),
                    format!(
                        "{} returns {what} (response {}) but takes no pagination parameter",
                        e.display(),
                        response.code
                    ),
                )
                .label("list endpoint without pagination")
                .help("add `limit` and `cursor` (or `offset`/`page`) query parameters, and cap the page size")
                .anchor(e.anchor.clone()),
            )
        })
        .collect()
}

/// Routes in code: a GET handler that returns a whole collection and takes no
/// pagination parameter.
/// A page that shows a form (`GET /domain/add`, `/key/edit`, `/zones/{id}/settings`):
/// the rows it loads fill the form's choices; the page lists nothing.
fn is_form_page(path: &str) -> bool {
    const FORM_WORDS: &[&str] = &[
        "add",
        "new",
        "create",
        "edit",
        "update",
        "delete",
        "remove",
        "manage",
        "setting",
        "settings",
        "config",
        "configure",
    ];
    crate::model::path::segments(path)
        .filter(|s| !crate::model::path::is_param(s))
        .last()
        .is_some_and(|s| FORM_WORDS.contains(&s.to_ascii_lowercase().as_str()))
}

fn check_code(ctx: &Context) -> Vec<Finding> {
    use crate::model::Method;
    ctx.project
        .code
        .routes
        .iter()
        .filter(|r| r.method == Method::Get && r.pagination.is_empty())
        .filter(|r| !is_form_page(&r.path))
        .filter(|r| {
            !r.query_params
                .iter()
                .any(|p| crate::rules::common::is_pagination_param(ctx.policy(), p))
        })
        .filter_map(|r| {
            let evidence = r.collection.as_ref()?;
            Some(
                Finding::new(
                    ID,
                    r.location.clone(),
                    format!("GET {} returns a whole collection (`{}`) and takes no pagination parameter", r.path, evidence.name),
                )
                .label("list endpoint without pagination")
                .related(evidence.location.clone(), "the whole collection")
                .help("take `limit` and `cursor` (or `offset`/`page`) parameters, cap the page size, and query with `LIMIT`; in DRF set a `pagination_class`"),
            )
        })
        .collect()
}
