//! The checker's words: "did you mean" hints, the reader of closed vocabularies (keywords) and
//! the name checker. Each is written once here, so that every message of its kind reads alike.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::ir::{Location, Method, PagingStyle, SigningScheme, TsFormat};
use crate::names::{self, OverBudget, Word, Work};

/// The most work all the "did you mean" hints of one spec may take, in [`Work`] units (a
/// candidate looked at, a distance-table cell computed, a character prepared): about a third
/// of a second of a release build, enough for 2,000 distinct unknown names among 2,000 shapes.
/// Within it every hint is exact; past it, the diagnostics that follow come without hints.
///
/// The closest of `n` names to each of `m` unknown ones takes `m · n` comparisons, and no known
/// method does much better for edit distances in general. Unbounded, 4,000 misspelled shape
/// names took about 20 s to lint, and a spec at the size limit would take hours; bounded, the
/// hints cost at most a constant, and the check stays linear in the spec's size.
pub(crate) const HINT_BUDGET: u64 = 1 << 27;

/// The candidates of one kind of name (the shapes, the sources, a structure's members),
/// prepared once for every hint that looks among them, with the hints found so far.
#[derive(Debug, Default)]
pub(crate) struct Candidates {
    /// In byte order of their text.
    words: Vec<Word>,
    /// The closest candidate found for each name looked up (its index in `words`): a name
    /// that is unknown in a thousand places is looked up once.
    found: RefCell<HashMap<String, Option<usize>>>,
}

/// The "did you mean" hints of one spec, and the work they may still take ([`HINT_BUDGET`]).
#[derive(Debug)]
pub(crate) struct Hints {
    work: Work,
    budget: u64,
    /// Scratch row of the distance table.
    row: Vec<usize>,
}

impl Default for Hints {
    fn default() -> Self {
        Self::with_budget(HINT_BUDGET)
    }
}

impl Hints {
    /// Hints that may take `budget` units of work in all.
    pub(crate) fn with_budget(budget: u64) -> Self {
        Self {
            work: Work::default(),
            budget,
            row: Vec::new(),
        }
    }

    /// The work done so far.
    #[cfg(test)]
    pub(crate) fn work(&self) -> u64 {
        self.work.0
    }

    /// `words`, prepared as candidates; none when preparing them would pass the budget.
    pub(crate) fn candidates<'a>(
        &mut self,
        words: impl IntoIterator<Item = &'a str>,
    ) -> Candidates {
        let mut prepared = Vec::new();
        for word in words {
            self.work.0 += 1 + word.len() as u64;
            if self.work.0 > self.budget {
                return Candidates::default();
            }
            prepared.push(word);
        }
        Candidates {
            words: names::prepare(prepared),
            found: RefCell::default(),
        }
    }

    /// The candidate closest to `name` ([`names::closest`]'s choice), if one is close enough to
    /// be a likely typo and the budget allows looking.
    pub(crate) fn closest<'c>(&mut self, name: &str, set: &'c Candidates) -> Option<&'c str> {
        if let Some(found) = set.found.borrow().get(name) {
            return found.map(|i| set.words[i].text.as_str());
        }
        if self.work.0 > self.budget {
            return None;
        }
        match names::nearest(name, &set.words, &mut self.row, &mut self.work, self.budget) {
            Ok(found) => {
                set.found.borrow_mut().insert(name.to_owned(), found);
                found.map(|i| set.words[i].text.as_str())
            }
            Err(OverBudget) => None,
        }
    }

    /// `` (did you mean `x`?)`` when one of `set` is close to `name`, else nothing.
    pub(crate) fn did_you_mean(&mut self, name: &str, set: &Candidates) -> String {
        self.closest(name, set)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default()
    }
}

/// A closed vocabulary of a spec: its words, each with its value.
pub(crate) trait Keyword: Copy + 'static {
    /// What the word names, for messages (`pagination style`).
    const WHAT: &'static str;
    /// Every word, with its value, in the order messages list them.
    const WORDS: &'static [(&'static str, Self)];

    /// The value of `word`, if it is one of [`Self::WORDS`].
    fn parse(word: &str) -> Option<Self> {
        Self::WORDS
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, v)| *v)
    }

    /// `` `a`, `b` or `c` ``.
    fn expected() -> String {
        let words: Vec<String> = Self::WORDS.iter().map(|(w, _)| format!("`{w}`")).collect();
        match words.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            Some((last, _)) => last.clone(),
            None => String::new(),
        }
    }

    /// `unknown pagination style `x`; expected `token`, ... or `marker``.
    fn unknown(word: &str) -> String {
        format!(
            "unknown {} `{word}`; expected {}",
            Self::WHAT,
            Self::expected()
        )
    }
}

/// `protocol.body`: `true` for a JSON body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JsonBody(pub(crate) bool);

impl Keyword for JsonBody {
    const WHAT: &'static str = "body kind";
    const WORDS: &'static [(&'static str, Self)] =
        &[("json", JsonBody(true)), ("none", JsonBody(false))];
}

/// `protocol.errors.status`: `true` when errors come with any status.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErrorsAlways(pub(crate) bool);

impl Keyword for ErrorsAlways {
    const WHAT: &'static str = "error status rule";
    const WORDS: &'static [(&'static str, Self)] = &[
        ("non_2xx", ErrorsAlways(false)),
        ("always", ErrorsAlways(true)),
    ];
}

