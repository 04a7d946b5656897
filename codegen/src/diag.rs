//! Diagnostics: what is wrong with a spec, and exactly where.

use core::fmt;

/// One problem in a spec, with its place: file, line and column (1-based), and the path of the
/// offending value inside the spec (`shapes.DescribeImagesRequest.members.maxResults.range`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
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
