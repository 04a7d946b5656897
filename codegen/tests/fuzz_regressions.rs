//! Inputs found by fuzzing (`fuzz/`, see `fuzz/README.md`), kept as regression tests, and the
//! fuzz seed corpus run through the generator so that the seeds stay regression inputs too.
//!
//! The contract every input is held to is the fuzz targets' oracle: `generate` returns either
//! code that parses as a Rust file and that rustc's lexer and deny-by-default lints accept (no
//! bare carriage return or other control character in a comment, no bidirectional formatting
//! character anywhere), or diagnostics (never the generator's own "internal error"); it never
//! panics.

use std::fs;
use std::path::{Path, PathBuf};

/// The characters rustc's deny-by-default `text_direction_codepoint_in_comment` and
/// `text_direction_codepoint_in_literal` lints reject anywhere in a source file.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Generates `text` and checks the contract; `Ok(code)` or `Err(diagnostics)`.
fn check(name: &str, text: &str) -> Result<String, String> {
    match crspec_codegen::generate(name, text) {
        Ok(generated) => {
            let code = generated.code;
            if let Err(e) = syn::parse_file(&code) {
                panic!("{name}: the generated code does not parse: {e}");
            }
            if let Some(c) = code.chars().find(|&c| is_bidi(c)) {
                panic!("{name}: the generated code contains {c:?}, which rustc rejects");
            }
            for (i, line) in code.split('\n').enumerate() {
                if line.trim_start().starts_with("//") {
                    assert!(
                        !line.chars().any(|c| c.is_control() && c != '\t'),
                        "{name}: line {} is a comment with a control character: {line:?}",
                        i + 1
                    );
                }
            }
            Ok(code)
        }
        Err(diagnostics) => {
            assert!(
                !diagnostics.0.is_empty(),
                "{name}: an error without diagnostics"
            );
            for d in &diagnostics.0 {
                assert!(
                    !d.message.starts_with("internal error"),
                    "{name}: the generator emitted code that does not parse: {d}"
                );
            }
            Err(diagnostics.to_string())
        }
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Every seed of the `spec_bytes` fuzz target: the four provider specs, the small valid fixture
/// and a handful of malformed specs. The provider specs and the fixture generate; the malformed
/// ones are rejected with diagnostics.
#[test]
fn fuzz_seeds_generate_code_that_parses_or_diagnostics() {
    let dir = root().join("../fuzz/seeds/spec_bytes");
    let files = files(&dir);
    assert!(files.len() >= 5, "{}: too few seeds", dir.display());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = fs::read(&path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let result = check(&name, text);
        if name.starts_with("bad_") {
            assert!(result.is_err(), "{name}: a malformed seed generated code");
        } else {
            assert!(result.is_ok(), "{name}: {}", result.unwrap_err());
        }
    }
}

/// Runs one input of `tests/fuzz_regressions/`.
fn regression(file: &str) -> Result<String, String> {
    let path = root().join("tests/fuzz_regressions").join(file);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    check(file, &text)
}

// Found by `spec_structured` within a minute: spec text with a carriage return reaches a `//!`
// or `///` comment unfiltered, and rustc's lexer rejects a bare CR in a doc comment, so the
// output does not parse ("cannot parse string into token stream"; rustc: "bare CR not allowed
// in doc-comment"). Minimized by hand to one field of a minimal spec each.

/// `provider.name` goes raw into the module's first doc line (`emit::module_tokens`).
#[test]
fn provider_name_with_carriage_return() {
    let _ = regression("provider_name_with_carriage_return.yaml");
}

/// `provider.api_version` goes raw into the module's first doc line (`emit::module_tokens`).
#[test]
fn api_version_with_carriage_return() {
    let _ = regression("api_version_with_carriage_return.yaml");
}

/// A source id goes raw into the module's list of sources (`emit::module_tokens`).
#[test]
fn source_id_with_carriage_return() {
    let _ = regression("source_id_with_carriage_return.yaml");
}

/// The wire name of an undocumented member goes into its fallback doc line with only backticks
/// removed (`emit::emit_struct`).
#[test]
fn member_wire_name_with_carriage_return() {
    let _ = regression("member_wire_name_with_carriage_return.yaml");
}

// The same places with a bidirectional formatting character: the output parses, but rustc
// rejects it (deny-by-default `text_direction_codepoint_in_comment`).

/// U+202E RIGHT-TO-LEFT OVERRIDE in `provider.name`.
#[test]
fn provider_name_with_bidi_override() {
    let _ = regression("provider_name_with_bidi_override.yaml");
}

/// U+2066 LEFT-TO-RIGHT ISOLATE in the wire name of an undocumented member.
#[test]
fn member_wire_name_with_bidi_isolate() {
    let _ = regression("member_wire_name_with_bidi_isolate.yaml");
}

// Found by `spec_structured` after the fix above (a strict run on commit 98ebaba): the doc
// line of a member's `DEFAULT_*` constant ("The value the provider assumes when `…` is
// absent.", `emit::default_const`) takes the wire name with only backticks removed. Doc
// strings are literals, so `escape_bidi_in_literals` escapes the character there, but the doc
// comment prettyplease prints has it raw again.

/// A carriage return in the wire name of a member with a `default`: the output does not parse.
#[test]
fn defaulted_member_wire_name_with_carriage_return() {
    let _ = regression("defaulted_member_wire_name_with_carriage_return.yaml");
}

/// U+202E in the wire name of a member with a `default`: rustc rejects the output.
#[test]
fn defaulted_member_wire_name_with_bidi_override() {
    let _ = regression("defaulted_member_wire_name_with_bidi_override.yaml");
}

// Found by `spec_bytes` (the ECR spec with `TagStatus` renamed): `generate` and
// `generate_tokens` reported different diagnostics for the same text. The "did you mean" hint
// of an unknown type or shape is the closest name, and a tie between two equally close names
// is broken by the iteration order of a `HashMap` (`check::resolve` and the operation
// `input`/`output` check iterate `kinds.keys()`; `names::closest` keeps the first minimum).

/// The same spec gives the same diagnostics every time.
#[test]
fn did_you_mean_tie() {
    let first = regression("did_you_mean_tie.yaml").expect_err("an unknown type");
    assert!(first.contains("unknown type `Xy`"), "{first}");
    for _ in 0..50 {
        let again = regression("did_you_mean_tie.yaml").expect_err("an unknown type");
        assert_eq!(first, again, "the diagnostics changed between two runs");
    }
}

/// Every file of `tests/fuzz_regressions/` has a test of its own above.
#[test]
fn every_regression_input_has_a_test() {
    let source = fs::read_to_string(root().join("tests/fuzz_regressions.rs")).unwrap();
    for path in files(&root().join("tests/fuzz_regressions")) {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            source.contains(&format!("regression(\"{file}\")")),
            "{file} has no test in tests/fuzz_regressions.rs"
        );
    }
}
