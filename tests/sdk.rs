//! Conformance with the providers' OFFICIAL Python SDKs (issue 10 §3): crspec's requests,
//! signatures, response parsing and paging against what botocore, tencentcloud-sdk-python and
//! jdcloud_sdk do with the same input. `tests/sdk/oracle.py` drives the SDKs (protocol and SDK
//! versions in `tests/sdk/README.md`); each test runs ONE oracle process and feeds it all its
//! cases as JSON Lines. A missing oracle fails the tests (run `bash tests/sdk/setup.sh`); they
//! never skip.
//!
//! - **Requests** (`sdk_requests_*`): valid requests generated from each spec's constraints
//!   (every member; lengths, ranges and list sizes at their bounds; pattern-accepted names;
//!   free text with punctuation, non-ASCII and control characters; optional members absent and
//!   present; session tokens on some). For each: crspec's `to_http` + `sign` at a fixed time and
//!   nonce, then (a) the SDK's signer over crspec's exact request must produce the same
//!   `Authorization` and date/token headers byte for byte (JD Cloud: JDCLOUD3 and JDCLOUD2), and
//!   (b) the SDK's own DescribeImages request, built from the request's JSON (wire names are the
//!   SDKs' parameter names), must have the same method, URL, query (decoded pairs), protocol
//!   headers and JSON body; for JD Cloud (a GET without a body) the whole `Authorization` too.
//! - **Responses** (`sdk_responses_*`): bodies generated from each output shape (64-bit longs,
//!   doubles in every JSON form, epoch-second timestamps with and without fractions, unknown
//!   members and enum values, absent and null optional members) and error bodies in each form
//!   the SDK recognizes; crspec's parsed value must equal the SDK parser's (ECR timestamps to
//!   the microsecond), error code, message and request id too.
//! - **Paging** (`sdk_pagination_*`): botocore's paginator (`kind: paginate`) and crspec's
//!   `Client` walk the same scripted server; TCR and JD Cloud, whose SDKs have no paginator, are
//!   walked against a reference written here from the providers' paging documents.
//! - **Signature verification** (`sdk_verifies_signatures_over_loopback`): a loopback server
//!   checks crspec's signed requests with the SDKs' signers; altered requests get a 403.
//!
//! Every run is seeded and deterministic: `CRSPEC_SDK_SEED` changes the seed, `CRSPEC_SDK_CASES`
//! the number of cases per provider. Differences the project knows of are listed, each with
//! its reason, in [`KNOWN_DIFFERENCES`]; any other difference fails, and so does an entry that
//! no longer differs (remove it).

#[path = "common/sdk_gen.rs"]
mod sdk_gen;
#[path = "common/sdk_oracle.rs"]
mod sdk_oracle;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crspec::runtime::client::{
    CallError, Client, Retry, Transport, TransportError, TransportErrorKind, UreqTransport,
};
use crspec::runtime::http;
use crspec::runtime::sign::{Credentials, SigningContext, sign};
use crspec::runtime::wire::{
    Call, Endpoint, OperationError, Paginated, PagingError, Protocol, ResponseError, Signing,
};
use crspec_codegen::ir::{Module, TsFormat, Ty};
use sdk_gen::{J, RequestGen, ResponseGen, Rng};
use sdk_oracle::Oracle;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

// =============================================================================================
// Seeds and sizes
// =============================================================================================

/// The seed of every generator here, unless `CRSPEC_SDK_SEED` says otherwise.
const SEED: u64 = 0x00c0_ffee_5d4c_2024;

fn seed_for(area: &str, provider: &str) -> u64 {
    let base = std::env::var("CRSPEC_SDK_SEED")
        .ok()
        .and_then(|s| {
            s.strip_prefix("0x")
                .map_or_else(|| s.parse().ok(), |h| u64::from_str_radix(h, 16).ok())
        })
        .unwrap_or(SEED);
    // FNV-1a of the test's name, so that each test has a stream of its own.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in area.bytes().chain([b'/']).chain(provider.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    base ^ h
}

