//! The blocking transport: [`ureq`], with HTTP error statuses read as responses.

use std::time::Duration;

use super::{Transport, TransportError, TransportErrorKind};

/// Sends with a [`ureq::Agent`] configured so that every status is a response (ureq's default
/// turns a 400 into an error and loses the body, and with it the operation's typed error).
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
}

impl Default for UreqTransport {
    /// 30 s for each stage of a request after connecting, 10 s to connect.
    fn default() -> Self {
        Self::with_timeouts(Duration::from_secs(30), Duration::from_secs(10))
    }
}

impl UreqTransport {
    /// A transport that gives up on connecting after `connect`, and on each later stage of a
    /// request after `stage`: sending it, waiting for the response's head, reading its body.
    ///
    /// The limits are per stage, not one for the whole call, on purpose: ureq resolves the
    /// host on every request, pooled connection or not, and under a whole-call timeout it
    /// resolves on a new thread per request so that it can give up; per-stage limits keep
    /// resolution on the calling thread, bounded by the system resolver's own timeouts (as
    /// `std::net::TcpStream::connect` is). `benches/aws-sdk` measures the difference.
    #[must_use]
    pub fn with_timeouts(stage: Duration, connect: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(connect))
            .timeout_send_request(Some(stage))
            .timeout_send_body(Some(stage))
            .timeout_recv_response(Some(stage))
            .timeout_recv_body(Some(stage))
            .build()
            .into();
        Self { agent }
    }
}

fn kind(error: &ureq::Error) -> TransportErrorKind {
    match error {
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => TransportErrorKind::Connect,
        ureq::Error::Io(e) => match e.kind() {
            std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::AddrNotAvailable
            | std::io::ErrorKind::HostUnreachable
            | std::io::ErrorKind::NetworkUnreachable => TransportErrorKind::Connect,
            std::io::ErrorKind::TimedOut => TransportErrorKind::Timeout,
            _ => TransportErrorKind::Io,
        },
        ureq::Error::Protocol(_) => TransportErrorKind::Io,
        ureq::Error::BodyExceedsLimit(_) => TransportErrorKind::TooLarge,
        _ => TransportErrorKind::Other,
    }
}

impl Transport for UreqTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        max_bytes: usize,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let fault = |e: ureq::Error| TransportError::new(kind(&e), e.to_string());
        let response = self.agent.run(request).map_err(fault)?;
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(u64::try_from(max_bytes).unwrap_or(u64::MAX))
            .read_to_vec()
            .map_err(fault)?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}
