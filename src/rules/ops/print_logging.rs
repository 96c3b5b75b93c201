//! ops/print-logging: `print` in request handlers instead of a logger.

use crate::finding::Finding;
use crate::rules::common::{handler_functions, in_handler};
use crate::rules::Context;

const ID: &str = "ops/print-logging";

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let handlers = handler_functions(code);
    code.calls_exactly(&["print"])
        .into_iter()
        .filter(|c| in_handler(&handlers, c))
        .map(|c| {
            Finding::new(
                ID,
                c.location.clone(),
                "`print` in a request handler: the output has no level, timestamp or request context, and is lost or interleaved under a process manager",
            )
            .label("print instead of logging")
            .help("use a logger (`logger = logging.getLogger(__name__)`, then `logger.info(...)`), configured once for the service")
        })
        .collect()
}