fn cases(default: usize) -> usize {
    std::env::var("CRSPEC_SDK_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

// =============================================================================================
// Known differences
// =============================================================================================

/// A difference between crspec and a provider's SDK that the project knows of. The tests
/// count the cases it explains and show one reproduction; a difference not listed fails, and
/// so does an entry whose cases all agree (it has been fixed: remove it).
#[derive(Debug)]
pub struct KnownDifference {
    /// The name generators and comparisons give the difference.
    pub id: &'static str,
    /// The modules it shows in.
    pub providers: &'static [&'static str],
    /// `request`, `sign`, `response` or `paging`.
    pub area: &'static str,
    /// What differs, why, and which side looks right.
    pub reason: &'static str,
}

const AWS: &[&str] = &["ecr", "ecr_public"];

/// Every difference the project knows of (see [`KnownDifference`]).
pub const KNOWN_DIFFERENCES: &[KnownDifference] = &[
    // ---- requests ----------------------------------------------------------------------
    KnownDifference {
        id: "aws-china-endpoint",
        providers: AWS,
        area: "request",
        reason: "crspec's endpoint templates (`https://api.ecr.{region}.amazonaws.com`, \
                 `https://api.ecr-public.{region}.amazonaws.com`) ignore AWS partitions: for \
                 cn-north-1 / cn-northwest-1 botocore's endpoint rules give \
                 `https://api.ecr.cn-north-1.amazonaws.com.cn/`. A crspec bug: requests to China \
                 regions go to a host that does not exist (aws-cn partition DNS suffix \
                 `amazonaws.com.cn`).",
    },
    KnownDifference {
        id: "jd-sdk-query-not-escaped",
        providers: &["jdcloud"],
        area: "request",
        reason: "jdcloud_sdk builds the query as `name=value` joined by `&` and then quotes the \
                 whole string with safe='&=?', so a filter value holding `&` or `=` is not \
                 escaped and splits into extra parameters (`values.1=c&d=e` sends `d=e`); \
                 crspec percent-encodes them (`c%26d%3De`). An SDK bug; crspec is right.",
    },
    KnownDifference {
        id: "jd-region-id-in-path",
        providers: &["jdcloud"],
        area: "request",
        reason: "jdcloud_sdk puts `regionId` into the path unescaped and signs with `regionId` \
                 as the scope's region; crspec percent-encodes it (RFC 3986 unreserved kept) and \
                 signs with the endpoint's region. Only differs for a regionId that is not a \
                 region name (`/`, `?`, spaces, ...) or differs from the endpoint's region; no \
                 real request has one.",
    },
    // ---- responses ---------------------------------------------------------------------
    KnownDifference {
        id: "ecr-timestamp-half-microsecond",
        providers: AWS,
        area: "response",
        reason: "An epoch-seconds timestamp whose fraction is (about) an odd half microsecond \
                 (`1700000000.0078125`) reads 1 µs apart: crspec rounds the exact binary value \
                 half up (documented on `EpochSeconds::from_seconds_f64`), botocore's \
                 `datetime.fromtimestamp` multiplies the fraction by 1e6 in floating point and \
                 rounds half to even. Below the precision of any provider's clock; either is \
                 defensible (crspec's is exact).",
    },
    KnownDifference {
        id: "ecr-timestamp-strings",
        providers: AWS,
        area: "response",
        reason: "botocore's timestamp parser also reads strings (`\"1700000000\"`, ISO 8601 \
                 `\"2023-11-14T22:13:20Z\"`) where the model says epoch seconds; crspec reads \
                 only JSON numbers (awsJson1_1 sends numbers) and fails the page with a decode \
                 error naming the member. crspec is stricter; no AWS JSON service sends strings \
                 here.",
    },
    KnownDifference {
        id: "ecr-timestamp-before-year-1",
        providers: AWS,
        area: "response",
        reason: "Timestamps before 0001-01-01 (-62135596800 s): crspec reads years -9999..=9999, \
                 Python's datetime (so botocore) only 1..=9999 and fails the response. An SDK \
                 limit.",
    },
    KnownDifference {
        id: "ecr-error-without-type",
        providers: AWS,
        area: "response",
        reason: "An error status whose body has no `__type` (`{\"message\": ...}`, an HTML \
                 gateway page, an empty body): botocore reports a ClientError whose code is the \
                 HTTP status (`\"502\"`) and whose message is the body's `message` (or the \
                 reason phrase); crspec reports a decode error (\"an error status without an \
                 error code\"). crspec could map these to `Unknown(\"<status>\")` as botocore \
                 does; undecided.",
    },
    KnownDifference {
        id: "ecr-query-error-header",
        providers: AWS,
        area: "response",
        reason: "botocore takes the error code from an `x-amzn-query-error: Code;Type` header \
                 when one is present (awsQueryCompatible services); crspec reads `__type` only. \
                 ECR does not send the header.",
    },
    KnownDifference {
        id: "ecr-empty-success-body",
        providers: AWS,
        area: "response",
        reason: "A 200 with an empty body: botocore parses it as an empty output, crspec \
                 returns a decode error (\"the body is empty\"). No ECR response is empty.",
    },
    KnownDifference {
        id: "json-negative-zero-integer",
        providers: &["ecr", "ecr_public", "tcr", "jdcloud"],
        area: "response",
        reason: "`-0` in an integer member (valid JSON): Python reads the integer 0; \
                 serde_json reads `-0` as the float -0.0, so crspec fails the page (\"invalid \
                 type: floating point `-0.0`, expected i64\"). No provider writes `-0`.",
    },
    KnownDifference {
        id: "tcr-sdk-misses-errors-with-charset",
        providers: &["tcr"],
        area: "response",
        reason: "tencentcloud-sdk-python's `_check_error` only looks for `Response.Error` when \
                 Content-Type is exactly `application/json` or `text/plain`: with \
                 `application/json; charset=utf-8` an error reads as an empty success (RequestId \
                 only). crspec reports the error. An SDK bug.",
    },
    KnownDifference {
        id: "jd-sdk-drops-empty-result",
        providers: &["jdcloud"],
        area: "response",
        reason: "jdcloud_sdk keeps `result` only when it is truthy: `\"result\": {}` reads as \
                 None; crspec reads an empty output (no images, no count). An SDK quirk.",
    },
    KnownDifference {
        id: "jd-sdk-needs-request-id",
        providers: &["jdcloud"],
        area: "response",
        reason: "jdcloud_sdk reads `result` and `error` only from an object that also has a \
                 truthy `requestId`: without one, a page reads as None and an error as no error \
                 at all; crspec reads the page (request id None) or the error. An SDK quirk; \
                 crspec's reading is the useful one.",
    },
    KnownDifference {
        id: "jd-error-on-2xx",
        providers: &["jdcloud"],
        area: "response",
        reason: "jdcloud_sdk ignores the HTTP status: a 200 whose body has `error` reads as that \
                 error. crspec (the spec says errors come with non-2xx) reports a decode error \
                 (no `result`). JD Cloud's documented errors are non-2xx.",
    },
    // ---- paging ------------------------------------------------------------------------
    KnownDifference {
        id: "paging-same-token-twice",
        providers: AWS,
        area: "paging",
        reason: "A page that answers a request with the token it was given: botocore's \
                 paginator raises PaginationError (\"The same next token was received twice\") \
                 after yielding it; crspec ends the listing there without an error \
                 (`Paginated::next_page` documents it: some APIs end lists so, and the AWS SDK \
                 for Go stops there too). Both yield the same pages and stop.",
    },
    KnownDifference {
        id: "paging-token-cycle",
        providers: AWS,
        area: "paging",
        reason: "Tokens that go round (`a, b, a`): botocore only compares a token with the one \
                 just before it, so its paginator loops for ever (the scripted server stops it \
                 after 50 requests); crspec ends with `PagingError::RepeatedCursor` when a \
                 request would repeat an earlier cursor. crspec is right.",
    },
];

fn known(id: &str) -> Option<&'static KnownDifference> {
    KNOWN_DIFFERENCES.iter().find(|k| k.id == id)
}

