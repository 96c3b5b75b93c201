//! SQL: statement splitting, parsing with sqlparser, migration replay into the schema model
//! and query facts. Parsers here do not judge; rules under `rules/db` do.
