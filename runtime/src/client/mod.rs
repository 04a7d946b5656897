//! A client: build, sign, send, retry, parse and page any generated operation in one call.
//! Feature `client`; the transports are features of their own (`blocking`: [`ureq`], `async`:
//! `reqwest` on tokio), so that a crate that wants the types alone compiles no HTTP client, no
//! TLS and no async runtime.
//!
//! ```no_run
//! # #[cfg(feature = "blocking")]
//! # fn demo<R>(request: R) -> Result<(), Box<dyn std::error::Error>>
//! # where R: crspec_runtime::wire::Summarize + crspec_runtime::wire::Paginated<Output = <R as crspec_runtime::wire::Call>::Output> + Clone,
//! #       <R as crspec_runtime::wire::Call>::Error: std::error::Error + 'static,
//! # {
//! use crspec_runtime::client::Client;
//! use crspec_runtime::wire::Endpoint;
//!
//! let client = Client::blocking(Endpoint::region("us-east-1"));
//! let images = client.describe_images(request).items().collect::<Result<Vec<_>, _>>()?;
//! # Ok(()) }
//! ```
//!
//! Every response reaches the parser whatever its status, so an HTTP 400 is the operation's typed
//! error, never a transport error.

use core::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::ImageSummary;
use crate::sign::{Credentials, CredentialsError, SignError, SigningContext, sign};
use crate::wire::{
    Call, DEFAULT_MAX_PAGES, Endpoint, Limits, OperationError, Paginated, Paginator, PagingError,
    Reply, RequestError, ResponseError, Signing, Summarize,
};

#[cfg(feature = "async")]
mod r#async;
#[cfg(feature = "blocking")]
mod blocking;

#[cfg(feature = "async")]
pub use r#async::{AsyncClient, AsyncPages, AsyncTransport, ReqwestTransport};
#[cfg(feature = "blocking")]
pub use blocking::UreqTransport;

/// Sends one HTTP request and reads the whole response, whatever its status. The blocking
/// transports implement it; a test can implement it over a closure-like fake.
pub trait Transport {
    /// Sends `request`; reads at most `max_bytes` of the body.
    ///
    /// # Errors
    ///
    /// [`TransportError`] when no complete response came back.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        max_bytes: usize,
    ) -> Result<http::Response<Vec<u8>>, TransportError>;
}

/// What kind of transport fault happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection (refused, DNS, TLS handshake).
    Connect,
    /// The request or response took longer than the timeout.
    Timeout,
    /// The connection broke while sending or reading.
    Io,
    /// The body is longer than [`Limits::max_bytes`].
    TooLarge,
    /// Anything else (an invalid request for the client library).
    Other,
}

/// A request that got no complete response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
}

impl TransportError {
    /// A fault of `kind`, described by `message`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// What kind of fault.
    #[must_use]
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// `true` for faults that another attempt may not meet: connection, timeout, I/O.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Io
        )
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            TransportErrorKind::Connect => "cannot connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "connection broke",
            TransportErrorKind::TooLarge => "response too large",
            TransportErrorKind::Other => "transport error",
        };
        write!(f, "{kind}: {}", self.message)
    }
}

