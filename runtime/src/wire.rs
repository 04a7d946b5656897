//! The wire: requests as [`http::Request`]s and [`http::Response`]s as typed outputs or errors,
//! sans IO. Generated code describes each provider's protocol in a [`Protocol`] and each operation
//! in an [`Operation`]; the functions here do the work the same way for every provider.
//!
//! crspec sends nothing: the caller's HTTP client sends the request (after signing it, if the
//! provider wants that) and hands the response back.

use core::fmt;
use core::hash::{Hash, Hasher};
use std::collections::HashSet;
use std::hash::DefaultHasher;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::ErrorDetails;
pub use crate::link::{Challenge, QueryPairs, link_target};
use crate::validation::ValidationError;

/// Where a request member travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// In the JSON body (the default of a JSON protocol).
    Body,
    /// In the query string. Lists are indexed from 1 (`filters.1.name=...&filters.1.values.1=...`),
    /// the convention of JD Cloud's SDKs, the one provider here that sends lists in a query.
    Query,
    /// In the path, in place of `{name}`.
    Path,
    /// In a header named after the member.
    Header,
}

/// Where a response carries its request id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestIdAt {
    /// In a header of this name.
    Header(&'static str),
    /// At this dotted path of the JSON body (`Response.RequestId`).
    Body(&'static str),
}

/// A provider's protocol, as its spec describes it.
#[derive(Debug, Clone, Copy)]
pub struct Protocol {
    /// Endpoint template; `{region}` stands for the region.
    pub endpoint: &'static str,
    /// Endpoint templates for the regions that start with a prefix, the first match winning
    /// (AWS's China regions, `cn-`, are under `amazonaws.com.cn`).
    pub region_endpoints: &'static [(&'static str, &'static str)],
    /// The API version (`{api_version}` in header templates).
    pub api_version: &'static str,
    /// Members without a location travel in a JSON body.
    pub json_body: bool,
    /// The request's `Content-Type`, when it has a body.
    pub content_type: Option<&'static str>,
    /// Constant headers; `{operation}`, `{api_version}` and `{region}` expand.
    pub headers: &'static [(&'static str, &'static str)],
    /// The member of the response body that holds the output (`Response`, `result`).
    pub envelope: Option<&'static str>,
    /// Where the request id is.
    pub request_id: Option<RequestIdAt>,
    /// Errors can come with any HTTP status (TCR: `200` with `Response.Error`), not only non-2xx.
    pub errors_always: bool,
    /// Dotted path of the error code in the body (`__type`, `Response.Error.Code`).
    pub error_code: &'static str,
    /// Dotted paths of the error message, the first present wins.
    pub error_message: &'static [&'static str],
    /// Codes may come as `namespace#Code`, `Code:uri` or `namespace#Code:uri`: keep `Code`.
    /// First everything from the first `:` goes (a URI may hold `#`), then everything up to the
    /// last `#`, as botocore reads `__type`.
    pub strip_namespace: bool,
    /// How requests are signed (`crspec_runtime::sign`, feature `sign`, does it).
    pub signing: Signing,
}

/// A provider's signing scheme, with the service name it signs for. New schemes may come in a
/// minor release: a `match` needs a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Signing {
    /// Requests go unsigned.
    None,
    /// AWS Signature Version 4.
    SigV4 {
        /// The signing name (`ecr`, `ecr-public`).
        service: &'static str,
    },
    /// Tencent Cloud API 3.0's TC3-HMAC-SHA256.
    Tc3 {
        /// The service (`tcr`).
        service: &'static str,
    },
    /// HTTP Basic authentication (RFC 7617): `Authorization: Basic base64(user:password)`,
    /// the access key the user name and the secret the password (an OCI registry's htpasswd).
    Basic,
    /// JD Cloud's JDCLOUD2-HMAC-SHA256 (`version: 2`, the published reference) or
    /// JDCLOUD3-HMAC-SHA256 (`version: 3`, what JD Cloud's current SDKs send).
    JdCloud {
        /// 2 or 3.
        version: u8,
        /// The service (`containerregistry`).
        service: &'static str,
    },
}

/// An operation's place on the wire.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// The operation's name (`{operation}` in header templates).
    pub name: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template; `{name}` is the input member `name` (wire name), percent-encoded
    /// whole; `{name+}` the same member with its `/` kept (each segment encoded).
    pub path: &'static str,
    /// Input members (wire names) that do not travel in the body.
    pub members: &'static [(&'static str, Location)],
}

/// Where to send a request: a region, and the endpoint when it is not the provider's own
/// (a local emulator, a proxy, a VPC endpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    region: String,
    url: Option<String>,
}

impl Endpoint {
    /// The provider's endpoint for `region`.
    #[must_use]
    pub fn region(region: impl Into<String>) -> Self {
        Self {
            region: region.into(),
            url: None,
        }
    }

    /// Sends to `url` (`http://127.0.0.1:5000`) instead of the provider's endpoint; the region
    /// still goes wherever the protocol puts it (headers, signing).
    #[must_use]
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// An endpoint without a region, at `url`: for providers whose API has no regions (an
    /// OCI registry). A protocol that needs a region (in its endpoint, its headers or its
    /// signature) refuses it with [`RequestError::Region`].
    #[must_use]
    pub fn url(url: impl Into<String>) -> Self {
        Self {
            region: String::new(),
            url: Some(url.into()),
        }
    }