/// One difference between crspec and the SDK in a case: `kind` names a known difference when
/// the comparison recognizes one by its nature.
#[derive(Debug, Clone)]
struct Diff {
    kind: Option<&'static str>,
    text: String,
}

fn diff(text: impl Into<String>) -> Diff {
    Diff {
        kind: None,
        text: text.into(),
    }
}

fn diff_of(kind: &'static str, text: impl Into<String>) -> Diff {
    Diff {
        kind: Some(kind),
        text: text.into(),
    }
}

/// The cases of one comparison, what agreed, what a known difference explains, what failed.
struct Tally {
    name: String,
    provider: &'static str,
    area: &'static str,
    cases: usize,
    agreed: usize,
    /// Known difference → (cases, one reproduction).
    known: BTreeMap<&'static str, (usize, String)>,
    /// The known differences this run gave a chance to show.
    exercised: BTreeSet<&'static str>,
    failures: Vec<String>,
    notes: BTreeMap<String, usize>,
    started: Instant,
}

impl Tally {
    fn new(area: &'static str, provider: &'static str) -> Self {
        Self {
            name: format!("{area}/{provider}"),
            provider,
            area,
            cases: 0,
            agreed: 0,
            known: BTreeMap::new(),
            exercised: BTreeSet::new(),
            failures: Vec::new(),
            notes: BTreeMap::new(),
            started: Instant::now(),
        }
    }

