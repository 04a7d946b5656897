//! `pattern_does_not_compile`: the spec error becomes a compile error at the literal.

crspec_macros::include_spec!("../../../../tests/bad/pattern_does_not_compile.yaml");

fn main() {}
