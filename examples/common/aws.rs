//! What a user's own code adds to crspec's sans-IO requests for AWS: SigV4 signing (the
//! `aws-sigv4` crate) and an HTTP client (`ureq`). Shared by `examples/describe_images.rs` and
//! the live tests against moto (`tests/moto.rs`).

use std::error::Error;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use crspec::runtime::http;

/// Access key and secret for SigV4.
#[derive(Debug, Clone)]
pub struct Keys {
    /// The access key id.
    pub access_key: String,
    /// The secret access key.
    pub secret: String,
}

impl Keys {
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, or moto's placeholders.
    pub fn from_env_or_test() -> Self {
        Self {
            access_key: std::env::var("AWS_ACCESS_KEY_ID").unwrap_or_else(|_| "testing".into()),
            secret: std::env::var("AWS_SECRET_ACCESS_KEY").unwrap_or_else(|_| "testing".into()),
        }
    }
}

/// Signs `request` in place with SigV4 for `service` in `region`, exactly as built by crspec.
pub fn sign_v4(
    request: &mut http::Request<Vec<u8>>,
    keys: &Keys,
    region: &str,
    service: &str,
) -> Result<(), Box<dyn Error>> {
    let identity: Identity =
        Credentials::new(&keys.access_key, &keys.secret, None, None, "crspec").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()?
        .into();
    let headers = request
        .headers()
        .iter()
        .map(|(name, value)| Ok((name.as_str(), value.to_str()?)))
        .collect::<Result<Vec<_>, http::header::ToStrError>>()?;
    let uri = request.uri().to_string();
    let signable = SignableRequest::new(
        request.method().as_str(),
        uri,
        headers.into_iter(),
        SignableBody::Bytes(request.body()),
    )?;
    let (instructions, _signature) = sign(signable, &params)?.into_parts();
    instructions.apply_to_request_http1x(request);
    Ok(())
}

/// Sends `request` and reads the whole response; HTTP error statuses are responses, not errors.
pub fn send(request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Box<dyn Error>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let response = agent.run(request)?;
    let (parts, mut body) = response.into_parts();
    let bytes = body.read_to_vec()?;
    Ok(http::Response::from_parts(parts, bytes))
}
