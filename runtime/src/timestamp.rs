//! Timestamps in each provider's wire format.
//!
//! Each type wraps a [`time::OffsetDateTime`] (or, for [`TextTimestamp`], the text as sent) and
//! reads and writes exactly one wire format, so `Option<T>`, `Vec<T>` and map values need no
//! `#[serde(with)]` plumbing in generated code.

use core::fmt;
use core::num::NonZeroU32;

use crate::rfc3339::NotRfc3339;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use time::OffsetDateTime;

/// Why a wire value is not a timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError(String);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TimestampError {}

/// A timestamp sent as seconds since the Unix epoch, with an optional fraction
/// (`1670371455.123`): the AWS JSON protocols' format.
///
/// It holds the seconds and nanoseconds as read, checked to lie in the years -9999..=9999, and
/// builds the calendar date only when asked ([`EpochSeconds::get`]): a page of a thousand images
/// carries four thousand of these, most never looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EpochSeconds {
    secs: i64,
    /// Nanoseconds plus one: never zero, so `Option<EpochSeconds>` is as small as the value
    /// (16 bytes); the order is that of the nanoseconds.
    nanos_plus_one: NonZeroU32,
}

/// -9999-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range of `time` without large dates.
const MIN_SECS: i64 = -377_705_116_800;
const MAX_SECS: i64 = 253_402_300_799;

impl EpochSeconds {
    /// The instant as a [`time::OffsetDateTime`] in UTC.
    #[must_use]
    pub fn get(self) -> OffsetDateTime {
        // Both parts are in range by construction, so this never falls back.
        OffsetDateTime::from_unix_timestamp(self.secs)
            .and_then(|at| at.replace_nanosecond(self.nanoseconds()))
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// Whole seconds since the epoch (rounded down).
    #[must_use]
    pub const fn unix_seconds(self) -> i64 {
        self.secs
    }

    /// Nanoseconds past [`EpochSeconds::unix_seconds`], `0..1_000_000_000`.
    #[must_use]
    pub const fn nanoseconds(self) -> u32 {
        self.nanos_plus_one.get() - 1
    }

    /// The instant `secs` seconds and `nanos` nanoseconds after the epoch.
    ///
    /// # Errors
    ///
    /// Fails for `nanos` of a second or more, and instants outside the years -9999..=9999.
    pub fn new(secs: i64, nanos: u32) -> Result<Self, TimestampError> {
        if nanos >= 1_000_000_000 {
            return Err(TimestampError(format!(
                "{nanos} nanoseconds is not less than a second"
            )));
        }
        if !(MIN_SECS..=MAX_SECS).contains(&secs) {
            return Err(out_of_range(secs));
        }
        match NonZeroU32::new(nanos + 1) {
            Some(nanos_plus_one) => Ok(Self {
                secs,
                nanos_plus_one,
            }),
            None => Err(out_of_range(secs)),
        }
    }

    /// The instant `seconds` after the epoch. The fraction is rounded to the microsecond (half a
    /// microsecond up): an `f64` of present-day epoch seconds holds about seven fractional
    /// digits, so finer digits would be noise (`1670371455.123` must read as 123 ms, not
    /// 122.999906 ms).
    ///
    /// # Errors
    ///
    /// Fails for NaN, infinities, and instants outside the years -9999..=9999.
    pub fn from_seconds_f64(seconds: f64) -> Result<Self, TimestampError> {
        if !seconds.is_finite() {
            return Err(TimestampError(format!(
                "{seconds} is not a number of seconds"
            )));
        }
        // Anything outside ±2^62 s is far outside the range anyway.
        if seconds.abs() > 4.6e18 {
            return Err(out_of_range(seconds));
        }
        let (secs, micros) = split_seconds(seconds);
        Self::new(secs, micros * 1000).map_err(|_| out_of_range(seconds))
    }

    /// Seconds since the epoch, with the fraction.
    #[must_use]
    pub fn as_seconds_f64(self) -> f64 {
        #[allow(clippy::cast_precision_loss)] // f64 is the wire format
        let secs = self.secs as f64;
        secs + f64::from(self.nanoseconds()) / 1e9
    }
}

/// `seconds` (finite, of magnitude below 2^62) as whole seconds rounded down and the
/// microseconds of the rest rounded half up, computed exactly from the bits of the `f64` with
/// integer arithmetic: no float-to-integer round trips (each a long-latency instruction, and
/// `floor` and `round` calls into libm without SSE4.1), and no rounding before the last step.
fn split_seconds(seconds: f64) -> (i64, u32) {
    const MICROS: u128 = 1_000_000;
    let bits = seconds.to_bits();
    let negative = bits >> 63 == 1;
    #[allow(clippy::cast_possible_truncation)] // 11 bits
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // |seconds| = mantissa / 2^shift exactly.
    let (mantissa, shift) = if biased == 0 {
        (fraction, 1074)
    } else {
        (fraction | (1 << 52), 1075 - biased)
    };
    let (whole, rest) = match u32::try_from(shift) {
        // A whole number: |seconds| < 2^62 keeps the shift left within 64 bits.
        Err(_) | Ok(0) => (mantissa << shift.unsigned_abs(), 0),
        // Below 2^-47 s: the rest is no microsecond, either way.
        Ok(101..) => (0, 0),
        Ok(shift) => (
            mantissa.checked_shr(shift).unwrap_or(0),
            u128::from(mantissa) & ((1 << shift) - 1),
        ),
    };
    #[allow(clippy::cast_possible_wrap)] // below 2^62
    let whole = whole as i64;
    let half = |shift: u32| 1u128 << (shift - 1);
    let (secs, micros) = match u32::try_from(shift) {
        Ok(shift @ 1..=100) if rest != 0 => {
            let unit = 1u128 << shift;
            if negative {
                // -(whole + rest/unit) = -(whole + 1) + (unit - rest)/unit
                (-whole - 1, ((unit - rest) * MICROS + half(shift)) >> shift)
            } else {
                (whole, (rest * MICROS + half(shift)) >> shift)
            }
        }
        _ => (if negative { -whole } else { whole }, 0),
    };
    #[allow(clippy::cast_possible_truncation)] // at most 10^6
    let micros = micros as u32;
    if micros == 1_000_000 {
        (secs + 1, 0)
    } else {
        (secs, micros)
    }
}

fn out_of_range(seconds: impl fmt::Display) -> TimestampError {
    TimestampError(format!(
        "{seconds} seconds since the epoch is outside the years -9999..=9999"
    ))
}

impl From<OffsetDateTime> for EpochSeconds {
    /// The same instant; one outside the years -9999..=9999 (possible only with `time`'s
    /// `large-dates`) is clamped to the nearest end of that range.
    fn from(at: OffsetDateTime) -> Self {
        let secs = at.unix_timestamp().clamp(MIN_SECS, MAX_SECS);
        // `time` keeps nanoseconds below 10^9, so the sum is never zero (nor overflows).
        Self::new(secs, at.nanosecond()).unwrap_or(Self {
            secs,
            nanos_plus_one: NonZeroU32::MIN,
        })
    }
}

impl fmt::Display for EpochSeconds {
    /// RFC 3339, in UTC.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_rfc3339(self.get(), f)
    }
}

