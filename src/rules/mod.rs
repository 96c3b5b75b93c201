//! Rules: one module each, reading the models and returning findings.

pub mod api;
pub mod common;
pub mod db;
pub mod ops;
pub mod perf;
pub mod sec;

use crate::config::Settings;
use crate::finding::{Finding, Level};
use crate::model::Project;

pub struct Context<'a> {
    pub project: &'a Project,
    pub settings: &'a Settings,
    rpc_documents: Vec<bool>,
}

impl<'a> Context<'a> {
    pub fn new(project: &'a Project, settings: &'a Settings) -> Self {
        let rpc_documents = (0..project.api.documents.len())
            .map(|doc| common::is_rpc_style(settings.policy(), &project.api, doc))
            .collect();
        Context {
            project,
            settings,
            rpc_documents,
        }
    }

    /// Whether the document an endpoint comes from is an RPC-style API.
    pub fn is_rpc(&self, endpoint: &crate::model::Endpoint) -> bool {
        self.rpc_documents
            .get(common::spec_document(endpoint))
            .copied()
            .unwrap_or(false)
    }

    pub fn policy(&self) -> &crate::config::Policy {
        self.settings.policy()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Spec,
    Sql,
    Code,
    Cross,
}

/// A rule's metadata and its check. The documentation page is the single source of
/// the summary, `archlint explain` and SARIF help.
pub struct Rule {
    pub id: &'static str,
    pub default_level: Level,
    pub inputs: &'static [Input],
    pub doc: &'static str,
    pub check: fn(&Context) -> Vec<Finding>,
}

impl Rule {
    pub fn area(&self) -> &'static str {
        self.id.split('/').next().unwrap_or(self.id)
    }

    /// The page's first paragraph after its title.
    pub fn summary(&self) -> String {
        crate::registry::summary_of(self.doc)
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}
