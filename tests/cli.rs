//! The binary end to end: exit codes, formats, selection, configuration errors.

mod common;

use common::{archlint, fixture, stderr, stdout, write};

const ONE_WARNING: &str = common::ONE_LIST_ENDPOINT;

fn project(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api/openapi.yaml", text);
    dir
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = project(ONE_WARNING);
    let only = ["--select", "api/list-pagination"];
    assert_eq!(
        archlint(&only, dir.path()).status.code(),
        Some(0),
        "a warning is below the default --fail-on error"
    );
    let o = archlint(&[&only[..], &["--fail-on", "warning"]].concat(), dir.path());
    assert_eq!(o.status.code(), Some(1));
    let o = archlint(
        &[&only[..], &["--fail-on", "warning", "--ignore", "api"]].concat(),
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn usage_errors_exit_2() {
    let dir = project(ONE_WARNING);
    assert_eq!(
        archlint(&["--select", "api/nope"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        archlint(&["--format", "xml"], dir.path()).status.code(),
        Some(2)
    );
    assert_eq!(
        archlint(&["does-not-exist"], dir.path()).status.code(),
        Some(2)
    );
    assert_eq!(
        archlint(&["explain", "api/nope"], dir.path()).status.code(),
        Some(2)
    );
}

#[test]
fn config_errors_name_file_line_and_key_and_exit_2() {
    let dir = project(ONE_WARNING);
    write(
        dir.path(),
        "archlint.toml",
        "[policy]\nversioning = \"uri\"\npagination = [\"limit\"]\n",
    );
    let o = archlint(&[], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("archlint.toml:3:1"), "{err}");
    assert!(err.contains("pagination"), "{err}");
}

#[test]
fn config_levels_apply() {
    let dir = project(ONE_WARNING);
    write(
        dir.path(),
        "archlint.toml",
        "[rules]\n\"api/list-pagination\" = \"error\"\n",
    );
    let o = archlint(&["--select", "api/list-pagination"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("1 error, 0 warnings, 0 infos"),
        "{}",
        stdout(&o)
    );
    write(
        dir.path(),
        "archlint.toml",
        "[[overrides]]\nfiles = [\"api/**\"]\nrules = { api = \"off\" }\n",
    );
    let o = archlint(&["--select", "api/list-pagination"], dir.path());
    assert!(
        stdout(&o).contains("0 errors, 0 warnings, 0 infos"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn json_report_fields() {
    let dir = project(ONE_WARNING);
    let o = archlint(
        &["--format", "json", "--select", "api/list-pagination"],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "archlint");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "api/list-pagination");
    assert_eq!(f["level"], "warning");
    assert_eq!(f["path"], "api/openapi.yaml");
    assert_eq!(f["start"]["line"], 5);
    assert_eq!(f["start"]["column"], 5);
    assert_eq!(f["end"]["line"], 5);
    assert_eq!(f["end"]["column"], 8);
    assert_eq!(f["docs"], "rules/api/list-pagination.md");
    assert!(f["message"].as_str().unwrap().contains("GET /v1/books"));
    assert!(f["help"].as_str().unwrap().contains("limit"));
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 16);
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["files_checked"], 1);
    assert_eq!(v["summary"]["documents"], 1);
}

#[test]
fn fingerprints_survive_inserted_lines() {
    let dir = project(ONE_WARNING);
    let fp = |dir: &std::path::Path| {
        let o = archlint(
            &["--format", "json", "--select", "api/list-pagination"],
            dir,
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["findings"][0]["fingerprint"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let before = fp(dir.path());
    write(
        dir.path(),
        "api/openapi.yaml",
        &ONE_WARNING.replace("paths:\n", "# a comment\ntags: []\npaths:\n"),
    );
    assert_eq!(fp(dir.path()), before);
}

#[test]
fn output_file_and_determinism() {
    let demo = fixture("demo");
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    archlint(
        &[
            "--format",
            "json",
            "-o",
            a.to_str().unwrap(),
            demo.to_str().unwrap(),
        ],
        dir.path(),
    );
    archlint(
        &[
            "--format",
            "json",
            "-o",
            b.to_str().unwrap(),
            demo.to_str().unwrap(),
        ],
        dir.path(),
    );
    let a = std::fs::read(a).unwrap();
    assert!(!a.is_empty());
    assert_eq!(a, std::fs::read(b).unwrap());
}

#[test]
fn no_colour_when_piped_or_asked() {
    let dir = project(ONE_WARNING);
    let o = archlint(&["--select", "api/list-pagination"], dir.path());
    assert!(
        !stdout(&o).contains('\u{1b}'),
        "escape codes in piped output"
    );
    assert!(
        stdout(&o).contains("api/openapi.yaml:5:5"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn quiet_drops_the_summary() {
    let dir = project(ONE_WARNING);
    let o = archlint(&["-q", "--select", "api/list-pagination"], dir.path());
    assert!(!stdout(&o).contains("0 errors"), "{}", stdout(&o));
    assert!(stdout(&o).contains("api/list-pagination"));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn check_subcommand_is_the_default() {
    let dir = project(ONE_WARNING);
    let a = archlint(&["--select", "api"], dir.path());
    let b = archlint(&["check", "--select", "api"], dir.path());
    assert_eq!(stdout(&a), stdout(&b));
}

#[test]
fn rules_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let o = archlint(&["rules"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.lines()
            .any(|l| l.starts_with("api/list-pagination") && l.contains("warning")),
        "{text}"
    );
    assert_eq!(text.lines().count(), archlint::registry::RULES.len());
    let o = archlint(&["explain", "sec/missing-auth"], dir.path());
    assert!(stdout(&o).starts_with("# sec/missing-auth"));
    let o = archlint(&["rules", "--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), archlint::registry::RULES.len());
}

#[test]
fn gitignored_and_dependency_folders_are_skipped() {
    let dir = project(ONE_WARNING);
    write(dir.path(), "node_modules/pkg/openapi.yaml", ONE_WARNING);
    write(dir.path(), "generated/openapi.yaml", ONE_WARNING);
    write(dir.path(), ".gitignore", "generated/\n");
    let o = archlint(
        &["--format", "json", "--select", "api/list-pagination"],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["files_checked"], 1, "{v}");
    write(dir.path(), "archlint.toml", "exclude = [\"api\"]\n");
    let o = archlint(&["--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["files_checked"], 0, "{v}");
}

#[test]
fn timings_go_to_stderr_and_leave_the_report_alone() {
    let app = fixture("python/fastapi");
    let run = |timings: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_archlint"));
        command.args(["--format", "json", app.to_str().unwrap()]);
        if timings {
            command.env("ARCHLINT_TIMINGS", "1");
        } else {
            command.env_remove("ARCHLINT_TIMINGS");
        }
        command.output().unwrap()
    };
    let (plain, timed) = (run(false), run(true));
    assert_eq!(stdout(&plain), stdout(&timed));
    let plain_err = String::from_utf8_lossy(&plain.stderr);
    let timed_err = String::from_utf8_lossy(&timed.stderr);
    assert!(!plain_err.contains("archlint timing"), "{plain_err}");
    for phase in ["discover", "parse + facts", "routes: fastapi", "rules"] {
        assert!(
            timed_err
                .lines()
                .any(|l| l.starts_with("archlint timing: ") && l.contains(phase)),
            "no `{phase}` in:\n{timed_err}"
        );
    }
}
