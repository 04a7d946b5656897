//! The build shape of a crate that depends on `crspec`: with default features it compiles the
//! committed `generated/` modules and the runtime, and none of the generator or of what only the
//! generator needs; with `features = ["regenerate"]` the generator is there.
//!
//! Each case writes a scratch crate in a temporary folder that depends on this repository by
//! path, copies the repository's `Cargo.lock` beside it (so that the versions are the locked
//! ones and cargo resolves offline; cargo adds the scratch crate and drops what it does not
//! use), and asks `cargo tree` for the normal and build dependencies of the scratch crate.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

/// What only the generator (build.rs with `regenerate`) needs, and that a plain dependent must
/// not compile: the generator, its YAML reader, regex-to-DFA compiler, diagnostics renderer and
/// Rust formatter, and the procedural-macro stack (`syn`, `quote`, `proc-macro2`,
/// `serde_derive`: generated code has written-out serde impls).
const GENERATOR_ONLY: [&str; 10] = [
    "crspec-codegen",
    "syn",
    "serde-saphyr",
    "regex-automata",
    "regex-syntax",
    "prettyplease",
    "annotate-snippets",
    "serde_derive",
    "quote",
    "proc-macro2",
];

/// What only the client needs (an HTTP client, TLS, an async runtime, the signers), and that a
/// dependent without the `client`, `blocking`, `async` and `sign` features must not compile.
const CLIENT_ONLY: [&str; 11] = [
    "ureq",
    "reqwest",
    "hyper",
    "tokio",
    "rustls",
    "ring",
    "aws-sigv4",
    "hmac",
    "sha2",
    "webpki-roots",
    "futures-util",
];

const PROBE: &str = "build-shape-probe";

/// The packages (`name version`, sorted, without duplicates) in the normal and build dependency
/// graph of a scratch crate that depends on this repository's `crspec` with `dependency` as the
/// rest of its dependency line (after `path = ...`).
fn dependency_graph(dependency: &str) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    // `{:?}` of a path is a valid TOML basic string for the paths this runs on.
    let manifest = format!(
        "[package]\n\
         name = \"{PROBE}\"\n\
         version = \"0.0.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\
         \n\
         [workspace]\n\
         \n\
         [dependencies]\n\
         crspec = {{ path = {:?}{dependency} }}\n",
        root.display().to_string()
    );
    fs::write(dir.join("Cargo.toml"), &manifest).unwrap();
    fs::create_dir(dir.join("src")).unwrap();
    fs::write(dir.join("src/lib.rs"), "").unwrap();
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-e",
            "normal,build",
            "-p",
            PROBE,
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(dir)
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "cargo tree failed for\n{manifest}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Lines are `name vX.Y.Z`, then `(path)`, `(proc-macro)` or `(*)` (seen before).
    stdout
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .collect()
}

fn names(graph: &BTreeSet<String>) -> BTreeSet<&str> {
    graph.iter().filter_map(|p| p.split(' ').next()).collect()
}

fn listing(graph: &BTreeSet<String>) -> String {
    graph.iter().map(|p| format!("  {p}\n")).collect()
}

#[test]
fn a_default_dependent_compiles_no_generator() {
    let graph = dependency_graph("");
    let names = names(&graph);
    for wanted in [PROBE, "crspec", "crspec-runtime"] {
        assert!(
            names.contains(wanted),
            "{wanted} is not in the graph of a crate that depends on crspec:\n{}",
            listing(&graph)
        );
    }
    let offending: Vec<&String> = graph
        .iter()
        .filter(|p| {
            GENERATOR_ONLY
                .iter()
                .any(|g| p.split(' ').next() == Some(*g))
        })
        .collect();
    let client: Vec<&str> = CLIENT_ONLY
        .into_iter()
        .filter(|c| names.contains(c))
        .collect();
    assert!(
        client.is_empty(),
        "a default dependent compiles what only the client needs: {client:?}\n{}",
        listing(&graph)
    );
    assert!(
        offending.is_empty(),
        "`crspec = {{ path = .. }}` with default features compiles what only the generator needs: \
         {offending:?}\n(is `regenerate` back in crspec's default features, or did a runtime \
         dependency bring them?) The whole graph:\n{}",
        listing(&graph)
    );
}

#[test]
fn a_dependent_with_regenerate_compiles_the_generator() {
    let graph = dependency_graph(", features = [\"regenerate\"]");
    let names = names(&graph);
    let missing: Vec<&str> = ["crspec", "crspec-runtime", "crspec-codegen", "syn"]
        .into_iter()
        .filter(|p| !names.contains(p))
        .collect();
    assert!(
        missing.is_empty(),
        "with `features = [\"regenerate\"]` the graph lacks {missing:?} (does the feature still \
         enable the build-dependency on crspec-codegen?):\n{}",
        listing(&graph)
    );
}

#[test]
fn the_client_features_bring_their_transports_and_nothing_else() {
    let names_of = |features: &str| {
        let graph = dependency_graph(&format!(", features = [{features}]"));
        names(&graph)
            .into_iter()
            .map(str::to_owned)
            .collect::<BTreeSet<String>>()
    };
    let sign = names_of("\"sign\"");
    assert!(
        sign.contains("aws-sigv4") && sign.contains("hmac"),
        "{sign:?}"
    );
    // (tokio comes with aws-sigv4 itself: aws-smithy-async uses its `sync` module, not its
    // runtime.)
    for absent in ["ureq", "reqwest", "rustls", "hyper"] {
        assert!(!sign.contains(absent), "`sign` compiles {absent}");
    }
    let blocking = names_of("\"blocking\"");
    assert!(blocking.contains("ureq") && blocking.contains("rustls"));
    for absent in ["reqwest", "hyper", "tokio-rustls", "hyper-util"] {
        assert!(!blocking.contains(absent), "`blocking` compiles {absent}");
    }
    let r#async = names_of("\"async\"");
    assert!(r#async.contains("reqwest") && r#async.contains("tokio"));
    assert!(!r#async.contains("ureq"), "`async` compiles ureq");
}
