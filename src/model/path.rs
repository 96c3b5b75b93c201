//! Knowledge about URL path templates, shared by every rule that reads paths.

use super::naming::words;

/// Segments of a path template, without empty ones.
pub fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

pub fn is_param(segment: &str) -> bool {
    (segment.starts_with('{') && segment.ends_with('}'))
        || segment.starts_with(':')
        || (segment.starts_with('<') && segment.ends_with('>'))
}

/// `v1`, `v2`, `v1.56`, `v1beta1`, `v2alpha`.
pub fn is_version_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix('v') else {
        return false;
    };
    let digits_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(digits_end);
    if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    suffix.is_empty()
        || ["alpha", "beta", "rc"].iter().any(|s| {
            suffix
                .strip_prefix(s)
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        })
}

/// A `{version}`-like parameter stands for a version segment.
pub fn is_version_param(segment: &str) -> bool {
    is_param(segment) && {
        let name =
            segment.trim_matches(|c| c == '{' || c == '}' || c == ':' || c == '<' || c == '>');
        let name = name.to_ascii_lowercase().replace(['_', '-'], "");
        name == "version" || name == "apiversion" || name == "ver"
    }
}

pub fn has_version(path_or_url: &str) -> bool {
    segments(path_or_url).any(|s| is_version_segment(s) || is_version_param(s))
        || host_of(path_or_url).is_some_and(|h| h.split('.').any(is_version_segment))
}

/// The last segment that is not a parameter or a version, lower-cased.
pub fn resource_name(path: &str) -> Option<String> {
    segments(path)
        .filter(|s| !is_param(s) && !is_version_segment(s))
        .last()
        .map(|s| s.to_ascii_lowercase())
}

/// A path whose last segment is a parameter names one item, not a collection.
pub fn ends_with_param(path: &str) -> bool {
    segments(path).last().is_some_and(is_param)
}

/// The host of an absolute URL (`http://h:1/x` gives `h`).
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url
        .split_once("://")
        .map(|(_, r)| r)
        .or_else(|| url.strip_prefix("//"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = if host_port.starts_with('[') {
        host_port
            .split(']')
            .next()
            .map(|h| h.trim_start_matches('['))?
    } else {
        host_port.split(':').next()?
    };
    Some(host)
}

/// Words that make a path segment an action rather than a resource.
const ACTION_WORDS: &[&str] = &[
    "get",
    "list",
    "search",
    "query",
    "find",
    "lookup",
    "create",
    "update",
    "delete",
    "remove",
    "login",
    "logout",
    "signin",
    "signout",
    "signup",
    "register",
    "refresh",
    "verify",
    "validate",
    "activate",
    "deactivate",
    "send",
    "reset",
    "cancel",
    "approve",
    "reject",
    "import",
    "export",
    "upload",
    "download",
    "sync",
    "run",
    "execute",
    "exec",
    "start",
    "stop",
    "restart",
    "check",
    "calculate",
    "compute",
    "preview",
    "render",
    "convert",
    "generate",
    "publish",
    "unpublish",
    "archive",
    "unarchive",
    "restore",
    "confirm",
    "resend",
    "invite",
    "accept",
    "decline",
    "subscribe",
    "unsubscribe",
    "enable",
    "disable",
    "lock",
    "unlock",
    "batch",
    "bulk",
    "graphql",
    "rpc",
    "token",
    "auth",
    "authorize",
    "authenticate",
    "callback",
    "revoke",
    "introspect",
    "ping",
    "estimate",
    "evaluate",
    "analyze",
    "analyse",
    "transfer",
    "merge",
    "copy",
    "move",
    "clone",
    "retry",
    "resolve",
    "close",
    "open",
    "complete",
    "submit",
    "assign",
    "unassign",
    "mark",
    "tag",
    "untag",
    "follow",
    "unfollow",
    "like",
    "unlike",
    "share",
    "notify",
    "trigger",
    "schedule",
    "pause",
    "resume",
    "rotate",
    "sign",
    "checkout",
    "pay",
    "charge",
    "capture",
    "refund",
    "void",
    "apply",
    "redeem",
    "claim",
    "report",
    "count",
    "exists",
    "bootstrap",
    "init",
    "setup",
    "seed",
    "reindex",
    "flush",
    "purge",
    "invalidate",
];

/// Verb prefixes that, glued to a noun, make an RPC-style segment: `getUsers`, `create-order`.
const VERB_PREFIXES: &[&str] = &[
    "get", "create", "update", "delete", "remove", "fetch", "list", "retrieve", "find",
];

/// `getUsers`, `create-order`, `delete_item`: a verb glued to a noun.
pub fn is_verb_noun_segment(segment: &str) -> bool {
    let words = words(segment);
    words.len() >= 2 && VERB_PREFIXES.contains(&words[0].as_str())
}

/// The segment names an action: `/search`, `/users/{id}/activate`, `/things:cancel`.
pub fn is_action_segment(segment: &str) -> bool {
    if segment.contains(':') && !segment.starts_with(':') {
        return true;
    }
    let words = words(segment);
    match words.first() {
        Some(first) => ACTION_WORDS.contains(&first.as_str()) || is_verb_noun_segment(segment),
        None => false,
    }
}

/// The path ends in an action, so POST there is a call, not a creation.
pub fn ends_with_action(path: &str) -> bool {
    segments(path)
        .filter(|s| !is_param(s))
        .last()
        .is_some_and(is_action_segment)
}

/// Normalises a parameter name for comparison: `pageSize`, `page_size`, `page[size]`
/// and `page-size` are one name.
pub fn normalise_param_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

const HEALTH_WORDS: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "health-check",
    "health_check",
    "ready",
    "readyz",
    "readiness",
    "live",
    "livez",
    "liveness",
    "ping",
    "status",
    "heartbeat",
];