impl std::error::Error for TransportError {}

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum CallError<E> {
    /// The request breaks the spec's constraints, or makes no valid HTTP request: nothing was
    /// sent.
    Request(RequestError),
    /// No credentials for a provider that signs its requests.
    Credentials(CredentialsError),
    /// The request could not be signed.
    Sign(SignError),
    /// No complete response, after `attempts` attempts.
    Transport {
        /// The last attempt's fault.
        error: TransportError,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The response is the operation's typed error, or cannot be read; after `attempts`
    /// attempts.
    Response {
        /// The last response's error.
        error: ResponseError<E>,
        /// How many attempts were made.
        attempts: u32,
    },
    /// A paginator ended a list the server had not ended.
    Paging(PagingError),
}

impl<E: OperationError> CallError<E> {
    /// The operation's typed error, if the provider answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            Self::Response {
                error: ResponseError::Service(e),
                ..
            } => Some(e),
            _ => None,
        }
    }

    /// The provider's request id of the response that failed, when a response came.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Response { error, .. } => match error {
                ResponseError::Service(e) => e.details().request_id.as_deref(),
                ResponseError::Decode(d) => d.request_id.as_deref(),
                ResponseError::TooLarge(_) => None,
            },
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for CallError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tries = |f: &mut fmt::Formatter<'_>, attempts: &u32| match attempts {
            1 => Ok(()),
            n => write!(f, " (after {n} attempts)"),
        };
        match self {
            Self::Request(e) => e.fmt(f),
            Self::Credentials(e) => e.fmt(f),
            Self::Sign(e) => e.fmt(f),
            Self::Transport { error, attempts } => {
                error.fmt(f)?;
                tries(f, attempts)
            }
            Self::Response { error, attempts } => {
                error.fmt(f)?;
                tries(f, attempts)
            }
            Self::Paging(e) => e.fmt(f),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for CallError<E> {}

/// When to try again: exponential backoff with full jitter, a cap on attempts, and a retry
/// budget shared by all calls of a client (a token bucket, as the AWS SDKs' "standard" retry
/// mode has: a retry takes 5 tokens, one after a timeout 10, a success gives 1 back, 500 at
/// most), so that a failing provider is not hammered by every caller at once.
#[derive(Debug, Clone)]
pub struct Retry {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    budget: Arc<AtomicU32>,
}

const BUDGET: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_COST: u32 = 10;

impl Default for Retry {
    /// 3 attempts, 100 ms base delay, 20 s at most, 500 tokens.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(20),
            budget: Arc::new(AtomicU32::new(BUDGET)),
        }
    }
}

impl Retry {
    /// No retries: every call makes one attempt.
    #[must_use]
    pub fn none() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// At most `n` attempts a call (at least 1).
    #[must_use]
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The delay before the second attempt, before jitter; it doubles with every attempt.
    #[must_use]
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest delay between two attempts.
    #[must_use]
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The tokens left in the retry budget.
    #[must_use]
    pub fn budget(&self) -> u32 {
        self.budget.load(Ordering::Relaxed)
    }

    /// Takes the cost of a retry from the budget; `false` when it cannot pay.
    fn take(&self, timeout: bool) -> bool {
        let cost = if timeout { TIMEOUT_COST } else { RETRY_COST };
        self.budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(cost)
            })
            .is_ok()
    }

    fn refund(&self) {
        let _ = self
            .budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                (left < BUDGET).then_some(left + 1)
            });
    }

    /// The delay before attempt `attempt + 1` (`attempt` counted from 1): a uniform random
    /// fraction of `min(max_delay, base_delay * 2^(attempt - 1))`.
    fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << (attempt - 1).min(20))
            .min(self.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// What one attempt came to, for the retry loop.
enum Attempt<O, E> {
    Done(Reply<O>),
    Failed(CallError<E>, Option<bool>),
}

/// The signing part of a client: where, as whom, within what.
#[derive(Debug, Clone)]
struct Config {
    endpoint: Endpoint,
    credentials: Option<Credentials>,
    retry: Retry,
    limits: Limits,
    max_pages: usize,
    /// The bearer token of the last `WWW-Authenticate: Bearer` challenge answered (an OCI
    /// registry's token service), sent with the next requests until a challenge asks again.
    bearer: Bearer,
}

/// The cached bearer token, shared by the clones of a client; `Debug` does not show it.
#[derive(Clone, Default)]
struct Bearer(Arc<std::sync::Mutex<Option<String>>>);

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held = self.0.lock().is_ok_and(|b| b.is_some());
        f.write_str(if held {
            "Bearer(<redacted>)"
        } else {
            "Bearer(None)"
        })
    }
}

impl Bearer {
    fn get(&self) -> Option<String> {
        self.0.lock().ok().and_then(|b| b.clone())
    }

    fn set(&self, token: String) {
        if let Ok(mut b) = self.0.lock() {
            *b = Some(token);
        }
    }
}

