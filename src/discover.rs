//! Finds the files to check: an ignore-aware walk, then classification by content.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::WalkBuilder;

use crate::config::Settings;
use crate::finding::{Finding, Location};
use crate::source::{SharedSource, SourceFile, Span};
use crate::spec::{display_path, parse_error};

/// Folders that hold dependencies or build output, never the project's own design.
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "target",
    "dist",
    "build",
    ".venv",
    "venv",
    "virtualenv",
    "site-packages",
    "vendor",
    "third_party",
    "third-party",
    "bower_components",
    "__pycache__",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".git",
    ".hg",
    ".svn",
];

/// Files above this size are reported and skipped rather than read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// YAML or JSON that may be an OpenAPI document; content decides.
    Structured,
    /// SQL: migrations, queries and seeds, told apart by their path.
    Sql,
    Python,
}

fn kind_of(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "yaml" | "yml" | "json" => Some(Kind::Structured),
        "sql" => Some(Kind::Sql),
        "py" => Some(Kind::Python),
        _ => None,
    }
}

#[derive(Debug, Default)]
pub struct Discovery {
    /// Candidate files, sorted by path.
    pub files: Vec<(PathBuf, Kind)>,
    pub problems: Vec<Finding>,
}

/// Dependency and build folders, and project templates (cookiecutter's
/// `{{cookiecutter.project_slug}}`): their files are Jinja, not code.
fn is_skipped_dir(name: &str) -> bool {
    SKIPPED_DIRS.contains(&name) || (name.contains("{{") && name.contains("}}"))
}

pub fn discover(root: &Path, paths: &[PathBuf], settings: &Settings) -> Discovery {
    let mut out = Discovery::default();
    for path in paths {
        if path.is_file() {
            // A file named on the command line is checked even if ignored.
            if let Some(kind) = kind_of(path) {
                out.files.push((path.clone(), kind));
            }
            continue;
        }
        let exclude = settings.exclude.clone();
        let root_for_filter = root.to_path_buf();
        let walker = WalkBuilder::new(path)
            .require_git(false)
            .follow_links(false)
            .filter_entry(move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                if is_dir
                    && entry.depth() > 0
                    && is_skipped_dir(&entry.file_name().to_string_lossy())
                {
                    return false;
                }
                let rel = display_path(&root_for_filter, entry.path());
                !exclude.is_match(&rel)
            })
            .build();
        for entry in walker {
            let Ok(entry) = entry else {
                // Unreadable directories and symlink loops: skip, keep walking.
                continue;
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let Some(kind) = kind_of(entry.path()) else {
                continue;
            };
            if let Some(include) = &settings.include {
                if !include.is_match(display_path(root, entry.path())) {
                    continue;
                }
            }
            out.files.push((entry.into_path(), kind));
        }
    }
    out.files.sort();
    out.files.dedup();
    out
}

/// Reads a SQL file. Migrations written in Latin-1 or Windows-1252 exist, so a file that
/// is not UTF-8 is still read (bad bytes become U+FFFD) and the problem is reported
/// beside it rather than instead of it.
pub fn read_sql(
    root: &Path,
    abs: &Path,
) -> Result<(Option<SharedSource>, Option<Finding>), Box<Finding>> {
    let rel = display_path(root, abs);
    let fail = |message: String| {
        let placeholder = Arc::new(SourceFile::new(
            rel.clone(),
            abs.to_path_buf(),
            String::new(),
        ));
        Box::new(parse_error(
            Location::new(&placeholder, Span::default()),
            message,
        ))
    };
    let meta = std::fs::metadata(abs).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(format!(
            "skipped: the file is {} MB, over the {} MB limit",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(abs).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if bytes.contains(&0) {
        return Ok((None, None));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((
            Some(Arc::new(SourceFile::new(rel, abs.to_path_buf(), text))),
            None,
        )),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let source = Arc::new(SourceFile::new(rel, abs.to_path_buf(), text));
            let at = valid.min(source.text.len());
            let end = source.text[at..]
                .char_indices()
                .nth(1)
                .map_or(source.text.len(), |(i, _)| at + i);
            let problem = parse_error(
                Location::new(&source, Span::new(at, end)),
                format!("the file is not valid UTF-8 (first bad byte at offset {valid}); it was read with replacement characters"),
            );
            Ok((Some(source), Some(problem)))
        }
    }
}

/// Reads a candidate file. `Ok(None)` means "not for us" (not text, not a spec).
pub fn read(root: &Path, abs: &Path) -> Result<Option<SharedSource>, Box<Finding>> {
    let rel = display_path(root, abs);
    let placeholder = || {
        Arc::new(SourceFile::new(
            rel.clone(),
            abs.to_path_buf(),
            String::new(),
        ))
    };
    let fail = |message: String| {
        Box::new(parse_error(
            Location::new(&placeholder(), Span::default()),
            message,
        ))
    };
    let meta = std::fs::metadata(abs).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(format!(
            "skipped: the file is {} MB, over the {} MB limit",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(abs).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if bytes.contains(&0) {
        return Ok(None);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(Arc::new(SourceFile::new(
            rel,
            abs.to_path_buf(),
            text,
        )))),
        Err(e) => {
            let lossy = String::from_utf8_lossy(e.as_bytes());
            if crate::spec::may_be_spec(&lossy) {
                let offset = e.utf8_error().valid_up_to();
                Err(fail(format!("the file is not valid UTF-8 (first bad byte at offset {offset}); it was not analysed")))
            } else {
                Ok(None)
            }
        }
    }
}
