//! The first validation in a process against the second: patterns are compiled while generating,
//! so the first call should cost no more than the second plus cold caches. Criterion cannot
//! measure a first call (it repeats a routine in one process), so this bench starts itself
//! `RUNS` times as a fresh process, times the first and second call in each, and reports the
//! median and min–max of each, with `regex::Regex` in a `LazyLock` (compiled on first use) as
//! the baseline measured in the same run.
//!
//! `cargo bench --bench first_call`

use std::hint::black_box;
use std::process::Command;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

const RUNS: usize = 101;
const CHILD: &str = "CRSPEC_FIRST_CALL_CHILD";
const REQUEST: &str = r#"{"repositoryName": "platform/payments-api/billing-v2.01",
    "imageIds": [{"imageTag": "release-1.7"}, {"imageDigest": "sha256:0123"}]}"#;

#[path = "common/hand.rs"]
#[allow(dead_code)] // the hand matcher is not timed here
mod hand;

use hand::{PATTERN, REPOSITORY};

static REGEX: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(&format!("^(?:{PATTERN})$")).unwrap());

/// Times `f` twice: (first, second).
fn twice(mut f: impl FnMut() -> bool) -> (Duration, Duration) {
    let t = Instant::now();
    assert!(black_box(f()));
    let first = t.elapsed();
    let t = Instant::now();
    assert!(black_box(f()));
    (first, t.elapsed())
}

fn child(kind: &str) {
    let (first, second) = match kind {
        "crspec" => {
            // Deserializing does not validate: the request's validator has not run yet.
            let request: crspec::ecr::DescribeImagesRequest =
                serde_json::from_str(REQUEST).unwrap();
            twice(|| black_box(&request).validate().is_ok())
        }
        "regex" => twice(|| REGEX.is_match(black_box(REPOSITORY))),
        other => panic!("unknown kind {other}"),
    };
    println!("{} {}", first.as_nanos(), second.as_nanos());
}

fn stats(mut values: Vec<u128>) -> String {
    values.sort_unstable();
    format!(
        "{:>9} ns ({}–{})",
        values[values.len() / 2],
        values[0],
        values[values.len() - 1]
    )
}

fn main() {
    if let Ok(kind) = std::env::var(CHILD) {
        child(&kind);
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once, quickly.
    let runs = if std::env::args().any(|a| a == "--bench") {
        RUNS
    } else {
        3
    };
    let exe = std::env::current_exe().unwrap();
    println!("{runs} fresh processes each; median (min–max)");
    for kind in ["crspec", "regex"] {
        let (mut first, mut second, mut extra) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            let out = Command::new(&exe).env(CHILD, kind).output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8(out.stdout).unwrap();
            let mut parts = text.split_whitespace().map(|n| n.parse::<u128>().unwrap());
            let (a, b) = (parts.next().unwrap(), parts.next().unwrap());
            first.push(a);
            second.push(b);
            extra.push(a.saturating_sub(b));
        }
        println!(
            "{kind:<7} first {}  second {}  first - second {}",
            stats(first),
            stats(second),
            stats(extra)
        );
    }
}