/// A `401` that asks for a bearer token: the challenge to answer, if `response` is one.
fn bearer_challenge(response: &http::Response<Vec<u8>>) -> Option<crate::wire::Challenge> {
    if response.status() != http::StatusCode::UNAUTHORIZED {
        return None;
    }
    response
        .headers()
        .get_all(http::header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(crate::wire::Challenge::parse)
        .find(|c| c.is_bearer() && c.realm().is_some())
}

/// The token request of a bearer challenge (the Docker / OCI token protocol): `GET realm`
/// with `service` and `scope` as query parameters, and the client's credentials, if it has
/// any, as HTTP Basic.
fn token_request(
    challenge: &crate::wire::Challenge,
    credentials: Option<&Credentials>,
) -> Result<http::Request<Vec<u8>>, TransportError> {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let realm = challenge.realm().unwrap_or_default();
    if !(realm.starts_with("https://") || realm.starts_with("http://")) {
        return Err(TransportError::new(
            TransportErrorKind::Other,
            format!("the token service {realm:?} is not an http(s) URL"),
        ));
    }
    let mut url = realm.to_owned();
    for name in ["service", "scope"] {
        if let Some(value) = challenge.param(name) {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(name);
            url.push('=');
            url.push_str(&utf8_percent_encode(value, NON_ALPHANUMERIC).to_string());
        }
    }
    let mut request = http::Request::get(url)
        .body(Vec::new())
        .map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))?;
    if let Some(credentials) = credentials {
        sign(
            &mut request,
            &Signing::Basic,
            "",
            credentials,
            &SigningContext::now(),
        )
        .map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))?;
    }
    Ok(request)
}

/// The token of a token service's answer: `token`, or `access_token` (OAuth 2's name).
fn token_of(response: &http::Response<Vec<u8>>) -> Result<String, TransportError> {
    let fail = |why: String| TransportError::new(TransportErrorKind::Other, why);
    if !response.status().is_success() {
        return Err(fail(format!(
            "the token service answered HTTP {}",
            response.status().as_u16()
        )));
    }
    let body: serde_json::Value = serde_json::from_slice(response.body())
        .map_err(|e| fail(format!("the token service's answer is not JSON: {e}")))?;
    ["token", "access_token"]
        .iter()
        .find_map(|k| body.get(k).and_then(serde_json::Value::as_str))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| fail("the token service's answer has no `token`".into()))
}

impl Config {
    fn new(endpoint: Endpoint) -> Self {
        Self {
            endpoint,
            credentials: None,
            retry: Retry::default(),
            limits: Limits::DEFAULT,
            max_pages: DEFAULT_MAX_PAGES,
            bearer: Bearer::default(),
        }
    }

    /// The signed HTTP request for `request`.
    fn prepare<R: Call>(&self, request: &R) -> Result<http::Request<Vec<u8>>, CallError<R::Error>> {
        let mut http = request
            .to_http(&self.endpoint)
            .map_err(CallError::Request)?;
        // The bearer token of the last challenge answered stands for the signature.
        let bearer = self.bearer.get();
        if let Some(token) = bearer
            && let Ok(value) = http::HeaderValue::from_str(&format!("Bearer {token}"))
        {
            http.headers_mut()
                .insert(http::header::AUTHORIZATION, value);
            return Ok(http);
        }
        let signing = R::PROTOCOL.signing;
        if signing != Signing::None {
            let credentials = match &self.credentials {
                Some(c) => c.clone(),
                None => match Credentials::from_env(&signing) {
                    Ok(c) => c,
                    // A registry (HTTP Basic) may be open to anyone: without credentials, the
                    // request goes unsigned, and a registry that wants them says so
                    // (`UNAUTHORIZED`, or a bearer challenge the client answers).
                    Err(_) if signing == Signing::Basic => return Ok(http),
                    Err(e) => return Err(CallError::Credentials(e)),
                },
            };
            sign(
                &mut http,
                &signing,
                self.endpoint.region_name(),
                &credentials,
                &SigningContext::now(),
            )
            .map_err(CallError::Sign)?;
        }
        Ok(http)
    }

