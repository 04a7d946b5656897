//! Hostile input gives valid Rust or a precise diagnostic, never a panic: doc text that could
//! break out of a comment, a fence or HTML; names that are keywords, start with digits or collide;
//! a spec of 10,000 members; lists of lists nested far too deep; YAML anchors, aliases, merge
//! keys, duplicate keys, tabs, a BOM; empty and binary input. That the hostile fixture also
//! *compiles* is the trybuild pass case `codegen/macros/tests/ui/pass/hostile.rs`.

use std::fs;

fn valid() -> String {
    fs::read_to_string("tests/fixtures/valid.yaml").unwrap()
}

/// Generates `text`; the output must parse as a Rust file.
fn generate(name: &str, text: &str) -> Result<String, String> {
    match crspec_codegen::generate(name, text) {
        Ok(generated) => {
            syn::parse_file(&generated.code)
                .unwrap_or_else(|e| panic!("{name}: the output does not parse: {e}"));
            Ok(generated.code)
        }
        Err(diagnostics) => Err(diagnostics.to_string()),
    }
}

/// The doc comments of the generated file, as rustdoc receives them.
fn doc_lines(code: &str) -> Vec<String> {
    code.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("///")
                .or_else(|| l.strip_prefix("//!"))
                .map(str::to_owned)
        })
        .collect()
}

#[test]
fn hostile_doc_text_stays_inert_text() {
    let code = generate(
        "fixtures/hostile.yaml",
        &fs::read_to_string("tests/fixtures/hostile.yaml").unwrap(),
    )
    .unwrap();
    let docs = doc_lines(&code);
    let hostile: Vec<&String> = docs.iter().filter(|l| l.contains("End */")).collect();
    // Provider, enum value, error and member docs (the member twice: anchor and alias).
    assert!(hostile.len() >= 4, "{hostile:#?}");
    for line in &hostile {
        // The text is there, in one piece …
        assert!(
            line.contains("End */ of /* comment \" quote # hash `tick`"),
            "{line}"
        );
        assert!(line.contains("🦀 \\ backslash"), "{line}");
        // … with HTML, fences, control and bidi characters defused.
        assert!(line.contains("&lt;script>alert(1)&lt;/script>"), "{line}");
        assert!(line.contains("\\`\\`\\` fence \\~\\~\\~ tilde"), "{line}");
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
        assert!(
            !line.contains(['\u{202e}', '\u{2066}', '\u{2028}']),
            "{line:?}"
        );
    }
    // A fence in the docs never opens a code block (which rustdoc would run as a doctest).
    assert!(
        docs.iter().all(|l| !l.trim_start().starts_with("```")),
        "{docs:#?}"
    );
    assert!(
        docs.iter()
            .any(|l| l.contains("\\`\\`\\`rust fn main() { panic!() }"))
    );
    // 500 repetitions of a four-character cluster survive whole.
    assert!(code.contains(&"🦀é中\u{301}".repeat(500)));
    // The `*/` inside a doc is never inside a block comment of the output.
    assert!(!code.contains("/*!") && !code.contains("/**"));
}

