//! What CI adoption needs: SARIF for code scanning, GitHub annotations, the Markdown
//! summary, baselines, changed-only runs, `init` and the configuration schema.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{archlint, stderr, stdout, write};
use serde_json::Value;

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sarif_of(args: &[&str]) -> Value {
    let o = archlint(args, repo_root());
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_has_one_run_unique_rules_and_relative_one_based_regions() {
    let log = sarif_of(&[
        "check",
        "fixtures/api/create-status/bad",
        "fixtures/sec/missing-auth/bad",
        "--format",
        "sarif",
        "--sarif-category",
        "backend",
    ]);
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "exactly one run");
    let run = &runs[0];
    assert_eq!(run["automationDetails"]["id"], "backend/");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "archlint");
    assert!(driver["version"].is_string());
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));

    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids, unique, "rule ids are unique (and sorted)");
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        assert_ne!(
            rule["name"], rule["id"],
            "SARIF wants name to differ from id"
        );
        for field in ["shortDescription", "fullDescription"] {
            assert!(
                !rule[field]["text"].as_str().unwrap().is_empty(),
                "{id} {field}"
            );
        }
        let markdown = rule["help"]["markdown"].as_str().unwrap();
        assert!(
            markdown.starts_with(&format!("# {id}")),
            "help is the rule page"
        );
        assert!(
            markdown.contains(&format!("rules/{id}.md)")),
            "link inside help.markdown"
        );
        assert!(rule["help"]["text"].is_string());
        assert!(rule["defaultConfiguration"]["level"].is_string());
        let tags: Vec<&str> = rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(tags[0], id.split('/').next().unwrap());
        if id.starts_with("sec/") {
            assert!(tags.contains(&"security"));
            let severity = rule["properties"]["security-severity"].as_str().unwrap();
            let score: f64 = severity.parse().expect("numeric string");
            assert!((0.0..=10.0).contains(&score));
        } else {
            assert!(rule["properties"].get("security-severity").is_none());
        }
    }

    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let mut saw_related = false;
    let mut saw_security = false;
    for result in results {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex points at the rule");
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let locations = result["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        let physical = &locations[0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("fixtures/"),
            "relative to the scanned root: {uri}"
        );
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &physical["region"];
        let n = |k: &str| region[k].as_u64().unwrap();
        assert!(n("startLine") >= 1 && n("startColumn") >= 1);
        assert!(n("endLine") >= n("startLine"));
        if n("endLine") == n("startLine") {
            assert!(n("endColumn") >= n("startColumn"));
        }
        let fingerprints = result["partialFingerprints"].as_object().unwrap();
        assert!(fingerprints["archlint/v1"].is_string());
        assert!(
            !fingerprints.contains_key("primaryLocationLineHash"),
            "GitHub computes that one itself"
        );
        if let Some(related) = result.get("relatedLocations") {
            saw_related = true;
            let first = &related[0];
            assert!(first["message"]["text"].is_string());
            assert!(
                first["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap()
                    >= 1
            );
        }
        saw_security |= id.starts_with("sec/");
    }
    assert!(saw_related, "create-status points at the operation too");
    assert!(saw_security);
}

#[test]
fn sarif_region_matches_the_human_position() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api/openapi.yaml", common::ONE_LIST_ENDPOINT);
    let o = archlint(
        &["--select", "api/list-pagination", "--format", "sarif"],
        dir.path(),
    );
    let log: Value = serde_json::from_slice(&o.stdout).unwrap();
    let result = &log["runs"][0]["results"][0];
    let physical = &result["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "api/openapi.yaml");
    // ONE_LIST_ENDPOINT's finding is on `get:` at line 5, column 5.
    assert_eq!(physical["region"]["startLine"], 5);
    assert_eq!(physical["region"]["startColumn"], 5);
    assert!(log["runs"][0].get("automationDetails").is_none());
}

#[test]
fn sarif_output_is_written_beside_another_format() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api/openapi.yaml", common::ONE_LIST_ENDPOINT);
    let o = archlint(
        &[
            "--select",
            "api/list-pagination",
            "--format",
            "json",
            "--sarif-output",
            "out.sarif",
        ],
        dir.path(),
    );
    let report: Value = serde_json::from_slice(&o.stdout).expect("stdout keeps the JSON report");
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
    assert_eq!(
        sarif["runs"][0]["results"][0]["partialFingerprints"]["archlint/v1"],
        report["findings"][0]["fingerprint"]
    );
}

