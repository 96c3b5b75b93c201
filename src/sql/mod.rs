//! SQL: statement splitting, parsing with sqlparser, migration replay into the schema model
//! and query facts. Parsers here do not judge; rules under `rules/db` do.
//!
//! [`load_sql`] is the entry point: classify every `.sql` file by path, split and parse
//! each file once (in parallel), translate migration statements into schema operations
//! and query statements into query facts, then replay each migration history in order.

pub(crate) mod ddl;
pub mod dialect;
pub mod migrations;
pub mod queries;
pub(crate) mod replay;
pub mod split;
pub mod suppress;
mod text;

use rayon::prelude::*;
use sqlparser::parser::{Parser, ParserError};

use crate::finding::Location;
use crate::model::query::QueryFact;
use crate::model::schema::SchemaModel;
use crate::source::{SharedSource, Span};

pub use dialect::SqlDialect;
pub use migrations::FileClass;
pub use queries::analyse_query_text;
pub use split::{split_statements, RawStatement, Unclosed};
pub use suppress::{SqlSuppression, SqlSuppressionScope};

use ddl::Op;
use migrations::{classify_all, order_migrations};
use split::{scan, SplitOptions};
use text::StatementText;

/// Statements larger than this are not given to sqlparser: generated data dumps can
/// hold single statements of many megabytes, which say nothing about the design.
pub const MAX_STATEMENT_BYTES: usize = 1024 * 1024;

/// Longer runs of binary operators are not given to sqlparser (see
/// `text::operator_run_exceeds`).
pub const MAX_OPERATOR_RUN: usize = 5_000;

/// A statement sqlparser could not read (`db/sql-parse-error`).
#[derive(Debug, Clone)]
pub struct ParseFailure {
    /// The statement.
    pub location: Location,
    /// Where in the file sqlparser stopped, when it said.
    pub error_at: Option<usize>,
    /// sqlparser's message without its position suffix.
    pub message: String,
    /// The statement's leading keywords, upper-cased, with modifiers such as `OR REPLACE`
    /// and `UNIQUE` left out (`CREATE FUNCTION`, `DO`, `REINDEX INDEX`): rules may treat
    /// statement kinds sqlparser is known not to support differently.
    pub statement_kind: String,
    /// The statement was skipped for its size or operator count, not rejected.
    pub too_large: bool,
    /// The file is a migration (its schema effect is lost), not a query or seed file.
    pub in_migration: bool,
    /// What shows the statement is a template for SQL rather than SQL (`{{`,
    /// `{datastoredb}`, `\connect`), when something does.
    pub template_marker: Option<String>,
}

/// A string, quoted identifier, dollar quote or comment still open at the end of a file.
#[derive(Debug, Clone)]
pub struct UnterminatedFact {
    /// The opening delimiter.
    pub location: Location,
    /// The statement it swallowed: from its start to the end of the file.
    pub statement: Location,
    pub what: Unclosed,
}

#[derive(Debug, Clone)]
pub struct SqlFile {
    pub source: SharedSource,
    pub class: FileClass,
}

#[derive(Debug, Default)]
pub struct SqlFacts {
    pub schema: SchemaModel,
    /// Queries of `.sql` files classified as queries, in file then statement order.
    pub queries: Vec<QueryFact>,
    pub parse_failures: Vec<ParseFailure>,
    pub unterminated: Vec<UnterminatedFact>,
    pub suppressions: Vec<SqlSuppression>,
    /// Every file given, with how it was classified, in the order given.
    pub files: Vec<SqlFile>,
}

/// One statement of a migration file, translated.
struct MigrationStatement {
    span: Span,
    ops: Vec<Op>,
    parsed: bool,
    /// False inside a `-- migrate:down` (dbmate) / `-- +goose Down` section.
    replay: bool,
}

#[derive(Default)]
struct FileAnalysis {
    statements: Vec<MigrationStatement>,
    queries: Vec<QueryFact>,
    failures: Vec<ParseFailure>,
    unterminated: Vec<UnterminatedFact>,
    suppressions: Vec<SqlSuppression>,
}

/// Reads every discovered `.sql` file into facts. `dialect` is the configured one; when
/// absent it is detected from the files, else Postgres.
pub fn load_sql(files: &[SharedSource], dialect: Option<SqlDialect>) -> SqlFacts {
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    load_sql_classified(files, &paths, dialect)
}

