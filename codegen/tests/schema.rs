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

fn yaml(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

#[test]
fn every_shipped_spec_matches_the_schema() {
    let validator = schema();
    let mut files = crspec_codegen::files::spec_files(Path::new("../specs")).unwrap();
    files.push("tests/fixtures/valid.yaml".into());
    assert!(files.len() >= 5, "{files:?}");
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
    type Mutation<'a> = &'a dyn Fn(&mut serde_json::Value);
    let cases: [(&str, Mutation); 5] = [
        ("unknown top-level key", &|v| {
            v["extra"] = 1.into();
        }),
        ("format version 2", &|v| {
            v["crspec"] = 2.into();
        }),
        ("unknown member key", &|v| {
            v["shapes"]["ImageIdentifier"]["members"]["imageTag"]["lenght"] = 1.into();
        }),
        ("token pagination without output_token", &|v| {
            v["operations"]["DescribeImages"]["pagination"]
                .as_object_mut()
                .unwrap()
                .remove("output_token");
        }),
        ("enum with members", &|v| {
            v["shapes"]["TagStatus"]["members"] = serde_json::json!({});
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