#[test]
fn names_that_are_keywords_start_with_digits_or_collide_are_diagnostics_with_a_fix() {
    let with_member = |member: &str| {
        valid().replace(
            "      nextToken: {type: string}\n      maxResults",
            &format!("      nextToken: {{type: string}}\n{member}\n      maxResults"),
        )
    };
    let err = generate("kw.yaml", &with_member("      type: {type: string}")).unwrap_err();
    assert_eq!(
        err,
        "kw.yaml:59:7: shapes.DescribeImagesRequest.members.type: the Rust field name: `type` is \
         a Rust keyword; set `rust_name` to the Rust field name"
    );
    let err = generate("digit.yaml", &with_member("      9lives: {type: string}")).unwrap_err();
    assert!(
        err.starts_with("digit.yaml:59:7: shapes.DescribeImagesRequest.members.9lives: the Rust field name: `9lives` is not a Rust identifier"),
        "{err}"
    );
    let err = generate(
        "collide.yaml",
        &with_member("      next_token: {type: string}"),
    )
    .unwrap_err();
    assert_eq!(
        err,
        "collide.yaml:59:7: shapes.DescribeImagesRequest.members.next_token: `next_token` and \
         `nextToken` both become the Rust field `next_token`; set `rust_name` on one of them"
    );
    // With `rust_name`, the same wire names generate.
    let code = generate(
        "fixed.yaml",
        &with_member("      type: {type: string, rust_name: kind}\n      9lives: {type: string, rust_name: nine_lives}"),
    )
    .unwrap();
    assert!(code.contains("pub kind: Option<String>"), "{code}");
    // The wire names are what the generated `Serialize` writes and `Deserialize` reads.
    let flat: String = code.split_whitespace().collect();
    for (wire, field) in [("type", "kind"), ("9lives", "nine_lives")] {
        assert!(
            flat.contains(&format!(
                "optional_field(&mutout,\"{wire}\",self.{field}.as_ref()"
            )),
            "{code}"
        );
        // `Deserialize` matches the wire name to the member's index, which reads the field.
        let arm = format!("b\"{wire}\"=>");
        let at = flat.find(&arm).unwrap_or_else(|| panic!("{arm}: {code}")) + arm.len();
        let index: String = flat[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let read = format!("::crspec_runtime::__private::structs::value(&mutmap,&mutfield_{field}");
        // The arm, after the one before it (`,` or `}`) or the `match` (`{`), braced or not.
        let mut arms = ["{", "}", ","]
            .into_iter()
            .flat_map(|before| ["", "{"].map(|brace| format!("{before}{index}=>{brace}{read}")));
        assert!(
            arms.any(|arm| flat.contains(&arm)),
            "{index} {read}: {code}"
        );
    }
}

#[test]
fn a_spec_of_ten_thousand_members_generates() {
    let members: String = (0..10_000)
        .map(|i| format!("      member{i}: {{type: string, length: {{max: 5}}}}\n"))
        .collect();
    let text = valid().replace(
        "      nextToken: {type: string}\n      maxResults:",
        &format!("      nextToken: {{type: string}}\n{members}      maxResults:"),
    );
    let code = generate("many.yaml", &text).unwrap();
    let baseline = generate("valid.yaml", &valid()).unwrap();
    assert!(code.contains("pub member0: Option<String>"));
    assert!(code.contains("pub member9999: Option<String>"));
    // Each member is checked by `validate_at` of the request and of its builder.
    assert_eq!(
        code.matches("check::length(").count(),
        baseline.matches("check::length(").count() + 2 * 10_000
    );
}

#[test]
fn lists_of_lists_generate_up_to_the_limit_and_are_a_diagnostic_past_it() {
    let with_type = |depth: usize| {
        let ty = format!("{}string{}", "list<".repeat(depth), ">".repeat(depth));
        valid().replace(
            "imageDigest: {type: string}\n      imagePushedAt",
            &format!("imageDigest: {{type: \"{ty}\"}}\n      imagePushedAt"),
        )
    };
    let code = generate("nested.yaml", &with_type(30)).unwrap();
    // prettyplease breaks a long type over lines (with trailing commas): compare without them.
    let ty = format!(
        "pubimage_digest:Option<{}String{}>,",
        "Vec<".repeat(30),
        ">".repeat(30)
    );
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.replace(",>", ">");
    assert!(compact.contains(&ty), "no `{ty}` in\n{code}");
    for depth in [33, 5_000] {
        let err = generate("nested.yaml", &with_type(depth)).unwrap_err();
        assert_eq!(
            err,
            "nested.yaml:88:27: shapes.ImageDetail.members.imageDigest.type: types nest deeper \
             than 32 levels"
        );
    }
}

#[test]
fn anchors_aliases_and_merge_keys_resolve() {
    let text = valid().replace(
        "      imageTag: {type: string, length: {min: 1, max: 300}}",
        "      imageTag: &tag {type: string, length: {min: 1, max: 300}}\n      \
         otherTag: *tag\n      mergedTag:\n        <<: *tag\n        length: {max: 3}",
    );
    let code = generate("anchors.yaml", &text).unwrap();
    assert!(code.contains("pub other_tag: Option<String>"));
    assert!(code.contains("pub merged_tag: Option<String>"));
    assert!(code.contains("Length: 1..=300 characters"));
    assert!(
        code.contains("Length: at most 3 characters") || code.contains("Length: ..=3"),
        "{code}"
    );
}

#[test]
fn duplicate_keys_tabs_bom_empty_and_binary_input() {
    let err = generate(
        "dup.yaml",
        &valid().replace(
            "      nextToken: {type: string}\n      maxResults",
            "      nextToken: {type: string}\n      nextToken: {type: integer}\n      maxResults",
        ),
    )
    .unwrap_err();
    assert_eq!(
        err,
        "dup.yaml:59:7: shapes.DescribeImagesRequest.members.nextToken: member `nextToken` is \
         defined twice"
    );

    let err = generate(
        "tabs.yaml",
        &valid().replace(
            "      registryId:\n        type: string",
            "      registryId:\n\ttype: string",
        ),
    )
    .unwrap_err();
    assert!(err.starts_with("tabs.yaml:47:2: "), "{err}");
    assert!(err.contains("tabs disallowed"), "{err}");

    let plain = generate("bom.yaml", &valid()).unwrap();
    let with_bom = generate("bom.yaml", &format!("\u{feff}{}", valid())).unwrap();
    assert_eq!(with_bom, plain);

    for empty in ["", "   \n\n", "# only a comment\n"] {
        assert_eq!(
            generate("empty.yaml", empty).unwrap_err(),
            "empty.yaml:1:1: the spec is empty; a spec starts with `crspec: 1`"
        );
    }
    let err = generate("binary.yaml", "\0\u{1}\u{2}binary\u{ff}").unwrap_err();
    assert!(err.starts_with("binary.yaml:1:1: "), "{err}");
}

/// The valid fixture with `shapes` (YAML, two spaces in) added before its errors.
fn with_shapes(shapes: &str) -> String {
    valid().replace("\nerrors:\n", &format!("\n{shapes}errors:\n"))
}

#[test]
fn a_chain_of_two_thousand_structures_generates_with_its_derives() {
    // Link{i} holds Link{i+1} directly, as a required member; the last holds a double and a
    // timestamp. Neither `Eq` nor `Default` fits the last, so none of the chain derives them.
    // The derives used to be found by sweeping every structure until nothing changed, one link
    // per sweep: a quadratic number of steps for a chain.
    let n = 2_000;
    let mut shapes: String = (0..n - 1)
        .map(|i| {
            format!(
                "  Link{i}:\n    type: structure\n    members:\n      next: {{type: Link{}, required: true}}\n",
                i + 1
            )
        })
        .collect();
    shapes.push_str(&format!(
        "  Link{}:\n    type: structure\n    members:\n      at: {{type: timestamp, required: true}}\n      ratio: {{type: double}}\n",
        n - 1
    ));
    let generated = crspec_codegen::generate("chain.yaml", &with_shapes(&shapes)).unwrap();
    let links: Vec<_> = generated
        .ir
        .structs
        .iter()
        .filter(|s| s.name.starts_with("Link"))
        .collect();
    assert_eq!(links.len(), n);
    assert!(links.iter().all(|s| !s.eq && !s.default));
    // The fixture's own structures still derive what they can.
    let filter = generated
        .ir
        .structs
        .iter()
        .find(|s| s.name == "Filter")
        .unwrap();
    assert!(filter.eq && filter.default);
}

#[test]
fn a_ring_of_five_thousand_structures_is_reported_once_per_structure() {
    // Ring{i} holds Ring{i+1}, the last holds the first: each contains itself. The check
    // used to walk the whole ring from each structure, looking each one up by a linear search:
    // n³ steps, which for 5,000 structures never finished.
    let n = 5_000;
    let shapes: String = (0..n)
        .map(|i| {
            format!(
                "  Ring{i}:\n    type: structure\n    members:\n      next: {{type: Ring{}}}\n",
                (i + 1) % n
            )
        })
        .collect();
    let err = generate("ring.yaml", &with_shapes(&shapes)).unwrap_err();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), n, "{}", lines[..3].join("\n"));
    assert!(lines[0].ends_with(
        "shapes.Ring0: structure `Ring0` contains itself without a list or a map keyed by `string` in between, so it has no finite size"
    ));
    // A structure beside the ring, holding it through a list, is fine.
    let beside = format!(
        "{shapes}  Beside:\n    type: structure\n    members:\n      rings: {{type: list<Ring0>}}\n"
    );
    let err = generate("ring.yaml", &with_shapes(&beside)).unwrap_err();
    assert_eq!(err.lines().count(), n);
    assert!(!err.contains("`Beside`"));
}

