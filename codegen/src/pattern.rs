//! Compiles full-match patterns into the tables `crspec_runtime::Pattern` runs.
//!
//! The pattern is compiled with `regex-automata` (the `regex` crate's engine, same syntax and
//! semantics) as `^(?:pattern)$` into a dense DFA, whose reachable states are renumbered (0 =
//! dead) and whose bytes are grouped into equivalence classes.

use std::collections::{BTreeMap, HashMap, VecDeque};

use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::nfa::thompson;
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};

/// Most states a compiled pattern may have.
pub const MAX_STATES: usize = 4096;

/// Most heap, in bytes, each stage of compiling one pattern may use: the NFA, its
/// determinization, the DFA. Counted repetitions copy what they repeat and nested ones multiply
/// (`(?:a{1000}){1000}` is a million `a`s), so a pattern of a few bytes could otherwise take
/// gigabytes, and the compiler that runs the proc-macro with it.
pub const MAX_COMPILE_BYTES: usize = 8 << 20;

/// Most states of an automaton written as matching code; larger ones are written as tables.
pub const MAX_CODE_STATES: usize = 64;

/// Most `(state, class)` moves, over all states, of an automaton written as matching code.
pub const MAX_CODE_MOVES: usize = 1024;

/// One live state of an automaton written as code: its number and, for each state it can move
/// to, the byte classes ([`Tables::classes`]) that move there; other classes lead to the dead
/// state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeState {
    /// The state's number (never 0, the dead state).
    pub state: u8,
    /// `(next state, classes)`, ordered by each group's first class.
    pub moves: Vec<(u8, Vec<u8>)>,
}

/// The tables of one pattern (see `crspec_runtime::__private::pattern_from_tables`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    /// Byte → class.
    pub classes: [u8; 256],
    /// Number of classes.
    pub alphabet_len: usize,
    /// Start state.
    pub start: u16,
    /// Next state per (state, class); state 0 is dead.
    pub table: Vec<u16>,
    /// Per state: the input may end here.
    pub accept: Vec<bool>,
}

impl Tables {
    /// `true` when two bytes per table entry are needed.
    pub fn wide(&self) -> bool {
        self.accept.len() > 256
    }

    /// The table as the bytes the runtime reads.
    pub fn table_bytes(&self) -> Vec<u8> {
        if self.wide() {
            self.table.iter().flat_map(|s| s.to_le_bytes()).collect()
        } else {
            // Every state fits a byte when there are at most 256 of them.
            self.table.iter().map(|&s| s.to_le_bytes()[0]).collect()
        }
    }

    /// The accept flags as bytes.
    pub fn accept_bytes(&self) -> Vec<u8> {
        self.accept.iter().map(|&a| u8::from(a)).collect()
    }

    /// The automaton as the states of a matching function, when it is small enough to be written
    /// as code (`MAX_CODE_STATES`, `MAX_CODE_MOVES`) and some input matches; else `None`
    /// (the emitter then writes tables). The function looks each byte's class up in
    /// [`Tables::classes`] and matches on `(state, class)`.
    pub fn code_states(&self) -> Option<Vec<CodeState>> {
        let states = self.accept.len();
        if states > MAX_CODE_STATES || !self.accept.iter().any(|&a| a) {
            return None;
        }
        let mut out = Vec::with_capacity(states.saturating_sub(1));
        let mut count = 0;
        for state in 1..states {
            let mut moves: Vec<(u8, Vec<u8>)> = Vec::new();
            for class in 0..self.alphabet_len {
                let next = self.table[state * self.alphabet_len + class];
                if next == 0 {
                    continue;
                }
                count += 1;
                // At most MAX_CODE_STATES states and 256 classes: both fit a byte.
                let (next, class) = (u8::try_from(next).ok()?, u8::try_from(class).ok()?);
                match moves.iter_mut().find(|(n, _)| *n == next) {
                    Some((_, classes)) => classes.push(class),
                    None => moves.push((next, vec![class])),
                }
            }
            out.push(CodeState {
                state: u8::try_from(state).ok()?,
                moves,
            });
        }
        (count <= MAX_CODE_MOVES).then_some(out)
    }

    /// `true` when the whole of `value` matches (the checker's test of a member's default).
    pub fn is_full_match(&self, value: &str) -> bool {
        let mut state = usize::from(self.start);
        for &byte in value.as_bytes() {
            let at = state * self.alphabet_len + usize::from(self.classes[usize::from(byte)]);
            state = self.table.get(at).map_or(0, |&next| usize::from(next));
            if state == 0 {
                return false;
            }
        }
        self.accept.get(state).copied().unwrap_or(false)
    }
}

