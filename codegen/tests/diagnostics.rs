//! Malformed specs: each file in `tests/bad/` must fail with the diagnostics its `# expect:`
//! lines name (file:line:col, spec path and message), and the full rendering is snapshotted.

use std::collections::BTreeMap;
use std::fs;

#[test]
fn the_valid_fixture_generates() {
    let text = fs::read_to_string("tests/fixtures/valid.yaml").unwrap();
    let generated = crspec_codegen::generate("fixtures/valid.yaml", &text).unwrap();
    syn::parse_file(&generated.code).unwrap();
}

#[test]
fn malformed_specs_report_every_problem_with_its_place() {
    let mut count = 0;
    // Each diagnostic code, with the cases that give it: snapshotted, so that a renamed or
    // newly split code shows in review (codes are stable names tools filter on).
    let mut codes: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    insta::glob!("bad/*.yaml", |path| {
        count += 1;
        let text = fs::read_to_string(path).unwrap();
        let name = format!("bad/{}", path.file_name().unwrap().to_string_lossy());
        let expected: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .collect();
        assert!(!expected.is_empty(), "{name} has no `# expect:` line");
        let err = match crspec_codegen::generate(&name, &text) {
            Ok(_) => panic!("{name} generated, but it is malformed"),
            Err(e) => e,
        };
        let rendered = err.to_string();
        for e in &expected {
            assert!(
                rendered.lines().any(|l| l == *e),
                "{name}: expected the line\n  {e}\nin\n{rendered}"
            );
        }
        assert_eq!(
            err.0.len(),
            expected.len(),
            "{name}: every diagnostic needs an `# expect:` line; got\n{rendered}"
        );
        insta::assert_snapshot!(rendered);
        for d in &err.0 {
            assert!(
                d.code.starts_with(|c: char| c.is_ascii_lowercase())
                    && d.code
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{name}: the code `{}` is not a snake_case name",
                d.code
            );
            let cases = codes.entry(d.code).or_default();
            if !cases.contains(&name) {
                cases.push(name.clone());
            }
        }
    });
    assert!(count >= 30, "only {count} malformed specs");
    let table: String = codes
        .iter()
        .map(|(code, cases)| format!("{code}: {}\n", cases.join(", ")))
        .collect();
    insta::assert_snapshot!("diagnostic_codes", table);
}

#[test]
fn pattern_statics_get_distinct_names_when_names_collide() {
    // `Foo.barBaz` and `FooBar.baz` both suggest `FOO_BAR_BAZ`.
    let text = fs::read_to_string("tests/fixtures/pattern_name_collision.yaml").unwrap();
    let generated =
        crspec_codegen::generate("fixtures/pattern_name_collision.yaml", &text).unwrap();
    let file = syn::parse_file(&generated.code).unwrap();
    let mut statics: Vec<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Static(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    let count = statics.len();
    statics.sort();
    statics.dedup();
    assert_eq!(statics.len(), count, "{statics:?}");
    assert!(statics.contains(&"FOO_BAR_BAZ".to_owned()), "{statics:?}");
    assert!(statics.contains(&"FOO_BAR_BAZ_2".to_owned()), "{statics:?}");
}

#[test]
fn pattern_statics_are_never_named_like_a_module_constant() {
    // `Api.version` suggests `API_VERSION`, the module's constant of that name.
    let file = "fixtures/compile/pattern_named_like_a_module_constant.yaml";
    let text = fs::read_to_string(format!("tests/{file}")).unwrap();
    let generated = crspec_codegen::generate(file, &text).unwrap();
    let file = syn::parse_file(&generated.code).unwrap();
    let values: Vec<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Static(s) => Some(s.ident.to_string()),
            syn::Item::Const(c) => Some(c.ident.to_string()),
            _ => None,
        })
        .collect();
    let count = values.len();
    let mut distinct = values.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), count, "{values:?}");
    assert!(values.contains(&"API_VERSION_2".to_owned()), "{values:?}");
}

#[test]
fn generate_all_matches_generate_in_input_order() {
    let valid = fs::read_to_string("tests/fixtures/valid.yaml").unwrap();
    let bad = fs::read_to_string("tests/bad/unknown_type_with_hint.yaml").unwrap();
    let mut inputs: Vec<(&str, &str)> = Vec::new();
    // More specs than cores, good and bad interleaved.
    for _ in 0..5 {
        inputs.push(("fixtures/valid.yaml", &valid));
        inputs.push(("bad/unknown_type_with_hint.yaml", &bad));
    }
    let all = crspec_codegen::generate_all(&inputs);
    assert_eq!(all.len(), inputs.len());
    for ((file, text), result) in inputs.iter().zip(&all) {
        match (crspec_codegen::generate(file, text), result) {
            (Ok(one), Ok(many)) => assert_eq!(one.code, many.code, "{file}"),
            (Err(one), Err(many)) => assert_eq!(one.to_string(), many.to_string(), "{file}"),
            (one, many) => panic!("{file}: generate gave {one:?}, generate_all {many:?}"),
        }
    }
    assert!(crspec_codegen::generate_all(&[]).is_empty());
}
