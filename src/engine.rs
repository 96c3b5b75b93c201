//! One run: discover, load, build the models, run the rules, apply suppressions and
//! configuration, and return the findings in a deterministic order.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::code;
use crate::config::{Dialect, Settings};
use crate::discover::{self, Kind};
use crate::finding::{Finding, Location, Reported};
use crate::model::{Origin, Project};
use crate::registry::{self, RULES};
use crate::rules::{Context, Rule};
use crate::source::{SharedSource, Span};
use crate::spec::{self, DocStore, DocumentFacts};
use crate::sql::{self, SqlDialect, SqlSuppressionScope};
use crate::suppress;
use crate::suppress::{Scope, Suppression};

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Paths in reports are relative to this folder.
    pub root: PathBuf,
    pub paths: Vec<PathBuf>,
    /// Rule ids or areas to run (empty: all).
    pub select: Vec<String>,
    /// Rule ids or areas not to run.
    pub ignore: Vec<String>,
}

#[derive(Debug)]
pub struct Outcome {
    pub findings: Vec<Reported>,
    /// Paths (relative to the root) of every file read, for scoping a baseline.
    pub checked_paths: std::collections::HashSet<String>,
    pub files_checked: usize,
    pub documents: usize,
    /// SQL files read (migrations, queries and seeds).
    pub sql_files: usize,
    pub elapsed: Duration,
    /// The models the findings came from. Freeing millions of small facts takes a
    /// noticeable part of a run, so the command line leaves that to the end of the
    /// process; a library caller simply drops it.
    pub project: Project,
}

fn matches_selector(selector: &str, id: &str) -> bool {
    selector == "all"
        || selector == id
        || id
            .strip_prefix(selector)
            .is_some_and(|rest| rest.starts_with('/'))
}

pub fn validate_selectors(selectors: &[String]) -> Result<(), String> {
    for s in selectors {
        let known = s == "all"
            || registry::doc_of(s).is_some()
            || registry::AREAS.contains(&s.as_str())
            || s == "archlint";
        if !known {
            return Err(format!(
                "unknown rule or area `{s}` (run `archlint rules` for the list)"
            ));
        }
    }
    Ok(())
}

/// Whether a rule (or built-in diagnostic) runs under these options and settings.
pub fn enabled(options: &CheckOptions, settings: &Settings, id: &str) -> bool {
    let selected =
        options.select.is_empty() || options.select.iter().any(|s| matches_selector(s, id));
    let ignored = options.ignore.iter().any(|s| matches_selector(s, id));
    selected && !ignored && !settings.rule_off_everywhere(id)
}

/// What reading one file gave: OpenAPI facts, or a SQL source for the history pass.
#[derive(Default)]
struct Loaded {
    facts: Option<DocumentFacts>,
    sql: Option<SharedSource>,
    python: Option<SharedSource>,
}

fn load_file(store: &DocStore, options: &CheckOptions, path: &Path, kind: Kind) -> Loaded {
    if kind == Kind::Python {
        return match discover::read(&options.root, path) {
            Ok(python) => Loaded {
                python,
                ..Default::default()
            },
            Err(problem) => Loaded {
                facts: Some(DocumentFacts {
                    problems: vec![*problem],
                    ..Default::default()
                }),
                ..Default::default()
            },
        };
    }
    if kind == Kind::Sql {
        return match discover::read_sql(&options.root, path) {
            Ok((sql, problem)) => Loaded {
                facts: problem.map(|p| DocumentFacts {
                    problems: vec![p],
                    ..Default::default()
                }),
                sql,
                ..Default::default()
            },
            Err(problem) => Loaded {
                facts: Some(DocumentFacts {
                    problems: vec![*problem],
                    ..Default::default()
                }),
                ..Default::default()
            },
        };
    }
    Loaded {
        facts: load_document(store, options, path, kind),
        ..Default::default()
    }
}

fn load_document(
    store: &DocStore,
    options: &CheckOptions,
    path: &Path,
    kind: Kind,
) -> Option<DocumentFacts> {
    match kind {
        Kind::Structured => {
            let source = match discover::read(&options.root, path) {
                Ok(Some(source)) => source,
                Ok(None) => return None,
                Err(problem) => {
                    return Some(DocumentFacts {
                        problems: vec![*problem],
                        ..Default::default()
                    })
                }
            };
            if !spec::may_be_spec(&source.text) {
                return None;
            }
            let parsed = store.insert(source);
            spec::analyse_document(store, &parsed, 0)
        }
        Kind::Sql | Kind::Python => None,
    }
}

