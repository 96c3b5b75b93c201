//! Positions inside one statement's text: sqlparser reports line/column pairs relative
//! to the text it was given; facts need byte spans in the file. Also a tiny tokenizer for
//! statement heads, used where sqlparser cannot help (statements it rejects, syntax it
//! does not know yet).

use std::borrow::Cow;
use std::cell::Cell;
use std::cell::OnceCell;

use sqlparser::tokenizer::{Location as SqlLocation, Span as SqlSpan};

use crate::source::Span;

pub(crate) struct StatementText<'a> {
    pub text: &'a str,
    /// Offset of `text` in its file.
    pub base: usize,
    ascii: bool,
    line_starts: OnceCell<Vec<usize>>,
    /// The last line/column looked up and its offset: lookups mostly move forward, so a
    /// long non-ASCII line is walked once rather than once per lookup.
    cursor: Cell<(u64, u64, usize)>,
}

impl<'a> StatementText<'a> {
    pub fn new(text: &'a str, base: usize) -> Self {
        StatementText {
            text,
            base,
            ascii: text.is_ascii(),
            line_starts: OnceCell::new(),
            cursor: Cell::new((0, 0, 0)),
        }
    }

    /// The whole statement, in file offsets.
    pub fn span(&self) -> Span {
        Span::new(self.base, self.base + self.text.len())
    }

    /// File offsets of a range of this text.
    pub fn absolute(&self, start: usize, end: usize) -> Span {
        let len = self.text.len();
        Span::new(self.base + start.min(len), self.base + end.min(len))
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    self.text
                        .bytes()
                        .enumerate()
                        .filter(|&(_, b)| b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect()
        })
    }

    /// The offset in this text of a sqlparser location (1-based line, 1-based column
    /// counted in characters); `None` for the empty location sqlparser uses for "unknown".
    pub fn offset(&self, location: SqlLocation) -> Option<usize> {
        if location.line == 0 || location.column == 0 {
            return None;
        }
        let line_index = usize::try_from(location.line - 1).ok()?;
        let line_start = *self.line_starts().get(line_index)?;
        let column = usize::try_from(location.column - 1).ok()?;
        if self.ascii {
            let offset = line_start.checked_add(column)?;
            return (offset <= self.text.len()).then_some(offset);
        }
        let (cached_line, cached_column, cached_offset) = self.cursor.get();
        let (mut offset, mut remaining) =
            if cached_line == location.line && cached_column <= location.column {
                (
                    cached_offset,
                    usize::try_from(location.column - cached_column).ok()?,
                )
            } else {
                (line_start, column)
            };
        let rest = self.text.get(offset..)?;
        for c in rest.chars() {
            if remaining == 0 || c == '\n' {
                break;
            }
            offset += c.len_utf8();
            remaining -= 1;
        }
        self.cursor.set((location.line, location.column, offset));
        Some(offset)
    }

    /// A sqlparser span as offsets in this text.
    pub fn range(&self, span: SqlSpan) -> Option<(usize, usize)> {
        let start = self.offset(span.start)?;
        let end = self.offset(span.end)?;
        Some((start, end.max(start)))
    }

    /// Moves `start` back over the keywords that open a clause (`CONSTRAINT`, `FOREIGN
    /// KEY`, `REFERENCES`, …) and any `(` between them, so a span found from the
    /// identifiers inside a clause covers the clause.
    pub fn keyword_start(&self, start: usize, keywords: &[&str]) -> usize {
        let bytes = self.text.as_bytes();
        let mut accepted = start.min(bytes.len());
        let mut i = accepted;
        loop {
            while i > 0
                && bytes
                    .get(i - 1)
                    .is_some_and(|b| b.is_ascii_whitespace() || *b == b'(')
            {
                i -= 1;
            }
            let word_end = i;
            while i > 0
                && bytes
                    .get(i - 1)
                    .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
            {
                i -= 1;
            }
            let word = self.text.get(i..word_end).unwrap_or("");
            if word.is_empty() || !keywords.iter().any(|k| k.eq_ignore_ascii_case(word)) {
                return accepted;
            }
            accepted = i;
        }
    }

    /// The end of the list item starting at `start`: the next `,` or `)` outside nested
    /// parentheses, quotes and comments (or the end of the text), trailing space and
    /// comments excluded.
    pub fn item_end(&self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut depth = 0usize;
        let mut i = start;
        let mut last_token_end = start;
        while let Some(&b) = bytes.get(i) {
            match b {
                b',' | b')' if depth == 0 => break,
                b'(' => depth += 1,
                b')' => depth -= 1,
                b'-' if bytes.get(i + 1) == Some(&b'-') => {
                    i = find_from(bytes, i, b"\n").unwrap_or(bytes.len());
                    continue;
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i = find_from(bytes, i + 2, b"*/").map_or(bytes.len(), |p| p + 2);
                    continue;
                }
                b'\'' | b'"' | b'`' => {
                    let close = find_from(bytes, i + 1, &[b]).map_or(bytes.len(), |p| p + 1);
                    i = close;
                    last_token_end = close;
                    continue;
                }
                _ => {}
            }
            i += 1;
            if !b.is_ascii_whitespace() {
                last_token_end = i;
            }
        }
        last_token_end
    }

    /// Moves `end` past the `)` closing the referenced columns (when there are any: else
    /// a `)` there closes something else) and past `ON DELETE …`/`ON UPDATE …` actions.
    pub fn references_end(&self, end: usize, has_columns: bool) -> usize {
        let mut end = end;
        let mut words = Words::new(self.text, end);
        if has_columns {
            if let Some(after) = words.punct(b')') {
                end = after;
            }
        }
        loop {
            let mut probe = words.clone();
            let (Some(on), Some(event)) = (probe.word(), probe.word()) else {
                return end;
            };
            if !on.0.eq_ignore_ascii_case("ON")
                || !["DELETE", "UPDATE"]
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(event.0))
            {
                return end;
            }
            let Some(action) = probe.word() else {
                return end;
            };
            let action_end = match action.0.to_ascii_uppercase().as_str() {
                "CASCADE" | "RESTRICT" => action.1,
                "SET" | "NO" => match probe.word() {
                    Some(second) => second.1,
                    None => return end,
                },
                _ => return end,
            };
            end = action_end;
            words = probe;
        }
    }
}

