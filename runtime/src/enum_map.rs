//! Maps keyed by a string-set enum.

use core::fmt;
use core::marker::PhantomData;
use core::ops::Index;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::StringEnum;

/// A map keyed by a string-set enum `K` with `N` known values (a spec's `map<SomeEnum, V>`, such
/// as ECR's counts of findings per severity).
///
/// The value of each known key has its own slot, so a map of known keys allocates nothing and
/// finds a key by its index; keys the spec does not list (`K::Unknown`) are kept too, in a
/// sorted list beside the slots. Iteration is in key order: the known keys in the spec's order,
/// then unknown keys by their text (the order of a `BTreeMap<K, V>`). Reading JSON, the last of
/// a repeated key wins, as with `BTreeMap` and `HashMap`.
///
/// `N` is the number of known values (`K::VALUES.len()`); generated code writes it, and a
/// mismatch does not compile.
///
/// ```
/// use crspec_runtime::{EnumMap, StringEnum};
///
/// // What crspec generates for `type: enum` with the values LOW and HIGH.
/// #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
/// enum Severity { Low, High, Unknown(String) }
/// # impl From<&str> for Severity {
/// #     fn from(v: &str) -> Self {
/// #         Self::known_from_bytes(v.as_bytes()).unwrap_or_else(|| Self::Unknown(v.into()))
/// #     }
/// # }
/// # impl StringEnum for Severity {
/// #     const VALUES: &'static [&'static str] = &["LOW", "HIGH"];
/// #     const KNOWN: &'static [Self] = &[Self::Low, Self::High];
/// #     fn known_from_bytes(b: &[u8]) -> Option<Self> {
/// #         match b { b"LOW" => Some(Self::Low), b"HIGH" => Some(Self::High), _ => None }
/// #     }
/// #     fn known_index(&self) -> Option<usize> {
/// #         match self { Self::Low => Some(0), Self::High => Some(1), Self::Unknown(_) => None }
/// #     }
/// #     fn as_str(&self) -> &str {
/// #         match self { Self::Low => "LOW", Self::High => "HIGH", Self::Unknown(v) => v }
/// #     }
/// #     fn is_unknown(&self) -> bool { matches!(self, Self::Unknown(_)) }
/// # }
/// # impl serde::Serialize for Severity {
/// #     fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
/// #         s.serialize_str(self.as_str())
/// #     }
/// # }
/// # impl<'de> serde::Deserialize<'de> for Severity {
/// #     fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
/// #         crspec_runtime::__private::deserialize_string_enum(d)
/// #     }
/// # }
///
/// let counts: EnumMap<Severity, i32, 2> =
///     serde_json::from_str(r#"{"HIGH": 2, "NEW_LEVEL": 1, "LOW": 7}"#).unwrap();
/// assert_eq!(counts.get(&Severity::High), Some(&2));
/// assert_eq!(counts[&Severity::Unknown("NEW_LEVEL".into())], 1);
/// let keys: Vec<&str> = counts.keys().map(|k| k.as_str()).collect();
/// assert_eq!(keys, ["LOW", "HIGH", "NEW_LEVEL"]);
/// assert_eq!(serde_json::to_string(&counts).unwrap(), r#"{"LOW":7,"HIGH":2,"NEW_LEVEL":1}"#);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EnumMap<K, V, const N: usize> {
    /// The value of `K::KNOWN[i]` in slot `i`.
    known: [Option<V>; N],
    /// Entries of unknown keys, sorted by key, each key once.
    unknown: Vec<(K, V)>,
}

impl<K: StringEnum + Ord, V, const N: usize> EnumMap<K, V, N> {
    /// An empty map.
    #[must_use]
    pub fn new() -> Self {
        const {
            assert!(
                N == K::KNOWN.len(),
                "N must be the number of known values of K"
            )
        };
        Self {
            known: [const { None }; N],
            unknown: Vec::new(),
        }
    }

