//! Every constraint of every provider, driven by the specs themselves: for each constrained
//! member of each request (nested members included), values at both bounds pass and values just
//! past each bound fail with exactly the right violation; every enum value passes and an
//! unlisted one fails; every exclusive group fails when two of its members are set; and a request
//! with every member wrong reports every fault.
//!
//! The IR of each spec says what to test; the generated types (through their serde forms) are
//! what is tested. Strings at a given length that match (or do not match) a pattern are found by
//! walking the pattern's compiled automaton, so that a length case never also breaks the pattern.

mod common;

use common::*;
use crspec_codegen::ir::{Bounds, Field, Struct, Ty};
use crspec_runtime::Rule;
use serde_json::{Value, json};

/// One case: the request, and the violation it must produce (or none).
struct Case {
    what: String,
    request: Value,
    expect: Option<(String, Rule)>,
}

fn cases_for(cx: &Cx<'_>, input: &Struct, chain: &mut Vec<(&Struct, &Field)>, out: &mut Vec<Case>) {
    let (_, f) = *chain.last().unwrap();
    let path = wire_path(chain);
    let mut case = |what: String, value: Value, expect: Option<Rule>| {
        out.push(Case {
            what: format!("{path}: {what}"),
            request: place(cx, input, chain, value),
            expect: expect.map(|r| (path.clone(), r)),
        });
    };
    if let Some(Bounds { min: lo, max: hi }) = f.length {
        let t = cx.tables(f);
        let mut at = |len: u64, ok: bool| {
            let n = usize::try_from(len).unwrap();
            if let Some(s) = string_of_len(t, n, true) {
                let expect = (!ok).then_some(Rule::Length {
                    min: lo,
                    max: hi,
                    actual: len,
                });
                case(format!("length {len}"), json!(s), expect);
            } else {
                assert!(!ok, "{path}: no value of length {len} matches the pattern");
            }
        };
        if let Some(lo) = lo {
            at(lo, true);
            if lo > 0 {
                at(lo - 1, false);
            }
        }
        if let Some(hi) = hi {
            at(hi, true);
            at(hi + 1, false);
        }
    }
    if let Some(i) = f.pattern {
        let source = &cx.module.pattern(i).source;
        let bad = string_in_bounds(cx.tables(f), f.length, false).expect("a rejected string");
        let rule = Rule::Pattern {
            pattern: leak(source),
        };
        case(format!("pattern rejects {bad:?}"), json!(bad), Some(rule));
        let good = string_in_bounds(cx.tables(f), f.length, true).expect("an accepted string");
        case(format!("pattern accepts {good:?}"), json!(good), None);
    }
    if let Some(Bounds { min: lo, max: hi }) = f.range {
        use crspec_runtime::validation::Number;
        let double = f.ty == Ty::Double;
        let num = |n: f64| {
            if double {
                Number::Float(n)
            } else {
                Number::Int(n as i64)
            }
        };
        let val = |n: f64| if double { json!(n) } else { json!(n as i64) };
        let step = if double { 0.5 } else { 1.0 };
        let rule = |actual: f64| Rule::Range {
            min: lo.map(|l| num(l.as_f64())),
            max: hi.map(|h| num(h.as_f64())),
            actual: num(actual),
        };
        if let Some(lo) = lo {
            let lo = lo.as_f64();
            case(format!("value {lo}"), val(lo), None);
            case(
                format!("value {}", lo - step),
                val(lo - step),
                Some(rule(lo - step)),
            );
        }
        if let Some(hi) = hi {
            let hi = hi.as_f64();
            case(format!("value {hi}"), val(hi), None);
            case(
                format!("value {}", hi + step),
                val(hi + step),
                Some(rule(hi + step)),
            );
        }
    }
    if let (Some(Bounds { min: lo, max: hi }), Ty::List(item)) = (f.items, &f.ty) {
        let mut at = |n: u64, ok: bool| {
            let items: Vec<Value> = (0..n).map(|_| cx.valid_of(item, None, None)).collect();
            let expect = (!ok).then_some(Rule::Items {
                min: lo,
                max: hi,
                actual: n,
            });
            case(format!("{n} items"), Value::Array(items), expect);
        };
        if let Some(lo) = lo {
            at(lo, true);
            if lo > 0 {
                at(lo - 1, false);
            }
        }
        if let Some(hi) = hi {
            at(hi, true);
            at(hi + 1, false);
        }
    }
    if let Ty::Enum(id) = f.ty {
        let e = cx.module.enumeration(id);
        for v in &e.values {
            case(format!("enum value {}", v.wire), json!(v.wire), None);
        }
        let allowed: Vec<&'static str> = e.values.iter().map(|v| leak(&v.wire)).collect();
        let rule = Rule::Enum {
            value: "NOT_A_LISTED_VALUE".into(),
            allowed: Box::leak(allowed.into_boxed_slice()),
        };
        case(
            "unlisted enum value".into(),
            json!("NOT_A_LISTED_VALUE"),
            Some(rule),
        );
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn all_cases(cx: &Cx<'_>, input: &Struct) -> Vec<Case> {
    let mut out = Vec::new();
    fn walk<'a>(
        cx: &Cx<'a>,
        input: &'a Struct,
        s: &'a Struct,
        chain: &mut Vec<(&'a Struct, &'a Field)>,
        out: &mut Vec<Case>,
        depth: usize,
    ) {
        for f in &s.fields {
            chain.push((s, f));
            cases_for(cx, input, chain, out);
            let inner = match f.ty {
                Ty::Struct(id) => Some(id),
                _ => f.ty.list_of_struct(),
            };
            if let Some(n) = inner
                && depth < 4
            {
                walk(cx, input, cx.module.structure(n), chain, out, depth + 1);
            }
            chain.pop();
        }
    }
    walk(cx, input, input, &mut Vec::new(), &mut out, 0);
    out
}

#[test]
fn every_constrained_member_of_every_provider_at_and_past_its_bounds() {
    let mut total = 0;
    let mut unconstrained = Vec::new();
    for module in modules() {
        let cx = Cx::new(&module);
        for op in &module.operations {
            let input = module.structure(op.input);
            let validate = validator(&module.id, &input.name);
            // The minimal request itself is valid.
            let minimal = cx.minimal(input);
            validate(minimal.clone())
                .unwrap_or_else(|e| {
                    panic!(
                        "{}: minimal request does not parse: {e}\n{minimal}",
                        module.id
                    )
                })
                .unwrap_or_else(|e| {
                    panic!("{}: minimal request is invalid:\n{e}\n{minimal}", module.id)
                });
            let cases = all_cases(&cx, input);
            if cases.is_empty() {
                // The provider documents no constraint on this request (its required members are
                // checked by the builder tests of `tests/providers.rs`).
                unconstrained.push(module.id.clone());
                continue;
            }
            for case in cases {
                total += 1;
                let result = validate(case.request.clone()).unwrap_or_else(|e| {
                    panic!(
                        "{} {}: does not parse: {e}\n{}",
                        module.id, case.what, case.request
                    )
                });
                match (&case.expect, result) {
                    (None, Ok(())) => {}
                    (None, Err(e)) => panic!(
                        "{} {}: expected valid, got\n{e}\n{}",
                        module.id, case.what, case.request
                    ),
                    (Some((path, rule)), Ok(())) => panic!(
                        "{} {}: expected `{path}: {rule}`, got valid\n{}",
                        module.id, case.what, case.request
                    ),
                    (Some((path, rule)), Err(e)) => {
                        let v = e.violations();
                        assert_eq!(
                            v.len(),
                            1,
                            "{} {}: expected one violation, got\n{e}",
                            module.id,
                            case.what
                        );
                        assert_eq!(&v[0].path, path, "{} {}", module.id, case.what);
                        assert_eq!(&v[0].rule, rule, "{} {}", module.id, case.what);
                    }
                }
            }
        }
    }
    // ECR 29 (registry id and repository name: length and pattern; image ids; tag length; page
    // size; both filter enums), ECR Public 20, JD Cloud 10 (page size, filter names), OCI 16
    // (name and reference patterns of the manifest inputs, ListTags' name, `n` and `last`,
    // Catalog's `n`): a change here means a spec gained or lost a constraint.
    assert_eq!(total, 75, "cases over all specs");
    // TCR's DescribeImages documents no length, range, list size, pattern or enum.
    assert_eq!(unconstrained, ["tcr"]);
}

#[test]
fn every_exclusive_group_rejects_two_members_set() {
    let mut groups = 0;
    for module in modules() {
        let cx = Cx::new(&module);
        for op in &module.operations {
            let input = module.structure(op.input);
            let validate = validator(&module.id, &input.name);
            for group in &input.exclusive {
                groups += 1;
                let wires: Vec<&str> = group
                    .members
                    .iter()
                    .map(|&i| input.fields[i].wire.as_str())
                    .collect();
                for (i, &a) in group.members.iter().enumerate() {
                    for &b in &group.members[i + 1..] {
                        let (fa, fb) = (&input.fields[a], &input.fields[b]);
                        let (a, b) = (fa.wire.as_str(), fb.wire.as_str());
                        let mut request = cx.minimal(input);
                        for f in [fa, fb] {
                            request[&f.wire] = cx.valid(f);
                        }
                        let err = validate(request.clone()).unwrap().unwrap_err();
                        let v = err.violations();
                        assert_eq!(v.len(), 1, "{}: {a} + {b}: {err}", module.id);
                        assert_eq!(v[0].path, "(request)");
                        match &v[0].rule {
                            Rule::Exclusive { members, set } => {
                                assert_eq!(*members, wires.as_slice());
                                assert_eq!(set, &[a, b]);
                            }
                            other => panic!("{}: {a} + {b}: {other}", module.id),
                        }
                        // Either one alone is fine.
                        for f in [fa, fb] {
                            let mut request = cx.minimal(input);
                            request[&f.wire] = cx.valid(f);
                            validate(request).unwrap().unwrap();
                        }
                    }
                }
            }
        }
    }
    assert!(groups >= 2, "only {groups} exclusive groups in all specs");
}

#[test]
fn a_request_with_every_member_wrong_reports_every_fault() {
    for module in modules() {
        let cx = Cx::new(&module);
        for op in &module.operations {
            let input = module.structure(op.input);
            let validate = validator(&module.id, &input.name);
            // Take the first failing case under each top-level member (nested members included)
            // and apply them all at once.
            let mut request = cx.minimal(input);
            let mut expected = Vec::new();
            let mut done: Vec<String> = Vec::new();
            for case in all_cases(&cx, input) {
                let Some((path, rule)) = case.expect else {
                    continue;
                };
                let top = path.split(['.', '[']).next().unwrap().to_owned();
                if done.contains(&top) {
                    continue;
                }
                request[&top] = case.request[&top].clone();
                expected.push((path, rule));
                done.push(top);
            }
            if expected.is_empty() {
                continue;
            }
            // Members of exclusive groups now set together add their own violations.
            let err = validate(request.clone()).unwrap().unwrap_err();
            for (path, rule) in &expected {
                assert!(
                    err.violations()
                        .iter()
                        .any(|v| &v.path == path && &v.rule == rule),
                    "{}: `{path}: {rule}` missing from\n{err}",
                    module.id
                );
            }
            // OCI's Catalog constrains one member (`n`); every other input at least two.
            assert!(
                expected.len() >= 2 || (module.id == "oci" && input.name == "CatalogRequest"),
                "{}: only {} faults",
                module.id,
                expected.len()
            );
            assert_eq!(err.to_string().lines().count(), err.violations().len());
        }
    }
}

/// A builder without required members builds the value and validates it (it has no checks of
/// its own): the same violations as `validate()` on the value, and the value when there is none.
#[test]
fn a_builder_without_required_members_validates_what_it_builds() {
    use crspec::ecr::ImageIdentifier;
    use crspec::runtime::Rule;

    let err = ImageIdentifier::builder()
        .image_tag("")
        .image_digest("not a digest")
        .build()
        .expect_err("an empty tag");
    let mut literal = ImageIdentifier::default();
    literal.image_tag = Some(String::new());
    literal.image_digest = Some("not a digest".into());
    let direct = literal.validate().expect_err("the same faults");
    assert_eq!(err.violations(), direct.violations());
    assert!(
        err.violations().iter().any(|v| v.path == "imageTag"
            && matches!(
                v.rule,
                Rule::Length {
                    min: Some(1),
                    actual: 0,
                    ..
                }
            )),
        "{err}"
    );

    let built = ImageIdentifier::builder().image_tag("v1").build().unwrap();
    assert_eq!(
        (built.image_tag.as_deref(), built.image_digest.as_deref()),
        (Some("v1"), None)
    );
}
