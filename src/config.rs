//! `archlint.toml`: rule levels, per-path overrides, file selection and the policy
//! choices that real style guides disagree on. Every option has an embedded default.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::finding::Level;
use crate::registry;

pub const FILE_NAME: &str = "archlint.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
/// A rule's level, or `off`.
pub enum Setting {
    Off,
    Info,
    Warning,
    Error,
}

impl Setting {
    pub fn level(self) -> Option<Level> {
        match self {
            Setting::Off => None,
            Setting::Info => Some(Level::Info),
            Setting::Warning => Some(Level::Warning),
            Setting::Error => Some(Level::Error),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
/// How the API is versioned; `api/versioning` checks that every path follows it.
pub enum Versioning {
    /// A version segment in the path or server URL: `/v1/users`.
    #[default]
    Uri,
    /// A version header such as `Api-Version`; paths must not carry a version.
    Header,
    /// A versioned media type such as `application/vnd.acme.v2+json`.
    MediaType,
    /// Do not check versioning.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
/// The error body format `api/error-schema-consistency` expects.
pub enum ErrorFormat {
    /// Any schema, as long as one is used consistently.
    #[default]
    #[serde(rename = "any")]
    Any,
    /// RFC 9457 `application/problem+json`.
    #[serde(rename = "problem+json")]
    ProblemJson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
/// REST resources, or RPC-style action endpoints (`POST /users.create`).
pub enum ApiStyle {
    #[default]
    Rest,
    Rpc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
/// The casing `api/path-naming` expects for literal path segments.
pub enum PathCase {
    /// No upper-case letters; kebab-case and snake_case both pass.
    #[default]
    Lower,
    /// `order-items`.
    Kebab,
    /// `order_items`.
    Snake,
    /// Do not check casing.
    Any,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
/// The choices style guides disagree on; the defaults follow common practice.
pub struct Policy {
    /// How the API is versioned.
    pub versioning: Versioning,
    /// Query parameters that make a list endpoint paginated.
    pub pagination_params: Vec<String>,
    /// Pagination parameters that set a page size, and so need a maximum.
    pub page_size_params: Vec<String>,
    /// Globs over path templates that need no authentication.
    pub public_paths: Vec<String>,
    /// The error body format.
    pub errors: ErrorFormat,
    /// REST or RPC.
    pub style: ApiStyle,
    /// Casing of literal path segments.
    pub path_case: PathCase,
    /// Names of the project's own decorators or dependencies that authenticate
    /// (`jwt_auth_required`), beyond the ones archlint recognises by name.
    pub auth_markers: Vec<String>,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            versioning: Versioning::Uri,
            pagination_params: strings(&[
                "limit",
                "offset",
                "page",
                "per_page",
                "page_size",
                "cursor",
                "after",
                "before",
                "since",
                "skip",
                "take",
                "page_token",
                "next_token",
                "max_results",
                "starting_after",
                "ending_before",
                "first",
                "last",
            ]),
            page_size_params: strings(&["limit", "per_page", "page_size", "take", "max_results"]),
            public_paths: strings(&[
                "**/health",
                "**/healthz",
                "**/healthcheck",
                "**/health/*",
                "**/livez",
                "**/readyz",
                "**/ready",
                "**/ping",
                "/status",
                "/version",
                "/api/status",
                "**/login",
                "**/logout",
                "**/signin",
                "**/sign-in",
                "**/signup",
                "**/sign-up",
                "**/register",
                "**/token",
                "**/callback",
                "**/authorize",
                "**/oidc",
                "**/oidc/**",
                "**/sso",
                "**/sso/**",
                "**/oauth",
                "**/oauth/**",
                "**/oauth2",
                "**/oauth2/**",
                "**/token/refresh",
                "**/auth/refresh",
                "**/password/reset",
                "**/password-reset",
                "**/reset-password",
                "**/forgot-password",
                "**/password/forgot",
                "**/password-recovery/**",
                "**/reset_password*",
                "**/reset-password/**",
                "**/password_reset*",
                "**/access-token",
                "**/login/**",
                "**/token/verify",
                "/redoc",
                "/docs",
                "/docs/**",
                "**/openapi.json",
                "**/openapi.yaml",
                "**/openapi",
                "**/swagger.json",
                "**/swagger-ui/**",
                "**/.well-known/**",
            ]),
            errors: ErrorFormat::Any,
            style: ApiStyle::Rest,
            path_case: PathCase::Lower,
            auth_markers: Vec::new(),
        }
    }
}

/// The SQL dialect migrations and queries are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// PostgreSQL (the default when nothing in the files says otherwise).
    Postgres,
    /// MySQL or MariaDB.
    Mysql,
    Sqlite,
    /// Microsoft SQL Server.
    Mssql,
    /// Standard SQL only.
    Generic,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
/// How SQL files are read.
pub struct SqlConfig {
    /// The dialect; when unset, detected from the files (backticks or `ENGINE=` mean
    /// MySQL, `AUTOINCREMENT` or `PRAGMA` SQLite), else PostgreSQL.
    pub dialect: Option<Dialect>,
    /// Migrations up to this version (`20240101120000`, `V42`, `0042`) have already run
    /// in production: the migration-safety rules judge only newer ones. The schema
    /// rules still read the whole history.
    pub start_after: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
/// Rule levels for some files only.
pub struct Override {
    /// Globs over paths relative to the scanned root.
    pub files: Vec<String>,
    /// Levels by rule id or area, for these files.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Setting>")]
    pub rules: BTreeMap<toml::Spanned<String>, Setting>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
/// `archlint.toml`: archlint's configuration.
pub struct Config {
    /// Globs of files to check; when set, nothing else is read.
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs of files and folders to skip, on top of `.gitignore` and the built-in list.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Levels by rule id or area: `off`, `info`, `warning`, `error`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Setting>")]
    pub rules: BTreeMap<toml::Spanned<String>, Setting>,
    /// Policy choices.
    #[serde(default)]
    pub policy: Policy,
    /// How SQL files are read.
    #[serde(default)]
    pub sql: SqlConfig,
    /// Levels for some files only; later entries win.
    #[serde(default)]
    pub overrides: Vec<Override>,
}

/// A configuration problem: exit code 2, with the file, line and key.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub text: String,
    pub message: String,
    pub span: Option<std::ops::Range<usize>>,
}

impl ConfigError {
    pub fn render(&self) -> String {
        let location = match &self.span {
            Some(span) => {
                let before = &self.text[..span.start.min(self.text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("{}:{line}:{column}", self.path.display())
            }
            None => self.path.display().to_string(),
        };
        format!(
            "error: invalid configuration at {location}: {}",
            self.message
        )
    }
}

/// Compiled form of the parts of the configuration used per finding and per file.
#[derive(Debug)]
pub struct Settings {
    pub config: Config,
    pub include: Option<GlobSet>,
    pub exclude: GlobSet,
    pub public_paths: GlobSet,
    overrides: Vec<(GlobSet, BTreeMap<String, Setting>)>,
    rules: BTreeMap<String, Setting>,
}

fn glob_set(globs: &[String], what: &str) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        // `*` stays within one segment: `**/health*` must not match `/healthcare/{id}`.
        let glob = GlobBuilder::new(g)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("{what}: `{g}` is not a valid glob: {e}"))?;
        b.add(glob);
        // `dir/` or `dir` also means everything below it.
        let trimmed = g.trim_end_matches('/');
        if !trimmed.contains('*') {
            if let Ok(glob) = Glob::new(&format!("{trimmed}/**")) {
                b.add(glob);
            }
        }
    }
    b.build().map_err(|e| format!("{what}: {e}"))
}

fn check_rule_keys(
    rules: &BTreeMap<toml::Spanned<String>, Setting>,
    fail: &dyn Fn(String, Option<std::ops::Range<usize>>) -> ConfigError,
) -> Result<BTreeMap<String, Setting>, ConfigError> {
    let mut out = BTreeMap::new();
    for (key, setting) in rules {
        let id = key.get_ref();
        if registry::doc_of(id).is_none() && !registry::AREAS.contains(&id.as_str()) {
            return Err(fail(
                format!(
                    "unknown rule `{id}` (run `archlint rules` for the list; areas are {})",
                    registry::AREAS.join(", ")
                ),
                Some(key.span()),
            ));
        }
        out.insert(id.clone(), *setting);
    }
    Ok(out)
}

/// The JSON schema of `archlint.toml`, generated from the types above so editors can
/// complete and check the file (`archlint.schema.json` in the repository).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

impl Settings {
    /// Whether `policy.public-paths` makes a path public; a trailing `/` (Django's
    /// `register/`) is not part of what the globs name.
    pub fn is_public_path(&self, path: &str) -> bool {
        let trimmed = path.trim_end_matches('/');
        self.public_paths
            .is_match(if trimmed.is_empty() { "/" } else { trimmed })
    }

    pub fn defaults() -> Settings {
        // The embedded defaults always compile.
        Settings::from_config(Config::default()).unwrap_or_else(|_| unreachable!())
    }

    fn from_config(config: Config) -> Result<Settings, String> {
        let include = if config.include.is_empty() {
            None
        } else {
            Some(glob_set(&config.include, "include")?)
        };
        let exclude = glob_set(&config.exclude, "exclude")?;
        let public_paths = glob_set(&config.policy.public_paths, "policy.public-paths")?;
        let mut overrides = Vec::new();
        for o in &config.overrides {
            let set = glob_set(&o.files, "overrides.files")?;
            let rules = o
                .rules
                .iter()
                .map(|(k, v)| (k.get_ref().clone(), *v))
                .collect();
            overrides.push((set, rules));
        }
        let rules = config
            .rules
            .iter()
            .map(|(k, v)| (k.get_ref().clone(), *v))
            .collect();
        Ok(Settings {
            config,
            include,
            exclude,
            public_paths,
            overrides,
            rules,
        })
    }

    pub fn parse(path: &Path, text: &str) -> Result<Settings, ConfigError> {
        let fail = |message: String, span| ConfigError {
            path: path.to_path_buf(),
            text: text.to_string(),
            message,
            span,
        };
        let config: Config =
            toml::from_str(text).map_err(|e| fail(e.message().to_string(), e.span()))?;
        check_rule_keys(&config.rules, &fail)?;
        for o in &config.overrides {
            check_rule_keys(&o.rules, &fail)?;
        }
        Settings::from_config(config).map_err(|m| fail(m, None))
    }

    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            text: String::new(),
            message: format!("cannot read it: {e}"),
            span: None,
        })?;
        Settings::parse(path, &text)
    }

    pub fn policy(&self) -> &Policy {
        &self.config.policy
    }

    /// The configured setting for a rule in a file: the most specific key wins (rule id
    /// over area), and later overrides over earlier ones and over the top level.
    pub fn setting_for(&self, rule: &str, path: &str) -> Option<Setting> {
        let area = rule.split('/').next().unwrap_or(rule);
        let pick = |rules: &BTreeMap<String, Setting>| {
            rules.get(rule).or_else(|| rules.get(area)).copied()
        };
        let mut setting = pick(&self.rules);
        for (files, rules) in &self.overrides {
            if files.is_match(path) {
                if let Some(s) = pick(rules) {
                    setting = Some(s);
                }
            }
        }
        setting
    }

    /// Whether a rule is configured `off` everywhere (it still runs if any override
    /// turns it back on).
    pub fn rule_off_everywhere(&self, rule: &str) -> bool {
        let area = rule.split('/').next().unwrap_or(rule);
        let pick = |rules: &BTreeMap<String, Setting>| {
            rules.get(rule).or_else(|| rules.get(area)).copied()
        };
        pick(&self.rules) == Some(Setting::Off)
            && self
                .overrides
                .iter()
                .all(|(_, r)| matches!(pick(r), None | Some(Setting::Off)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, ConfigError> {
        Settings::parse(Path::new("archlint.toml"), text)
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let err = parse("[policy]\nversioning = \"uri\"\nfoo = 1\n").unwrap_err();
        let rendered = err.render();
        assert!(rendered.contains("archlint.toml:3:1"), "{rendered}");
        assert!(rendered.contains("foo"), "{rendered}");
    }

    #[test]
    fn bad_value_is_named() {
        let err = parse("[policy]\nversioning = \"sometimes\"\n").unwrap_err();
        assert!(
            err.render().contains("archlint.toml:2:"),
            "{}",
            err.render()
        );
        assert!(
            err.message.contains("sometimes") || err.message.contains("variant"),
            "{}",
            err.message
        );
    }

    #[test]
    fn unknown_rule_is_an_error_at_its_key() {
        let err = parse("[rules]\n\"api/nope\" = \"off\"\n").unwrap_err();
        assert!(err.render().contains(":2:1"), "{}", err.render());
        assert!(err.message.contains("api/nope"));
    }

    #[test]
    fn overrides_and_areas_resolve_most_specific() {
        let s = parse(
            "[rules]\napi = \"info\"\n\"api/versioning\" = \"off\"\n[[overrides]]\nfiles = [\"legacy/**\"]\nrules = { \"api/versioning\" = \"error\" }\n",
        )
        .unwrap();
        assert_eq!(
            s.setting_for("api/path-naming", "a.yaml"),
            Some(Setting::Info)
        );
        assert_eq!(
            s.setting_for("api/versioning", "a.yaml"),
            Some(Setting::Off)
        );
        assert_eq!(
            s.setting_for("api/versioning", "legacy/a.yaml"),
            Some(Setting::Error)
        );
        assert!(!s.rule_off_everywhere("api/versioning"));
        assert_eq!(s.setting_for("sec/missing-auth", "a.yaml"), None);
    }

    #[test]
    fn defaults_compile() {
        let s = Settings::defaults();
        assert!(s.public_paths.is_match("/v1/auth/login"));
        assert!(s.public_paths.is_match("/health"));
        assert!(s.public_paths.is_match("/auth/oauth2"));
        assert!(s.public_paths.is_match("/auth/oauth2/callback"));
        assert!(s.public_paths.is_match("/sso"));
        assert!(!s.public_paths.is_match("/metrics"));
        assert!(!s.public_paths.is_match("/healthcare/patients/{id}"));
        assert!(!s.public_paths.is_match("/orders/{id}/status"));
        assert!(s.public_paths.is_match("/health/live"));
        assert!(s.is_public_path("/api/register/"));
        assert!(s.is_public_path("/health"));
        assert!(!s.is_public_path("/"));
        assert!(!s.is_public_path("/api/users/"));
        assert!(!s.public_paths.is_match("/users"));
    }
}