impl Serialize for EpochSeconds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.nanoseconds() == 0 {
            serializer.serialize_i64(self.secs)
        } else {
            serializer.serialize_f64(self.as_seconds_f64())
        }
    }
}

impl<'de> Deserialize<'de> for EpochSeconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EpochVisitor;

        impl Visitor<'_> for EpochVisitor {
            type Value = EpochSeconds;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("seconds since the Unix epoch (a number)")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<EpochSeconds, E> {
                EpochSeconds::new(v, 0).map_err(E::custom)
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<EpochSeconds, E> {
                i64::try_from(v)
                    .map_err(|_| E::custom(out_of_range(v)))
                    .and_then(|v| self.visit_i64(v))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<EpochSeconds, E> {
                EpochSeconds::from_seconds_f64(v).map_err(E::custom)
            }
        }

        deserializer.deserialize_any(EpochVisitor)
    }
}

/// A timestamp sent as an RFC 3339 string (`2022-08-06T07:31:01.207374Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rfc3339(pub OffsetDateTime);

impl Rfc3339 {
    /// The instant as a [`time::OffsetDateTime`], with the offset it was sent with.
    #[must_use]
    pub const fn get(self) -> OffsetDateTime {
        self.0
    }

    /// Parses an RFC 3339 string.
    ///
    /// # Errors
    ///
    /// Fails when `text` is not RFC 3339.
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        crate::rfc3339::parse(text)
            .map(Self)
            .map_err(|e| TimestampError(format!("{text:?} is not an RFC 3339 timestamp: {e}")))
    }
}

impl From<OffsetDateTime> for Rfc3339 {
    fn from(at: OffsetDateTime) -> Self {
        Self(at)
    }
}

