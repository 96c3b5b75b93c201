//! Which SQL dialect a repository speaks: from configuration, else guessed from markers
//! no other dialect would write. The dialect decides how sqlparser reads statements,
//! how the splitter treats quotes and comments, and how identifiers compare.

use sqlparser::dialect::{
    Dialect, GenericDialect, MsSqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SqlDialect {
    #[default]
    Postgres,
    Mysql,
    Sqlite,
    Mssql,
    Generic,
}

impl SqlDialect {
    pub fn from_name(name: &str) -> Option<SqlDialect> {
        match name.trim().to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Some(SqlDialect::Postgres),
            "mysql" | "mariadb" => Some(SqlDialect::Mysql),
            "sqlite" | "sqlite3" => Some(SqlDialect::Sqlite),
            "mssql" | "sqlserver" | "tsql" => Some(SqlDialect::Mssql),
            "generic" | "ansi" => Some(SqlDialect::Generic),
            _ => None,
        }
    }

    /// A dialect named by a folder on the path (`mysql/migrations/…`, `db/postgres/…`):
    /// repositories that hold several databases say so in their layout.
    pub fn from_path(path: &str) -> Option<SqlDialect> {
        let dirs = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        dirs.split('/').filter(|d| !d.is_empty()).find_map(|d| {
            match d.to_ascii_lowercase().as_str() {
                "postgres" | "postgresql" | "pg" => Some(SqlDialect::Postgres),
                "mysql" | "mariadb" => Some(SqlDialect::Mysql),
                "sqlite" | "sqlite3" => Some(SqlDialect::Sqlite),
                "mssql" | "sqlserver" => Some(SqlDialect::Mssql),
                _ => None,
            }
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            SqlDialect::Postgres => "postgres",
            SqlDialect::Mysql => "mysql",
            SqlDialect::Sqlite => "sqlite",
            SqlDialect::Mssql => "mssql",
            SqlDialect::Generic => "generic",
        }
    }

    pub fn parser_dialect(self) -> Box<dyn Dialect> {
        match self {
            SqlDialect::Postgres => Box::new(PostgreSqlDialect {}),
            SqlDialect::Mysql => Box::new(MySqlDialect {}),
            SqlDialect::Sqlite => Box::new(SQLiteDialect {}),
            SqlDialect::Mssql => Box::new(MsSqlDialect {}),
            SqlDialect::Generic => Box::new(GenericDialect {}),
        }
    }

    /// The form an identifier is compared in. Postgres (and the standard) fold unquoted
    /// names and keep quoted ones as written; the others compare table and column names
    /// case-insensitively whatever the quoting (MySQL on Linux is case-sensitive for table
    /// names, but projects that rely on that are rare and mostly accidental).
    pub fn fold(self, value: &str, quoted: bool) -> String {
        match self {
            SqlDialect::Postgres | SqlDialect::Generic if quoted => value.to_string(),
            _ => value.to_lowercase(),
        }
    }

    /// The schema an unqualified name lives in, so `public.users` and `users` are one table.
    pub fn default_schema(self) -> Option<&'static str> {
        match self {
            SqlDialect::Postgres => Some("public"),
            SqlDialect::Mssql => Some("dbo"),
            SqlDialect::Sqlite => Some("main"),
            SqlDialect::Mysql | SqlDialect::Generic => None,
        }
    }

    /// The key a table is known by: folded parts joined with `.`, the default schema dropped.
    /// `parts` are `(value, quoted)` pairs as written, outermost first.
    pub fn table_key<'a>(self, parts: impl IntoIterator<Item = (&'a str, bool)>) -> String {
        let folded: Vec<String> = parts
            .into_iter()
            .map(|(value, quoted)| self.fold(value, quoted))
            .collect();
        let skip = match (folded.as_slice(), self.default_schema()) {
            ([schema, _], Some(default)) if schema == default => 1,
            _ => 0,
        };
        folded
            .get(skip..)
            .map(|rest| rest.join("."))
            .unwrap_or_default()
    }

    /// A table key from a name as it appears in text (`public."Users"`, `` `orders` ``),
    /// for names found outside sqlparser (code strings, fallbacks for unparsed statements).
    pub fn table_key_from_text(self, name: &str) -> String {
        self.table_key(split_qualified(name).iter().map(|(v, q)| (v.as_str(), *q)))
    }
}