    /// What `sent` (the outcome of attempt `attempt`) comes to: a reply, or an error and
    /// whether to retry it (`Some(timeout?)`).
    fn judge<R: Call>(
        &self,
        sent: Result<http::Response<Vec<u8>>, TransportError>,
        attempt: u32,
    ) -> Attempt<R::Output, R::Error> {
        match sent {
            Err(error) => {
                let retry = error
                    .is_retryable()
                    .then_some(error.kind() == TransportErrorKind::Timeout);
                Attempt::Failed(
                    CallError::Transport {
                        error,
                        attempts: attempt,
                    },
                    retry,
                )
            }
            Ok(response) => match R::parse(&response, &self.limits) {
                Ok(reply) => Attempt::Done(reply),
                Err(error) => {
                    // The statuses of a server or gateway in trouble are retried whatever the
                    // spec says of the code, as the AWS SDKs' standard retry mode does.
                    let transient = matches!(response.status().as_u16(), 500 | 502 | 503 | 504);
                    let retry = match &error {
                        ResponseError::Service(e) => e.is_retryable() || transient,
                        // A body that is not the provider's (a proxy's 502 page) from a server
                        // error.
                        ResponseError::Decode(d) => d.status >= 500,
                        ResponseError::TooLarge(_) => false,
                    };
                    Attempt::Failed(
                        CallError::Response {
                            error,
                            attempts: attempt,
                        },
                        retry.then_some(false),
                    )
                }
            },
        }
    }

    /// Whether to make attempt `attempt + 1` after a failure that `retry` says may pass, and
    /// after which delay.
    fn again(&self, attempt: u32, retry: Option<bool>) -> Option<Duration> {
        let timeout = retry?;
        (attempt < self.retry.max_attempts && self.retry.take(timeout))
            .then(|| self.retry.delay(attempt))
    }
}

/// A blocking client over a [`Transport`]: [`Client::blocking`] for the `ureq` one.
#[derive(Debug, Clone)]
pub struct Client<T> {
    transport: T,
    config: Config,
}

#[cfg(feature = "blocking")]
impl Client<UreqTransport> {
    /// A client that sends to `endpoint` through [`UreqTransport`] with its defaults (30 s per
    /// request), and reads credentials from the provider's environment variables
    /// ([`Credentials::from_env`]) unless given [`Client::with_credentials`].
    #[must_use]
    pub fn blocking(endpoint: Endpoint) -> Self {
        Self::new(UreqTransport::default(), endpoint)
    }
}

impl<T: Transport> Client<T> {
    /// A client that sends to `endpoint` through `transport`.
    pub fn new(transport: T, endpoint: Endpoint) -> Self {
        Self {
            transport,
            config: Config::new(endpoint),
        }
    }

    /// Signs with `credentials` rather than the provider's environment variables.
    #[must_use]
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = Some(credentials);
        self
    }

    /// Retries as `retry` says ([`Retry::default`] otherwise).
    #[must_use]
    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.config.retry = retry;
        self
    }

    /// Reads responses within `limits` ([`Limits::DEFAULT`] otherwise).
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.config.limits = limits;
        self
    }

    /// Reads at most `max` pages a listing ([`DEFAULT_MAX_PAGES`] otherwise).
    #[must_use]
    pub fn with_max_pages(mut self, max: usize) -> Self {
        self.config.max_pages = max;
        self
    }

    /// The retry policy, with its budget.
    #[must_use]
    pub fn retry(&self) -> &Retry {
        &self.config.retry
    }

    /// A call of `request`'s operation: [`Request::send`] for one page, [`Request::pages`] and
    /// [`Request::items`] for all of them.
    pub fn call<R: Call>(&self, request: R) -> Request<'_, T, R> {
        Request {
            client: self,
            request,
        }
    }

    /// [`Client::call`], by the name of the one operation every provider here has.
    pub fn describe_images<R: Call>(&self, request: R) -> Request<'_, T, R> {
        self.call(request)
    }

    /// Sends `request` until it succeeds, fails for good, or runs out of attempts.
    fn send<R: Call>(&self, request: &R) -> Result<Reply<R::Output>, CallError<R::Error>> {
        let config = &self.config;
        let mut attempt = 1;
        let mut challenged = false;
        loop {
            let http = config.prepare(request)?;
            let mut sent = self.transport.send(http, config.limits.max_bytes());
            // A registry that asks for a bearer token gets one from its token service, once a
            // call; the request is then sent again with it.
            if let Ok(response) = &sent
                && !challenged
                && let Some(challenge) = bearer_challenge(response)
            {
                challenged = true;
                let token = token_request(&challenge, config.credentials.as_ref())
                    .and_then(|t| self.transport.send(t, config.limits.max_bytes()))
                    .and_then(|r| token_of(&r));
                match token {
                    Ok(token) => {
                        config.bearer.set(token);
                        continue;
                    }
                    Err(e) => sent = Err(e),
                }
            }
            match config.judge::<R>(sent, attempt) {
                Attempt::Done(reply) => {
                    config.retry.refund();
                    return Ok(reply);
                }
                Attempt::Failed(error, retry) => match config.again(attempt, retry) {
                    Some(delay) => std::thread::sleep(delay),
                    None => return Err(error),
                },
            }
            attempt += 1;
        }
    }
}

