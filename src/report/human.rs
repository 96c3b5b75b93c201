//! The terminal report: one miette diagnostic per finding, with the source snippet
//! and a label on the exact span.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity, SourceCode,
};

use crate::finding::{Level, Location, Reported};
use crate::registry;

struct View<'a> {
    reported: &'a Reported,
    help: String,
    related: Vec<RelatedView<'a>>,
}

struct RelatedView<'a> {
    location: &'a Location,
    message: &'a str,
}

fn span_of(location: &Location) -> miette::SourceSpan {
    let span = location.span;
    (span.start, span.end.saturating_sub(span.start)).into()
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reported.finding.message)
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reported.finding.message)
    }
}

impl std::error::Error for View<'_> {}

impl Diagnostic for View<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.reported.finding.rule))
    }

    fn severity(&self) -> Option<Severity> {
        Some(match self.reported.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.reported.finding.location.file)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let f = &self.reported.finding;
        let label = (!f.label.is_empty()).then(|| f.label.clone());
        let primary = LabeledSpan::new_primary_with_span(label, span_of(&f.location));
        // Related places in the same file share the snippet; others get their own.
        let same_file = f
            .related
            .iter()
            .filter(|r| r.location.file.path == f.location.file.path)
            .map(|r| LabeledSpan::new_with_span(Some(r.message.clone()), span_of(&r.location)));
        Some(Box::new(std::iter::once(primary).chain(same_file)))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

impl fmt::Debug for RelatedView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl fmt::Display for RelatedView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for RelatedView<'_> {}

impl Diagnostic for RelatedView<'_> {
    fn severity(&self) -> Option<Severity> {
        Some(Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.location.file)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.message.to_string()),
            span_of(self.location),
        ))))
    }
}

pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
}

pub fn render_one(reported: &Reported, handler: &GraphicalReportHandler) -> String {
    let f = &reported.finding;
    let docs = format!(
        "see {} (`archlint explain {}`)",
        registry::doc_path(f.rule),
        f.rule
    );
    let help = match &f.help {
        Some(h) => format!("{h}\n{docs}"),
        None => docs,
    };
    let view = View {
        reported,
        help,
        related: f
            .related
            .iter()
            .filter(|r| r.location.file.path != f.location.file.path)
            .map(|r| RelatedView {
                location: &r.location,
                message: &r.message,
            })
            .collect(),
    };
    let mut out = String::new();
    if handler.render_report(&mut out, &view).is_err() {
        // Rendering only fails on a broken span; the plain line still says it all.
        let at = f.location.file.line_col(f.location.span.start);
        out = format!(
            "{}:{}:{}: {} [{}] {}\n",
            f.location.path(),
            at.line,
            at.column,
            reported.level,
            f.rule,
            f.message
        );
    }
    out
}

pub fn render(findings: &[Reported], options: &HumanOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    for r in findings {
        out.push_str(&render_one(r, &handler));
        out.push('\n');
    }
    out
}