/// Bare words after an offset, for the few forward looks that need no real tokenizer.
#[derive(Clone)]
struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Words<'a> {
    fn new(text: &'a str, at: usize) -> Self {
        Words { text, at }
    }

    fn skip_space(&mut self) {
        let bytes = self.text.as_bytes();
        while bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    /// Consumes `punct` if it comes next; the offset after it.
    fn punct(&mut self, punct: u8) -> Option<usize> {
        self.skip_space();
        if self.text.as_bytes().get(self.at) != Some(&punct) {
            return None;
        }
        self.at += 1;
        Some(self.at)
    }

    /// The next word and its end offset.
    fn word(&mut self) -> Option<(&'a str, usize)> {
        self.skip_space();
        let bytes = self.text.as_bytes();
        let start = self.at;
        while bytes
            .get(self.at)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        {
            self.at += 1;
        }
        (self.at > start).then(|| (self.text.get(start..self.at).unwrap_or(""), self.at))
    }
}

fn find_from(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = bytes.get(from..)?;
    if needle.len() == 1 {
        let first = *needle.first()?;
        return rest.iter().position(|&b| b == first).map(|p| from + p);
    }
    rest.windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// A token at the head of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    Word(&'a str),
    /// A quoted identifier's contents.
    Quoted(&'a str),
    Punct(u8),
}

#[derive(Debug, Clone)]
pub(crate) struct HeadToken<'a> {
    pub tok: Tok<'a>,
    pub start: usize,
    pub end: usize,
}

