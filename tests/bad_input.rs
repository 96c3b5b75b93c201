//! Bad input never crashes a run and never hides the other files' findings: each
//! kind yields one clear `archlint/parse-error` (or nothing, when the file is simply
//! not an OpenAPI document).

mod common;

use common::{positions, run, write};

/// A valid document with one known finding, beside every bad file.
const GOOD: &str = common::ONE_LIST_ENDPOINT;

/// Runs a folder holding `good.yaml` and `bad.<ext>`; returns the findings' positions
/// and the parse errors' messages.
fn check_beside_good(bad_name: &str, bad: &[u8]) -> (Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.yaml", GOOD);
    std::fs::write(dir.path().join(bad_name), bad).unwrap();
    let outcome = run(dir.path(), &["api/list-pagination", "archlint"]);
    let all = positions(&outcome);
    assert!(
        all.iter()
            .any(|p| p.starts_with("good.yaml:5:5 api/list-pagination")),
        "the good file's finding is lost: {all:?}"
    );
    let errors = outcome
        .findings
        .iter()
        .filter(|f| f.finding.rule == "archlint/parse-error")
        .map(|f| {
            let at = f
                .finding
                .location
                .file
                .line_col(f.finding.location.span.start);
            format!(
                "{}:{}: {}",
                f.finding.location.path(),
                at.line,
                f.finding.message
            )
        })
        .collect();
    (all, errors)
}

fn one_error(bad_name: &str, bad: &str, expected: &str) -> String {
    let (_, errors) = check_beside_good(bad_name, bad.as_bytes());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains(expected),
        "expected `{expected}` in {errors:?}"
    );
    errors[0].clone()
}

#[test]
fn malformed_yaml() {
    let e = one_error(
        "bad.yaml",
        "openapi: 3.0.0\npaths:\n  /a:\n    get: [unclosed\n",
        "invalid YAML",
    );
    assert!(e.starts_with("bad.yaml:"), "{e}");
}

#[test]
fn json_syntax_error() {
    let e = one_error(
        "bad.json",
        "{\"openapi\": \"3.0.0\",\n \"paths\": {\"/a\": {\"get\": }}}",
        "invalid JSON",
    );
    assert!(e.starts_with("bad.json:2:"), "{e}");
}

#[test]
fn yaml_that_is_not_openapi_is_silently_skipped() {
    let manifest =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n";
    let (all, errors) = check_beside_good("spec.yaml", manifest.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
    assert!(all.iter().all(|p| p.starts_with("good.yaml")), "{all:?}");
}

#[test]
fn wrong_types_are_one_error_and_the_rest_is_checked() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1/a:\n    get: 42\n  /v1/b:\n    get:\n      responses: [1, 2]\n  /v1/c:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: array, items: {type: string}}\n";
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.yaml", doc);
    let outcome = run(dir.path(), &["api/list-pagination", "archlint"]);
    let all = positions(&outcome);
    let errors: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| f.finding.rule == "archlint/parse-error")
        .collect();
    assert_eq!(errors.len(), 1, "{all:?}");
    assert!(
        errors[0].finding.message.contains("2 structural problems"),
        "{}",
        errors[0].finding.message
    );
    assert!(
        errors[0]
            .finding
            .message
            .contains("must be a mapping, found a scalar"),
        "{}",
        errors[0].finding.message
    );
    assert_eq!(errors[0].finding.related.len(), 1);
    assert!(
        all.contains(&"bad.yaml:10:5 api/list-pagination warning".to_string()),
        "{all:?}"
    );
}

#[test]
fn paths_of_the_wrong_type() {
    one_error(
        "bad.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: [a, b]\n",
        "`paths` must be a mapping, found a list",
    );
}

#[test]
fn ref_cycle() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1/a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/A'}\ncomponents:\n  responses:\n    A: {$ref: '#/components/responses/B'}\n    B: {$ref: '#/components/responses/A'}\n";
    one_error("bad.yaml", doc, "reference cycle");
}

#[test]
fn recursive_schemas_are_legal() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1/tree:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Node'}\n      responses:\n        '201': {description: ok}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        children: {type: array, maxItems: 10, items: {$ref: '#/components/schemas/Node'}}\n";
    let (_, errors) = check_beside_good("tree.yaml", doc.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn missing_ref_target() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1/a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n";
    let e = one_error("bad.yaml", doc, "points at nothing");
    assert!(e.starts_with("bad.yaml:7:"), "{e}");
}