/// Like [`load_sql`], with the paths files are classified by given apart: relative to
/// the folder the user asked to check, so that folders above it (a `fixtures/` the
/// project sits in) do not make its migrations look like seed data.
pub fn load_sql_classified(
    files: &[SharedSource],
    paths: &[&str],
    dialect: Option<SqlDialect>,
) -> SqlFacts {
    let paths: Vec<&str> = paths.to_vec();
    let classes = classify_all(&paths);
    // The database the project runs on shows in its migrations and queries; a sample
    // or seed file may be written for another one (a MySQL demo dump beside Postgres
    // migrations, or beside Alembic revisions that have no SQL files at all).
    let overall = dialect
        .or_else(|| {
            dialect::detect(
                files
                    .iter()
                    .zip(&classes)
                    .filter(|(_, class)| {
                        matches!(class, FileClass::Migration(_) | FileClass::Query)
                    })
                    .map(|(f, _)| f.text.as_str()),
            )
        })
        .unwrap_or_default();
    let ordered = order_migrations(&paths, &classes);
    let dialects = file_dialects(files, &classes, &ordered, dialect, overall);
    let analyses: Vec<FileAnalysis> = files
        .par_iter()
        .zip(classes.par_iter())
        .zip(dialects.par_iter())
        .map(|((file, class), &dialect)| analyse_file(file, class, dialect))
        .collect();

    let histories = ordered
        .into_iter()
        .map(|history| {
            let dialect = history
                .files
                .first()
                .and_then(|&i| dialects.get(i).copied())
                .unwrap_or(overall);
            let mut replayer = replay::Replayer::new(dialect, &history.dir);
            for &index in &history.files {
                let (Some(file), Some(analysis)) = (files.get(index), analyses.get(index)) else {
                    continue;
                };
                let file_index = replayer.begin_file(file.clone());
                for statement in analysis.statements.iter().filter(|s| s.replay) {
                    if !statement.parsed {
                        replayer.note_unparsed();
                    }
                    replayer.apply(file_index, statement.span, &statement.ops);
                }
            }
            replayer.finish()
        })
        .collect();

    let mut facts = SqlFacts {
        schema: SchemaModel {
            dialect: overall,
            histories,
        },
        ..SqlFacts::default()
    };
    for ((analysis, file), class) in analyses.into_iter().zip(files).zip(classes) {
        facts.queries.extend(analysis.queries);
        facts.parse_failures.extend(analysis.failures);
        facts.unterminated.extend(analysis.unterminated);
        facts.suppressions.extend(analysis.suppressions);
        facts.files.push(SqlFile {
            source: file.clone(),
            class,
        });
    }
    facts
}

/// The dialect each file is read in, when none is configured. A migration history is
/// one database: it speaks what its folder names (`mysql/migrations`) or its own files
/// show, and Postgres when they show nothing (another service's markers say nothing
/// about it). Query and seed files likewise, but without markers of their own they take
/// the repository-wide guess: they usually run against the repository's database.
fn file_dialects(
    files: &[SharedSource],
    classes: &[FileClass],
    histories: &[migrations::MigrationHistory],
    configured: Option<SqlDialect>,
    overall: SqlDialect,
) -> Vec<SqlDialect> {
    let mut dialects = vec![overall; files.len()];
    if configured.is_some() {
        return dialects;
    }
    let text = |i: usize| files.get(i).map_or("", |f| f.text.as_str());
    let path = |i: usize| files.get(i).map_or("", |f| f.path.as_str());
    for history in histories {
        let found = history
            .files
            .first()
            .and_then(|&i| SqlDialect::from_path(path(i)))
            .or_else(|| dialect::detect(history.files.iter().map(|&i| text(i))))
            .unwrap_or_default();
        for &i in &history.files {
            if let Some(d) = dialects.get_mut(i) {
                *d = found;
            }
        }
    }
    for (i, class) in classes.iter().enumerate() {
        if matches!(class, FileClass::Query | FileClass::Seed) {
            let found = SqlDialect::from_path(path(i)).or_else(|| dialect::detect([text(i)]));
            if let (Some(found), Some(d)) = (found, dialects.get_mut(i)) {
                *d = found;
            }
        }
    }
    dialects
}

/// Section markers of tools that keep both directions in one file.
fn section_marker(comment: &str) -> Option<bool> {
    let lower = comment.to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    match words.as_slice() {
        ["migrate:up", ..] | ["+goose", "up", ..] | ["+migrate", "up", ..] => Some(true),
        ["migrate:down", ..] | ["+goose", "down", ..] | ["+migrate", "down", ..] => Some(false),
        _ => None,
    }
}

