//! The workspace's `rust-version` is true of its dependencies: no crate of `Cargo.lock` that this
//! machine has built declares a newer `rust-version` than the workspace does.
//!
//! Only one toolchain can be installed here (no toolchain downloads), so the check reads each
//! locked registry crate's own manifest from cargo's source cache, as cargo's resolver would
//! (`resolver.incompatible-rust-versions`), instead of building with the oldest toolchain. The
//! workspace's own code needs 1.88 (let chains); that part is not checked by this test.

use std::fs;
use std::path::{Path, PathBuf};

/// `1.89` or `1.88.0` → `(1, 89, 0)`.
fn version(text: &str) -> (u32, u32, u32) {
    let mut parts = text
        .trim()
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

/// The value of the first `key = "value"` line of `text` (inside the section `section`, if given).
fn value_of(text: &str, section: Option<&str>, key: &str) -> Option<String> {
    let mut in_section = section.is_none();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = section.is_none_or(|s| line == s);
            continue;
        }
        if !in_section {
            continue;
        }
        if let Some(rest) = line.strip_prefix(key)
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            return Some(value.trim().trim_matches('"').to_owned());
        }
    }
    None
}

/// The registry source folders of cargo's cache (`$CARGO_HOME/registry/src/*`).
fn source_dirs() -> Vec<PathBuf> {
    let home = std::env::var_os("CARGO_HOME").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cargo"),
        PathBuf::from,
    );
    fs::read_dir(home.join("registry").join("src"))
        .map(|dirs| dirs.filter_map(|d| Some(d.ok()?.path())).collect())
        .unwrap_or_default()
}

#[test]
fn no_locked_dependency_needs_a_newer_rust_than_the_workspace_declares() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let declared = value_of(&manifest, Some("[workspace.package]"), "rust-version")
        .expect("[workspace.package] has a rust-version");
    let lock = fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let sources = source_dirs();
    let mut checked = 0;
    let mut newer = Vec::new();
    for package in lock.split("[[package]]").skip(1) {
        let (Some(name), Some(version_text), Some(source)) = (
            value_of(package, None, "name"),
            value_of(package, None, "version"),
            value_of(package, None, "source"),
        ) else {
            continue; // a workspace member
        };
        if !source.starts_with("registry+") {
            continue;
        }
        // Crates for other platforms are locked but never fetched: nothing to read.
        let Some(text) = sources.iter().find_map(|d| {
            fs::read_to_string(d.join(format!("{name}-{version_text}/Cargo.toml"))).ok()
        }) else {
            continue;
        };
        checked += 1;
        if let Some(needs) = value_of(&text, Some("[package]"), "rust-version")
            && version(&needs) > version(&declared)
        {
            newer.push(format!("{name} {version_text} needs {needs}"));
        }
    }
    assert!(
        checked > 50,
        "only {checked} locked crates found in cargo's source cache"
    );
    assert!(
        newer.is_empty(),
        "rust-version = {declared:?}, but: {}",
        newer.join("; ")
    );
}

#[test]
fn the_check_sees_a_newer_requirement() {
    assert!(version("1.89") > version("1.88.0"));
    assert_eq!(version("1.88"), version("1.88.0"));
    let manifest = "[package]\nname = \"x\"\nrust-version = \"1.91\"\n[dependencies]\n";
    assert_eq!(
        value_of(manifest, Some("[package]"), "rust-version").as_deref(),
        Some("1.91")
    );
    assert_eq!(
        value_of(manifest, Some("[dependencies]"), "rust-version"),
        None
    );
}