impl Keyword for TsFormat {
    const WHAT: &'static str = "timestamp format";
    const WORDS: &'static [(&'static str, Self)] = &[
        ("epoch_seconds", TsFormat::EpochSeconds),
        ("rfc3339", TsFormat::Rfc3339),
        ("text", TsFormat::Text),
    ];
}

impl Keyword for SigningScheme {
    const WHAT: &'static str = "signing scheme";
    const WORDS: &'static [(&'static str, Self)] = &[
        ("sigv4", SigningScheme::SigV4),
        ("tc3", SigningScheme::Tc3),
        ("jdcloud2", SigningScheme::JdCloud2),
        ("jdcloud3", SigningScheme::JdCloud3),
        ("basic", SigningScheme::Basic),
        ("none", SigningScheme::None),
    ];
}

impl Keyword for PagingStyle {
    const WHAT: &'static str = "pagination style";
    const WORDS: &'static [(&'static str, Self)] = &PagingStyle::ALL;
}

impl Keyword for Location {
    const WHAT: &'static str = "location";
    const WORDS: &'static [(&'static str, Self)] = &[
        ("body", Location::Body),
        ("query", Location::Query),
        ("path", Location::Path),
        ("header", Location::Header),
        ("payload", Location::Payload),
    ];

    /// Written without backticks since the format's first version (kept for stable messages).
    fn unknown(word: &str) -> String {
        format!("unknown location `{word}`; expected body, query, path, header or payload")
    }
}

impl Keyword for Method {
    const WHAT: &'static str = "HTTP method";
    const WORDS: &'static [(&'static str, Self)] = &Method::ALL;

    /// Methods are read in any case.
    fn parse(word: &str) -> Option<Self> {
        let upper = word.to_ascii_uppercase();
        Method::ALL
            .iter()
            .find(|(w, _)| *w == upper)
            .map(|(_, m)| *m)
    }

    fn unknown(word: &str) -> String {
        format!("`{word}` is not an HTTP method (GET, POST, PUT, DELETE, PATCH, HEAD)")
    }
}

/// `operations.X.pagination.offset_unit`: `true` when the offset counts pages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OffsetInPages(pub(crate) bool);

impl Keyword for OffsetInPages {
    const WHAT: &'static str = "offset unit";
    const WORDS: &'static [(&'static str, Self)] = &[
        ("item", OffsetInPages(false)),
        ("page", OffsetInPages(true)),
    ];
}

/// `operations.X.summary.size_unit`: bytes per unit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SizeUnit(pub(crate) u64);

impl Keyword for SizeUnit {
    const WHAT: &'static str = "size unit";
    const WORDS: &'static [(&'static str, Self)] = &[
        ("bytes", SizeUnit(1)),
        ("kB", SizeUnit(1_000)),
        ("MB", SizeUnit(1_000_000)),
        ("KiB", SizeUnit(1_024)),
        ("MiB", SizeUnit(1_048_576)),
    ];
}

/// The two cases of generated names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// Modules and fields: `image_tag`.
    Snake,
    /// Types and variants: `ImageTag`.
    UpperCamel,
}

/// What is wrong with a name that is to become a Rust name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NameFault {
    /// Not a Rust identifier at all, or a keyword: why.
    Invalid(String),
    /// An identifier in the wrong case: the name in the right one.
    WrongCase(String),
}

/// The fault of `name` as a Rust name of `case`, if it has one.
pub(crate) fn name_fault(name: &str, case: Case) -> Option<NameFault> {
    if let Some(problem) = names::problem(name) {
        return Some(NameFault::Invalid(problem));
    }
    let right = match case {
        Case::Snake => names::field_name(name),
        Case::UpperCamel => names::type_name(name),
    };
    (right != name).then_some(NameFault::WrongCase(right))
}

/// Names already given out in one namespace (a module's types, a structure's fields, an enum's
/// variants), each with what took it, for collision messages.
#[derive(Debug, Default)]
pub(crate) struct Taken(HashMap<String, String>);

impl Taken {
    /// Takes `name` for `owner`; when it is taken already, what took it.
    pub(crate) fn take(&mut self, name: &str, owner: impl FnOnce() -> String) -> Result<(), &str> {
        if self.0.contains_key(name) {
            return Err(self.0.get(name).map_or("", String::as_str));
        }
        self.0.insert(name.to_owned(), owner());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_messages_list_every_word() {
        assert_eq!(
            PagingStyle::unknown("tokn"),
            "unknown pagination style `tokn`; expected `token`, `page_number`, `offset_limit`, `marker` or `link`"
        );
        assert_eq!(JsonBody::expected(), "`json` or `none`");
        assert!(matches!(
            <Method as Keyword>::parse("get"),
            Some(Method::Get)
        ));
        assert!(<TsFormat as Keyword>::parse("epoch").is_none());
    }

    #[test]
    fn names_are_checked_for_keywords_and_case() {
        assert!(matches!(
            name_fault("type", Case::Snake),
            Some(NameFault::Invalid(_))
        ));
        assert_eq!(
            name_fault("imageTag", Case::Snake),
            Some(NameFault::WrongCase("image_tag".into()))
        );
        assert_eq!(name_fault("ImageTag", Case::UpperCamel), None);
        let mut taken = Taken::default();
        assert!(taken.take("A", || "first".into()).is_ok());
        assert_eq!(taken.take("A", || "second".into()), Err("first"));
    }
}
