//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use archlint::config::Settings;
use archlint::engine::{self, CheckOptions, Outcome};
use archlint::report::human::{self, HumanOptions};

/// A valid OpenAPI 3.0 document with exactly one finding: `api/list-pagination` on
/// `GET /v1/books`, at line 5, column 5.
pub const ONE_LIST_ENDPOINT: &str = "openapi: 3.0.3
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
";

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

pub fn run(dir: &Path, select: &[&str]) -> Outcome {
    run_with(dir, select, &Settings::defaults())
}

pub fn run_with(dir: &Path, select: &[&str], settings: &Settings) -> Outcome {
    let options = CheckOptions {
        root: dir.to_path_buf(),
        paths: vec![dir.to_path_buf()],
        select: select.iter().map(|s| s.to_string()).collect(),
        ignore: Vec::new(),
    };
    engine::check(&options, settings)
}

/// The findings' messages, in report order.
pub fn messages(outcome: &Outcome) -> Vec<&str> {
    outcome
        .findings
        .iter()
        .map(|f| f.finding.message.as_str())
        .collect()
}

pub fn rules_of(outcome: &Outcome) -> Vec<&str> {
    outcome.findings.iter().map(|f| f.finding.rule).collect()
}

pub fn render(outcome: &Outcome) -> String {
    human::render(
        &outcome.findings,
        &HumanOptions {
            color: false,
            width: 100,
        },
    )
}

/// `path:line:column rule level` for each finding: compact and easy to review.
pub fn positions(outcome: &Outcome) -> Vec<String> {
    outcome
        .findings
        .iter()
        .map(|r| {
            let f = &r.finding;
            let at = f.location.file.line_col(f.location.span.start);
            format!(
                "{}:{}:{} {} {}",
                f.location.path(),
                at.line,
                at.column,
                f.rule,
                r.level
            )
        })
        .collect()
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// The built binary, run in `dir` with colour and GitHub's environment cleared.
pub fn archlint(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archlint"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_SERVER_URL")
        .output()
        .unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
