//! String-set enums.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};

/// A generated string-set enum: a known value of the spec, or `Unknown(String)` for a value the
/// spec does not list (kept, and sent back unchanged).
pub trait StringEnum: Sized + for<'a> From<&'a str> {
    /// Every value the spec lists, in spec order.
    const VALUES: &'static [&'static str];

    /// The value as it travels on the wire.
    fn as_str(&self) -> &str;

    /// `true` for a value the spec does not list.
    fn is_unknown(&self) -> bool;
}

/// Deserializes a string into a [`StringEnum`], keeping values the spec does not list.
///
/// # Errors
///
/// Fails when the input is not a string.
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
    }

    deserializer.deserialize_str(EnumVisitor(PhantomData))
}
