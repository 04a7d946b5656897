//! Compile-time behaviour of `include_spec!`: spec errors are compile errors at the macro's
//! literal, naming the spec's file:line:col, the path inside the spec and the offending line;
//! valid specs expand to modules a crate can use.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
