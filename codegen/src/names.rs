//! Rust names: case conversion and what may not be used as a name.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions up to 2024), which cannot be plain names.
pub const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// The names of the Rust 2024 prelude's types, traits and variants (and of derive macros the
/// generated code writes): the generated code names some unqualified (`Option`, `Vec`,
/// `i64::try_from`, which needs `TryFrom` in scope), and a shape of one of these names would
/// shadow it in the module.
pub const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "Fn",
    "FnMut",
    "FnOnce",
    "Drop",
    "AsRef",
    "AsMut",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Extend",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Unpin",
    "Future",
    "IntoFuture",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
];

/// `true` for a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// `true` when `name` is a plain identifier: a letter or `_` first, then letters, digits, `_`
/// (ASCII, so that generated names are easy to type), and not `_` alone.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    name != "_" && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The Rust field name of a wire name: `imageSizeMB` → `image_size_mb`.
pub fn field_name(wire: &str) -> String {
    wire.to_snake_case()
}

/// The Rust type or variant name of a wire name: `IN_PROGRESS` → `InProgress`.
pub fn type_name(wire: &str) -> String {
    wire.to_upper_camel_case()
}

/// The SCREAMING_SNAKE_CASE form of a name, for constants.
pub fn const_name(name: &str) -> String {
    heck::ToShoutySnakeCase::to_shouty_snake_case(name)
}

/// Why `name` cannot be a Rust name, if it cannot.
pub fn problem(name: &str) -> Option<String> {
    if is_keyword(name) {
        Some(format!("`{name}` is a Rust keyword"))
    } else if name.is_empty() {
        Some("the name is empty after case conversion".into())
    } else if !is_identifier(name) {
        Some(format!(
            "`{name}` is not a Rust identifier (ASCII letters, digits and `_`, not starting with a digit)"
        ))
    } else {
        None
    }
}

/// The edit distance between two short strings (for "did you mean" hints), compared without
/// case.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The most edits a name may be away from `candidate` to be a likely typo of it: a third of its
/// characters, at least one.
pub fn typo_limit(candidate: &str) -> usize {
    (candidate.chars().count() / 3).max(1)
}

/// The edit distance between the character strings `a` and `b` when it is at most `max`, else
/// `None`; [`distance`] of two lower-cased names, in `O(max · len)` rather than `O(len²)`.
///
/// Only the cells of the dynamic-programming table at most `max` off its diagonal can hold a
/// distance of at most `max` (Ukkonen's band), and the search stops at the first row whose band
/// holds none. `row` is scratch space, reused between calls; the cells computed are added to
/// `cells`, the work the hints account for.
pub fn distance_within(
    a: &[char],
    b: &[char],
    max: usize,
    row: &mut Vec<usize>,
    cells: &mut u64,
) -> Option<usize> {
    // An edit changes the length by one at most.
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Any value above `max` stands for "too far": sums stay small and comparisons exact.
    let far = max + 1;
    row.clear();
    row.extend((0..=b.len()).map(|j| j.min(far)));
    for (i, &ca) in a.iter().enumerate() {
        let i = i + 1;
        // Row `i` of the band: columns lo..=hi (column 0 is the empty prefix of `b`).
        let lo = i.saturating_sub(max).max(1);
        let hi = (i + max).min(b.len());
        // `row` holds row i - 1 up to column hi (cells right of its band are still `far`,
        // from the first row); it becomes row i from column lo - 1.
        let mut diagonal = row[lo - 1];
        let mut left = if lo == 1 { i.min(far) } else { far };
        row[lo - 1] = left;
        let mut smallest = left;
        for j in lo..=hi {
            let up = row[j];
            let substitute = diagonal + usize::from(ca != b[j - 1]);
            let value = substitute.min(up + 1).min(left + 1).min(far);
            diagonal = up;
            row[j] = value;
            left = value;
            smallest = smallest.min(value);
        }
        *cells += (hi + 1 - lo) as u64;
        if smallest > max {
            return None;
        }
    }
    let d = row[b.len()];
    (d <= max).then_some(d)
}

/// A name prepared for comparisons: its lower-cased characters and its [`typo_limit`].
#[derive(Debug, Clone)]
pub struct Word {
    /// The name as written.
    pub text: String,
    lower: Box<[char]>,
    limit: usize,
}

impl Word {
    /// `text`, prepared.
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            lower: text.to_lowercase().chars().collect(),
            limit: typo_limit(text),
        }
    }

    /// The characters compared.
    pub fn len(&self) -> usize {
        self.lower.len()
    }

    /// `true` for the empty name.
    pub fn is_empty(&self) -> bool {
        self.lower.is_empty()
    }
}

/// The work of one search for the closest candidate, in units of comparable cost: one per
/// candidate looked at, one per table cell computed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Work(pub u64);

/// A search for the closest candidate stopped: it needed more work than it was allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverBudget;

