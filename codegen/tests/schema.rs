//! The JSON Schema of the spec format (`specs/spec.schema.json`) accepts every spec this
//! repository ships, and rejects what the format forbids.

use std::fs;
use std::path::Path;

struct Validator {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Validator {
    fn errors(&self, value: &serde_json::Value) -> Vec<String> {
        match self.schemas.validate(value, self.index) {
            Ok(()) => Vec::new(),
            Err(e) => vec![format!("{e:#}")],
        }
    }

    fn is_valid(&self, value: &serde_json::Value) -> bool {
        self.schemas.validate(value, self.index).is_ok()
    }
}

fn schema() -> Validator {
    let text = fs::read_to_string("../specs/spec.schema.json").unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("spec.schema.json", schema).unwrap();
    let mut schemas = boon::Schemas::new();
    let index = compiler.compile("spec.schema.json", &mut schemas).unwrap();
    Validator { schemas, index }
}

/// A spec as JSON, read as the generator and editors read YAML: only `true` and `false` are
/// booleans (`n`, `yes`, `off` are strings).
fn yaml(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap();
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(&text, options).unwrap()
}

#[test]
fn every_shipped_spec_matches_the_schema() {
    let validator = schema();
    let mut files = crspec_codegen::files::spec_files(Path::new("../specs")).unwrap();
    files.push("tests/fixtures/valid.yaml".into());
    files.push("../examples/downstream/specs/acme.yaml".into());
    assert!(files.len() >= 6, "{files:?}");
    for file in files {
        let errors = validator.errors(&yaml(&file));
        assert!(
            errors.is_empty(),
            "{}:\n{}",
            file.display(),
            errors.join("\n")
        );
    }
}

#[test]
fn the_schema_rejects_what_the_format_forbids() {
    let validator = schema();
    let valid = yaml(Path::new("tests/fixtures/valid.yaml"));
    assert!(validator.is_valid(&valid));
    type Mutation<'a> = &'a dyn Fn(&mut serde_json::Value);
    let member = |v: &mut serde_json::Value, key: &str, value: serde_json::Value| {
        v["shapes"]["ImageIdentifier"]["members"]["imageTag"][key] = value;
    };
    let cases: &[(&str, Mutation)] = &[
        ("unknown top-level key", &|v| {
            v["extra"] = 1.into();
        }),
        ("format version 2", &|v| {
            v["crspec"] = 2.into();
        }),
        // Misspelled keys, at every depth.
        ("misspelled member key", &|v| member(v, "lenght", 1.into())),
        ("misspelled provider key", &|v| {
            v["provider"]["default_sources"] = "seed".into();
        }),
        ("misspelled protocol key", &|v| {
            v["protocol"]["timestamp_fromat"] = "text".into();
        }),
        ("misspelled key of protocol.errors", &|v| {
            v["protocol"]["errors"]["strip_namespaces"] = true.into();
        }),
        ("misspelled operation key", &|v| {
            v["operations"]["DescribeImages"]["paginaton"] = serde_json::json!({});
        }),
        ("misspelled pagination key", &|v| {
            v["operations"]["DescribeImages"]["pagination"]["page_sise"] = "maxResults".into();
        }),
        ("misspelled shape key", &|v| {
            v["shapes"]["Filter"]["member"] = serde_json::json!({});
        }),
        ("misspelled bounds key", &|v| {
            member(v, "length", serde_json::json!({"min": 1, "maks": 3}));
        }),
        ("misspelled enum value key", &|v| {
            v["shapes"]["TagStatus"]["values"]["TAGGED"]["doc"] = "x".into();
        }),
        ("misspelled error key", &|v| {
            v["errors"]["ServerException"]["retriable"] = true.into();
        }),
        // Type expressions.
        ("unknown lowercase type name", &|v| {
            member(v, "type", "strng".into())
        }),
        ("unknown type inside a list", &|v| {
            member(v, "type", "list<strng>".into());
        }),
        ("list without its item type", &|v| {
            member(v, "type", "list".into())
        }),
        ("unclosed list", &|v| {
            member(v, "type", "list<string".into())
        }),
        ("map with an integer key", &|v| {
            member(v, "type", "map<integer, string>".into());
        }),
        ("text after the type", &|v| {
            member(v, "type", "string string".into());
        }),
        // Words outside a closed vocabulary.
        ("unknown HTTP method", &|v| {
            v["operations"]["DescribeImages"]["method"] = "PSOT".into();
        }),
        (
            "lowercase HTTP method (the checker takes it, the schema does not)",
            &|v| {
                v["operations"]["DescribeImages"]["method"] = "post".into();
            },
        ),
        ("unknown pagination style", &|v| {
            v["operations"]["DescribeImages"]["pagination"]["style"] = "tokens".into();
        }),
        ("unknown timestamp format", &|v| {
            v["protocol"]["timestamp_format"] = "epoch_second".into();
        }),
        ("unknown member timestamp format", &|v| {
            member(v, "format", "iso8601".into());
        }),
        ("unknown location", &|v| {
            member(v, "location", "querry".into())
        }),
        ("unknown body kind", &|v| {
            v["protocol"]["body"] = "jsn".into();
        }),
        ("unknown error status rule", &|v| {
            v["protocol"]["errors"]["status"] = "2xx".into();
        }),
        ("unknown shape type", &|v| {
            v["shapes"]["Filter"]["type"] = "structur".into();
        }),
        ("unknown size unit", &|v| {
            v["operations"]["DescribeImages"]["summary"] =
                serde_json::json!({"items": "imageDetails", "size_unit": "KB"});
        }),
        ("unknown offset unit", &|v| {
            v["operations"]["DescribeImages"]["pagination"] = serde_json::json!({
                "style": "offset_limit", "items": "imageDetails", "offset": "nextToken",
                "offset_unit": "pages"
            });
        }),
        // Structure rules.
        ("token pagination without output_token", &|v| {
            v["operations"]["DescribeImages"]["pagination"]
                .as_object_mut()
                .unwrap()
                .remove("output_token");
        }),
        ("enum with members", &|v| {
            v["shapes"]["TagStatus"]["members"] = serde_json::json!({});
        }),
        ("structure with values", &|v| {
            v["shapes"]["Filter"]["values"] = serde_json::json!({"A": {}});
        }),
        ("lowercase operation input", &|v| {
            v["operations"]["DescribeImages"]["input"] = "describeImagesRequest".into();
        }),
    ];
    for (what, mutate) in cases {
        let mut v = valid.clone();
        mutate(&mut v);
        assert!(
            !validator.is_valid(&v),
            "the schema accepts a spec with {what}"
        );
    }
}

/// The nesting pattern of `typeExpression` (as many `>` as `<`, at most `depth` deep): JSON
/// Schema patterns cannot count, so the pattern spells out every depth.
fn balance_pattern(depth: usize) -> String {
    let mut inner = String::new();
    for _ in 0..depth {
        inner = format!("(?:<[^<>]*{inner}>[^<>]*)?");
    }
    format!("^[^<>]*{inner}$")
}

/// The valid fixture with one more member, `probe`, of type `ty` (written as a spec author
/// would, in YAML).
fn with_probe_member(ty: &str) -> String {
    let text = fs::read_to_string("tests/fixtures/valid.yaml").unwrap();
    let spec = text.replace(
        "      nextToken: {type: string}\n  ImageDetail:",
        &format!(
            "      nextToken: {{type: string}}\n      probe: {{type: {}}}\n  ImageDetail:",
            serde_json::Value::from(ty)
        ),
    );
    assert_ne!(spec, text);
    spec
}

/// How deep the generator lets types nest, from what it says of a deeper one.
fn checker_depth() -> usize {
    let err = crspec_codegen::generate("valid.yaml", &with_probe_member(&nested(100)))
        .expect_err("100 nested lists");
    err.0
        .iter()
        .find_map(|d| {
            d.message
                .strip_prefix("types nest deeper than ")?
                .strip_suffix(" levels")?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no `types nest deeper than N levels` in {err}"))
}

#[test]
fn the_nesting_pattern_is_generated_for_the_checkers_depth() {
    let text = fs::read_to_string("../specs/spec.schema.json").unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let patterns = &schema["$defs"]["typeExpression"]["allOf"];
    let expected = balance_pattern(checker_depth());
    assert_eq!(
        patterns[1]["pattern"].as_str(),
        Some(expected.as_str()),
        "typeExpression's second pattern is balance_pattern(the generator's depth); replace it \
         with\n{}",
        serde_json::Value::from(expected.as_str())
    );
}

/// `list<` nested `n` times around `string`.
fn nested(n: usize) -> String {
    format!("{}string{}", "list<".repeat(n), ">".repeat(n))
}

/// The schema judges a member's type as the generator does, except for what it cannot know:
/// which shapes the spec defines.
#[test]
fn the_schema_judges_type_expressions_as_the_checker_does() {
    let validator = schema();
    let valid = yaml(Path::new("tests/fixtures/valid.yaml"));
    let depth = checker_depth();
    // (type, the schema accepts it, the generator accepts it)
    let mut cases: Vec<(String, bool, bool)> = [
        ("string", true, true),
        ("shared_string", true, true),
        ("short_string", true, true),
        ("digest", true, true),
        ("integer", true, true),
        ("long", true, true),
        ("double", true, true),
        ("boolean", true, true),
        ("timestamp", true, true),
        ("list<string>", true, true),
        ("  list < short_string >  ", true, true),
        ("map<string, integer>", true, true),
        (
            "map<string,list<map<TagStatus, ImageIdentifier>>>",
            true,
            true,
        ),
        ("map<TagStatus, list<TagStatus>>", true, true),
        ("ImageIdentifier", true, true),
        ("list<ImageIdentifier>", true, true),
        // Typos and malformed expressions: both reject.
        ("strng", false, false),
        ("integr", false, false),
        ("bool", false, false),
        ("int", false, false),
        ("list<strng>", false, false),
        ("map<string, lon>", false, false),
        ("list", false, false),
        ("map", false, false),
        ("list<>", false, false),
        ("list<string", false, false),
        ("list<string>>", false, false),
        ("string>", false, false),
        ("map<string>", false, false),
        ("map<string, integer", false, false),
        ("map<integer, string>", false, false),
        ("map<shared_string, string>", false, false),
        ("string string", false, false),
        ("list<string> x", false, false),
        ("string?", false, false),
        ("", false, false),
        ("imageIdentifier", false, false),
        // What the schema cannot know: whether an UpperCamelCase word is a shape of the spec,
        // and whether a map key's shape is an enum.
        ("ImageIdentifer", true, false),
        ("String", true, false),
        ("map<ImageIdentifier, string>", true, false),
    ]
    .into_iter()
    .map(|(t, s, c)| (t.to_owned(), s, c))
    .collect();
    cases.push((nested(depth), true, true));
    cases.push((nested(depth + 1), false, false));
    cases.push((nested(40), false, false));
    let mut wrong = Vec::new();
    for (ty, schema_ok, checker_ok) in &cases {
        let mut v = valid.clone();
        v["shapes"]["DescribeImagesResponse"]["members"]["probe"] = serde_json::json!({"type": ty});
        if validator.is_valid(&v) != *schema_ok {
            wrong.push(format!(
                "the schema {} `{ty}`",
                if *schema_ok { "rejects" } else { "accepts" }
            ));
        }
        let generated = crspec_codegen::generate("valid.yaml", &with_probe_member(ty));
        if generated.is_ok() != *checker_ok {
            wrong.push(format!(
                "the generator {} `{ty}`{}",
                if *checker_ok { "rejects" } else { "accepts" },
                generated.err().map_or(String::new(), |e| format!(": {e}"))
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
