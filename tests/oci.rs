//! The `oci` module (the OCI Distribution API, `specs/oci.yaml`) live against the reference
//! registry: Debian's `docker-registry` (CNCF Distribution 2.8) on a loopback port with a
//! temporary storage directory, images pushed with `skopeo` from an OCI layout the test writes,
//! everything read back through the generated bindings and crspec's blocking client.
//!
//! `.ci/run` installs `docker-registry`, `skopeo` and `apache2-utils` (for `htpasswd`); without
//! them these tests fail: they never skip.
//!
//! Distribution 2.8 pages `_catalog` (`n`, `last`, a `Link` header) but ignores `n` on
//! `tags/list` and sends every tag at once without a `Link` (tag paging came with 3.0), so the
//! tag test also proves that a registry which ignores `n` is read whole. Link-paged tag listing
//! is tested against a scripted server in `client.rs`.

#[path = "../examples/describe_images.rs"]
#[allow(dead_code)]
mod example;

mod live;

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crspec::oci::{
    CatalogError, CatalogRequest, GetManifestError, GetManifestRequest, HeadManifestError,
    HeadManifestRequest, ListTagsError, ListTagsRequest,
};
use crspec::runtime::client::{CallError, Client, UreqTransport};
use crspec::runtime::sign::Credentials;
use crspec::runtime::wire::{Endpoint, RequestError};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const USER: &str = "crspec";
const PASSWORD: &str = "s3cret-Passw0rd";

/// A program from Debian's packages, or a failure that says which package to install.
fn program(name: &str, package: &str) -> PathBuf {
    for dir in ["/usr/bin", "/usr/local/bin", "/usr/sbin"] {
        let path = Path::new(dir).join(name);
        if path.is_file() {
            return path;
        }
    }
    panic!("`{name}` not found: install Debian's `{package}` (`.ci/run` does)");
}

/// A registry on a free loopback port with its storage in a temporary directory; stopped (and
/// the directory removed) when dropped, also when a test panics.
struct Registry {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
    auth: bool,
}

