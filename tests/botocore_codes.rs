//! Error codes of AWS JSON error bodies, read by crspec and by botocore (the AWS SDK for Python,
//! installed with moto in `.venv`): thousands of generated `__type` values with `#` namespaces
//! and `:uri` suffixes in every arrangement, each through `ecr::DescribeImages::parse_response`
//! and through botocore's `JSONParser`, must give the same code.
//!
//! Needs `.venv/bin/python3` with botocore (`.ci/run` installs it), or `CRSPEC_PYTHON` naming a
//! Python that has it; without one the test fails, it never skips.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crspec::ecr::DescribeImages;
use crspec::runtime::http;
use crspec::runtime::wire::ResponseError;

fn python() -> PathBuf {
    if let Some(path) = std::env::var_os("CRSPEC_PYTHON") {
        return PathBuf::from(path);
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python3");
    assert!(
        venv.exists(),
        "python not found at {}: run `python3 -m venv .venv && .venv/bin/pip install \
         'moto[server]'`, or set CRSPEC_PYTHON",
        venv.display()
    );
    venv
}

/// `n` codes from a small alphabet rich in separators, with a fixed seed (a 64-bit LCG), plus
/// the documented codes with namespaces and URIs around them.
fn codes(n: usize) -> Vec<String> {
    // Separators weigh double: the cases are about where they fall.
    const PIECES: [&str; 12] = [
        "#",
        ":",
        "#",
        ":",
        "a",
        "B",
        "/",
        ".",
        "http",
        "com.amazonaws.ecr",
        "RepositoryNotFoundException",
        "ServerException",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap()
    };
    let mut out = vec![
        "RepositoryNotFoundException".to_owned(),
        "com.amazonaws.ecr#RepositoryNotFoundException".to_owned(),
        "RepositoryNotFoundException:http://internal.amazon.com/coral/com.amazonaws.ecr/"
            .to_owned(),
        "ns#Code:http://host/a#b".to_owned(),
        "a#b#c".to_owned(),
        "::".to_owned(),
        "#".to_owned(),
    ];
    while out.len() < n {
        let len = 1 + next() % 7;
        out.push((0..len).map(|_| PIECES[next() % PIECES.len()]).collect());
    }
    out
}

/// botocore's code for each `__type`, from one Python process.
fn botocore_codes(codes: &[String]) -> Vec<String> {
    const SCRIPT: &str = r#"
import json, sys
from botocore.parsers import JSONParser
parser = JSONParser()
out = []
for code in json.load(sys.stdin):
    body = json.dumps({"__type": code, "message": "m"}).encode()
    parsed = parser.parse({"body": body, "headers": {}, "status_code": 400}, None)
    out.append(parsed["Error"]["Code"])
json.dump(out, sys.stdout)
"#;
    let mut child = Command::new(python())
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python starts");
    let input = serde_json::to_vec(codes).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "botocore failed");
    serde_json::from_slice(&output.stdout).expect("a JSON list of codes")
}

fn crspec_code(code: &str) -> String {
    let body = serde_json::to_vec(&serde_json::json!({"__type": code, "message": "m"})).unwrap();
    let response = http::Response::builder().status(400).body(body).unwrap();
    match DescribeImages::parse_response(&response) {
        Err(ResponseError::Service(error)) => error.code().to_owned(),
        other => panic!("{code:?}: not a service error: {other:?}"),
    }
}

#[test]
fn error_codes_match_botocore_on_generated_type_values() {
    let codes = codes(3_000);
    let expected = botocore_codes(&codes);
    assert_eq!(expected.len(), codes.len());
    let mut mismatches = Vec::new();
    for (code, expected) in codes.iter().zip(&expected) {
        let got = crspec_code(code);
        if &got != expected {
            mismatches.push(format!("{code:?}: crspec {got:?}, botocore {expected:?}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} codes differ:\n{}",
        mismatches.len(),
        codes.len(),
        mismatches.join("\n")
    );
    // The cases carry separators: the comparison is not of plain names only.
    let both = codes
        .iter()
        .filter(|c| c.contains('#') && c.contains(':'))
        .count();
    assert!(both > 600, "only {both} codes have both a `#` and a `:`");
}
