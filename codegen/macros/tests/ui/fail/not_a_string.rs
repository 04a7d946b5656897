//! The argument must be a string literal.

crspec_macros::include_spec!(specs / x);

fn main() {}