impl Registry {
    /// A registry open to anyone, or (`auth`) one that asks for HTTP Basic credentials
    /// (`USER`, `PASSWORD`) from an htpasswd file.
    fn start(auth: bool) -> Self {
        let binary = program("docker-registry", "docker-registry");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let port = live::free_port();
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\n\
             http:\n  addr: 127.0.0.1:{port}\n",
            dir.path().join("data").display()
        );
        if auth {
            let htpasswd = dir.path().join("htpasswd");
            let status = Command::new(program("htpasswd", "apache2-utils"))
                .args(["-Bbc"])
                .arg(&htpasswd)
                .args([USER, PASSWORD])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("htpasswd runs");
            assert!(status.success(), "htpasswd failed");
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: crspec\n    path: {}\n",
                htpasswd.display()
            ));
        }
        let config_path = dir.path().join("config.yml");
        fs::write(&config_path, config).expect("the config is written");
        let child = Command::new(binary)
            .arg("serve")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("docker-registry starts");
        let mut registry = Self {
            child,
            port,
            dir,
            auth,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while !live::answers_http(port, "/v2/") {
            if let Ok(Some(status)) = registry.child.try_wait() {
                let mut stderr = String::new();
                if let Some(mut e) = registry.child.stderr.take() {
                    let _ = e.read_to_string(&mut stderr);
                }
                panic!("docker-registry exited with {status}:\n{stderr}");
            }
            assert!(
                Instant::now() < deadline,
                "docker-registry did not listen within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        registry
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn client(&self) -> Client<UreqTransport> {
        Client::blocking(Endpoint::url(format!("http://{}", self.host())))
    }

    fn skopeo_creds(&self) -> Vec<String> {
        if self.auth {
            vec!["--creds".into(), format!("{USER}:{PASSWORD}")]
        } else {
            Vec::new()
        }
    }

    /// Pushes a small image of its own (a config naming `repository:tag`, one empty layer) as
    /// `repository:tag`, with skopeo from an OCI layout the test writes.
    fn push(&self, repository: &str, tag: &str) {
        let layout = self
            .dir
            .path()
            .join(format!("layout-{}-{tag}", repository.replace('/', "_")));
        write_layout(&layout, repository, tag);
        let mut dest = self.skopeo_creds();
        if let Some(creds) = dest.get_mut(0) {
            *creds = "--dest-creds".into();
        }
        let output = Command::new(program("skopeo", "skopeo"))
            .args(["copy", "--quiet", "--dest-tls-verify=false"])
            .args(&dest)
            .arg(format!("oci:{}:{tag}", layout.display()))
            .arg(format!("docker://{}/{repository}:{tag}", self.host()))
            .output()
            .expect("skopeo runs");
        assert!(
            output.status.success(),
            "skopeo copy failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// The manifest digest `skopeo inspect` reports for `repository:reference`.
    fn skopeo_digest(&self, repository: &str, reference: &str) -> String {
        let output = Command::new(program("skopeo", "skopeo"))
            .args(["inspect", "--tls-verify=false"])
            .args(self.skopeo_creds())
            .arg(format!("docker://{}/{repository}:{reference}", self.host()))
            .output()
            .expect("skopeo runs");
        assert!(
            output.status.success(),
            "skopeo inspect failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: Value = serde_json::from_slice(&output.stdout).expect("skopeo prints JSON");
        report["Digest"].as_str().expect("a digest").to_owned()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sha256(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// An OCI image layout (image-spec `image-layout.md`) at `dir` with one image tagged `tag`:
/// a gzip of nothing as its layer and a config that names `repository:tag`, so that every image
/// has a digest of its own.
fn write_layout(dir: &Path, repository: &str, tag: &str) {
    let blobs = dir.join("blobs/sha256");
    fs::create_dir_all(&blobs).expect("the layout's folders");
    let blob = |bytes: &[u8]| {
        let hex = sha256(bytes);
        fs::write(blobs.join(&hex), bytes).expect("a blob");
        (format!("sha256:{hex}"), bytes.len())
    };
    // gzip (RFC 1952) of the empty string: header, an empty final deflate block, CRC and size 0.
    let layer: &[u8] = &[
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x03, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00,
    ];
    let (layer_digest, layer_size) = blob(layer);
    let config = json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {"Labels": {"crspec.image": format!("{repository}:{tag}")}},
        "rootfs": {"type": "layers", "diff_ids": [format!("sha256:{}", sha256(b""))]},
    })
    .to_string();
    let (config_digest, config_size) = blob(config.as_bytes());
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": config_digest,
            "size": config_size,
        },
        "layers": [{
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "digest": layer_digest,
            "size": layer_size,
        }],
    })
    .to_string();
    let (manifest_digest, manifest_size) = blob(manifest.as_bytes());
    let index = json!({
        "schemaVersion": 2,
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_digest,
            "size": manifest_size,
            "annotations": {"org.opencontainers.image.ref.name": tag},
        }],
    });
    fs::write(dir.join("index.json"), index.to_string()).expect("index.json");
    fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).expect("oci-layout");
}

#[test]
fn the_catalog_pages_two_at_a_time_and_sees_every_repository_once() {
    let registry = Registry::start(false);
    let repositories = ["alpha", "beta/one", "beta/two", "gamma", "team/app/web"];
    for r in repositories {
        registry.push(r, "v1");
    }
    let client = registry.client();
    let request = CatalogRequest::builder().n(2).build().unwrap();
    let mut pages = 0;
    let mut seen = Vec::new();
    for page in client.call(request).pages() {
        let page = page.expect("a catalog page");
        pages += 1;
        let repositories = page.repositories.unwrap_or_default();
        assert!(
            repositories.len() <= 2,
            "a page of n=2 has {repositories:?}"
        );
        seen.extend(repositories);
    }
    assert_eq!(pages, 3, "5 repositories, 2 a page");
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(
        unique.len(),
        seen.len(),
        "a repository seen twice: {seen:?}"
    );
    assert_eq!(seen, repositories, "every repository, in lexical order");

    // More than the registry pages at once (1,000 for Distribution 2.8): its own error code.
    let too_many = CatalogRequest::builder().n(100_000).build().unwrap();
    let error = client
        .call(too_many)
        .send()
        .expect_err("n over the registry's maximum");
    assert!(
        matches!(
            error.service_error(),
            Some(CatalogError::PaginationNumberInvalid(_))
        ),
        "{error:?}"
    );
}