    fn note(&mut self, what: impl Into<String>) {
        *self.notes.entry(what.into()).or_default() += 1;
    }

    /// Records a case: `quirk` is the known difference the generator put into it (at most
    /// one), `diffs` what differed, `repro` its reproduction (built only when needed).
    fn record(
        &mut self,
        quirk: Option<&'static str>,
        diffs: &[Diff],
        repro: impl FnOnce() -> String,
    ) {
        self.cases += 1;
        if let Some(q) = quirk {
            self.exercised.insert(q);
        }
        if diffs.is_empty() {
            self.agreed += 1;
            return;
        }
        // Each difference must be a known one of this provider and area: recognized by its
        // nature, or the one quirk the case was generated with.
        let mut explained_by = None;
        let mut unexplained = Vec::new();
        for d in diffs {
            let id = d.kind.or(quirk);
            match id.and_then(known) {
                Some(k) if k.providers.contains(&self.provider) && k.area == self.area => {
                    explained_by.get_or_insert(k.id);
                }
                _ => unexplained.push(d.text.clone()),
            }
        }
        if unexplained.is_empty() {
            let id = explained_by.expect("some difference");
            let entry = self.known.entry(id).or_insert((0, String::new()));
            entry.0 += 1;
            if entry.1.is_empty() {
                let texts: Vec<&str> = diffs.iter().map(|d| d.text.as_str()).collect();
                entry.1 = format!("{}\n{}", texts.join("\n"), repro());
            }
        } else if self.failures.len() < 8 {
            self.failures.push(format!(
                "case {} ({}):\n  {}\nreproduction:\n{}",
                self.cases,
                quirk.unwrap_or("no quirk"),
                unexplained.join("\n  "),
                repro()
            ));
        } else {
            self.failures.push(String::new());
        }
    }

    /// Prints the summary; fails on any unexplained difference and on a stale known one.
    fn finish(mut self) {
        for id in &self.exercised {
            if !self.known.contains_key(id)
                && known(id).is_some_and(|k| k.providers.contains(&self.provider))
            {
                self.failures.push(format!(
                    "KNOWN_DIFFERENCES entry `{id}` no longer differs in {} case(s) that exercise \
                     it: remove the entry",
                    self.name
                ));
            }
        }
        println!(
            "[{}] {} cases: {} agree, {} explained by known differences, {} differ ({:.1} s)",
            self.name,
            self.cases,
            self.agreed,
            self.known.values().map(|v| v.0).sum::<usize>(),
            self.failures.len(),
            self.started.elapsed().as_secs_f64()
        );
        for (id, (n, example)) in &self.known {
            println!("  known difference `{id}`: {n} case(s); e.g.\n    {}", indent(example));
        }
        for (note, n) in &self.notes {
            println!("  note: {note} ({n} case(s))");
        }
        if !self.failures.is_empty() {
            let shown: Vec<&String> = self.failures.iter().filter(|f| !f.is_empty()).collect();
            panic!(
                "[{}] {} unexplained difference(s) with the SDK (seed {:#x}); the first:\n{}",
                self.name,
                self.failures.len(),
                seed_for(self.area, self.provider),
                shown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n---\n")
            );
        }
    }
}

