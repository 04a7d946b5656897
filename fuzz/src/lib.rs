//! Shared code of the crspec fuzz targets: the oracle every spec input goes through
//! ([`check_spec`]) and the structure-aware spec description ([`structured::SpecDesc`]) that
//! `spec_structured` renders to mostly valid YAML.

pub mod structured;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The file name every fuzzed spec is generated under.
pub const FILE: &str = "fuzz.yaml";

/// What one spec did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The generator emitted code (and it parsed).
    Generated,
    /// The generator reported diagnostics.
    Rejected,
}

/// Runs one spec text through load → check → emit → format → `syn::parse_file`, and through
/// `generate_tokens`, and panics on anything that is not "code that parses" or "diagnostics":
/// a panic inside the generator, output that does not parse, the generator's own "internal
/// error" (its formatter could not parse the tokens it emitted), or `generate` and
/// `generate_tokens` disagreeing. Diagnostics are also rendered (as the CLI does), which must
/// not panic either.
pub fn check_spec(text: &str) -> Outcome {
    let generated = crspec_codegen::generate(FILE, text);
    let tokens = crspec_codegen::generate_tokens(FILE, text);
    match (&generated, &tokens) {
        (Ok(g), Ok((module, tokens))) => {
            let parsed = syn::parse_file(&g.code);
            let bidi = g.code.chars().find(|c| is_bidi(*c));
            if parsed.is_err() || bidi.is_some() {
                if allow_known() && known_defect(&g.code) {
                    KNOWN.fetch_add(1, Ordering::Relaxed);
                } else if let Err(e) = parsed {
                    panic!(
                        "generated code does not parse as a Rust file: {e}\n----\n{}",
                        g.code
                    );
                } else {
                    panic!(
                        "generated code contains the bidirectional formatting character {bidi:?}, \
                         which rustc rejects (text_direction_codepoint_in_comment/_literal)\n----\n{}",
                        g.code
                    );
                }
            }
            if let Err(e) = syn::parse2::<syn::File>(tokens.clone()) {
                panic!("generate_tokens output does not parse as a Rust file: {e}");
            }
            assert_eq!(
                &g.module, module,
                "generate and generate_tokens name different modules"
            );
            assert!(
                g.code.starts_with(crspec_codegen::GENERATED_MARKER),
                "the generated file lacks the @generated marker"
            );
            let _ = g.summary();
            let _ = g.details();
            Outcome::Generated
        }
        (Err(d), Err(dt)) => {
            assert!(!d.0.is_empty(), "generate failed with no diagnostic");
            if allow_known() && d != dt {
                // Known defect: a tie in a "did you mean" hint is broken by HashMap order.
                assert_eq!(
                    without_hints(d),
                    without_hints(dt),
                    "generate and generate_tokens report different diagnostics"
                );
                KNOWN_HINTS.fetch_add(1, Ordering::Relaxed);
            } else {
                assert_eq!(
                    d, dt,
                    "generate and generate_tokens report different diagnostics"
                );
            }
            for diag in &d.0 {
                assert!(
                    !diag.message.starts_with("internal error"),
                    "the generator emitted code that does not parse: {diag}"
                );
                let range = crspec_codegen::diag::byte_range(diag, text);
                assert!(range.start <= range.end && range.end <= text.len());
                assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            }
            let _ = d.to_string();
            let _ = crspec_codegen::diag::render(&d.0, text, false);
            Outcome::Rejected
        }
        (Err(d), Ok(_)) => panic!(
            "generate failed but generate_tokens succeeded (emitted tokens do not format?): {d}"
        ),
        (Ok(_), Err(d)) => panic!("generate succeeded but generate_tokens failed: {d}"),
    }
}

static GENERATED: AtomicU64 = AtomicU64::new(0);
static REJECTED: AtomicU64 = AtomicU64::new(0);

/// Counts outcomes; with `CRSPEC_FUZZ_STATS=N` in the environment, prints the share of inputs
/// that passed the checker every N inputs (to measure how much reaches emission).
pub fn record(label: &str, outcome: Outcome) {
    static EVERY: OnceLock<Option<u64>> = OnceLock::new();
    let Some(every) = *EVERY.get_or_init(|| {
        std::env::var("CRSPEC_FUZZ_STATS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|n| *n > 0)
    }) else {
        return;
    };
    let counter = match outcome {
        Outcome::Generated => &GENERATED,
        Outcome::Rejected => &REJECTED,
    };
    counter.fetch_add(1, Ordering::Relaxed);
    let ok = GENERATED.load(Ordering::Relaxed);
    let all = ok + REJECTED.load(Ordering::Relaxed);
    if all.is_multiple_of(every) {
        eprintln!(
            "crspec-fuzz {label}: {ok} of {all} inputs passed the checker ({:.1}%); \
             known defects: {} comment, {} hint",
            100.0 * ok as f64 / all as f64,
            KNOWN.load(Ordering::Relaxed),
            KNOWN_HINTS.load(Ordering::Relaxed)
        );
    }
}

static KNOWN: AtomicU64 = AtomicU64::new(0);
static KNOWN_HINTS: AtomicU64 = AtomicU64::new(0);

/// The diagnostics with every "did you mean" hint cut off.
fn without_hints(d: &crspec_codegen::Diagnostics) -> Vec<String> {
    d.0.iter()
        .map(|d| {
            let text = d.to_string();
            match text.find("did you mean") {
                Some(i) => text[..i].to_owned(),
                None => text,
            }
        })
        .collect()
}

/// The characters rustc's deny-by-default `text_direction_codepoint_in_comment` and
/// `text_direction_codepoint_in_literal` lints reject anywhere in a source file.
pub fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// With `CRSPEC_FUZZ_ALLOW_KNOWN=1`, two classes of known defect are counted instead of
/// crashing, so that a long run can look for other defects: outputs that fail only because
/// control or bidirectional formatting characters of spec text reach a `//` comment (see
/// fuzz/README.md: provider name, api_version, source id, member wire names in fallback and
/// `DEFAULT_*` docs), and diagnostics of two runs that differ only in a "did you mean" hint
/// (ties broken by HashMap order). Without it both crash. It hides every site of a class, new
/// ones included.
fn allow_known() -> bool {
    static ALLOW: OnceLock<bool> = OnceLock::new();
    *ALLOW.get_or_init(|| std::env::var_os("CRSPEC_FUZZ_ALLOW_KNOWN").is_some_and(|v| v == "1"))
}

/// `true` when the code parses, and has no bidirectional formatting character, once control and
/// bidirectional formatting characters are dropped from its comment lines (and only there).
fn known_defect(code: &str) -> bool {
    let cleaned: Vec<String> = code
        .split('\n')
        .map(|line| {
            if line.trim_start().starts_with("//") {
                line.chars()
                    .filter(|&c| !(is_bidi(c) || (c.is_control() && c != '\t')))
                    .collect()
            } else {
                line.to_owned()
            }
        })
        .collect();
    let cleaned = cleaned.join("\n");
    !cleaned.chars().any(is_bidi) && syn::parse_file(&cleaned).is_ok()
}