/// Compiles `pattern`; the error says why it does not compile.
///
/// # Errors
///
/// The pattern's syntax is invalid, it uses a feature a DFA cannot run (Unicode word
/// boundaries), or it needs more than [`MAX_STATES`] states.
pub fn compile(pattern: &str) -> Result<Tables, String> {
    // Parse the pattern on its own first: errors then point into what the spec wrote, and a
    // pattern such as `a)|(b` cannot escape the anchors it is wrapped in below.
    regex_syntax::Parser::new()
        .parse(pattern)
        .map_err(|e| clean_error(&e))?;
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(MatchKind::All)
                .start_kind(StartKind::Anchored)
                .minimize(true)
                .dfa_size_limit(Some(MAX_COMPILE_BYTES))
                .determinize_size_limit(Some(MAX_COMPILE_BYTES)),
        )
        .thompson(thompson::Config::new().nfa_size_limit(Some(MAX_COMPILE_BYTES)))
        .build(&format!("^(?:{pattern})$"))
        .map_err(|e| build_error(&e))?;
    let start = dfa
        .start_state(&start::Config::new().anchored(Anchored::Yes))
        .map_err(|e| e.to_string())?;

    // Number the reachable states breadth-first; the dead state is 0.
    let mut ids: HashMap<StateID, u16> = HashMap::new();
    let mut order: Vec<StateID> = Vec::new();
    let mut queue = VecDeque::new();
    let number = |id: StateID,
                  ids: &mut HashMap<StateID, u16>,
                  order: &mut Vec<StateID>,
                  queue: &mut VecDeque<StateID>|
     -> Result<u16, String> {
        if dfa.is_dead_state(id) {
            return Ok(0);
        }
        if let Some(&n) = ids.get(&id) {
            return Ok(n);
        }
        if order.len() + 1 >= MAX_STATES {
            return Err(format!(
                "the pattern needs more than {MAX_STATES} automaton states; simplify it (Unicode classes such as \\w are large: try an ASCII class)"
            ));
        }
        order.push(id);
        let n = u16::try_from(order.len()).map_err(|e| e.to_string())?;
        ids.insert(id, n);
        queue.push_back(id);
        Ok(n)
    };
    let start_n = number(start, &mut ids, &mut order, &mut queue)?;
    let mut rows: BTreeMap<u16, [u16; 256]> = BTreeMap::new();
    while let Some(id) = queue.pop_front() {
        let n = ids[&id];
        let mut row = [0u16; 256];
        for byte in 0..=255u8 {
            let next = dfa.next_state(id, byte);
            if dfa.is_quit_state(next) {
                return Err("the pattern needs look-around the table matcher cannot run".into());
            }
            row[usize::from(byte)] = number(next, &mut ids, &mut order, &mut queue)?;
        }
        rows.insert(n, row);
    }
    let states = order.len() + 1;
    let mut accept = vec![false; states];
    for (id, &n) in &ids {
        accept[usize::from(n)] = dfa.is_match_state(dfa.next_eoi_state(*id));
    }

    // Group bytes whose columns are equal into classes, numbered by first appearance.
    let mut classes = [0u8; 256];
    let mut seen: HashMap<Vec<u16>, u8> = HashMap::new();
    let mut columns: Vec<Vec<u16>> = Vec::new();
    for byte in 0..256usize {
        let column: Vec<u16> = (0..states)
            .map(|s| {
                u16::try_from(s)
                    .ok()
                    .and_then(|s| rows.get(&s))
                    .map_or(0, |row| row[byte])
            })
            .collect();
        let class = if let Some(&c) = seen.get(&column) {
            c
        } else {
            let c = u8::try_from(columns.len()).map_err(|e| e.to_string())?;
            seen.insert(column.clone(), c);
            columns.push(column);
            c
        };
        classes[byte] = class;
    }
    let alphabet_len = columns.len();
    let mut table = vec![0u16; states * alphabet_len];
    for (class, column) in columns.iter().enumerate() {
        for (state, &next) in column.iter().enumerate() {
            table[state * alphabet_len + class] = next;
        }
    }
    Ok(Tables {
        classes,
        alphabet_len,
        start: start_n,
        table,
        accept,
    })
}

/// Why the DFA of a pattern that parses was not built: too large, or the innermost cause.
fn build_error(error: &dense::BuildError) -> String {
    use std::error::Error as _;

    let nfa_too_large = error
        .source()
        .and_then(|e| e.downcast_ref::<thompson::BuildError>())
        .and_then(thompson::BuildError::size_limit)
        .is_some();
    if nfa_too_large || error.is_size_limit_exceeded() {
        return format!(
            "it is too large: compiling it needs more than {} MiB (a counted repetition such as `{{1000}}` copies what it repeats, and nested ones multiply)",
            MAX_COMPILE_BYTES >> 20
        );
    }
    clean_error(error)
}