    /// The region; empty for [`Endpoint::url`].
    #[must_use]
    pub fn region_name(&self) -> &str {
        &self.region
    }
}

/// Why a request could not be turned into an HTTP request.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RequestError {
    /// The request breaks constraints of the spec.
    Invalid(ValidationError),
    /// The region is empty or has characters other than `a-z`, `0-9` and `-`.
    Region(String),
    /// The endpoint, path or a header value does not make a valid HTTP request.
    Http(String),
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(e) => write!(f, "invalid request:\n{e}"),
            Self::Region(r) if r.is_empty() => f.write_str(
                "this provider needs a region: use `Endpoint::region`, not `Endpoint::url`",
            ),
            Self::Region(r) => write!(
                f,
                "region {r:?} is not a region name (a-z, 0-9 and `-`, not empty)"
            ),
            Self::Http(m) => write!(f, "cannot build the HTTP request: {m}"),
        }
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Invalid(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ValidationError> for RequestError {
    fn from(e: ValidationError) -> Self {
        Self::Invalid(e)
    }
}

/// RFC 3986 unreserved characters stay; everything else is percent-encoded.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Flattens a query member: scalars as `name=value`, lists indexed from 1, objects by key.
fn flatten_query(name: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten_query(&format!("{name}.{}", i + 1), item, out);
            }
        }
        Value::Object(members) => {
            for (key, item) in members {
                flatten_query(&format!("{name}.{key}"), item, out);
            }
        }
        scalar => out.push((name.to_owned(), scalar_text(scalar).unwrap_or_default())),
    }
}

fn expand(template: &str, protocol: &Protocol, operation: &Operation, region: &str) -> String {
    template
        .replace("{operation}", operation.name)
        .replace("{api_version}", protocol.api_version)
        .replace("{region}", region)
}

/// The HTTP request for `input`, as the provider documents it: method, URL (path parameters and
/// query string percent-encoded), headers and body. `input` should have been validated.
///
/// # Errors
///
/// A region that is not a region name, or values that make no valid URL or header.
pub fn build_request<T: Serialize>(
    protocol: &Protocol,
    operation: &Operation,
    endpoint: &Endpoint,
    input: &T,
) -> Result<http::Request<Vec<u8>>, RequestError> {
    let region = endpoint.region.as_str();
    let needs_region = endpoint.url.is_none()
        || protocol
            .headers
            .iter()
            .any(|(_, template)| template.contains("{region}"));
    if (region.is_empty() && needs_region)
        || !region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(RequestError::Region(region.to_owned()));
    }
    let mut body = match serde_json::to_value(input) {
        Ok(Value::Object(members)) => members,
        Ok(_) => return Err(RequestError::Http("the input is not a structure".into())),
        Err(e) => return Err(RequestError::Http(e.to_string())),
    };
    let mut path = operation.path.to_owned();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for &(name, location) in operation.members {
        let Some(value) = body.remove(name) else {
            if location == Location::Path {
                return Err(RequestError::Http(format!(
                    "the path member `{name}` is not set"
                )));
            }
            continue;
        };
        match location {
            Location::Body => {
                body.insert(name.to_owned(), value);
            }
            Location::Path => {
                let text = scalar_text(&value).ok_or_else(|| {
                    RequestError::Http(format!("the path member `{name}` is not a scalar"))
                })?;
                if text.is_empty() {
                    return Err(RequestError::Http(format!(
                        "the path member `{name}` is empty"
                    )));
                }
                let greedy = format!("{{{name}+}}");
                if path.contains(&greedy) {
                    // `{name+}` (Smithy's greedy label): the value may hold `/`, kept as the
                    // path's separator; each segment is encoded, and a segment that would
                    // move the path (`.`, `..`, empty) is refused.
                    let segments: Vec<String> = text
                        .split('/')
                        .map(|segment| {
                            if matches!(segment, "" | "." | "..") {
                                Err(RequestError::Http(format!(
                                    "the path member `{name}` has a segment {segment:?}"
                                )))
                            } else {
                                Ok(utf8_percent_encode(segment, STRICT).to_string())
                            }
                        })
                        .collect::<Result<_, _>>()?;
                    path = path.replace(&greedy, &segments.join("/"));
                } else {
                    let encoded = utf8_percent_encode(&text, STRICT).to_string();
                    path = path.replace(&format!("{{{name}}}"), &encoded);
                }
            }
            Location::Query => flatten_query(name, &value, &mut query),
            Location::Header => {
                if let Some(text) = scalar_text(&value) {
                    headers.push((name.to_owned(), text));
                }
            }
        }
    }
    let base = endpoint.url.clone().unwrap_or_else(|| {
        protocol
            .region_endpoints
            .iter()
            .find(|(prefix, _)| region.starts_with(prefix))
            .map_or(protocol.endpoint, |(_, template)| template)
            .replace("{region}", region)
            .trim_end_matches('/')
            .to_owned()
    });
    let mut uri = format!("{}{path}", base.trim_end_matches('/'));
    if !query.is_empty() {
        let pairs: Vec<String> = query
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    utf8_percent_encode(k, STRICT),
                    utf8_percent_encode(v, STRICT)
                )
            })
            .collect();
        uri.push('?');
        uri.push_str(&pairs.join("&"));
    }
    let mut builder = http::Request::builder().method(operation.method).uri(uri);
    for (name, template) in protocol.headers {
        builder = builder.header(*name, expand(template, protocol, operation, region));
    }
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    let bytes = if protocol.json_body {
        if let Some(content_type) = protocol.content_type {
            builder = builder.header(http::header::CONTENT_TYPE, content_type);
        }
        serde_json::to_vec(&Value::Object(body)).map_err(|e| RequestError::Http(e.to_string()))?
    } else if body.is_empty() {
        Vec::new()
    } else {
        let names: Vec<&String> = body.keys().collect();
        return Err(RequestError::Http(format!(
            "members {names:?} have no place in a request without a body"
        )));
    };
    builder
        .body(bytes)
        .map_err(|e| RequestError::Http(e.to_string()))
}

