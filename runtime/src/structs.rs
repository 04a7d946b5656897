//! What the `Serialize` and `Deserialize` impls of generated structures call.
//!
//! crspec writes these impls itself rather than deriving them, so that a crate using generated
//! code builds neither `serde_derive` nor `syn`, and so that member names are matched as bytes: `serde_json`
//! then hands a key over without checking it for UTF-8 (a key that matches a member is ASCII, and
//! any other key is skipped). The impls read JSON objects, skip unknown members, keep the last
//! of a member that appears twice (the duplicate-key policy of every body crspec reads: see
//! [`crate::wire::parse_response`]), and name a required member that is missing, with the
//! message `#[derive(Deserialize)]` would give.
//!
//! # Error paths
//!
//! [`serde_path_to_error`](https://docs.rs/serde_path_to_error) records a key only when it is
//! read as a string. [`track_key_names`] switches the generated impls to string keys for as long
//! as its guard lives; [`crate::wire::parse_response`] does this when it reads a body a second
//! time to name the place of an error. String-set enums, which may be map keys, follow the same
//! switch.
//!
//! # Item budget
//!
//! [`limit_items`] caps how many structures generated impls on this thread may read for as long
//! as its guard lives: [`key`] counts one at the end of each structure, and fails once the budget
//! is spent. [`crate::wire::parse_response_with`] sets it from its
//! [`Limits`](crate::wire::Limits), so that a small body of many empty objects cannot become a
//! large output. Without a guard, reading is not limited.

use core::cell::Cell;
use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};

thread_local! {
    static KEY_NAMES: Cell<bool> = const { Cell::new(false) };
    static ITEMS: Cell<Budget> = const { Cell::new(Budget::Unlimited) };
}

/// How many more structures generated impls on this thread may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Budget {
    /// No [`ItemBudget`] lives.
    Unlimited,
    /// This many more.
    Left(usize),
    /// One more than the budget was asked for: reading failed.
    Exceeded,
}

/// While alive, generated impls on this thread read at most the number of structures it was
/// made with (see the [module documentation](self)); dropping it restores the previous budget.
#[must_use = "structures are counted only while the guard lives"]
#[derive(Debug)]
pub(crate) struct ItemBudget {
    previous: Budget,
}

impl ItemBudget {
    /// `true` when a read on this thread failed because it asked for more structures than the
    /// budget.
    pub(crate) fn exceeded(&self) -> bool {
        ITEMS.with(Cell::get) == Budget::Exceeded
    }
}

impl Drop for ItemBudget {
    fn drop(&mut self) {
        ITEMS.with(|items| items.set(self.previous));
    }
}

/// Lets generated impls on this thread read at most `max` structures until the guard drops.
pub(crate) fn limit_items(max: usize) -> ItemBudget {
    ItemBudget {
        previous: ITEMS.with(|items| items.replace(Budget::Left(max))),
    }
}

/// The message of the error [`key`] returns when the budget is spent.
pub(crate) const TOO_MANY_ITEMS: &str = "more structures than the item limit";

/// Counts one structure read against the budget.
///
/// # Errors
///
/// [`TOO_MANY_ITEMS`] once the budget is spent.
#[inline]
fn count_item<E: de::Error>() -> Result<(), E> {
    ITEMS.with(|items| match items.get() {
        Budget::Unlimited => Ok(()),
        Budget::Left(left) if left > 0 => {
            items.set(Budget::Left(left - 1));
            Ok(())
        }
        Budget::Left(_) | Budget::Exceeded => {
            items.set(Budget::Exceeded);
            Err(E::custom(TOO_MANY_ITEMS))
        }
    })
}

/// While alive, generated impls on this thread read member names as strings (see the
/// [module documentation](self)); dropping it restores the previous mode.
#[must_use = "key names are tracked only while the guard lives"]
#[derive(Debug)]
pub struct KeyNamesGuard {
    previous: bool,
}

impl Drop for KeyNamesGuard {
    fn drop(&mut self) {
        KEY_NAMES.with(|tracked| tracked.set(self.previous));
    }
}