fn fmt_rfc3339(at: OffsetDateTime, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    // Only years outside 0..=9999 (and offsets with seconds) cannot be written as RFC 3339.
    crate::rfc3339::write(at, f).unwrap_or_else(|NotRfc3339| write!(f, "{at}"))
}

impl fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_rfc3339(self.0, f)
    }
}

impl Serialize for Rfc3339 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = String::with_capacity(35);
        match crate::rfc3339::write(self.0, &mut text) {
            Ok(written) => written.map_err(serde::ser::Error::custom)?,
            Err(NotRfc3339) => {
                return Err(serde::ser::Error::custom(format!(
                    "{} has no RFC 3339 form (a year outside 0..=9999, or an offset with seconds)",
                    self.0
                )));
            }
        }
        serializer.serialize_str(&text)
    }
}

impl<'de> Deserialize<'de> for Rfc3339 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Rfc3339Visitor;

        impl Visitor<'_> for Rfc3339Visitor {
            type Value = Rfc3339;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp string")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Rfc3339, E> {
                Rfc3339::parse(v).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(Rfc3339Visitor)
    }
}

/// A timestamp kept exactly as the provider sent it, for APIs that document a time as a string
/// without a format (JD Cloud). [`TextTimestamp::parse_rfc3339`] reads it when it is RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextTimestamp(pub String);

impl Serialize for TextTimestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for TextTimestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

impl TextTimestamp {
    /// The text as sent.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The instant, when the text is RFC 3339.
    ///
    /// # Errors
    ///
    /// Fails when the text is not RFC 3339.
    pub fn parse_rfc3339(&self) -> Result<OffsetDateTime, TimestampError> {
        Rfc3339::parse(&self.0).map(Rfc3339::get)
    }
}

impl fmt::Display for TextTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for TextTimestamp {
    fn from(text: String) -> Self {
        Self(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_read_integers_and_fractions() {
        let t: EpochSeconds = serde_json::from_str("1670371455").unwrap();
        assert_eq!(t.get().unix_timestamp(), 1_670_371_455);
        assert_eq!(t.get().nanosecond(), 0);
        let t: EpochSeconds = serde_json::from_str("1670371455.123").unwrap();
        assert_eq!(t.get().unix_timestamp(), 1_670_371_455);
        assert_eq!(t.get().millisecond(), 123);
        let t: EpochSeconds = serde_json::from_str("-1.5").unwrap();
        assert_eq!(t.get().unix_timestamp(), -2);
        assert_eq!(t.get().millisecond(), 500);
        assert_eq!(t.to_string(), "1969-12-31T23:59:58.5Z");
    }

    #[test]
    fn epoch_seconds_round_trip_the_same_number() {
        for text in [
            "1670371455",
            "1670371455.123",
            "1.7e9",
            "0.000001",
            "0.0000004",
            "1700000000.999999",
        ] {
            let t: EpochSeconds = serde_json::from_str(text).unwrap();
            let back = serde_json::to_string(&t).unwrap();
            let a: f64 = text.parse().unwrap();
            let b: f64 = back.parse().unwrap();
            assert!((a - b).abs() < 1e-6, "{text} -> {back}");
        }
    }

    /// The exact split, from the bits, agrees with one read off the exact decimal expansion of
    /// the same `f64` (Rust prints every digit when asked for enough).
    #[test]
    fn epoch_seconds_split_exactly() {
        fn reference(seconds: f64) -> (i64, u32) {
            let text = format!("{:.1100}", seconds.abs());
            let (whole, digits) = text.split_once('.').unwrap();
            let whole: i64 = whole.parse().unwrap();
            let digits = digits.as_bytes();
            let first6: u32 = std::str::from_utf8(&digits[..6]).unwrap().parse().unwrap();
            let d7 = digits[6] - b'0';
            let rest_nonzero = digits[7..].iter().any(|&d| d != b'0');
            let fraction_nonzero = first6 != 0 || d7 != 0 || rest_nonzero;
            let (secs, micros) = if seconds.is_sign_negative() && fraction_nonzero {
                // (1 - f) rounded half up is 1 - (f rounded half down).
                let down = first6 + u32::from(d7 > 5 || (d7 == 5 && rest_nonzero));
                (-whole - 1, 1_000_000 - down)
            } else {
                let sign = if seconds.is_sign_negative() { -1 } else { 1 };
                (sign * whole, first6 + u32::from(d7 >= 5))
            };
            if micros == 1_000_000 {
                (secs + 1, 0)
            } else {
                (secs, micros)
            }
        }
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            -0.5,
            0.000_000_5,
            -0.000_000_5,
            0.000_001_5,
            0.999_999_5,
            -0.999_999_5,
            1.0 / 128.0,
            -1.0 / 128.0,
            3.0 / 128.0,
            1e-30,
            -1e-30,
            f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            1_670_371_455.123,
            -1_670_371_455.123,
            1_700_000_000.999_999_9,
            4.5e18,
            -4.5e18,
            9_007_199_254_740_993.0,
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            #[allow(clippy::cast_precision_loss)]
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64; // 0..1
            let scale = [1e-6, 1.0, 1e3, 1e9, 2e10][usize::try_from(x % 5).unwrap()];
            values.push((unit - 0.5) * 2.0 * scale);
            // Exact halves of a microsecond at whole multiples of 1/128 s.
            #[allow(clippy::cast_precision_loss)]
            values.push((x % 1_000_000) as f64 / 128.0 - 3000.0);
        }
        for seconds in values {
            assert_eq!(split_seconds(seconds), reference(seconds), "{seconds:?}");
        }
        // What the wire sends: three decimals read as whole milliseconds.
        let t = EpochSeconds::from_seconds_f64(1_670_371_455.123).unwrap();
        assert_eq!(
            (t.unix_seconds(), t.nanoseconds()),
            (1_670_371_455, 123_000_000)
        );
    }

    #[test]
    fn epoch_seconds_reject_what_is_not_an_instant() {
        for text in [
            "1e300",
            "-1e300",
            "\"1670371455\"",
            "null",
            "true",
            "99999999999999",
        ] {
            let err = serde_json::from_str::<EpochSeconds>(text).unwrap_err();
            assert!(!err.to_string().is_empty(), "{text}");
        }
        assert!(EpochSeconds::from_seconds_f64(f64::NAN).is_err());
        assert!(EpochSeconds::from_seconds_f64(f64::INFINITY).is_err());
        assert!(serde_json::from_str::<EpochSeconds>("18446744073709551615").is_err());
    }

    #[test]
    fn rfc3339_round_trips_the_tcr_example() {
        let t: Rfc3339 = serde_json::from_str("\"2022-08-06T07:31:01.207374Z\"").unwrap();
        assert_eq!(t.get().microsecond(), 207_374);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2022-08-06T07:31:01.207374Z\""
        );
        assert!(serde_json::from_str::<Rfc3339>("\"2022-08-06 07:31:01\"").is_err());
        assert!(serde_json::from_str::<Rfc3339>("1").is_err());
    }

