//! Parsing an ECR DescribeImages page (1,000 images, about 670 KiB; and one image) into the
//! generated types, against plain `#[derive(Deserialize)]` structs for the same JSON and the
//! parse floor (`serde::de::IgnoredAny`). The `aws-sdk-ecr` comparison lives outside the
//! workspace (`benches/aws-sdk/`), so that nobody compiles the SDK by accident.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde::Deserialize;

#[path = "common/data.rs"]
mod data;

/// What a user would write by hand for the same JSON.
mod plain {
    use super::{Deserialize, HashMap};

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct Page {
        pub image_details: Option<Vec<Detail>>,
        pub next_token: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct Detail {
        pub registry_id: Option<String>,
        pub repository_name: Option<String>,
        pub image_digest: Option<String>,
        pub image_tags: Option<Vec<String>>,
        pub image_size_in_bytes: Option<i64>,
        pub image_pushed_at: Option<f64>,
        pub image_scan_status: Option<Scan>,
        pub image_scan_findings_summary: Option<Summary>,
        pub image_manifest_media_type: Option<String>,
        pub artifact_media_type: Option<String>,
        pub last_recorded_pull_time: Option<f64>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    pub struct Scan {
        pub status: Option<String>,
        pub description: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct Summary {
        pub image_scan_completed_at: Option<f64>,
        pub vulnerability_source_updated_at: Option<f64>,
        pub finding_severity_counts: Option<HashMap<String, i64>>,
    }
}

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
