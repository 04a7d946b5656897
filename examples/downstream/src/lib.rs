//! A downstream-style crate: it defines a made-up registry API only in its own spec
//! (`specs/acme.yaml`) and gets typed, validated bindings through `include_spec!`, with no
//! dependency but `crspec-macros` and `crspec-runtime`.
#![forbid(unsafe_code)]

crspec_macros::include_spec!("specs/acme.yaml");
