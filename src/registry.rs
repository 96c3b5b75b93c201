//! The rule table. Adding a rule means adding its module, its page under `rules/`,
//! and one line here; `tests/registry.rs` keeps the three and the README in step.

use crate::finding::Level;
use crate::rules::{api, db, ops, perf, sec, Input, Rule};

pub const AREAS: &[&str] = &["api", "sec", "db", "perf", "ops"];

/// Diagnostics that are not rules but are graded and reported like them.
pub const PARSE_ERROR_DOC: &str = include_str!("../rules/archlint/parse-error.md");
pub const UNUSED_SUPPRESSION_DOC: &str = include_str!("../rules/archlint/unused-suppression.md");

macro_rules! rule {
    ($module:path, $id:literal, $level:ident, [$($input:ident),*]) => {{
        use $module as m;
        Rule {
            id: $id,
            default_level: Level::$level,
            inputs: &[$(Input::$input),*],
            doc: include_str!(concat!("../rules/", $id, ".md")),
            check: m::check,
        }
    }};
}

pub static RULES: &[Rule] = &[
    rule!(api::list_pagination, "api/list-pagination", Warning, [Spec]),
    rule!(
        api::unbounded_page_size,
        "api/unbounded-page-size",
        Info,
        [Spec]
    ),
    rule!(api::create_status, "api/create-status", Warning, [Spec]),
    rule!(
        api::method_status_mismatch,
        "api/method-status-mismatch",
        Warning,
        [Spec]
    ),
    rule!(
        api::nonstandard_status,
        "api/nonstandard-status",
        Warning,
        [Spec]
    ),
    rule!(
        api::missing_error_responses,
        "api/missing-error-responses",
        Warning,
        [Spec]
    ),
    rule!(
        api::missing_success_response,
        "api/missing-success-response",
        Error,
        [Spec]
    ),
    rule!(
        api::error_schema_consistency,
        "api/error-schema-consistency",
        Info,
        [Spec]
    ),
    rule!(
        api::error_with_success_status,
        "api/error-with-success-status",
        Warning,
        [Code]
    ),
    rule!(api::versioning, "api/versioning", Warning, [Spec]),
    rule!(api::path_naming, "api/path-naming", Info, [Spec]),
    rule!(api::operation_docs, "api/operation-docs", Info, [Spec]),
    rule!(
        api::request_body_on_get,
        "api/request-body-on-get",
        Warning,
        [Spec]
    ),
    rule!(sec::missing_auth, "sec/missing-auth", Warning, [Spec]),
    rule!(
        sec::undefined_security_scheme,
        "sec/undefined-security-scheme",
        Error,
        [Spec]
    ),
    rule!(
        sec::missing_rate_limit,
        "sec/missing-rate-limit",
        Warning,
        [Spec]
    ),
    rule!(sec::unbounded_input, "sec/unbounded-input", Info, [Spec]),
    rule!(
        sec::insecure_transport,
        "sec/insecure-transport",
        Warning,
        [Spec]
    ),
    rule!(
        sec::weak_auth_scheme,
        "sec/weak-auth-scheme",
        Warning,
        [Spec]
    ),
    rule!(sec::sql_injection, "sec/sql-injection", Error, [Code]),
    rule!(sec::hardcoded_secret, "sec/hardcoded-secret", Error, [Code]),
    rule!(sec::debug_enabled, "sec/debug-enabled", Warning, [Code]),
    rule!(sec::cors_wildcard, "sec/cors-wildcard", Warning, [Code]),
    rule!(sec::mass_assignment, "sec/mass-assignment", Info, [Code]),
    rule!(db::fk_without_index, "db/fk-without-index", Warning, [Sql]),
    rule!(
        db::missing_primary_key,
        "db/missing-primary-key",
        Warning,
        [Sql]
    ),
    rule!(db::duplicate_index, "db/duplicate-index", Info, [Sql]),
    rule!(
        db::non_concurrent_index,
        "db/non-concurrent-index",
        Warning,
        [Sql]
    ),
    rule!(
        db::add_not_null_column,
        "db/add-not-null-column",
        Warning,
        [Sql]
    ),
    rule!(
        db::validated_foreign_key,
        "db/validated-foreign-key",
        Info,
        [Sql]
    ),
    rule!(
        db::column_type_change,
        "db/column-type-change",
        Warning,
        [Sql]
    ),
    rule!(
        db::destructive_migration,
        "db/destructive-migration",
        Warning,
        [Sql]
    ),
    rule!(db::select_star, "db/select-star", Info, [Sql]),
    rule!(
        db::update_without_where,
        "db/update-without-where",
        Error,
        [Sql]
    ),
    rule!(db::float_money, "db/float-money", Warning, [Sql]),
    rule!(db::sql_parse_error, "db/sql-parse-error", Info, [Sql]),
    rule!(perf::n_plus_one, "perf/n-plus-one", Warning, [Code]),
    rule!(
        perf::missing_timeout,
        "perf/missing-timeout",
        Warning,
        [Code]
    ),
    rule!(
        perf::blocking_in_async,
        "perf/blocking-in-async",
        Warning,
        [Code]
    ),
    rule!(
        perf::connection_per_request,
        "perf/connection-per-request",
        Warning,
        [Code]
    ),
    rule!(ops::print_logging, "ops/print-logging", Info, [Code]),
    rule!(
        ops::missing_health_check,
        "ops/missing-health-check",
        Info,
        [Spec]
    ),
];

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The documentation page of a rule or of one of the built-in diagnostics.
pub fn doc_of(id: &str) -> Option<&'static str> {
    match id {
        crate::spec::PARSE_ERROR => Some(PARSE_ERROR_DOC),
        crate::suppress::UNUSED_SUPPRESSION => Some(UNUSED_SUPPRESSION_DOC),
        _ => find(id).map(|r| r.doc),
    }
}

/// Level of the built-in diagnostics, and of rules without configuration.
pub fn default_level(id: &str) -> Level {
    match find(id) {
        Some(r) => r.default_level,
        None => Level::Info,
    }
}

/// First paragraph after the `# title` line of a page, joined into one line.
pub fn summary_of(doc: &str) -> String {
    doc.lines()
        .skip_while(|l| !l.starts_with("# "))
        .skip(1)
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a rule's page lives in this repository.
pub fn doc_path(id: &str) -> String {
    format!("rules/{id}.md")
}

/// Where a rule's page can be read on the web (for reports shown outside a checkout).
pub fn doc_url(id: &str) -> String {
    format!(
        "{}/blob/main/{}",
        env!("CARGO_PKG_REPOSITORY"),
        doc_path(id)
    )
}

/// The area of a rule id (`sec` for `sec/missing-auth`).
pub fn area_of(id: &str) -> &str {
    id.split('/').next().unwrap_or(id)
}

/// The body of a `## heading` section of a page, trimmed.
pub fn section_of<'a>(doc: &'a str, heading: &str) -> Option<&'a str> {
    let marker = format!("\n## {heading}\n");
    let start = doc.find(&marker)? + marker.len();
    let rest = &doc[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim())
}
