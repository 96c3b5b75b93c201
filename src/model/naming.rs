//! The words of a name, however it was written: `unit_price`, `unitPrice`, `UnitPrice`,
//! `unit-price` and `unit.price` all give `unit`, `price`. Paths, columns and classes are
//! all judged by their words.

/// Lower-cased words: split at anything that is not a letter or digit, and where a
/// capital follows a non-capital (`getURL` is `get`, `url`: an acronym stays one word).
pub fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_upper = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_upper = false;
            continue;
        }
        if c.is_uppercase() && !current.is_empty() && !previous_upper {
            words.push(std::mem::take(&mut current));
        }
        previous_upper = c.is_uppercase();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_camel_pascal_kebab_and_acronyms() {
        assert_eq!(words("unit_price"), ["unit", "price"]);
        assert_eq!(words("unitPrice"), ["unit", "price"]);
        assert_eq!(words("TotalAmount2"), ["total", "amount2"]);
        assert_eq!(words("create-order"), ["create", "order"]);
        assert_eq!(words("getURL"), ["get", "url"]);
        assert_eq!(words("APIKeys"), ["apikeys"]);
        assert_eq!(words("TestingConfig"), ["testing", "config"]);
        assert_eq!(words("Config_Debug"), ["config", "debug"]);
        assert!(words("").is_empty());
    }
}