/// A successful response: the output and the request id the provider sent with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply<O> {
    /// The typed output.
    pub output: O,
    /// The provider's request id, if it sent one.
    pub request_id: Option<String>,
}

/// A body that is not what the provider sends: what was expected, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The HTTP status of the response.
    pub status: u16,
    /// The request id, if one could be read.
    pub request_id: Option<String>,
    /// Where in the body (`imageDetails[3].imagePushedAt`); empty for the body as a whole.
    pub path: String,
    /// What was expected.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {} response: ", self.status)?;
        if !self.path.is_empty() {
            write!(f, "at `{}`: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

/// What generated operation error enums implement: construction from what the response says.
pub trait OperationError: Sized {
    /// The error for `code` (as the provider sent it, without namespace and URI when
    /// [`Protocol::strip_namespace`] says so), with the response's HTTP status and details; a
    /// code the spec does not document becomes `Unknown`.
    fn from_wire(code: &str, http_status: Option<u16>, details: ErrorDetails) -> Self;

    /// `true` when the spec says that retrying the same request may succeed.
    fn is_retryable(&self) -> bool;

    /// The message and request id that came with the error.
    fn details(&self) -> &ErrorDetails;
}

/// Bounds on one response body, for [`parse_response_with`]; a body over one is a
/// [`ResponseError::TooLarge`], read no further.
///
/// - **Bytes**: the length of the body, checked before it is read. An HTTP client should stop
///   reading a body at [`Limits::max_bytes`] too, so that it never holds a larger one.
/// - **Items**: how many structures the output may hold, at any depth (a page's items and the
///   structures in them). A body that is first read as a JSON tree (one with an envelope, and
///   error bodies) counts every JSON object in it instead, before it is read.
///
/// The item limit is what bounds memory: an empty object (`{},`, three bytes) reads as a whole
/// structure of the output (an ECR `ImageDetail` takes 432 bytes), while any other JSON value of
/// `n` bytes takes at most about `16 n` (`0,` is a 32-byte tree node; a list may hold twice its
/// length while it grows). Memory while reading is thus a small multiple of `max_bytes`, plus
/// `max_items` structures.
///
/// ```
/// use crspec_runtime::wire::Limits;
///
/// let limits = Limits::DEFAULT.with_max_bytes(1 << 20).with_max_items(5_000);
/// assert_eq!((limits.max_bytes(), limits.max_items()), (1 << 20, 5_000));
/// assert_eq!(Limits::default(), Limits::DEFAULT);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    max_bytes: usize,
    max_items: usize,
}

impl Limits {
    /// 16 MiB and 50,000 items: the largest page of the four providers (1,000 ECR images, three
    /// structures and up to a few KB each) fits many times over, while a hostile body stays far
    /// from gigabytes.
    pub const DEFAULT: Self = Self {
        max_bytes: 16 << 20,
        max_items: 50_000,
    };

    /// These limits with at most `max` bytes a body.
    #[must_use]
    pub const fn with_max_bytes(self, max: usize) -> Self {
        Self {
            max_bytes: max,
            ..self
        }
    }

    /// These limits with at most `max` items a body.
    #[must_use]
    pub const fn with_max_items(self, max: usize) -> Self {
        Self {
            max_items: max,
            ..self
        }
    }

    /// The most bytes a body may have.
    #[must_use]
    pub const fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The most items (structures, or the objects of a JSON tree) a body may hold.
    #[must_use]
    pub const fn max_items(&self) -> usize {
        self.max_items
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Which of its [`Limits`] a body is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TooLarge {
    /// The body has `len` bytes, more than `max`.
    Bytes {
        /// The length of the body.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The body holds more than `max` items.
    Items {
        /// The limit.
        max: usize,
    },
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bytes { len, max } => write!(
                f,
                "the body has {len} bytes, more than the limit of {max} (Limits::with_max_bytes)"
            ),
            Self::Items { max } => write!(
                f,
                "the body holds more than {max} items, the limit (Limits::with_max_items)"
            ),
        }
    }
}

impl std::error::Error for TooLarge {}

/// Why a response gave no output.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ResponseError<E> {
    /// The provider answered with an error: a documented one or `Unknown`.
    Service(E),
    /// The body is not what the provider sends.
    Decode(DecodeError),
    /// The body is over a limit of the [`Limits`] it was read with.
    TooLarge(TooLarge),
}

impl<E: fmt::Display> fmt::Display for ResponseError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Service(e) => e.fmt(f),
            Self::Decode(e) => e.fmt(f),
            Self::TooLarge(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for ResponseError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Service(e) => Some(e),
            Self::Decode(e) => Some(e),
            Self::TooLarge(e) => Some(e),
        }
    }
}

