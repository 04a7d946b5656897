//! `yaml_syntax_error`: the spec error becomes a compile error at the literal.

crspec_macros::include_spec!("../../../../tests/bad/yaml_syntax_error.yaml");

fn main() {}
