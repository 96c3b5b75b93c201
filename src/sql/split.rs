//! Cuts a SQL file into statements without parsing it, so that one statement sqlparser
//! rejects costs that statement only, and every statement keeps its exact byte span.
//!
//! One forward pass over the bytes: every construct that may hide a `;` (strings, quoted
//! identifiers, comments, dollar quotes) is skipped with a search for its end, never
//! rescanned. All delimiters are ASCII, so byte offsets always fall on UTF-8 boundaries.

use crate::source::Span;

use super::dialect::SqlDialect;

/// How the quoting and comment rules of the dialects differ where they matter for
/// finding statement ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitOptions {
    /// `\'` escapes a quote inside `'…'` and `"…"` (MySQL's default SQL mode).
    pub backslash_escapes: bool,
    /// `#` starts a line comment (MySQL).
    pub hash_comments: bool,
    /// `/* /* */ */` nests (Postgres, SQL Server); MySQL and sqlite end at the first `*/`.
    pub nested_comments: bool,
    /// `$$…$$` and `$tag$…$tag$` (Postgres).
    pub dollar_quotes: bool,
    /// `[name]` quotes an identifier (SQL Server, sqlite).
    pub bracket_identifiers: bool,
    /// A line holding only `GO` ends a batch (SQL Server tools).
    pub go_batches: bool,
    /// `DELIMITER //` changes the terminator (mysql client scripts and dumps).
    pub delimiter_command: bool,
}

impl Default for SplitOptions {
    fn default() -> Self {
        SplitOptions::for_dialect(SqlDialect::Postgres)
    }
}

