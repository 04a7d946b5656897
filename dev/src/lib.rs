//! Nothing to use: this crate exists so that builds in the crspec repository regenerate
//! `generated/` from `specs/`.
//!
//! `crspec`'s `regenerate` feature (build.rs runs the generator) is off by default, so that a
//! crate depending on `crspec` compiles the committed modules and none of the generator. This
//! crate, never published, depends on `crspec` with `regenerate` on and is one of the
//! workspace's `default-members`: a plain `cargo build` or `cargo test` at the root, and every
//! `--workspace` command (`.ci/run`'s among them), builds it, and cargo's feature unification
//! then builds `crspec` with `regenerate`. A spec edit is thus picked up by the next build, and
//! `.ci/run`'s `git diff -- generated/` catches committed modules that are stale.
//!
//! A command that selects `crspec` alone (`cargo build -p crspec`) builds it without the
//! generator; add `--features regenerate` (or `-p crspec-dev`) to regenerate.
#![forbid(unsafe_code)]
