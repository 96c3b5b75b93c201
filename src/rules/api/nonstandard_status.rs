//! api/nonstandard-status: a status code outside the IANA registry.

use crate::finding::Finding;
use crate::rules::Context;

const ID: &str = "api/nonstandard-status";

/// The IANA HTTP Status Code Registry (RFC 9110 and its extensions).
const REGISTERED: &[u16] = &[
    100, 101, 102, 103, 104, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303,
    304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414,
    415, 416, 417, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505,
    506, 507, 508, 510, 511,
];

fn is_range(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 3 && (b'1'..=b'5').contains(&b[0]) && b[1..].iter().all(|c| *c == b'X' || *c == b'x')
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in &ctx.project.api.endpoints {
        for r in &e.responses {
            if r.code == "default" || is_range(&r.code) {
                continue;
            }
            let message = match r.numeric() {
                Some(code) if REGISTERED.contains(&code) => continue,
                Some(306) => "306 is reserved and unused in the IANA registry".to_string(),
                Some(418) => "418 is reserved (unused) in the IANA registry, not a status to send".to_string(),
                Some(code) if (100..600).contains(&code) => format!(
                    "{code} is not a registered HTTP status code; clients and proxies treat it as {}xx",
                    code / 100
                ),
                Some(code) => format!("{code} is outside the 100-599 range of HTTP status codes"),
                None => format!("`{}` is not an HTTP status code", r.code),
            };
            out.push(
                Finding::new(
                    ID,
                    r.location.clone(),
                    format!("{}: {message}", e.display()),
                )
                .label("nonstandard status")
                .help("use the closest registered status (see the IANA HTTP Status Code Registry)")
                .anchor(e.anchor_at(&format!("/responses/{}", r.code))),
            );
        }
    }
    out
}
