//! `colliding_member_rust_names`: the spec error becomes a compile error at the literal.

crspec_macros::include_spec!("../../../../tests/bad/colliding_member_rust_names.yaml");

fn main() {}