#[test]
fn tags_manifests_digests_and_typed_errors() {
    let registry = Registry::start(false);
    let tags = ["1.0", "1.1", "2.0", "latest", "v_3-rc.1"];
    for t in tags {
        registry.push("team/app", t);
    }
    let client = registry.client();

    // Every tag exactly once, though the registry ignores `n` and sends no Link.
    let request = ListTagsRequest::builder()
        .name("team/app")
        .n(2)
        .build()
        .unwrap();
    let mut seen = Vec::new();
    for page in client.call(request).pages() {
        let page = page.expect("a tags page");
        assert_eq!(page.name.as_deref(), Some("team/app"));
        assert_eq!(page.link, None, "distribution 2.8 sends no Link for tags");
        seen.extend(page.tags.unwrap_or_default());
    }
    // Distribution 2.8 sends its tags in storage order, not the lexical order the OCI
    // specification asks of paged listings.
    let mut seen: Vec<&str> = seen.iter().map(|t| t.as_str()).collect();
    seen.sort_unstable();
    assert_eq!(seen, tags, "every tag exactly once");

    // The manifest digest, size and media type, by HEAD and by GET, as skopeo reports them.
    for tag in tags {
        let expected = registry.skopeo_digest("team/app", tag);
        let head = client
            .call(
                HeadManifestRequest::builder()
                    .name("team/app")
                    .reference(tag)
                    .build()
                    .unwrap(),
            )
            .send()
            .expect("HEAD of a manifest")
            .output;
        assert_eq!(
            head.digest.as_ref().map(ToString::to_string),
            Some(expected.clone())
        );
        assert_eq!(
            head.media_type.as_deref(),
            Some("application/vnd.oci.image.manifest.v1+json")
        );
        let got = client
            .call(
                GetManifestRequest::builder()
                    .name("team/app")
                    .reference(tag)
                    .build()
                    .unwrap(),
            )
            .send()
            .expect("GET of a manifest")
            .output;
        assert_eq!(got.digest, head.digest);
        assert_eq!(got.size, head.size);
        assert_eq!(got.schema_version, Some(2));
        assert_eq!(got.layers.as_ref().map(Vec::len), Some(1));
        // The size is that of the manifest's bytes, whose hash is the digest.
        let by_digest = client
            .call(
                GetManifestRequest::builder()
                    .name("team/app")
                    .reference(expected.as_str())
                    .build()
                    .unwrap(),
            )
            .send()
            .expect("GET of a manifest by digest")
            .output;
        assert_eq!(by_digest.digest, head.digest);
        assert!(head.size.is_some_and(|s| s > 0));
    }

    // Typed errors: a repository and a manifest that do not exist.
    let unknown_repo = client
        .call(ListTagsRequest::builder().name("no/such").build().unwrap())
        .send()
        .expect_err("an unknown repository");
    assert!(
        matches!(
            unknown_repo.service_error(),
            Some(ListTagsError::NameUnknown(_))
        ),
        "{unknown_repo:?}"
    );
    let unknown_manifest = client
        .call(
            GetManifestRequest::builder()
                .name("team/app")
                .reference("9.9")
                .build()
                .unwrap(),
        )
        .send()
        .expect_err("an unknown manifest");
    assert!(
        matches!(
            unknown_manifest.service_error(),
            Some(GetManifestError::ManifestUnknown(_))
        ),
        "{unknown_manifest:?}"
    );
    // HEAD has no body, so the error is its status.
    let head_missing = client
        .call(
            HeadManifestRequest::builder()
                .name("team/app")
                .reference("9.9")
                .build()
                .unwrap(),
        )
        .send()
        .expect_err("an unknown manifest");
    assert!(
        matches!(
            head_missing.service_error(),
            Some(HeadManifestError::Unknown(e)) if e.code == "404" && e.http_status == Some(404)
        ),
        "{head_missing:?}"
    );
}

