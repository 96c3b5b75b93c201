//! What rules produce and reporters consume.

use serde::{Deserialize, Serialize};

use crate::source::{SharedSource, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Location {
    pub file: SharedSource,
    pub span: Span,
}

impl Location {
    pub fn new(file: &SharedSource, span: Span) -> Self {
        Location {
            file: file.clone(),
            span,
        }
    }

    pub fn path(&self) -> &str {
        &self.file.path
    }
}

#[derive(Debug, Clone)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// Where a finding sits in the logical structure of its document (a JSON pointer for
/// OpenAPI). Suppressions scope by it, and fingerprints use it because it does not
/// move when lines are inserted above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub document: String,
    pub pointer: String,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static str,
    /// The rule's own choice of level for this finding, when it differs by case
    /// (for example writes versus reads). Configuration still overrides it.
    pub level: Option<Level>,
    pub message: String,
    /// Short text shown on the span itself.
    pub label: String,
    pub help: Option<String>,
    pub location: Location,
    pub related: Vec<Related>,
    pub anchor: Option<Anchor>,
}

impl Finding {
    pub fn new(rule: &'static str, location: Location, message: impl Into<String>) -> Self {
        Finding {
            rule,
            level: None,
            message: message.into(),
            label: String::new(),
            help: None,
            location,
            related: Vec::new(),
            anchor: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn level(mut self, level: Level) -> Self {
        self.level = Some(level);
        self
    }

    pub fn related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    pub fn anchor(mut self, anchor: Option<Anchor>) -> Self {
        self.anchor = anchor;
        self
    }
}

/// A finding after configuration, suppressions and grading: what reporters print.
#[derive(Debug, Clone)]
pub struct Reported {
    pub finding: Finding,
    pub level: Level,
    pub fingerprint: String,
}
