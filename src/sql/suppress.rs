//! `-- archlint-ignore[db/rule]: reason` comments in SQL files. Collected here, applied
//! by the suppression engine: this module only says what each comment covers.

use crate::finding::Location;
use crate::source::{SharedSource, Span};

use super::split::{Comment, Scan};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlSuppressionScope {
    /// The statement the comment precedes (or trails on its terminator's line, or sits
    /// inside). An empty span at the end of the file when no statement follows.
    Statement(Span),
    File,
}

#[derive(Debug, Clone)]
pub struct SqlSuppression {
    /// A rule id or area, as written.
    pub rule: String,
    pub reason: Option<String>,
    /// The comment.
    pub location: Location,
    pub scope: SqlSuppressionScope,
}

const FILE_MARKER: &str = "archlint-ignore-file[";
const MARKER: &str = "archlint-ignore[";

/// Every suppression in a scanned file.
pub(crate) fn collect(file: &SharedSource, scan: &Scan) -> Vec<SqlSuppression> {
    let mut out = Vec::new();
    for statement in &scan.statements {
        for comment in &statement.comments {
            parse(
                file,
                comment,
                SqlSuppressionScope::Statement(statement.span),
                &mut out,
            );
        }
    }
    let end = Span::new(file.text.len(), file.text.len());
    for comment in &scan.other_comments {
        // Statements are in file order: the one holding the comment, if any, is the
        // last that starts before it.
        let index = scan
            .statements
            .partition_point(|s| s.span.start <= comment.span.start);
        let holder = index
            .checked_sub(1)
            .and_then(|i| scan.statements.get(i))
            .filter(|s| s.span.end >= comment.span.end);
        let scope = SqlSuppressionScope::Statement(holder.map_or(end, |s| s.span));
        parse(file, comment, scope, &mut out);
    }
    out
}

fn parse(
    file: &SharedSource,
    comment: &Comment,
    scope: SqlSuppressionScope,
    out: &mut Vec<SqlSuppression>,
) {
    let text = comment.text.as_str();
    let (rest, scope) = if let Some(at) = text.find(FILE_MARKER) {
        (
            text.get(at + FILE_MARKER.len()..),
            SqlSuppressionScope::File,
        )
    } else if let Some(at) = text.find(MARKER) {
        (text.get(at + MARKER.len()..), scope)
    } else {
        return;
    };
    let Some((ids, after)) = rest.and_then(|r| r.split_once(']')) else {
        return;
    };
    let reason = after
        .trim_start()
        .strip_prefix(':')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    for id in ids.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        out.push(SqlSuppression {
            rule: id.to_string(),
            reason: reason.clone(),
            location: Location::new(file, comment.span),
            scope: scope.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use crate::sql::split::{scan, SplitOptions};
    use std::sync::Arc;

    fn suppressions(sql: &str) -> (SharedSource, Vec<SqlSuppression>) {
        let file: SharedSource =
            Arc::new(SourceFile::new("m.sql".into(), "m.sql".into(), sql.into()));
        let found = collect(&file, &scan(sql, SplitOptions::default()));
        (file, found)
    }

    #[test]
    fn statement_and_file_suppressions() {
        let sql = "-- archlint-ignore-file[db/sql-parse-error]: generated file\nCREATE TABLE a (x int);\n-- archlint-ignore[db/fk-without-index, db/x]: small table\nCREATE TABLE b (y int REFERENCES a);\n";
        let (file, found) = suppressions(sql);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].rule, "db/sql-parse-error");
        assert_eq!(found[0].scope, SqlSuppressionScope::File);
        assert_eq!(found[0].reason.as_deref(), Some("generated file"));
        assert_eq!(found[1].rule, "db/fk-without-index");
        assert_eq!(found[2].rule, "db/x");
        let SqlSuppressionScope::Statement(span) = found[1].scope else {
            panic!("{:?}", found[1].scope);
        };
        assert_eq!(file.slice(span), "CREATE TABLE b (y int REFERENCES a)");
        assert_eq!(
            file.slice(found[1].location.span),
            "-- archlint-ignore[db/fk-without-index, db/x]: small table"
        );
    }

    #[test]
    fn comments_inside_a_statement_cover_it_and_trailing_ones_cover_nothing() {
        let sql = "CREATE TABLE t (\n  /* archlint-ignore[db/a] */ x int\n);\n-- archlint-ignore[db/b]: nothing follows\n";
        let (file, found) = suppressions(sql);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].reason, None);
        let SqlSuppressionScope::Statement(inside) = found[0].scope else {
            panic!();
        };
        assert!(file.slice(inside).starts_with("CREATE TABLE t"));
        assert_eq!(
            found[1].scope,
            SqlSuppressionScope::Statement(Span::new(sql.len(), sql.len()))
        );
    }

    #[test]
    fn malformed_markers_are_ignored() {
        let (_, found) =
            suppressions("-- archlint-ignore db/x\n-- archlint-ignore[db/y\nSELECT 1;");
        assert!(found.is_empty());
    }
}