#[test]
fn names_and_references_that_break_the_grammar_are_refused_before_sending() {
    for bad in [
        "Team/App",
        "team//app",
        "team/app/",
        "-app",
        "app_",
        "a..b",
        "",
    ] {
        assert!(
            ListTagsRequest::builder().name(bad).build().is_err(),
            "name {bad:?} was accepted"
        );
    }
    for good in ["a", "team/app", "a__b/c--d/e.f_g", "library/alpine"] {
        assert!(
            ListTagsRequest::builder().name(good).build().is_ok(),
            "name {good:?} was refused"
        );
    }
    for bad in [
        ".tag",
        "-tag",
        &"t".repeat(129),
        "sha256:",
        "SHA256:abc",
        "a tag",
    ] {
        assert!(
            HeadManifestRequest::builder()
                .name("app")
                .reference(bad)
                .build()
                .is_err(),
            "reference {bad:?} was accepted"
        );
    }
    // A request built without its builder is still checked before it is sent: no registry
    // listens on port 9, and the error is the request's, not the transport's.
    let mut request = ListTagsRequest::builder().name("app").build().unwrap();
    request.name = "Not Valid".into();
    let client = Client::blocking(Endpoint::url("http://127.0.0.1:9"));
    let error = client.call(request).send().expect_err("an invalid name");
    assert!(
        matches!(error, CallError::Request(RequestError::Invalid(_))),
        "{error:?}"
    );
}

#[test]
fn basic_auth_with_htpasswd_and_a_typed_unauthorized() {
    let registry = Registry::start(true);
    registry.push("private/app", "v1");
    let request = || {
        ListTagsRequest::builder()
            .name("private/app")
            .build()
            .unwrap()
    };

    let ok = registry
        .client()
        .with_credentials(Credentials::new(USER, PASSWORD))
        .call(request())
        .send()
        .expect("the right password");
    assert_eq!(ok.output.tags.unwrap_or_default(), ["v1"]);

    for credentials in [Some(Credentials::new(USER, "wrong")), None] {
        let anonymous = credentials.is_none();
        let mut client = registry.client();
        if let Some(c) = credentials {
            client = client.with_credentials(c);
        }
        let error = client
            .call(request())
            .send()
            .expect_err("no or a wrong password");
        assert!(
            matches!(error.service_error(), Some(ListTagsError::Unauthorized(_))),
            "anonymous {anonymous}: {error:?}"
        );
    }
}

#[test]
fn the_example_lists_an_oci_repository_with_its_summaries() {
    let registry = Registry::start(false);
    for tag in ["v1", "v2"] {
        registry.push("team/web", tag);
    }
    let endpoint = format!("http://{}", registry.host());
    let args: Vec<String> = ["oci", "team/web", "--endpoint", &endpoint]
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut out = Vec::new();
    example::run(&args, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert_eq!(lines[3], "2 images", "{out}");
    for tag in ["v1", "v2"] {
        let digest = registry.skopeo_digest("team/web", tag);
        let row = lines
            .iter()
            .find(|l| l.starts_with(&digest[..19]))
            .unwrap_or_else(|| panic!("no row for {digest} in\n{out}"));
        assert!(row.contains(&format!(" {tag} ")), "{out}");
    }

    // The summary of one manifest, through the generated mapping.
    let request = HeadManifestRequest::builder()
        .name("team/web")
        .reference("v1")
        .build()
        .unwrap();
    let head = registry.client().call(request.clone()).send().unwrap();
    let summaries = crspec::oci::HeadManifest::summaries(&request, &head.output);
    let [summary] = &summaries[..] else {
        panic!("{summaries:?}")
    };
    assert_eq!(summary.provider, "oci");
    assert_eq!(summary.repository.as_deref(), Some("team/web"));
    assert_eq!(
        summary.digest.as_ref().map(ToString::to_string),
        Some(registry.skopeo_digest("team/web", "v1"))
    );
    assert_eq!(
        summary.size_bytes,
        head.output.size.and_then(|s| u64::try_from(s).ok())
    );
    assert_eq!(
        summary.media_type.as_deref(),
        Some("application/vnd.oci.image.manifest.v1+json")
    );
    assert_eq!(summary.pushed_at, None, "the OCI API has no push time");
}
