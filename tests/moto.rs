//! ECR DescribeImages against a real emulator: moto's server (`moto[server]` from PyPI) on
//! 127.0.0.1, reached through crspec's client (`crspec::runtime::client`): the generated request
//! builder, SigV4 signing (`aws-sigv4`), the `ureq` transport, retries and paging.
//!
//! `.ci/run` installs moto into `.venv/`; locally, run
//! `python3 -m venv .venv && .venv/bin/pip install 'moto[server]'` once (or point
//! `CRSPEC_MOTO_SERVER` at a `moto_server` binary). Without moto these tests fail: they never
//! skip.
//!
//! moto 5.2 ignores `maxResults`, `nextToken` and `filter` of DescribeImages (its docs say so for
//! the first two): every request here comes back as one page without a token, which the
//! paginator must take as the last page. Paging over several pages is tested against a fake
//! server in `pagination.rs`.

#[path = "../examples/describe_images.rs"]
#[allow(dead_code)]
mod example;

mod live;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crspec::ecr::{
    DescribeImagesError, DescribeImagesFilter, DescribeImagesRequest, DescribeImagesResponse,
    ImageDetail, ImageIdentifier, ManifestMediaType, TagStatus,
};
use crspec::runtime::client::{CallError, Client, Transport, UreqTransport};
use crspec::runtime::http;
use crspec::runtime::sign::{Credentials, SigningContext, sign};
use crspec::runtime::wire::{Endpoint, Reply, ResponseError};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";
const MANIFEST_V2: &str = "application/vnd.docker.distribution.manifest.v2+json";

/// moto accepts any keys.
fn keys() -> Credentials {
    Credentials::new("testing", "testing")
}

fn moto_server_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("CRSPEC_MOTO_SERVER") {
        return path.into();
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/moto_server");
    assert!(
        venv.is_file(),
        "moto_server not found at {}: run `python3 -m venv .venv && .venv/bin/pip install \
         'moto[server]'`, or set CRSPEC_MOTO_SERVER",
        venv.display()
    );
    venv
}

/// A moto server on a free loopback port, stopped when dropped (also when a test panics).
struct Moto {
    child: Child,
    port: u16,
}

