//! `exclusive_unknown_member`: the spec error becomes a compile error at the literal.

crspec_macros::include_spec!("../../../../tests/bad/exclusive_unknown_member.yaml");

fn main() {}
