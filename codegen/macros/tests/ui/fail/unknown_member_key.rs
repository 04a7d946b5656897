//! `unknown_member_key`: the spec error becomes a compile error at the literal.

crspec_macros::include_spec!("../../../../tests/bad/unknown_member_key.yaml");

fn main() {}
