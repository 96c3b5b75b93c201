//! Judgements several rules share, so that they agree with each other.

use crate::config::{ApiStyle, Policy};
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