/// Makes generated impls on this thread read member names as strings until the guard drops, so
/// that a path-tracking deserializer such as `serde_path_to_error` sees every key.
pub fn track_key_names() -> KeyNamesGuard {
    KeyNamesGuard {
        previous: KEY_NAMES.with(|tracked| tracked.replace(true)),
    }
}

/// `true` while a [`KeyNamesGuard`] lives on this thread: strings that may be map keys (member
/// names, string-set enums) are then asked for as strings rather than bytes.
#[inline]
pub(crate) fn key_names_tracked() -> bool {
    KEY_NAMES.with(Cell::get)
}

/// The members of a structure by name: what the visitor of a generated structure implements, as
/// a `match` over the names' byte strings (which compiles to a switch on the length and
/// word-sized comparisons).
pub trait MemberIndex {
    /// The index of the member named `name`, or the number of members for any other name.
    fn index(name: &[u8]) -> usize;
}

/// Reads the next member name of `map` and looks it up in `M`: `Some(index)` for a member,
/// `Some(count)` for a member the structure does not have, `None` after the last member, which
/// counts the structure against the item budget (see this module's docs).
///
/// # Errors
///
/// What the reader reports for a key that is not a string, or for malformed input; an error
/// when the item budget is spent.
#[inline]
pub fn key<'de, M: MemberIndex, A: MapAccess<'de>>(map: &mut A) -> Result<Option<usize>, A::Error> {
    let key = map.next_key_seed(Key::<M>(PhantomData))?;
    if key.is_none() {
        count_item()?;
    }
    Ok(key)
}

/// Reads the value of a member into `slot`; a member that appears again replaces it.
///
/// # Errors
///
/// What the value's own `Deserialize` reports.
#[inline]
pub fn value<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the value of an optional member straight into the structure's field `slot` (`null`
/// reads as `None`); `seen` records that the member appeared. A member that appears again
/// replaces it.
///
/// # Errors
///
/// What the value's own `Deserialize` reports.
#[inline]
pub fn optional_in_place<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    seen: &mut bool,
) -> Result<(), A::Error> {
    *seen = true;
    map.next_value_seed(Optional::<T, Value>(slot, PhantomData))
}

/// Reads an optional member that is a structure itself read in place straight into the
/// structure's field `slot`: into the value already there, or into a default one (`null` reads
/// as `None`); `seen` records that the member appeared. A member that appears again replaces
/// it: reading in place resets every member the new value does not have.
///
/// # Errors
///
/// What the value's own `Deserialize` reports.
#[inline]
pub fn structure_in_place<'de, T: Deserialize<'de> + Default, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    seen: &mut bool,
) -> Result<(), A::Error> {
    *seen = true;
    map.next_value_seed(Optional::<T, Structure>(slot, PhantomData))
}

/// Reads an optional list member straight into the structure's field `slot`, each item built
/// where it is stored ([`Deserialize::deserialize_in_place`] on a default item) rather than built
/// elsewhere and moved in; `seen` records that the member appeared. A member that appears again
/// replaces it.
///
/// # Errors
///
/// What the items' `Deserialize` reports.
#[inline]
pub fn list_in_place<'de, T: Deserialize<'de> + Default, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<Vec<T>>,
    seen: &mut bool,
) -> Result<(), A::Error> {
    *seen = true;
    map.next_value_seed(Optional::<Vec<T>, List>(slot, PhantomData))
}

/// How an optional member's value that is not `null` is read into its slot.
trait ReadSome<'de, T> {
    /// What the value should be, for error messages.
    const EXPECTING: &'static str;

    fn read<D: Deserializer<'de>>(deserializer: D, slot: &mut Option<T>) -> Result<(), D::Error>;
}

/// The value is read, then stored.
struct Value;

impl<'de, T: Deserialize<'de>> ReadSome<'de, T> for Value {
    const EXPECTING: &'static str = "a value or null";

    #[inline]
    fn read<D: Deserializer<'de>>(deserializer: D, slot: &mut Option<T>) -> Result<(), D::Error> {
        *slot = Some(T::deserialize(deserializer)?);
        Ok(())
    }
}