#[test]
fn github_annotations_escape_properties_and_data() {
    use archlint::report::github::{escape_data, escape_property};
    assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
    assert_eq!(escape_data("a: b, c"), "a: b, c");
    assert_eq!(
        escape_property("dir,x/a:b%.yaml\n"),
        "dir%2Cx/a%3Ab%25.yaml%0A"
    );

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api/my,spec.yaml", common::ONE_LIST_ENDPOINT);
    let o = archlint(
        &["--select", "api/list-pagination", "--format", "github"],
        dir.path(),
    );
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "one line per finding: {out}");
    assert!(
        lines[0].starts_with(
            "::warning file=api/my%2Cspec.yaml,line=5,endLine=5,col=5,endColumn=8,title=archlint api/list-pagination::"
        ),
        "{}",
        lines[0]
    );
    let message = lines[0]
        .split_once("::")
        .unwrap()
        .1
        .split_once("::")
        .unwrap()
        .1;
    assert!(
        message.contains("%0A%0AHelp: "),
        "help joins with escaped newlines"
    );
    assert!(!message.contains('\n'));
}

#[test]
fn markdown_summary_counts_by_area_and_links_lines() {
    let o = archlint(
        &["check", "fixtures/demo", "--format", "markdown"],
        repo_root(),
    );
    let md = stdout(&o);
    assert!(md.starts_with("## archlint\n"));
    assert!(
        md.contains("**1 error, 10 warnings, 4 infos** in 1 file."),
        "{md}"
    );
    assert!(md.contains("| Area | Errors | Warnings | Infos |"));
    assert!(md.contains("| sec | 1 | 3 | 1 |"), "{md}");
    assert!(md.contains("### `sec/missing-auth`: 1 finding"));
    assert!(md.contains("(fixtures/demo/openapi.yaml#L50)"), "{md}");
    // The error-level rule comes before the warnings.
    let error_at = md.find("### `sec/missing-auth`").unwrap();
    let warning_at = md.find("### `api/list-pagination`").unwrap();
    assert!(error_at < warning_at);
}

const TWO_LISTS: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /v1/books:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  /v1/authors:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
";