/// The index in `words` of the candidate closest to `name` ([`closest`]'s choice), given
/// `words` in byte order of their text; the work done is added to `work`.
///
/// Candidates come in byte order, so the first of equally close ones is the one to keep, and
/// every later one is compared only up to one edit less than the best so far.
///
/// # Errors
///
/// The work passed `budget` before the search was done.
pub fn nearest(
    name: &str,
    words: &[Word],
    row: &mut Vec<usize>,
    work: &mut Work,
    budget: u64,
) -> Result<Option<usize>, OverBudget> {
    let name: Vec<char> = name.to_lowercase().chars().collect();
    let mut best: Option<(usize, usize)> = None;
    for (index, word) in words.iter().enumerate() {
        work.0 += 1;
        let max = match best {
            Some((0, _)) => break,
            Some((d, _)) => word.limit.min(d - 1),
            None => word.limit,
        };
        if let Some(d) = distance_within(&name, &word.lower, max, row, &mut work.0) {
            best = Some((d, index));
        }
        if work.0 > budget {
            return Err(OverBudget);
        }
    }
    Ok(best.map(|(_, index)| index))
}

/// `words` prepared for [`nearest`]: in byte order of their text.
pub fn prepare<'a>(words: impl IntoIterator<Item = &'a str>) -> Vec<Word> {
    let mut words: Vec<Word> = words.into_iter().map(Word::new).collect();
    words.sort_by(|a, b| a.text.cmp(&b.text));
    words
}

/// The closest candidate to `name`, if one is close enough to be a likely typo: at most
/// [`typo_limit`] edits away, the fewest edits, ties to the first in byte order (so that the hint
/// never depends on the order candidates come in, a hash map's).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    let words = prepare(candidates.iter().copied());
    let index = nearest(
        name,
        &words,
        &mut Vec::new(),
        &mut Work::default(),
        u64::MAX,
    )
    .ok()??;
    let text = words[index].text.as_str();
    candidates.into_iter().find(|c| *c == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(field_name("imageSizeMB"), "image_size_mb");
        assert_eq!(field_name("imageID"), field_name("imageId"));
        assert_eq!(field_name("RegistryId"), "registry_id");
        assert_eq!(type_name("IN_PROGRESS"), "InProgress");
        assert_eq!(type_name("InternalError.DbError"), "InternalErrorDbError");
        assert_eq!(const_name("pageSize"), "PAGE_SIZE");
    }

    #[test]
    fn problems() {
        assert!(problem("type").is_some());
        assert!(problem("1abc").is_some());
        assert!(problem("").is_some());
        assert!(problem("_").is_some());
        assert!(problem("image_id").is_none());
        assert_eq!(
            closest("ImageDetial", ["ImageDetail", "Filter"]),
            Some("ImageDetail")
        );
        assert_eq!(closest("Zzz", ["ImageDetail"]), None);
    }

    /// Every string of up to `len` characters over `alphabet`.
    fn strings(alphabet: &[char], len: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..len {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn the_banded_distance_is_the_distance_up_to_its_bound() {
        let all = strings(&['a', 'b', 'C'], 4);
        let mut row = Vec::new();
        let mut cells = 0;
        for a in &all {
            let ca: Vec<char> = a.to_lowercase().chars().collect();
            for b in &all {
                let cb: Vec<char> = b.to_lowercase().chars().collect();
                let d = distance(a, b);
                for max in 0..6 {
                    let within = distance_within(&ca, &cb, max, &mut row, &mut cells);
                    assert_eq!(within, (d <= max).then_some(d), "{a:?} {b:?} max {max}");
                }
            }
        }
        // Far apart in length: nothing computed.
        let before = cells;
        let long: Vec<char> = "abcdefghij".chars().collect();
        assert_eq!(
            distance_within(&['a'], &long, 3, &mut row, &mut cells),
            None
        );
        assert_eq!(cells, before);
    }

    #[test]
    fn the_closest_candidate_is_the_first_of_the_nearest_in_byte_order() {
        /// The choice as first written: every distance, then the least (distance, name).
        fn reference<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
            candidates
                .iter()
                .map(|c| (distance(name, c), *c))
                .filter(|&(d, c)| d <= typo_limit(c))
                .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
                .map(|(_, c)| c)
        }
        let all = strings(&['a', 'b', 'C'], 3);
        let words: Vec<&str> = all.iter().map(String::as_str).collect();
        for (i, name) in all.iter().enumerate() {
            // Candidate sets of several sizes and orders, with and without the name itself.
            for set in [&words[..], &words[i / 2..], &words[..i]] {
                let mut reversed = set.to_vec();
                reversed.reverse();
                assert_eq!(closest(name, set.iter().copied()), reference(name, set));
                assert_eq!(
                    closest(name, reversed.iter().copied()),
                    reference(name, set)
                );
            }
        }
        // Case is ignored; a non-ASCII capital lower-cases to more than one character.
        assert_eq!(closest("imagedetail", ["ImageDetail"]), Some("ImageDetail"));
        assert_eq!(closest("İx", ["i\u{307}y", "zzz"]), Some("i\u{307}y"));
    }
}
