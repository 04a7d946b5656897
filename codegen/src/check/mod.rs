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
//! | `generation` settings: Rust names, derives, attributes, replaced types | `generation.rs` |
//! | structure members and their constraints | `members.rs`, `constraints.rs` |
//! | errors and operations | `operations.rs` |
//! | pagination | `paging.rs` |
//! | `ImageSummary` mappings | `summary.rs` |

mod constraints;
mod generation;
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

use std::cell::OnceCell;
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
    default_ts: Option<TsFormat>,
    /// The "did you mean" hints and the work left for them.
    hints: &'s mut words::Hints,
    /// The source ids as hint candidates, prepared at the first unknown source.
    source_names: OnceCell<words::Candidates>,
}

/// Checks `spec` (read from `file`) and builds its IR.
///
/// # Errors
///
/// Every problem found, each with its place, in document order.
pub fn check(file: &str, spec: &Spec) -> Result<Module, Vec<Diagnostic>> {
    check_with(file, spec, &mut words::Hints::default())
}

/// [`check`], its "did you mean" hints taken from `hints`, which counts their work.
fn check_with<'s>(
    file: &'s str,
    spec: &'s Spec,
    hints: &'s mut words::Hints,
) -> Result<Module, Vec<Diagnostic>> {
    let mut cx = Checker {
        file,
        spec,
        diags: Vec::new(),
        source_ids: BTreeSet::new(),
        default_ts: None,
        hints,
        source_names: OnceCell::new(),
    };
    cx.format_version();
    let sources = cx.provider();
    let protocol = cx.protocol();
    let mut shapes = cx.shape_names();
    let mut settings = cx.generation_settings(&mut shapes);
    let op_names = cx.operation_names(&mut shapes);
    cx.request_shapes(&mut shapes);
    cx.builder_names(&mut shapes, &settings);
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
    } = cx.finish_shapes(&shapes, contents, &mut settings)?;
    let operations = cx.finish_operations(&shapes, &structs, drafts, summaries)?;
    let provider = &spec.provider.value;
    let module = Module {
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
    };
    cx.replace_uses(&module, &shapes.by_id());
    if !cx.diags.is_empty() {
        cx.diags.sort_by_key(|d| (d.line, d.column));
        return Err(cx.diags);
    }
    Ok(module)
}

impl Checker<'_> {
    /// Records a problem of `value`, at `path`, under `code`: the name of the rule (the
    /// function) that found it, which is the diagnostic's stable code.
    fn at<T>(
        &mut self,
        code: &'static str,
        value: &Spanned<T>,
        path: &SpecPath<'_>,
        message: impl Into<String>,
    ) {
        let diagnostic = Diagnostic::at(self.file, code, value, path.to_string(), message.into());
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
            "internal",
            format!("internal error: {what}; please report this spec"),
        )]
    }

    /// The hint for a source id that names no source.
    fn source_hint(&mut self, name: &str) -> String {
        let set = self.source_names.get_or_init(|| {
            self.hints
                .candidates(self.source_ids.iter().map(String::as_str))
        });
        self.hints.did_you_mean(name, set)
    }

    /// The `source:` key of a fact names one of `provider.sources`.
    fn source_key(&mut self, source: Option<&Spanned<String>>, path: &SpecPath<'_>) {
        if let Some(s) = source
            && !self.source_ids.contains(&s.value)
        {
            let hint = self.source_hint(&s.value);
            let message = format!(
                "unknown source `{}`; sources are listed in provider.sources{hint}",
                s.value
            );
            self.at("source_key", s, &path.key("source"), message);
        }
    }
}