impl Moto {
    fn start() -> Self {
        let port = live::free_port();
        let child = Command::new(moto_server_binary())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("moto_server starts");
        let mut moto = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !live::answers_http(port, "/") {
            if let Ok(Some(status)) = moto.child.try_wait() {
                let mut stderr = String::new();
                if let Some(mut e) = moto.child.stderr.take() {
                    let _ = e.read_to_string(&mut stderr);
                }
                panic!("moto_server exited with {status}:\n{stderr}");
            }
            assert!(
                Instant::now() < deadline,
                "moto_server did not listen within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    fn endpoint(&self) -> Endpoint {
        Endpoint::region(REGION).with_url(format!("http://127.0.0.1:{}", self.port))
    }

    fn client(&self) -> Client<UreqTransport> {
        Client::blocking(self.endpoint()).with_credentials(keys())
    }

    /// Signs (with crspec's SigV4) and sends a request crspec does not generate.
    fn send(&self, mut request: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        sign(
            &mut request,
            &crspec::ecr::PROTOCOL.signing,
            REGION,
            &keys(),
            &SigningContext::now(),
        )
        .expect("the request signs");
        UreqTransport::default()
            .send(request, 1 << 20)
            .expect("moto answers")
    }

    /// An ECR action crspec does not generate (setting up the repository), by hand.
    fn call(&self, action: &str, body: &Value) -> Value {
        let request = http::Request::post(format!("http://127.0.0.1:{}/", self.port))
            .header(
                "X-Amz-Target",
                format!("AmazonEC2ContainerRegistry_V20150921.{action}"),
            )
            .header("Content-Type", "application/x-amz-json-1.1")
            .body(serde_json::to_vec(body).unwrap())
            .unwrap();
        let response = self.send(request);
        assert!(
            response.status().is_success(),
            "{action}: {}",
            String::from_utf8_lossy(response.body())
        );
        serde_json::from_slice(response.body()).unwrap()
    }

    fn describe(
        &self,
        request: &DescribeImagesRequest,
    ) -> Result<Reply<DescribeImagesResponse>, CallError<DescribeImagesError>> {
        self.client().describe_images(request.clone()).send()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An image manifest with its own layers and config size; moto derives the digest from the
/// layer digests and the size from the config.
struct Pushed {
    manifest: String,
    digest: String,
    size: i64,
}

fn image(seed: &str, size: i64) -> Pushed {
    let layer = |i: u8| format!("sha256:{:x}", Sha256::digest(format!("{seed}-layer-{i}")));
    let layers = [layer(1), layer(2)];
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": MANIFEST_V2,
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": size,
            "digest": format!("sha256:{:x}", Sha256::digest(format!("{seed}-config"))),
        },
        "layers": layers.iter().map(|d| json!({
            "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "size": 1000,
            "digest": d,
        })).collect::<Vec<_>>(),
    })
    .to_string();
    let digest = format!("sha256:{:x}", Sha256::digest(layers.concat()));
    Pushed {
        manifest,
        digest,
        size,
    }
}

fn now() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

fn tags(image: &ImageDetail) -> Vec<String> {
    let mut tags: Vec<String> = image
        .image_tags
        .iter()
        .flatten()
        .map(|t| t.to_string())
        .collect();
    tags.sort();
    tags
}

#[test]
fn describe_images_against_moto() {
    let moto = Moto::start();
    let before = now();
    moto.call("CreateRepository", &json!({"repositoryName": "team/app"}));
    let (a, b, c) = (image("a", 7_023), image("b", 52_428_800), image("c", 1));
    // A: two tags (the same manifest pushed twice); B: one tag; C: no tag.
    for (pushed, tag) in [
        (&a, Some("v1")),
        (&a, Some("latest")),
        (&b, Some("v2")),
        (&c, None),
    ] {
        let mut body = json!({"repositoryName": "team/app", "imageManifest": pushed.manifest});
        if let Some(tag) = tag {
            body["imageTag"] = json!(tag);
        }
        moto.call("PutImage", &body);
    }
    let after = now();

    // Every page, with a small page size, through the client's pages (moto sends one page
    // without a token), and the same images as summaries through items().
    let first = DescribeImagesRequest::builder()
        .repository_name("team/app")
        .max_results(2)
        .build()
        .unwrap();
    let client = moto.client();
    let pages: Vec<DescribeImagesResponse> = client
        .describe_images(first.clone())
        .pages()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(pages.len(), 1, "moto sends one page without a token");
    let images: Vec<ImageDetail> = pages
        .into_iter()
        .flat_map(|page| page.image_details.unwrap_or_default())
        .collect();
    assert_eq!(images.len(), 3, "{images:#?}");
    let summaries = client
        .describe_images(first.clone())
        .items()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(summaries.len(), 3);
    assert!(summaries.iter().all(|s| s.provider == "ecr"));
    let reply = moto.describe(&first).unwrap();
    assert!(reply.request_id.is_some(), "{reply:?}");

    for (pushed, expected_tags) in [(&a, vec!["latest", "v1"]), (&b, vec!["v2"]), (&c, vec![])] {
        let image = images
            .iter()
            .find(|i| {
                i.image_digest
                    .as_ref()
                    .is_some_and(|d| *d == *pushed.digest)
            })
            .unwrap_or_else(|| panic!("no image {} in {images:#?}", pushed.digest));
        assert_eq!(image.registry_id.as_deref(), Some(ACCOUNT));
        assert_eq!(image.repository_name.as_deref(), Some("team/app"));
        assert_eq!(tags(image), expected_tags);
        if expected_tags.is_empty() {
            assert_eq!(image.image_tags, None, "an untagged image has no imageTags");
        }
        assert_eq!(image.image_size_in_bytes, Some(pushed.size));
        let pushed_at = image
            .image_pushed_at
            .expect("imagePushedAt")
            .get()
            .unix_timestamp();
        assert!((before - 1..=after + 1).contains(&pushed_at), "{pushed_at}");
        assert_eq!(
            image.image_manifest_media_type,
            Some(ManifestMediaType::DockerManifestV2)
        );
        assert_eq!(ManifestMediaType::DockerManifestV2.as_str(), MANIFEST_V2);
        // moto derives digests as sha256 of the manifest: decoded, not kept as text.
        assert!(
            image
                .image_digest
                .as_ref()
                .is_some_and(|d| d.as_sha256().is_some())
        );
    }

    // The filter and image ids travel as the API documents them.
    let untagged = moto
        .describe(
            &DescribeImagesRequest::builder()
                .repository_name("team/app")
                .filter(
                    DescribeImagesFilter::builder()
                        .tag_status(TagStatus::Untagged)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .unwrap()
        .output
        .image_details
        .unwrap();
    // moto accepts the filter but does not apply it (it filters ListImages only): the untagged
    // image is there, with the others.
    assert!(
        untagged
            .iter()
            .any(|i| i.image_digest.as_ref().is_some_and(|d| *d == *c.digest))
    );
    let by_tag = moto
        .describe(
            &DescribeImagesRequest::builder()
                .repository_name("team/app")
                .image_ids([ImageIdentifier::builder()
                    .image_tag("latest")
                    .build()
                    .unwrap()])
                .build()
                .unwrap(),
        )
        .unwrap()
        .output
        .image_details
        .unwrap();
    assert_eq!(by_tag.len(), 1);
    assert_eq!(
        by_tag[0].image_digest,
        Some(crspec::runtime::Digest::parse(&a.digest))
    );
}

#[test]
fn typed_errors_from_moto() {
    let moto = Moto::start();
    let err = moto
        .describe(
            &DescribeImagesRequest::builder()
                .repository_name("does/not-exist")
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert_eq!(err.request_id().map(str::is_empty), Some(false), "{err:?}");
    let Some(DescribeImagesError::RepositoryNotFoundException(details)) = err.service_error()
    else {
        panic!("{err:?}")
    };
    assert!(
        details
            .message
            .as_deref()
            .unwrap_or_default()
            .contains("does/not-exist"),
        "{details:?}"
    );
    assert!(details.request_id.is_some(), "{details:?}");
    // Not retried: the spec does not call it retryable.
    let CallError::Response {
        error: ResponseError::Service(error),
        attempts: 1,
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(error.http_status(), Some(400));
    assert!(!error.is_retryable());

    moto.call("CreateRepository", &json!({"repositoryName": "team/app"}));
    let err = moto
        .describe(
            &DescribeImagesRequest::builder()
                .repository_name("team/app")
                .image_ids([ImageIdentifier::builder()
                    .image_tag("missing")
                    .build()
                    .unwrap()])
                .build()
                .unwrap(),
        )
        .unwrap_err();
    assert!(
        matches!(
            err.service_error(),
            Some(DescribeImagesError::ImageNotFoundException(_))
        ),
        "{err:?}"
    );
}

#[test]
fn the_example_lists_a_repository_as_a_table() {
    let moto = Moto::start();
    moto.call("CreateRepository", &json!({"repositoryName": "team/app"}));
    let (a, c) = (image("a", 7_023), image("c", 1));
    moto.call(
        "PutImage",
        &json!({"repositoryName": "team/app", "imageManifest": a.manifest, "imageTag": "v1"}),
    );
    moto.call(
        "PutImage",
        &json!({"repositoryName": "team/app", "imageManifest": c.manifest}),
    );
    let args: Vec<String> = [
        "ecr",
        "team/app",
        "--endpoint",
        &format!("http://127.0.0.1:{}", moto.port),
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    let mut out = Vec::new();
    example::run(&args, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with("DIGEST"), "{out}");
    let row = |digest: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(&digest[..19]))
            .unwrap_or_else(|| panic!("no row for {digest} in\n{out}"))
            .to_string()
    };
    assert!(
        row(&a.digest).contains(" v1 ") && row(&a.digest).contains(" 7023 "),
        "{out}"
    );
    assert!(row(&c.digest).contains("<untagged>"), "{out}");
    assert_eq!(lines[3], "2 images");

    // A repository that does not exist is the typed error, printed.
    let mut args = args;
    args[1] = "nope".into();
    let err = example::run(&args, &mut Vec::new()).unwrap_err();
    assert!(
        err.to_string().starts_with("RepositoryNotFoundException"),
        "{err}"
    );
}
