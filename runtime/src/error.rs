//! What generated operation errors carry.

use core::fmt;

/// The message and request id that came with an error response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorDetails {
    /// The provider's error message, if it sent one.
    pub message: Option<String>,
    /// The provider's request id, if it sent one.
    pub request_id: Option<String>,
}

impl ErrorDetails {
    /// Details with a message and no request id.
    #[must_use]
    pub fn with_message(message: Option<String>) -> Self {
        Self {
            message,
            request_id: None,
        }
    }
}

/// An error code the spec does not document, kept as the provider sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownError {
    /// The code exactly as the provider sent it.
    pub code: String,
    /// The HTTP status of the response, if known.
    pub http_status: Option<u16>,
    /// Message and request id.
    pub details: ErrorDetails,
}

impl fmt::Display for UnknownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)?;
        if let Some(message) = &self.details.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownError {}

/// The category of a dotted error code: the part before the first `.`
/// (`InternalError.DbError` → `InternalError`); a code without a dot is its own category.
#[must_use]
pub fn error_category(code: &str) -> &str {
    code.split_once('.').map_or(code, |(category, _)| category)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_is_the_part_before_the_first_dot() {
        assert_eq!(error_category("InternalError.DbError"), "InternalError");
        assert_eq!(error_category("A.B.C"), "A");
        assert_eq!(error_category("ServerException"), "ServerException");
        assert_eq!(error_category(""), "");
    }

    #[test]
    fn unknown_error_displays_code_and_message() {
        let e = UnknownError {
            code: "Throttling".into(),
            http_status: Some(400),
            details: ErrorDetails::with_message(Some("slow down".into())),
        };
        assert_eq!(e.to_string(), "Throttling: slow down");
        let e = UnknownError {
            code: "X".into(),
            http_status: None,
            details: ErrorDetails::default(),
        };
        assert_eq!(e.to_string(), "X");
    }
}
