//! perf/missing-timeout: an outbound HTTP call that can wait forever.

use crate::finding::Finding;
use crate::rules::common::{in_test_code, REQUESTS_CALLS};
use crate::rules::Context;

const ID: &str = "perf/missing-timeout";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    // `requests` has no default timeout; neither has `urlopen`. httpx defaults to 5 s.
    let callees: Vec<&str> = REQUESTS_CALLS
        .iter()
        .copied()
        .chain(["urlopen", "urllib.request.urlopen"])
        .collect();
    code.calls_exactly(&callees)
        .into_iter()
        .filter(|c| {
            c.keyword("timeout").is_none()
                && !c.args.iter().any(|a| a.keyword.as_deref() == Some("**"))
                && !in_test_code(code, &c.location)
        })
        .map(|c| {
            Finding::new(
                ID,
                c.location.clone(),
                format!("`{}` has no timeout: a slow or silent peer holds this worker (and its request) forever", c.callee),
            )
            .label("no timeout")
            .help("pass `timeout=` (seconds, or a `(connect, read)` pair such as `timeout=(3.05, 10)`)")
        })
        .collect()
}