    #[test]
    fn text_timestamps_keep_the_text() {
        let t: TextTimestamp = serde_json::from_str("\"2019-12-05 09:27:24\"").unwrap();
        assert_eq!(t.as_str(), "2019-12-05 09:27:24");
        assert!(t.parse_rfc3339().is_err());
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2019-12-05 09:27:24\""
        );
        let t = TextTimestamp::from("2019-12-05T09:27:24Z".to_owned());
        assert_eq!(t.parse_rfc3339().unwrap().unix_timestamp(), 1_575_538_044);
    }

    #[test]
    fn epoch_seconds_hold_the_whole_range_and_nothing_past_it() {
        let first = EpochSeconds::new(MIN_SECS, 0).unwrap();
        assert_eq!((first.get().year(), first.get().ordinal()), (-9999, 1));
        let last = EpochSeconds::new(MAX_SECS, 999_999_999).unwrap();
        assert_eq!(last.get().year(), 9999);
        assert_eq!(last.get().nanosecond(), 999_999_999);
        assert!(EpochSeconds::new(MIN_SECS - 1, 0).is_err());
        assert!(EpochSeconds::new(MAX_SECS + 1, 0).is_err());
        assert!(EpochSeconds::new(0, 1_000_000_000).is_err());
        assert!(serde_json::from_str::<EpochSeconds>("253402300800").is_err());
        let t: EpochSeconds = serde_json::from_str("1670371455.25").unwrap();
        assert_eq!(
            (t.unix_seconds(), t.nanoseconds()),
            (1_670_371_455, 250_000_000)
        );
        assert_eq!(EpochSeconds::from(t.get()), t);
        assert!(first < t && t < last);
        assert!(EpochSeconds::new(5, 1).unwrap() > EpochSeconds::new(5, 0).unwrap());
        assert_eq!(
            size_of::<Option<EpochSeconds>>(),
            size_of::<EpochSeconds>(),
            "the niche keeps optional timestamps small"
        );
    }
}
