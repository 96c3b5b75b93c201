//! SQL end to end: bad input in SQL files, dialect configuration, suppressions, and
//! `archlint schema`.

mod common;

use std::path::Path;

use archlint::config::Settings;
use common::{archlint, messages, positions, run, run_with, write};

/// A history whose second migration leaves a foreign key without an index, the one
/// finding every bad-input test below must still see.
const INIT: &str = "CREATE TABLE teams (id BIGINT PRIMARY KEY);\n";
const MEMBERS: &str =
    "CREATE TABLE members (\n    id BIGINT PRIMARY KEY,\n    team_id BIGINT NOT NULL REFERENCES teams (id)\n);\n";

fn history(dir: &Path) {
    write(dir, "migrations/0001_init.sql", INIT);
    write(dir, "migrations/0002_members.sql", MEMBERS);
}

fn sql_run(dir: &Path) -> Vec<String> {
    let outcome = run(dir, &["db", "archlint"]);
    positions(&outcome)
}

const FK_FINDING: &str = "migrations/0002_members.sql:3:29 db/fk-without-index warning";

#[test]
fn unparseable_statements_mid_file_cost_only_themselves() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    write(
        dir.path(),
        "migrations/0003_more.sql",
        "CREATE TABLE a (id BIGINT PRIMARY KEY);\nREINDEX TABLE a;\nCREATE TABLE b (id BIGINT PRIMARY KEY, a_id BIGINT REFERENCES a (id));\n",
    );
    let found = sql_run(dir.path());
    assert!(found.contains(&FK_FINDING.to_string()), "{found:?}");
    assert!(
        found.contains(&"migrations/0003_more.sql:2:1 db/sql-parse-error info".to_string()),
        "{found:?}"
    );
    // The statement after the unreadable one was still replayed.
    assert!(
        found.contains(&"migrations/0003_more.sql:3:52 db/fk-without-index warning".to_string()),
        "{found:?}"
    );
}

#[test]
fn unterminated_string_and_dollar_quote_are_reported_where_they_open() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    write(
        dir.path(),
        "migrations/0003_broken.sql",
        "CREATE TABLE c (id BIGINT PRIMARY KEY);\nINSERT INTO c VALUES ('never closed);\n",
    );
    write(
        dir.path(),
        "migrations/0004_function.sql",
        "CREATE FUNCTION f() RETURNS int AS $body$\nSELECT 1;\n",
    );
    let found = sql_run(dir.path());
    assert!(found.contains(&FK_FINDING.to_string()), "{found:?}");
    assert!(
        found.contains(&"migrations/0003_broken.sql:2:23 db/sql-parse-error info".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"migrations/0004_function.sql:1:36 db/sql-parse-error info".to_string()),
        "{found:?}"
    );
    let outcome = run(dir.path(), &["db/sql-parse-error"]);
    let messages = messages(&outcome);
    assert!(
        messages.iter().any(|m| m.contains("unterminated string")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("dollar")),
        "{messages:?}"
    );
}

#[test]
fn a_sql_file_that_is_not_utf8_is_read_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    // Latin-1 `é` in a comment, then a table without a primary key.
    let mut bytes = b"-- caf\xe9\nCREATE TABLE notes (body TEXT);\n".to_vec();
    bytes.extend_from_slice(b"");
    std::fs::write(dir.path().join("migrations/0003_notes.sql"), bytes).unwrap();
    let found = sql_run(dir.path());
    assert!(found.contains(&FK_FINDING.to_string()), "{found:?}");
    assert!(
        found.contains(&"migrations/0003_notes.sql:1:7 archlint/parse-error info".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"migrations/0003_notes.sql:2:1 db/missing-primary-key warning".to_string()),
        "the rest of the file is still analysed: {found:?}"
    );
}

#[test]
fn an_empty_migration_and_an_empty_query_file_are_fine() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    write(dir.path(), "migrations/0003_empty.sql", "");
    write(
        dir.path(),
        "migrations/0004_comments.sql",
        "-- nothing yet\n/* really */\n",
    );
    write(dir.path(), "queries/none.sql", "\n\n");
    assert_eq!(sql_run(dir.path()), vec![FK_FINDING.to_string()]);
}

#[test]
fn a_50_mb_sql_file_is_read_without_losing_other_findings() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    let row = "INSERT INTO teams (id) VALUES (1), (2), (3), (4), (5), (6), (7), (8);\n";
    let big = row.repeat(50 * 1024 * 1024 / row.len() + 1);
    assert!(big.len() >= 50 * 1024 * 1024);
    write(dir.path(), "seeds/teams.sql", &big);
    let found = sql_run(dir.path());
    assert_eq!(found, vec![FK_FINDING.to_string()]);
}

#[test]
fn configured_dialect_wins_over_detection() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    let mysql =
        Settings::parse(Path::new("archlint.toml"), "[sql]\ndialect = \"mysql\"\n").unwrap();
    let outcome = run_with(dir.path(), &["db/fk-without-index"], &mysql);
    assert!(
        outcome.findings.is_empty(),
        "InnoDB indexes foreign keys itself: {:?}",
        positions(&outcome)
    );
    let err =
        Settings::parse(Path::new("archlint.toml"), "[sql]\ndialect = \"oracle\"\n").unwrap_err();
    assert!(
        err.render().contains("archlint.toml:2:"),
        "{}",
        err.render()
    );
}

