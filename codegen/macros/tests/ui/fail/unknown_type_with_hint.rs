//! `unknown_type_with_hint`: the spec error becomes a compile error at the literal.

crspec_macros::include_spec!("../../../../tests/bad/unknown_type_with_hint.yaml");

fn main() {}