#[test]
fn missing_ref_file() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1/a:\n    $ref: paths/a.yaml\n";
    one_error("bad.yaml", doc, "names a file that cannot be used");
}

#[test]
fn remote_ref_is_reported_not_fetched() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1/a:\n    get:\n      responses:\n        '200': {$ref: 'https://example.com/common.yaml#/Ok'}\n";
    one_error("bad.yaml", doc, "never uses the network");
}

#[test]
fn relative_file_refs_are_followed_with_spans_in_the_other_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "openapi.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1/books:\n    $ref: 'paths/books.yaml'\n");
    write(dir.path(), "paths/books.yaml", "get:\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '../schemas.yaml#/BookList'}\n");
    write(
        dir.path(),
        "schemas.yaml",
        "BookList: {type: array, items: {type: string}}\n",
    );
    let outcome = run(dir.path(), &["api/list-pagination", "archlint"]);
    assert_eq!(
        positions(&outcome),
        vec!["paths/books.yaml:1:1 api/list-pagination warning"]
    );
}

#[test]
fn alias_bomb() {
    let mut doc = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-bomb:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        doc.push_str(&format!(
            "  a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    doc.push_str("paths: {}\n");
    one_error("bad.yaml", &doc, "alias bomb");
}

#[test]
fn deeply_nested_input() {
    let doc = format!(
        "{{\"openapi\": \"3.0.0\", \"x\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    one_error("bad.json", &doc, "nested deeper");
}

#[test]
fn non_utf8_file() {
    let mut bytes = b"openapi: 3.0.3\ninfo: {title: caf".to_vec();
    bytes.extend([0xe9, 0xff]);
    bytes.extend(b", version: '1'}\npaths: {}\n");
    let (_, errors) = check_beside_good("bad.yaml", &bytes);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("not valid UTF-8"), "{errors:?}");
}

#[test]
fn empty_file_is_not_a_document() {
    let (all, errors) = check_beside_good("openapi.yaml", b"");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(all.len(), 1, "{all:?}");
}

#[test]
fn unsupported_versions() {
    one_error(
        "bad.yaml",
        "swagger: '1.2'\npaths: {}\n",
        "is not a version archlint reads",
    );
    one_error(
        "bad.yaml",
        "openapi: 4.0.0\npaths: {}\n",
        "is not a version archlint reads",
    );
}

#[test]
fn binary_file_is_skipped() {
    let (_, errors) = check_beside_good("blob.json", &[0x7b, 0x00, 0x01, 0x02, 0x00]);
    assert!(errors.is_empty(), "{errors:?}");
}

/// A flow mapping continued at a shallower indentation: strict YAML 1.2 parsers reject
/// it, libyaml (PyYAML, Go) reads it, so archlint analyses it.
#[test]
fn lenient_yaml_that_libyaml_reads_is_analysed() {
    let doc = "swagger: '2.0'\ninfo: {title: t, version: '1'}\nbasePath: /v1\npaths:\n  /books:\n    get:\n      responses:\n        200:\n          description: ok\n          schema: {type: array,\n    items: {type: string}}\n";
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "swagger.yaml", doc);
    let outcome = run(dir.path(), &["api/list-pagination", "archlint"]);
    assert_eq!(
        positions(&outcome),
        vec!["swagger.yaml:6:5 api/list-pagination warning"]
    );
}

/// OpenAPI 3.0 documents are also checked against the 3.0 structure (via `openapiv3`):
/// the first departure is one parse error at the smallest piece that does not conform.
#[test]
fn openapi_30_structure_errors_point_at_the_piece() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1/a:\n    get:\n      parameters:\n        - name: q\n          in: query\n          required: 'yes'\n      responses:\n        '200': {description: ok}\n";
    let e = one_error("bad.yaml", doc, "does not match the OpenAPI 3.0 structure");
    assert!(e.starts_with("bad.yaml:7:"), "{e}");
}

/// libyaml-safer panics on a block scalar ending the file without a newline; archlint
/// reads such files like any other.
#[test]
fn block_scalar_at_end_of_file_without_newline() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-note: |\n  hello";
    let (_, errors) = check_beside_good("note.yaml", doc.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn settings_with_an_openapi_key_are_not_documents() {
    let (_, errors) = check_beside_good("values.yaml", b"openapi:\n  enabled: true\n");
    assert!(errors.is_empty(), "{errors:?}");
    let (_, errors) = check_beside_good("settings.json", b"{\"swagger\": {\"ui\": true}}");
    assert!(errors.is_empty(), "{errors:?}");
}
