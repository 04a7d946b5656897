//! Lists every image of a repository as a table (digest, tags, size, pushed at), paging through
//! every page, on any of the four providers, with the generated request builders, paginators and
//! `ImageSummary`.
//!
//! ```text
//! cargo run --example describe_images -- ecr team/app --endpoint http://127.0.0.1:5000
//! cargo run --example describe_images -- ecr_public my-repo --region us-east-1
//! cargo run --example describe_images -- tcr tcr-okmj78/team-01/nginx --region ap-guangzhou
//! cargo run --example describe_images -- jdcloud myregistry/team/app --region cn-north-1
//! ```
//!
//! Against moto (`.venv/bin/moto_server -p 5000` after the README's install step), the first line
//! works out of the box once a repository has images. ECR and ECR Public requests are signed with
//! SigV4 (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`; moto accepts any). TCR (TC3-HMAC-SHA256)
//! and JD Cloud (JDCLOUD2-HMAC-SHA256) have signers of their own, which crspec leaves to the
//! user as it leaves every signer: this example sends their requests unsigned, so the providers
//! answer with an authentication error, which it prints typed.

#[path = "common/aws.rs"]
pub mod aws;

use std::error::Error;
use std::io::Write;

use crspec::ImageSummary;
use crspec::runtime::http;
use crspec::runtime::wire::{Endpoint, Paginated, Reply, RequestError, ResponseError, pages};

/// Parsed command line: provider, repository, region, endpoint URL.
struct Args {
    provider: String,
    repository: String,
    region: String,
    endpoint: Option<String>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let usage = "usage: describe_images <ecr|ecr_public|tcr|jdcloud> <repository> \
                 [--region REGION] [--endpoint URL]";
    let mut positional = Vec::new();
    let (mut region, mut endpoint) = (None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--region" => region = Some(it.next().ok_or(usage)?.clone()),
            "--endpoint" => endpoint = Some(it.next().ok_or(usage)?.clone()),
            "-h" | "--help" => return Err(usage.to_owned()),
            other => positional.push(other.to_owned()),
        }
    }
    let [provider, repository] = <[String; 2]>::try_from(positional).map_err(|_| usage)?;
    let region = region.unwrap_or_else(|| {
        match provider.as_str() {
            "tcr" => "ap-guangzhou",
            "jdcloud" => "cn-north-1",
            _ => "us-east-1",
        }
        .to_owned()
    });
    Ok(Args {
        provider,
        repository,
        region,
        endpoint,
    })
}

/// Every image of every page, from `first` on: build, sign, send, parse, summarize.
fn every_image<R, O, E>(
    first: R,
    endpoint: &Endpoint,
    to_http: impl Fn(&R, &Endpoint) -> Result<http::Request<Vec<u8>>, RequestError>,
    sign: impl Fn(&mut http::Request<Vec<u8>>) -> Result<(), Box<dyn Error>>,
    parse: impl Fn(&http::Response<Vec<u8>>) -> Result<Reply<O>, ResponseError<E>>,
    summaries: impl Fn(&R, &O) -> Vec<ImageSummary>,
) -> Result<Vec<ImageSummary>, Box<dyn Error>>
where
    R: Paginated<Output = O>,
    E: Error + 'static,
{
    let mut images = Vec::new();
    for page in pages(first, |request: &R| -> Result<O, Box<dyn Error>> {
        let mut http = to_http(request, endpoint)?;
        sign(&mut http)?;
        let output = parse(&aws::send(http)?)?.output;
        images.extend(summaries(request, &output));
        Ok(output)
    }) {
        page?;
    }
    Ok(images)
}

fn unsigned(_: &mut http::Request<Vec<u8>>) -> Result<(), Box<dyn Error>> {
    Ok(())
}

