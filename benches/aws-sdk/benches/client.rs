//! The client's overhead per 1-image `DescribeImages` call: crspec's client (build, validate,
//! sign with SigV4, send, parse) against `aws-sdk-ecr`'s `describe_images().send()`, in the same
//! run, two ways:
//!
//! - `memory`: the HTTP layer answers from memory (crspec: a `Transport` returning the canned
//!   response; the SDK: `aws-smithy-http-client`'s `infallible_client_fn`), so the figure is the
//!   client's own work;
//! - `loopback`: a keep-alive HTTP/1.1 server on 127.0.0.1 in this process answers every
//!   request with the same body (crspec: the blocking `ureq` client and the async `reqwest`
//!   one; the SDK: its default hyper client).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

use aws_sdk_ecr::config::{BehaviorVersion, Credentials, Region};
use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_types::body::SdkBody;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use crspec::runtime::client::{
    AsyncClient, Client, ReqwestTransport, Retry, Transport, TransportError, UreqTransport,
};
use crspec::runtime::wire::Endpoint;

#[path = "../../common/data.rs"]
mod data;

const REPOSITORY: &str = "platform/payments-api";

fn sdk_config() -> aws_sdk_ecr::config::Builder {
    aws_sdk_ecr::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "bench",
        ))
}

/// A crspec transport that answers from memory.
struct Canned(String);

impl Transport for Canned {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        _max_bytes: usize,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        assert!(request.headers().contains_key("authorization"));
        Ok(http::Response::builder()
            .status(200)
            .header("content-type", "application/x-amz-json-1.1")
            .body(self.0.clone().into_bytes())
            .unwrap())
    }
}

/// `UreqTransport` as it was before it took per-stage timeouts: one whole-call timeout, under
/// which ureq resolves the host on a new thread for every request. The baseline of the
/// `crspec_blocking_global_timeout` row.
struct GlobalTimeout(ureq::Agent);

impl GlobalTimeout {
    fn new() -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(30)))
            .timeout_connect(Some(std::time::Duration::from_secs(10)))
            .build()
            .into();
        Self(agent)
    }
}

impl Transport for GlobalTimeout {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        max_bytes: usize,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let fault = |e: ureq::Error| {
            TransportError::new(
                crspec::runtime::client::TransportErrorKind::Other,
                e.to_string(),
            )
        };
        let (parts, mut body) = self.0.run(request).map_err(fault)?.into_parts();
        let bytes = body
            .with_config()
            .limit(max_bytes as u64)
            .read_to_vec()
            .map_err(fault)?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}

fn keys() -> crspec::runtime::sign::Credentials {
    crspec::runtime::sign::Credentials::new("AKIDEXAMPLE", "secret")
}

fn request() -> crspec::ecr::DescribeImagesRequest {
    crspec::ecr::DescribeImagesRequest::builder()
        .repository_name(REPOSITORY)
        .build()
        .unwrap()
}

/// Serves `body` to every request on every connection, keeping connections open.
fn serve(body: String) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let body = body.clone();
            thread::spawn(move || connection(stream, &body));
        }
    });
    port
}

fn connection(stream: TcpStream, body: &str) {
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n\
         x-amzn-RequestId: r\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    loop {
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut request_body = vec![0; length];
        if reader.read_exact(&mut request_body).is_err()
            || writer.write_all(response.as_bytes()).is_err()
        {
            return;
        }
    }
}

fn client_call(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let body = data::ecr_page(1);
    let mut group = c.benchmark_group("client_call_1_image");

    // From memory.
    let canned = body.clone();
    let sdk = aws_sdk_ecr::Client::from_conf(
        sdk_config()
            .http_client(infallible_client_fn(move |_request| {
                http::Response::builder()
                    .status(200)
                    .header("content-type", "application/x-amz-json-1.1")
                    .body(SdkBody::from(canned.clone()))
                    .unwrap()
            }))
            .build(),
    );
    group.bench_function(BenchmarkId::new("memory", "aws_sdk_ecr"), |b| {
        b.iter(|| {
            runtime.block_on(async {
                let out = sdk
                    .describe_images()
                    .repository_name(REPOSITORY)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(out.image_details().len(), 1);
            })
        });
    });
    let crspec = Client::new(Canned(body.clone()), Endpoint::region("us-east-1"))
        .with_credentials(keys())
        .with_retry(Retry::default());
    group.bench_function(BenchmarkId::new("memory", "crspec"), |b| {
        b.iter(|| {
            let reply = crspec.describe_images(request()).send().unwrap();
            assert_eq!(reply.output.image_details.map(|d| d.len()), Some(1));
        });
    });

    // Over loopback.
    let port = serve(body);
    let url = format!("http://127.0.0.1:{port}");
    let sdk = aws_sdk_ecr::Client::from_conf(sdk_config().endpoint_url(&url).build());
    group.bench_function(BenchmarkId::new("loopback", "aws_sdk_ecr"), |b| {
        b.iter(|| {
            runtime.block_on(async {
                let out = sdk
                    .describe_images()
                    .repository_name(REPOSITORY)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(out.image_details().len(), 1);
            })
        });
    });
    // The floor: the same exchange by hand on one kept-alive connection (a request of the size
    // of crspec's signed one, the response read to its end): what any client pays to the
    // kernel and the server; a client's overhead is its time over this.
    let mut signed = request()
        .to_http(&Endpoint::region("us-east-1").with_url(&url))
        .unwrap();
    crspec::runtime::sign::sign(
        &mut signed,
        &crspec::ecr::PROTOCOL.signing,
        "us-east-1",
        &keys(),
        &crspec::runtime::sign::SigningContext::now(),
    )
    .unwrap();
    let mut raw = format!("POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    for (name, value) in signed.headers() {
        raw.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    raw.push_str(&format!("Content-Length: {}\r\n\r\n", signed.body().len()));
    let mut raw = raw.into_bytes();
    raw.extend_from_slice(signed.body());
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_nodelay(true).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    group.bench_function(BenchmarkId::new("loopback", "floor"), |b| {
        b.iter(|| {
            writer.write_all(&raw).unwrap();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" {
                    break;
                }
                if let Some(v) = line.strip_prefix("Content-Length: ") {
                    length = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            body
        });
    });

    let endpoint = Endpoint::region("us-east-1").with_url(&url);
    let blocking = Client::new(UreqTransport::default(), endpoint.clone()).with_credentials(keys());
    group.bench_function(BenchmarkId::new("loopback", "crspec_blocking"), |b| {
        b.iter(|| {
            let reply = blocking.describe_images(request()).send().unwrap();
            assert_eq!(reply.output.image_details.map(|d| d.len()), Some(1));
        });
    });
    let before = Client::new(GlobalTimeout::new(), endpoint.clone()).with_credentials(keys());
    group.bench_function(
        BenchmarkId::new("loopback", "crspec_blocking_global_timeout"),
        |b| {
            b.iter(|| {
                let reply = before.describe_images(request()).send().unwrap();
                assert_eq!(reply.output.image_details.map(|d| d.len()), Some(1));
            });
        },
    );
    let r#async = AsyncClient::new(ReqwestTransport::default(), endpoint).with_credentials(keys());
    group.bench_function(BenchmarkId::new("loopback", "crspec_async"), |b| {
        b.iter(|| {
            runtime.block_on(async {
                let reply = r#async.send(&request()).await.unwrap();
                assert_eq!(reply.output.image_details.map(|d| d.len()), Some(1));
            })
        });
    });
    group.finish();
}

criterion_group!(benches, client_call);
criterion_main!(benches);