impl SplitOptions {
    pub fn for_dialect(dialect: SqlDialect) -> Self {
        let base = SplitOptions {
            backslash_escapes: false,
            hash_comments: false,
            nested_comments: false,
            dollar_quotes: false,
            bracket_identifiers: false,
            go_batches: false,
            delimiter_command: false,
        };
        match dialect {
            SqlDialect::Postgres | SqlDialect::Generic => SplitOptions {
                nested_comments: true,
                dollar_quotes: true,
                ..base
            },
            SqlDialect::Mysql => SplitOptions {
                backslash_escapes: true,
                hash_comments: true,
                delimiter_command: true,
                ..base
            },
            SqlDialect::Sqlite => SplitOptions {
                bracket_identifiers: true,
                ..base
            },
            SqlDialect::Mssql => SplitOptions {
                nested_comments: true,
                bracket_identifiers: true,
                go_batches: true,
                ..base
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The whole comment, markers included.
    pub span: Span,
    /// The text between the markers, trimmed.
    pub text: String,
    pub block: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unclosed {
    String,
    EscapeString,
    QuotedIdentifier,
    Backtick,
    Bracket,
    DollarQuote,
    BlockComment,
}

impl Unclosed {
    pub fn describe(self) -> &'static str {
        match self {
            Unclosed::String => "string literal",
            Unclosed::EscapeString => "E'…' string literal",
            Unclosed::QuotedIdentifier => "quoted identifier",
            Unclosed::Backtick => "backtick-quoted identifier",
            Unclosed::Bracket => "bracketed identifier",
            Unclosed::DollarQuote => "dollar-quoted string",
            Unclosed::BlockComment => "block comment",
        }
    }
}

/// A construct still open at the end of the file: everything after its opening
/// delimiter was swallowed into one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unterminated {
    pub what: Unclosed,
    /// The opening delimiter (`'`, `E'`, `$tag$`, `/*`, …).
    pub open: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawStatement {
    /// The statement, trimmed of surrounding whitespace, without its terminator.
    pub span: Span,
    /// Comments between the previous statement and this one, plus comments that trail
    /// this statement on the line of its terminator (`…; -- note`).
    pub comments: Vec<Comment>,
    pub unterminated: Option<Unterminated>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    pub statements: Vec<RawStatement>,
    /// Comments inside statements and after the last one.
    pub other_comments: Vec<Comment>,
}

/// Splits with Postgres quoting rules; see [`scan`] for the other dialects.
pub fn split_statements(text: &str) -> Vec<RawStatement> {
    scan(text, SplitOptions::default()).statements
}

pub fn scan(text: &str, options: SplitOptions) -> Scan {
    Scanner {
        text,
        bytes: text.as_bytes(),
        options,
        out: Scan::default(),
        start: None,
        pending: Vec::new(),
        trailing_of: None,
        delimiter: None,
        words: 0,
        routine: false,
        depth: 0,
        pending_end: false,
    }
    .run()
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    options: SplitOptions,
    out: Scan,
    /// First byte of the statement being read.
    start: Option<usize>,
    /// Comments waiting for the next statement.
    pending: Vec<Comment>,
    /// The statement whose terminator line is still open, for trailing comments.
    trailing_of: Option<usize>,
    /// A terminator set with `DELIMITER`; `None` is `;`.
    delimiter: Option<String>,
    /// Words read in the current statement, to recognise a routine head.
    words: usize,
    /// The statement creates a trigger, function or procedure whose body may be a
    /// `BEGIN … END` block (SQLite triggers, `BEGIN ATOMIC`, MySQL routines without
    /// `DELIMITER`): its inner `;` do not end it.
    routine: bool,
    /// Open `BEGIN`/`CASE` blocks in a routine body.
    depth: usize,
    /// An `END` was read; it closes a block unless the next word is `IF`, `LOOP`, ...
    pending_end: bool,
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

impl Scanner<'_> {
    fn byte(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn run(mut self) -> Scan {
        let len = self.bytes.len();
        let mut i = 0;
        // Only whitespace since the last line break: `GO` and `DELIMITER` must open a line.
        let mut line_blank = true;
        while let Some(b) = self.byte(i) {
            if let Some(delimiter) = &self.delimiter {
                if self
                    .bytes
                    .get(i..)
                    .is_some_and(|rest| rest.starts_with(delimiter.as_bytes()))
                {
                    let width = delimiter.len();
                    self.finish(i);
                    i += width;
                    line_blank = false;
                    continue;
                }
            }
            let next = self.byte(i + 1);
            let step = match b {
                b'\n' => {
                    line_blank = true;
                    self.trailing_of = None;
                    i += 1;
                    continue;
                }
                b' ' | b'\t' | b'\r' | b'\x0c' => {
                    i += 1;
                    continue;
                }
                b'-' if next == Some(b'-') => Step::Comment(self.line_comment(i, 2)),
                b'#' if self.options.hash_comments => Step::Comment(self.line_comment(i, 1)),
                b'/' if next == Some(b'*') => match self.block_comment(i) {
                    Some(comment) => Step::Comment(comment),
                    None => Step::Open(Unclosed::BlockComment, i + 2),
                },
                b';' if self.delimiter.is_none() => {
                    if self.pending_end {
                        self.pending_end = false;
                        self.depth = self.depth.saturating_sub(1);
                    }
                    if self.depth == 0 {
                        self.finish(i);
                    }
                    i += 1;
                    line_blank = false;
                    continue;
                }
                b'\'' => {
                    let escape = self.is_escape_string(i);
                    let what = if escape {
                        Unclosed::EscapeString
                    } else {
                        Unclosed::String
                    };
                    let backslash = escape || self.options.backslash_escapes;
                    self.quoted(i, b'\'', backslash, what)
                }
                b'"' => self.quoted(
                    i,
                    b'"',
                    self.options.backslash_escapes,
                    Unclosed::QuotedIdentifier,
                ),
                b'`' => self.quoted(i, b'`', false, Unclosed::Backtick),
                b'[' if self.options.bracket_identifiers => {
                    self.quoted(i, b']', false, Unclosed::Bracket)
                }
                b'$' if self.options.dollar_quotes => match self.dollar_tag(i) {
                    Some(tag_end) => self.dollar_quoted(i, tag_end),
                    None => Step::Token(i + 1),
                },
                _ => {
                    if line_blank && self.options.go_batches {
                        if let Some(line_end) = self.go_line(i) {
                            self.finish(i);
                            i = line_end;
                            continue;
                        }
                    }
                    if line_blank && self.start.is_none() && self.options.delimiter_command {
                        if let Some(line_end) = self.delimiter_line(i) {
                            i = line_end;
                            continue;
                        }
                    }
                    Step::Token(self.word_end(i))
                }
            };
            line_blank = false;
            match step {
                Step::Token(end) => {
                    self.begin(i);
                    self.word(i, end);
                    i = end;
                }
                Step::Comment(comment) => {
                    i = comment.span.end;
                    self.comment(comment);
                }
                Step::Open(what, open_end) => {
                    // Whatever was open swallows the rest of the file.
                    self.begin(i);
                    let open_start = if what == Unclosed::EscapeString {
                        i.saturating_sub(1)
                    } else {
                        i
                    };
                    self.finish_unterminated(Unterminated {
                        what,
                        open: Span::new(open_start, open_end),
                    });
                    i = len;
                }
            }
        }
        self.finish(len);
        self.out.other_comments.append(&mut self.pending);
        self.out
    }

    fn begin(&mut self, at: usize) {
        if self.start.is_none() {
            self.start = Some(at);
            self.trailing_of = None;
        }
    }

    fn comment(&mut self, comment: Comment) {
        if self.start.is_some() {
            self.out.other_comments.push(comment);
        } else if let Some(statement) = self
            .trailing_of
            .and_then(|index| self.out.statements.get_mut(index))
        {
            statement.comments.push(comment);
        } else {
            self.pending.push(comment);
        }
    }

    fn trimmed_end(&self, start: usize, end: usize) -> usize {
        let mut end = end.min(self.bytes.len());
        while end > start
            && self
                .byte(end - 1)
                .is_some_and(|b| b.is_ascii_whitespace() || b == b'\x0c')
        {
            end -= 1;
        }
        end
    }

    /// Follows `BEGIN … END` blocks in routine bodies.
    fn word(&mut self, start: usize, end: usize) {
        let Some(word) = self.text.get(start..end) else {
            return;
        };
        let upper = word.to_ascii_uppercase();
        self.words += 1;
        if self.words == 1 {
            self.routine = false;
            self.depth = 0;
            self.pending_end = false;
        }
        if self.words <= 8
            && matches!(upper.as_str(), "TRIGGER" | "FUNCTION" | "PROCEDURE")
            && self
                .text
                .get(self.start.unwrap_or(start)..start)
                .is_some_and(|head| {
                    head.trim_start()
                        .get(..6)
                        .is_some_and(|w| w.eq_ignore_ascii_case("create"))
                })
        {
            self.routine = true;
        }
        if !self.routine {
            return;
        }
        if self.pending_end {
            self.pending_end = false;
            if !matches!(upper.as_str(), "IF" | "LOOP" | "WHILE" | "REPEAT" | "FOR") {
                self.depth = self.depth.saturating_sub(1);
            }
        }
        match upper.as_str() {
            "BEGIN" => self.depth += 1,
            "CASE" if self.depth > 0 => self.depth += 1,
            "END" if self.depth > 0 => self.pending_end = true,
            _ => {}
        }
    }

    fn finish(&mut self, end: usize) {
        self.words = 0;
        self.routine = false;
        self.depth = 0;
        self.pending_end = false;
        let Some(start) = self.start.take() else {
            return;
        };
        let end = self.trimmed_end(start, end);
        self.out.statements.push(RawStatement {
            span: Span::new(start, end),
            comments: std::mem::take(&mut self.pending),
            unterminated: None,
        });
        self.trailing_of = Some(self.out.statements.len() - 1);
    }

    fn finish_unterminated(&mut self, unterminated: Unterminated) {
        self.finish(self.bytes.len());
        if let Some(last) = self.out.statements.last_mut() {
            last.unterminated = Some(unterminated);
        }
        self.trailing_of = None;
    }

    /// The end of a run of identifier bytes (at least one byte), so ordinary words are
    /// consumed whole and a `$` inside `a$b` is never taken for a dollar quote.
    fn word_end(&self, i: usize) -> usize {
        if !self.byte(i).is_some_and(is_ident_byte) {
            return i + 1;
        }
        let mut end = i + 1;
        while self
            .byte(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80)
        {
            end += 1;
        }
        end
    }

    fn line_end(&self, from: usize) -> usize {
        self.bytes
            .get(from..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
            .map_or(self.bytes.len(), |p| from + p)
    }

    fn line_comment(&self, i: usize, marker: usize) -> Comment {
        let end = self.line_end(i);
        let body = self.text.get(i + marker..end).unwrap_or("");
        let end = end - (body.len() - body.trim_end_matches('\r').len());
        Comment {
            span: Span::new(i, end),
            text: body.trim().to_string(),
            block: false,
        }
    }

    /// `None` when the comment never closes.
    fn block_comment(&self, i: usize) -> Option<Comment> {
        let mut depth = 0usize;
        let mut j = i;
        loop {
            let rest = self.bytes.get(j..)?;
            let p = rest.iter().position(|&b| b == b'*' || b == b'/')?;
            j += p;
            match (self.byte(j), self.byte(j + 1)) {
                (Some(b'/'), Some(b'*')) if depth == 0 || self.options.nested_comments => {
                    depth += 1;
                    j += 2;
                }
                (Some(b'*'), Some(b'/')) => {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        let inner = self.text.get(i + 2..j - 2).unwrap_or("");
                        return Some(Comment {
                            span: Span::new(i, j),
                            text: inner.trim().to_string(),
                            block: true,
                        });
                    }
                }
                _ => j += 1,
            }
        }
    }

    /// `E'…'` (any case) is a Postgres string with backslash escapes, unless the `E` ends
    /// a longer word (`SOME'…'` is not an escape string).
    fn is_escape_string(&self, quote: usize) -> bool {
        if !self.options.dollar_quotes || quote == 0 {
            return false;
        }
        let e = self.byte(quote - 1);
        let before = quote.checked_sub(2).and_then(|p| self.byte(p));
        matches!(e, Some(b'e' | b'E')) && !before.is_some_and(is_ident_byte)
    }

    fn quoted(&self, i: usize, close: u8, backslash: bool, what: Unclosed) -> Step {
        let mut j = i + 1;
        loop {
            let Some(rest) = self.bytes.get(j..) else {
                return Step::Open(what, i + 1);
            };
            let found = rest
                .iter()
                .position(|&b| b == close || (backslash && b == b'\\'));
            let Some(p) = found else {
                return Step::Open(what, i + 1);
            };
            j += p;
            if self.byte(j) == Some(b'\\') && backslash {
                j += 2;
                continue;
            }
            // A doubled closing quote is an escaped quote.
            if self.byte(j + 1) == Some(close) {
                j += 2;
                continue;
            }
            return Step::Token(j + 1);
        }
    }

    /// The end of a `$tag$` opening at `i`, or `None` when this `$` is a parameter
    /// (`$1`), part of an identifier, or a lone dollar.
    fn dollar_tag(&self, i: usize) -> Option<usize> {
        if i > 0 && self.byte(i - 1).is_some_and(is_ident_byte) {
            return None;
        }
        let first = self.byte(i + 1)?;
        if first == b'$' {
            return Some(i + 2);
        }
        if !(first.is_ascii_alphabetic() || first == b'_' || first >= 0x80) {
            return None;
        }
        let mut j = i + 2;
        while let Some(b) = self.byte(j) {
            if b == b'$' {
                return Some(j + 1);
            }
            if !(b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80) {
                return None;
            }
            j += 1;
        }
        None
    }

    fn dollar_quoted(&self, i: usize, tag_end: usize) -> Step {
        let tag = self.text.get(i..tag_end).unwrap_or("$$");
        match self.text.get(tag_end..).and_then(|rest| rest.find(tag)) {
            Some(p) => Step::Token(tag_end + p + tag.len()),
            None => Step::Open(Unclosed::DollarQuote, tag_end),
        }
    }

    /// A line holding only `GO` (and an optional repeat count): the end of the line.
    fn go_line(&self, i: usize) -> Option<usize> {
        let word = self.bytes.get(i..i + 2)?;
        if !word.eq_ignore_ascii_case(b"go") {
            return None;
        }
        let end = self.line_end(i);
        let rest = self.bytes.get(i + 2..end)?;
        rest.iter()
            .all(|b| b.is_ascii_whitespace() || b.is_ascii_digit())
            .then_some(end)
    }

    /// `DELIMITER x` on its own line sets the terminator: the end of the line.
    fn delimiter_line(&mut self, i: usize) -> Option<usize> {
        const WORD: &[u8] = b"delimiter";
        let word = self.bytes.get(i..i + WORD.len())?;
        if !word.eq_ignore_ascii_case(WORD) {
            return None;
        }
        if !self
            .byte(i + WORD.len())
            .is_some_and(|b| b == b' ' || b == b'\t')
        {
            return None;
        }
        let end = self.line_end(i);
        let value = self.text.get(i + WORD.len()..end)?.trim();
        let value = value.split_whitespace().next()?;
        self.delimiter = (value != ";").then(|| value.to_string());
        Some(end)
    }
}

enum Step {
    /// An ordinary token (or quoted construct) ending at this offset.
    Token(usize),
    Comment(Comment),
    /// A construct that never closes; the offset is the end of its opening delimiter.
    Open(Unclosed, usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routine_bodies_in_begin_end_blocks_stay_whole() {
        let text = "CREATE TRIGGER t AFTER DELETE ON a BEGIN\n  DELETE FROM audit;\n  UPDATE b SET x = CASE WHEN 1 THEN 2 END;\nEND;\nSELECT 1;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nBEGIN;\nCOMMIT;";
        let parts: Vec<&str> = split_statements(text)
            .iter()
            .map(|s| &text[s.span.start..s.span.end])
            .collect();
        assert_eq!(parts.len(), 5, "{parts:?}");
        assert!(parts[0].ends_with("END"), "{parts:?}");
        assert_eq!(parts[1], "SELECT 1");
        assert!(parts[2].ends_with("SELECT 2; END"), "{parts:?}");
        assert_eq!(parts[3], "BEGIN");
    }

    fn texts(text: &str) -> Vec<&str> {
        split_statements(text)
            .iter()
            .map(|s| &text[s.span.start..s.span.end])
            .collect()
    }

    fn texts_with(text: &str, dialect: SqlDialect) -> Vec<&str> {
        scan(text, SplitOptions::for_dialect(dialect))
            .statements
            .iter()
            .map(|s| &text[s.span.start..s.span.end])
            .collect()
    }

    #[test]
    fn splits_on_semicolons_and_trims() {
        assert_eq!(
            texts("  SELECT 1;\n\nSELECT 2 ;;\n  SELECT 3  "),
            vec!["SELECT 1", "SELECT 2", "SELECT 3"]
        );
        assert!(texts("  ;; \n").is_empty());
    }

    #[test]
    fn semicolons_inside_quotes_and_comments_do_not_split() {
        let sql =
            "SELECT 'a;''b', \"c;d\", `e;f` /* g; /* nested; */ h; */ FROM t -- i;\n;SELECT 2";
        assert_eq!(
            texts(sql),
            vec![
                "SELECT 'a;''b', \"c;d\", `e;f` /* g; /* nested; */ h; */ FROM t -- i;",
                "SELECT 2"
            ]
        );
    }

    #[test]
    fn escape_strings_honour_backslashes_but_plain_strings_do_not() {
        assert_eq!(
            texts("SELECT E'a\\';b'; SELECT 2"),
            vec!["SELECT E'a\\';b'", "SELECT 2"]
        );
        assert_eq!(
            texts("SELECT 'a\\'; SELECT 2"),
            vec!["SELECT 'a\\'", "SELECT 2"]
        );
        // `some'…'` is not an escape string: the word before the quote is longer than `E`.
        assert_eq!(
            texts("SELECT some'a\\'; SELECT 2"),
            vec!["SELECT some'a\\'", "SELECT 2"]
        );
    }

    #[test]
    fn dollar_quotes_hide_semicolons_but_parameters_are_not_quotes() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN x := 1; $$ inner $$; END; $body$ LANGUAGE plpgsql;\nSELECT $1, $2;SELECT a$b$c";
        assert_eq!(
            texts(sql),
            vec![
                "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN x := 1; $$ inner $$; END; $body$ LANGUAGE plpgsql",
                "SELECT $1, $2",
                "SELECT a$b$c"
            ]
        );
        assert_eq!(
            texts("DO $$ BEGIN; END $$; SELECT 1"),
            vec!["DO $$ BEGIN; END $$", "SELECT 1"]
        );
    }

    #[test]
    fn preceding_and_trailing_comments_attach_to_their_statement() {
        let sql = "-- header\n/* block */\nCREATE TABLE a (x int); -- trailing a\n-- before b\nCREATE TABLE b (y int -- inside\n);\n-- at the end\n";
        let scan = scan(sql, SplitOptions::default());
        let [a, b] = scan.statements.as_slice() else {
            panic!("expected two statements, got {:?}", scan.statements);
        };
        let texts = |s: &RawStatement| {
            s.comments
                .iter()
                .map(|c| c.text.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(a), vec!["header", "block", "trailing a"]);
        assert_eq!(texts(b), vec!["before b"]);
        assert!(a.comments.get(1).is_some_and(|c| c.block));
        assert_eq!(
            &sql[a.comments[0].span.start..a.comments[0].span.end],
            "-- header"
        );
        let others: Vec<_> = scan
            .other_comments
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(others, vec!["inside", "at the end"]);
    }

    #[test]
    fn crlf_line_comments_exclude_the_carriage_return() {
        let sql = "-- note\r\nSELECT 1;\r\n";
        let statements = split_statements(sql);
        assert_eq!(statements.len(), 1);
        let comment = &statements[0].comments[0];
        assert_eq!(&sql[comment.span.start..comment.span.end], "-- note");
        assert_eq!(
            &sql[statements[0].span.start..statements[0].span.end],
            "SELECT 1"
        );
    }

    #[test]
    fn unterminated_constructs_swallow_the_rest_of_the_file() {
        for (sql, what, open) in [
            ("SELECT 1; SELECT 'abc; SELECT 2;", Unclosed::String, "'"),
            (
                "SELECT 1; SELECT E'a\\'; SELECT 2;",
                Unclosed::EscapeString,
                "E'",
            ),
            (
                "SELECT 1; SELECT \"abc; x",
                Unclosed::QuotedIdentifier,
                "\"",
            ),
            (
                "SELECT 1; DO $tag$ BEGIN; END $$;",
                Unclosed::DollarQuote,
                "$tag$",
            ),
            (
                "SELECT 1; SELECT /* a /* b */ c;",
                Unclosed::BlockComment,
                "/*",
            ),
            (
                "SELECT 1;\n/* never closed; SELECT 2;",
                Unclosed::BlockComment,
                "/*",
            ),
        ] {
            let statements = split_statements(sql);
            assert_eq!(statements.len(), 2, "{sql}");
            let last = &statements[1];
            let unterminated = last.unterminated.as_ref().expect(sql);
            assert_eq!(unterminated.what, what, "{sql}");
            assert_eq!(
                &sql[unterminated.open.start..unterminated.open.end],
                open,
                "{sql}"
            );
            assert_eq!(last.span.end, sql.len(), "{sql}");
            assert!(statements[0].unterminated.is_none());
        }
    }

    #[test]
    fn mysql_rules_backslashes_hash_comments_and_delimiter() {
        let sql = "INSERT INTO t VALUES ('it\\'s; fine', \"q\\\";\"); # c;\nDELIMITER //\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END//\nDELIMITER ;\nSELECT 1;";
        assert_eq!(
            texts_with(sql, SqlDialect::Mysql),
            vec![
                "INSERT INTO t VALUES ('it\\'s; fine', \"q\\\";\")",
                "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END",
                "SELECT 1"
            ]
        );
        // MySQL has no nested comments: the first `*/` closes.
        assert_eq!(
            texts_with("/* a /* b */ SELECT 1; SELECT 2", SqlDialect::Mysql),
            vec!["SELECT 1", "SELECT 2"]
        );
    }

    #[test]
    fn mssql_go_lines_and_brackets() {
        let sql = "CREATE TABLE [a;b] (x int)\nGO\nSELECT 1\n  go 2\nSELECT gone";
        assert_eq!(
            texts_with(sql, SqlDialect::Mssql),
            vec!["CREATE TABLE [a;b] (x int)", "SELECT 1", "SELECT gone"]
        );
    }

    #[test]
    fn multibyte_text_keeps_char_boundaries() {
        let sql = "SELECT 'é;ü' AS ñ; SELECT $é$ x; $é$; -- ß\nSELECT 3";
        let statements = split_statements(sql);
        assert_eq!(statements.len(), 3);
        for s in &statements {
            assert!(sql.is_char_boundary(s.span.start) && sql.is_char_boundary(s.span.end));
        }
        assert_eq!(
            &sql[statements[1].span.start..statements[1].span.end],
            "SELECT $é$ x; $é$"
        );
    }

    #[test]
    fn pathological_inputs_finish() {
        let many_quotes = "'".repeat(100_001);
        assert_eq!(split_statements(&many_quotes).len(), 1);
        let many_dollars = "$".repeat(100_000);
        assert_eq!(split_statements(&many_dollars).len(), 1);
        let many_openers = "/*".repeat(50_000);
        assert!(split_statements(&many_openers)[0].unterminated.is_some());
        let many_semis = ";".repeat(100_000);
        assert!(split_statements(&many_semis).is_empty());
        for text in ["$", "$a", "E'", "--", "/*", "'", "a$", "-"] {
            let _ = split_statements(text);
        }
    }
}
