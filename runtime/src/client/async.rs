//! The async client and its transport: `reqwest` on tokio.

use std::future::Future;
use std::time::Duration;

use super::{Attempt, CallError, Config, Retry, TransportError, TransportErrorKind};
use crate::ImageSummary;
use crate::sign::Credentials;
use crate::wire::{Call, Endpoint, Limits, Paginated, Paginator, Reply, Summarize};

/// Sends one HTTP request and reads the whole response, whatever its status, asynchronously.
pub trait AsyncTransport {
    /// Sends `request`; reads at most `max_bytes` of the body.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        max_bytes: usize,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send;
}

/// Sends with a [`reqwest::Client`] (rustls, no system TLS library); every status is a response.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl Default for ReqwestTransport {
    /// 30 s for a whole request, 10 s to connect.
    fn default() -> Self {
        Self::with_timeouts(Duration::from_secs(30), Duration::from_secs(10))
    }
}

impl ReqwestTransport {
    /// A transport that gives up on a request after `total`, and on connecting after `connect`.
    ///
    /// # Panics
    ///
    /// Never in practice: building a client without a custom TLS setup cannot fail, and if it
    /// did, reqwest's default client would be used instead.
    #[must_use]
    pub fn with_timeouts(total: Duration, connect: Duration) -> Self {
        let client = reqwest::Client::builder()
            .timeout(total)
            .connect_timeout(connect)
            .build()
            .unwrap_or_default();
        Self { client }
    }
}

fn fault(e: &reqwest::Error) -> TransportError {
    let kind = if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_request() || e.is_body() || e.is_decode() {
        TransportErrorKind::Io
    } else {
        TransportErrorKind::Other
    };
    TransportError::new(kind, e.to_string())
}

impl AsyncTransport for ReqwestTransport {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
        max_bytes: usize,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let request = reqwest::Request::try_from(request)
            .map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))?;
        let mut response = self.client.execute(request).await.map_err(|e| fault(&e))?;
        let mut builder = http::Response::builder()
            .status(response.status())
            .version(response.version());
        if let Some(headers) = builder.headers_mut() {
            *headers = std::mem::take(response.headers_mut());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| fault(&e))? {
            if body.len() + chunk.len() > max_bytes {
                return Err(TransportError::new(
                    TransportErrorKind::TooLarge,
                    format!("the body is longer than {max_bytes} bytes"),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        builder
            .body(body)
            .map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))
    }
}

/// The async twin of [`super::Client`]: the same signing, retries and limits, over an
/// [`AsyncTransport`].
#[derive(Debug, Clone)]
pub struct AsyncClient<T> {
    transport: T,
    config: Config,
}

impl AsyncClient<ReqwestTransport> {
    /// A client that sends to `endpoint` through [`ReqwestTransport`] with its defaults, and
    /// reads credentials from the provider's environment variables unless given
    /// [`AsyncClient::with_credentials`]. Needs a tokio runtime with timers and I/O.
    #[must_use]
    pub fn reqwest(endpoint: Endpoint) -> Self {
        Self::new(ReqwestTransport::default(), endpoint)
    }
}

impl<T: AsyncTransport> AsyncClient<T> {
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

    /// Retries as `retry` says.
    #[must_use]
    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.config.retry = retry;
        self
    }

    /// Reads responses within `limits`.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.config.limits = limits;
        self
    }

    /// Reads at most `max` pages a listing.
    #[must_use]
    pub fn with_max_pages(mut self, max: usize) -> Self {
        self.config.max_pages = max;
        self
    }

    /// Sends `request` once, with retries: the one page it asks for.
    ///
    /// # Errors
    ///
    /// As [`super::Request::send`].
    pub async fn send<R: Call>(
        &self,
        request: &R,
    ) -> Result<Reply<R::Output>, CallError<R::Error>> {
        let config = &self.config;
        let mut attempt = 1;
        let mut challenged = false;
        loop {
            let http = config.prepare(request)?;
            let mut sent = self.transport.send(http, config.limits.max_bytes()).await;
            // As the blocking client: one bearer-token exchange a call.
            if let Ok(response) = &sent
                && !challenged
                && let Some(challenge) = super::bearer_challenge(response)
            {
                challenged = true;
                let token = match super::token_request(&challenge, config.credentials.as_ref()) {
                    Ok(t) => self
                        .transport
                        .send(t, config.limits.max_bytes())
                        .await
                        .and_then(|r| super::token_of(&r)),
                    Err(e) => Err(e),
                };
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
                    Some(delay) => tokio::time::sleep(delay).await,
                    None => return Err(error),
                },
            }
            attempt += 1;
        }
    }

    /// Every page from `request` on; call [`AsyncPages::next`] for each.
    pub fn pages<R>(&self, request: R) -> AsyncPages<'_, T, R>
    where
        R: Call + Paginated<Output = <R as Call>::Output>,
    {
        AsyncPages {
            client: self,
            paginator: Paginator::new(request).with_max_pages(self.config.max_pages),
            done: false,
            pending: None,
        }
    }

    /// Every image of every page from `request` on, as [`ImageSummary`]s.
    ///
    /// # Errors
    ///
    /// The first page's [`CallError`].
    pub async fn items<R>(&self, request: R) -> Result<Vec<ImageSummary>, CallError<R::Error>>
    where
        R: Call + Paginated<Output = <R as Call>::Output> + Summarize,
    {
        let mut pages = self.pages(request);
        let mut items = Vec::new();
        while let Some(page) = pages.next_with_request().await {
            let (request, output) = page?;
            items.extend(request.summaries(&output));
        }
        Ok(items)
    }
}

/// The pages of a listing ([`AsyncClient::pages`]); ends after the first error.
#[derive(Debug)]
pub struct AsyncPages<'c, T, R: Call> {
    client: &'c AsyncClient<T>,
    paginator: Paginator<R>,
    done: bool,
    pending: Option<CallError<<R as Call>::Error>>,
}

impl<T: AsyncTransport, R> AsyncPages<'_, T, R>
where
    R: Call + Paginated<Output = <R as Call>::Output>,
{
    /// The next page, `None` after the last one or an error.
    pub async fn next(&mut self) -> Option<Result<<R as Call>::Output, CallError<R::Error>>> {
        self.next_with_request()
            .await
            .map(|page| page.map(|(_, output)| output))
    }

    async fn next_with_request(&mut self) -> Option<super::PageOf<R>> {
        if let Some(error) = self.pending.take() {
            return Some(Err(error));
        }
        if self.done {
            return None;
        }
        let request = self.paginator.next_request()?.clone();
        let result = self.client.send(&request).await.map(|reply| {
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