/// Splits `a."B".c` into its parts, unquoting each; quotes keep dots inside a part.
pub fn split_qualified(name: &str) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = name.trim().chars().peekable();
    while let Some(c) = chars.next() {
        let close = match c {
            '"' => Some('"'),
            '`' => Some('`'),
            '[' => Some(']'),
            _ => None,
        };
        if let Some(close) = close {
            if current.is_empty() {
                quoted = true;
                while let Some(inner) = chars.next() {
                    if inner == close {
                        // A doubled closing quote is an escaped quote, not the end.
                        if chars.peek() == Some(&close) && close != ']' {
                            chars.next();
                            current.push(inner);
                            continue;
                        }
                        break;
                    }
                    current.push(inner);
                }
                continue;
            }
        }
        if c == '.' {
            parts.push((std::mem::take(&mut current), quoted));
            quoted = false;
        } else if !c.is_whitespace() {
            current.push(c);
        }
    }
    parts.push((current, quoted));
    parts
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Backtick,
    DoubleColon,
    DollarQuote,
    Word(&'static str),
    /// A word directly followed by `(` (no space), as `IDENTITY(1,1)` is written.
    Call(&'static str),
    GoLine,
    DelimiterLine,
    EngineAssign,
}

/// Markers and the dialect they point to, with a weight: a marker several dialects
/// accept in some form weighs less than one only a single dialect writes.
const MARKERS: &[(Marker, SqlDialect, u32)] = &[
    (Marker::Backtick, SqlDialect::Mysql, 3),
    (Marker::EngineAssign, SqlDialect::Mysql, 3),
    (Marker::Word("AUTO_INCREMENT"), SqlDialect::Mysql, 3),
    (Marker::DelimiterLine, SqlDialect::Mysql, 3),
    (Marker::Word("UNSIGNED"), SqlDialect::Mysql, 2),
    (Marker::Word("AUTOINCREMENT"), SqlDialect::Sqlite, 3),
    (Marker::Word("PRAGMA"), SqlDialect::Sqlite, 3),
    (Marker::Word("SERIAL"), SqlDialect::Postgres, 2),
    (Marker::Word("BIGSERIAL"), SqlDialect::Postgres, 3),
    (Marker::Word("SMALLSERIAL"), SqlDialect::Postgres, 3),
    (Marker::Word("JSONB"), SqlDialect::Postgres, 3),
    (Marker::Word("TIMESTAMPTZ"), SqlDialect::Postgres, 3),
    (Marker::Word("PLPGSQL"), SqlDialect::Postgres, 3),
    (Marker::Word("CONCURRENTLY"), SqlDialect::Postgres, 3),
    (Marker::DollarQuote, SqlDialect::Postgres, 1),
    (Marker::DoubleColon, SqlDialect::Postgres, 2),
    (Marker::Word("NVARCHAR"), SqlDialect::Mssql, 2),
    (Marker::Call("IDENTITY"), SqlDialect::Mssql, 2),
    (Marker::GoLine, SqlDialect::Mssql, 3),
    (Marker::Word("DBO"), SqlDialect::Mssql, 2),
];

/// Only the start of each file is read: markers show up in the first statements.
const DETECT_BYTES: usize = 256 * 1024;

/// Guesses the dialect from markers only one dialect writes. `None` when nothing is
/// obvious or the evidence is split evenly.
pub fn detect<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<SqlDialect> {
    let mut scores = [0u32; 5];
    for text in texts {
        let mut seen = [false; MARKERS.len()];
        scan_markers(head(text), &mut |marker| {
            for (i, (m, _, _)) in MARKERS.iter().enumerate() {
                if *m == marker {
                    if let Some(s) = seen.get_mut(i) {
                        *s = true;
                    }
                }
            }
        });
        for (i, (_, dialect, weight)) in MARKERS.iter().enumerate() {
            if seen.get(i).copied().unwrap_or(false) {
                if let Some(score) = scores.get_mut(*dialect as usize) {
                    *score += weight;
                }
            }
        }
    }
    let dialects = [
        SqlDialect::Postgres,
        SqlDialect::Mysql,
        SqlDialect::Sqlite,
        SqlDialect::Mssql,
        SqlDialect::Generic,
    ];
    let best = dialects
        .iter()
        .copied()
        .max_by_key(|d| scores.get(*d as usize).copied().unwrap_or(0))?;
    let best_score = scores.get(best as usize).copied().unwrap_or(0);
    let ties = scores.iter().filter(|&&s| s == best_score).count();
    (best_score > 0 && ties == 1).then_some(best)
}

fn head(text: &str) -> &str {
    let mut end = text.len().min(DETECT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
}

/// One pass over the text: words are compared whole and case-insensitively, and string
/// literals and comments are skipped so that prose cannot vote.
fn scan_markers(text: &str, found: &mut dyn FnMut(Marker)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut line_start = true;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'\'' => {
                i = skip_past(bytes, i + 1, b'\'');
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                // Stop on the line break so that the next line starts fresh.
                i = bytes
                    .get(i..)
                    .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
                    .map_or(bytes.len(), |p| i + p);
                continue;
            }
            b'`' => {
                found(Marker::Backtick);
                i += 1;
            }
            b':' if bytes.get(i + 1) == Some(&b':') => {
                found(Marker::DoubleColon);
                i += 2;
            }
            b'$' if bytes.get(i + 1) == Some(&b'$') => {
                found(Marker::DollarQuote);
                i += 2;
            }
            _ if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or("");
                word_markers(word, bytes, i, line_start, found);
            }
            _ => i += 1,
        }
        line_start = false;
    }
}

