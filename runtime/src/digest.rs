//! Content digests (`sha256:…`), decoded.

use core::fmt;
use core::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A content digest as registries write it, `algorithm:encoded` (the OCI image spec's
/// descriptor digest): `sha256:` or `sha512:` followed by lowercase hexadecimal is held as the
/// algorithm and its decoded bytes; any other text is kept as it came, so that nothing a
/// provider sends is lost or changed.
///
/// ```
/// use crspec_runtime::{Digest, DigestAlgorithm};
///
/// let text = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
/// let digest: Digest = text.parse().unwrap();
/// assert_eq!(digest.algorithm(), DigestAlgorithm::Sha256);
/// assert_eq!(digest.bytes().map(<[u8]>::len), Some(32));
/// assert_eq!(digest.to_string(), text);
///
/// let odd = Digest::from("md5:D41D8CD98F00B204E9800998ECF8427E");
/// assert_eq!(odd.algorithm(), DigestAlgorithm::Other);
/// assert_eq!(odd.bytes(), None);
/// assert_eq!(odd.to_string(), "md5:D41D8CD98F00B204E9800998ECF8427E");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(Repr);

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Repr {
    Sha256([u8; 32]),
    Sha512(Box<[u8; 64]>),
    Other(Box<str>),
}

/// The algorithm of a [`Digest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// `sha256`, with 32 decoded bytes.
    Sha256,
    /// `sha512`, with 64 decoded bytes.
    Sha512,
    /// Any other text, kept as it came (see [`Digest::as_other`]).
    Other,
}

impl Digest {
    /// The `sha256` digest of these bytes.
    #[must_use]
    pub const fn sha256(bytes: [u8; 32]) -> Self {
        Self(Repr::Sha256(bytes))
    }

    /// The `sha512` digest of these bytes.
    #[must_use]
    pub fn sha512(bytes: [u8; 64]) -> Self {
        Self(Repr::Sha512(Box::new(bytes)))
    }

    /// Reads a digest; text that is not `sha256:`/`sha512:` and lowercase hexadecimal of the
    /// right length is kept as it is.
    #[must_use]
    pub fn parse(text: &str) -> Self {
        Self::decode(text).unwrap_or_else(|| Self(Repr::Other(text.into())))
    }

    fn decode(text: &str) -> Option<Self> {
        Self::decode_bytes(text.as_bytes())
    }

    /// `sha256:`/`sha512:` and lowercase hex, from bytes (which then are ASCII).
    fn decode_bytes(text: &[u8]) -> Option<Self> {
        if let Some(hex) = text.strip_prefix(b"sha256:") {
            let mut bytes = [0u8; 32];
            decode_hex(hex, &mut bytes)?;
            Some(Self(Repr::Sha256(bytes)))
        } else if let Some(hex) = text.strip_prefix(b"sha512:") {
            let mut bytes = [0u8; 64];
            decode_hex(hex, &mut bytes)?;
            Some(Self(Repr::Sha512(Box::new(bytes))))
        } else {
            None
        }
    }

    /// The algorithm.
    #[must_use]
    pub const fn algorithm(&self) -> DigestAlgorithm {
        match self.0 {
            Repr::Sha256(_) => DigestAlgorithm::Sha256,
            Repr::Sha512(_) => DigestAlgorithm::Sha512,
            Repr::Other(_) => DigestAlgorithm::Other,
        }
    }

    /// The decoded bytes, for `sha256` and `sha512`.
    #[must_use]
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.0 {
            Repr::Sha256(b) => Some(b),
            Repr::Sha512(b) => Some(&**b),
            Repr::Other(_) => None,
        }
    }

    /// The decoded bytes of a `sha256` digest.
    #[must_use]
    pub const fn as_sha256(&self) -> Option<&[u8; 32]> {
        match &self.0 {
            Repr::Sha256(b) => Some(b),
            _ => None,
        }
    }

    /// The text of a digest that was not decoded.
    #[must_use]
    pub fn as_other(&self) -> Option<&str> {
        match &self.0 {
            Repr::Other(text) => Some(text),
            _ => None,
        }
    }
}

