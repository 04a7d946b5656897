//! One view of an image across providers.

use time::OffsetDateTime;

use crate::{Digest, SharedStr, ShortStr};

/// An image as every provider can describe it. Generated code fills it from each provider's own
/// image type, as the spec's `summary` mapping says; a field the provider does not report is
/// `None` (or empty, for tags).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageSummary {
    /// The module (`provider.id`) the image came from: `ecr`, `ecr_public`, `tcr`, `jdcloud`,
    /// `oci`.
    pub provider: &'static str,
    /// The registry: an account id, an instance id or a registry name.
    pub registry: Option<SharedStr>,
    /// The repository.
    pub repository: Option<SharedStr>,
    /// The manifest digest (`sha256:…`), decoded.
    pub digest: Option<Digest>,
    /// Every tag of the image; empty for an untagged image.
    pub tags: Vec<ShortStr>,
    /// The size in bytes, converted from the provider's unit.
    pub size_bytes: Option<u64>,
    /// When the image was pushed. Timestamps sent as free text are read when they are RFC 3339.
    pub pushed_at: Option<OffsetDateTime>,
    /// The manifest media type.
    pub media_type: Option<String>,
}

/// Bytes in `value` units of `unit_bytes` bytes each, rounded to the nearest byte; `None` for a
/// negative, non-finite or too large value.
#[must_use]
pub fn size_in_bytes(value: f64, unit_bytes: u64) -> Option<u64> {
    #[allow(clippy::cast_precision_loss)] // units are small powers of 10 and 2
    let bytes = (value * unit_bytes as f64).round();
    // 2^64 as f64; anything at or above it does not fit.
    if !bytes.is_finite() || !(0.0..18_446_744_073_709_551_616.0).contains(&bytes) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked just above
    Some(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_convert_from_units_and_reject_what_is_not_a_size() {
        assert_eq!(size_in_bytes(12.75, 1_000_000), Some(12_750_000));
        assert_eq!(size_in_bytes(1.5, 1_048_576), Some(1_572_864));
        assert_eq!(size_in_bytes(0.0000004, 1_000_000), Some(0));
        assert_eq!(size_in_bytes(0.0000006, 1_000_000), Some(1));
        assert_eq!(size_in_bytes(-1.0, 1), None);
        assert_eq!(size_in_bytes(f64::NAN, 1), None);
        assert_eq!(size_in_bytes(f64::INFINITY, 1), None);
        assert_eq!(size_in_bytes(1e30, 1_000_000), None);
        assert_eq!(size_in_bytes(83_520_757.0, 1), Some(83_520_757));
    }
}
