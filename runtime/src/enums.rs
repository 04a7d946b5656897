//! String-set enums.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};

/// A generated string-set enum: a known value of the spec, or `Unknown(String)` for a value the
/// spec does not list (kept, and sent back unchanged).
pub trait StringEnum: Sized + 'static + for<'a> From<&'a str> {
    /// Every value the spec lists, in spec order: the wire text of each of [`StringEnum::KNOWN`].
    const VALUES: &'static [&'static str];

    /// Every known value, in spec order.
    const KNOWN: &'static [Self];

    /// The known value whose wire text is `bytes`, if any.
    fn known_from_bytes(bytes: &[u8]) -> Option<Self>;

    /// The index of a known value in [`StringEnum::KNOWN`]; `None` for `Unknown`.
    fn known_index(&self) -> Option<usize>;

    /// The value as it travels on the wire.
    fn as_str(&self) -> &str;

    /// `true` for a value the spec does not list.
    fn is_unknown(&self) -> bool;
}

/// Deserializes a string into a [`StringEnum`], keeping values the spec does not list.
///
/// The string is asked for as bytes: a known value is recognized by comparing bytes, so the
/// reader need not check it for UTF-8 first (`serde_json` then skips that pass); any other value
/// must be UTF-8, and is kept.
///
/// # Errors
///
/// Fails when the input is not a string, or not UTF-8.
pub fn deserialize_string_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: StringEnum,
{
    struct EnumVisitor<T>(PhantomData<T>);

    impl<T: StringEnum> Visitor<'_> for EnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }

        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<T, E> {
            if let Some(known) = T::known_from_bytes(v) {
                return Ok(known);
            }
            core::str::from_utf8(v)
                .map(T::from)
                .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
        }
    }

    // A path tracker records a map key only when it is read as a string.
    if crate::structs::key_names_tracked() {
        deserializer.deserialize_str(EnumVisitor(PhantomData))
    } else {
        deserializer.deserialize_bytes(EnumVisitor(PhantomData))
    }
}