#[test]
fn a_spec_at_the_size_limit_is_read_and_one_byte_more_is_not() {
    // MAX_SPEC_BYTES: 16 MiB.
    let limit = 16 * 1024 * 1024;
    // 1.67 million values (a list of message keys): the reader's former budget of 250,000
    // values stopped a spec like this at about 2.5 MB, with "budget breached: Nodes { .. }".
    // `crspec: 2` makes the checker stop it, with one diagnostic, before anything is emitted.
    let head = valid().replace("crspec: 1", "crspec: 2").replace(
        "    message: [message, Message]\n",
        "    message: [message, Message@]\n",
    );
    let (before, after) = head.split_once('@').unwrap();
    let mut keys = String::new();
    let mut i = 0;
    while before.len() + keys.len() + after.len() + 10 <= limit {
        keys.push_str(&format!(", m{i:07}"));
        i += 1;
    }
    keys.push_str(&" ".repeat(limit - before.len() - keys.len() - after.len()));
    let text = format!("{before}{keys}{after}");
    assert_eq!(text.len(), limit);
    assert!(i > 1_500_000, "{i}");
    assert_eq!(
        generate("big.yaml", &text).unwrap_err(),
        "big.yaml:2:9: crspec: unsupported format version 2; this generator reads version 1"
    );
    let text = format!("{text} ");
    assert_eq!(
        generate("big.yaml", &text).unwrap_err(),
        format!(
            "big.yaml:1:1: the spec is {} bytes; the most a spec may be is {limit}",
            limit + 1
        )
    );
}

#[test]
fn aliases_that_repeat_too_much_are_a_plain_diagnostic() {
    // One exclusive group of a thousand members, repeated by 2,000 aliases: two million values
    // from 30 KB of text.
    let names: Vec<String> = (0..1_000).map(|i| format!("a{i}")).collect();
    let group = format!("      - &g {{members: [{}]}}\n", names.join(", "));
    let text = valid().replace(
        "    exclusive:\n      - members: [imageIds, nextToken]\n",
        &format!("    exclusive:\n{group}{}", "      - *g\n".repeat(2_000)),
    );
    let err = generate("bomb.yaml", &text).unwrap_err();
    assert!(!err.contains("budget"), "{err}");
    assert!(err.contains("aliases (`*name`)"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}
