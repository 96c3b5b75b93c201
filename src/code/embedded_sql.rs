//! SQL written as string constants in code and passed to an execute call: read into
//! the same query facts as `.sql` files, so the SQL rules judge it too.

use crate::finding::Location;
use crate::model::code::{Call, CodeModel, Value};
use crate::model::query::QueryFact;
use crate::source::Span;
use crate::sql::{analyse_query_text, SqlDialect};

/// Calls that send their first argument to the database as SQL text.
/// The last segments of the callees [`is_sql_sink`] accepts.
pub const SQL_SINK_METHODS: &[&str] = &[
    "execute",
    "executemany",
    "executescript",
    "exec_driver_sql",
    "mogrify",
    "raw",
    "RawSQL",
    "text",
];

pub fn is_sql_sink(call: &Call) -> bool {
    match call.method() {
        "execute" | "executemany" | "executescript" | "exec_driver_sql" | "mogrify" => true,
        // Django `Model.objects.raw(...)`, `RawSQL(...)`; SQLAlchemy `text(...)`.
        "raw" => call.callee.contains("objects") || call.callee.contains("manager"),
        "RawSQL" => true,
        "text" => matches!(
            call.callee.as_str(),
            "text" | "sa.text" | "sqlalchemy.text" | "sql.text" | "db.text"
        ),
        _ => false,
    }
}

/// Migration scripts (Alembic `versions/`, Django `migrations/`, a hand-written
/// `migrations.py` module): their SQL backfills and fixes are not application queries,
/// and their model classes are snapshots. Test code is left out of the queries too: it
/// wipes and fills tables on purpose.
pub fn is_migration_path(path: &str) -> bool {
    path.split('/').any(|d| {
        matches!(
            d,
            "migrations" | "versions" | "revisions" | "alembic" | "migrations.py"
        )
    })
}

pub fn queries(code: &CodeModel, dialect: SqlDialect) -> Vec<QueryFact> {
    let mut out = Vec::new();
    for call in code.calls_named(SQL_SINK_METHODS).into_iter().filter(|c| {
        is_sql_sink(c)
            && !is_migration_path(c.location.path())
            && !code.file(c.location.path()).is_some_and(|f| f.is_test)
    }) {
        let Some(arg) = call.positional(0) else {
            continue;
        };
        let Value::Str(sql) = &arg.value else {
            continue;
        };
        // Where the text starts in the file: after the string's prefix and quotes.
        let literal = arg.location.file.slice(arg.location.span);
        let start = literal
            .find(sql.as_str())
            .filter(|_| !sql.is_empty())
            .map_or(arg.location.span.start, |i| arg.location.span.start + i);
        let base = Location::new(&arg.location.file, Span::new(start, start + sql.len()));
        out.extend(analyse_query_text(&placeholders(sql), dialect, &base));
    }
    out
}

/// DB-API placeholders (`%s`, `%(name)s`) are not SQL; they become `$1` padded to the
/// same length, so the parser reads the statement and offsets stay true.
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let width = if tail.starts_with("%s") {
            2
        } else if tail.starts_with("%(") {
            tail.find(")s").map_or(0, |end| end + 2)
        } else {
            0
        };
        if width >= 2 {
            out.push_str("$1");
            out.push_str(&" ".repeat(width - 2));
            rest = &tail[width..];
        } else {
            out.push('%');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_keep_their_width() {
        assert_eq!(
            placeholders("a = %s AND b = %(name)s"),
            "a = $1 AND b = $1      "
        );
        assert_eq!(placeholders("LIKE '50%'"), "LIKE '50%'");
    }
}
