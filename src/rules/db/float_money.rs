//! db/float-money: money stored in a binary floating-point column.

use crate::finding::Finding;
use crate::model::naming::words;
use crate::rules::Context;

const ID: &str = "db/float-money";

const MONEY_WORDS: &[&str] = &[
    "price", "amount", "balance", "cost", "total", "fee", "salary", "tax", "subtotal", "discount",
    "payment", "refund", "charge",
];

/// Words that make a money-named column a ratio or a setting, not an amount:
/// `tax_rate`, `discount_pct`, `price_precision`.
const RATIO_WORDS: &[&str] = &[
    "rate",
    "ratio",
    "pct",
    "percent",
    "percentage",
    "precision",
    "factor",
    "multiplier",
];

const FLOAT_TYPES: &[&str] = &["FLOAT", "REAL", "DOUBLE", "FLOAT4", "FLOAT8"];

fn is_float(data_type: &str) -> bool {
    let head = data_type
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    FLOAT_TYPES.contains(&head)
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for history in &ctx.project.sql.schema.histories {
        for table in history.tables.values() {
            for column in &table.columns {
                if !is_float(&column.data_type) {
                    continue;
                }
                let words = words(&column.display_name);
                if words.iter().any(|w| RATIO_WORDS.contains(&w.as_str())) {
                    continue;
                }
                let Some(word) = words
                    .into_iter()
                    .find(|w| MONEY_WORDS.contains(&w.as_str()))
                else {
                    continue;
                };
                out.push(
                    Finding::new(
                        ID,
                        column.location.clone(),
                        format!(
                            "`{}.{}` looks like money (`{word}`) but is typed `{}`: binary floating point cannot hold most decimal amounts exactly, and sums drift",
                            table.name, column.display_name, column.data_type
                        ),
                    )
                    .label("money in a float")
                    .help("use `NUMERIC(12, 2)` (`DECIMAL` in MySQL), or an integer number of cents"),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_types_by_their_head_word() {
        assert!(is_float("DOUBLE PRECISION"));
        assert!(is_float("FLOAT(10,2)"));
        assert!(is_float("FLOAT8"));
        assert!(!is_float("NUMERIC(12, 2)"));
        assert!(!is_float("DECIMAL"));
    }
}
