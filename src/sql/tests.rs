//! The whole pipeline: classification, parse failures, unterminated input, suppressions.

use std::sync::Arc;

use crate::model::query::QueryKind;
use crate::source::{SharedSource, SourceFile};

use super::*;

fn files(list: &[(&str, &str)]) -> Vec<SharedSource> {
    list.iter()
        .map(|(path, text)| {
            Arc::new(SourceFile::new(
                path.to_string(),
                path.into(),
                text.to_string(),
            ))
        })
        .collect()
}

#[test]
fn files_are_routed_by_class() {
    let facts = load_sql(
        &files(&[
            (
                "migrations/1_init.sql",
                "CREATE TABLE t (id int); UPDATE t SET id = 1;",
            ),
            ("migrations/1_init.down.sql", "DROP TABLE t; SELEC broken;"),
            (
                "queries/list.sql",
                "SELECT * FROM t; CREATE TABLE not_schema (x int);",
            ),
            (
                "seeds/data.sql",
                "INSERT INTO t VALUES (1); INSERT INTO t VALUES (;",
            ),
        ]),
        None,
    );
    let h = &facts.schema.histories[0];
    assert_eq!(h.tables.keys().collect::<Vec<_>>(), vec!["t"]);
    assert_eq!(
        facts.queries.len(),
        1,
        "migrations and seeds give no query facts"
    );
    assert_eq!(facts.queries[0].kind, QueryKind::Select);
    assert_eq!(facts.parse_failures.len(), 1, "the down file is not read");
    assert_eq!(facts.parse_failures[0].location.path(), "seeds/data.sql");
    assert!(!facts.parse_failures[0].in_migration);
    assert!(matches!(facts.files[1].class, FileClass::Ignored(_)));
}

#[test]
fn parse_failures_point_at_the_statement_and_the_error() {
    let sql = "SELECT 1;\n\nALTER SEQUENCE s OWNED BY t.id;\nCREATE OR REPLACE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;\nDO $$ BEGIN END $$;";
    let facts = load_sql(
        &files(&[("migrations/1.sql", sql)]),
        Some(SqlDialect::Postgres),
    );
    let failure = &facts.parse_failures[0];
    assert_eq!(
        failure.location.file.slice(failure.location.span),
        "ALTER SEQUENCE s OWNED BY t.id"
    );
    assert_eq!(failure.statement_kind, "ALTER SEQUENCE");
    assert!(failure.in_migration && !failure.too_large);
    assert!(!failure.message.contains("Line:"), "{}", failure.message);
    let at = failure.error_at.unwrap_or(0);
    assert_eq!(&sql[at..at + 8], "SEQUENCE");
    let kinds: Vec<&str> = facts
        .parse_failures
        .iter()
        .map(|f| f.statement_kind.as_str())
        .collect();
    assert_eq!(kinds.last().copied(), Some("DO"));
}

#[test]
fn unterminated_input_is_reported_once_and_not_parsed() {
    let sql = "CREATE TABLE t (id int);\nINSERT INTO t VALUES ('oops);\nSELECT 1;";
    let facts = load_sql(&files(&[("migrations/1.sql", sql)]), None);
    assert!(facts.parse_failures.is_empty());
    let [u] = facts.unterminated.as_slice() else {
        panic!("{:?}", facts.unterminated);
    };
    assert_eq!(u.what, Unclosed::String);
    assert_eq!(u.location.file.slice(u.location.span), "'");
    assert_eq!(u.statement.span.end, sql.len());
    assert!(facts.schema.histories[0].tables.contains_key("t"));
}

#[test]
fn suppressions_are_collected_from_every_read_file() {
    let facts = load_sql(
        &files(&[
            (
                "migrations/1.sql",
                "-- archlint-ignore[db/x]: legacy\nCREATE TABLE t (id int);",
            ),
            (
                "queries/q.sql",
                "/* archlint-ignore-file[db/select-star]: reporting */ SELECT * FROM t;",
            ),
        ]),
        None,
    );
    let rules: Vec<(&str, bool)> = facts
        .suppressions
        .iter()
        .map(|s| (s.rule.as_str(), s.scope == SqlSuppressionScope::File))
        .collect();
    assert_eq!(rules, vec![("db/x", false), ("db/select-star", true)]);
}

#[test]
fn the_dialect_is_detected_when_not_configured() {
    let facts = load_sql(
        &files(&[(
            "migrations/1.sql",
            "CREATE TABLE `T` (id int AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;",
        )]),
        None,
    );
    assert_eq!(facts.schema.dialect, SqlDialect::Mysql);
    assert!(facts.parse_failures.is_empty());
    let configured = load_sql(
        &files(&[("migrations/1.sql", "SELECT 1;")]),
        Some(SqlDialect::Sqlite),
    );
    assert_eq!(configured.schema.dialect, SqlDialect::Sqlite);
    assert_eq!(load_sql(&[], None).schema.dialect, SqlDialect::Postgres);
}

