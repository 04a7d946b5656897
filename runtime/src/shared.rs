//! Strings that repeat across a page, stored once.

use core::borrow::Borrow;
use core::cell::RefCell;
use core::fmt;
use core::ops::Deref;
use std::sync::Arc;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// An immutable string that is cheap to clone: the registry or repository name that every item
/// of a page repeats.
///
/// Deserializing one looks the value up among the last few values this thread deserialized, so
/// a page of a thousand images that all name the same repository holds the name once, not a
/// thousand times. Cloning shares the same allocation. It dereferences to `str`.
///
/// ```
/// use crspec_runtime::SharedStr;
///
/// let names: Vec<SharedStr> = serde_json::from_str(r#"["team/app", "team/app"]"#).unwrap();
/// assert_eq!(names[0], "team/app");
/// assert!(SharedStr::ptr_eq(&names[0], &names[1]));
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SharedStr(Arc<str>);

/// How many recent values each thread remembers while deserializing.
const RECENT: usize = 8;
/// Longer values are not remembered (names are short; this bounds what the cache holds).
const MAX_REMEMBERED_LEN: usize = 256;

struct Recent {
    slots: [Option<Arc<str>>; RECENT],
    next: usize,
}

thread_local! {
    static RECENT_VALUES: RefCell<Recent> = const {
        RefCell::new(Recent { slots: [const { None }; RECENT], next: 0 })
    };
}

impl SharedStr {
    /// The string.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `true` when both share one allocation.
    #[must_use]
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }

    /// A recently deserialized value equal to `value`, if this thread remembers one.
    fn recent(value: &[u8]) -> Option<Self> {
        RECENT_VALUES
            .try_with(|recent| {
                let recent = recent.try_borrow().ok()?;
                let hit = recent
                    .slots
                    .iter()
                    .flatten()
                    .find(|s| s.as_bytes() == value)?;
                Some(Self(Arc::clone(hit)))
            })
            .ok()
            .flatten()
    }

    /// The value, shared with a recently deserialized equal value when there is one.
    #[must_use]
    pub fn interned(value: &str) -> Self {
        Self::recent(value.as_bytes()).unwrap_or_else(|| Self::remember(value))
    }

    /// A new allocation of `value`, remembered (when short enough) for the values that follow.
    fn remember(value: &str) -> Self {
        let fresh = Self::from(value);
        if value.len() <= MAX_REMEMBERED_LEN {
            // Without the cache (the thread is being torn down, or it is borrowed) the value is
            // simply not remembered.
            let _ = RECENT_VALUES.try_with(|recent| {
                if let Ok(mut recent) = recent.try_borrow_mut() {
                    let at = recent.next;
                    recent.slots[at] = Some(Arc::clone(&fresh.0));
                    recent.next = (at + 1) % RECENT;
                }
            });
        }
        fresh
    }
}

impl Deref for SharedStr {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Default for SharedStr {
    fn default() -> Self {
        Self::from("")
    }
}

impl From<&str> for SharedStr {
    fn from(value: &str) -> Self {
        Self(Arc::from(value))
    }
}

impl From<String> for SharedStr {
    fn from(value: String) -> Self {
        Self(Arc::from(value))
    }
}

impl From<SharedStr> for String {
    fn from(value: SharedStr) -> Self {
        value.0.as_ref().to_owned()
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SharedVisitor;

        impl Visitor<'_> for SharedVisitor {
            type Value = SharedStr;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<SharedStr, E> {
                Ok(SharedStr::interned(v))
            }

            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<SharedStr, E> {
                // Equal to a remembered value: UTF-8 already, no need to check.
                if let Some(hit) = SharedStr::recent(v) {
                    return Ok(hit);
                }
                core::str::from_utf8(v)
                    .map(SharedStr::remember)
                    .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
            }
        }

        // Asked for as bytes, so that a repeated value is recognized without a UTF-8 check.
        deserializer.deserialize_bytes(SharedVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_share_one_allocation() {
        let page: Vec<SharedStr> = serde_json::from_str(r#"["a", "b", "a", "b", "a"]"#).unwrap();
        assert!(SharedStr::ptr_eq(&page[0], &page[2]));
        assert!(SharedStr::ptr_eq(&page[0], &page[4]));
        assert!(SharedStr::ptr_eq(&page[1], &page[3]));
        assert!(!SharedStr::ptr_eq(&page[0], &page[1]));
        assert_eq!(
            page.iter().map(SharedStr::as_str).collect::<String>(),
            "ababa"
        );
    }

    #[test]
    fn the_cache_is_bounded() {
        // More distinct values than remembered: the first is forgotten, values stay right.
        let values: Vec<String> = (0..=RECENT).map(|i| format!("repo-{i}")).collect();
        let first = SharedStr::interned(&values[0]);
        for v in &values[1..] {
            assert_eq!(SharedStr::interned(v), **v);
        }
        let again = SharedStr::interned(&values[0]);
        assert_eq!(again, first);
        assert!(!SharedStr::ptr_eq(&again, &first));
        // Long values are never remembered.
        let long = "x".repeat(MAX_REMEMBERED_LEN + 1);
        let (a, b) = (SharedStr::interned(&long), SharedStr::interned(&long));
        assert_eq!(a, b);
        assert!(!SharedStr::ptr_eq(&a, &b));
    }

    #[test]
    fn reads_and_writes_like_a_string() {
        let s = SharedStr::from("team/app");
        assert_eq!(serde_json::to_string(&s).unwrap(), r#""team/app""#);
        assert_eq!(format!("{s} {s:?}"), "team/app \"team/app\"");
        assert_eq!(String::from(s.clone()), "team/app");
        assert!(s.starts_with("team"));
        assert_eq!(s, "team/app".to_owned());
        let e = serde_json::from_slice::<SharedStr>(b"\"team/\xff\"").unwrap_err();
        assert!(e.to_string().contains("a string"), "{e}");
        let v: SharedStr = serde_json::from_value(serde_json::json!("team/app")).unwrap();
        assert_eq!(v, "team/app");
        let e = serde_json::from_str::<SharedStr>("1").unwrap_err();
        assert!(e.to_string().contains("a string"), "{e}");
    }
}