/// The innermost cause of a build error, without regex-syntax's multi-line caret drawing.
fn clean_error(error: &dyn std::error::Error) -> String {
    let mut inner = error;
    while let Some(source) = inner.source() {
        inner = source;
    }
    let text = inner.to_string();
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    if let Some(pos) = lines.iter().position(|l| l.starts_with("error:")) {
        return lines[pos].trim_start_matches("error:").trim().to_owned();
    }
    lines.join(" ").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_match_semantics() {
        let t = compile("[0-9]{12}").unwrap();
        assert!(t.is_full_match("123456789012"));
        assert!(!t.is_full_match("1234567890123"));
        assert!(!t.is_full_match("12345678901"));
        assert!(!t.is_full_match(""));
        let t = compile("a|ab").unwrap();
        assert!(t.is_full_match("a"));
        assert!(t.is_full_match("ab"));
        assert!(!t.is_full_match("abb"));
        let t = compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*").unwrap();
        assert!(t.is_full_match("team/app.v1"));
        assert!(!t.is_full_match("team//app"));
        assert!(!t.is_full_match("Team"));
        let t = compile("\\p{Greek}+").unwrap();
        assert!(t.is_full_match("αβγ"));
        assert!(!t.is_full_match("abc"));
    }

    #[test]
    fn the_checkers_matcher_agrees_with_the_runtimes_on_the_emitted_bytes() {
        let inputs = [
            "",
            "a",
            "ab",
            "abb",
            "team/app.v1",
            "team//app",
            "αβγ",
            "123456789012",
        ];
        for pattern in [
            "[0-9]{12}",
            "a|ab",
            "[a-z]+(?:/[a-z.0-9]+)*",
            "\\p{Greek}+",
            "(?:ab)*",
        ] {
            let t = compile(pattern).unwrap();
            for input in inputs {
                let runtime = crspec_runtime::full_match(
                    &t.classes,
                    t.alphabet_len,
                    t.start,
                    t.wide(),
                    &t.table_bytes(),
                    &t.accept_bytes(),
                    input.as_bytes(),
                );
                assert_eq!(t.is_full_match(input), runtime, "{pattern} {input:?}");
            }
        }
    }

    /// Runs `code_states` the way the emitted function does.
    fn run_code(
        states: &[CodeState],
        classes: &[u8; 256],
        start: u16,
        accept: &[bool],
        input: &[u8],
    ) -> bool {
        let mut state = start.to_le_bytes()[0];
        for &byte in input {
            let Some(s) = states.iter().find(|s| s.state == state) else {
                return false;
            };
            let class = classes[usize::from(byte)];
            let next = s.moves.iter().find(|(_, group)| group.contains(&class));
            match next {
                Some(&(n, _)) => state = n,
                None => return false,
            }
        }
        accept[usize::from(state)]
    }

    #[test]
    fn code_states_match_like_the_tables() {
        let t = compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*").unwrap();
        let states = t.code_states().expect("a small automaton");
        assert_eq!(states.len(), t.accept.len() - 1);
        // From the start state, digits and lowercase letters (one class) lead on; nothing else.
        let start = states
            .iter()
            .find(|s| u16::from(s.state) == t.start)
            .unwrap();
        assert_eq!(start.moves.len(), 1);
        let class = t.classes[usize::from(b'a')];
        assert_eq!(start.moves[0].1, vec![class]);
        assert_eq!(t.classes[usize::from(b'7')], class);
        assert_ne!(t.classes[usize::from(b'A')], class);
        for input in [
            "team/app.v1",
            "team//app",
            "Team",
            "a",
            "",
            "a-",
            "a-b/c_d",
            "é",
        ] {
            assert_eq!(
                run_code(&states, &t.classes, t.start, &t.accept, input.as_bytes()),
                t.is_full_match(input),
                "{input:?}"
            );
        }
        let t = compile("\\p{Greek}+").unwrap();
        let states = t.code_states().expect("UTF-8 ranges fit");
        for input in ["αβγ", "abc", "α", "", "αa"] {
            assert_eq!(
                run_code(&states, &t.classes, t.start, &t.accept, input.as_bytes()),
                t.is_full_match(input),
                "{input:?}"
            );
        }
    }

    #[test]
    fn large_or_empty_automata_stay_tables() {
        // \w is Unicode-aware: hundreds of states.
        assert_eq!(compile("\\w{1,3}").unwrap().code_states(), None);
        // Nothing matches: no function to write.
        assert_eq!(compile("[a&&b]").unwrap().code_states(), None);
    }

    #[test]
    fn patterns_too_large_to_compile_say_so() {
        // A billion `a`s: stopped at the NFA's budget, not after gigabytes.
        for pattern in [
            "(?:a{1000}){1000}{1000}",
            "(?:[a-z]{1000}){1000}",
            "a{1000000}",
        ] {
            let e = compile(pattern).unwrap_err();
            assert!(
                e.starts_with("it is too large: compiling it needs more than 8 MiB"),
                "{pattern}: {e}"
            );
        }
        // Past the determinization budget: each Unicode `\w` is hundreds of states.
        let e = compile("\\w{50}[^a]{50}\\w{50}").unwrap_err();
        assert!(
            e.contains("too large") || e.contains("automaton states"),
            "{e}"
        );
        // Large but within budget: only the state count stops it.
        let e = compile("[a-z]{5000}").unwrap_err();
        assert!(e.contains("4096 automaton states"), "{e}");
    }

    #[test]
    fn bad_patterns_say_why() {
        let e = compile("[a-").unwrap_err();
        assert!(e.contains("unclosed character class"), "{e}");
        let e = compile("\\bword\\b").unwrap_err();
        assert!(!e.is_empty());
    }
}
