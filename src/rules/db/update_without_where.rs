//! db/update-without-where: an UPDATE or DELETE of every row in application code.

use super::first_line;
use crate::finding::Finding;
use crate::model::query::QueryKind;
use crate::rules::Context;

const ID: &str = "db/update-without-where";

pub fn check(ctx: &Context) -> Vec<Finding> {
    ctx.project
        .sql
        .queries
        .iter()
        .filter(|q| matches!(q.kind, QueryKind::Update | QueryKind::Delete) && !q.has_where)
        .map(|q| {
            let verb = if q.kind == QueryKind::Update {
                "UPDATE"
            } else {
                "DELETE"
            };
            let table = q
                .tables
                .first()
                .map(|t| format!(" of `{t}`"))
                .unwrap_or_default();
            Finding::new(
                ID,
                first_line(&q.location),
                format!("`{verb}`{table} has no WHERE clause: it touches every row"),
            )
            .label(format!("{verb} without WHERE"))
            .help("add the WHERE clause; if every row is really meant, write `WHERE true` to say so, or use TRUNCATE")
        })
        .collect()
}
