//! Runs one operation `n` times, for instruction counts under callgrind, which are exact and
//! repeatable where timings on a shared machine are not (see `benches/README.md`):
//!
//! ```sh
//! cargo build --release --example instruction_probe
//! for n in 0 10; do valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/instruction_probe parse_crspec $n; done
//! ```
//!
//! The difference of the two totals over `n` is the cost of one operation. Operations:
//! `parse_crspec`, `parse_derive`, `parse_ignored` (the 1,000-image page of the benches),
//! `validate` (a request with only the repository name), `pattern` (the generated pattern alone),
//! `hand` (the hand-written matcher of the `validate` bench).

use std::hint::black_box;

#[path = "../benches/common/data.rs"]
mod data;
#[path = "../benches/common/plain.rs"]
mod plain;

#[path = "../benches/common/hand.rs"]
mod hand;

use hand::{PATTERN, REPOSITORY, hand_matcher};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(operation), Some(n)) = (args.next(), args.next().and_then(|n| n.parse().ok())) else {
        eprintln!("usage: instruction_probe <operation> <times>");
        std::process::exit(2);
    };
    let body = data::ecr_page(1000);
    let request = crspec::ecr::DescribeImagesRequest::builder()
        .repository_name(REPOSITORY)
        .build()
        .expect("a valid request");
    let Some(pattern) = crspec::ecr::PATTERNS.iter().find(|p| p.source() == PATTERN) else {
        eprintln!("the repository-name pattern is missing");
        std::process::exit(1);
    };
    let bytes = body.as_bytes();
    let run: Box<dyn Fn() -> bool> = match operation.as_str() {
        "parse_crspec" => Box::new(|| {
            serde_json::from_slice::<crspec::ecr::DescribeImagesResponse>(black_box(bytes)).is_ok()
        }),
        "parse_derive" => {
            Box::new(|| serde_json::from_slice::<plain::Page>(black_box(bytes)).is_ok())
        }
        "parse_ignored" => {
            Box::new(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(bytes)).is_ok())
        }
        "validate" => Box::new(|| black_box(&request).validate().is_ok()),
        "pattern" => Box::new(|| pattern.is_full_match(black_box(REPOSITORY))),
        "hand" => Box::new(|| hand_matcher(black_box(REPOSITORY))),
        other => {
            eprintln!("unknown operation {other}");
            std::process::exit(2);
        }
    };
    let ok = (0..n).filter(|_| run()).count();
    assert_eq!(ok, n, "every run succeeds");
}