/// Builds the project model from every file, in parallel; a panic while reading one
/// file becomes a diagnostic for that file, not the end of the run.
fn load(
    options: &CheckOptions,
    settings: &Settings,
    files: &[(PathBuf, Kind)],
) -> (Project, usize) {
    let store = DocStore::new(&options.root);
    let loaded: Vec<(PathBuf, Loaded)> = crate::timings::time("read files", || {
        files
            .par_iter()
            .map(|(path, kind)| {
                let facts = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    load_file(&store, options, path, *kind)
                }))
                .unwrap_or_else(|_| Loaded {
                    facts: Some(DocumentFacts {
                        problems: vec![internal_error(
                            spec::display_path(&options.root, path),
                            path,
                            "this file; it was",
                        )],
                        ..Default::default()
                    }),
                    ..Default::default()
                });
                (path.clone(), facts)
            })
            .collect()
    });
    let mut project = Project::default();
    let mut documents = 0;
    let mut sql_files = Vec::new();
    let mut python_files = Vec::new();
    for (_, loaded) in loaded {
        sql_files.extend(loaded.sql);
        python_files.extend(loaded.python);
        let Some(facts) = loaded.facts else { continue };
        project.load_problems.extend(facts.problems);
        project.suppressions.extend(facts.suppressions);
        if let Some(doc) = facts.document {
            let index = project.api.documents.len();
            project.api.documents.push(doc);
            project
                .api
                .endpoints
                .extend(facts.endpoints.into_iter().map(|mut e| {
                    e.origin = Origin::Spec { document: index };
                    e
                }));
            documents += 1;
        }
    }
    if !sql_files.is_empty() {
        load_sql(&mut project, options, settings, &sql_files);
    }
    if !python_files.is_empty() {
        let dialect = settings
            .config
            .sql
            .dialect
            .map(sql_dialect)
            .unwrap_or(project.sql.schema.dialect);
        crate::timings::time("code (total)", || {
            load_code(&mut project, options, &python_files, dialect)
        });
    }
    (project, documents)
}

/// Replays the migrations and reads the queries. A panic in that pass costs the SQL
/// findings, reported once, not the run.
fn load_sql(
    project: &mut Project,
    options: &CheckOptions,
    settings: &Settings,
    files: &[SharedSource],
) {
    let dialect = settings.config.sql.dialect.map(sql_dialect);
    let class_paths: Vec<String> = files
        .iter()
        .map(|f| {
            options
                .paths
                .iter()
                .filter(|dir| dir.is_dir())
                .find_map(|dir| f.abs_path.strip_prefix(dir).ok())
                .map(|rel| rel.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|| f.path.clone())
        })
        .collect();
    let class_paths: Vec<&str> = class_paths.iter().map(String::as_str).collect();
    match std::panic::catch_unwind(AssertUnwindSafe(|| {
        sql::load_sql_classified(files, &class_paths, dialect)
    })) {
        Ok(facts) => {
            project
                .suppressions
                .extend(facts.suppressions.iter().map(|s| Suppression {
                    target: s.rule.clone(),
                    reason: s.reason.clone(),
                    location: s.location.clone(),
                    scope: match &s.scope {
                        SqlSuppressionScope::Statement(span) => Scope::Span {
                            path: s.location.path().to_string(),
                            span: *span,
                        },
                        SqlSuppressionScope::File => Scope::File {
                            path: s.location.path().to_string(),
                        },
                    },
                }));
            project.sql = facts;
        }
        Err(_) => project.load_problems.push(internal_error(
            String::new(),
            &options.root,
            "the SQL files; they were",
        )),
    }
}

/// Parses the source files and extracts the code model; like SQL, a panic costs these
/// facts, reported once, not the run.
fn load_code(
    project: &mut Project,
    options: &CheckOptions,
    python: &[SharedSource],
    dialect: SqlDialect,
) {
    match std::panic::catch_unwind(AssertUnwindSafe(|| {
        code::load_code(python, |model| sql_from_code(model, dialect))
    })) {
        Ok((facts, (queries, histories))) => {
            project.load_problems.extend(facts.problems);
            project.suppressions.extend(facts.suppressions);
            project.code = facts.model;
            project.sql.queries.extend(queries);
            project.sql.schema.histories.extend(histories);
        }
        Err(_) => project.load_problems.push(internal_error(
            String::new(),
            &options.root,
            "the source files; they were",
        )),
    }
}

/// What the code says about the database: SQL passed to execute calls, and the schema
/// from Alembic revisions or, without any, from the ORM models.
fn sql_from_code(
    model: &crate::model::code::CodeModel,
    dialect: SqlDialect,
) -> (
    Vec<crate::model::query::QueryFact>,
    Vec<crate::model::schema::SchemaHistory>,
) {
    let queries = crate::timings::time("embedded sql", || {
        code::embedded_sql::queries(model, dialect)
    });
    // Alembic revisions are what the database went through; the models only say what
    // the code expects. With a revision history, the models add nothing but echoes.
    let mut histories = crate::timings::time("alembic", || {
        code::python::alembic::histories(model, dialect)
    });
    if histories.is_empty() {
        histories.extend(crate::timings::time("orm", || {
            code::python::orm::schema(model, dialect)
        }));
    }
    (queries, histories)
}

