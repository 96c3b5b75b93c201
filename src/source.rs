//! Source files with a precomputed line index, so that turning byte offsets into
//! line/column pairs (for every finding, in every format) never rescans the text.

use std::path::PathBuf;
use std::sync::Arc;

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

pub type FileId = usize;

#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the scanned root, with `/` separators.
    pub path: String,
    pub abs_path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

pub type SharedSource = Arc<SourceFile>;

impl SourceFile {
    pub fn new(path: String, abs_path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SourceFile {
            path,
            abs_path,
            text,
            line_starts,
        }
    }

    fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// Zero-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = self.clamp(offset);
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    pub fn line_start(&self, line_index: usize) -> usize {
        self.line_starts
            .get(line_index)
            .copied()
            .unwrap_or(self.text.len())
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.clamp(offset);
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        LineCol {
            line: line + 1,
            column: self.text[start..offset].chars().count() + 1,
        }
    }

    /// Byte offset of a zero-based line and character column (as YAML parsers report them).
    pub fn offset_of(&self, line: usize, char_column: usize) -> usize {
        let start = self.line_start(line);
        let line_text = &self.text[start..];
        line_text
            .char_indices()
            .nth(char_column)
            .map(|(i, _)| start + i)
            .unwrap_or(self.text.len())
    }

    /// The text of a span, clamped to the file.
    pub fn slice(&self, span: Span) -> &str {
        let start = self.clamp(span.start);
        let end = self.clamp(span.end).max(start);
        &self.text[start..end]
    }

    /// The full text of the line holding `offset`, without its line break.
    pub fn line_text(&self, offset: usize) -> &str {
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        let end = self.line_start(line + 1);
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let span_start = self.clamp(span.offset());
        let span_end = self.clamp(span.offset() + span.len()).max(span_start);
        let first_line = self.line_index(span_start);
        let last_line = self.line_index(if span_end > span_start {
            span_end - 1
        } else {
            span_end
        });
        let from_line = first_line.saturating_sub(context_lines_before);
        let to_line = (last_line + context_lines_after).min(self.line_count() - 1);
        let start = self.line_start(from_line);
        let end = self.line_start(to_line + 1);
        let column = self.text[self.line_start(first_line)..span_start]
            .chars()
            .count();
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.path.clone(),
            &self.text.as_bytes()[start..end],
            miette::SourceSpan::from(start..end),
            from_line,
            column,
            to_line - from_line + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("f.yaml".into(), PathBuf::from("f.yaml"), text.into())
    }

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let f = file("a: 1\nbé: x\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 1 });
        // 'é' is two bytes: the colon after it is the third character.
        assert_eq!(f.line_col(8), LineCol { line: 2, column: 3 });
    }

    #[test]
    fn offset_of_inverts_zero_based_line_and_char_column() {
        let f = file("a: 1\nbé: x\n");
        assert_eq!(f.offset_of(1, 2), 8);
        assert_eq!(f.offset_of(9, 0), f.text.len());
    }

    #[test]
    fn offsets_inside_a_character_are_clamped() {
        let f = file("é");
        assert_eq!(f.slice(Span::new(1, 2)), "é");
    }
}
