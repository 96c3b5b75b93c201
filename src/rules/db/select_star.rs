//! db/select-star: `SELECT *` in an application query.

use super::first_line;
use crate::finding::{Finding, Location};
use crate::rules::Context;

const ID: &str = "db/select-star";

pub fn check(ctx: &Context) -> Vec<Finding> {
    ctx.project
        .sql
        .queries
        .iter()
        .filter(|q| q.select_star)
        .map(|q| {
            let location = match q.star_span {
                Some(span) => Location::new(&q.location.file, span),
                None => first_line(&q.location),
            };
            let tables = if q.tables.is_empty() {
                String::new()
            } else {
                format!(" from `{}`", q.tables.join("`, `"))
            };
            Finding::new(
                ID,
                location,
                format!("the query selects every column{tables} with `*`"),
            )
            .label("SELECT *")
            .help("name the columns the code reads: `*` fetches columns nobody uses, breaks code that reads by position when a column is added, and defeats index-only scans")
        })
        .collect()
}
