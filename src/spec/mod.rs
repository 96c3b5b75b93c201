//! OpenAPI / Swagger documents: recognise, parse once, resolve `$ref`s, and turn each
//! document into API-model facts.

mod normalize;
pub mod refs;
mod tree_de;
mod validate;
pub mod yaml;

use std::collections::HashMap;

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::finding::{Finding, Level, Location};
use crate::model::{Endpoint, SpecDocument};
use crate::source::{SharedSource, SourceFile, Span};
use crate::suppress::Suppression;

pub use normalize::analyse_document;

pub const PARSE_ERROR: &str = "archlint/parse-error";

/// A YAML/JSON file parsed once, shared by every document whose `$ref`s reach it.
#[derive(Debug)]
pub struct ParsedFile {
    pub source: SharedSource,
    pub tree: Result<yaml::Tree, yaml::YamlError>,
}

/// Every YAML/JSON file read during a run, keyed by absolute path, so that a fragment
/// referenced by several documents is parsed once.
pub struct DocStore {
    root: PathBuf,
    files: Mutex<HashMap<PathBuf, Arc<ParsedFile>>>,
}

/// Files larger than this are not followed by `$ref` (documents found by discovery
/// have their own limit there).
const MAX_REF_FILE_BYTES: u64 = 64 * 1024 * 1024;

impl DocStore {
    pub fn new(root: &Path) -> Self {
        DocStore {
            root: root.to_path_buf(),
            files: Mutex::new(HashMap::new()),
        }
    }

    fn cached(&self, abs: &Path) -> Option<Arc<ParsedFile>> {
        self.files.lock().ok()?.get(abs).cloned()
    }

    fn remember(&self, abs: PathBuf, file: Arc<ParsedFile>) -> Arc<ParsedFile> {
        match self.files.lock() {
            Ok(mut files) => files.entry(abs).or_insert(file).clone(),
            Err(_) => file,
        }
    }

    /// Parses a file discovery already read.
    pub fn insert(&self, source: SharedSource) -> Arc<ParsedFile> {
        if let Some(hit) = self.cached(&source.abs_path) {
            return hit;
        }
        let tree = parse_tree(&source);
        let abs = source.abs_path.clone();
        self.remember(abs, Arc::new(ParsedFile { source, tree }))
    }

    /// Reads and parses a file a `$ref` points at.
    pub fn load(&self, abs: &Path) -> Result<Arc<ParsedFile>, String> {
        let abs = normalise_path(abs);
        if let Some(hit) = self.cached(&abs) {
            return Ok(hit);
        }
        let meta = std::fs::metadata(&abs).map_err(|e| format!("cannot read it: {e}"))?;
        if !meta.is_file() {
            return Err("it is not a file".into());
        }
        if meta.len() > MAX_REF_FILE_BYTES {
            return Err(format!("it is larger than {MAX_REF_FILE_BYTES} bytes"));
        }
        let bytes = std::fs::read(&abs).map_err(|e| format!("cannot read it: {e}"))?;
        let text = String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
        let rel = display_path(&self.root, &abs);
        let source = Arc::new(SourceFile::new(rel, abs.clone(), text));
        let tree = parse_tree(&source);
        Ok(self.remember(abs, Arc::new(ParsedFile { source, tree })))
    }
}

/// YAML for everything; a `.json` file must also be strict JSON, since YAML would
/// quietly accept JSON its owners' tools reject (`{"a": }`).
fn parse_tree(source: &SourceFile) -> Result<yaml::Tree, yaml::YamlError> {
    // A panic inside the YAML library costs this one file, not the document that
    // references it.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        parse_tree_unguarded(source)
    }))
    .unwrap_or_else(|_| {
        Err(yaml::YamlError {
            message: "the YAML parser failed on this file (internal error); it was not analysed"
                .into(),
            span: Span::new(0, 0),
        })
    })
}

fn parse_tree_unguarded(source: &SourceFile) -> Result<yaml::Tree, yaml::YamlError> {
    let is_json = source.path.to_ascii_lowercase().ends_with(".json");
    if is_json {
        let mut de = serde_json::Deserializer::from_str(&source.text);
        let checked = serde::de::IgnoredAny::deserialize(&mut de).and_then(|_| de.end());
        if let Err(e) = checked {
            if !e.to_string().contains("recursion limit") {
                let at = source.offset_of(e.line().saturating_sub(1), e.column().saturating_sub(1));
                return Err(yaml::YamlError {
                    message: format!("invalid JSON: {e}"),
                    span: Span::new(at, at + 1),
                });
            }
        }
    }
    yaml::parse(source)
}

/// Lexically removes `.` and `..` so one file reached by two spellings is one entry.
pub fn normalise_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A path relative to the scanned root with `/` separators, or the absolute path when
/// the file lies outside it.
pub fn display_path(root: &Path, abs: &Path) -> String {
    let rel = abs.strip_prefix(root).unwrap_or(abs);
    let text: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    text.join("/")
}

/// Cheap test before parsing: could this YAML/JSON text be an OpenAPI document? A
/// false positive only costs a parse; the top-level key decides.
pub fn may_be_spec(text: &str) -> bool {
    let head = &text[..floor_boundary(text, 1 << 20)];
    head.contains("\"openapi\"")
        || head.contains("\"swagger\"")
        || head.lines().any(|l| {
            l.starts_with("openapi:")
                || l.starts_with("swagger:")
                || l.starts_with("'openapi'")
                || l.starts_with("'swagger'")
                || l.starts_with("\"openapi\"")
                || l.starts_with("\"swagger\"")
        })
}

/// A stronger test, for files that fail to parse: a top-level `openapi:`/`swagger:`
/// line, or a JSON `"openapi":` key near the start.
pub fn clearly_a_spec(text: &str) -> bool {
    let yaml_key = text
        .lines()
        .any(|l| l.starts_with("openapi:") || l.starts_with("swagger:"));
    let head: String = text[..floor_boundary(text, 2048)]
        .split_whitespace()
        .collect();
    yaml_key || head.contains("\"openapi\":") || head.contains("\"swagger\":")
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// What one document yields.
#[derive(Debug, Default)]
pub struct DocumentFacts {
    pub document: Option<SpecDocument>,
    pub endpoints: Vec<Endpoint>,
    pub suppressions: Vec<Suppression>,
    pub problems: Vec<Finding>,
}

pub fn parse_error(location: Location, message: impl Into<String>) -> Finding {
    Finding::new(PARSE_ERROR, location, message)
        .level(Level::Info)
        .label("here")
}

pub fn parse_error_at(source: &SharedSource, span: Span, message: impl Into<String>) -> Finding {
    parse_error(Location::new(source, span), message)
}
