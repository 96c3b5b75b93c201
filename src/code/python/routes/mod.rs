//! Routes declared by Python web frameworks, resolved across files (routers included
//! with a prefix, blueprints registered with one, Django URL confs included by others).
//! One module per framework; each returns complete routes (full path, evidence).

pub mod django;
pub mod fastapi;
pub mod flask;

use super::ParsedFile;
use crate::model::code::{CodeModel, Route};

/// The routes of every framework, and `beside`'s result: indexing the files is
/// parallel, resolving routes across them is a serial walk, so `beside` (work that
/// needs the facts but not the routes) runs during the walk on the core it leaves free.
pub fn extract<R: Send>(
    files: &[ParsedFile],
    model: &CodeModel,
    beside: impl FnOnce() -> R + Send,
) -> (Vec<Route>, R) {
    let fastapi = fastapi::index(files, model);
    let flask = crate::timings::time("flask: index", || flask::index(files, model));
    let django = crate::timings::time("django: index", || django::index(files, model));
    let (mut routes, beside) = rayon::join(
        || {
            let mut routes = crate::timings::time("routes: fastapi", || {
                fastapi.map(fastapi::resolve).unwrap_or_default()
            });
            routes.extend(crate::timings::time("routes: flask", || {
                flask.map(flask::resolve).unwrap_or_default()
            }));
            routes.extend(crate::timings::time("routes: django", || {
                django.map(django::resolve).unwrap_or_default()
            }));
            routes
        },
        beside,
    );
    // An app built inside a test exercises the framework; it is not the service's API.
    routes.retain(|r| !super::is_test_path(r.location.path()));
    routes.sort_by(|a, b| {
        (a.location.path(), a.location.span.start, &a.path, a.method).cmp(&(
            b.location.path(),
            b.location.span.start,
            &b.path,
            b.method,
        ))
    });
    // A router included twice under the same prefix serves each route once.
    routes.dedup_by(|a, b| {
        a.location.path() == b.location.path()
            && a.location.span.start == b.location.span.start
            && a.path == b.path
            && a.method == b.method
    });
    (routes, beside)
}

/// Whether a handler's signature fits `path`'s parameters: it takes each by name (or
/// through `**kwargs`), and needs no other (a decorated one, none named like a URL's). Django and Flask pass a URL's named
/// parameters as keywords, and nothing else, so a method that cannot take them is not
/// served there (`get(self, request)` on `admins/<pk>/`). `leading` parameters come
/// first and are not the URL's (`self`, and Django's `request`). Paths with unnamed
/// regular-expression groups pass values by position too, so only the first half is
/// asked of them; a path with an empty segment (part of the pattern could not be read)
/// fits anything.
pub(super) fn signature_fits(
    source: &crate::source::SharedSource,
    def: crate::code::tree::Node,
    path: &str,
    leading: usize,
) -> bool {
    use crate::code::python::facts::text;
    if path.contains("//") {
        return true;
    }
    // `{project}-{issue}` is two parameters in one segment. Django's `i18n_patterns`
    // `{language}` prefix is matched but never passed to the view.
    let names: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .filter(|name| *name != "language")
        .collect();
    let Some(params) = def.field("parameters") else {
        return true;
    };
    let mut taken = Vec::new();
    let mut required = Vec::new();
    let mut any_keyword = false;
    for p in params.named_children().skip(leading) {
        if p.kind() == "dictionary_splat_pattern" {
            any_keyword = true;
            continue;
        }
        let Some(name) = fastapi::parameter_name(p).map(|n| text(source, n)) else {
            continue;
        };
        taken.push(name);
        // Without a default value.
        if matches!(p.kind(), "identifier" | "typed_parameter") {
            required.push(name);
        }
    }
    let takes_all = any_keyword || names.iter().all(|n| taken.contains(n));
    // A decorator may pass arguments of its own (`@validate_args(...)` then
    // `def get(self, query_args)`): of a decorated method's other parameters, only those
    // named like a URL's (`pk`, `slug`, `uuid`, `*_id`) must come from the path.
    let decorated = def
        .parent()
        .is_some_and(|p| p.kind() == "decorated_definition");
    let url_like = |name: &str| {
        matches!(name, "pk" | "id" | "slug" | "uuid")
            || name.ends_with("_id")
            || name.ends_with("_pk")
    };
    let needs_no_other = path.contains('(')
        || required
            .iter()
            .filter(|r| !decorated || url_like(r))
            .all(|r| names.contains(r));
    takes_all && needs_no_other
}