/// The value at a dotted path (`Response.Error.Code`, `errors.0.code`).
fn at_path<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| match v {
        Value::Object(m) => m.get(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// `Code` of `namespace#Code`, `Code:uri` or `namespace#Code:uri`: first everything from the
/// first `:` goes, then everything up to the last `#`. This is botocore's order for `__type`
/// (`parsers.py`, `BaseJSONParser._do_error_parse`); the Smithy AWS JSON protocols cut at the
/// first `#` instead, which is the same for every shape id (a namespace has no `#`). Cutting the
/// URI first matters: a URI may hold a `#` of its own.
fn strip_code(code: &str) -> &str {
    let code = code.split_once(':').map_or(code, |(c, _)| c);
    code.rsplit_once('#').map_or(code, |(_, c)| c)
}

/// `true` when the JSON text `bytes` opens more than `max` objects: more than `max` `{` outside
/// strings. A byte scan rather than a count while reading, so that the body is then read into a
/// [`Value`] by `serde_json` itself, whatever its features (`arbitrary_precision` reads numbers
/// as objects).
fn more_objects_than(bytes: &[u8], max: usize) -> bool {
    let mut objects = 0_usize;
    let (mut in_string, mut escaped) = (false, false);
    for &byte in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if byte == b'"' {
            in_string = true;
        } else if byte == b'{' {
            objects += 1;
            if objects > max {
                return true;
            }
        }
    }
    false
}

/// The [`DecodeError`] of a body that `T` could not be read from: reads it again with member
/// names tracked ([`crate::structs::track_key_names`] and `serde_path_to_error`) to name the path
/// of the first value that does not fit. `first` is the error of the first, untracked read; the
/// second read of the same input fails the same way, so `first` is reported only if it does not.
fn locate<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(
    de: D,
    first: &dyn fmt::Display,
    status: u16,
    request_id: Option<&String>,
) -> DecodeError
where
    D::Error: fmt::Display,
{
    let _names = crate::structs::track_key_names();
    let (path, message) = match serde_path_to_error::deserialize::<_, T>(de) {
        Err(e) => {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            (path, e.into_inner().to_string())
        }
        Ok(_) => (String::new(), first.to_string()),
    };
    DecodeError {
        status,
        request_id: request_id.cloned(),
        path,
        message,
    }
}

/// The typed output of a response, or its typed error, or a [`DecodeError`] that says what was
/// expected and where, reading within [`Limits::DEFAULT`]. Never panics, never returns an empty
/// output for a body it cannot read.
///
/// # Duplicate keys
///
/// A key that appears twice in one JSON object keeps its last value, in every body of every
/// provider: a member of the output, a key of a map, the envelope, the error code and message,
/// the request id. This is what `serde_json::Value`, Python's `json` (botocore) and Go's
/// `encoding/json` do, so crspec reads a body as the providers' own SDKs read it.
///
/// # Errors
///
/// [`ResponseError::Service`] for an error response, [`ResponseError::Decode`] for a body that
/// is not what the provider sends, [`ResponseError::TooLarge`] for a body over a limit.
pub fn parse_response<O: DeserializeOwned, E: OperationError, B: AsRef<[u8]>>(
    protocol: &Protocol,
    response: &http::Response<B>,
) -> Result<Reply<O>, ResponseError<E>> {
    parse_response_with(protocol, response, &Limits::DEFAULT)
}

/// [`parse_response`] within `limits`.
///
/// # Errors
///
/// As [`parse_response`]; [`ResponseError::TooLarge`] for a body over one of `limits`.
pub fn parse_response_with<O: DeserializeOwned, E: OperationError, B: AsRef<[u8]>>(
    protocol: &Protocol,
    response: &http::Response<B>,
    limits: &Limits,
) -> Result<Reply<O>, ResponseError<E>> {
    let status = response.status().as_u16();
    let ok = response.status().is_success();
    let bytes = response.body().as_ref();
    if bytes.len() > limits.max_bytes {
        return Err(ResponseError::TooLarge(TooLarge::Bytes {
            len: bytes.len(),
            max: limits.max_bytes,
        }));
    }
    let too_many_items = || {
        ResponseError::TooLarge(TooLarge::Items {
            max: limits.max_items,
        })
    };
    let mut request_id = match protocol.request_id {
        Some(RequestIdAt::Header(name)) => response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        _ => None,
    };
    let decode = |request_id: Option<&String>, path: &str, message: String| DecodeError {
        status,
        request_id: request_id.cloned(),
        path: path.to_owned(),
        message,
    };
    // An empty body reads as `{}`: an output whose members are all absent (botocore's reading
    // of an empty 200), or an error without a code.
    let empty = bytes.iter().all(u8::is_ascii_whitespace);
    let raw = bytes;
    let bytes: &[u8] = if empty { b"{}" } else { bytes };
    // The fast path: a success that cannot carry an error, straight into the typed output.
    if ok
        && !protocol.errors_always
        && protocol.envelope.is_none()
        && request_id_in_header(protocol)
    {
        // Read once without tracking paths; only a body that fails is read a second time.
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let items = crate::structs::limit_items(limits.max_items);
        let read = O::deserialize(&mut de);
        if read.is_err() && items.exceeded() {
            return Err(too_many_items());
        }
        drop(items);
        let output = match read {
            Ok(output) => de
                .end()
                .map(|()| output)
                .map_err(|e| decode(request_id.as_ref(), "", e.to_string())),
            Err(first) => {
                let mut again = serde_json::Deserializer::from_slice(bytes);
                let mut e = locate::<O, _>(&mut again, &first, status, request_id.as_ref());
                if e.path.is_empty() {
                    e.message = format!("expected a JSON object: {}", e.message);
                }
                Err(e)
            }
        }
        .map_err(ResponseError::Decode)?;
        return Ok(Reply { output, request_id });
    }
    if more_objects_than(bytes, limits.max_items) {
        return Err(too_many_items());
    }
    let body: Value = match serde_json::from_slice(bytes) {
        Ok(body) => body,
        // An error status whose body is not JSON (a proxy's HTML page): an error without a code,
        // below.
        Err(_) if !ok => Value::Object(Map::new()),
        Err(e) => {
            return Err(ResponseError::Decode(decode(
                request_id.as_ref(),
                "",
                format!("expected a JSON object: {e}"),
            )));
        }
    };
    if let Some(RequestIdAt::Body(path)) = protocol.request_id {
        request_id = at_path(&body, path)
            .and_then(Value::as_str)
            .map(str::to_owned);
    }
    if !ok || protocol.errors_always {
        match at_path(&body, protocol.error_code) {
            Some(Value::String(code)) => {
                let code = if protocol.strip_namespace {
                    strip_code(code)
                } else {
                    code
                };
                let message = protocol
                    .error_message
                    .iter()
                    .find_map(|p| at_path(&body, p).and_then(Value::as_str))
                    .map(str::to_owned);
                return Err(ResponseError::Service(E::from_wire(
                    code,
                    Some(status),
                    ErrorDetails {
                        message,
                        request_id,
                    },
                )));
            }
            Some(other) => {
                return Err(ResponseError::Decode(decode(
                    request_id.as_ref(),
                    protocol.error_code,
                    format!("expected the error code as a string, found {other}"),
                )));
            }
            // An error status without a code (a gateway's page, an empty body): the HTTP
            // status stands for the code, as botocore has it (`ClientError` with code `"502"`),
            // with the body's message if it has one.
            None if !ok => {
                // The message as botocore has it: the body's, else a client error's body as
                // text, else the status's reason phrase.
                let message = protocol
                    .error_message
                    .iter()
                    .find_map(|p| at_path(&body, p).and_then(Value::as_str))
                    .map(str::to_owned)
                    .or_else(|| {
                        let text = String::from_utf8_lossy(raw).trim().to_owned();
                        (status < 500
                            && !text.is_empty()
                            && serde_json::from_str::<Value>(&text).is_err())
                        .then_some(text)
                    })
                    .or_else(|| response.status().canonical_reason().map(str::to_owned));
                return Err(ResponseError::Service(E::from_wire(
                    &status.to_string(),
                    Some(status),
                    ErrorDetails {
                        message,
                        request_id,
                    },
                )));
            }
            None => {}
        }
    }
    let (output, prefix) = match protocol.envelope {
        Some(key) => match body {
            Value::Object(mut members) => match members.remove(key) {
                Some(inner @ Value::Object(_)) => (inner, format!("{key}.")),
                Some(other) => {
                    return Err(ResponseError::Decode(decode(
                        request_id.as_ref(),
                        key,
                        format!("expected an object, found {other}"),
                    )));
                }
                None => {
                    return Err(ResponseError::Decode(decode(
                        request_id.as_ref(),
                        "",
                        format!("expected the member `{key}` that holds the output"),
                    )));
                }
            },
            other => {
                return Err(ResponseError::Decode(decode(
                    request_id.as_ref(),
                    "",
                    format!("expected a JSON object, found {other}"),
                )));
            }
        },
        None => (body, String::new()),
    };
    let output = O::deserialize(&output).map_err(|first| {
        let mut e = locate::<O, _>(&output, &first, status, request_id.as_ref());
        e.path = if e.path.is_empty() {
            prefix.trim_end_matches('.').to_owned()
        } else {
            format!("{prefix}{}", e.path)
        };
        ResponseError::Decode(e)
    })?;
    Ok(Reply { output, request_id })
}

/// How an output member read from a response header is written there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderKind {
    /// Text, as sent (`Docker-Content-Digest`, `Content-Type`, `Link`). A header sent more
    /// than once reads as its values joined with `", "` (RFC 9110 §5.3), which keeps every
    /// link of several `Link` headers.
    Text,
    /// A decimal integer (`Content-Length`).
    Integer,
}

