//! The client (`crspec::runtime::client`) against a scripted HTTP server on loopback: typed
//! errors whatever the status, request ids, retries with their cap and budget, transport faults,
//! timeouts, size limits, paging, signing with each provider's scheme, and the async twin.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crspec::ecr::{DescribeImagesError, DescribeImagesRequest};
use crspec::runtime::client::{
    AsyncClient, CallError, Client, ReqwestTransport, Retry, TransportErrorKind, UreqTransport,
};
use crspec::runtime::sign::Credentials;
use crspec::runtime::wire::{Endpoint, Limits, PagingError, ResponseError};
use serde_json::{Value, json};

/// One request as the server read it.
#[derive(Debug, Clone)]
struct Seen {
    head: String,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// What the server does with request `n` (from 0).
enum Answer {
    /// Status, extra headers, body.
    Reply(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Waits this long, then closes without a word.
    Hang(Duration),
}

fn reply(status: u16, body: &Value) -> Answer {
    Answer::Reply(
        status,
        vec![("x-amzn-RequestId", "req-1".to_owned())],
        body.to_string().into_bytes(),
    )
}

/// A server on 127.0.0.1 that answers every connection with `script`; it records what it read.
struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start(script: impl Fn(usize, &Seen) -> Answer + Send + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let Some(request) = read_request(&stream) else {
                    continue;
                };
                let n = {
                    let mut log = log.lock().unwrap();
                    log.push(request.clone());
                    log.len() - 1
                };
                answer(stream, script(n, &request));
            }
        });
        Self { port, seen }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn endpoint(&self) -> Endpoint {
        Endpoint::region("us-east-1").with_url(self.url())
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn read_request(stream: &TcpStream) -> Option<Seen> {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let seen = Seen {
        head,
        body: Vec::new(),
    };
    let length: usize = seen
        .header("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Seen { body, ..seen })
}

fn answer(mut stream: TcpStream, answer: Answer) {
    match answer {
        Answer::Hang(wait) => thread::sleep(wait),
        Answer::Reply(status, headers, body) => {
            let mut out = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/x-amz-json-1.1\r\n\
                 Content-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            out.push_str("\r\n");
            let _ = stream.write_all(out.as_bytes());
            let _ = stream.write_all(&body);
        }
    }
}

fn request() -> DescribeImagesRequest {
    DescribeImagesRequest::builder()
        .repository_name("team/app")
        .build()
        .unwrap()
}

fn keys() -> Credentials {
    Credentials::new("AKIDTEST", "secret-key")
}

fn quick_retries(attempts: u32) -> Retry {
    Retry::default()
        .with_max_attempts(attempts)
        .with_base_delay(Duration::ZERO)
}

fn client(server: &Server) -> Client<UreqTransport> {
    Client::blocking(server.endpoint())
        .with_credentials(keys())
        .with_retry(quick_retries(3))
}

fn image(digest_byte: u8, tag: &str) -> Value {
    json!({
        "registryId": "123456789012",
        "repositoryName": "team/app",
        "imageDigest": format!("sha256:{}", format!("{digest_byte:02x}").repeat(32)),
        "imageTags": [tag],
        "imageSizeInBytes": 1000 + u64::from(digest_byte),
        "imagePushedAt": 1_700_000_000.5,
    })
}

fn not_found() -> Answer {
    reply(
        400,
        &json!({"__type": "RepositoryNotFoundException", "message": "no team/app"}),
    )
}

fn server_error() -> Answer {
    reply(
        500,
        &json!({"__type": "ServerException", "message": "try again"}),
    )
}

#[test]
fn a_400_is_the_typed_error_with_its_request_id_and_is_not_retried() {
    let server = Server::start(|_, _| not_found());
    let err = client(&server)
        .describe_images(request())
        .send()
        .unwrap_err();
    assert!(
        matches!(
            err.service_error(),
            Some(DescribeImagesError::RepositoryNotFoundException(_))
        ),
        "{err:?}"
    );
    assert_eq!(err.request_id(), Some("req-1"));
    assert!(matches!(err, CallError::Response { attempts: 1, .. }));
    assert_eq!(server.seen().len(), 1);
    assert_eq!(
        err.to_string(),
        "RepositoryNotFoundException: no team/app",
        "{err}"
    );
}

#[test]
fn retryable_errors_are_retried_and_each_attempt_is_signed_afresh() {
    let server = Server::start(|n, _| match n {
        0 => server_error(),
        // A load balancer's page: not the provider's body, from a server error.
        1 => Answer::Reply(502, vec![], b"<html>bad gateway</html>".to_vec()),
        _ => reply(200, &json!({"imageDetails": [image(1, "v1")]})),
    });
    let reply = client(&server).describe_images(request()).send().unwrap();
    assert_eq!(reply.output.image_details.unwrap().len(), 1);
    assert_eq!(reply.request_id.as_deref(), Some("req-1"));
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for request in &seen {
        let auth = request.header("authorization").unwrap();
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/"),
            "{auth}"
        );
        assert!(request.header("x-amz-date").is_some());
        assert_eq!(request.json()["repositoryName"], "team/app");
    }
}

#[test]
fn attempts_stop_at_the_cap_and_none_means_one() {
    let server = Server::start(|_, _| server_error());
    let err = client(&server)
        .describe_images(request())
        .send()
        .unwrap_err();
    assert!(
        matches!(err, CallError::Response { attempts: 3, .. }),
        "{err:?}"
    );
    assert!(err.to_string().ends_with("(after 3 attempts)"), "{err}");
    assert_eq!(server.seen().len(), 3);

    let once = Client::blocking(server.endpoint())
        .with_credentials(keys())
        .with_retry(Retry::none());
    let err = once.describe_images(request()).send().unwrap_err();
    assert!(
        matches!(err, CallError::Response { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(server.seen().len(), 4);
}

#[test]
fn the_retry_budget_runs_out() {
    // 500 tokens, 5 a retry: 100 retries, then every call makes one attempt.
    let server = Server::start(|_, _| server_error());
    let retry = quick_retries(1_000);
    let client = Client::blocking(server.endpoint())
        .with_credentials(keys())
        .with_retry(retry.clone());
    let err = client.describe_images(request()).send().unwrap_err();
    assert!(
        matches!(err, CallError::Response { attempts: 101, .. }),
        "{err:?}"
    );
    assert_eq!(retry.budget(), 0);
    let err = client.describe_images(request()).send().unwrap_err();
    assert!(
        matches!(err, CallError::Response { attempts: 1, .. }),
        "{err:?}"
    );
}

#[test]
fn a_refused_connection_is_a_transport_fault_retried_to_the_cap() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::blocking(
        Endpoint::region("us-east-1").with_url(format!("http://127.0.0.1:{port}")),
    )
    .with_credentials(keys())
    .with_retry(quick_retries(2));
    let err = client.describe_images(request()).send().unwrap_err();
    let CallError::Transport { error, attempts } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*attempts, 2);
    assert_eq!(error.kind(), TransportErrorKind::Connect, "{error}");
    assert_eq!(err.request_id(), None);
}

#[test]
fn a_silent_server_times_out() {
    let server = Server::start(|_, _| Answer::Hang(Duration::from_secs(3)));
    let client = Client::new(
        UreqTransport::with_timeouts(Duration::from_millis(300), Duration::from_millis(300)),
        server.endpoint(),
    )
    .with_credentials(keys())
    .with_retry(Retry::none());
    let err = client.describe_images(request()).send().unwrap_err();
    let CallError::Transport { error, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
}

#[test]
fn a_body_over_the_limit_is_not_read_and_not_retried() {
    let big = json!({"imageDetails": vec![image(1, "v1"); 100]});
    let server = Server::start(move |_, _| reply(200, &big));
    let client = client(&server).with_limits(Limits::DEFAULT.with_max_bytes(1024));
    let err = client.describe_images(request()).send().unwrap_err();
    let CallError::Transport { error, attempts } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(error.kind(), TransportErrorKind::TooLarge, "{error}");
    assert_eq!(*attempts, 1);
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn pages_and_items_read_on_past_an_empty_page_with_a_token() {
    // Page 1: two images and token t1; page 2: none, token t2; page 3: one, no token.
    let server = Server::start(|_, seen| {
        let body = match seen.json()["nextToken"].as_str() {
            None => json!({"imageDetails": [image(1, "a"), image(2, "b")], "nextToken": "t1"}),
            Some("t1") => json!({"imageDetails": [], "nextToken": "t2"}),
            Some(_) => json!({"imageDetails": [image(3, "c")]}),
        };
        reply(200, &body)
    });
    let client = client(&server);
    let pages = client
        .describe_images(request())
        .pages()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(pages.len(), 3);
    let items = client
        .describe_images(request())
        .items()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let tags: Vec<String> = items.iter().map(|i| i.tags.join(",")).collect();
    assert_eq!(tags, ["a", "b", "c"]);
    assert!(items.iter().all(|i| i.provider == "ecr"));
    assert_eq!(items[2].size_bytes, Some(1003));
}

#[test]
fn a_server_going_round_ends_in_a_paging_error() {
    let server = Server::start(|_, seen| {
        let next = match seen.json()["nextToken"].as_str() {
            Some("a") => "b",
            _ => "a",
        };
        reply(
            200,
            &json!({"imageDetails": [image(1, "x")], "nextToken": next}),
        )
    });
    let results: Vec<_> = client(&server).describe_images(request()).items().collect();
    let last = results.last().unwrap();
    assert!(
        matches!(
            last,
            Err(CallError::Paging(PagingError::RepeatedCursor { .. }))
        ),
        "{last:?}"
    );
    // Three pages were read (none, a, b); b leads back to a.
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 3);
}

#[test]
fn every_provider_is_signed_with_its_own_scheme() {
    let server = Server::start(|_, _| reply(500, &json!({})));
    let once = |server: &Server| {
        Client::blocking(server.endpoint())
            .with_credentials(keys().with_session_token("session-token"))
            .with_retry(Retry::none())
    };
    let tcr = crspec::tcr::DescribeImagesRequest::builder()
        .registry_id("tcr-1")
        .namespace_name("ns")
        .repository_name("repo")
        .build()
        .unwrap();
    let _ = once(&server).describe_images(tcr).send();
    let jd = crspec::jdcloud::DescribeImagesRequest::builder()
        .region_id("us-east-1")
        .build()
        .unwrap();
    let _ = once(&server).describe_images(jd).send();
    let _ = once(&server).describe_images(request()).send();
    let seen = server.seen();
    let auth: Vec<String> = seen
        .iter()
        .map(|s| s.header("authorization").unwrap())
        .collect();
    assert!(
        auth[0].starts_with("TC3-HMAC-SHA256 Credential=AKIDTEST/"),
        "{auth:?}"
    );
    assert_eq!(
        seen[0].header("x-tc-token").as_deref(),
        Some("session-token")
    );
    assert!(seen[0].header("x-tc-timestamp").is_some());
    assert!(
        auth[1].starts_with("JDCLOUD3-HMAC-SHA256 Credential=AKIDTEST/"),
        "{auth:?}"
    );
    assert!(seen[1].header("x-jdcloud-nonce").is_some());
    assert!(
        auth[2].starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/"),
        "{auth:?}"
    );
    assert_eq!(
        seen[2].header("x-amz-security-token").as_deref(),
        Some("session-token")
    );
    // Nothing of the secret on the wire.
    assert!(seen.iter().all(|s| !s.head.contains("secret-key")));
}

#[test]
fn an_invalid_request_is_refused_before_sending() {
    let server = Server::start(|_, _| not_found());
    let mut bad = request();
    bad.max_results = Some(0);
    let err = client(&server).describe_images(bad).send().unwrap_err();
    assert!(matches!(err, CallError::Request(_)), "{err:?}");
    assert!(err.to_string().contains("maxResults"), "{err}");
    assert!(server.seen().is_empty());
}

#[test]
fn the_async_client_does_the_same() {
    let server = Server::start(|n, seen| match (n, seen.json()["nextToken"].as_str()) {
        (0, _) => server_error(),
        (_, None) => reply(
            200,
            &json!({"imageDetails": [image(1, "a")], "nextToken": "t1"}),
        ),
        (_, Some(_)) => reply(200, &json!({"imageDetails": [image(2, "b")]})),
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = AsyncClient::new(ReqwestTransport::default(), server.endpoint())
        .with_credentials(keys())
        .with_retry(quick_retries(3));
    let items = runtime.block_on(client.items(request())).unwrap();
    let tags: Vec<String> = items.iter().map(|i| i.tags.join(",")).collect();
    assert_eq!(tags, ["a", "b"]);
    assert_eq!(server.seen().len(), 3, "one retry, two pages");

    let failing = Server::start(|_, _| not_found());
    let client = AsyncClient::reqwest(failing.endpoint()).with_credentials(keys());
    let err = runtime.block_on(client.send(&request())).unwrap_err();
    assert!(
        matches!(
            &err,
            CallError::Response {
                error: ResponseError::Service(DescribeImagesError::RepositoryNotFoundException(_)),
                attempts: 1
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.request_id(), Some("req-1"));
    let mut pages = client.pages(request());
    assert!(runtime.block_on(pages.next()).unwrap().is_err());
    assert!(
        runtime.block_on(pages.next()).is_none(),
        "ends after an error"
    );
}

#[test]
fn a_bearer_challenge_is_answered_from_the_token_service_once() {
    use std::sync::atomic::{AtomicU16, Ordering};
    let port = Arc::new(AtomicU16::new(0));
    let own = Arc::clone(&port);
    let server = Server::start(move |_, seen| {
        let line = seen.head.lines().next().unwrap_or_default().to_owned();
        let auth = seen.header("authorization").unwrap_or_default();
        if line.starts_with("GET /token?service=reg&scope=repository%3Ateam%2Fapp%3Apull ") {
            // The client's credentials, as HTTP Basic: AKIDTEST:secret-key.
            assert_eq!(auth, "Basic QUtJRFRFU1Q6c2VjcmV0LWtleQ==");
            return reply(200, &json!({"token": "tok-1", "expires_in": 300}));
        }
        if auth == "Bearer tok-1" {
            return reply(200, &json!({"imageDetails": [image(1, "v1")]}));
        }
        let realm = format!(
            "Bearer realm=\"http://127.0.0.1:{}/token\",service=\"reg\",scope=\"repository:team/app:pull\"",
            own.load(Ordering::Relaxed)
        );
        Answer::Reply(401, vec![("WWW-Authenticate", realm)], b"{}".to_vec())
    });
    port.store(server.port, Ordering::Relaxed);
    let first = client(&server);
    let answer = first.describe_images(request()).send().unwrap();
    assert_eq!(answer.output.image_details.unwrap().len(), 1);
    // Challenge, token, the request again; then the token is sent from the start.
    assert_eq!(server.seen().len(), 3);
    first.describe_images(request()).send().unwrap();
    assert_eq!(server.seen().len(), 4);
    assert!(!format!("{first:?}").contains("tok-1"), "{first:?}");

    // A token service that refuses: the call fails with what it said, after one exchange.
    let port = Arc::new(AtomicU16::new(0));
    let own = Arc::clone(&port);
    let refusing = Server::start(move |_, seen| {
        if seen.head.starts_with("GET /token") {
            return reply(403, &json!({"errors": [{"code": "DENIED"}]}));
        }
        let realm = format!(
            "Bearer realm=\"http://127.0.0.1:{}/token\"",
            own.load(Ordering::Relaxed)
        );
        Answer::Reply(401, vec![("WWW-Authenticate", realm)], b"{}".to_vec())
    });
    port.store(refusing.port, Ordering::Relaxed);
    let err = client(&refusing)
        .describe_images(request())
        .send()
        .unwrap_err();
    let CallError::Transport { error, attempts: 1 } = &err else {
        panic!("{err:?}")
    };
    assert!(error.to_string().contains("HTTP 403"), "{error}");
    assert_eq!(refusing.seen().len(), 2);
}

/// The request line's target (`/v2/team/app/tags/list?n=2&last=b`).
fn target(seen: &Seen) -> String {
    seen.head
        .lines()
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .unwrap_or_default()
        .to_owned()
}

/// A registry that pages `tags/list` by `Link` headers, as distribution 3.0 does: `n` tags from
/// after `last`, and a link to the next page while there are more.
fn tags_page(all: &[&str], seen: &Seen) -> Answer {
    let query = crspec::runtime::wire::QueryPairs::of(&target(seen));
    let n: usize = query.get("n").map_or(all.len(), |n| n.parse().unwrap());
    let start = query.get("last").map_or(0, |last| {
        all.iter().position(|t| *t > last).unwrap_or(all.len())
    });
    let page = &all[start..(start + n).min(all.len())];
    let mut headers = Vec::new();
    if start + n < all.len()
        && let Some(last) = page.last()
    {
        // Percent-encoded, and with a second link and parameters around it.
        let last = last.replace('.', "%2E");
        headers.push((
            "Link",
            format!("</v2/team/app/tags/list?last={last}&n={n}>; rel=\"next\"; title=\"x, y\""),
        ));
        headers.push(("Link", "</v2/team/app/tags/list>; rel=\"first\"".to_owned()));
    }
    Answer::Reply(
        200,
        headers,
        json!({"name": "team/app", "tags": page})
            .to_string()
            .into_bytes(),
    )
}

#[test]
fn link_paging_reads_every_tag_once_and_sets_the_query_from_the_link() {
    let all = ["1.0", "1.1", "2.0", "2.1", "latest", "v3"];
    let server = Server::start(move |_, seen| tags_page(&all, seen));
    let request = crspec::oci::ListTagsRequest::builder()
        .name("team/app")
        .n(4)
        .build()
        .unwrap();
    let pages: Vec<_> = Client::blocking(Endpoint::url(server.url()))
        .call(request)
        .pages()
        .collect::<Result<_, _>>()
        .expect("every page");
    let tags: Vec<String> = pages
        .iter()
        .flat_map(|p| p.tags.clone().unwrap_or_default())
        .map(|t| t.to_string())
        .collect();
    assert_eq!(tags, all);
    assert_eq!(pages.len(), 2);
    // The second request carries the link's `n` and `last` (`2%2E1` decoded, sent as `2.1`); the first
    // page's `Link` headers arrive joined (RFC 9110), each link intact.
    let targets: Vec<String> = server.seen().iter().map(target).collect();
    assert_eq!(
        targets,
        [
            "/v2/team/app/tags/list?n=4",
            "/v2/team/app/tags/list?n=4&last=2.1"
        ]
    );
    assert!(
        pages[0]
            .link
            .as_deref()
            .is_some_and(|l| l.contains("rel=\"first\""))
    );
    assert_eq!(pages[1].link, None);
}

#[test]
fn a_link_back_to_an_earlier_page_is_a_paging_error() {
    let server = Server::start(|n, _| {
        let last = if n % 2 == 0 { "a" } else { "b" };
        Answer::Reply(
            200,
            vec![(
                "Link",
                format!("</v2/_catalog?last={last}&n=1>; rel=\"next\""),
            )],
            json!({"repositories": [last]}).to_string().into_bytes(),
        )
    });
    let request = crspec::oci::CatalogRequest::builder().n(1).build().unwrap();
    let results: Vec<_> = Client::blocking(Endpoint::url(server.url()))
        .call(request)
        .pages()
        .collect();
    assert!(
        matches!(
            results.last(),
            Some(Err(CallError::Paging(PagingError::RepeatedCursor { .. })))
        ),
        "{results:?}"
    );
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 3);
}

#[test]
fn header_members_are_read_and_a_bad_one_is_a_decode_error_naming_it() {
    let digest = format!("sha256:{}", "ab".repeat(32));
    let good = digest.clone();
    let server = Server::start(move |n, _| {
        let length = if n == 0 {
            "321".to_owned()
        } else {
            "many".to_owned()
        };
        Answer::Reply(
            200,
            vec![
                ("Docker-Content-Digest", good.clone()),
                ("X-Length", length),
            ],
            Vec::new(),
        )
    });
    let request = || {
        crspec::oci::HeadManifestRequest::builder()
            .name("team/app")
            .reference("v1")
            .build()
            .unwrap()
    };
    let client = Client::blocking(Endpoint::url(server.url())).with_retry(Retry::none());
    // The scripted server sends its own Content-Length (0, the body's) and Content-Type.
    let head = client.call(request()).send().expect("a HEAD reply").output;
    assert_eq!(head.digest.map(|d| d.to_string()), Some(digest));
    assert_eq!(head.size, Some(0));
    assert_eq!(
        head.media_type.as_deref(),
        Some("application/x-amz-json-1.1")
    );
    // An integer header that is not one: a decode error with the header's name as its path.
    let response = crspec::runtime::http::Response::builder()
        .status(200)
        .header("Content-Length", "many")
        .body(Vec::<u8>::new())
        .unwrap();
    let error = crspec::oci::HeadManifest::parse_response(&response).expect_err("a bad length");
    match error {
        ResponseError::Decode(e) => {
            assert_eq!(e.path, "Content-Length");
            assert!(e.message.contains("`many`"), "{}", e.message);
        }
        other => panic!("{other:?}"),
    }
}
