//! A spec that does not exist.

crspec_macros::include_spec!("specs/nowhere.yaml");

fn main() {}