/// [`parse_response_with`] for an output whose members are not all in the body's object:
/// members in response headers (the OCI Distribution API's `Docker-Content-Digest`,
/// `Content-Length`, `Content-Type`, `Link`), and a `payload` member that is the whole body (a
/// top-level JSON array, such as a list of names).
///
/// In a success response, the body becomes the value of the member named `payload`, when there
/// is one; then each header of `members` that is present becomes the member of that wire name
/// (the header's name as the spec writes it) of the body's object, or of the envelope's object
/// when the protocol has one, before the output is read: text as a JSON string, an integer as a
/// JSON number. An empty body (a `HEAD` response) reads as `{}`, so an output of header
/// members alone reads from the headers. A header member takes the place of a body member of
/// the same name. Error responses read as [`parse_response_with`] reads them.
///
/// # Errors
///
/// As [`parse_response_with`]; [`ResponseError::Decode`], with the header's name as the path,
/// for a header that is not visible ASCII text or, for [`HeaderKind::Integer`], not an integer.
pub fn parse_response_in_parts<O: DeserializeOwned, E: OperationError, B: AsRef<[u8]>>(
    protocol: &Protocol,
    members: &[(&str, HeaderKind)],
    payload: Option<&str>,
    response: &http::Response<B>,
    limits: &Limits,
) -> Result<Reply<O>, ResponseError<E>> {
    let bytes = response.body().as_ref();
    if (members.is_empty() && payload.is_none())
        || !response.status().is_success()
        || bytes.len() > limits.max_bytes
        || more_objects_than(bytes, limits.max_items)
    {
        // Nothing to add, or a response `parse_response_with` reports as it is.
        return parse_response_with(protocol, response, limits);
    }
    let fail = |path: &str, message: String| {
        let request_id = match protocol.request_id {
            Some(RequestIdAt::Header(name)) => response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            _ => None,
        };
        ResponseError::Decode(DecodeError {
            status: response.status().as_u16(),
            request_id,
            path: path.to_owned(),
            message,
        })
    };
    let empty = bytes.iter().all(u8::is_ascii_whitespace);
    let mut body = if empty {
        Value::Object(Map::new())
    } else {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(body) => body,
            // Not JSON: `parse_response_with` says so, with its path.
            Err(_) => return parse_response_with(protocol, response, limits),
        }
    };
    if let Some(name) = payload
        && !empty
    {
        let mut object = Map::new();
        object.insert(name.to_owned(), body);
        body = Value::Object(object);
    }
    let object = match protocol.envelope {
        Some(key) => body.get_mut(key),
        None => Some(&mut body),
    };
    let Some(Value::Object(object)) = object else {
        // Not an object where the output is: `parse_response_with` reports it.
        return parse_response_with(protocol, response, limits);
    };
    for &(name, kind) in members {
        let mut values = response.headers().get_all(name).iter().peekable();
        if values.peek().is_none() {
            continue;
        }
        let mut text = String::new();
        for value in values {
            let Ok(value) = value.to_str() else {
                return Err(fail(
                    name,
                    "expected visible ASCII text in the response header".to_owned(),
                ));
            };
            if !text.is_empty() {
                text.push_str(", ");
            }
            text.push_str(value);
        }
        let value = match kind {
            HeaderKind::Text => Value::String(text),
            HeaderKind::Integer => match text.trim().parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => {
                    return Err(fail(
                        name,
                        format!("expected an integer in the response header, found `{text}`"),
                    ));
                }
            },
        };
        object.insert(name.to_owned(), value);
    }
    let merged = serde_json::to_vec(&body).map_err(|e| fail("", e.to_string()))?;
    // The headers add at most their own size, which the HTTP client has already bounded.
    let limits = limits.with_max_bytes(limits.max_bytes.max(merged.len()));
    let mut again = http::Response::new(merged);
    *again.status_mut() = response.status();
    *again.headers_mut() = response.headers().clone();
    parse_response_with(protocol, &again, &limits)
}

