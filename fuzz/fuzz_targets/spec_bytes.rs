//! Arbitrary bytes as a spec: load → check → emit → format, and `syn::parse_file` of the output.
//! Must never panic or hang; output must always parse (see `crspec_fuzz::check_spec`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        crspec_fuzz::record("spec_bytes", crspec_fuzz::check_spec(text));
    }
});
