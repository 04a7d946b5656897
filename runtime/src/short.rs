//! Short strings, inline.

use core::borrow::Borrow;
use core::fmt;
use core::ops::Deref;

use compact_str::CompactString;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A short string (an image tag, say) held inline when it fits in 24 bytes, and on the heap
/// otherwise: a page of a thousand images with a few tags each needs no allocation per tag. It
/// dereferences to `str`. The spec type `short_string`.
///
/// ```
/// use crspec_runtime::ShortStr;
///
/// let tags: Vec<ShortStr> = serde_json::from_str(r#"["latest", "release-2024.11.30"]"#).unwrap();
/// assert_eq!(tags, ["latest", "release-2024.11.30"]);
/// assert!(!tags[1].is_heap_allocated());
/// assert!(ShortStr::from("a tag of more than twenty-four bytes").is_heap_allocated());
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShortStr(CompactString);

impl ShortStr {
    /// The string `text`.
    #[must_use]
    pub fn new(text: &str) -> Self {
        Self(CompactString::new(text))
    }

    /// The string.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// `true` when the string did not fit inline.
    #[must_use]
    pub fn is_heap_allocated(&self) -> bool {
        self.0.is_heap_allocated()
    }
}

impl Deref for ShortStr {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ShortStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for ShortStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for ShortStr {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<&String> for ShortStr {
    fn from(text: &String) -> Self {
        Self::new(text)
    }
}

impl From<String> for ShortStr {
    fn from(text: String) -> Self {
        Self(CompactString::from(text))
    }
}

impl From<ShortStr> for String {
    fn from(text: ShortStr) -> Self {
        text.0.into_string()
    }
}

impl PartialEq<str> for ShortStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ShortStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for ShortStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<ShortStr> for str {
    fn eq(&self, other: &ShortStr) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<ShortStr> for &str {
    fn eq(&self, other: &ShortStr) -> bool {
        *self == other.as_str()
    }
}

impl fmt::Display for ShortStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ShortStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for ShortStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ShortStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ShortVisitor;

        impl Visitor<'_> for ShortVisitor {
            type Value = ShortStr;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<ShortStr, E> {
                Ok(ShortStr::new(v))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<ShortStr, E> {
                Ok(ShortStr::from(v))
            }

            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<ShortStr, E> {
                core::str::from_utf8(v)
                    .map(ShortStr::new)
                    .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
            }
        }

        deserializer.deserialize_str(ShortVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_writes_and_compares_like_a_string() {
        for text in [
            "",
            "v1",
            "exactly-twenty-four-byte",
            "twenty-five bytes exactly",
            "ünïcödé-tåg",
        ] {
            let short = ShortStr::from(text);
            assert_eq!(short, text);
            assert_eq!(text, short);
            assert_eq!(short.len(), text.len());
            assert_eq!(short.is_heap_allocated(), text.len() > 24, "{text}");
            let json = serde_json::to_string(&short).unwrap();
            assert_eq!(json, serde_json::to_string(text).unwrap());
            assert_eq!(serde_json::from_str::<ShortStr>(&json).unwrap(), short);
            assert_eq!(String::from(short.clone()), text);
            assert_eq!(format!("{short}|{short:?}"), format!("{text}|{text:?}"));
        }
        let escaped: ShortStr = serde_json::from_str(r#""a\"b\u00e9""#).unwrap();
        assert_eq!(escaped, "a\"bé");
        assert!(serde_json::from_str::<ShortStr>("1").is_err());
        let (a, b) = (ShortStr::from("a"), ShortStr::from("b"));
        assert!(a < b);
    }
}