/// One call of an operation, not sent yet.
#[derive(Debug)]
#[must_use = "a request does nothing until sent, paged or iterated"]
pub struct Request<'c, T, R> {
    client: &'c Client<T>,
    request: R,
}

impl<'c, T: Transport, R: Call> Request<'c, T, R> {
    /// Sends the request: the one page it asks for.
    ///
    /// # Errors
    ///
    /// [`CallError`]: an invalid request, no credentials, a transport fault or an error
    /// response (after the retries that [`Retry`] allows).
    pub fn send(self) -> Result<Reply<R::Output>, CallError<R::Error>> {
        self.client.send(&self.request)
    }

    /// Every page, from this request on: the next request comes from each response.
    pub fn pages(self) -> Pages<'c, T, R>
    where
        R: Paginated<Output = <R as Call>::Output>,
    {
        let paginator = Paginator::new(self.request).with_max_pages(self.client.config.max_pages);
        Pages {
            client: self.client,
            paginator,
            done: false,
            pending: None,
        }
    }

    /// Every image of every page, as [`ImageSummary`]s.
    pub fn items(self) -> Items<'c, T, R>
    where
        R: Paginated<Output = <R as Call>::Output> + Summarize,
    {
        Items {
            pages: self.pages(),
            current: Vec::new().into_iter(),
        }
    }
}

/// A page with the request that asked for it, or the error instead.
type PageOf<R> = Result<(R, <R as Call>::Output), CallError<<R as Call>::Error>>;

/// The pages of a listing ([`Request::pages`]); ends after the first error.
#[derive(Debug)]
pub struct Pages<'c, T, R: Call> {
    client: &'c Client<T>,
    paginator: Paginator<R>,
    done: bool,
    pending: Option<CallError<<R as Call>::Error>>,
}

impl<T: Transport, R> Pages<'_, T, R>
where
    R: Call + Paginated<Output = <R as Call>::Output>,
{
    /// The next page with the request that asked for it.
    fn next_with_request(&mut self) -> Option<PageOf<R>> {
        if let Some(error) = self.pending.take() {
            return Some(Err(error));
        }
        if self.done {
            return None;
        }
        let request = self.paginator.next_request()?.clone();
        let result = self.client.send(&request).map(|reply| {
            // A page read is a page yielded; a paginator that ends the list early says why
            // after it.
            if let Err(e) = self.paginator.advance(&reply.output) {
                self.pending = Some(CallError::Paging(e));
            }
            (request, reply.output)
        });
        self.done = result.is_err() || self.pending.is_some();
        Some(result)
    }
}

impl<T: Transport, R> Iterator for Pages<'_, T, R>
where
    R: Call + Paginated<Output = <R as Call>::Output>,
{
    type Item = Result<<R as Call>::Output, CallError<R::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_with_request()
            .map(|page| page.map(|(_, output)| output))
    }
}

/// Every image of a listing ([`Request::items`]); ends after the first error.
#[derive(Debug)]
pub struct Items<'c, T, R: Call> {
    pages: Pages<'c, T, R>,
    current: std::vec::IntoIter<ImageSummary>,
}

impl<T: Transport, R> Iterator for Items<'_, T, R>
where
    R: Call + Paginated<Output = <R as Call>::Output> + Summarize,
{
    type Item = Result<ImageSummary, CallError<R::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(Ok(item));
            }
            match self.pages.next_with_request()? {
                Ok((request, output)) => self.current = request.summaries(&output).into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}