fn indent(text: &str) -> String {
    let text: String = if text.chars().count() > 1600 {
        text.chars().take(1600).chain("…".chars()).collect()
    } else {
        text.to_owned()
    };
    text.replace('\n', "\n    ")
}

// =============================================================================================
// The four modules, behind one interface
// =============================================================================================

/// What crspec made of a response.
#[derive(Debug, Clone)]
enum Parsed {
    Ok {
        output: Value,
        request_id: Option<String>,
    },
    Service {
        code: String,
        message: Option<String>,
        request_id: Option<String>,
    },
    Failed(String),
}

/// How a listing ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// The paginator found the last page itself.
    Ended,
    /// A page was this error code.
    ServiceError(String),
    /// A token came back: crspec's `RepeatedCursor`, botocore's PaginationError.
    Repeated(String),
    /// The script had no answer (or was asked too often).
    Script(String),
    /// Anything else.
    Failed(String),
}

type Walked = (Vec<Value>, Outcome);

struct Api {
    id: &'static str,
    protocol: &'static Protocol,
    /// Request JSON → (the HTTP request, the request serialized back).
    to_http: fn(&Value, &Endpoint) -> Result<(http::Request<Vec<u8>>, Value), String>,
    parse: fn(&http::Response<Vec<u8>>) -> Parsed,
    /// crspec's `Client` over `transport`, every page from `first`.
    walk: fn(&Value, Scripted) -> Walked,
}

/// Exact ECR timestamps: serde writes an `EpochSeconds` as an `f64`, which holds microseconds
/// only for present-day values; the typed value gives `"<seconds>:<microseconds>"`, the
/// oracle's `exact_times` form.
fn exact(t: crspec::runtime::EpochSeconds) -> Value {
    assert_eq!(t.nanoseconds() % 1000, 0, "whole microseconds");
    Value::String(format!("{}:{:06}", t.unix_seconds(), t.nanoseconds() / 1000))
}

fn put_time(obj: &mut Value, key: &str, t: Option<crspec::runtime::EpochSeconds>) {
    if let Some(t) = t {
        obj[key] = exact(t);
    }
}

fn fix_ecr(out: &crspec::ecr::DescribeImagesResponse, v: &mut Value) {
    for (i, d) in out.image_details.iter().flatten().enumerate() {
        let item = &mut v["imageDetails"][i];
        put_time(item, "imagePushedAt", d.image_pushed_at);
        put_time(item, "lastRecordedPullTime", d.last_recorded_pull_time);
        put_time(item, "lastArchivedAt", d.last_archived_at);
        put_time(item, "lastActivatedAt", d.last_activated_at);
        if let Some(s) = &d.image_scan_findings_summary {
            let s_v = &mut item["imageScanFindingsSummary"];
            put_time(s_v, "imageScanCompletedAt", s.image_scan_completed_at);
            put_time(
                s_v,
                "vulnerabilitySourceUpdatedAt",
                s.vulnerability_source_updated_at,
            );
        }
    }
}

fn fix_ecr_public(out: &crspec::ecr_public::DescribeImagesResponse, v: &mut Value) {
    for (i, d) in out.image_details.iter().flatten().enumerate() {
        put_time(&mut v["imageDetails"][i], "imagePushedAt", d.image_pushed_at);
    }
}

fn no_fix<T>(_: &T, _: &mut Value) {}

macro_rules! api {
    ($m:ident, $fix:path) => {
        Api {
            id: stringify!($m),
            protocol: &crspec::$m::PROTOCOL,
            to_http: |params, endpoint| {
                let request: crspec::$m::DescribeImagesRequest =
                    serde_json::from_value(params.clone())
                        .map_err(|e| format!("does not deserialize: {e}"))?;
                request
                    .validate()
                    .map_err(|e| format!("does not validate: {e}"))?;
                let back = serde_json::to_value(&request).map_err(|e| e.to_string())?;
                let http = request
                    .to_http(endpoint)
                    .map_err(|e| format!("to_http: {e}"))?;
                Ok((http, back))
            },
            parse: |response| match crspec::$m::DescribeImages::parse_response(response) {
                Ok(reply) => {
                    let mut output = serde_json::to_value(&reply.output).expect("serializes");
                    $fix(&reply.output, &mut output);
                    Parsed::Ok {
                        output,
                        request_id: reply.request_id,
                    }
                }
                Err(ResponseError::Service(e)) => Parsed::Service {
                    code: e.code().to_owned(),
                    message: e.message().map(str::to_owned),
                    request_id: e.details().request_id.clone(),
                },
                Err(e) => Parsed::Failed(e.to_string()),
            },
            walk: |first, transport| {
                walk::<crspec::$m::DescribeImagesRequest>(first, transport, $fix, |e| {
                    e.code().to_owned()
                })
            },
        }
    };
}

