//! Judgements several rules share, so that they agree with each other: about API
//! paths and parameters, and about code (request handlers, test code, what a call does).

use crate::config::{ApiStyle, Policy};
use crate::finding::Location;
use crate::model::code::{Call, CodeModel};
use crate::model::path::{
    ends_with_action, is_param, is_verb_noun_segment, is_version_segment, normalise_param_name,
    segments,
};
use crate::model::{ApiModel, Endpoint, ParamIn};

pub fn is_pagination_param(policy: &Policy, name: &str) -> bool {
    let name = normalise_param_name(name);
    policy
        .pagination_params
        .iter()
        .any(|p| normalise_param_name(p) == name)
        || [
            "pagesize",
            "pagenumber",
            "pagelimit",
            "pageoffset",
            "pagecursor",
            "pagetoken",
        ]
        .contains(&name.as_str())
}

pub fn is_page_size_param(policy: &Policy, name: &str) -> bool {
    let name = normalise_param_name(name);
    policy
        .page_size_params
        .iter()
        .any(|p| normalise_param_name(p) == name)
        || ["pagesize", "pagelimit"].contains(&name.as_str())
}

pub fn takes_pagination(policy: &Policy, endpoint: &Endpoint) -> bool {
    endpoint.parameters.iter().any(|p| {
        matches!(
            p.location_in,
            ParamIn::Query | ParamIn::Header | ParamIn::Other
        ) && is_pagination_param(policy, &p.name)
    })
}

/// An API is RPC-style when the policy says so, or when most of its paths end in an
/// action (`/createUser`, `/users.list`, `/things:cancel`).
pub fn is_rpc_style(policy: &Policy, api: &ApiModel, document: usize) -> bool {
    if policy.style == ApiStyle::Rpc {
        return true;
    }
    let mut paths: Vec<&str> = api
        .endpoints_of(document)
        .map(|e| e.path.as_str())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    if paths.is_empty() {
        return false;
    }
    let rpc = paths
        .iter()
        .filter(|p| {
            ends_with_action(p)
                || segments(p)
                    .filter(|s| !is_param(s) && !is_version_segment(s))
                    .any(|s| is_verb_noun_segment(s) || s.contains('.'))
        })
        .count();
    rpc * 2 > paths.len()
}

pub fn spec_document(endpoint: &Endpoint) -> usize {
    match endpoint.origin {
        crate::model::Origin::Spec { document } => document,
    }
}

/// Indices of the functions that handle requests (route handlers).
pub fn handler_functions(code: &CodeModel) -> Handlers {
    let mut by_function = vec![false; code.functions.len()];
    for f in code.routes.iter().filter_map(|r| r.function) {
        if let Some(slot) = by_function.get_mut(f) {
            *slot = true;
        }
    }
    Handlers(by_function)
}

/// The functions that handle requests, by index in the code model's functions: rules
/// ask once per call, so a lookup is an index, not a hash.
pub struct Handlers(Vec<bool>);

impl Handlers {
    pub fn contains(&self, function: &usize) -> bool {
        self.0.get(*function).copied().unwrap_or(false)
    }
}

/// Test code: secrets, prints and sleeps there are not findings.
pub fn in_test_code(code: &CodeModel, location: &Location) -> bool {
    code.file(location.path()).is_some_and(|f| f.is_test)
}

/// The call runs inside a request handler.
pub fn in_handler(handlers: &Handlers, call: &Call) -> bool {
    call.function.is_some_and(|f| handlers.contains(&f))
}

/// The call runs inside an `async def`.
pub fn in_async_function(code: &CodeModel, call: &Call) -> bool {
    code.function(call.function).is_some_and(|f| f.is_async)
}

/// Text that reads like SQL: a statement keyword followed by what it needs.
pub fn looks_like_sql(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    let has = |w: &str| {
        upper
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .any(|t| t == w)
    };
    (has("SELECT") && has("FROM"))
        || (has("INSERT") && has("INTO"))
        || (has("UPDATE") && has("SET"))
        || (has("DELETE") && has("FROM"))
        || has("WHERE")
}

/// `requests.get(...)` and friends: the module-level functions of `requests`.
pub fn is_requests_call(call: &Call) -> bool {
    REQUESTS_CALLS.contains(&call.callee.as_str())
}

/// The module-level functions of `requests`.
pub const REQUESTS_CALLS: &[&str] = &[
    "requests.get",
    "requests.post",
    "requests.put",
    "requests.patch",
    "requests.delete",
    "requests.head",
    "requests.options",
    "requests.request",
];

/// Files only developers, CI, examples or seed scripts load: `settings/local.py`,
/// `settings_ci.py`, `config_dev.py`, `fake_data.py`, and files in a folder named
/// after one of those uses (`settings/development/base.py`, `examples/app.py`). Debug
/// flags and literal secrets there are not what ships.
pub fn is_developer_only_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.rsplit('/');
    let file = parts.next().unwrap_or(&lower);
    let stem = file.trim_end_matches(".py");
    // A folder counts by its whole name only: `local_storage/` is not local settings.
    stem.split(['_', '-'])
        .any(|part| DEVELOPER_ONLY_WORDS.contains(&part))
        || parts.any(|folder| {
            DEVELOPER_ONLY_WORDS.contains(&folder)
                || DEVELOPER_ONLY_WORDS.contains(&folder.trim_end_matches('s'))
                || DEVELOPER_ONLY_FOLDERS.contains(&folder)
        })
}

/// Folders of files only developers run, too short or too common as parts of a file
/// name (`api_docs.py` serves the API): the documentation build's settings, QA
/// scenarios.
const DEVELOPER_ONLY_FOLDERS: &[&str] = &["docs", "doc", "qa"];

/// Settings classes for developers and tests: `TestingConfig`, `DevelopmentConfig`,
/// `LocalSettings`, `Config_Debug`; by the same words as [`is_developer_only_file`].
pub fn is_developer_only_class(name: &str) -> bool {
    crate::model::naming::words(name)
        .iter()
        .any(|w| DEVELOPER_ONLY_WORDS.contains(&w.as_str()))
}

const DEVELOPER_ONLY_WORDS: &[&str] = &[
    "dev",
    "devel",
    "local",
    "development",
    "test",
    "testing",
    "debug",
    "ci",
    "example",
    "sample",
    "fake",
    "seed",
    "populate",
    "demo",
    "quickstart",
];

#[cfg(test)]
mod tests {
    use super::is_developer_only_file;

    #[test]
    fn developer_only_files_are_known_by_their_name_or_their_folder() {
        for path in [
            "settings/local.py",
            "config_dev.py",
            "fake_data.py",
            "mayan/settings/development/base.py",
            "tcms/settings/devel.py",
            "docs/django_settings.py",
            "scripts/quickstart.py",
            "qa/scenarios/privacy.py",
            "examples/app.py",
            "ci/settings.py",
        ] {
            assert!(is_developer_only_file(path), "{path}");
        }
        for path in [
            "app/local_storage/settings.py",
            "settings/production.py",
            "devices/views.py",
            "app/settings.py",
            "app/api_docs.py",
        ] {
            assert!(!is_developer_only_file(path), "{path}");
        }
    }
}
