//! `--changed-since`: the files that differ from a git ref, as git sees them (committed,
//! staged, unstaged and untracked), relative to the scanned root.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("--changed-since needs git, which could not be run: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

fn paths(bytes: &[u8]) -> impl Iterator<Item = String> + '_ {
    bytes
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
}

/// Paths (with `/`, relative to `root`) changed since `reference`.
pub fn changed_files(root: &Path, reference: &str) -> Result<HashSet<String>, String> {
    git(root, &["rev-parse", "--is-inside-work-tree"]).map_err(|_| {
        format!(
            "--changed-since needs a git repository, and `{}` is not inside one",
            root.display()
        )
    })?;
    let commit = format!("{reference}^{{commit}}");
    git(root, &["rev-parse", "--verify", "--quiet", &commit])
        .map_err(|_| format!("--changed-since: `{reference}` is not a commit, branch or tag in this repository (in CI, fetch it first, e.g. `actions/checkout` with `fetch-depth: 0`)"))?;
    let diff = git(
        root,
        &[
            "diff",
            "--name-only",
            "--relative",
            "-z",
            "--no-renames",
            reference,
            "--",
        ],
    )?;
    let untracked = git(root, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    Ok(paths(&diff).chain(paths(&untracked)).collect())
}
