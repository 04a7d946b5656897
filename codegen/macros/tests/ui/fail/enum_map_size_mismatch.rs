//! An `EnumMap` whose slot count is not the number of the enum's known values does not compile
//! (generated code always writes the right one).

crspec_macros::include_spec!("../../../../tests/fixtures/valid.yaml");

fn main() {
    let known = <mini::TagStatus as crspec_runtime::StringEnum>::VALUES.len();
    let map = crspec_runtime::EnumMap::<mini::TagStatus, i32, 7>::new();
    assert!(known != 7 && map.is_empty());
}
