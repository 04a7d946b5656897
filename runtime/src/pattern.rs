//! Full-match patterns, compiled while generating.
//!
//! The generator compiles each pattern of a spec with `regex-automata` (the engine of the `regex`
//! crate) into a deterministic automaton over bytes. A small automaton is written into the
//! generated code as a matching function (each byte's class from a 256-byte table, then a `match`
//! on state and class); a large one as transition tables that [`full_match`] walks. Either way matching is one pass over
//! the value's UTF-8 bytes: no compilation, no allocation, and the first match in a process costs
//! what every later one does.

use core::fmt;

/// A pattern that must match a whole value, as if written `^(?:pattern)$`.
///
/// Built by generated code (its constructors are in `__private`, not API); see the module docs.
#[derive(Clone, Copy)]
pub struct Pattern {
    source: &'static str,
    matcher: Matcher,
}

#[derive(Clone, Copy)]
pub(crate) enum Matcher {
    /// Generated matching code.
    Code(fn(&[u8]) -> bool),
    /// Transition tables, walked by [`full_match`].
    Tables {
        classes: &'static [u8; 256],
        alphabet_len: usize,
        start: u16,
        wide: bool,
        table: &'static [u8],
        accept: &'static [u8],
    },
}

impl Pattern {
    /// A pattern matched by `matcher` (see `crate::__private` for the constructors generated
    /// code calls).
    pub(crate) const fn new(source: &'static str, matcher: Matcher) -> Self {
        Self { source, matcher }
    }

    /// The pattern as the spec wrote it.
    #[must_use]
    pub const fn source(&self) -> &'static str {
        self.source
    }

    /// `true` when the whole of `value` matches.
    #[must_use]
    #[inline]
    pub fn is_full_match(&self, value: &str) -> bool {
        match self.matcher {
            Matcher::Code(matches) => matches(value.as_bytes()),
            Matcher::Tables {
                classes,
                alphabet_len,
                start,
                wide,
                table,
                accept,
            } => full_match(
                classes,
                alphabet_len,
                start,
                wide,
                table,
                accept,
                value.as_bytes(),
            ),
        }
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// Runs a pattern's tables (see `__private::pattern_from_tables`) over `input`; `true` when the
/// whole input matches. The generator checks spec defaults with this same function.
#[must_use]
#[inline]
pub fn full_match(
    classes: &[u8; 256],
    alphabet_len: usize,
    start: u16,
    wide: bool,
    table: &[u8],
    accept: &[u8],
    input: &[u8],
) -> bool {
    let mut state = usize::from(start);
    if wide {
        for &byte in input {
            let at = (state * alphabet_len + usize::from(classes[usize::from(byte)])) * 2;
            match table.get(at..at + 2) {
                Some(&[lo, hi]) => state = usize::from(u16::from_le_bytes([lo, hi])),
                _ => return false,
            }
            if state == 0 {
                return false;
            }
        }
    } else {
        for &byte in input {
            let at = state * alphabet_len + usize::from(classes[usize::from(byte)]);
            match table.get(at) {
                Some(&next) => state = usize::from(next),
                None => return false,
            }
            if state == 0 {
                return false;
            }
        }
    }
    accept.get(state).is_some_and(|&a| a != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    // `[0-9]{2}` by hand: classes 0 = other, 1 = digit; states 0 dead, 1 start, 2 one digit,
    // 3 two digits (accepting).
    static CLASSES: [u8; 256] = {
        let mut c = [0u8; 256];
        let mut b = b'0';
        while b <= b'9' {
            c[b as usize] = 1;
            b += 1;
        }
        c
    };
    static TABLE: [u8; 8] = [0, 0, 0, 2, 0, 3, 0, 0];
    static ACCEPT: [u8; 4] = [0, 0, 0, 1];
    static TWO_DIGITS: Pattern =
        crate::__private::pattern_from_tables("[0-9]{2}", &CLASSES, 2, 1, false, &TABLE, &ACCEPT);

    #[test]
    fn matches_whole_values_only() {
        assert!(TWO_DIGITS.is_full_match("42"));
        assert!(!TWO_DIGITS.is_full_match("4"));
        assert!(!TWO_DIGITS.is_full_match("421"));
        assert!(!TWO_DIGITS.is_full_match("a2"));
        assert!(!TWO_DIGITS.is_full_match(""));
        assert_eq!(TWO_DIGITS.source(), "[0-9]{2}");
        assert_eq!(format!("{TWO_DIGITS:?}"), "Pattern(\"[0-9]{2}\")");
    }

    #[test]
    fn wide_tables_match_like_narrow_ones() {
        let wide: Vec<u8> = TABLE
            .iter()
            .flat_map(|&s| u16::from(s).to_le_bytes())
            .collect();
        for input in ["42", "4", "421", "", "x9"] {
            assert_eq!(
                full_match(&CLASSES, 2, 1, true, &wide, &ACCEPT, input.as_bytes()),
                TWO_DIGITS.is_full_match(input),
                "{input:?}"
            );
        }
    }

    #[test]
    fn code_patterns_run_their_function() {
        fn two_digits(input: &[u8]) -> bool {
            input.len() == 2 && input.iter().all(u8::is_ascii_digit)
        }
        static CODE: Pattern = crate::__private::pattern_from_fn("[0-9]{2}", two_digits);
        for input in ["42", "4", "421", "", "x9"] {
            assert_eq!(
                CODE.is_full_match(input),
                TWO_DIGITS.is_full_match(input),
                "{input:?}"
            );
        }
        assert_eq!(format!("{CODE:?}"), "Pattern(\"[0-9]{2}\")");
    }

    #[test]
    fn inconsistent_tables_do_not_panic() {
        assert!(!full_match(&CLASSES, 2, 9, false, &TABLE, &ACCEPT, b"12"));
        assert!(!full_match(&CLASSES, 2, 9, true, &TABLE, &ACCEPT, b"12"));
        assert!(!full_match(&CLASSES, 2, 9, false, &TABLE, &ACCEPT, b""));
    }
}
