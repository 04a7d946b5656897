//! `cargo build` and the build script: a plain `cargo build` at the root runs the generator (the
//! `regenerate` feature is off by default, and the `crspec-dev` member turns it on); with
//! unchanged specs a build does not rerun build.rs; touching a spec reruns it but rewrites
//! nothing; editing one spec rewrites only that provider's module.
//!
//! The test copies the repository's files into a temporary folder and runs a plain
//! `cargo build` there, as a developer does (offline, from the lockfile), so the real checkout
//! is never touched.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

const PROVIDERS: [&str; 5] = ["ecr", "ecr_public", "jdcloud", "oci", "tcr"];

/// The repository's files (tracked, and untracked ones that are not ignored), copied as they are
/// in the working tree into `to`.
fn copy_repository(to: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root)
        .output()
        .expect("git runs");
    assert!(listed.status.success(), "git ls-files failed");
    for name in listed.stdout.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = std::str::from_utf8(name).expect("UTF-8 file names");
        // The fuzz workspace and the out-of-workspace bench crates are not needed to build.
        if name.starts_with("fuzz/") || name.starts_with("benches/aws-sdk/") {
            continue;
        }
        let (from, dest) = (root.join(name), to.join(name));
        if !from.exists() {
            continue; // deleted in the working tree
        }
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        fs::copy(&from, &dest).unwrap_or_else(|e| panic!("copy {name}: {e}"));
    }
    // The member that turns `regenerate` on: without it the copy builds no generator.
    assert!(
        to.join("dev/Cargo.toml").is_file() && to.join("dev/src/lib.rs").is_file(),
        "dev/ (crspec-dev) was not copied"
    );
}

