//! Diagnostics: what is wrong with a spec, and exactly where.

use core::fmt;

/// One problem in a spec, with its place: file, line and column (1-based), and the path of the
/// offending value inside the spec (`shapes.DescribeImagesRequest.members.maxResults.range`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The rule the spec breaks, a stable `snake_case` name for tools to filter on: a reading
    /// problem (`yaml`, `unknown_key`, `missing_key`, `wrong_type`, `yaml_budget`,
    /// `spec_too_large`, `spec_empty`, `not_utf8`), `duplicate_provider_id`, `internal`, or the name of the check
    /// in `codegen/src/check/` that found it (`output_locations`, `paging_keys`, ...). A
    /// renamed code is listed in the changelog.
    pub code: &'static str,
    /// The spec file as the caller named it (`specs/ecr.yaml`).
    pub file: String,
    /// 1-based line of the offending value.
    pub line: u64,
    /// 1-based column of the offending value.
    pub column: u64,
    /// Byte offset and length of the offending value in the spec text, when known.
    pub span: Option<(usize, usize)>,
    /// Dotted path of the offending value inside the spec; empty for the document itself.
    pub path: String,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// A problem of the file as a whole (too large, empty, not UTF-8): placed at 1:1, with no
    /// span and no path.
    pub fn whole_file(file: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            file: file.to_owned(),
            line: 1,
            column: 1,
            span: None,
            path: String::new(),
            message: message.into(),
        }
    }

    /// A problem of `value` of the spec `file`, at its place, and at `path` inside the spec.
    pub(crate) fn at<T>(
        file: &str,
        code: &'static str,
        value: &crate::spec::Spanned<T>,
        path: String,
        message: String,
    ) -> Self {
        let location = value.referenced;
        let span = location.span();
        let span = span
            .byte_offset()
            .zip(span.byte_len())
            .and_then(|(o, l)| Some((usize::try_from(o).ok()?, usize::try_from(l).ok()?)));
        Self {
            code,
            file: file.to_owned(),
            line: location.line().max(1),
            column: location.column().max(1),
            span,
            path,
            message,
        }
    }

    /// The spec's bytes are not UTF-8: where the first invalid byte is.
    pub fn not_utf8(file: &str, error: &std::string::FromUtf8Error) -> Self {
        Self::whole_file(
            file,
            "not_utf8",
            format!(
                "the spec is not UTF-8 text (invalid byte at offset {})",
                error.utf8_error().valid_up_to()
            ),
        )
    }
}

impl fmt::Display for Diagnostic {
    /// `specs/ecr.yaml:12:7: shapes.X.members.y.range: min 5 is greater than max 3`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// Every diagnostic of one spec (never empty), printed one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// A diagnostic's place as a byte range of the spec text: its recorded span, or else the
/// character at its line and column. Always inside `source` and on character boundaries.
pub fn byte_range(d: &Diagnostic, source: &str) -> std::ops::Range<usize> {
    Lines::new(source).byte_range(d)
}

/// Where each line of a text starts, to find a line in `O(log n)` rather than by reading the
/// text up to it (rendering a thousand diagnostics of a large spec read it a thousand times).
struct Lines<'s> {
    source: &'s str,
    /// The byte offset of each line, the first at 0.
    starts: Vec<usize>,
}

impl<'s> Lines<'s> {
    fn new(source: &'s str) -> Self {
        let mut starts = vec![0];
        let mut offset = 0;
        for text in source.split_inclusive('\n') {
            offset += text.len();
            if offset < source.len() {
                starts.push(offset);
            }
        }
        Self { source, starts }
    }

    /// The line (0-based) that holds the byte at `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The bytes of lines `first..=last`, line ends included.
    fn span_of_lines(&self, first: usize, last: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(first).copied().unwrap_or(self.source.len());
        let end = self
            .starts
            .get(last + 1)
            .copied()
            .unwrap_or(self.source.len());
        start..end
    }

    /// [`byte_range`].
    fn byte_range(&self, d: &Diagnostic) -> std::ops::Range<usize> {
        let source = self.source;
        let on_boundaries = |r: &std::ops::Range<usize>| {
            r.end <= source.len()
                && source.is_char_boundary(r.start)
                && source.is_char_boundary(r.end)
        };
        if let Some((offset, len)) = d.span {
            let r = offset..offset.saturating_add(len.max(1)).min(source.len());
            if r.start < source.len() && on_boundaries(&r) {
                return r;
            }
        }
        // Line and column (1-based, in characters).
        let line = usize::try_from(d.line.max(1) - 1).unwrap_or(usize::MAX);
        let column = usize::try_from(d.column.max(1) - 1).unwrap_or(usize::MAX);
        let start = match self.starts.get(line) {
            Some(&offset) => {
                let text = &source[self.span_of_lines(line, line)];
                let content = text.trim_end_matches(['\n', '\r']);
                offset
                    + content
                        .char_indices()
                        .nth(column)
                        .map_or(content.len(), |(b, _)| b)
            }
            None => source.len(),
        };
        let end = source[start..]
            .chars()
            .next()
            .filter(|c| *c != '\n')
            .map_or(start, |c| start + c.len_utf8());
        start..end
    }
}