impl HeadToken<'_> {
    pub fn is_word(&self, word: &str) -> bool {
        matches!(self.tok, Tok::Word(w) if w.eq_ignore_ascii_case(word))
    }
}

/// Up to `max` tokens from the start of a statement, skipping comments; stops at the
/// first string literal, which no head pattern needs to look past.
pub(crate) fn head_tokens(text: &str, max: usize) -> Vec<HeadToken<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while out.len() < max {
        let Some(&b) = bytes.get(i) else {
            break;
        };
        if b.is_ascii_whitespace() {
            i += 1;
        } else if b == b'-' && bytes.get(i + 1) == Some(&b'-') {
            i = find_from(bytes, i, b"\n").unwrap_or(bytes.len());
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i = find_from(bytes, i + 2, b"*/").map_or(bytes.len(), |p| p + 2);
        } else if matches!(b, b'"' | b'`' | b'[') {
            let close = if b == b'[' { b']' } else { b };
            let Some(end) = find_from(bytes, i + 1, &[close]) else {
                break;
            };
            out.push(HeadToken {
                tok: Tok::Quoted(text.get(i + 1..end).unwrap_or("")),
                start: i,
                end: end + 1,
            });
            i = end + 1;
        } else if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
            let start = i;
            while bytes.get(i).is_some_and(|c| {
                c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$' || *c >= 0x80
            }) {
                i += 1;
            }
            out.push(HeadToken {
                tok: Tok::Word(text.get(start..i).unwrap_or("")),
                start,
                end: i,
            });
        } else if b == b'\'' {
            break;
        } else {
            out.push(HeadToken {
                tok: Tok::Punct(b),
                start: i,
                end: i + 1,
            });
            i += 1;
        }
    }
    out
}

/// A qualified name (`a."B".c`) starting at token `at`: its `(value, quoted)` parts
/// and the index of the token after it.
pub(crate) fn qualified_name<'a>(
    tokens: &[HeadToken<'a>],
    at: usize,
) -> Option<(Vec<(&'a str, bool)>, usize)> {
    let mut parts = Vec::new();
    let mut i = at;
    loop {
        match tokens.get(i).map(|t| &t.tok) {
            Some(Tok::Word(w)) => parts.push((*w, false)),
            Some(Tok::Quoted(q)) => parts.push((*q, true)),
            _ => break,
        }
        i += 1;
        if tokens.get(i).map(|t| &t.tok) == Some(&Tok::Punct(b'.')) {
            i += 1;
        } else {
            break;
        }
    }
    (!parts.is_empty()).then_some((parts, i))
}

/// Whether some run of binary operators without a `,` or parenthesis between them is
/// longer than `limit`. sqlparser builds such a run as a tree as deep as the run is
/// long, and dropping that tree recurses once per level: a few tens of thousands of
/// `OR`s overflow a thread's stack. Strings, quoted names and comments are skipped.
pub(crate) fn operator_run_exceeds(text: &str, limit: usize) -> bool {
    const WORDS: &[&str] = &["AND", "OR", "XOR", "IS", "LIKE", "ILIKE", "DIV", "MOD"];
    let bytes = text.as_bytes();
    // One counter per open parenthesis; the outermost level is the last.
    let mut runs: Vec<usize> = vec![0];
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let mut operator = false;
        match b {
            b'\'' | b'"' | b'`' => {
                i = find_from(bytes, i + 1, &[b]).map_or(bytes.len(), |p| p + 1);
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = find_from(bytes, i, b"\n").unwrap_or(bytes.len());
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = find_from(bytes, i + 2, b"*/").map_or(bytes.len(), |p| p + 2);
                continue;
            }
            b'(' => runs.push(0),
            b')' if runs.len() > 1 => {
                runs.pop();
            }
            b',' | b';' => {
                if let Some(run) = runs.last_mut() {
                    *run = 0;
                }
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'<' | b'>' | b'=' | b'!' | b'|' | b'&' | b'^'
            | b'#' | b'~' | b'@' | b':' | b'[' => {
                while bytes
                    .get(i + 1)
                    .is_some_and(|c| b"+-*/%<>=!|&^#~@:".contains(c))
                {
                    i += 1;
                }
                operator = true;
            }
            _ if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while bytes
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                let word = text.get(start..=i).unwrap_or("");
                operator = WORDS.iter().any(|w| w.eq_ignore_ascii_case(word));
            }
            _ => {}
        }
        if operator {
            if let Some(run) = runs.last_mut() {
                *run += 1;
                if *run > limit {
                    return true;
                }
            }
        }
        i += 1;
    }
    false
}

