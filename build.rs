//! Regenerates `generated/` from `specs/` when the `regenerate` feature is on. A module is
//! rewritten only when its content changes, so an unchanged spec leaves its file, and the build,
//! alone; and it is replaced atomically, so a build killed half-way never leaves a part of one.
//!
//! The feature is off by default: a crate that depends on `crspec` compiles the committed
//! `generated/` modules as they are, this script does nothing, and none of the generator is
//! built. In this repository it is on for a plain `cargo build` or `cargo test` at the root and
//! for every `--workspace` command, through the `crspec-dev` member (`dev/`), which asks for it;
//! `cargo build -p crspec` alone needs `--features regenerate`.

fn main() {
    #[cfg(feature = "regenerate")]
    regenerate();
    // Nothing to do, and nothing to redo unless this script changes (without a rerun-if line
    // cargo would rerun it after a change to any file of the package).
    #[cfg(not(feature = "regenerate"))]
    println!("cargo:rerun-if-changed=build.rs");
}

#[cfg(feature = "regenerate")]
fn regenerate() {
    use std::path::Path;

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The folder itself, so that an added or removed spec reruns this script.
    println!("cargo:rerun-if-changed=specs");
    match crspec_codegen::files::spec_files(&root.join("specs")) {
        Ok(files) => {
            for file in files {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
        Err(e) => fail(&format!("cannot read specs/: {e}")),
    }
    let outputs =
        crspec_codegen::files::generate_dir(root, Path::new("specs"), Path::new("generated"))
            .unwrap_or_else(|e| fail(&e.to_string()));
    // A module that cannot be written does not keep the others stale: all are tried first.
    let mut errors = Vec::new();
    for output in outputs {
        let path = root.join(&output.path);
        if let Err(e) = crspec_codegen::files::write_if_changed(&path, &output.generated.code) {
            errors.push(format!("cannot write {}: {e}", path.display()));
        }
    }
    if !errors.is_empty() {
        fail(&errors.join("\n"));
    }
}

#[cfg(feature = "regenerate")]
fn fail(message: &str) -> ! {
    for line in message.lines() {
        eprintln!("error: {line}");
    }
    std::process::exit(1);
}