/// A plain `cargo build -v` at the root of `dir` (the default members: `crspec` and
/// `crspec-dev`); cargo's stderr (where `-v` lists each unit).
fn build(dir: &Path, target: &Path) -> String {
    let out = Command::new(env!("CARGO"))
        .args(["build", "-v", "--offline", "--locked"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "cargo build failed:\n{stderr}");
    stderr
}

/// Whether this build ran crspec's build script (cargo -v prints the command it runs:
/// `Running `<target>/debug/build/crspec-<hash>/build-script-build``).
fn ran_build_script(log: &str) -> bool {
    log.lines().any(|l| {
        l.trim_start().starts_with("Running")
            && l.split(['/', '\\'])
                .collect::<Vec<_>>()
                .windows(2)
                .any(|w| {
                    w[1].starts_with("build-script-build")
                        && w[0]
                            .strip_prefix("crspec-")
                            .is_some_and(|hash| hash.chars().all(|c| c.is_ascii_hexdigit()))
                })
    })
}

/// Whether cargo -v listed `package` as a unit of this build (compiled, or fresh).
fn has_unit(log: &str, package: &str) -> bool {
    log.lines().any(|l| {
        let l = l.trim_start();
        ["Compiling ", "Fresh "].iter().any(|verb| {
            l.strip_prefix(verb)
                .is_some_and(|rest| rest.starts_with(&format!("{package} v")))
        })
    })
}

fn modified(dir: &Path) -> Vec<(PathBuf, SystemTime)> {
    PROVIDERS
        .iter()
        .map(|p| {
            let path = dir.join("generated").join(format!("{p}.rs"));
            let at = fs::metadata(&path).unwrap().modified().unwrap();
            (path, at)
        })
        .collect()
}

#[test]
fn build_script_reruns_only_when_a_spec_changes_and_rewrites_only_its_module() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("crspec");
    copy_repository(&dir);
    // Kept under the target folder of this run (or this repository's), so that reruns are
    // incremental; a folder of its own, so that its lock is not the one of the build that runs
    // this test.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .filter(|t| t.is_absolute())
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("rebuild-test");

    // 0. A plain `cargo build` builds the generator and runs it: `regenerate` is on.
    let first = build(&dir, &target);
    assert!(
        has_unit(&first, "crspec-dev") && has_unit(&first, "crspec-codegen"),
        "a plain `cargo build` did not build crspec-dev and the generator (is `dev` in \
         `default-members`, asking for crspec's `regenerate`?):\n{first}"
    );
    let before = modified(&dir);

    // 1. Nothing changed: the build script does not run, and no module is written.
    let noop = build(&dir, &target);
    assert!(
        !ran_build_script(&noop),
        "a no-op build reran build.rs:\n{noop}"
    );
    assert!(
        noop.lines()
            .any(|l| l.trim_start().starts_with("Fresh crspec ")),
        "crspec is not fresh:\n{noop}\n(first build:\n{first})"
    );
    assert_eq!(modified(&dir), before, "a no-op build wrote a module");

    // 2. A spec's timestamp changes, its content does not: build.rs reruns, writes nothing.
    let ecr = dir.join("specs/ecr.yaml");
    let text = fs::read_to_string(&ecr).unwrap();
    fs::write(&ecr, &text).unwrap();
    let touched = build(&dir, &target);
    assert!(
        ran_build_script(&touched),
        "touching a spec did not rerun build.rs"
    );
    assert_eq!(modified(&dir), before, "an unchanged spec rewrote a module");

    // 3. One spec's content changes: only that provider's module is rewritten.
    let tcr = dir.join("specs/tcr.yaml");
    let text = fs::read_to_string(&tcr).unwrap();
    assert!(text.contains("docs: Instance ID."));
    fs::write(
        &tcr,
        text.replace("docs: Instance ID.", "docs: The instance ID."),
    )
    .unwrap();
    let edited = build(&dir, &target);
    assert!(
        ran_build_script(&edited),
        "editing a spec did not rerun build.rs"
    );
    let after = modified(&dir);
    for ((path, was), (_, now)) in before.iter().zip(&after) {
        let is_tcr = path.ends_with("generated/tcr.rs");
        assert_eq!(
            was != now,
            is_tcr,
            "{}: rewritten = {}, expected {}",
            path.display(),
            was != now,
            is_tcr
        );
    }
    let module = fs::read_to_string(dir.join("generated/tcr.rs")).unwrap();
    assert!(module.contains("The instance ID."));

    // 4. The spec's `generation` settings reach build.rs's module as they reach the CLI's and
    //    the macro's (one generator, one module): a type renamed, a derive, an attribute and
    //    a member renamed, in a module that still compiles.
    let text = fs::read_to_string(&tcr).unwrap();
    assert!(!text.contains("\ngeneration:"));
    let text = format!(
        "{text}generation:\n  types:\n    TcrImageInfo:\n      rust_name: ImageVersionInfo\n      \
         derives: [Hash]\n      attributes: ['#[doc(alias = \"TcrImageInfo\")]']\n      \
         members:\n        ImageVersion: {{rust_name: tag}}\n"
    );
    fs::write(&tcr, &text).unwrap();
    let settings = build(&dir, &target);
    assert!(
        ran_build_script(&settings),
        "the settings did not rerun build.rs"
    );
    let module = fs::read_to_string(dir.join("generated/tcr.rs")).unwrap();
    let expected = crspec_codegen::generate("specs/tcr.yaml", &text)
        .expect("the spec with settings is accepted")
        .code;
    assert_eq!(
        module, expected,
        "build.rs wrote another module than the generator's"
    );
    for setting in [
        "pub struct ImageVersionInfo {",
        "pub struct ImageVersionInfoBuilder {",
        "Hash)]\n#[non_exhaustive]\n#[doc(alias = \"TcrImageInfo\")]\npub struct ImageVersionInfo {",
        "pub tag: ::crspec_runtime::ShortStr,",
    ] {
        assert!(module.contains(setting), "{setting} not in\n{module}");
    }
    assert!(!module.contains("pub struct TcrImageInfo"));
}
