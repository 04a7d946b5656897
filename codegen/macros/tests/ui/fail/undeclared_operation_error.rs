//! `undeclared_operation_error`: the spec error becomes a compile error at the literal.

crspec_macros::include_spec!("../../../../tests/bad/undeclared_operation_error.yaml");

fn main() {}