#[test]
fn each_history_is_read_in_the_dialect_its_files_show() {
    let facts = load_sql(
        &files(&[
            ("pg/migrations/1.sql", "CREATE TABLE \"Users\" (id bigserial PRIMARY KEY, data jsonb);"),
            ("pg/migrations/2.sql", "CREATE INDEX CONCURRENTLY users_data ON \"Users\" (id);"),
            ("my/migrations/1.sql", "CREATE TABLE `orders` (`id` int AUTO_INCREMENT PRIMARY KEY, `note` varchar(9) DEFAULT \"x\") ENGINE=InnoDB;"),
            ("my/migrations/2.sql", "ALTER TABLE `orders` ADD COLUMN `b` int;"),
            ("queries/plain.sql", "SELECT id FROM orders WHERE note = 'x';"),
            ("plain/migrations/1.sql", "CREATE TABLE \"T\" (\"A\" int);"),
            ("mysql/migrations/1.sql", "CREATE TABLE t (a int);"),
        ]),
        None,
    );
    assert!(
        facts.parse_failures.is_empty(),
        "{:?}",
        facts.parse_failures
    );
    let dialects: Vec<(&str, SqlDialect)> = facts
        .schema
        .histories
        .iter()
        .map(|h| (h.dir.as_str(), h.dialect))
        .collect();
    assert_eq!(
        dialects,
        vec![
            ("my/migrations", SqlDialect::Mysql),
            ("mysql/migrations", SqlDialect::Mysql),
            ("pg/migrations", SqlDialect::Postgres),
            // No markers: Postgres, not the repository's majority.
            ("plain/migrations", SqlDialect::Postgres),
        ]
    );
    assert!(facts.schema.histories[2].tables.contains_key("Users"));
    assert!(facts.schema.histories[3].tables["T"].column("A").is_some());
    assert_eq!(facts.queries.len(), 1);
    // A configured dialect wins everywhere.
    let configured = load_sql(
        &files(&[(
            "my/migrations/1.sql",
            "CREATE TABLE `t` (id int) ENGINE=InnoDB;",
        )]),
        Some(SqlDialect::Postgres),
    );
    assert_eq!(configured.schema.histories[0].dialect, SqlDialect::Postgres);
    assert_eq!(configured.parse_failures.len(), 1);
}

#[test]
fn statement_kinds_name_the_object_only_for_ddl() {
    assert_eq!(statement_kind("CLUSTER users USING idx"), "CLUSTER");
    assert_eq!(
        statement_kind("create or replace function f()"),
        "CREATE FUNCTION"
    );
    assert_eq!(
        statement_kind("CREATE UNIQUE INDEX i ON t (a)"),
        "CREATE INDEX"
    );
    assert_eq!(statement_kind("-- c\nREINDEX TABLE t"), "REINDEX TABLE");
    assert_eq!(statement_kind("  "), "");
}

#[test]
fn huge_statements_are_skipped_not_parsed() {
    let big = format!("INSERT INTO t VALUES {};", vec!["(1)"; 300_000].join(","));
    let facts = load_sql(&files(&[("seeds/big.sql", &big)]), None);
    let [failure] = facts.parse_failures.as_slice() else {
        panic!("{:?}", facts.parse_failures.len());
    };
    assert!(failure.too_large);
    assert_eq!(failure.statement_kind, "INSERT");
}

#[test]
fn output_is_deterministic() {
    let input = files(&[
        (
            "b/migrations/1.sql",
            "CREATE TABLE x (id int); CREATE TABLE y (id int);",
        ),
        ("a/migrations/1.sql", "CREATE TABLE z (id int);"),
        ("q.sql", "SELECT * FROM x; SELECT * FROM z;"),
    ]);
    let render = |facts: &SqlFacts| {
        serde_json::to_string(&facts.schema).unwrap_or_default()
            + &serde_json::to_string(&facts.queries).unwrap_or_default()
    };
    let first = render(&load_sql(&input, None));
    for _ in 0..3 {
        assert_eq!(render(&load_sql(&input, None)), first);
    }
    assert!(
        first.find("a/migrations").unwrap_or(usize::MAX) < first.find("b/migrations").unwrap_or(0)
    );
}

#[test]
fn long_operator_chains_are_refused_before_sqlparser_builds_a_deep_tree() {
    // sqlparser builds `a OR b OR …` as a left-deep tree whose recursive drop would
    // overflow the stack long before the statement size limit.
    let chain = format!(
        "SELECT 1 FROM t WHERE {};",
        vec!["x = 1"; 100_000].join(" OR ")
    );
    let facts = load_sql(&files(&[("queries/q.sql", &chain)]), None);
    let [failure] = facts.parse_failures.as_slice() else {
        panic!("{:?}", facts.parse_failures.len());
    };
    assert!(failure.too_large && failure.message.contains("operators"));
    let shallow = format!(
        "INSERT INTO t VALUES {};",
        vec!["(1 + 2, now() - interval '1 day')"; 10_000].join(",")
    );
    let facts = load_sql(&files(&[("queries/q.sql", &shallow)]), None);
    assert!(facts.parse_failures.is_empty());
}