/// Decodes lowercase hexadecimal into exactly `out.len()` bytes, eight digits at a time as one
/// `u64` (a page of a thousand images carries a thousand 64-digit digests).
fn decode_hex(hex: &[u8], out: &mut [u8]) -> Option<()> {
    if hex.len() != out.len() * 2 || !out.len().is_multiple_of(4) {
        return None;
    }
    for (four, eight) in out.chunks_exact_mut(4).zip(hex.chunks_exact(8)) {
        let digits = u64::from_le_bytes(eight.try_into().ok()?);
        four.copy_from_slice(&decode_eight(digits)?.to_le_bytes());
    }
    Some(())
}

/// Eight lowercase hexadecimal digits (the first in the lowest byte) as four bytes, or `None`
/// when any of them is not one. Each byte is tested and converted on its own lane of the word:
/// with every byte below 0x80, adding or subtracting per-lane constants never carries or
/// borrows across lanes.
fn decode_eight(digits: u64) -> Option<u32> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    /// The high bit of each lane whose byte lies in `lo..=hi`.
    const fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
        let at_least_lo = x + ONES * (0x80 - lo as u64);
        let at_most_hi = ONES * (0x80 + hi as u64) - x;
        at_least_lo & at_most_hi & HIGH
    }
    if digits & HIGH != 0 {
        return None;
    }
    let decimal = in_range(digits, b'0', b'9');
    let letter = in_range(digits, b'a', b'f');
    if decimal | letter != HIGH {
        return None;
    }
    // '0'..='9' are 0x30..=0x39 and 'a'..='f' are 0x61..=0x66: the low nibble, plus 9 for a
    // letter.
    let nibbles = (digits & (ONES * 0x0f)) + (letter >> 7) * 9;
    // Each even lane takes its nibble as the high half and the next lane's as the low half;
    // then the even lanes are packed together.
    let pairs = ((nibbles << 4) | (nibbles >> 8)) & 0x00ff_00ff_00ff_00ff;
    let pairs = (pairs | (pairs >> 8)) & 0x0000_ffff_0000_ffff;
    #[allow(clippy::cast_possible_truncation)] // the four bytes are in the low half now
    Some((pairs | (pairs >> 16)) as u32)
}

impl fmt::Display for Digest {
    /// `algorithm:encoded`, exactly as the provider sent it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let (algorithm, bytes): (&str, &[u8]) = match &self.0 {
            Repr::Sha256(b) => ("sha256:", b),
            Repr::Sha512(b) => ("sha512:", &**b),
            Repr::Other(text) => return f.write_str(text),
        };
        // 7 + 128 characters at most: written at once, without allocating.
        let mut buf = [0u8; 7 + 128];
        buf[..7].copy_from_slice(algorithm.as_bytes());
        for (i, b) in bytes.iter().enumerate() {
            buf[7 + 2 * i] = HEX[usize::from(b >> 4)];
            buf[8 + 2 * i] = HEX[usize::from(b & 0xf)];
        }
        let text = core::str::from_utf8(&buf[..7 + 2 * bytes.len()]).map_err(|_| fmt::Error)?;
        f.write_str(text)
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({:?})", self.to_string())
    }
}

impl From<&str> for Digest {
    fn from(text: &str) -> Self {
        Self::parse(text)
    }
}

impl From<String> for Digest {
    /// Keeps the string itself when it is not decoded.
    fn from(text: String) -> Self {
        Self::decode(&text).unwrap_or_else(|| Self(Repr::Other(text.into_boxed_str())))
    }
}

impl FromStr for Digest {
    type Err = core::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(text))
    }
}

impl PartialEq<str> for Digest {
    /// Compares with the digest's text.
    fn eq(&self, other: &str) -> bool {
        match &self.0 {
            Repr::Other(text) => **text == *other,
            _ => Self::decode(other).is_some_and(|d| d == *self),
        }
    }
}

impl PartialEq<&str> for Digest {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Other(text) => serializer.serialize_str(text),
            _ => serializer.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DigestVisitor;