#[test]
fn sql_suppressions_silence_their_statement_and_stale_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "migrations/0001_init.sql", INIT);
    write(
        dir.path(),
        "migrations/0002_members.sql",
        &format!(
            "-- archlint-ignore[db/fk-without-index]: members are only read by id\n{MEMBERS}\n-- archlint-ignore[db/missing-primary-key]: nothing to silence\nCREATE TABLE keyed (id BIGINT PRIMARY KEY);\n"
        ),
    );
    let found = sql_run(dir.path());
    assert_eq!(
        found,
        vec!["migrations/0002_members.sql:7:1 archlint/unused-suppression info".to_string()],
    );
}

#[test]
fn later_migrations_fix_rename_and_drop() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    write(
        dir.path(),
        "migrations/0003_fix.sql",
        "ALTER TABLE members RENAME TO memberships;\nCREATE INDEX CONCURRENTLY memberships_team_id_idx ON memberships (team_id);\n",
    );
    assert_eq!(
        sql_run(dir.path()),
        vec!["migrations/0003_fix.sql:1:1 db/destructive-migration warning".to_string()]
    );
}

#[test]
fn schema_command_prints_the_replayed_schema() {
    let fixture = common::fixture("db/fk-without-index/bad");
    let o = archlint(&["schema", "."], &fixture);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    insta::assert_snapshot!("schema_fk_without_index_bad", text);

    let o = archlint(&["schema", ".", "--format", "json"], &fixture);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let history = &json["histories"][0];
    assert_eq!(history["dialect"], "postgres");
    let tables = history["tables"].as_array().unwrap();
    let purchases = tables.iter().find(|t| t["name"] == "purchases").unwrap();
    assert_eq!(purchases["foreign_keys"][0]["indexed"], false);
    assert_eq!(
        purchases["created"]["path"],
        "migrations/0001_create_orders.sql"
    );
    let good = common::fixture("db/fk-without-index/good");
    let o = archlint(&["schema", ".", "--format", "json"], &good);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for history in json["histories"].as_array().unwrap() {
        for table in history["tables"].as_array().unwrap() {
            for fk in table["foreign_keys"].as_array().unwrap() {
                assert_eq!(fk["indexed"], true, "{}: {fk}", table["name"]);
            }
        }
    }
}

#[test]
fn start_after_leaves_migrations_that_already_ran_alone() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    write(
        dir.path(),
        "migrations/0003_index.sql",
        "CREATE INDEX members_team_id_idx ON members (team_id);\n",
    );
    write(
        dir.path(),
        "migrations/0004_drop.sql",
        "ALTER TABLE members DROP COLUMN team_id;\n",
    );
    let settings = |v: &str| {
        Settings::parse(
            Path::new("archlint.toml"),
            &format!("[sql]\nstart-after = \"{v}\"\n"),
        )
        .unwrap()
    };
    let rules = ["db/non-concurrent-index", "db/destructive-migration"];
    let all = positions(&run(dir.path(), &rules));
    assert_eq!(all.len(), 2, "{all:?}");
    let newer = positions(&run_with(dir.path(), &rules, &settings("0003")));
    assert_eq!(
        newer,
        vec!["migrations/0004_drop.sql:1:21 db/destructive-migration warning".to_string()]
    );
    assert!(run_with(dir.path(), &rules, &settings("4"))
        .findings
        .is_empty());

    // `init` proposes the newest migration as the starting point.
    let o = archlint(&["init", "--stdout"], dir.path());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("start-after = \"0004\""), "{text}");
}

#[test]
fn files_are_classified_relative_to_the_checked_folder() {
    // Checked from the repository root, this fixture lies under `fixtures/`, a seed
    // folder name; its migrations must still be migrations.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = archlint(
        &[
            "check",
            "fixtures/db/fk-without-index/bad",
            "--select",
            "db/fk-without-index",
            "--format",
            "json",
        ],
        root,
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let paths: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"fixtures/db/fk-without-index/bad/migrations/0001_create_orders.sql"),
        "{paths:?}"
    );
    assert!(paths.contains(&"fixtures/db/fk-without-index/bad/sqlite/migrations/0001_init.sql"));
    assert!(paths.contains(&"fixtures/db/fk-without-index/bad/mssql/migrations/0001_init.sql"));
}

#[test]
fn a_sql_template_is_one_finding_for_the_file_not_one_per_statement() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    write(
        dir.path(),
        "scripts/set_permissions.sql",
        "\\connect {datastore}\nGRANT SELECT ON ALL TABLES IN SCHEMA public TO {readonly_user};\nGRANT USAGE ON SCHEMA public TO {readonly_user};\n",
    );
    write(
        dir.path(),
        "models/orders.sql",
        "SELECT id, total FROM {{ ref('orders') }}\n{% if is_incremental() %} WHERE id > 10 {% endif %};\n",
    );
    let outcome = run(dir.path(), &["db", "archlint"]);
    let found = positions(&outcome);
    assert!(found.contains(&FK_FINDING.to_string()), "{found:?}");
    let templates: Vec<&str> = messages(&outcome)
        .into_iter()
        .filter(|m| m.contains("template"))
        .collect();
    assert_eq!(
        templates,
        [
            "this file is a template, not SQL (`{{`): it was not checked (1 statement the SQL parser could not read)",
            "this file is a template, not SQL (`{datastore}`): it was not checked (2 statements the SQL parser could not read)",
        ],
        "{found:?}"
    );
    assert_eq!(
        found
            .iter()
            .filter(|f| f.contains("sql-parse-error"))
            .count(),
        2,
        "{found:?}"
    );
}
