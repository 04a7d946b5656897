//! Heap allocations per operation, counted by a global allocator (`dhat` in testing mode): parsing
//! the 1,000-image and 1-image ECR pages (generated types against plain derive), and validating a
//! valid request (target: zero allocations). Prints a table; not a timing benchmark.

use std::hint::black_box;

use crspec::ecr::{DescribeImagesRequest, DescribeImagesResponse, ImageIdentifier};

#[path = "common/data.rs"]
mod data;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Allocations and bytes allocated while `f` runs.
fn count<T>(f: impl FnOnce() -> T) -> (u64, u64) {
    let before = dhat::HeapStats::get();
    black_box(f());
    let after = dhat::HeapStats::get();
    (
        after.total_blocks - before.total_blocks,
        after.total_bytes - before.total_bytes,
    )
}

#[path = "common/plain.rs"]
mod plain;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    println!("{:<44} {:>12} {:>14}", "operation", "allocations", "bytes");
    for images in [1_000, 1] {
        let body = data::ecr_page(images);
        let (n, bytes) =
            count(|| serde_json::from_slice::<DescribeImagesResponse>(body.as_bytes()).unwrap());
        println!(
            "{:<44} {n:>12} {bytes:>14}",
            format!("parse {images} images: crspec")
        );
        let (n, bytes) = count(|| serde_json::from_slice::<plain::Page>(body.as_bytes()).unwrap());
        println!(
            "{:<44} {n:>12} {bytes:>14}",
            format!("parse {images} images: plain derive")
        );
    }
    let ids: Vec<ImageIdentifier> = (0..100)
        .map(|i| {
            let mut id = ImageIdentifier::default();
            id.image_digest = (i % 2 == 1).then(|| format!("sha256:{i:064x}"));
            id.image_tag = (i % 2 == 0).then(|| format!("release-{i}"));
            id
        })
        .collect();
    let request = DescribeImagesRequest::builder()
        .repository_name("platform/payments-api/billing-v2.01")
        .image_ids(ids)
        .build()
        .unwrap();
    let (n, bytes) = count(|| request.validate().is_ok());
    println!(
        "{:<44} {n:>12} {bytes:>14}",
        "validate a valid request (100 imageIds)"
    );
    let mut invalid = request.clone();
    invalid.repository_name = "Not Valid".into();
    let (n, bytes) = count(|| invalid.validate().is_err());
    println!(
        "{:<44} {n:>12} {bytes:>14}",
        "validate an invalid request (1 violation)"
    );
}