fn request_id_in_header(protocol: &Protocol) -> bool {
    !matches!(protocol.request_id, Some(RequestIdAt::Body(_)))
}

/// An operation's input, with everything needed to send it and read the answer: what generated
/// code implements for every operation's input, and what a client (`crspec_runtime::client`,
/// feature `client`) sends.
pub trait Call: Clone {
    /// The typed output of a successful response.
    type Output;
    /// The operation's typed error.
    type Error: OperationError + fmt::Debug + fmt::Display;
    /// The provider's protocol.
    const PROTOCOL: &'static Protocol;
    /// The operation's place on the wire.
    const OPERATION: &'static Operation;

    /// The HTTP request for this input, validated first (the generated `to_http`).
    ///
    /// # Errors
    ///
    /// Every violated constraint, or a region or value that makes no valid HTTP request.
    fn to_http(&self, endpoint: &Endpoint) -> Result<http::Request<Vec<u8>>, RequestError>;

    /// The typed output of `response`, or its typed error, within `limits`.
    ///
    /// # Errors
    ///
    /// As [`parse_response_with`].
    fn parse<B: AsRef<[u8]>>(
        response: &http::Response<B>,
        limits: &Limits,
    ) -> Result<Reply<Self::Output>, ResponseError<Self::Error>>;
}

/// A [`Call`] whose output lists images: its page maps to the cross-provider
/// [`crate::ImageSummary`], as the spec's `summary` says.
pub trait Summarize: Call {
    /// One summary per image of `output`, the answer to this request.
    fn summaries(&self, output: &Self::Output) -> Vec<crate::ImageSummary>;
}

/// A request that knows its next page from the response to it.
pub trait Paginated: Sized {
    /// The response type.
    type Output;

    /// The request for the page after `output`, or `None` when `output` was the last page (no
    /// next token, the request's own token again, an empty page of a counted or marker listing,
    /// the total count reached, or a cursor past the range of its member). An empty page that
    /// carries a token is not the last one: token listings read on, as botocore's paginator
    /// does. A server that answers the last page with the token
    /// it was given is not going round: some APIs do just that (CloudWatch Logs'
    /// `GetLogEvents`), and the AWS SDK for Go stops there too.
    fn next_page(&self, output: &Self::Output) -> Option<Self>;

    /// What says which page this request asks for: its token, page number, offset or marker
    /// (generated inputs return that member). [`Paginator`] remembers a hash of it for every
    /// request it hands out, to notice a server that goes round (`a, b, a, …`). `None`, the
    /// default, says there is no such thing: the paginator then notices no repeats, and only
    /// its page cap ends an endless list.
    fn cursor(&self) -> Option<impl Hash> {
        None::<()>
    }
}

