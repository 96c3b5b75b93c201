//! `archlint init`: a commented `archlint.toml` whose policy matches what the
//! repository already does, so the first run reports departures from the house style
//! rather than from archlint's defaults.

use crate::config::{ErrorFormat, PathCase, Policy, Versioning};
use crate::model::{path, ParamIn, Project};

/// What `init` could tell from the repository, with the reason shown in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inferred {
    pub versioning: Versioning,
    pub versioning_reason: String,
    pub path_case: PathCase,
    pub path_case_reason: String,
    pub errors: ErrorFormat,
    pub errors_reason: String,
    pub endpoints: usize,
    /// The newest migration's version, when the repository has one migration history.
    pub latest_migration: Option<(String, String)>,
}

/// The version a migration path carries: `0042` in `migrations/0042_x.sql`,
/// `2021-04-24-115720` in `migrations/2021-04-24-115720_x/up.sql`, `1.2` in `V1.2__x.sql`.
fn version_of(path: &str) -> Option<String> {
    path.split('/').rev().find_map(|part| {
        let part = part.strip_prefix(['V', 'v']).unwrap_or(part);
        let end = part
            .find(|c: char| !(c.is_ascii_digit() || c == '-' || c == '.'))
            .unwrap_or(part.len());
        let version = part[..end].trim_end_matches(['-', '.']);
        version
            .starts_with(|c: char| c.is_ascii_digit())
            .then(|| version.to_string())
    })
}

const VERSION_HEADERS: &[&str] = &["api-version", "x-api-version", "accept-version", "version"];

pub fn infer(project: &Project) -> Inferred {
    let endpoints = &project.api.endpoints;
    let total = endpoints.len();
    let versioned = endpoints
        .iter()
        .filter(|e| {
            path::has_version(&e.path) || e.servers.iter().any(|s| path::has_version(&s.url))
        })
        .count();
    let header_versioned = endpoints
        .iter()
        .filter(|e| {
            e.parameters.iter().any(|p| {
                p.location_in == ParamIn::Header
                    && VERSION_HEADERS.contains(&p.name.to_ascii_lowercase().as_str())
            })
        })
        .count();
    let media_versioned = endpoints
        .iter()
        .filter(|e| {
            e.responses.iter().any(|r| {
                r.media_types
                    .iter()
                    .any(|m| m.contains("vnd.") && path::has_version(&m.replace(['.', '+'], "/")))
            })
        })
        .count();
    let (versioning, versioning_reason) = if total == 0 {
        (
            Versioning::Uri,
            "no endpoints found yet; archlint's default".to_string(),
        )
    } else if versioned * 2 >= total {
        (
            Versioning::Uri,
            format!("{versioned} of {total} endpoints carry a version in the path or server URL"),
        )
    } else if header_versioned * 2 >= total {
        (
            Versioning::Header,
            format!("{header_versioned} of {total} endpoints take a version header"),
        )
    } else if media_versioned * 2 >= total {
        (
            Versioning::MediaType,
            format!("{media_versioned} of {total} endpoints answer with a versioned media type"),
        )
    } else {
        (
            Versioning::Uri,
            format!("only {versioned} of {total} endpoints are versioned; archlint's default, expect api/versioning findings (set \"none\" to accept unversioned paths)"),
        )
    };

    let (mut kebab, mut snake, mut camel) = (0usize, 0usize, 0usize);
    for e in endpoints {
        for segment in path::segments(&e.path).filter(|s| !path::is_param(s)) {
            if segment.chars().any(|c| c.is_ascii_uppercase()) {
                camel += 1;
            } else if segment.contains('-') {
                kebab += 1;
            } else if segment.contains('_') {
                snake += 1;
            }
        }
    }
    let (path_case, path_case_reason) = if camel > kebab + snake {
        (
            PathCase::Any,
            format!("{camel} path segments use upper-case letters"),
        )
    } else if kebab > 0 && snake == 0 && camel == 0 {
        (
            PathCase::Kebab,
            format!("all {kebab} multi-word path segments are kebab-case"),
        )
    } else if snake > 0 && kebab == 0 && camel == 0 {
        (
            PathCase::Snake,
            format!("all {snake} multi-word path segments are snake_case"),
        )
    } else {
        (
            PathCase::Lower,
            "archlint's default: lower case, kebab-case or snake_case".to_string(),
        )
    };

    let error_bodies: Vec<&str> = endpoints
        .iter()
        .flat_map(|e| e.responses.iter())
        .filter(|r| r.code.starts_with('4') || r.code.starts_with('5'))
        .flat_map(|r| r.media_types.iter().map(String::as_str))
        .collect();
    let problem = error_bodies
        .iter()
        .filter(|m| m.contains("problem+"))
        .count();
    let (errors, errors_reason) = if !error_bodies.is_empty() && problem * 2 > error_bodies.len() {
        (
            ErrorFormat::ProblemJson,
            format!(
                "{problem} of {} error bodies are problem+json",
                error_bodies.len()
            ),
        )
    } else {
        (
            ErrorFormat::Any,
            "archlint's default: any error schema, used consistently".to_string(),
        )
    };

    let histories = &project.sql.schema.histories;
    let latest_migration = match histories.as_slice() {
        [only] => only
            .files
            .last()
            .and_then(|f| version_of(&f.path).map(|v| (v, f.path.clone()))),
        _ => None,
    };

    Inferred {
        latest_migration,
        versioning,
        versioning_reason,
        path_case,
        path_case_reason,
        errors,
        errors_reason,
        endpoints: total,
    }
}