fn api(id: &str) -> Api {
    match id {
        "ecr" => api!(ecr, fix_ecr),
        "ecr_public" => api!(ecr_public, fix_ecr_public),
        "tcr" => api!(tcr, no_fix),
        "jdcloud" => api!(jdcloud, no_fix),
        other => panic!("no module {other}"),
    }
}

/// The oracle's name of a signing scheme, and its service.
fn scheme(signing: &Signing) -> (&'static str, &'static str) {
    match *signing {
        Signing::SigV4 { service } => ("sigv4", service),
        Signing::Tc3 { service } => ("tc3", service),
        Signing::JdCloud { version: 2, service } => ("jdcloud2", service),
        Signing::JdCloud { service, .. } => ("jdcloud3", service),
        Signing::None => panic!("every provider here signs"),
    }
}

/// `(YYYYMMDDTHHMMSSZ, YYYY-MM-DD)` of `secs` after the epoch, in UTC, computed here (days to
/// civil dates as in Howard Hinnant's `civil_from_days`) rather than by either side.
fn utc_stamp(secs: u64) -> (String, String) {
    let days = i64::try_from(secs / 86_400).unwrap();
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, mi, s) = (rem / 3600, rem / 60 % 60, rem % 60);
    (
        format!("{y:04}{m:02}{d:02}T{h:02}{mi:02}{s:02}Z"),
        format!("{y:04}-{m:02}-{d:02}"),
    )
}

fn header_pairs<B>(req: &http::Request<B>) -> Vec<(String, String)> {
    req.headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                v.to_str().expect("visible ASCII").to_owned(),
            )
        })
        .collect()
}

/// The values of header `name` (any case) in `[[name, value], ...]`.
fn values_of(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
        .collect()
}

fn json_pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| Some((p[0].as_str()?.to_owned(), p[1].as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// Percent-decoding (no `+` as space: neither side writes one for a space).
fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() + 0 && i + 2 <= b.len() - 1 {
            if let Ok(x) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(x);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `(scheme://authority, path, query)` of a URL.
fn split_url(url: &str) -> (String, String, String) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (authority, path_query) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    (
        format!("{scheme}://{authority}"),
        path.to_owned(),
        query.to_owned(),
    )
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (pct_decode(k), pct_decode(v))
        })
        .collect()
}

fn random_credentials(rng: &mut Rng, unicode_token: bool) -> (String, String, Option<String>) {
    let upper: Vec<char> = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".chars().collect();
    let b64: Vec<char> = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
        .chars()
        .collect();
    let ak: String = std::iter::once('A')
        .chain((0..rng.length(15, 23)).map(|_| *rng.pick(&upper)))
        .collect();
    let sk: String = if rng.chance(0.1) {
        let n = rng.length(1, 40);
        rng.text(n, sdk_gen::Chars::Unicode, &[])
    } else {
        (0..40).map(|_| *rng.pick(&b64)).collect()
    };
    let token = rng.chance(0.3).then(|| {
        if unicode_token && rng.chance(0.3) {
            let n = rng.length(1, 60);
            rng.text(n, sdk_gen::Chars::Unicode, &[])
        } else {
            let n = rng.length(16, 400);
            (0..n).map(|_| *rng.pick(&b64)).collect()
        }
    });
    (ak, sk, token)
}

fn random_time(rng: &mut Rng) -> u64 {
    match rng.below(10) {
        0 => *rng.pick(&[0, 1, 951_782_399, 951_782_400, 1_700_000_000, 253_402_300_799]),
        1 => u64::try_from(rng.between(0, 253_402_300_799)).unwrap(),
        _ => u64::try_from(rng.between(946_684_800, 4_102_444_800)).unwrap(),
    }
}