/// Lists the images the arguments name.
fn list(args: &Args) -> Result<Vec<ImageSummary>, Box<dyn Error>> {
    let mut endpoint = Endpoint::region(&args.region);
    if let Some(url) = &args.endpoint {
        endpoint = endpoint.with_url(url);
    }
    let keys = aws::Keys::from_env_or_test();
    let sigv4 = |service: &'static str| {
        let keys = keys.clone();
        let region = args.region.clone();
        move |request: &mut http::Request<Vec<u8>>| aws::sign_v4(request, &keys, &region, service)
    };
    match args.provider.as_str() {
        "ecr" => {
            use crspec::ecr::{DescribeImages, DescribeImagesRequest};
            let first = DescribeImagesRequest::builder()
                .repository_name(&args.repository)
                .max_results(100)
                .build()?;
            every_image(
                first,
                &endpoint,
                DescribeImagesRequest::to_http,
                sigv4("ecr"),
                DescribeImages::parse_response,
                DescribeImages::summaries,
            )
        }
        "ecr_public" => {
            use crspec::ecr_public::{DescribeImages, DescribeImagesRequest};
            let first = DescribeImagesRequest::builder()
                .repository_name(&args.repository)
                .max_results(100)
                .build()?;
            every_image(
                first,
                &endpoint,
                DescribeImagesRequest::to_http,
                sigv4("ecr-public"),
                DescribeImages::parse_response,
                DescribeImages::summaries,
            )
        }
        "tcr" => {
            use crspec::tcr::{DescribeImages, DescribeImagesRequest};
            let parts: Vec<&str> = args.repository.splitn(3, '/').collect();
            let [registry, namespace, repository] = parts[..] else {
                return Err("a TCR repository is REGISTRY_ID/NAMESPACE/REPOSITORY".into());
            };
            let first = DescribeImagesRequest::builder()
                .registry_id(registry)
                .namespace_name(namespace)
                .repository_name(repository)
                .limit(100)
                .build()?;
            every_image(
                first,
                &endpoint,
                DescribeImagesRequest::to_http,
                unsigned,
                DescribeImages::parse_response,
                DescribeImages::summaries,
            )
        }
        "jdcloud" => {
            use crspec::jdcloud::{DescribeImages, DescribeImagesRequest, Filter, FilterName};
            let Some((registry, repository)) = args.repository.split_once('/') else {
                return Err("a JD Cloud repository is REGISTRY/REPOSITORY".into());
            };
            let filter = |name, value: &str| Filter {
                name,
                operator: None,
                values: vec![value.to_owned()],
            };
            let first = DescribeImagesRequest::builder()
                .region_id(&args.region)
                .filters([
                    filter(FilterName::RegistryName, registry),
                    filter(FilterName::RepositoryName, repository),
                ])
                .page_size(100)
                .build()?;
            every_image(
                first,
                &endpoint,
                DescribeImagesRequest::to_http,
                unsigned,
                DescribeImages::parse_response,
                DescribeImages::summaries,
            )
        }
        other => Err(format!("unknown provider `{other}`: ecr, ecr_public, tcr or jdcloud").into()),
    }
}

/// Writes the images as a table, one row each, sorted by push time (newest first).
fn table(images: &mut [ImageSummary], out: &mut impl Write) -> std::io::Result<()> {
    images.sort_by(|a, b| b.pushed_at.cmp(&a.pushed_at).then(a.digest.cmp(&b.digest)));
    writeln!(
        out,
        "{:<20} {:<24} {:>12} {:<20}",
        "DIGEST", "TAGS", "SIZE", "PUSHED AT"
    )?;
    for image in images.iter() {
        let digest = image
            .digest
            .as_ref()
            .map_or_else(|| "-".to_owned(), ToString::to_string);
        let digest = digest.as_str();
        let short = digest.get(..19).unwrap_or(digest);
        let tags = if image.tags.is_empty() {
            "<untagged>".to_owned()
        } else {
            image.tags.join(",")
        };
        let size = image
            .size_bytes
            .map_or_else(|| "-".to_owned(), |s| s.to_string());
        let pushed = image
            .pushed_at
            .map_or_else(|| "-".to_owned(), |at| at.to_string());
        writeln!(out, "{short:<20} {tags:<24} {size:>12} {pushed:<20}")?;
    }
    writeln!(out, "{} images", images.len())
}

/// The whole program, writing to `out`.
pub fn run(args: &[String], out: &mut impl Write) -> Result<(), Box<dyn Error>> {
    let args = parse_args(args)?;
    let mut images = list(&args)?;
    table(&mut images, out)?;
    Ok(())
}

#[allow(dead_code)] // the live tests include this file as a module and call `run`
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = run(&args, &mut std::io::stdout().lock()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