fn quoted_list(items: &[String], indent: &str) -> String {
    let mut out = String::from("[\n");
    for item in items {
        out.push_str(&format!("{indent}  {},\n", toml_string(item)));
    }
    out.push_str(indent);
    out.push(']');
    out
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn versioning_name(v: Versioning) -> &'static str {
    match v {
        Versioning::Uri => "uri",
        Versioning::Header => "header",
        Versioning::MediaType => "media-type",
        Versioning::None => "none",
    }
}

fn path_case_name(p: PathCase) -> &'static str {
    match p {
        PathCase::Lower => "lower",
        PathCase::Kebab => "kebab",
        PathCase::Snake => "snake",
        PathCase::Any => "any",
    }
}

/// The file `archlint init` writes. Every option appears, commented where it keeps
/// its default, so the file doubles as the reference.
pub fn render(inferred: &Inferred) -> String {
    let defaults = Policy::default();
    let errors = match inferred.errors {
        ErrorFormat::Any => "any",
        ErrorFormat::ProblemJson => "problem+json",
    };
    let schema_url = format!(
        "{}/raw/main/archlint.schema.json",
        env!("CARGO_PKG_REPOSITORY")
    );
    format!(
        r#"#:schema {schema_url}
# archlint configuration, written by `archlint init` from {endpoints} endpoints found here.
# Every option is listed; the reference is in archlint's README and `archlint explain <rule>`.

# Globs of files to check; when set, nothing else is read.
# include = ["api/**", "migrations/**"]

# Globs of files and folders to skip, on top of .gitignore and the built-in list
# (node_modules, target, vendor, dist, ...).
exclude = []

# Levels by rule id or area: "off", "info", "warning", "error".
# `archlint rules` lists every rule with its default level.
[rules]
# "sec/unbounded-input" = "off"
# perf = "warning"

[policy]
# How the API is versioned: "uri" (/v1/...), "header", "media-type" or "none".
# Inferred: {versioning_reason}.
versioning = "{versioning}"

# Casing of literal path segments: "lower" (kebab or snake), "kebab", "snake" or "any".
# Inferred: {path_case_reason}.
path-case = "{path_case}"

# The error body format: "any" (one schema, used consistently) or "problem+json".
# Inferred: {errors_reason}.
errors = "{errors}"

# "rest" resources, or "rpc" action endpoints (POST /users.create).
style = "rest"

# Query parameters that make a list endpoint paginated.
pagination-params = {pagination}

# Pagination parameters that set a page size, and so need a maximum.
page-size-params = {page_size}

# The project's own decorators that authenticate a route, beyond the names archlint
# recognises (login_required, jwt_required, Depends(get_current_user), ...).
# auth-markers = ["staff_only"]

# Globs over path templates that need no authentication. `*` stays within one
# segment, `**` crosses `/`; a glob without `*` also covers everything below it.
# Setting this list replaces the built-in one, shown here.
# public-paths = {public}

[sql]
# "postgres", "mysql", "sqlite", "mssql" or "generic"; unset: detected per migration
# history, else PostgreSQL.
# dialect = "postgres"

# Migrations up to this version have already run in production; the migration-safety
# rules (locking index builds, NOT NULL columns, type changes, drops) judge only newer
# ones, while the schema rules still read the whole history.
{start_after}

# Levels for some files only; later entries win.
# [[overrides]]
# files = ["legacy/**"]
# rules = {{ "api/versioning" = "off" }}
"#,
        endpoints = inferred.endpoints,
        versioning_reason = inferred.versioning_reason,
        versioning = versioning_name(inferred.versioning),
        path_case_reason = inferred.path_case_reason,
        path_case = path_case_name(inferred.path_case),
        errors_reason = inferred.errors_reason,
        pagination = quoted_list(&defaults.pagination_params, ""),
        page_size = quoted_list(&defaults.page_size_params, ""),
        public = quoted_list(&defaults.public_paths, "").replace('\n', "\n# "),
        start_after = match &inferred.latest_migration {
            Some((version, path)) => format!(
                "# The newest migration today is {path}.\nstart-after = {}",
                toml_string(version)
            ),
            None => "# start-after = \"20240101120000\"".to_string(),
        },
    )
}
