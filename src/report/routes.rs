//! `archlint routes`: the endpoint inventory an architect starts a review with.

use serde_json::json;

use crate::model::code::{Evidence, Route};

fn names(evidence: &[Evidence]) -> String {
    let mut names: Vec<&str> = evidence.iter().map(|e| e.name.as_str()).collect();
    names.dedup();
    names.join(", ")
}

fn auth_of(route: &Route) -> String {
    if !route.auth.is_empty() {
        names(&route.auth)
    } else if let Some(public) = &route.public {
        format!("public ({})", public.name)
    } else {
        "-".to_string()
    }
}

fn pagination_of(route: &Route) -> String {
    if !route.pagination.is_empty() {
        names(&route.pagination)
    } else if route.collection.is_some() {
        "NONE (returns a collection)".to_string()
    } else {
        "-".to_string()
    }
}

fn handler_at(route: &Route) -> String {
    let location = &route.location;
    format!(
        "{}:{}",
        location.path(),
        location.file.line_col(location.span.start).line
    )
}

pub fn render_text(routes: &[Route]) -> String {
    if routes.is_empty() {
        return "no routes found\n".to_string();
    }
    let rows: Vec<[String; 7]> = routes
        .iter()
        .map(|r| {
            [
                r.method.upper().to_string(),
                r.path.clone(),
                handler_at(r),
                r.handler.clone(),
                auth_of(r),
                pagination_of(r),
                r.declared_status
                    .map_or_else(|| "-".to_string(), |s| s.to_string()),
            ]
        })
        .collect();
    let header = [
        "METHOD",
        "PATH",
        "DECLARED AT",
        "HANDLER",
        "AUTH",
        "PAGINATION",
        "STATUS",
    ];
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:w$}  "));
            }
        }
        text.trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    for row in &rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    let frameworks: std::collections::BTreeSet<&str> =
        routes.iter().map(|r| r.framework.name()).collect();
    out.push_str(&format!(
        "\n{} routes ({})\n",
        routes.len(),
        frameworks.into_iter().collect::<Vec<_>>().join(", ")
    ));
    out
}

pub fn render_json(routes: &[Route]) -> String {
    let mut text = serde_json::to_string_pretty(&json!({ "version": 1, "routes": routes }))
        .unwrap_or_default();
    text.push('\n');
    text
}
