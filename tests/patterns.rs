//! Differential test of every pattern of every provider: the generated validator (tables compiled
//! while generating) and the `regex` crate (full match, `^(?:...)$`) agree on random strings
//! drawn from the pattern's own alphabet, from strings the pattern generates, and from arbitrary
//! Unicode.
//!
//! Two layers, 102,100 cases per pattern in all:
//! - 100,000 cases run the pattern as the generated module holds it (`PATTERNS[i]`: generated
//!   matching code for a small automaton, tables for a large one) and, beside it, the tables the
//!   generator computed, through the runtime's table matcher (`crspec_runtime::full_match`);
//! - 2,100 cases go through the generated request type end to end (deserialize, `validate()`),
//!   checking that a pattern violation is reported at the member's path exactly when the regex
//!   crate rejects the value.

mod common;

use common::*;
use crspec_codegen::ir::{Field, PatternId, Struct, Ty};
use crspec_runtime::Rule;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

/// Cases per pattern against the emitted tables, split between the three sources of strings.
const OWN_ALPHABET: u32 = 50_000;
const GENERATED_BY_PATTERN: u32 = 20_000;
const ARBITRARY_UNICODE: u32 = 30_000;
/// Cases per pattern through the generated request type, from each source.
const END_TO_END: u32 = 700;

/// A member that uses each pattern, as the chain of structures from the request down to it.
fn members_with_patterns<'a>(
    cx: &Cx<'a>,
    input: &'a Struct,
) -> Vec<(PatternId, Vec<(&'a Struct, &'a Field)>)> {
    fn walk<'a>(
        cx: &Cx<'a>,
        s: &'a Struct,
        chain: &mut Vec<(&'a Struct, &'a Field)>,
        out: &mut Vec<(PatternId, Vec<(&'a Struct, &'a Field)>)>,
    ) {
        for f in &s.fields {
            chain.push((s, f));
            if let Some(i) = f.pattern
                && !out.iter().any(|(j, _)| *j == i)
            {
                out.push((i, chain.clone()));
            }
            let inner = match f.ty {
                Ty::Struct(id) => Some(id),
                _ => f.ty.list_of_struct(),
            };
            if let Some(n) = inner
                && chain.len() < 5
            {
                walk(cx, cx.module.structure(n), chain, out);
            }
            chain.pop();
        }
    }
    let mut out = Vec::new();
    walk(cx, input, &mut Vec::new(), &mut out);
    out
}

/// The characters the pattern's automaton treats differently from "anything else": every
/// printable ASCII character that leads somewhere other than the dead state from some state, plus
/// a few that never do (so that near-misses are drawn too).
fn alphabet(cx: &Cx<'_>, index: PatternId) -> Vec<char> {
    let t = &cx.module.pattern(index).tables;
    let states = t.accept.len();
    let mut chars: Vec<char> = (0x20u8..0x7f)
        .filter(|&b| {
            let class = usize::from(t.classes[usize::from(b)]);
            (1..states).any(|s| t.table[s * t.alphabet_len + class] != 0)
        })
        .map(char::from)
        .collect();
    chars.extend(['A', ' ', '/', '-', '.', '_', 'é', '\u{0}']);
    chars.sort_unstable();
    chars.dedup();
    chars
}

/// The JSON pointer of the member at the end of `chain` (`/imageIds/0/imageTag`).
fn json_pointer(chain: &[(&Struct, &Field)]) -> String {
    let mut pointer = String::new();
    for (i, (_, f)) in chain.iter().enumerate() {
        pointer.push('/');
        pointer.push_str(&f.wire.replace('~', "~0").replace('/', "~1"));
        if i + 1 < chain.len() && matches!(f.ty, Ty::List(_)) {
            pointer.push_str("/0");
        }
    }
    pointer
}

#[test]
fn generated_validators_agree_with_the_regex_crate() {
    let mut patterns = 0;
    let mut total = 0u64;
    for module in modules() {
        let cx = Cx::new(&module);
        for op in &module.operations {
            let input = module.structure(op.input);
            let validate = validator(&module.id, &input.name);
            for (index, chain) in members_with_patterns(&cx, input) {
                patterns += 1;
                let source = module.pattern(index).source.clone();
                let regex = regex::Regex::new(&format!("^(?:{source})$")).unwrap();
                let path = wire_path(&chain);
                // The request with a placeholder at the member, and where the member sits in it.
                let template = place(&cx, input, &chain, json!("\u{0}placeholder"));
                let pointer = json_pointer(&chain);
                assert_eq!(template.pointer(&pointer), Some(&json!("\u{0}placeholder")));
                let end_to_end = |value: &str| -> Result<(), TestCaseError> {
                    let mut request = template.clone();
                    if let Some(slot) = request.pointer_mut(&pointer) {
                        *slot = json!(value);
                    }
                    let result = validate(request).expect("the request parses");
                    let generated = !result.is_err_and(|e| {
                        e.violations()
                            .iter()
                            .any(|v| v.path == path && matches!(v.rule, Rule::Pattern { .. }))
                    });
                    prop_assert_eq!(
                        generated,
                        regex.is_match(value),
                        "{}: pattern {:?} on {:?}",
                        module.id,
                        source,
                        value
                    );
                    Ok(())
                };
                // The pattern as the generated module compiled it, and the computed tables.
                let compiled = common::patterns(&module.id)[index.0];
                assert_eq!(
                    compiled.source(),
                    source,
                    "{}: PATTERNS[{}]",
                    module.id,
                    index.0
                );
                let t = &module.pattern(index).tables;
                let (table, accept) = (t.table_bytes(), t.accept_bytes());
                let tables = |value: &str| -> Result<(), TestCaseError> {
                    prop_assert_eq!(
                        compiled.is_full_match(value),
                        regex.is_match(value),
                        "{}: generated pattern {:?} on {:?}",
                        module.id,
                        source,
                        value
                    );
                    let generated = crspec_runtime::full_match(
                        &t.classes,
                        t.alphabet_len,
                        t.start,
                        t.wide(),
                        &table,
                        &accept,
                        value.as_bytes(),
                    );
                    prop_assert_eq!(
                        generated,
                        regex.is_match(value),
                        "{}: pattern {:?} on {:?}",
                        module.id,
                        source,
                        value
                    );
                    Ok(())
                };
                let chars = alphabet(&cx, index);
                let own = proptest::collection::vec(proptest::sample::select(chars), 0..80)
                    .prop_map(|c| c.into_iter().collect::<String>());
                let by_pattern = proptest::string::string_regex(&source).unwrap();
                let strategies = [
                    (OWN_ALPHABET, own.boxed()),
                    (GENERATED_BY_PATTERN, by_pattern.boxed()),
                    (ARBITRARY_UNICODE, any::<String>().boxed()),
                ];
                for (cases, strategy) in &strategies {
                    for (cases, check) in [
                        (
                            *cases,
                            &tables as &dyn Fn(&str) -> Result<(), TestCaseError>,
                        ),
                        (END_TO_END, &end_to_end),
                    ] {
                        let mut runner = TestRunner::new(Config {
                            cases,
                            failure_persistence: None,
                            ..Config::default()
                        });
                        runner
                            .run(strategy, |value| check(&value))
                            .unwrap_or_else(|e| panic!("{}: {path}: {e}", module.id));
                        total += u64::from(cases);
                    }
                }
            }
        }
    }
    // Two patterns (registry id, repository name) in each of the two AWS specs; six in OCI's
    // (the repository name of each of three inputs, ListTags' `last`, the two references).
    assert_eq!(patterns, 10, "patterns in all specs");
    assert_eq!(total, 10 * 102_100, "cases run");
}
