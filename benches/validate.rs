//! Validating an ECR DescribeImagesRequest with 100 imageIds (tags and digests) and a
//! 35-character repository name, and one repository name alone: the generated validators
//! (patterns compiled into matching code while generating; nothing is compiled at run time) against
//! (a) `regex::Regex` in a `LazyLock` with `^(?:…)$` and (b) a hand-written byte state machine
//! for the repository-name pattern, the lower bound.

use std::hint::black_box;
use std::sync::LazyLock;

use criterion::{Criterion, criterion_group, criterion_main};
use crspec::ecr::{DescribeImagesRequest, ImageIdentifier};

#[path = "common/hand.rs"]
mod hand;

use hand::{PATTERN, REPOSITORY, hand_matcher};

static REGEX: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(&format!("^(?:{PATTERN})$")).unwrap());

/// The same checks as the generated `validate()` of this request, with the regex crate for the
/// pattern.
fn regex_validate(request: &DescribeImagesRequest) -> bool {
    let name = &request.repository_name;
    let mut ok = (2..=256).contains(&name.chars().count()) && REGEX.is_match(name);
    if let Some(ids) = &request.image_ids {
        ok &= (1..=100).contains(&ids.len());
        for id in ids {
            if let Some(tag) = &id.image_tag {
                ok &= (1..=300).contains(&tag.chars().count());
            }
        }
    }
    ok
}

fn request() -> DescribeImagesRequest {
    assert_eq!(REPOSITORY.len(), 35);
    let ids = (0..100).map(|i| {
        if i % 2 == 0 {
            let mut id = ImageIdentifier::default();
            id.image_tag = Some(format!("release-{i}.{}", i * 7));
            id
        } else {
            let mut id = ImageIdentifier::default();
            id.image_digest = Some(format!("sha256:{i:064x}"));
            id
        }
    });
    DescribeImagesRequest::builder()
        .repository_name(REPOSITORY)
        .image_ids(ids)
        .build()
        .unwrap()
}

fn validate(c: &mut Criterion) {
    let full = request();
    let name_only = DescribeImagesRequest::builder()
        .repository_name(REPOSITORY)
        .build()
        .unwrap();
    assert!(hand_matcher(REPOSITORY) && REGEX.is_match(REPOSITORY) && regex_validate(&full));
    let mut group = c.benchmark_group("validate_request_100_image_ids");
    group.bench_function("crspec", |b| b.iter(|| black_box(&full).validate().is_ok()));
    group.bench_function("regex_lazylock", |b| {
        b.iter(|| regex_validate(black_box(&full)))
    });
    group.finish();
    let mut group = c.benchmark_group("validate_repository_name");
    group.bench_function("crspec", |b| {
        b.iter(|| black_box(&name_only).validate().is_ok())
    });
    // The generated pattern on its own (no length check, no other member).
    let pattern = crspec::ecr::PATTERNS
        .iter()
        .find(|p| p.source() == PATTERN)
        .expect("the repository-name pattern");
    group.bench_function("crspec_pattern_only", |b| {
        b.iter(|| pattern.is_full_match(black_box(REPOSITORY)))
    });
    group.bench_function("regex_lazylock", |b| {
        b.iter(|| REGEX.is_match(black_box(REPOSITORY)))
    });
    group.bench_function("hand_state_machine", |b| {
        b.iter(|| hand_matcher(black_box(REPOSITORY)))
    });
    group.finish();
}

criterion_group!(benches, validate);
criterion_main!(benches);