/// Renders diagnostics the way rustc renders errors: `file:line:col`, the spec's line, and a caret
/// under the offending value, labelled with the spec path. `styled` adds terminal colors.
///
/// Each diagnostic is rendered from the lines it points at, not the whole spec: the output is
/// the same, and rendering stays linear in the number of diagnostics.
///
/// ```
/// let spec = include_str!("../tests/fixtures/valid.yaml").replace("type: integer", "type: int");
/// let problems = crspec_codegen::generate("mini.yaml", &spec).unwrap_err();
/// let text = crspec_codegen::diag::render(&problems.0, &spec, false);
/// // `error[code]: message`, the code the rule's stable name.
/// let code = problems.0[0].code;
/// assert!(text.starts_with(&format!("error[{code}]: ")), "{text}");
/// assert!(text.contains("--> mini.yaml:"), "{text}");
/// ```
pub fn render(diagnostics: &[Diagnostic], source: &str, styled: bool) -> String {
    use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let lines = Lines::new(source);
    let mut out = String::new();
    for d in diagnostics {
        let range = lines.byte_range(d);
        let first = lines.line_of(range.start);
        let excerpt = lines.span_of_lines(first, lines.line_of(range.end));
        let local = range.start - excerpt.start..range.end - excerpt.start;
        let label = if d.path.is_empty() {
            "here".to_owned()
        } else {
            format!("in `{}`", d.path)
        };
        let report = &[Level::ERROR.primary_title(&d.message).id(d.code).element(
            Snippet::source(&source[excerpt])
                .line_start(first + 1)
                .path(&d.file)
                .annotation(AnnotationKind::Primary.span(local).label(&label)),
        )];
        out.push_str(&renderer.render(report));
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(line: u64, column: u64, span: Option<(usize, usize)>) -> Diagnostic {
        Diagnostic {
            code: "test",
            file: "specs/x.yaml".into(),
            line,
            column,
            span,
            path: "shapes.A".into(),
            message: "something is wrong".into(),
        }
    }

    #[test]
    fn ranges_stay_inside_the_source() {
        let src = "a: 1\nbé: 2\n";
        assert_eq!(byte_range(&diag(2, 2, None), src), 1 + 5..1 + 5 + 2);
        assert_eq!(byte_range(&diag(9, 9, None), src), src.len()..src.len());
        assert_eq!(byte_range(&diag(1, 99, None), src), 4..4);
        assert_eq!(byte_range(&diag(1, 1, Some((3, 1))), src), 3..4);
        // A span that is out of bounds or splits a character falls back to line and column.
        assert_eq!(byte_range(&diag(1, 1, Some((99, 1))), src), 0..1);
        assert_eq!(byte_range(&diag(1, 1, Some((7, 1))), src), 0..1);
    }

    /// The rendering of one diagnostic from the whole source, as it was first written.
    fn render_whole(d: &Diagnostic, source: &str) -> String {
        use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
        let range = byte_range(d, source);
        let label = if d.path.is_empty() {
            "here".to_owned()
        } else {
            format!("in `{}`", d.path)
        };
        let report = &[Level::ERROR.primary_title(&d.message).id(d.code).element(
            Snippet::source(source)
                .path(&d.file)
                .annotation(AnnotationKind::Primary.span(range).label(&label)),
        )];
        format!("{}\n\n", Renderer::plain().render(report))
    }

    #[test]
    fn rendering_from_the_lines_pointed_at_is_rendering_from_the_whole_source() {
        let sources = [
            "crspec: 1\nprovider:\n  id: x\n  name: \"é 中\"\n\n# c\nshapes: {A: {type: x}}\n",
            "a: 1\r\nb:\r\n  - 2\r\n  - 3",
            "one line, no newline",
            "\n\n\nlast\n\n",
            "",
        ];
        for source in sources {
            let mut cases = Vec::new();
            for line in 0..8 {
                for column in 0..8 {
                    cases.push(diag(line, column, None));
                }
            }
            let bounds: Vec<usize> = (0..=source.len())
                .filter(|&i| source.is_char_boundary(i))
                .collect();
            for &start in &bounds {
                for &end in &bounds {
                    if end >= start {
                        cases.push(diag(1, 1, Some((start, end - start))));
                    }
                }
            }
            for d in &cases {
                assert_eq!(
                    render(std::slice::from_ref(d), source, false),
                    render_whole(d, source),
                    "{source:?} {d:?}"
                );
            }
        }
    }

    #[test]
    fn rendering_shows_place_line_and_caret() {
        let src = "crspec: 1\nprovider: x\n";
        let out = render(&[diag(2, 11, None)], src, false);
        assert!(out.contains("error[test]: something is wrong"), "{out}");
        assert!(out.contains("specs/x.yaml:2:11"), "{out}");
        assert!(out.contains("provider: x"), "{out}");
        assert!(out.contains("^ in `shapes.A`"), "{out}");
    }
}