/// What [`prepare`] blanked out of a statement so that sqlparser reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Prepared {
    pub drop_index_concurrently: bool,
}

/// Blanks (with spaces, so every offset stays valid) the few Postgres keywords sqlparser
/// 0.64 rejects in otherwise ordinary migrations: `DROP INDEX CONCURRENTLY` and
/// `CREATE INDEX … ON ONLY t` (as pg_dump writes it).
pub(crate) fn prepare(text: &str) -> (Cow<'_, str>, Prepared) {
    let tokens = head_tokens(text, 12);
    let mut blank = None;
    let mut prepared = Prepared::default();
    let word = |i: usize, w: &str| tokens.get(i).is_some_and(|t| t.is_word(w));
    if word(0, "DROP") && word(1, "INDEX") && word(2, "CONCURRENTLY") {
        blank = tokens.get(2).map(|t| (t.start, t.end));
        prepared.drop_index_concurrently = true;
    } else if word(0, "CREATE") {
        let index_at = if word(1, "UNIQUE") { 2 } else { 1 };
        if word(index_at, "INDEX") {
            let on = (index_at + 1..tokens.len()).find(|&i| word(i, "ON"));
            if let Some(on) = on.filter(|&on| word(on + 1, "ONLY")) {
                blank = tokens.get(on + 1).map(|t| (t.start, t.end));
            }
        }
    }
    match blank {
        Some((start, end)) => {
            let mut owned = String::with_capacity(text.len());
            owned.push_str(text.get(..start).unwrap_or(""));
            owned.extend(std::iter::repeat_n(' ', end.saturating_sub(start)));
            owned.push_str(text.get(end..).unwrap_or(""));
            (Cow::Owned(owned), prepared)
        }
        None => (Cow::Borrowed(text), prepared),
    }
}