fn word_markers(
    word: &str,
    bytes: &[u8],
    end: usize,
    line_start: bool,
    found: &mut dyn FnMut(Marker),
) {
    let rest_of_line_blank = || {
        bytes
            .get(end..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&c| c != b'\n')
            .all(|c| c.is_ascii_whitespace() || c.is_ascii_digit())
    };
    if line_start && word.eq_ignore_ascii_case("GO") && rest_of_line_blank() {
        found(Marker::GoLine);
    }
    if line_start && word.eq_ignore_ascii_case("DELIMITER") {
        found(Marker::DelimiterLine);
    }
    if word.eq_ignore_ascii_case("ENGINE") {
        let next = bytes
            .get(end..)
            .unwrap_or(&[])
            .iter()
            .find(|c| !c.is_ascii_whitespace());
        if next == Some(&b'=') {
            found(Marker::EngineAssign);
        }
    }
    for (marker, _, _) in MARKERS {
        match marker {
            Marker::Word(w) if word.eq_ignore_ascii_case(w) => found(*marker),
            Marker::Call(w) if word.eq_ignore_ascii_case(w) && bytes.get(end) == Some(&b'(') => {
                found(*marker)
            }
            _ => {}
        }
    }
}

/// The index just past the next `close` byte at or after `from` (the end if none).
fn skip_past(bytes: &[u8], from: usize, close: u8) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&c| c == close))
        .map_or(bytes.len(), |p| from + p + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_dialects() {
        assert_eq!(
            SqlDialect::from_name("PostgreSQL"),
            Some(SqlDialect::Postgres)
        );
        assert_eq!(SqlDialect::from_name("mariadb"), Some(SqlDialect::Mysql));
        assert_eq!(SqlDialect::from_name("sqlserver"), Some(SqlDialect::Mssql));
        assert_eq!(SqlDialect::from_name("sqlite"), Some(SqlDialect::Sqlite));
        assert_eq!(SqlDialect::from_name("generic"), Some(SqlDialect::Generic));
        assert_eq!(SqlDialect::from_name("oracle"), None);
        assert_eq!(SqlDialect::default(), SqlDialect::Postgres);
    }

    #[test]
    fn folders_name_dialects() {
        assert_eq!(
            SqlDialect::from_path("mysql/migrations/1.sql"),
            Some(SqlDialect::Mysql)
        );
        assert_eq!(
            SqlDialect::from_path("db/Postgres/x.sql"),
            Some(SqlDialect::Postgres)
        );
        assert_eq!(
            SqlDialect::from_path("migrations/mysql.sql"),
            None,
            "file names do not count"
        );
        assert_eq!(SqlDialect::from_path("mysqlish/1.sql"), None);
    }

    #[test]
    fn postgres_keeps_quoted_case_and_others_fold_everything() {
        assert_eq!(SqlDialect::Postgres.fold("Users", false), "users");
        assert_eq!(SqlDialect::Postgres.fold("Users", true), "Users");
        assert_eq!(SqlDialect::Mysql.fold("Users", true), "users");
        assert_eq!(SqlDialect::Mssql.fold("Users", true), "users");
    }

    #[test]
    fn default_schema_is_dropped_from_keys() {
        let pg = SqlDialect::Postgres;
        assert_eq!(pg.table_key([("public", false), ("Users", false)]), "users");
        assert_eq!(
            pg.table_key([("audit", false), ("log", false)]),
            "audit.log"
        );
        assert_eq!(pg.table_key_from_text("public.\"Users\""), "Users");
        assert_eq!(pg.table_key_from_text("\"a.b\".c"), "a.b.c");
        assert_eq!(
            SqlDialect::Mssql.table_key_from_text("[dbo].[Orders]"),
            "orders"
        );
        assert_eq!(
            SqlDialect::Mysql.table_key_from_text("shop.`Orders`"),
            "shop.orders"
        );
    }

    #[test]
    fn detects_obvious_markers() {
        assert_eq!(
            detect(["CREATE TABLE `t` (id int AUTO_INCREMENT) ENGINE=InnoDB;"]),
            Some(SqlDialect::Mysql)
        );
        assert_eq!(
            detect(["CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);"]),
            Some(SqlDialect::Sqlite)
        );
        assert_eq!(
            detect([
                "CREATE TABLE t (id bigserial, data jsonb);",
                "SELECT 1::int;"
            ]),
            Some(SqlDialect::Postgres)
        );
        assert_eq!(
            detect(["CREATE TABLE t (id int IDENTITY(1,1), n NVARCHAR(10))\nGO\n"]),
            Some(SqlDialect::Mssql)
        );
    }

    #[test]
    fn plain_sql_and_prose_do_not_vote() {
        assert_eq!(detect(["CREATE TABLE t (id int PRIMARY KEY);"]), None);
        assert_eq!(
            detect(["-- uses jsonb and AUTO_INCREMENT\nSELECT 'serial `x`';"]),
            None
        );
        assert_eq!(detect(Vec::<&str>::new()), None);
    }

    #[test]
    fn go_must_stand_alone_on_its_line() {
        assert_eq!(detect(["SELECT go FROM t;\n  go_away();"]), None);
    }
}
