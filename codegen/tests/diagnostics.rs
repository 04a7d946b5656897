//! Malformed specs: each file in `tests/bad/` must fail with the diagnostics its `# expect:`
//! lines name (file:line:col, spec path and message), and the full rendering is snapshotted.

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
    });
    assert!(count >= 30, "only {count} malformed specs");
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
