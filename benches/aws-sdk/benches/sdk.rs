//! Parsing the same 1,000-image (and 1-image) ECR DescribeImages body with the official
//! `aws-sdk-ecr` (a full `describe_images().send()` against a replayed HTTP response, as its
//! users get it), with crspec's generated types, with plain derive structs, and the floor.

use std::hint::black_box;

use aws_sdk_ecr::config::{BehaviorVersion, Credentials, Region};
use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_types::body::SdkBody;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[path = "../../common/data.rs"]
mod data;
#[path = "../../common/plain.rs"]
mod plain;

fn sdk_client(body: String) -> aws_sdk_ecr::Client {
    let http = infallible_client_fn(move |_request| {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/x-amz-json-1.1")
            .body(SdkBody::from(body.clone()))
            .unwrap()
    });
    let config = aws_sdk_ecr::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "bench",
        ))
        .http_client(http)
        .build();
    aws_sdk_ecr::Client::from_conf(config)
}

fn parse(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for images in [1_000, 1] {
        let body = data::ecr_page(images);
        let client = sdk_client(body.clone());
        let check = runtime.block_on(async {
            client
                .describe_images()
                .repository_name("platform/payments-api")
                .send()
                .await
                .unwrap()
        });
        assert_eq!(check.image_details().len(), images);
        let mut group = c.benchmark_group(format!("parse_ecr_page_{images}"));
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(BenchmarkId::from_parameter("aws_sdk_ecr"), |b| {
            b.iter(|| {
                runtime.block_on(async {
                    client
                        .describe_images()
                        .repository_name("platform/payments-api")
                        .send()
                        .await
                        .unwrap()
                })
            });
        });
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