    /// The number of entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.known.iter().filter(|slot| slot.is_some()).count() + self.unknown.len()
    }

    /// `true` when the map has no entry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.unknown.is_empty() && self.known.iter().all(Option::is_none)
    }

    /// The value of `key`.
    #[must_use]
    pub fn get(&self, key: &K) -> Option<&V> {
        match self.slot(key) {
            Ok(i) => self.known[i].as_ref(),
            Err(Ok(i)) => Some(&self.unknown[i].1),
            Err(Err(_)) => None,
        }
    }

    /// The value of `key`, to change it.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        match self.slot(key) {
            Ok(i) => self.known[i].as_mut(),
            Err(Ok(i)) => Some(&mut self.unknown[i].1),
            Err(Err(_)) => None,
        }
    }

    /// `true` when the map has `key`.
    #[must_use]
    pub fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// Sets the value of `key`, returning the value it had.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.slot(&key) {
            Ok(i) => self.known[i].replace(value),
            Err(Ok(i)) => Some(core::mem::replace(&mut self.unknown[i].1, value)),
            Err(Err(i)) => {
                self.unknown.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        match self.slot(key) {
            Ok(i) => self.known[i].take(),
            Err(Ok(i)) => Some(self.unknown.remove(i).1),
            Err(Err(_)) => None,
        }
    }

    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter {
            known: K::KNOWN.iter().zip(self.known.iter()),
            unknown: self.unknown.iter(),
        }
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.iter().map(|(key, _)| key)
    }

    /// The values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, value)| value)
    }

    /// `Ok(slot)` for a known key; for an unknown key, `Err(Ok(i))` where it is in the unknown
    /// list and `Err(Err(i))` where it would go.
    fn slot(&self, key: &K) -> Result<usize, Result<usize, usize>> {
        match key.known_index() {
            Some(i) if i < N => Ok(i),
            _ => Err(self.unknown.binary_search_by(|(k, _)| k.cmp(key))),
        }
    }

    /// Adds an entry while reading, without keeping the unknown list sorted
    /// ([`EnumMap::settle`] does that once at the end).
    fn push(&mut self, key: K, value: V) {
        match key.known_index() {
            Some(i) if i < N => self.known[i] = Some(value),
            _ => self.unknown.push((key, value)),
        }
    }

    /// Sorts the unknown entries and keeps the last of each repeated key.
    fn settle(&mut self) {
        if self.unknown.len() < 2 {
            return;
        }
        // Stable: repeated keys stay in arrival order, and the last one is kept.
        self.unknown.sort_by(|a, b| a.0.cmp(&b.0));
        let mut kept: Vec<(K, V)> = Vec::with_capacity(self.unknown.len());
        for entry in self.unknown.drain(..) {
            match kept.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => kept.push(entry),
            }
        }
        self.unknown = kept;
    }
}

impl<K: StringEnum + Ord, V, const N: usize> Default for EnumMap<K, V, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: StringEnum + Ord + fmt::Debug, V: fmt::Debug, const N: usize> fmt::Debug
    for EnumMap<K, V, N>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: StringEnum + Ord, V, const N: usize> Index<&K> for EnumMap<K, V, N> {
    type Output = V;

    /// The value of `key`.
    ///
    /// # Panics
    ///
    /// When the map does not have `key` (as `BTreeMap` does).
    fn index(&self, key: &K) -> &V {
        self.get(key).expect("no entry for this key")
    }
}

impl<K: StringEnum + Ord, V, const N: usize> FromIterator<(K, V)> for EnumMap<K, V, N> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut map = Self::new();
        map.extend(entries);
        map
    }
}

impl<K: StringEnum + Ord, V, const N: usize> Extend<(K, V)> for EnumMap<K, V, N> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, entries: I) {
        for (key, value) in entries {
            self.push(key, value);
        }
        self.settle();
    }
}

impl<'a, K: StringEnum + Ord, V, const N: usize> IntoIterator for &'a EnumMap<K, V, N> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The entries of an [`EnumMap`] in key order.
#[derive(Debug, Clone)]
pub struct Iter<'a, K, V> {
    known: core::iter::Zip<core::slice::Iter<'a, K>, core::slice::Iter<'a, Option<V>>>,
    unknown: core::slice::Iter<'a, (K, V)>,
}

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        for (key, slot) in self.known.by_ref() {
            if let Some(value) = slot {
                return Some((key, value));
            }
        }
        self.unknown.next().map(|(key, value)| (key, value))
    }
}

impl<K, V, const N: usize> Serialize for EnumMap<K, V, N>
where
    K: StringEnum + Ord + Serialize,
    V: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self.iter() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de, K, V, const N: usize> Deserialize<'de> for EnumMap<K, V, N>