        impl Visitor<'_> for DigestVisitor {
            type Value = Digest;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a digest string")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Digest, E> {
                Ok(Digest::parse(v))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Digest, E> {
                Ok(Digest::from(v))
            }

            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Digest, E> {
                // A decodable digest is ASCII; anything else must be UTF-8 to be kept.
                if let Some(digest) = Digest::decode_bytes(v) {
                    return Ok(digest);
                }
                match core::str::from_utf8(v) {
                    Ok(text) => Ok(Digest(Repr::Other(text.into()))),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
                }
            }
        }

        // Asked for as bytes, so that the reader need not check UTF-8 first: a decodable digest
        // is checked by decoding it.
        deserializer.deserialize_bytes(DigestVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA256: &str = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    /// The reference: one digit at a time.
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        }
    }

    #[test]
    fn eight_digits_at_once_agree_with_one_at_a_time() {
        let decode = |digits: [u8; 8]| {
            let mut out = [0u8; 4];
            for (i, pair) in digits.chunks_exact(2).enumerate() {
                out[i] = nibble(pair[0])? << 4 | nibble(pair[1])?;
            }
            Some(u32::from_le_bytes(out))
        };
        // Every byte value in every position of an otherwise valid group...
        let base = *b"0a1b2c3f";
        for position in 0..8 {
            for byte in 0..=255u8 {
                let mut digits = base;
                digits[position] = byte;
                assert_eq!(
                    decode_eight(u64::from_le_bytes(digits)),
                    decode(digits),
                    "{digits:?}"
                );
            }
        }
        // ...and many mixed groups, valid and not (a xorshift stream over hex digits and
        // their neighbours).
        let alphabet = b"0123456789abcdef/:`gAF\x7f\x80\xff";
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits: [u8; 8] = core::array::from_fn(|i| {
                alphabet[usize::from((x >> (i * 8)) as u8) % alphabet.len()]
            });
            assert_eq!(
                decode_eight(u64::from_le_bytes(digits)),
                decode(digits),
                "{digits:?}"
            );
        }
    }

    #[test]
    fn canonical_digests_decode_and_print_back() {
        let d = Digest::parse(SHA256);
        assert_eq!(d.algorithm(), DigestAlgorithm::Sha256);
        assert_eq!(d.as_sha256().unwrap()[..3], [0x2c, 0x26, 0xb4]);
        assert_eq!(d.to_string(), SHA256);
        assert_eq!(d, *SHA256);
        let long = format!("sha512:{}", "0f".repeat(64));
        let d = Digest::parse(&long);
        assert_eq!(d.algorithm(), DigestAlgorithm::Sha512);
        assert_eq!(d.bytes(), Some(&[0x0f; 64][..]));
        assert_eq!(d.to_string(), long);
        assert_eq!(
            Digest::sha256([0xab; 32]).to_string(),
            format!("sha256:{}", "ab".repeat(32))
        );
    }

    #[test]
    fn anything_else_is_kept_as_it_came() {
        for text in [
            "",
            "sha256:",
            "sha256:2C26B46B68FFC68FF99B453C1D30413413422D706483BFA0F98A5E886266E7AE",
            &SHA256[..70],
            &format!("{SHA256}0"),
            "sha256:zz26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
            "SHA256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
            "blake3:abc",
            "sha256:é",
        ] {
            let d = Digest::parse(text);
            assert_eq!(d.algorithm(), DigestAlgorithm::Other, "{text:?}");
            assert_eq!(d.as_other(), Some(text));
            assert_eq!(d.to_string(), text);
            assert_eq!(Digest::from(text.to_owned()), d);
            assert_eq!(d, *text);
        }
    }

    #[test]
    fn serde_round_trips_the_text() {
        for text in [SHA256, "blake3:abc"] {
            let json = serde_json::to_string(text).unwrap();
            let d: Digest = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&d).unwrap(), json);
            let d: Digest = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(d.to_string(), text);
        }
        // Raw bytes that are not UTF-8 are an error, not a digest.
        let e = serde_json::from_slice::<Digest>(b"\"sha1:\xff\"").unwrap_err();
        assert!(e.to_string().contains("a digest string"), "{e}");
        let e = serde_json::from_str::<Digest>("[1, 2]").unwrap_err();
        assert!(e.to_string().contains("a digest string"), "{e}");
        let e = serde_json::from_str::<Digest>("12").unwrap_err();
        assert!(e.to_string().contains("a digest string"), "{e}");
        assert_eq!(format!("{:?}", Digest::parse("x")), "Digest(\"x\")");
    }
}
