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

/// Each byte's value as a lowercase hexadecimal digit, or `0xff`.
const NIBBLE: [u8; 256] = {
    let mut table = [0xffu8; 256];
    let mut c = 0;
    while c < 10 {
        table[b'0' as usize + c] = c as u8;
        c += 1;
    }
    let mut c = 0;
    while c < 6 {
        table[b'a' as usize + c] = 10 + c as u8;
        c += 1;
    }
    table
};

/// Decodes lowercase hexadecimal into exactly `out.len()` bytes.
fn decode_hex(hex: &[u8], out: &mut [u8]) -> Option<()> {
    if hex.len() != out.len() * 2 {
        return None;
    }
    // Decode everything, then check once: a branch per digit would cost more than the table.
    let mut invalid = 0u8;
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let (hi, lo) = (NIBBLE[usize::from(pair[0])], NIBBLE[usize::from(pair[1])]);
        invalid |= (hi | lo) & 0xf0;
        *byte = (hi << 4) | (lo & 0x0f);
    }
    (invalid == 0).then_some(())
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