/// A placeholder or command that says a file is a template for SQL rather than SQL:
/// Jinja or dbt (`{{ ref('x') }}`, `{% if %}`), a Python format slot
/// (`{datastoredb}`), or a psql meta-command line (`\connect db`).
pub fn template_marker(statement: &str) -> Option<&str> {
    if let Some(at) = statement.find("{{").or_else(|| statement.find("{%")) {
        return statement.get(at..at + 2);
    }
    let slot = statement.match_indices('{').find_map(|(at, _)| {
        let rest = statement.get(at + 1..)?;
        let close = rest.find('}')?;
        let name = rest.get(..close)?;
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then(|| statement.get(at..at + close + 2))
            .flatten()
    });
    slot.or_else(|| {
        statement
            .lines()
            .map(str::trim_start)
            .find(|line| line.starts_with('\\'))
            .and_then(|line| line.split_whitespace().next())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(line: u64, column: u64) -> SqlLocation {
        SqlLocation { line, column }
    }

    #[test]
    fn sqlparser_locations_map_to_byte_offsets() {
        let t = StatementText::new("SELECT\n  'é', x", 100);
        assert_eq!(t.offset(loc(1, 1)), Some(0));
        assert_eq!(t.offset(loc(2, 3)), Some(9));
        // `x` is the 7th character of line 2 but 8 bytes in: `é` is two bytes.
        assert_eq!(t.offset(loc(2, 8)), Some(15));
        assert_eq!(
            t.offset(loc(2, 3)),
            Some(9),
            "a lookup behind the cursor still works"
        );
        assert_eq!(t.offset(loc(0, 0)), None);
        assert_eq!(t.offset(loc(9, 1)), None);
        assert_eq!(t.absolute(9, 15), Span::new(109, 115));
    }

    #[test]
    fn clause_spans_grow_to_their_keywords_and_items() {
        let sql = "CREATE TABLE t (a int, CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) ON DELETE SET NULL, b int)";
        let t = StatementText::new(sql, 0);
        let fk_name = sql.find("fk").unwrap_or(0);
        let start = t.keyword_start(fk_name, &["CONSTRAINT", "FOREIGN", "KEY"]);
        assert_eq!(
            &sql[start..t.item_end(start)],
            "CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) ON DELETE SET NULL"
        );
        let a = sql.find("(a)").unwrap_or(0) + 1;
        assert_eq!(
            &sql[t.keyword_start(a, &["CONSTRAINT", "FOREIGN", "KEY"])..a],
            "FOREIGN KEY ("
        );
        let u = sql.find("u (id)").unwrap_or(0);
        let id_end = sql.find("id)").unwrap_or(0) + 2;
        let start = t.keyword_start(u, &["REFERENCES"]);
        assert_eq!(
            &sql[start..t.references_end(id_end, true)],
            "REFERENCES u (id) ON DELETE SET NULL"
        );
        let col = "x int DEFAULT f(1, 2) NOT NULL -- note, here\n, y int";
        let t = StatementText::new(col, 0);
        assert_eq!(&col[..t.item_end(0)], "x int DEFAULT f(1, 2) NOT NULL");
    }

    #[test]
    fn head_tokens_read_qualified_names() {
        let tokens = head_tokens("ALTER TABLE /* c */ public.\"Users\" ADD x", 10);
        let (parts, next) = qualified_name(&tokens, 2).unwrap_or_default();
        assert_eq!(parts, vec![("public", false), ("Users", true)]);
        assert!(tokens[next].is_word("ADD"));
    }

    #[test]
    fn operator_runs_count_per_parenthesis_level() {
        assert!(operator_run_exceeds(
            "SELECT 1 WHERE a = 1 OR b = 2 OR c = 3",
            4
        ));
        assert!(!operator_run_exceeds(
            "SELECT 1 WHERE a = 1 OR b = 2 OR c = 3",
            5
        ));
        assert!(!operator_run_exceeds(
            "SELECT 1 WHERE (a = 1 OR b = 2), (c = 3 OR d = 4)",
            5
        ));
        assert!(!operator_run_exceeds(
            "SELECT 'a OR b OR c OR d' -- OR OR OR\n",
            2
        ));
        assert!(operator_run_exceeds("SELECT x::int::text::varchar", 2));
        assert!(!operator_run_exceeds(
            "SELECT ORDER_ID, ANDROID FROM ORS",
            0
        ));
    }

    #[test]
    fn prepare_blanks_unsupported_keywords_in_place() {
        let (text, flags) = prepare("DROP INDEX CONCURRENTLY IF EXISTS a.b");
        assert_eq!(text, "DROP INDEX              IF EXISTS a.b");
        assert!(flags.drop_index_concurrently);
        let (text, _) = prepare("CREATE UNIQUE INDEX i ON ONLY public.t USING btree (a)");
        assert_eq!(
            text,
            "CREATE UNIQUE INDEX i ON      public.t USING btree (a)"
        );
        let (text, flags) = prepare("SELECT 'DROP INDEX CONCURRENTLY'");
        assert!(matches!(text, Cow::Borrowed(_)) && !flags.drop_index_concurrently);
    }
}
