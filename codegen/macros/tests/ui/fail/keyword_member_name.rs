//! `keyword_member_name`: the spec error becomes a compile error at the literal.

crspec_macros::include_spec!("../../../../tests/bad/keyword_member_name.yaml");

fn main() {}