/// How many pages a [`Paginator`] (or [`pages`]) reads at most, unless told otherwise with
/// `with_max_pages`: far more than any listing of the four providers needs (10,000 pages of
/// 1,000 ECR images, or of 100 TCR or JD Cloud images), while a server that never ends its list
/// is stopped in bounded time and memory.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// Why a [`Paginator`] ended a list that the server had not ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PagingError {
    /// The response to page `page` (counted from 1) leads to a request with the cursor of an
    /// earlier one: the server is going round (tokens `a, b, a, …`), and reading on would never
    /// end.
    RepeatedCursor {
        /// The page whose response leads back.
        page: usize,
    },
    /// `max` pages were read, and the last one says there are more.
    TooManyPages {
        /// The page cap.
        max: usize,
    },
}

impl fmt::Display for PagingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RepeatedCursor { page } => write!(
                f,
                "the response to page {page} leads back to the cursor of an earlier request; \
                 reading on would loop"
            ),
            Self::TooManyPages { max } => write!(
                f,
                "read {max} pages, the most allowed, and the server has more \
                 (Paginator::with_max_pages)"
            ),
        }
    }
}

impl std::error::Error for PagingError {}

/// A sans-IO paginator: any client asks it for the next request, sends it, and hands it the
/// response.
///
/// It ends a list the server does not end, with a [`PagingError`]: when a response leads to a
/// request whose [cursor](Paginated::cursor) an earlier request had, and after
/// [`DEFAULT_MAX_PAGES`] pages (or the cap set with [`Paginator::with_max_pages`]). For that it
/// keeps a 64-bit hash of each request's cursor, one per page read: at most the page cap of
/// them, about 150 KB at the default cap. (Two cursors with the same hash would end a list
/// early; among 10,000 cursors, the odds are below one in 10^11.)
///
/// ```
/// use crspec_runtime::wire::{Paginated, Paginator, PagingError};
///
/// // A toy operation whose "response" says whether there is more.
/// struct Page(u32);
/// impl Paginated for Page {
///     type Output = bool;
///     fn next_page(&self, more: &bool) -> Option<Self> {
///         more.then(|| Page(self.0 + 1))
///     }
///     fn cursor(&self) -> Option<impl std::hash::Hash> {
///         Some(self.0)
///     }
/// }
///
/// let mut pages = Paginator::new(Page(1));
/// let mut sent = Vec::new();
/// while let Some(request) = pages.next_request() {
///     sent.push(request.0); // a real client sends the request here …
///     let more = request.0 < 3; // … and reads the response
///     pages.advance(&more)?;
/// }
/// assert_eq!(sent, [1, 2, 3]);
///
/// // A list longer than the cap is an error, not a silently shorter list.
/// let mut pages = Paginator::new(Page(1)).with_max_pages(2);
/// pages.advance(&true)?;
/// assert_eq!(pages.advance(&true), Err(PagingError::TooManyPages { max: 2 }));
/// assert!(pages.next_request().is_none());
/// # Ok::<(), PagingError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Paginator<R> {
    next: Option<R>,
    /// The hashes of the cursors of the requests handed out.
    cursors: HashSet<u64>,
    /// The pages read.
    pages: usize,
    max_pages: usize,
}

impl<R: Paginated> Paginator<R> {
    /// Starts with `first`, reading at most [`DEFAULT_MAX_PAGES`] pages.
    pub fn new(first: R) -> Self {
        let cursors = cursor_hash(&first).into_iter().collect();
        Self {
            next: Some(first),
            cursors,
            pages: 0,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }

    /// Reads at most `max` pages (0 counts as 1: the first request is always sent). Past the
    /// cap, a next page is [`PagingError::TooManyPages`] rather than a request; a list that
    /// ends on the cap's last page ends without an error.
    #[must_use]
    pub fn with_max_pages(mut self, max: usize) -> Self {
        self.max_pages = max.max(1);
        self
    }

    /// The request to send now, or `None` when every page has been read (or the list was ended
    /// with an error).
    pub fn next_request(&self) -> Option<&R> {
        self.next.as_ref()
    }

    /// Records the response to [`Paginator::next_request`] and computes the request after it.
    /// Does nothing when there is no request to answer.
    ///
    /// # Errors
    ///
    /// [`PagingError::RepeatedCursor`] when the request after it has the cursor of an earlier
    /// one, [`PagingError::TooManyPages`] when the page cap is reached and there is more. There
    /// is no next request then.
    pub fn advance(&mut self, output: &R::Output) -> Result<(), PagingError> {
        let Some(current) = self.next.take() else {
            return Ok(());
        };
        self.pages += 1;
        let Some(next) = current.next_page(output) else {
            return Ok(());
        };
        if cursor_hash(&next).is_some_and(|hash| !self.cursors.insert(hash)) {
            return Err(PagingError::RepeatedCursor { page: self.pages });
        }
        if self.pages >= self.max_pages {
            return Err(PagingError::TooManyPages {
                max: self.max_pages,
            });
        }
        self.next = Some(next);
        Ok(())
    }
}

/// The hash of `request`'s cursor, if it has one. `DefaultHasher::new()` has fixed keys: the
/// same cursor gets the same hash in every paginator.
fn cursor_hash<R: Paginated>(request: &R) -> Option<u64> {
    request.cursor().map(|cursor| {
        let mut hasher = DefaultHasher::new();
        cursor.hash(&mut hasher);
        hasher.finish()
    })
}

/// What [`Pages`] yields in place of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagesError<E> {
    /// `send` failed: its error.
    Send(E),
    /// The paginator ended a list the server had not ended, after yielding the page that led
    /// to this.
    Paging(PagingError),
}