#[test]
fn baseline_survives_inserted_lines_and_catches_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let select = ["--select", "api/list-pagination"];
    write(dir.path(), "openapi.yaml", common::ONE_LIST_ENDPOINT);
    let o = archlint(
        &[&select[..], &["--write-baseline", "baseline.json"]].concat(),
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("wrote 1 finding"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());

    // Lines inserted above the accepted finding do not make it new.
    let shifted = common::ONE_LIST_ENDPOINT.replace(
        "paths:\n",
        "tags:\n  - name: books\n  - name: authors\npaths:\n",
    );
    write(dir.path(), "openapi.yaml", &shifted);
    let with_baseline = [
        &select[..],
        &[
            "--baseline",
            "baseline.json",
            "--format",
            "json",
            "--fail-on",
            "warning",
        ],
    ]
    .concat();
    let o = archlint(&with_baseline, dir.path());
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("1 finding accepted, 0 entries no longer occur"),
        "{}",
        stderr(&o)
    );

    // A new list endpoint is reported, and only it.
    write(
        dir.path(),
        "openapi.yaml",
        &TWO_LISTS.replace("paths:\n", "tags:\n  - name: x\npaths:\n"),
    );
    let o = archlint(&with_baseline, dir.path());
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report}");
    assert!(findings[0]["message"]
        .as_str()
        .unwrap()
        .contains("/v1/authors"));
    assert_eq!(o.status.code(), Some(1));

    // Fixing the accepted finding leaves a stale entry, which is reported.
    write(
        dir.path(),
        "openapi.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    let o = archlint(&with_baseline, dir.path());
    assert!(
        stderr(&o).contains("1 entry no longer occurs"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_broken_baseline_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "openapi.yaml", common::ONE_LIST_ENDPOINT);
    write(dir.path(), "baseline.json", "{\"findings\": 3}");
    let o = archlint(&["--baseline", "baseline.json"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not an archlint baseline"),
        "{}",
        stderr(&o)
    );
    let o = archlint(&["--baseline", "missing.json"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read baseline"));
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

#[test]
fn changed_since_reports_only_changed_and_new_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, "a/openapi.yaml", common::ONE_LIST_ENDPOINT);
    write(root, "b/openapi.yaml", common::ONE_LIST_ENDPOINT);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "init"]);

    let args = [
        "--select",
        "api/list-pagination",
        "--format",
        "json",
        "--changed-since",
        "main",
    ];
    let paths = |o: &Output| -> Vec<String> {
        let report: Value = serde_json::from_slice(&o.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    let o = archlint(&args, root);
    assert_eq!(paths(&o), Vec::<String>::new(), "nothing changed yet");

    write(
        root,
        "b/openapi.yaml",
        &format!("{}# edited\n", common::ONE_LIST_ENDPOINT),
    );
    write(root, "c/openapi.yaml", common::ONE_LIST_ENDPOINT);
    let o = archlint(&args, root);
    assert_eq!(
        paths(&o),
        vec!["b/openapi.yaml", "c/openapi.yaml"],
        "{}",
        stderr(&o)
    );

    let o = archlint(&["--changed-since", "no-such-branch"], root);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`no-such-branch` is not a commit"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn changed_since_outside_git_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "openapi.yaml", common::ONE_LIST_ENDPOINT);
    let o = Command::new(env!("CARGO_BIN_EXE_archlint"))
        .args(["--changed-since", "main"])
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("needs a git repository"),
        "{}",
        stderr(&o)
    );
}

const KEBAB_HEADER_VERSIONED: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /order-items:
    get:
      parameters:
        - {name: Api-Version, in: header, schema: {type: string}}
      responses: {'200': {description: ok}}
  /gift-cards/{id}:
    get:
      parameters:
        - {name: Api-Version, in: header, schema: {type: string}}
        - {name: id, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
";

#[test]
fn init_infers_the_policy_the_paths_already_follow() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api/openapi.yaml", KEBAB_HEADER_VERSIONED);
    let o = archlint(&["init"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.path().join("archlint.toml")).unwrap();
    assert!(text.contains("versioning = \"header\""), "{text}");
    assert!(
        text.contains("2 of 2 endpoints take a version header"),
        "{text}"
    );
    assert!(text.contains("path-case = \"kebab\""), "{text}");
    assert!(
        text.contains("# public-paths = ["),
        "every option is documented"
    );
    archlint::config::Settings::parse(Path::new("archlint.toml"), &text)
        .expect("the written file is a valid configuration");

    // The written configuration is picked up: header versioning means no findings
    // for unversioned paths.
    let o = archlint(&["--select", "api/versioning"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("0 warnings"), "{}", stdout(&o));

    let o = archlint(&["init"], dir.path());
    assert_eq!(o.status.code(), Some(2), "never overwrites silently");
    assert!(stderr(&o).contains("already exists"));
    assert_eq!(
        archlint(&["init", "--force"], dir.path()).status.code(),
        Some(0)
    );
}

#[test]
fn init_on_an_empty_repository_writes_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let o = archlint(&["init", "--stdout"], dir.path());
    let text = stdout(&o);
    assert!(text.contains("versioning = \"uri\""));
    assert!(text.contains("no endpoints found yet"));
    assert!(!dir.path().join("archlint.toml").exists());
    archlint::config::Settings::parse(Path::new("archlint.toml"), &text).unwrap();
}

#[test]
fn shipped_config_schema_is_generated_from_the_config_types() {
    let committed = std::fs::read_to_string(repo_root().join("archlint.schema.json")).unwrap();
    assert_eq!(
        committed,
        archlint::config::json_schema(),
        "regenerate with `cargo run -- config-schema > archlint.schema.json`"
    );
    let schema: Value = serde_json::from_str(&committed).unwrap();
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown keys are flagged"
    );
    assert!(schema["properties"]["policy"].is_object());
}

#[test]
fn readme_shows_the_example_workflow_verbatim() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let workflow =
        std::fs::read_to_string(repo_root().join("examples/github-workflow.yml")).unwrap();
    assert!(
        readme.contains(&workflow),
        "README's workflow must equal examples/github-workflow.yml (which CI validates)"
    );
}