/// `/health`, `/api/v1/healthz`, `/actuator/health`, `/health/ready`, `/_status`; not
/// `/jobs/{id}/status`. `status` and `ping` are common sub-resources, so they count only
/// as the first segment.
pub fn is_health_path(path: &str) -> bool {
    let mut meaningful = segments(path)
        .filter(|s| !is_version_segment(s) && !s.eq_ignore_ascii_case("api"))
        .take_while(|s| !is_param(s))
        .map(|s| s.trim_start_matches('_').to_ascii_lowercase());
    let Some(first) = meaningful.next() else {
        return false;
    };
    let is_probe = |s: &str| HEALTH_WORDS.contains(&s) && s != "status" && s != "ping";
    HEALTH_WORDS.contains(&first.as_str()) || meaningful.any(|s| is_probe(&s))
}

/// Operational routes (health, docs, metrics, version) that are conventionally left
/// out of versioning and need no documented errors.
pub fn is_infrastructure(path: &str) -> bool {
    // `/ui_version` reports a version; `/documents/{id}/restore_version` is an action.
    let reports_version = !segments(path).any(is_param)
        && segments(path).last().is_some_and(|s| {
            let s = s.to_ascii_lowercase();
            s.ends_with("_version") || s.ends_with("-version")
        });
    reports_version
        || is_health_path(path)
        || is_schema_path(path)
        || segments(path).any(|s| {
            let s = s.to_ascii_lowercase();
            s.starts_with("openapi")
                || s.starts_with("swagger")
                || s == "redoc"
                || s == "docs"
                || s == ".well-known"
                || s == "metrics"
                || s == "version"
                || s == "favicon.ico"
                || s == "robots.txt"
        })
}

/// The API's own schema, as drf-spectacular serves it: `/api/schema`, `/api/v1/schema`,
/// `/schema/redoc`. Only as the whole path (after `api` and a version): `/databases/
/// {id}/schema` is a resource.
fn is_schema_path(path: &str) -> bool {
    let mut meaningful = segments(path)
        .filter(|s| !is_version_segment(s) && !s.eq_ignore_ascii_case("api"))
        .map(|s| s.to_ascii_lowercase());
    meaningful.next().as_deref() == Some("schema")
        && meaningful
            .next()
            .is_none_or(|s| matches!(s.as_str(), "redoc" | "swagger" | "swagger-ui" | "docs"))
}

