//! The policy options that change what rules report.

mod common;

use std::path::Path;

use archlint::config::Settings;
use common::{positions, run_with, write};

fn settings(toml: &str) -> Settings {
    Settings::parse(Path::new("archlint.toml"), toml).unwrap()
}

fn check(doc: &str, rule: &str, toml: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "openapi.yaml", doc);
    positions(&run_with(dir.path(), &[rule, "archlint"], &settings(toml)))
}

#[test]
fn problem_json_policy_reads_swagger_root_produces_and_media_type_parameters() {
    let swagger = "swagger: '2.0'\ninfo: {title: t, version: '1'}\nbasePath: /v1\nproduces: [application/json]\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n        404: {description: gone, schema: {type: object}}\n        500: {description: no body}\n";
    let policy = "[policy]\nerrors = \"problem+json\"\n";
    // The 404 inherits `produces` from the root; the 500 has no body at all.
    assert_eq!(
        check(swagger, "api/error-schema-consistency", policy),
        vec!["openapi.yaml:10:9 api/error-schema-consistency info"]
    );
    let openapi = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1/a:\n    get:\n      responses:\n        '200': {description: ok}\n        '404':\n          description: gone\n          content:\n            application/problem+json; charset=utf-8: {schema: {type: object}}\n";
    assert!(check(openapi, "api/error-schema-consistency", policy).is_empty());
}

#[test]
fn header_versioning_reports_a_version_in_the_uri() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers:\n  - url: https://api.example.com/v2\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n";
    assert_eq!(
        check(doc, "api/versioning", "[policy]\nversioning = \"header\"\n"),
        vec!["openapi.yaml:4:10 api/versioning warning"]
    );
    assert!(check(doc, "api/versioning", "").is_empty());
    assert!(check(doc, "api/versioning", "[policy]\nversioning = \"none\"\n").is_empty());
}

#[test]
fn a_version_header_on_most_operations_versions_the_api_under_the_default_policy() {
    let op = |header: &str| {
        format!("    get:\n      parameters:\n        - {{name: {header}, in: header, schema: {{type: string}}}}\n      responses:\n        '200': {{description: ok}}\n")
    };
    let doc = |a: &str, b: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n{}  /b:\n{}  /health:\n    get:\n      responses:\n        '200': {{description: ok}}\n",
            op(a),
            op(b)
        )
    };
    // Two of the two operations (the health check aside) take the version header.
    assert!(check(
        &doc("Accept-Version", "x-acme-api-version"),
        "api/versioning",
        ""
    )
    .is_empty());
    // One of two still counts; a header that is no version (`X-Request-Id`) does not.
    assert!(check(&doc("X-API-Version", "X-Request-Id"), "api/versioning", "").is_empty());
    assert_eq!(
        check(&doc("X-Request-Id", "X-Request-Id"), "api/versioning", ""),
        vec!["openapi.yaml:3:1 api/versioning warning"]
    );
}

#[test]
fn rpc_style_exempts_creating_posts_and_verbs() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1/orders:\n    post:\n      responses:\n        '200': {description: ok}\n  /v1/orders/{id}:\n    get:\n      responses:\n        '200': {description: ok}\n  /v1/getOrders:\n    get:\n      responses:\n        '200': {description: ok}\n";
    assert_eq!(
        check(doc, "api/create-status", ""),
        vec!["openapi.yaml:7:9 api/create-status warning"]
    );
    assert!(check(doc, "api/create-status", "[policy]\nstyle = \"rpc\"\n").is_empty());
    let naming = check(
        doc,
        "api/path-naming",
        "[policy]\nstyle = \"rpc\"\npath-case = \"any\"\n",
    );
    assert!(naming.is_empty(), "{naming:?}");
}

#[test]
fn path_case_policies() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1/order_items:\n    get:\n      responses:\n        '200': {description: ok}\n  /v1/gift-cards:\n    get:\n      responses:\n        '200': {description: ok}\n";
    assert!(
        check(doc, "api/path-naming", "").is_empty(),
        "lower allows both"
    );
    assert_eq!(
        check(doc, "api/path-naming", "[policy]\npath-case = \"kebab\"\n"),
        vec!["openapi.yaml:4:3 api/path-naming info"]
    );
    assert_eq!(
        check(doc, "api/path-naming", "[policy]\npath-case = \"snake\"\n"),
        vec!["openapi.yaml:8:3 api/path-naming info"]
    );
}

#[test]
fn public_paths_can_be_replaced() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\ncomponents:\n  securitySchemes:\n    bearer: {type: http, scheme: bearer}\nsecurity: [{bearer: []}]\npaths:\n  /v1/catalog:\n    post:\n      security: []\n      responses:\n        '200': {description: ok}\n  /v1/orders:\n    get:\n      responses:\n        '200': {description: ok}\n";
    assert_eq!(
        check(doc, "sec/missing-auth", ""),
        vec!["openapi.yaml:9:5 sec/missing-auth error"]
    );
    assert!(check(
        doc,
        "sec/missing-auth",
        "[policy]\npublic-paths = [\"/v1/catalog\"]\n"
    )
    .is_empty());
}