fn sql_dialect(dialect: Dialect) -> SqlDialect {
    match dialect {
        Dialect::Postgres => SqlDialect::Postgres,
        Dialect::Mysql => SqlDialect::Mysql,
        Dialect::Sqlite => SqlDialect::Sqlite,
        Dialect::Mssql => SqlDialect::Mssql,
        Dialect::Generic => SqlDialect::Generic,
    }
}

/// A panic while reading is a bug in archlint: say so once, where the input was.
fn internal_error(shown: String, at: &Path, what: &str) -> Finding {
    let source = std::sync::Arc::new(crate::source::SourceFile::new(
        shown,
        at.to_path_buf(),
        String::new(),
    ));
    spec::parse_error(
        Location::new(&source, Span::default()),
        format!("internal error while reading {what} skipped (please report this)"),
    )
}

fn fingerprint(finding: &Finding, occurrence: usize) -> String {
    let key = match &finding.anchor {
        Some(anchor) => anchor.pointer.clone(),
        None => finding
            .location
            .file
            .line_text(finding.location.span.start)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    };
    let text = format!(
        "{}\0{}\0{}\0{}",
        finding.rule,
        finding.location.path(),
        key,
        occurrence
    );
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// Discovers and loads the repository without running rules (for `archlint init`).
pub fn load_project(options: &CheckOptions, settings: &Settings) -> Project {
    let discovery = discover::discover(&options.root, &options.paths, settings);
    load(options, settings, &discovery.files).0
}

pub fn check(options: &CheckOptions, settings: &Settings) -> Outcome {
    let started = Instant::now();
    let discovery = crate::timings::time("discover", || {
        discover::discover(&options.root, &options.paths, settings)
    });
    let files_checked = discovery.files.len();
    let checked_paths = discovery
        .files
        .iter()
        .map(|(path, _)| spec::display_path(&options.root, path))
        .collect();
    let (mut project, documents) =
        crate::timings::time("load", || load(options, settings, &discovery.files));
    project.load_problems.extend(discovery.problems);

    let active: Vec<&Rule> = RULES
        .iter()
        .filter(|r| enabled(options, settings, r.id))
        .collect();
    let ctx = Context::new(&project, settings);
    let mut findings: Vec<Finding> = crate::timings::time("rules", || {
        active
            .par_iter()
            .flat_map_iter(|rule| (rule.check)(&ctx))
            .collect()
    });
    findings.extend(
        project
            .load_problems
            .iter()
            .filter(|f| enabled(options, settings, f.rule))
            .cloned(),
    );

    let is_enabled = |target: &str| {
        RULES
            .iter()
            .any(|r| matches_selector(target, r.id) && enabled(options, settings, r.id))
    };
    let reported = crate::timings::time("suppress + grade", || {
        let mut findings = suppress::apply(findings, &project.suppressions, &is_enabled);
        findings.retain(|f| enabled(options, settings, f.rule));
        let mut reported = grade(findings, settings);
        reported.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        reported
    });
    Outcome {
        findings: reported,
        checked_paths,
        files_checked,
        documents,
        sql_files: project.sql.files.len(),
        elapsed: started.elapsed(),
        project,
    }
}

fn sort_key(r: &Reported) -> (&str, usize, usize, &str, &str) {
    let f = &r.finding;
    (
        f.location.path(),
        f.location.span.start,
        f.location.span.end,
        f.rule,
        &f.message,
    )
}

/// Applies configured levels (dropping `off`) and gives each finding its fingerprint.
fn grade(findings: Vec<Finding>, settings: &Settings) -> Vec<Reported> {
    let mut findings = findings;
    findings.sort_by(|a, b| {
        (a.location.path(), a.location.span, a.rule, &a.message).cmp(&(
            b.location.path(),
            b.location.span,
            b.rule,
            &b.message,
        ))
    });
    let mut occurrences: HashMap<String, usize> = HashMap::new();
    findings
        .into_iter()
        .filter_map(|f| {
            let level = match settings.setting_for(f.rule, f.location.path()) {
                Some(setting) => setting.level()?,
                None => f.level.unwrap_or_else(|| registry::default_level(f.rule)),
            };
            let base = fingerprint(&f, 0);
            let n = occurrences.entry(base.clone()).or_insert(0);
            let fp = if *n == 0 { base } else { fingerprint(&f, *n) };
            *n += 1;
            Some(Reported {
                finding: f,
                level,
                fingerprint: fp,
            })
        })
        .collect()
}
