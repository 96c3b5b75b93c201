//! api/error-schema-consistency: error responses with differing schemas; with
//! `errors = "problem+json"`, error responses that are not problem+json.

use std::collections::HashMap;

use crate::config::ErrorFormat;
use crate::finding::Finding;
use crate::model::path::is_health_path;
use crate::model::{Endpoint, Response};
use crate::rules::Context;

const ID: &str = "api/error-schema-consistency";

/// `application/problem+json`, with or without parameters such as `charset`.
fn is_problem_json(media_type: &str) -> bool {
    media_type
        .split(';')
        .next()
        .is_some_and(|base| base.trim().eq_ignore_ascii_case("application/problem+json"))
}

fn is_error(r: &Response) -> bool {
    r.code == "default" || matches!(r.class(), Some(4 | 5))
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    let mut out = Vec::new();
    for doc_index in 0..api.documents.len() {
        let errors: Vec<(&Endpoint, &Response)> = api
            .endpoints_of(doc_index)
            .filter(|e| !is_health_path(&e.path))
            .flat_map(|e| {
                e.responses
                    .iter()
                    .filter(|r| is_error(r))
                    .map(move |r| (e, r))
            })
            .collect();
        if ctx.policy().errors == ErrorFormat::ProblemJson {
            for (e, r) in &errors {
                if !r.media_types.is_empty() && !r.media_types.iter().any(|m| is_problem_json(m)) {
                    out.push(
                        Finding::new(
                            ID,
                            r.location.clone(),
                            format!("{} answers {} as {}, not application/problem+json", e.display(), r.code, r.media_types.join(", ")),
                        )
                        .label("not problem+json")
                        .help("declare the error body as `application/problem+json` (RFC 9457) with a Problem schema")
                        .anchor(e.anchor_at(&format!("/responses/{}", r.code))),
                    );
                }
            }
            continue;
        }
        let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
        for (i, (_, r)) in errors.iter().enumerate() {
            if let Some(id) = r.schema_identity.as_deref() {
                let slot = counts.entry(id).or_insert((0, i));
                slot.0 += 1;
            }
        }
        if counts.len() < 2 {
            continue;
        }
        let total: usize = counts.values().map(|c| c.0).sum();
        let mut ranked: Vec<(&str, (usize, usize))> = counts.into_iter().collect();
        // Most used first; ties go to the one seen first, so output is deterministic.
        ranked.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
        let (main, (main_count, main_first)) = ranked[0];
        let main_location = errors[main_first].1.location.clone();
        for (other, (count, first)) in ranked.into_iter().skip(1) {
            let (e, r) = errors[first];
            out.push(
                Finding::new(
                    ID,
                    r.location.clone(),
                    format!(
                        "{} answers {} with error body `{other}` ({count} error response(s) use it), while {main_count} of {total} use `{main}`",
                        e.display(),
                        r.code
                    ),
                )
                .label("a different error schema")
                .help("use one error schema for every error response, so clients parse errors one way")
                .anchor(e.anchor_at(&format!("/responses/{}", r.code)))
                .related(main_location.clone(), format!("the common error body `{main}`")),
            );
        }
    }
    out
}
