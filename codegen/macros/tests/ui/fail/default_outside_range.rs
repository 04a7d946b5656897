//! `default_outside_range`: the spec error becomes a compile error at the literal.

crspec_macros::include_spec!("../../../../tests/bad/default_outside_range.yaml");

fn main() {}