/// The structure is read in place: into the one already there, or into a default one.
struct Structure;

impl<'de, T: Deserialize<'de> + Default> ReadSome<'de, T> for Structure {
    const EXPECTING: &'static str = "a structure";

    #[inline]
    fn read<D: Deserializer<'de>>(deserializer: D, slot: &mut Option<T>) -> Result<(), D::Error> {
        T::deserialize_in_place(deserializer, slot.get_or_insert_with(T::default))
    }
}

/// The sequence is read into a new `Vec`, item by item in place.
struct List;

impl<'de, T: Deserialize<'de> + Default> ReadSome<'de, Vec<T>> for List {
    const EXPECTING: &'static str = "a sequence";

    fn read<D: Deserializer<'de>>(
        deserializer: D,
        slot: &mut Option<Vec<T>>,
    ) -> Result<(), D::Error> {
        deserializer.deserialize_seq(Items(slot.insert(Vec::new())))
    }
}

/// Reads `null` as `None` and anything else as `R` says.
struct Optional<'a, T, R>(&'a mut Option<T>, PhantomData<R>);

impl<'de, T, R: ReadSome<'de, T>> DeserializeSeed<'de> for Optional<'_, T, R> {
    type Value = ();

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, T, R: ReadSome<'de, T>> Visitor<'de> for Optional<'_, T, R> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(R::EXPECTING)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        *self.0 = None;
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.visit_none()
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        R::read(deserializer, self.0)
    }
}

/// The items of a sequence, each built where it is stored.
struct Items<'a, T>(&'a mut Vec<T>);

impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for Items<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(<List as ReadSome<'de, Vec<T>>>::EXPECTING)
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let items = self.0;
        loop {
            items.push(T::default());
            let Some(place) = items.last_mut() else {
                unreachable!("an item was just pushed")
            };
            if seq.next_element_seed(InPlace(place))?.is_none() {
                items.pop();
                return Ok(());
            }
        }
    }
}

/// Deserializes into an existing value.
struct InPlace<'a, T>(&'a mut T);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for InPlace<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        T::deserialize_in_place(deserializer, self.0)
    }
}

/// Skips the value of a member the structure does not have.
///
/// # Errors
///
/// What the reader reports for malformed input.
#[inline]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The value of a required member.
///
/// # Errors
///
/// `missing field` when the member did not appear.
#[inline]
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// The number of members a structure writes: `required`, plus one for each optional member that
/// is `set`.
#[inline]
#[must_use]
pub fn count(required: usize, set: &[bool]) -> usize {
    required + set.iter().filter(|&&set| set).count()
}

/// Writes an optional member when it is set, and skips it otherwise (the member is then absent
/// from the output, as the providers expect).
///
/// # Errors
///
/// What the writer reports.
#[inline]
pub fn optional_field<S: SerializeStruct, T: Serialize>(
    out: &mut S,
    name: &'static str,
    value: Option<&T>,
) -> Result<(), S::Error> {
    match value {
        Some(value) => out.serialize_field(name, value),
        None => out.skip_field(name),
    }
}

/// The seed that reads one member name.
struct Key<M>(PhantomData<M>);

impl<'de, M: MemberIndex> DeserializeSeed<'de> for Key<M> {
    type Value = usize;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        if key_names_tracked() {
            deserializer.deserialize_str(self)
        } else {
            deserializer.deserialize_bytes(self)
        }
    }
}