where
    K: StringEnum + Ord + Deserialize<'de>,
    V: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V, const N: usize>(PhantomData<fn() -> (K, V)>);

        impl<'de, K, V, const N: usize> Visitor<'de> for MapVisitor<K, V, N>
        where
            K: StringEnum + Ord + Deserialize<'de>,
            V: Deserialize<'de>,
        {
            type Value = EnumMap<K, V, N>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = EnumMap::new();
                while let Some((key, value)) = access.next_entry()? {
                    map.push(key, value);
                }
                map.settle();
                Ok(map)
            }
        }

        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
    enum Level {
        Low,
        Mid,
        High,
        Unknown(String),
    }

    impl From<&str> for Level {
        fn from(value: &str) -> Self {
            Self::known_from_bytes(value.as_bytes()).unwrap_or_else(|| Self::Unknown(value.into()))
        }
    }

    impl StringEnum for Level {
        const VALUES: &'static [&'static str] = &["LOW", "MID", "HIGH"];
        const KNOWN: &'static [Self] = &[Self::Low, Self::Mid, Self::High];

        fn known_from_bytes(bytes: &[u8]) -> Option<Self> {
            match bytes {
                b"LOW" => Some(Self::Low),
                b"MID" => Some(Self::Mid),
                b"HIGH" => Some(Self::High),
                _ => None,
            }
        }

        fn known_index(&self) -> Option<usize> {
            match self {
                Self::Low => Some(0),
                Self::Mid => Some(1),
                Self::High => Some(2),
                Self::Unknown(_) => None,
            }
        }

        fn as_str(&self) -> &str {
            match self {
                Self::Low => "LOW",
                Self::Mid => "MID",
                Self::High => "HIGH",
                Self::Unknown(value) => value,
            }
        }

        fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }

    impl Serialize for Level {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }

    impl<'de> Deserialize<'de> for Level {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            crate::enums::deserialize_string_enum(deserializer)
        }
    }

    type Counts = EnumMap<Level, i32, 3>;

    fn unknown(text: &str) -> Level {
        Level::Unknown(text.into())
    }

    fn entries(map: &Counts) -> Vec<(Level, i32)> {
        map.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }

    #[test]
    fn behaves_like_a_btree_map_of_the_same_entries() {
        let mut map = Counts::new();
        let mut model = std::collections::BTreeMap::new();
        assert!(map.is_empty());
        let keys = [
            Level::High,
            unknown("ZED"),
            Level::Low,
            unknown("ALPHA"),
            Level::High,
        ];
        for (value, key) in (1..).zip(keys.iter().cycle().take(12)) {
            assert_eq!(
                map.insert(key.clone(), value),
                model.insert(key.clone(), value)
            );
            assert_eq!(map.len(), model.len());
        }
        assert_eq!(entries(&map), model.clone().into_iter().collect::<Vec<_>>());
        for key in [
            Level::Low,
            Level::Mid,
            Level::High,
            unknown("ALPHA"),
            unknown("BETA"),
        ] {
            assert_eq!(map.get(&key), model.get(&key), "{key:?}");
            assert_eq!(map.contains_key(&key), model.contains_key(&key));
        }
        *map.get_mut(&unknown("ZED")).unwrap() += 100;
        *model.get_mut(&unknown("ZED")).unwrap() += 100;
        assert_eq!(map[&unknown("ZED")], model[&unknown("ZED")]);
        for key in [Level::High, unknown("ALPHA"), Level::Mid, unknown("NOPE")] {
            assert_eq!(map.remove(&key), model.remove(&key), "{key:?}");
        }
        let expected: Vec<(Level, i32)> = model.into_iter().collect();
        assert_eq!(entries(&map), expected);
        assert_eq!(
            map.keys().cloned().collect::<Vec<_>>(),
            [Level::Low, unknown("ZED")]
        );
        let values: Vec<i32> = expected.iter().map(|(_, v)| *v).collect();
        assert_eq!(map.values().copied().collect::<Vec<_>>(), values);
    }

    #[test]
    fn reads_any_order_keeps_the_last_of_a_repeated_key_and_writes_in_key_order() {
        let read: Counts = serde_json::from_str(
            r#"{"ZED": 1, "HIGH": 2, "ALPHA": 3, "ZED": 4, "HIGH": 5, "LOW": 6}"#,
        )
        .unwrap();
        assert_eq!(
            entries(&read),
            [
                (Level::Low, 6),
                (Level::High, 5),
                (unknown("ALPHA"), 3),
                (unknown("ZED"), 4)
            ]
        );
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r#"{"LOW":6,"HIGH":5,"ALPHA":3,"ZED":4}"#
        );
        let same: Counts =
            serde_json::from_str(r#"{"ALPHA": 3, "ZED": 4, "LOW": 6, "HIGH": 5}"#).unwrap();
        assert_eq!(read, same);
        assert_eq!(
            format!("{same:?}"),
            r#"{Low: 6, High: 5, Unknown("ALPHA"): 3, Unknown("ZED"): 4}"#
        );
        let empty: Counts = serde_json::from_str("{}").unwrap();
        assert!(empty.is_empty() && empty == Counts::default());
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
    }

    #[test]
    fn many_unknown_keys_read_in_n_log_n() {
        // 20,000 distinct unknown keys and each repeated: sorting, not a search per key.
        let mut body = String::from("{");
        for round in 0..2 {
            for i in 0..20_000 {
                body.push_str(&format!(r#""K{i:05}": {round},"#));
            }
        }
        body.push_str(r#""MID": 1}"#);
        let read: Counts = serde_json::from_str(&body).unwrap();
        assert_eq!(read.len(), 20_001);
        assert_eq!(read[&unknown("K12345")], 1);
        assert!(
            read.keys()
                .skip(1)
                .zip(read.keys().skip(2))
                .all(|(a, b)| a < b)
        );
    }

    #[test]
    fn wrong_input_is_an_error() {
        assert!(serde_json::from_str::<Counts>(r#"{"LOW": "x"}"#).is_err());
        assert!(serde_json::from_str::<Counts>(r#"[["LOW", 1]]"#).is_err());
        assert!(serde_json::from_str::<Counts>("null").is_err());
        let from: Counts = [
            (Level::Mid, 1),
            (unknown("B"), 2),
            (unknown("A"), 3),
            (Level::Mid, 4),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            entries(&from),
            [(Level::Mid, 4), (unknown("A"), 3), (unknown("B"), 2)]
        );
    }
}
