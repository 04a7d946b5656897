//! Structure-aware specs: an `arbitrary` description (names, types, constraints, hostile text,
//! errors, pagination) rendered to mostly valid YAML, then the same oracle as `spec_bytes`.
//! With `CRSPEC_FUZZ_DUMP=<dir>`, every rendered spec is also written to that folder (to look at
//! what the target makes, or to turn a crash into a plain YAML regression input).
#![no_main]

use crspec_fuzz::structured::SpecDesc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|desc: SpecDesc| {
    let text = desc.render();
    if let Some(dir) = std::env::var_os("CRSPEC_FUZZ_DUMP") {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        let path = std::path::Path::new(&dir).join(format!("{:016x}.yaml", h.finish()));
        let _ = std::fs::write(path, &text);
    }
    crspec_fuzz::record("spec_structured", crspec_fuzz::check_spec(&text));
});