impl<M: MemberIndex> Visitor<'_> for Key<M> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        Ok(M::index(v.as_bytes()))
    }

    #[inline]
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<usize, E> {
        Ok(M::index(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Pair {
        name: String,
        size: Option<i64>,
    }

    impl<'de> Deserialize<'de> for Pair {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            const NAMES: &[&str] = &["name", "size"];
            struct V;
            impl MemberIndex for V {
                fn index(name: &[u8]) -> usize {
                    match name {
                        b"name" => 0,
                        b"size" => 1,
                        _ => 2,
                    }
                }
            }
            impl<'de> Visitor<'de> for V {
                type Value = Pair;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("struct Pair")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pair, A::Error> {
                    let mut name = None;
                    let mut size = None;
                    while let Some(index) = key::<Self, _>(&mut map)? {
                        match index {
                            0 => value(&mut map, &mut name)?,
                            1 => value(&mut map, &mut size)?,
                            _ => skip(&mut map)?,
                        }
                    }
                    Ok(Pair {
                        name: required(name, "name")?,
                        size: size.flatten(),
                    })
                }
            }
            deserializer.deserialize_struct("Pair", NAMES, V)
        }
    }

    #[test]
    fn reads_members_in_any_order_and_skips_unknown_ones() {
        let pair: Pair =
            serde_json::from_str(r#"{"other": [1, {"x": null}], "size": 3, "name": "a"}"#).unwrap();
        assert_eq!(
            pair,
            Pair {
                name: "a".into(),
                size: Some(3)
            }
        );
        let pair: Pair = serde_json::from_str(r#"{"name": "\u0061", "size": null}"#).unwrap();
        assert_eq!(pair.size, None);
        assert_eq!(pair.name, "a");
    }

    #[test]
    fn escaped_keys_match_after_unescaping() {
        let pair: Pair = serde_json::from_str(r#"{"n\u0061me": "b"}"#).unwrap();
        assert_eq!(pair.name, "b");
    }

    #[test]
    fn a_member_twice_keeps_the_last() {
        let pair: Pair = serde_json::from_str(r#"{"name": "a", "name": "b"}"#).unwrap();
        assert_eq!(pair.name, "b");
        let pair: Pair = serde_json::from_str(r#"{"size": 1, "name": "a", "size": null}"#).unwrap();
        assert_eq!(pair.size, None);
    }

    #[test]
    fn missing_members_and_wrong_kinds_are_errors_with_derive_messages() {
        let e = serde_json::from_str::<Pair>(r#"{"size": 1}"#).unwrap_err();
        assert_eq!(e.to_string(), "missing field `name` at line 1 column 11");
        let e = serde_json::from_str::<Pair>(r#"{"name": 1}"#).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid type: integer `1`, expected a string"),
            "{e}"
        );
        let e = serde_json::from_str::<Pair>("[]").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid type: sequence, expected struct Pair"),
            "{e}"
        );
    }

    #[test]
    fn the_item_budget_counts_structures_and_restores_the_previous_one() {
        let pairs = r#"[{"name": "a"}, {"name": "b"}, {"name": "c"}]"#;
        {
            let budget = limit_items(3);
            assert!(serde_json::from_str::<Vec<Pair>>(pairs).is_ok());
            assert!(!budget.exceeded());
        }
        {
            let budget = limit_items(2);
            let e = serde_json::from_str::<Vec<Pair>>(pairs).unwrap_err();
            assert!(e.to_string().starts_with(TOO_MANY_ITEMS), "{e}");
            assert!(budget.exceeded());
        }
        assert_eq!(ITEMS.with(Cell::get), Budget::Unlimited);
        assert!(serde_json::from_str::<Vec<Pair>>(pairs).is_ok());
    }

    #[test]
    fn key_names_reach_path_trackers_only_while_tracked() {
        let body = r#"{"name": "a", "size": "big"}"#;
        let untracked = serde_path_to_error::deserialize::<_, Pair>(
            &mut serde_json::Deserializer::from_str(body),
        )
        .unwrap_err();
        assert_eq!(untracked.path().to_string(), "?");
        {
            let _names = track_key_names();
            let _nested = track_key_names();
            let tracked = serde_path_to_error::deserialize::<_, Pair>(
                &mut serde_json::Deserializer::from_str(body),
            )
            .unwrap_err();
            assert_eq!(tracked.path().to_string(), "size");
        }
        assert!(!KEY_NAMES.with(Cell::get), "the guard restores the mode");
    }
}