fn analyse_file(file: &SharedSource, class: &FileClass, dialect: SqlDialect) -> FileAnalysis {
    let mut out = FileAnalysis::default();
    if matches!(class, FileClass::Ignored(_)) {
        return out;
    }
    let migration = matches!(class, FileClass::Migration(_));
    let scanned = scan(&file.text, SplitOptions::for_dialect(dialect));
    out.suppressions = suppress::collect(file, &scanned);
    let parser_dialect = dialect.parser_dialect();
    let mut replaying = true;
    for raw in &scanned.statements {
        if migration {
            for comment in &raw.comments {
                if let Some(up) = section_marker(&comment.text) {
                    replaying = up;
                }
            }
        }
        let statement_location = Location::new(file, raw.span);
        if let Some(open) = &raw.unterminated {
            out.unterminated.push(UnterminatedFact {
                location: Location::new(file, open.open),
                statement: statement_location,
                what: open.what,
            });
            continue;
        }
        let text = file.slice(raw.span);
        let mut record = |ops: Vec<Op>, parsed: bool| {
            if migration {
                out.statements.push(MigrationStatement {
                    span: raw.span,
                    ops,
                    parsed,
                    replay: replaying,
                });
            }
        };
        if let Some(message) = too_large(text) {
            out.failures.push(ParseFailure {
                location: statement_location,
                error_at: None,
                message,
                statement_kind: statement_kind(text),
                too_large: true,
                in_migration: migration,
                template_marker: None,
            });
            record(ddl::unreadable_ops(text, dialect), false);
            continue;
        }
        let (prepared_text, prepared) = text::prepare(text);
        let statement_text = StatementText::new(text, raw.span.start);
        match Parser::parse_sql(parser_dialect.as_ref(), &prepared_text) {
            Ok(statements) => match class {
                FileClass::Migration(_) => {
                    let ops = statements
                        .iter()
                        .flat_map(|s| ddl::ops(s, dialect, &statement_text, prepared))
                        .collect();
                    record(ops, true);
                }
                FileClass::Query => out.queries.extend(statements.iter().filter_map(|s| {
                    queries::query_fact(s, dialect, &statement_text, &statement_location)
                })),
                FileClass::Seed | FileClass::Ignored(_) => {}
            },
            Err(error) => {
                let (message, error_at) = split_error(&error, &statement_text);
                out.failures.push(ParseFailure {
                    location: statement_location,
                    error_at,
                    message,
                    statement_kind: statement_kind(text),
                    too_large: false,
                    in_migration: migration,
                    template_marker: text::template_marker(text).map(str::to_string),
                });
                record(ddl::unreadable_ops(text, dialect), false);
            }
        }
    }
    out
}

/// Why a statement is not given to sqlparser at all, if it is not.
fn too_large(text: &str) -> Option<String> {
    if text.len() > MAX_STATEMENT_BYTES {
        return Some(format!(
            "the statement is {} KB, over the {} KB archlint parses; it was skipped",
            text.len() / 1024,
            MAX_STATEMENT_BYTES / 1024
        ));
    }
    text::operator_run_exceeds(text, MAX_OPERATOR_RUN).then(|| {
        format!("the statement chains more than {MAX_OPERATOR_RUN} operators; it was skipped")
    })
}

/// sqlparser's message, and the file offset of the `at Line: L, Column: C` it ends with.
fn split_error(error: &ParserError, text: &StatementText) -> (String, Option<usize>) {
    let raw = match error {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => {
            return ("the statement nests too deeply to parse".into(), None)
        }
    };
    let Some(at) = raw.rfind(" at Line: ") else {
        return (shorten(&raw), None);
    };
    let position = raw.get(at + " at Line: ".len()..).unwrap_or("");
    let parsed = position
        .split_once(", Column: ")
        .and_then(|(line, column)| {
            Some(sqlparser::tokenizer::Location {
                line: line.trim().parse().ok()?,
                column: column.trim().parse().ok()?,
            })
        });
    let offset = parsed
        .and_then(|location| text.offset(location))
        .map(|o| text.base + o);
    (shorten(raw.get(..at).unwrap_or(&raw)), offset)
}

/// sqlparser quotes whole tokens, and a dollar-quoted body can be kilobytes long.
fn shorten(message: &str) -> String {
    const MAX_CHARS: usize = 160;
    if message.chars().count() <= MAX_CHARS {
        return message.to_string();
    }
    let cut: String = message.chars().take(MAX_CHARS).collect();
    format!("{}…", cut.trim_end())
}

const KIND_MODIFIERS: &[&str] = &[
    "OR",
    "REPLACE",
    "TEMP",
    "TEMPORARY",
    "UNLOGGED",
    "GLOBAL",
    "LOCAL",
    "UNIQUE",
    "IF",
    "NOT",
    "EXISTS",
];

fn statement_kind(text: &str) -> String {
    let tokens = text::head_tokens(text, 8);
    let mut words = tokens.iter().filter_map(|t| match t.tok {
        text::Tok::Word(w) => Some(w.to_ascii_uppercase()),
        _ => None,
    });
    let Some(first) = words.next() else {
        return String::new();
    };
    let second = words.find(|w| !KIND_MODIFIERS.contains(&w.as_str()));
    // Only these take an object kind as their second word (`CLUSTER users` does not).
    let single = !matches!(
        first.as_str(),
        "CREATE" | "ALTER" | "DROP" | "REINDEX" | "REFRESH" | "COMMENT"
    );
    match second {
        Some(second) if !single => format!("{first} {second}"),
        _ => first,
    }
}

#[cfg(test)]
mod tests;
