//! Arbitrary bytes into the generated deserializers: every response type, every request type and
//! every nested structure and enum of every provider (`serde_json::from_slice`). Never a panic.
//! What parses is also serialized again (which must parse back), validated (request types) and
//! formatted; the bytes as text also go through every string enum (which keeps unknown values
//! unchanged) and every error enum's `from_code`. The bytes as an HTTP response (status, a
//! request-id header, body) go through every operation's `parse_response` (envelopes, error
//! bodies, request ids) and, when that succeeds, `summaries`; parsed requests go through
//! `to_http` with the bytes as the region.
#![no_main]

use crspec::{ecr, ecr_public, jdcloud, tcr};
use libfuzzer_sys::fuzz_target;

/// `from_slice` into `$ty`; on success, Debug, serialize, parse back, and validate (`v`).
macro_rules! decode {
    ($data:expr, $($ty:ty),+ $(,)?) => {$(
        if let Ok(value) = serde_json::from_slice::<$ty>($data) {
            roundtrip::<$ty>(&value);
        }
    )+};
    (validate $data:expr, $($ty:ty),+ $(,)?) => {$(
        if let Ok(value) = serde_json::from_slice::<$ty>($data) {
            roundtrip::<$ty>(&value);
            if let Err(e) = value.validate() {
                assert!(!e.violations().is_empty(), "a validation error without violations");
                let _ = e.to_string();
            }
        }
    )+};
    (to_http $data:expr, $region:expr, $($ty:ty),+ $(,)?) => {$(
        if let Ok(value) = serde_json::from_slice::<$ty>($data) {
            let endpoint = crspec::runtime::wire::Endpoint::region($region);
            match value.to_http(&endpoint) {
                Ok(request) => drop(format!("{request:?}")),
                Err(e) => drop(e.to_string()),
            }
        }
    )+};
}

fn roundtrip<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let _ = format!("{value:?}");
    if let Ok(json) = serde_json::to_vec(value)
        && let Err(e) = serde_json::from_slice::<T>(&json)
    {
        panic!(
            "{} does not read back its own JSON: {e}\n{}",
            std::any::type_name::<T>(),
            String::from_utf8_lossy(&json)
        );
    }
}

/// Every string enum keeps an unknown value and gives it back unchanged.
macro_rules! enums {
    ($text:expr, $($ty:ty),+ $(,)?) => {$(
        let value = <$ty>::from($text);
        assert_eq!(value.as_str(), $text, "{} changed the value", stringify!($ty));
        let _ = value.to_string();
        let _ = <$ty as std::str::FromStr>::from_str($text);
    )+};
}

macro_rules! errors {
    ($text:expr, $($ty:ty),+ $(,)?) => {$(
        let details = crspec::runtime::ErrorDetails::with_message(Some($text.to_owned()));
        let e = <$ty>::from_code($text, details);
        assert_eq!(e.code(), $text, "{}::from_code changed the code", stringify!($ty));
        let _ = (e.category(), e.http_status(), e.is_retryable(), e.message(), e.to_string());
    )+};
}

/// Every operation's `parse_response` on `response`, then `summaries` of what it read.
macro_rules! replies {
    ($response:expr, $($module:ident),+ $(,)?) => {$(
        match $module::DescribeImages::parse_response($response) {
            Ok(reply) => {
                let request = $module::DescribeImagesRequest::default();
                let summaries = $module::DescribeImages::summaries(&request, &reply.output);
                let _ = format!("{:?} {summaries:?}", reply.output);
            }
            Err(e) => drop(e.to_string()),
        }
    )+};
}

/// The bytes as an HTTP response: two bytes of status (100..=599), one byte of header length,
/// that many bytes of request-id header value (sent under every provider's header name), and
/// the body.
fn http_response(data: &[u8]) -> Option<crspec::runtime::http::Response<&[u8]>> {
    let (&[s0, s1, h], rest) = data.split_first_chunk::<3>()?;
    let status = 100 + u16::from_le_bytes([s0, s1]) % 500;
    let (header, body) = rest.split_at(usize::from(h % 64).min(rest.len()));
    let mut builder = crspec::runtime::http::Response::builder().status(status);
    if let Ok(value) = crspec::runtime::http::HeaderValue::from_bytes(header) {
        for name in ["x-amzn-RequestId", "X-TC-RequestId", "x-jdcloud-request-id"] {
            builder = builder.header(name, value.clone());
        }
    }
    builder.body(body).ok()
}

mod serde {
    pub use crspec::runtime::serde::{Serialize, de};
}

fuzz_target!(|data: &[u8]| {
    // Responses, and the structures and enums inside them.
    decode!(
        data,
        ecr::DescribeImagesResponse,
        ecr::ImageDetail,
        ecr::ImageScanStatus,
        ecr::ImageScanFindingsSummary,
        ecr::TagStatus,
        ecr::ImageStatusFilter,
        ecr::ImageStatus,
        ecr::ScanStatus,
        ecr::FindingSeverity,
        ecr_public::DescribeImagesResponse,
        ecr_public::ImageDetail,
        tcr::DescribeImagesResponse,
        tcr::TcrImageInfo,
        jdcloud::DescribeImagesResult,
        jdcloud::ImageDetail,
        jdcloud::FilterName,
        crspec::runtime::EpochSeconds,
        crspec::runtime::Rfc3339,
        crspec::runtime::TextTimestamp,
    );
    // Requests and the validated structures inside them.
    decode!(
        validate data,
        ecr::DescribeImagesRequest,
        ecr::ImageIdentifier,
        ecr::DescribeImagesFilter,
        ecr_public::DescribeImagesRequest,
        ecr_public::ImageIdentifier,
        tcr::DescribeImagesRequest,
        jdcloud::DescribeImagesRequest,
        jdcloud::Filter,
    );
    if let Some(response) = http_response(data) {
        replies!(&response, ecr, ecr_public, tcr, jdcloud);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        // Requests to HTTP, in a plain region or with the text itself as the region.
        let region = if data.len().is_multiple_of(2) {
            "us-east-1"
        } else {
            text
        };
        decode!(
            to_http data,
            region,
            ecr::DescribeImagesRequest,
            ecr_public::DescribeImagesRequest,
            tcr::DescribeImagesRequest,
            jdcloud::DescribeImagesRequest,
        );
        enums!(
            text,
            ecr::TagStatus,
            ecr::ImageStatusFilter,
            ecr::ImageStatus,
            ecr::ScanStatus,
            ecr::FindingSeverity,
            jdcloud::FilterName,
        );
        errors!(
            text,
            ecr::DescribeImagesError,
            ecr_public::DescribeImagesError,
            tcr::DescribeImagesError,
            jdcloud::DescribeImagesError,
        );
        let _ = crspec::runtime::error_category(text);
        if let Ok(t) = crspec::runtime::Rfc3339::parse(text) {
            let _ = t.to_string();
        }
        let _ = crspec::runtime::TextTimestamp::from(text.to_owned()).parse_rfc3339();
    }
});
