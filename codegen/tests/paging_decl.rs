//! Every pagination declaration the checker accepts yields a `Paginated` impl bound to the
//! members it names, by their keys in the spec, whatever their wire names (issue 14: a
//! `wire_name` that differed from the key used to leave a paginated operation without one).

use std::fs;

fn valid() -> String {
    fs::read_to_string("tests/fixtures/valid.yaml").unwrap()
}

/// The generated module of `text`, which must check clean.
fn generate(text: &str) -> String {
    match crspec_codegen::generate("paging.yaml", text) {
        Ok(g) => g.code,
        Err(d) => panic!(
            "the spec has problems:\n{} at {}",
            d.0[0].message, d.0[0].path
        ),
    }
}

#[test]
fn members_named_by_key_with_other_wire_names_are_bound() {
    // The request's token member is `cursor` in the spec and `nextToken` on the wire; the
    // response's items and token are renamed the same way. Exclusive groups name members by
    // key too, so the request's group names `cursor`.
    let text = valid()
        .replace(
            "      nextToken: {type: string}\n      maxResults:",
            "      cursor: {type: string, wire_name: nextToken}\n      maxResults:",
        )
        .replace(
            "      imageDetails: {type: list<ImageDetail>}\n      nextToken: {type: string}",
            "      details: {type: list<ImageDetail>, wire_name: imageDetails}\n      \
             more: {type: string, wire_name: nextToken}",
        )
        .replace("items: imageDetails", "items: details")
        .replace("input_token: nextToken", "input_token: cursor")
        .replace("output_token: nextToken", "output_token: more")
        .replace(
            "members: [imageIds, nextToken]",
            "members: [imageIds, cursor]",
        );
    assert!(text.contains("wire_name: nextToken}\n      maxResults:"));
    let code = generate(&text);
    assert!(
        code.contains("impl ::crspec_runtime::wire::Paginated for DescribeImagesRequest"),
        "no Paginated impl:\n{code}"
    );
    // Bound to the Rust fields of those keys, and the wire names kept on the wire.
    assert!(
        code.contains("let token = output.more.as_ref()?;"),
        "{code}"
    );
    assert!(
        code.contains("next.cursor = Some(token.clone());"),
        "{code}"
    );
    // No field is named by the wire name of the items (token paging reads on past empty
    // pages, so it does not look at them; `PAGE_ITEMS` names them on the wire).
    assert!(!code.contains("output.image_details"), "{code}");
    assert!(
        code.contains("pub const PAGE_ITEMS: &'static str = \"imageDetails\";"),
        "{code}"
    );
}

#[test]
fn every_style_of_the_real_specs_yields_a_paginator() {
    for spec in ["ecr", "ecr_public", "jdcloud", "tcr"] {
        let text = fs::read_to_string(format!("../specs/{spec}.yaml")).unwrap();
        let g = crspec_codegen::generate(spec, &text).unwrap();
        for op in g.ir.operations.iter().filter(|op| op.pagination.is_some()) {
            let input = &g.ir.structure(op.input).name;
            assert!(
                g.code.contains(&format!(
                    "impl ::crspec_runtime::wire::Paginated for {input}"
                )),
                "{spec}: {} declares pagination but has no paginator",
                op.wire
            );
        }
    }
}
