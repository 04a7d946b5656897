//! `length_min_greater_than_max`: the spec error becomes a compile error at the literal.

crspec_macros::include_spec!("../../../../tests/bad/length_min_greater_than_max.yaml");

fn main() {}
