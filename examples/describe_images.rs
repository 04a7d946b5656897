//! Lists every image of a repository as a table (digest, tags, size, pushed at), paging through
//! every page, on any of the five providers, with the generated request builders, paginators and
//! `ImageSummary`.
//!
//! ```text
//! cargo run --example describe_images -- ecr team/app --endpoint http://127.0.0.1:5000
//! cargo run --example describe_images -- ecr_public my-repo --region us-east-1
//! cargo run --example describe_images -- tcr tcr-okmj78/team-01/nginx --region ap-guangzhou
//! cargo run --example describe_images -- jdcloud myregistry/team/app --region cn-north-1
//! cargo run --example describe_images -- oci team/app --endpoint http://127.0.0.1:5000
//! cargo run --example describe_images -- oci library/alpine
//! ```
//!
//! `oci` is any registry that speaks the OCI Distribution API (Docker Hub without `--endpoint`):
//! the tags with `ListTags`, then each tag's manifest with `HeadManifest` (digest, size, media
//! type; the API has no push time). It sends `CRSPEC_REGISTRY_USER`/`CRSPEC_REGISTRY_PASSWORD`
//! as HTTP Basic when they are set, and answers a registry's bearer-token challenge.
//!
//! Against moto (`.venv/bin/moto_server -p 5000` after the README's install step), the first line
//! works out of the box once a repository has images. Every provider's requests are signed with
//! its own scheme (SigV4, TC3-HMAC-SHA256, JDCLOUD3-HMAC-SHA256) from the credentials in its
//! environment variables (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`,
//! `TENCENTCLOUD_SECRET_ID`/`TENCENTCLOUD_SECRET_KEY`, `JDCLOUD_ACCESS_KEY`/`JDCLOUD_SECRET_KEY`);
//! this example falls back to moto's test keys for AWS. Needs crspec's `blocking` feature.

use std::error::Error;
use std::io::Write;

use crspec::ImageSummary;
use crspec::runtime::client::Client;
use crspec::runtime::sign::Credentials;
use crspec::runtime::wire::{Endpoint, Signing};

/// Parsed command line: provider, repository, region, endpoint URL.
struct Args {
    provider: String,
    repository: String,
    region: String,
    endpoint: Option<String>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let usage = "usage: describe_images <ecr|ecr_public|tcr|jdcloud|oci> <repository> \
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

/// The provider's credentials from its environment variables; moto's test keys for AWS when
/// they are unset.
fn credentials(signing: &Signing) -> Result<Credentials, Box<dyn Error>> {
    match (Credentials::from_env(signing), signing) {
        (Ok(keys), _) => Ok(keys),
        (Err(_), Signing::SigV4 { .. }) => Ok(Credentials::new("testing", "testing")),
        (Err(e), _) => Err(e.into()),
    }
}

/// Lists the images the arguments name: one client call a provider.
fn list(args: &Args) -> Result<Vec<ImageSummary>, Box<dyn Error>> {
    let mut endpoint = Endpoint::region(&args.region);
    if let Some(url) = &args.endpoint {
        endpoint = endpoint.with_url(url);
    }
    let client = |signing| -> Result<_, Box<dyn Error>> {
        Ok(Client::blocking(endpoint.clone()).with_credentials(credentials(signing)?))
    };
    let images = match args.provider.as_str() {
        "ecr" => {
            use crspec::ecr::{DescribeImagesRequest, PROTOCOL};
            let request = DescribeImagesRequest::builder()
                .repository_name(&args.repository)
                .build()?;
            let client = client(&PROTOCOL.signing)?;
            client
                .describe_images(request)
                .items()
                .collect::<Result<Vec<_>, _>>()?
        }
        "ecr_public" => {
            use crspec::ecr_public::{DescribeImagesRequest, PROTOCOL};
            let request = DescribeImagesRequest::builder()
                .repository_name(&args.repository)
                .build()?;
            let client = client(&PROTOCOL.signing)?;
            client
                .describe_images(request)
                .items()
                .collect::<Result<Vec<_>, _>>()?
        }
        "tcr" => {
            use crspec::tcr::{DescribeImagesRequest, PROTOCOL};
            let parts: Vec<&str> = args.repository.splitn(3, '/').collect();
            let [registry, namespace, repository] = parts[..] else {
                return Err("a TCR repository is REGISTRY_ID/NAMESPACE/REPOSITORY".into());
            };
            let request = DescribeImagesRequest::builder()
                .registry_id(registry)
                .namespace_name(namespace)
                .repository_name(repository)
                .limit(100)
                .build()?;
            let client = client(&PROTOCOL.signing)?;
            client
                .describe_images(request)
                .items()
                .collect::<Result<Vec<_>, _>>()?
        }
        "jdcloud" => {
            use crspec::jdcloud::{DescribeImagesRequest, Filter, FilterName, PROTOCOL};
            let Some((registry, repository)) = args.repository.split_once('/') else {
                return Err("a JD Cloud repository is REGISTRY/REPOSITORY".into());
            };
            let filter = |name: FilterName, value: &str| {
                Filter::builder()
                    .name(name)
                    .values([value.to_owned()])
                    .build()
            };
            let request = DescribeImagesRequest::builder()
                .region_id(&args.region)
                .filters([
                    filter(FilterName::RegistryName, registry)?,
                    filter(FilterName::RepositoryName, repository)?,
                ])
                .page_size(100)
                .build()?;
            let client = client(&PROTOCOL.signing)?;
            client
                .describe_images(request)
                .items()
                .collect::<Result<Vec<_>, _>>()?
        }
        "oci" => {
            use crspec::oci::{HeadManifest, HeadManifestRequest, ListTagsRequest};
            // A registry has no region: its URL, or Docker Hub's.
            let client = Client::blocking(match &args.endpoint {
                Some(url) => Endpoint::url(url),
                None => Endpoint::url(crspec::oci::PROTOCOL.endpoint),
            });
            let listing = ListTagsRequest::builder()
                .name(&args.repository)
                .n(100)
                .build()?;
            let mut images = Vec::new();
            for page in client.call(listing).pages() {
                for tag in page?.tags.unwrap_or_default() {
                    let request = HeadManifestRequest::builder()
                        .name(&args.repository)
                        .reference(tag.as_str())
                        .build()?;
                    let head = client.call(request.clone()).send()?;
                    for mut image in HeadManifest::summaries(&request, &head.output) {
                        image.tags.push(tag.clone());
                        images.push(image);
                    }
                }
            }
            images
        }
        other => {
            return Err(format!(
                "unknown provider `{other}`: ecr, ecr_public, tcr, jdcloud or oci"
            )
            .into());
        }
    };
    Ok(images)
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
