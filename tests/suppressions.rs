//! `x-archlint-ignore` on the document, a path item and an operation; unused and
//! unknown entries are reported.

mod common;

use common::{positions, run, write};

const DOC: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
x-archlint-ignore:
  - ops/missing-health-check: the gateway answers health checks
  - api/request-body-on-get
paths:
  /v1/books:
    x-archlint-ignore: [api/create-status]
    post:
      responses:
        '200': {description: ok}
  /v1/authors:
    get:
      x-archlint-ignore:
        api/list-pagination: fewer than 50 authors, ever
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  /v1/tags:
    get:
      x-archlint-ignore: [sec/nonexistent-rule]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  # The item path that makes POST /v1/books a creating collection.
  /v1/books/{id}:
    get:
      responses:
        '200': {description: ok}
";

#[test]
fn suppressions_silence_their_scope_and_report_unused_and_unknown_entries() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "openapi.yaml", DOC);
    let outcome = run(
        dir.path(),
        &[
            "api/create-status",
            "api/list-pagination",
            "ops/missing-health-check",
            "api/request-body-on-get",
            "archlint",
        ],
    );
    assert_eq!(
        positions(&outcome),
        vec![
            // api/request-body-on-get ran and found nothing to silence.
            "openapi.yaml:5:5 archlint/unused-suppression info",
            // /v1/tags is not covered by the operation-level suppression on /v1/authors.
            "openapi.yaml:23:5 api/list-pagination warning",
            "openapi.yaml:24:27 archlint/unused-suppression info",
        ]
    );
    let unknown = &outcome.findings[2].finding;
    assert!(
        unknown.message.contains("not a rule id"),
        "{}",
        unknown.message
    );
}

#[test]
fn a_suppression_for_a_rule_that_did_not_run_is_not_unused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "openapi.yaml", DOC);
    let outcome = run(dir.path(), &["api/list-pagination", "archlint"]);
    let unused: Vec<String> = positions(&outcome)
        .into_iter()
        .filter(|p| p.contains("unused"))
        .collect();
    // Only the unknown rule id; entries for rules outside --select are left alone.
    assert_eq!(
        unused,
        vec!["openapi.yaml:24:27 archlint/unused-suppression info"]
    );
}

#[test]
fn area_suppression_covers_every_rule_of_the_area() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "openapi.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-archlint-ignore: [api]\npaths:\n  /books:\n    post:\n      responses:\n        '200': {description: ok}\n",
    );
    let outcome = run(dir.path(), &["api", "archlint"]);
    assert!(outcome.findings.is_empty(), "{:?}", positions(&outcome));
}