impl<E: fmt::Display> fmt::Display for PagesError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Send(e) => e.fmt(f),
            Self::Paging(e) => e.fmt(f),
        }
    }
}

/// Transparent: the message is the inner error's. (Not `E: Error`, so that `send` may fail
/// with a `Box<dyn Error>`, and `?` still turns this into one.)
impl<E: fmt::Debug + fmt::Display> std::error::Error for PagesError<E> {}

/// An iterator over the pages of a paginated operation, sending each request through `send`.
/// It stops after the last page, or after the first error (which it yields): `send`'s, or the
/// paginator's (a cursor that repeats, or the page cap reached; see [`Paginator`]).
pub struct Pages<R, F> {
    paginator: Paginator<R>,
    send: F,
    /// The error that ends the list, yielded after the page that led to it.
    pending: Option<PagingError>,
}

impl<R, F> fmt::Debug for Pages<R, F>
where
    R: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("paginator", &self.paginator)
            .field("pending", &self.pending)
            .finish_non_exhaustive()
    }
}

/// Every page, from `first` on: `send` turns a request into its output (or an error). At most
/// [`DEFAULT_MAX_PAGES`] pages unless [`Pages::with_max_pages`] says otherwise.
pub fn pages<R, E, F>(first: R, send: F) -> Pages<R, F>
where
    R: Paginated,
    F: FnMut(&R) -> Result<R::Output, E>,
{
    Pages {
        paginator: Paginator::new(first),
        send,
        pending: None,
    }
}

impl<R: Paginated, F> Pages<R, F> {
    /// Reads at most `max` pages: see [`Paginator::with_max_pages`].
    #[must_use]
    pub fn with_max_pages(mut self, max: usize) -> Self {
        self.paginator = self.paginator.with_max_pages(max);
        self
    }
}

impl<R, E, F> Iterator for Pages<R, F>
where
    R: Paginated,
    F: FnMut(&R) -> Result<R::Output, E>,
{
    type Item = Result<R::Output, PagesError<E>>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.pending.take() {
            return Some(Err(PagesError::Paging(e)));
        }
        let request = self.paginator.next_request()?;
        match (self.send)(request) {
            Ok(output) => {
                if let Err(e) = self.paginator.advance(&output) {
                    self.pending = Some(e);
                }
                Some(Ok(output))
            }
            Err(e) => {
                self.paginator.next = None;
                Some(Err(PagesError::Send(e)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths_walk_objects_and_arrays() {
        let v: Value = serde_json::json!({"errors": [{"code": "X"}], "a": {"b": 1}});
        assert_eq!(at_path(&v, "errors.0.code"), Some(&Value::from("X")));
        assert_eq!(at_path(&v, "a.b"), Some(&Value::from(1)));
        assert_eq!(at_path(&v, "errors.1.code"), None);
        assert_eq!(at_path(&v, "a.b.c"), None);
    }

    #[test]
    fn codes_lose_namespaces_and_uris() {
        assert_eq!(
            strip_code("com.amazonaws.ecr#RepositoryNotFoundException"),
            "RepositoryNotFoundException"
        );
        assert_eq!(
            strip_code("RepositoryNotFoundException:http://internal.amazon.com/"),
            "RepositoryNotFoundException"
        );
        assert_eq!(strip_code("ServerException"), "ServerException");
        // The URI goes first, so that a `#` in it does not count as a namespace's.
        assert_eq!(
            strip_code("com.amazonaws.ecr#ImageNotFoundException:http://internal.amazon.com/a#b"),
            "ImageNotFoundException"
        );
        assert_eq!(
            strip_code("LimitExceededException:http://x.example/#frag"),
            "LimitExceededException"
        );
        assert_eq!(strip_code("a.b#c#Last"), "Last");
        assert_eq!(strip_code("ns#"), "");
        assert_eq!(strip_code(":uri"), "");
    }

    #[test]
    fn objects_are_counted_outside_strings() {
        assert!(!more_objects_than(br#"[{}, {"a": {}}]"#, 3));
        assert!(more_objects_than(br#"[{}, {"a": {}}]"#, 2));
        // Braces in strings do not count, after escaped quotes and backslashes either.
        assert!(!more_objects_than(br#"{"{": "{\"{", "b{": "\\"}"#, 1));
        assert!(more_objects_than(br#"{"a": "\\", "b": {}}"#, 1));
        assert!(!more_objects_than(b"", 0));
    }

    #[test]
    fn query_lists_are_indexed_from_one() {
        let mut out = Vec::new();
        flatten_query(
            "filters",
            &serde_json::json!([{"name": "imageTag", "values": ["a", "b"]}]),
            &mut out,
        );
        assert_eq!(
            out,
            [
                ("filters.1.name".to_owned(), "imageTag".to_owned()),
                ("filters.1.values.1".to_owned(), "a".to_owned()),
                ("filters.1.values.2".to_owned(), "b".to_owned()),
            ]
        );
    }
}
