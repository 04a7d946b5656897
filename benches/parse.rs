//! Parsing an ECR DescribeImages page (1,000 images, about 670 KiB; and one image) into the
//! generated types, against plain `#[derive(Deserialize)]` structs for the same JSON and the
//! parse floor (`serde::de::IgnoredAny`). The `aws-sdk-ecr` comparison lives outside the
//! workspace (`benches/aws-sdk/`), so that nobody compiles the SDK by accident.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[path = "common/data.rs"]
mod data;

#[path = "common/plain.rs"]
mod plain;

fn parse(c: &mut Criterion) {
    for images in [1_000, 1] {
        let body = data::ecr_page(images);
        let mut group = c.benchmark_group(format!("parse_ecr_page_{images}"));
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(BenchmarkId::from_parameter("crspec"), |b| {
            b.iter(|| {
                serde_json::from_slice::<crspec::ecr::DescribeImagesResponse>(black_box(
                    body.as_bytes(),
                ))
                .unwrap()
            });
        });
        group.bench_function(BenchmarkId::from_parameter("plain_derive"), |b| {
            b.iter(|| serde_json::from_slice::<plain::Page>(black_box(body.as_bytes())).unwrap());
        });
        group.bench_function(BenchmarkId::from_parameter("ignored_any"), |b| {
            b.iter(|| {
                serde_json::from_slice::<serde::de::IgnoredAny>(black_box(body.as_bytes())).unwrap()
            });
        });
        group.finish();
    }
}

criterion_group!(benches, parse);
criterion_main!(benches);
