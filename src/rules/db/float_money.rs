//! db/float-money: money stored in a binary floating-point column.

use crate::finding::Finding;
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

/// Parts of a column name: `unit_price`, `unitPrice` and `UnitPrice` all give `price`.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            words.push(std::mem::take(&mut current));
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    words.push(current);
    words.retain(|w| !w.is_empty());
    words
}

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
    fn splits_snake_camel_and_pascal_names() {
        assert_eq!(words("unit_price"), ["unit", "price"]);
        assert_eq!(words("unitPrice"), ["unit", "price"]);
        assert_eq!(words("TotalAmount2"), ["total", "amount2"]);
        assert!(!words("taxonomy_rank").contains(&"tax".to_string()));
    }

    #[test]
    fn float_types_by_their_head_word() {
        assert!(is_float("DOUBLE PRECISION"));
        assert!(is_float("FLOAT(10,2)"));
        assert!(is_float("FLOAT8"));
        assert!(!is_float("NUMERIC(12, 2)"));
        assert!(!is_float("DECIMAL"));
    }
}
