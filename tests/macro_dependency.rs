//! What a crate with its own spec writes in its `Cargo.toml`, checked by compiling scratch crates
//! that depend on this repository by path:
//!
//! - `crspec` alone, with its `macros` feature: `crspec::include_spec!` generates a module that
//!   names the runtime as `crspec::runtime`, so no second dependency is needed;
//! - `crspec-macros` without `crspec-runtime`: one error that says which line to add, instead of
//!   an error at every use of `::crspec_runtime` in the generated code.
//!
//! The scratch crates share one target folder under this repository's `target/`, so that only
//! the first run compiles the generator.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = "examples/downstream/specs/acme.yaml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scratch_target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root().join("target"), PathBuf::from)
        .join("macro-scratch")
}

/// `cargo check` of a crate with `dependencies` and `main`, the spec beside it.
fn check(name: &str, dependencies: &str, main: &str) -> Output {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n{dependencies}\n"
    );
    fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::create_dir_all(dir.join("specs")).unwrap();
    fs::copy(root().join(SPEC), dir.join("specs/acme.yaml")).unwrap();
    fs::write(dir.join("src/main.rs"), main).unwrap();
    fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--message-format", "short"])
        .env("CARGO_TARGET_DIR", scratch_target())
        .current_dir(dir)
        .output()
        .expect("cargo runs")
}

fn path_of(krate: &str) -> String {
    format!("{:?}", root().join(krate).display().to_string())
}

#[test]
fn crspec_alone_is_enough_for_include_spec() {
    let out = check(
        "macro-probe-facade",
        &format!(
            "crspec = {{ path = {}, features = [\"macros\"] }}",
            path_of(".")
        ),
        r#"crspec::include_spec!("specs/acme.yaml");

fn main() {
    let request = acme::ListArtifactsRequest::builder()
        .project("team-a")
        .repository("web/app")
        .build()
        .expect("a valid request");
    is_call(&request);
}

fn is_call<C: crspec::runtime::wire::Call>(_: &C) {}

/// The spec's `generation` settings put this type where `Labels` would be generated: the
/// serde it needs is the facade's too.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels(std::collections::BTreeMap<String, String>);

impl crspec::runtime::serde::Serialize for Labels {
    fn serialize<S: crspec::runtime::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> crspec::runtime::serde::Deserialize<'de> for Labels {
    fn deserialize<D: crspec::runtime::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        std::collections::BTreeMap::deserialize(d).map(Self)
    }
}
"#,
    );
    assert!(
        out.status.success(),
        "a crate with only `crspec` (feature `macros`) does not compile:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_missing_runtime_is_one_error_naming_the_line_to_add() {
    let out = check(
        "macro-probe-no-runtime",
        &format!("crspec-macros = {{ path = {} }}", path_of("codegen/macros")),
        "crspec_macros::include_spec!(\"specs/acme.yaml\");\n\nfn main() {}\n",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "compiled without the runtime");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
    assert!(
        errors
            .iter()
            .any(|l| l.contains("add `crspec-runtime = \"0.1\"` to [dependencies]")),
        "{stderr}"
    );
    assert!(
        !stderr.contains("E0433") && !stderr.contains("E0432"),
        "the generated code's paths failed too:\n{stderr}"
    );
}