/// A capability URL: a path parameter that is itself the secret (`/checkouts/client/
/// {client_secret}`, `/downloads/{token}`, a participant's `/t{url_key}/`), so holding
/// the URL is the authorization. A key with a purpose names a secret (`url_key`,
/// `access_key`); a bare `{key}` is as likely a record's key.
pub fn is_capability_url(path: &str) -> bool {
    // Every `{name}` of the path, also where a segment glues text to it (`t{url_key}`).
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .any(|name| {
            let lower = name.to_ascii_lowercase();
            let words = crate::model::naming::words(name);
            ["secret", "token", "signature"]
                .iter()
                .any(|w| lower.contains(w))
                || (words.len() > 1 && words.last().is_some_and(|w| w == "key"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_and_documentation_routes_are_infrastructure() {
        for path in [
            "/api/schema",
            "/api/v1/schema",
            "/schema/redoc",
            "/api/redoc",
        ] {
            assert!(is_infrastructure(path), "{path}");
        }
        for path in ["/databases/{id}/schema", "/schema/tables", "/api/schemas"] {
            assert!(!is_infrastructure(path), "{path}");
        }
    }

    #[test]
    fn version_reports_are_infrastructure() {
        for path in [
            "/version",
            "/api/v1/version",
            "/ui_version",
            "/app-version",
            "/api/v1/app_version",
        ] {
            assert!(is_infrastructure(path), "{path}");
        }
        for path in [
            "/versions",
            "/documents/{id}/versions",
            "/conversions",
            "/documents/{id}/restore_version",
            "/prompt_version/{id}",
        ] {
            assert!(!is_infrastructure(path), "{path}");
        }
    }

    #[test]
    fn capability_urls_carry_their_secret_as_a_parameter() {
        assert!(is_capability_url("/v1/checkouts/client/{client_secret}"));
        assert!(is_capability_url("/downloads/{token}/file"));
        assert!(is_capability_url("/invites/{inviteSignature}"));
        assert!(!is_capability_url("/v1/tokens"));
        assert!(!is_capability_url("/users/{user_id}"));
        assert!(is_capability_url(
            "/{tournament_slug}/privateurls/t{url_key}"
        ));
        assert!(is_capability_url("/share/{accessKey}"));
        assert!(!is_capability_url("/settings/{key}"));
        assert!(!is_capability_url("/orders/{pk}"));
        assert!(!is_capability_url("/monkeys/{monkey}"));
    }

    #[test]
    fn versions() {
        for v in ["v1", "V2", "v1.56", "v1beta1", "v2alpha"] {
            assert!(is_version_segment(v), "{v}");
        }
        for v in ["v", "vendors", "video", "v1x", "1"] {
            assert!(!is_version_segment(v), "{v}");
        }
        assert!(has_version("https://api.example.com/v1"));
        assert!(has_version("https://v2.api.example.com"));
        assert!(has_version("/api/{version}/users"));
        assert!(!has_version("https://api.example.com/"));
    }

    #[test]
    fn actions_and_verbs() {
        assert!(is_verb_noun_segment("getUsers"));
        assert!(is_verb_noun_segment("create-order"));
        assert!(!is_verb_noun_segment("settings"));
        assert!(!is_verb_noun_segment("get"));
        assert!(!is_verb_noun_segment("addresses"));
        assert!(!is_verb_noun_segment("add-ons"));
        assert!(is_verb_noun_segment("getURL"));
        assert!(ends_with_action("/users/{id}/activate"));
        assert!(ends_with_action("/v1/things:cancel"));
        assert!(ends_with_action("/search"));
        assert!(!ends_with_action("/users"));
        assert!(!ends_with_action("/orders/{id}/items"));
    }

    #[test]
    fn health_paths() {
        for p in [
            "/health",
            "/api/v1/healthz",
            "/health/ready",
            "/_status",
            "/v2/ping",
        ] {
            assert!(is_health_path(p), "{p}");
        }
        for p in [
            "/jobs/{id}/status",
            "/users/{id}/ping",
            "/healthcare/plans",
            "/orders/status",
        ] {
            assert!(!is_health_path(p), "{p}");
        }
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("http://user@h.example:80/x"), Some("h.example"));
        assert_eq!(host_of("http://[::1]:8080/"), Some("::1"));
        assert_eq!(host_of("/relative"), None);
    }

    #[test]
    fn param_names_normalise() {
        assert_eq!(normalise_param_name("page[size]"), "pagesize");
        assert_eq!(
            normalise_param_name("pageSize"),
            normalise_param_name("page_size")
        );
    }
}
