//! What a crate with its own spec writes in its `Cargo.toml`, checked by compiling scratch crates
//! that depend on this repository by path:
//!
//! - `crspec` alone, with its `macros` feature: `crspec::include_spec!` generates a module that
//!   names the runtime as `crspec::runtime`, so no second dependency is needed;
//! - `crspec-macros` without `crspec-runtime`: one error that says which line to add, instead of
//!   an error at every use of `::crspec_runtime` in the generated code;
//! - `crspec` alone: its generated structs and enums are `#[non_exhaustive]`, so a dependent
//!   cannot write a struct literal or an exhaustive `match` (a provider adding a member or a
//!   value is then not a breaking change), and builds the same value with a builder.
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

#[test]
fn generated_types_are_non_exhaustive_and_built_with_builders() {
    let dependency = format!("crspec = {{ path = {} }}", path_of("."));
    // Each in a crate of its own: rustc checks matches only after a clean type check.
    let literal = check(
        "non-exhaustive-literal",
        &dependency,
        r#"fn main() {
    let id = crspec::ecr::ImageIdentifier { image_digest: None, image_tag: Some("v1".into()) };
    println!("{id:?}");
}
"#,
    );
    let stderr = String::from_utf8_lossy(&literal.stderr);
    assert!(!literal.status.success(), "a struct literal compiled");
    assert!(
        stderr.contains("E0639"),
        "no non-exhaustive struct error:\n{stderr}"
    );
    let exhaustive = check(
        "non-exhaustive-match",
        &dependency,
        r#"use crspec::ecr::TagStatus;

fn main() {
    let word = match TagStatus::Any {
        TagStatus::Tagged => "tagged",
        TagStatus::Untagged => "untagged",
        TagStatus::Any => "any",
        TagStatus::Unknown(_) => "other",
    };
    println!("{word}");
}
"#,
    );
    let stderr = String::from_utf8_lossy(&exhaustive.stderr);
    assert!(!exhaustive.status.success(), "an exhaustive match compiled");
    assert!(
        stderr.contains("E0004"),
        "no non-exhaustive match error:\n{stderr}"
    );

    let built = check(
        "non-exhaustive-builders",
        &dependency,
        r#"use crspec::ecr::{ImageIdentifier, TagStatus};

fn main() {
    let id = ImageIdentifier::builder().image_tag("v1").build().expect("valid");
    let word = match TagStatus::Any {
        TagStatus::Tagged => "tagged",
        TagStatus::Untagged => "untagged",
        _ => "any other",
    };
    println!("{id:?} {word}");
}
"#,
    );
    assert!(
        built.status.success(),
        "the builder form does not compile:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
}