/// Joins a prefix and a path the way routers do: one `/` between them, none at the end
/// (except for the root).
pub fn join_paths(prefix: &str, path: &str) -> String {
    let joined = format!(
        "{}/{}",
        prefix.trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    let trimmed = if joined.len() > 1 {
        joined.trim_end_matches('/')
    } else {
        &joined
    };
    if trimmed.is_empty() {
        "/".to_string()
    } else if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}

/// One form for path parameters, whatever the framework wrote: `{id}`, `{id:int}`
/// (Starlette), `<id>` and `<int:id>` (Flask, Django `path()`), `(?P<id>[0-9]+)` (Django
/// `re_path()`, whose `^` and `$` anchors are dropped too).
pub fn normalise_path(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let body = template.trim_start_matches('^').trim_end_matches('$');
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' | '<' => {
                let close = if c == '{' { '}' } else { '>' };
                let rest = &body[i + 1..];
                match rest.find(close) {
                    Some(end) => {
                        let inner = &rest[..end];
                        let name = if c == '{' {
                            inner.split(':').next().unwrap_or(inner)
                        } else {
                            inner.rsplit(':').next().unwrap_or(inner)
                        };
                        out.push('{');
                        out.push_str(name.trim());
                        out.push('}');
                        for _ in 0..inner.chars().count() + 1 {
                            chars.next();
                        }
                    }
                    None => out.push(c),
                }
            }
            '(' if body[i..].starts_with("(?P<") => {
                let rest = &body[i + 4..];
                let name_end = rest.find('>').unwrap_or(rest.len());
                let name = &rest[..name_end];
                // Skip to the matching parenthesis of the group.
                let mut depth = 0usize;
                let mut end = body.len();
                for (j, ch) in body[i..].char_indices() {
                    match ch {
                        '(' => depth += 1,
                        ')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                end = i + j;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                out.push('{');
                out.push_str(name);
                out.push('}');
                while chars.peek().is_some_and(|(j, _)| *j <= end) {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    drop_optional_marks(out)
}

/// What is left of a regular expression's optional parts once parameters are named:
/// `share/{slug}/?` and `logo(?:/{filename})?/?` match `share/{slug}` and
/// `logo/{filename}`.
fn drop_optional_marks(path: String) -> String {
    if !path.contains('?') {
        return path;
    }
    // `((?P<terminal>[^/.]{36})/)?status`: an optional group around a parameter.
    let mut out = path
        .replace("(?:", "")
        .replace(")?", "")
        .replace("({", "{")
        .replace("/?", "/");
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    // `^status/ping?$`: the last letter is optional; the path as written keeps it.
    let mut kept = String::with_capacity(out.len());
    let mut previous = None;
    for c in out.chars() {
        if !(c == '?' && previous.is_some_and(char::is_alphanumeric)) {
            kept.push(c);
        }
        previous = Some(c);
    }
    kept
}

/// What the framework modules' tests share: load sources, pick one framework's routes,
/// find a route, list evidence names.
#[cfg(test)]
pub(crate) mod test_support {
    use std::sync::Arc;

    use crate::model::code::{Evidence, Framework, Route};
    use crate::model::Method;
    use crate::source::{SharedSource, SourceFile};

    /// The routes of `frameworks` in these files; checks on the way that each route's
    /// handler function is the one it names.
    pub fn routes_of(files: &[(&str, &str)], frameworks: &[Framework]) -> Vec<Route> {
        let sources: Vec<SharedSource> = files
            .iter()
            .map(|(path, text)| {
                Arc::new(SourceFile::new(
                    path.to_string(),
                    path.into(),
                    text.to_string(),
                ))
            })
            .collect();
        let model = crate::code::python::load(&sources, |_| ()).0.model;
        for r in &model.routes {
            if let Some(f) = model.function(r.function) {
                assert!(
                    r.handler.ends_with(&format!(".{}", f.name)),
                    "{}",
                    r.handler
                );
                assert_eq!(f.is_async, r.is_async, "{}", r.handler);
            }
        }
        model
            .routes
            .into_iter()
            .filter(|r| frameworks.contains(&r.framework))
            .collect()
    }

    pub fn find<'r>(routes: &'r [Route], method: Method, path: &str) -> &'r Route {
        routes
            .iter()
            .find(|r| r.method == method && r.path == path)
            .unwrap_or_else(|| {
                let listed: Vec<String> = routes
                    .iter()
                    .map(|r| format!("{} {} {}", r.method.upper(), r.path, r.handler))
                    .collect();
                panic!("no {} {path} in {listed:#?}", method.upper())
            })
    }

    /// "METHOD /path" of each route, sorted.
    pub fn method_paths(routes: &[Route]) -> Vec<String> {
        let mut all: Vec<String> = routes
            .iter()
            .map(|r| format!("{} {}", r.method.upper(), r.path))
            .collect();
        all.sort();
        all
    }

    pub fn names(evidence: &[Evidence]) -> Vec<&str> {
        evidence.iter().map(|e| e.name.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_take_one_form() {
        assert_eq!(normalise_path("/users/{user_id}"), "/users/{user_id}");
        assert_eq!(normalise_path("/users/{user_id:int}"), "/users/{user_id}");
        assert_eq!(
            normalise_path("/users/<int:user_id>/posts"),
            "/users/{user_id}/posts"
        );
        assert_eq!(normalise_path("/users/<user_id>"), "/users/{user_id}");
        assert_eq!(
            normalise_path("^articles/(?P<year>[0-9]{4})/(?P<slug>[\\w-]+)/$"),
            "articles/{year}/{slug}/"
        );
        // Optional parts of a regular expression match with them.
        assert_eq!(normalise_path(r"share/(?P<slug>\w+)/?$"), "share/{slug}/");
        assert_eq!(
            normalise_path(r"terminals/((?P<terminal>[^/.]{36})/)?status"),
            "terminals/{terminal}/status"
        );
        assert_eq!(
            normalise_path(r"^logo(?:/(?P<filename>.+))?/?$"),
            "logo/{filename}/"
        );
        assert_eq!(normalise_path(r"^status/ping?$"), "status/ping");
    }

    #[test]
    fn prefixes_join_with_one_slash() {
        assert_eq!(join_paths("/api/v1/", "/users"), "/api/v1/users");
        assert_eq!(join_paths("", "users/"), "/users");
        assert_eq!(join_paths("/items", ""), "/items");
        assert_eq!(join_paths("", "/"), "/");
        assert_eq!(join_paths("api/", "users/<int:pk>/"), "/api/users/<int:pk>");
    }
}
