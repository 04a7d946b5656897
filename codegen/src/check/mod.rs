//! Checks a loaded spec and builds its IR; every problem is reported, not only the first.
//!
//! [`check`] is the table of contents: it runs the passes below in order, each one a method of
//! the [`Checker`] that opens with the rule it checks. Passes record diagnostics and go on, so
//! one run reports everything the spec gets wrong; the IR is returned only when none was found.
//!
//! | pass | file |
//! |---|---|
//! | format version, provider, sources | `provider.rs` |
//! | protocol, placeholders, path templates | `protocol.rs` |
//! | type expressions | `types.rs` |
//! | shape names, request shapes, builders, enums, recursion, derives | `shapes.rs` |
//! | structure members and their constraints | `members.rs`, `constraints.rs` |
//! | errors and operations | `operations.rs` |
//! | pagination | `paging.rs` |
//! | `ImageSummary` mappings | `summary.rs` |

mod constraints;
mod members;
mod operations;
mod paging;
mod path;
mod protocol;
mod provider;
mod shapes;
mod summary;
mod types;
mod words;

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::ir::{Module, TsFormat};
use crate::spec::{Spanned, Spec};

pub(crate) use path::{ROOT, SpecPath};

/// The state the passes share: the spec, the diagnostics so far, and what earlier passes
/// resolved that later ones need.
pub(crate) struct Checker<'s> {
    file: &'s str,
    spec: &'s Spec,
    diags: Vec<Diagnostic>,
    /// The ids of `provider.sources`.
    source_ids: BTreeSet<String>,
    /// `protocol.timestamp_format`.
    default_ts: TsFormat,
}

/// Checks `spec` (read from `file`) and builds its IR.
///
/// # Errors
///
/// Every problem found, each with its place, in document order.
pub fn check(file: &str, spec: &Spec) -> Result<Module, Vec<Diagnostic>> {
    let mut cx = Checker {
        file,
        spec,
        diags: Vec::new(),
        source_ids: BTreeSet::new(),
        default_ts: TsFormat::Text,
    };
    cx.format_version();
    let sources = cx.provider();
    let protocol = cx.protocol();
    let mut shapes = cx.shape_names();
    let op_names = cx.operation_names(&mut shapes);
    cx.request_shapes(&mut shapes);
    let contents = cx.shape_contents(&shapes);
    let errors = cx.error_codes();
    let drafts = cx.operations(&shapes, &op_names, &errors);
    let summaries = cx.summaries(&shapes, &contents);
    if !cx.diags.is_empty() {
        cx.diags.sort_by_key(|d| (d.line, d.column));
        return Err(cx.diags);
    }
    let shapes::Finished {
        structs,
        enums,
        patterns,
    } = cx.finish_shapes(&shapes, contents)?;
    let operations = cx.finish_operations(&shapes, &structs, drafts, summaries)?;
    let provider = &spec.provider.value;
    Ok(Module {
        file: file.to_owned(),
        id: provider.id.value.clone(),
        name: provider.name.value.trim().to_owned(),
        api_version: provider.api_version.value.clone(),
        docs: docs_of(provider.docs.as_ref()),
        sources,
        protocol,
        structs,
        enums,
        operations,
        patterns,
    })
}

impl Checker<'_> {
    /// Records a problem of `value`, at `path`.
    fn at<T>(&mut self, value: &Spanned<T>, path: &SpecPath<'_>, message: impl Into<String>) {
        let diagnostic = Diagnostic::at(self.file, value, path.to_string(), message.into());
        self.diags.push(diagnostic);
    }

    /// The diagnostics recorded so far (to tell whether a part of the spec had any).
    fn reported(&self) -> usize {
        self.diags.len()
    }

    /// A problem of the checker itself, which a checked spec cannot cause: reported on the
    /// whole file rather than panicking.
    fn internal(&self, what: &str) -> Vec<Diagnostic> {
        vec![Diagnostic::whole_file(
            self.file,
            format!("internal error: {what}; please report this spec"),
        )]
    }

    /// The `source:` key of a fact names one of `provider.sources`.
    fn source_key(&mut self, source: Option<&Spanned<String>>, path: &SpecPath<'_>) {
        if let Some(s) = source
            && !self.source_ids.contains(&s.value)
        {
            let hint = words::did_you_mean(&s.value, self.source_ids.iter().map(String::as_str));
            let message = format!(
                "unknown source `{}`; sources are listed in provider.sources{hint}",
                s.value
            );
            self.at(s, &path.key("source"), message);
        }
    }
}

/// The text of a `docs` key, trimmed; empty when absent.
fn docs_of(docs: Option<&Spanned<String>>) -> String {
    docs.map(|d| d.value.trim().to_owned()).unwrap_or_default()
}