/// The text of a `docs` key, trimmed; empty when absent.
fn docs_of(docs: Option<&Spanned<String>>) -> String {
    docs.map(|d| d.value.trim().to_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names;

    const VALID: &str = include_str!("../../tests/fixtures/valid.yaml");

    /// The valid fixture with `shapes` (YAML, two spaces in) added, and `members` (six spaces
    /// in) added to its request.
    fn with(shapes: &str, members: &str) -> String {
        VALID
            .replace(
                "      nextToken: {type: string}\n      maxResults:",
                &format!("      nextToken: {{type: string}}\n{members}      maxResults:"),
            )
            .replace("\nerrors:\n", &format!("\n{shapes}errors:\n"))
    }

    /// `n` empty structures `Shape0`, `Shape1`, ...
    fn shapes(n: usize) -> String {
        (0..n)
            .map(|i| format!("  Shape{i}:\n    type: structure\n    members: {{}}\n"))
            .collect()
    }

    /// Members `m0`, `m1`, ... of the types `types`.
    fn members<'a>(types: impl IntoIterator<Item = &'a str>) -> String {
        types
            .into_iter()
            .enumerate()
            .map(|(i, t)| format!("      m{i}: {{type: {t}}}\n"))
            .collect()
    }

    /// The diagnostics of `text`, with the work their hints took under `budget`.
    fn lint(text: &str, budget: u64) -> (Vec<Diagnostic>, u64) {
        let spec = crate::spec::load("x.yaml", text).unwrap();
        let mut hints = words::Hints::with_budget(budget);
        let diags = check_with("x.yaml", &spec, &mut hints).unwrap_err();
        (diags, hints.work())
    }

    /// The name a diagnostic suggests, if it suggests one.
    fn hint(d: &Diagnostic) -> Option<&str> {
        let (_, rest) = d.message.split_once("did you mean `")?;
        rest.split_once('`').map(|(h, _)| h)
    }

    /// Every shape name of `text`'s spec, and the primitives: the candidates of a type name.
    fn type_candidates(n: usize) -> Vec<String> {
        let mut all: Vec<String> = types::PRIMITIVES.iter().map(|p| (*p).to_owned()).collect();
        all.extend((0..n).map(|i| format!("Shape{i}")));
        for fixed in ["DescribeImagesRequest", "DescribeImagesResponse", "Filter"] {
            all.push(fixed.to_owned());
        }
        for fixed in ["ImageIdentifier", "ImageDetail", "TagStatus"] {
            all.push(fixed.to_owned());
        }
        all
    }

    #[test]
    fn a_name_unknown_in_many_places_is_looked_up_once() {
        let work = |places: usize| {
            let text = with(&shapes(500), &members(std::iter::repeat_n("Shap7", places)));
            let (diags, work) = lint(&text, u64::MAX);
            assert_eq!(diags.len(), places);
            assert!(diags.iter().all(|d| hint(d) == Some("Shape7")), "{diags:?}");
            work
        };
        // The same work for one place as for a thousand.
        assert_eq!(work(1), work(1_000));
    }

    #[test]
    fn hints_are_exact_within_their_budget_and_absent_past_it() {
        // 300 misspellings of 300 shapes: 90,000 comparisons unbounded.
        let misspelt: Vec<String> = (0..300).map(|i| format!("Shpae{i}")).collect();
        let text = with(&shapes(300), &members(misspelt.iter().map(String::as_str)));
        let candidates = type_candidates(300);
        let expected: Vec<Option<&str>> = misspelt
            .iter()
            .map(|m| names::closest(m, candidates.iter().map(String::as_str)))
            .collect();
        assert!(expected.iter().all(Option::is_some));

        let (all, unbounded) = lint(&text, u64::MAX);
        let got: Vec<Option<&str>> = all.iter().map(hint).collect();
        assert_eq!(got, expected);

        for budget in [0, 1_000, unbounded / 3, unbounded - 1] {
            let (diags, work) = lint(&text, budget);
            // Work stops at the budget, give or take the step that passed it (one candidate:
            // fewer than 100 cells here).
            assert!(work <= budget + 100, "{work} > {budget}");
            let got: Vec<Option<&str>> = diags.iter().map(hint).collect();
            // The hints given are the exact ones; once one is missing, the rest are too.
            let given = got.iter().take_while(|h| h.is_some()).count();
            assert_eq!(got[..given], expected[..given]);
            assert!(got[given..].iter().all(Option::is_none));
            assert!(given < expected.len());
        }
    }

    #[test]
    fn hint_work_is_bounded_whatever_the_spec_size() {
        // Distinct misspellings, each of a distinct shape: n² comparisons unbounded. The work
        // grows with n until it reaches the budget, then stays there; the hints past it are
        // left out.
        for (n, all_hinted) in [(500, true), (2_000, true), (4_000, false)] {
            let misspelt: Vec<String> = (0..n).map(|i| format!("Shpae{i}")).collect();
            let text = with(&shapes(n), &members(misspelt.iter().map(String::as_str)));
            let (diags, work) = lint(&text, words::HINT_BUDGET);
            assert_eq!(diags.len(), n);
            assert!(work <= words::HINT_BUDGET + 100, "{n}: {work}");
            assert_eq!(
                diags.iter().all(|d| hint(d).is_some()),
                all_hinted,
                "{n}: {work}"
            );
        }
    }

    #[test]
    fn a_spec_of_a_thousand_unknown_types_gets_every_hint() {
        // About 80 KB (a spec of half as many, 41 KB, is the size of the one that took 16-19 s
        // to lint with the hints unbounded).
        let n = 1_000;
        let misspelt: Vec<String> = (0..n).map(|i| format!("Shpae{i}")).collect();
        let text = with(&shapes(n), &members(misspelt.iter().map(String::as_str)));
        assert!(text.len() > 79_000, "{}", text.len());
        let (diags, work) = lint(&text, words::HINT_BUDGET);
        assert!(diags.iter().all(|d| hint(d).is_some()));
        assert!(work < words::HINT_BUDGET, "{work}");
    }

    #[test]
    fn candidates_far_from_the_name_in_length_cost_a_step_each() {
        // A 5-character name; candidates of 20 characters and more are at least 15 edits away.
        let long: String = (0..2_000)
            .map(|i| {
                format!("  AVeryLongShapeName{i:05}:\n    type: structure\n    members: {{}}\n")
            })
            .collect();
        let (_, one) = lint(&with(&long, &members(["Shap1"])), u64::MAX);
        let (_, two) = lint(&with(&long, &members(["Shap1", "Shap2"])), u64::MAX);
        // The second name: one step per candidate looked at (about 2,000), no table cell.
        let per_name = two - one;
        assert!((2_000..2_500).contains(&per_name), "{per_name}");
    }
}
