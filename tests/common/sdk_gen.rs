//! Seeded generators for `tests/sdk.rs`: a SplitMix64 generator, requests that satisfy every
//! constraint of a spec (read from the specs' IR, so they follow the specs as they change), and
//! response bodies in every form a provider's model allows, written as JSON text (numbers keep
//! the exact form they were generated in: `1.50`, `1E+3`, `-0`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use crspec_codegen::ir::{Bounds, Field, Module, Num, Tables, TsFormat, Ty};
use serde_json::{Map, Value};

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

/// SplitMix64: tiny, fast, and the same numbers on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0);
        // Lemire's multiply-shift: the tiny bias is of no matter here.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap()
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        #[allow(clippy::cast_precision_loss)]
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        unit < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: i128, hi: i128) -> i128 {
        assert!(lo <= hi);
        let span = u128::try_from(hi - lo).unwrap() + 1;
        let r = if span > u128::from(u64::MAX) {
            (u128::from(self.next_u64()) << 64 | u128::from(self.next_u64())) % span
        } else {
            u128::from(self.below(u64::try_from(span).unwrap()))
        };
        lo + i128::try_from(r).unwrap()
    }

    /// An integer in `lo..=hi`, often an edge: the bounds, one inside them, 0 and ±1, small
    /// values; otherwise anywhere in the range.
    pub fn edgy_int(&mut self, lo: i128, hi: i128) -> i128 {
        let edges = [lo, hi, lo + 1, hi - 1, 0, 1, -1, 2, 10, 100];
        match self.below(10) {
            0..=3 => {
                let e = *self.pick(&edges);
                if (lo..=hi).contains(&e) { e } else { lo }
            }
            4..=5 => self.between(lo.max(0).min(hi), hi.min(lo.max(0) + 1000).max(lo)),
            _ => self.between(lo, hi),
        }
    }

    /// A version-4 UUID, as JD Cloud's nonces are.
    pub fn uuid(&mut self) -> String {
        let hex = format!(
            "{:016x}{:016x}",
            self.next_u64(),
            (self.next_u64() & !0xf000_0000_0000_0000) | 0x8000_0000_0000_0000
        );
        format!(
            "{}-{}-4{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[13..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

// ---------------------------------------------------------------------------------------------
// The specs' IR
// ---------------------------------------------------------------------------------------------

/// The IR of `specs/<id>.yaml`, checked by the generator (the same specs `build.rs` generated
/// the compiled modules from).
pub fn module(id: &str) -> &'static Module {
    static MODULES: OnceLock<Vec<Module>> = OnceLock::new();
    let modules = MODULES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        ["ecr", "ecr_public", "tcr", "jdcloud"]
            .iter()
            .map(|id| {
                let file = format!("specs/{id}.yaml");
                let text = std::fs::read_to_string(root.join(&file)).unwrap();
                crspec_codegen::generate(&file, &text)
                    .unwrap_or_else(|d| panic!("{file}: {d}"))
                    .ir
            })
            .collect()
    });
    modules
        .iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("no spec with provider id {id}"))
}

// ---------------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------------

const ALNUM: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const PUNCT: &str = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
const UNICODE: &[char] = &[
    'é',
    'ß',
    'Ω',
    'й',
    '中',
    '文',
    '😀',
    '🦀',
    '\u{301}',
    '\u{feff}',
    '\u{2028}',
    '\u{fffd}',
    '\u{10ffff}',
    '\u{a0}',
];
const CONTROL: &[char] = &['\t', '\n', '\r', '\u{1}', '\u{1f}', '\u{7f}', '\u{0}'];

/// Which characters a free string (one without a pattern) is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chars {
    /// Letters and digits.
    Alnum,
    /// Letters, digits and ASCII punctuation.
    Ascii,
    /// Any of the above, non-ASCII letters, marks, astral characters.
    Unicode,
    /// All of it, control characters included.
    Any,
}

impl Rng {
    pub fn chars_mix(&mut self) -> Chars {
        match self.below(10) {
            0..=3 => Chars::Alnum,
            4..=5 => Chars::Ascii,
            6..=8 => Chars::Unicode,
            _ => Chars::Any,
        }
    }

    /// One character of `chars`, never one of `avoid`.
    pub fn char_of(&mut self, chars: Chars, avoid: &[char]) -> char {
        loop {
            let c = match (chars, self.below(10)) {
                (Chars::Alnum, _) | (_, 0..=4) => char::from(*self.pick(ALNUM.as_bytes())),
                (Chars::Ascii, _) | (_, 5..=6) => char::from(*self.pick(PUNCT.as_bytes())),
                (Chars::Unicode, _) | (_, 7..=8) => *self.pick(UNICODE),
                (Chars::Any, _) => *self.pick(CONTROL),
            };
            if !avoid.contains(&c) {
                return c;
            }
        }
    }

    pub fn text(&mut self, len: usize, chars: Chars, avoid: &[char]) -> String {
        (0..len).map(|_| self.char_of(chars, avoid)).collect()
    }

    /// A length in `lo..=hi` (characters), often one of the bounds.
    pub fn length(&mut self, lo: u64, hi: u64) -> usize {
        let n = match self.below(10) {
            0..=1 => lo,
            2..=3 => hi,
            4 => (lo + 1).min(hi),
            5 => hi.saturating_sub(1).max(lo),
            _ => u64::try_from(self.between(i128::from(lo), i128::from(hi))).unwrap(),
        };
        usize::try_from(n).unwrap()
    }

    /// The longest a string without a `max` gets: mostly short, sometimes a few hundred.
    pub fn open_max(&mut self) -> u64 {
        match self.below(20) {
            0 => 300,
            1..=3 => 64,
            _ => 16,
        }
    }
}

/// Random strings that a pattern's automaton accepts, of a chosen length in characters.
pub struct Walker {
    alphabet: Vec<String>,
    /// `alnum[c]`: character `c` is an ASCII letter or digit.
    alnum: Vec<bool>,
    /// `next[s][c]`: the state after character `c` from state `s` (0 is dead).
    next: Vec<Vec<usize>>,
    /// `good[k][s]`: from `s`, some `k` more characters reach an accepting state.
    good: Vec<Vec<bool>>,
    start: usize,
}

impl Walker {
    pub fn new(t: &Tables, max_len: usize) -> Self {
        let mut alphabet: Vec<String> = ALNUM
            .chars()
            .chain(PUNCT.chars())
            .chain(UNICODE.iter().copied())
            .map(String::from)
            .collect();
        alphabet.sort();
        alphabet.dedup();
        let states = t.accept.len();
        let step = |s: usize, b: u8| {
            usize::from(t.table[s * t.alphabet_len + usize::from(t.classes[usize::from(b)])])
        };
        let next: Vec<Vec<usize>> = (0..states)
            .map(|s| {
                alphabet
                    .iter()
                    .map(|c| {
                        c.bytes()
                            .try_fold(s, |s, b| (s != 0).then(|| step(s, b)))
                            .unwrap_or(0)
                    })
                    .collect()
            })
            .collect();
        let mut good = vec![
            (0..states)
                .map(|s| s != 0 && t.accept[s])
                .collect::<Vec<_>>(),
        ];
        for k in 1..=max_len {
            let prev = &good[k - 1];
            let row = (0..states)
                .map(|s| s != 0 && next[s].iter().any(|&n| prev[n]))
                .collect();
            good.push(row);
        }
        let alnum = alphabet
            .iter()
            .map(|c| c.chars().all(|ch| ch.is_ascii_alphanumeric()))
            .collect();
        Self {
            alphabet,
            alnum,
            next,
            good,
            start: usize::from(t.start),
        }
    }

    pub fn feasible(&self, len: usize) -> bool {
        self.good.get(len).is_some_and(|row| row[self.start])
    }

    /// A random accepted string of `len` characters, if there is one.
    pub fn walk(&self, rng: &mut Rng, len: usize) -> Option<String> {
        if !self.feasible(len) {
            return None;
        }
        let mut s = self.start;
        let mut out = String::new();
        for k in (1..=len).rev() {
            let ok = |c: usize| self.good[k - 1][self.next[s][c]];
            // Letters and digits most of the time, so that names look like names; any
            // accepted character otherwise. A few random tries first (most characters are
            // accepted most of the time), then a scan.
            let want_alnum = rng.chance(0.7);
            let tried = (0..16).find_map(|_| {
                let c = rng.index(self.alphabet.len());
                (ok(c) && (!want_alnum || self.alnum[c])).then_some(c)
            });
            let c = tried.unwrap_or_else(|| {
                let options = (0..self.alphabet.len()).filter(|&c| ok(c)).count();
                let i = rng.index(options);
                (0..self.alphabet.len())
                    .filter(|&c| ok(c))
                    .nth(i)
                    .expect("an accepted character")
            });
            out.push_str(&self.alphabet[c]);
            s = self.next[s][c];
        }
        Some(out)
    }
}

// ---------------------------------------------------------------------------------------------
// Requests from the IR
// ---------------------------------------------------------------------------------------------

/// What a request generator may not choose freely for a member: `Some(value)` to set it,
/// given the member and the generator.
pub type Override<'a> = &'a mut dyn FnMut(&Field, &mut Rng) -> Option<Value>;

pub struct RequestGen {
    pub module: &'static Module,
    walkers: HashMap<usize, Walker>,
    /// Characters free strings never contain (e.g. `&` and `=` in JD Cloud's query, which its
    /// SDK does not escape), unless a case allows them.
    pub avoid: Vec<char>,
}

fn int_bounds(ty: &Ty) -> (i128, i128) {
    match ty {
        Ty::Integer => (i128::from(i32::MIN), i128::from(i32::MAX)),
        _ => (i128::from(i64::MIN), i128::from(i64::MAX)),
    }
}

fn num_int(n: Num) -> i128 {
    match n {
        Num::Int(i) => i,
        #[allow(clippy::cast_possible_truncation)]
        Num::Float(f) => f as i128,
    }
}

impl RequestGen {
    pub fn new(module: &'static Module) -> Self {
        let walkers = module
            .patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (i, Walker::new(&p.tables, 320)))
            .collect();
        Self {
            module,
            walkers,
            avoid: Vec::new(),
        }
    }

    /// The input of the module's (one) operation, every constraint satisfied.
    pub fn request(&self, rng: &mut Rng, over: Override<'_>) -> Value {
        let input = self.module.operations[0].input;
        self.structure(rng, input.0, over)
    }

    fn structure(&self, rng: &mut Rng, sid: usize, over: Override<'_>) -> Value {
        let s = &self.module.structs[sid];
        let mode = rng.below(8); // 0: every member, 1: the required ones only, else each by a coin
        let mut out = Map::new();
        for f in &s.fields {
            let present = f.must_be_set || mode == 0 || (mode != 1 && rng.chance(0.5));
            if !present {
                continue;
            }
            let v = match over(f, rng) {
                Some(v) => v,
                None => self.member(rng, f, over),
            };
            if !v.is_null() {
                out.insert(f.wire.clone(), v);
            }
        }
        for group in &s.exclusive {
            let set: Vec<usize> = group
                .members
                .iter()
                .copied()
                .filter(|&i| out.contains_key(&s.fields[i].wire))
                .collect();
            if set.len() > 1 {
                let keep = *rng.pick(&set);
                for i in set {
                    if i != keep {
                        out.remove(&s.fields[i].wire);
                    }
                }
            }
        }
        Value::Object(out)
    }

    fn member(&self, rng: &mut Rng, f: &Field, over: Override<'_>) -> Value {
        match &f.ty {
            Ty::String | Ty::SharedString | Ty::ShortString => {
                Value::String(self.string(rng, f.length, f.pattern.map(|p| p.0)))
            }
            Ty::Integer | Ty::Long => {
                let (tlo, thi) = int_bounds(&f.ty);
                let lo = f
                    .range
                    .and_then(|r| r.min)
                    .map_or(tlo, |n| num_int(n).max(tlo));
                let hi = f
                    .range
                    .and_then(|r| r.max)
                    .map_or(thi, |n| num_int(n).min(thi));
                let n = rng.edgy_int(lo, hi);
                Value::from(i64::try_from(n).unwrap())
            }
            Ty::List(item) => {
                let lo = f.items.and_then(|b| b.min).unwrap_or(0);
                let hi = f.items.and_then(|b| b.max).unwrap_or(4).max(lo);
                let n = rng.length(lo, hi);
                Value::Array((0..n).map(|_| self.value(rng, item, over)).collect())
            }
            ty => self.value(rng, ty, over),
        }
    }

    /// A value of a type with no member constraints (list items, nested structures).
    fn value(&self, rng: &mut Rng, ty: &Ty, over: Override<'_>) -> Value {
        match ty {
            Ty::String | Ty::SharedString | Ty::ShortString | Ty::Digest => {
                Value::String(self.string(rng, None, None))
            }
            Ty::Integer | Ty::Long => {
                let (lo, hi) = int_bounds(ty);
                Value::from(i64::try_from(rng.edgy_int(lo, hi)).unwrap())
            }
            Ty::Double => Value::from(rng.between(-1000, 1000) as f64 / 8.0),
            Ty::Boolean => Value::Bool(rng.chance(0.5)),
            Ty::Enum(id) => {
                let e = &self.module.enums[id.0];
                Value::String(rng.pick(&e.values).wire.clone())
            }
            Ty::Struct(id) => self.structure(rng, id.0, over),
            Ty::List(item) => {
                let n = rng.length(0, 4);
                Value::Array((0..n).map(|_| self.value(rng, item, over)).collect())
            }
            Ty::Map(_, v) => {
                let mut m = Map::new();
                for _ in 0..rng.below(3) {
                    m.insert(self.string(rng, None, None), self.value(rng, v, over));
                }
                Value::Object(m)
            }
            Ty::Timestamp(_) => panic!("no request member here is a timestamp"),
        }
    }

    fn string(&self, rng: &mut Rng, length: Option<Bounds<u64>>, pattern: Option<usize>) -> String {
        let lo = length.and_then(|b| b.min).unwrap_or(0);
        let hi = length
            .and_then(|b| b.max)
            .unwrap_or_else(|| rng.open_max().max(lo));
        match pattern {
            Some(p) => {
                let w = &self.walkers[&p];
                for _ in 0..64 {
                    let len = rng.length(lo, hi);
                    if let Some(s) = w.walk(rng, len) {
                        return s;
                    }
                }
                let len = (usize::try_from(lo).unwrap()..=usize::try_from(hi).unwrap())
                    .find(|&n| w.feasible(n))
                    .expect("the pattern accepts a string within the length bounds");
                w.walk(rng, len).unwrap()
            }
            None => {
                let len = rng.length(lo, hi);
                let chars = rng.chars_mix();
                rng.text(len, chars, &self.avoid)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// JSON text with numbers as written
// ---------------------------------------------------------------------------------------------

/// A JSON value whose numbers are kept as text, so that a body can say `1.50`, `1E+3` or `-0`.
#[derive(Debug, Clone, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub fn str(s: impl Into<String>) -> J {
        J::Str(s.into())
    }

    pub fn num(n: impl ToString) -> J {
        J::Num(n.to_string())
    }

    pub fn obj(members: Vec<(&str, J)>) -> J {
        J::Obj(
            members
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    /// JSON text; with `escape_all`, every non-ASCII character as `\uXXXX` (surrogate pairs
    /// for astral ones), as Python's `json.dumps` writes them.
    pub fn text(&self, escape_all: bool) -> String {
        let mut out = String::new();
        self.write(&mut out, escape_all);
        out
    }

    fn write(&self, out: &mut String, escape_all: bool) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => write_str(out, s, escape_all),
            J::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out, escape_all);
                }
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, k, escape_all);
                    out.push(':');
                    v.write(out, escape_all);
                }
                out.push('}');
            }
        }
    }
}

fn write_str(out: &mut String, s: &str, escape_all: bool) {
    if !escape_all {
        out.push_str(&serde_json::to_string(s).unwrap());
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || !c.is_ascii() => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{u:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------------
// Responses from the IR
// ---------------------------------------------------------------------------------------------

/// Generates the output structures of a module in every form its model allows, and records
/// which unusual forms (quirks) a body holds.
pub struct ResponseGen {
    pub module: &'static Module,
    /// The quirks the body being generated holds (see `tests/sdk.rs`, `KNOWN_DIFFERENCES`).
    pub quirks: Vec<&'static str>,
    /// Whether this body may hold a quirk (at most one a body, so that a known difference
    /// never hides another one).
    pub quirk_allowed: bool,
    /// Items a list of structures has at most.
    pub max_items: u64,
    /// Whether members outside the model may appear.
    pub unknown_members: bool,
    /// Member names the body must not use for unknown members.
    pub reserved: Vec<&'static str>,
    /// Numbers only in forms every JSON reader reads alike (no more than 15 significant
    /// digits, fractions of at most six digits), for tests about something else.
    pub tame: bool,
    /// The text of every floating-point number (doubles, timestamps with a fraction) written
    /// since the last `clear`, to tell how a difference in one came about.
    pub floats: Vec<String>,
}

impl ResponseGen {
    pub fn new(module: &'static Module) -> Self {
        Self {
            module,
            quirks: Vec::new(),
            quirk_allowed: false,
            max_items: 5,
            unknown_members: true,
            reserved: Vec::new(),
            tame: false,
            floats: Vec::new(),
        }
    }

    /// Takes the quirk `name` if this body may still have one, with probability `p`.
    pub fn quirk(&mut self, rng: &mut Rng, name: &'static str, p: f64) -> bool {
        if self.quirk_allowed && self.quirks.is_empty() && rng.chance(p) {
            self.quirks.push(name);
            true
        } else {
            false
        }
    }

    pub fn output(&mut self, rng: &mut Rng) -> J {
        let out = self.module.operations[0].output;
        self.structure(rng, out.0)
    }

    pub fn structure(&mut self, rng: &mut Rng, sid: usize) -> J {
        let s = &self.module.structs[sid];
        let mut members = Vec::new();
        for f in &s.fields {
            if f.required || f.must_be_set {
                members.push((f.wire.clone(), self.value(rng, &f.ty)));
                continue;
            }
            match rng.below(20) {
                0..=12 => members.push((f.wire.clone(), self.value(rng, &f.ty))),
                13..=17 => {}
                _ => members.push((f.wire.clone(), J::Null)),
            }
        }
        if self.unknown_members && rng.chance(0.2) {
            for _ in 0..=rng.below(2) {
                let name = loop {
                    let n = match rng.below(4) {
                        0 => format!("x{}", rng.below(1000)),
                        1 => "imageFooBar".to_owned(),
                        2 => "Extra_Member".to_owned(),
                        _ => format!("{}Unknown", s.fields.first().map_or("m", |f| &f.wire)),
                    };
                    if !self.reserved.contains(&n.as_str()) && s.fields.iter().all(|f| f.wire != n)
                    {
                        break n;
                    }
                };
                let v = any_json(rng, 2);
                members.push((name, v));
            }
        }
        // Members in any order: a parser may not depend on it.
        if rng.chance(0.3) {
            for i in (1..members.len()).rev() {
                let j = rng.index(i + 1);
                members.swap(i, j);
            }
        }
        J::Obj(members)
    }

    pub fn string(&mut self, rng: &mut Rng) -> String {
        let hi = rng.open_max();
        let len = rng.length(0, hi);
        let chars = rng.chars_mix();
        rng.text(len, chars, &[])
    }

    fn value(&mut self, rng: &mut Rng, ty: &Ty) -> J {
        match ty {
            Ty::String | Ty::SharedString | Ty::ShortString => J::Str(self.string(rng)),
            Ty::Digest => J::Str(digest(rng)),
            Ty::Integer => J::num(self.int(rng, i128::from(i32::MIN), i128::from(i32::MAX))),
            Ty::Long => J::num(self.int(rng, i128::from(i64::MIN), i128::from(i64::MAX))),
            Ty::Double => {
                let text = if self.tame {
                    format!("{:?}", rng.between(-1_000_000, 1_000_000) as f64 / 64.0)
                } else {
                    double(rng)
                };
                self.floats.push(text.clone());
                J::Num(text)
            }
            Ty::Boolean => J::Bool(rng.chance(0.5)),
            Ty::Timestamp(TsFormat::EpochSeconds) => self.epoch_seconds(rng),
            Ty::Timestamp(TsFormat::Rfc3339) => J::Str(rfc3339(rng)),
            Ty::Timestamp(TsFormat::Text) => J::Str(match rng.below(4) {
                0 => rfc3339(rng),
                1 => "2019-12-05 09:27:24".to_owned(),
                2 => String::new(),
                _ => self.string(rng),
            }),
            Ty::Enum(id) => {
                let e = &self.module.enums[id.0];
                if rng.chance(0.8) {
                    J::Str(rng.pick(&e.values).wire.clone())
                } else {
                    J::Str(match rng.below(3) {
                        0 => "NEW_VALUE".to_owned(),
                        1 => String::new(),
                        _ => self.string(rng),
                    })
                }
            }
            Ty::Struct(id) => self.structure(rng, id.0),
            Ty::List(item) => {
                let hi = if matches!(**item, Ty::Struct(_)) {
                    self.max_items
                } else {
                    4
                };
                let n = rng.length(0, hi);
                J::Arr((0..n).map(|_| self.value(rng, item)).collect())
            }
            Ty::Map(k, v) => {
                let mut members = Vec::new();
                for _ in 0..rng.below(5) {
                    let key = match &**k {
                        Ty::Enum(id) if rng.chance(0.8) => {
                            rng.pick(&self.module.enums[id.0].values).wire.clone()
                        }
                        _ => self.string(rng),
                    };
                    // One key once: a repeated key keeps its last value everywhere, but the
                    // map's order would then say nothing.
                    if members.iter().any(|(k2, _)| *k2 == key) {
                        continue;
                    }
                    members.push((key, self.value(rng, v)));
                }
                J::Obj(members)
            }
        }
    }

    fn int(&mut self, rng: &mut Rng, lo: i128, hi: i128) -> String {
        if self.quirk(rng, "json-negative-zero-integer", 0.002) {
            return "-0".to_owned();
        }
        rng.edgy_int(lo, hi).to_string()
    }

    /// Seconds since the epoch in the forms a JSON number can take, and (quirks) the string
    /// forms botocore also reads.
    fn epoch_seconds(&mut self, rng: &mut Rng) -> J {
        if self.quirk(rng, "ecr-timestamp-strings", 0.01) {
            return J::Str(match rng.below(3) {
                0 => "2023-11-14T22:13:20Z".to_owned(),
                1 => "1700000000".to_owned(),
                _ => "2023-11-14T22:13:20.123456+02:00".to_owned(),
            });
        }
        if self.quirk(rng, "ecr-timestamp-before-year-1", 0.003) {
            return J::num(rng.between(-377_705_116_800, -62_135_596_801));
        }
        // -62135596800 is 0001-01-01T00:00:00Z, the first instant Python's datetime holds;
        // 253402300799 is 9999-12-31T23:59:59Z.
        let secs = match rng.below(10) {
            _ if self.tame => rng.between(946_684_800, 4_102_444_800),
            0 => *rng.pick(&[
                0,
                1,
                -1,
                -62_135_596_800,
                253_402_300_799,
                1_700_000_000,
                2_147_483_647,
                2_147_483_648,
                4_102_444_800,
            ]),
            1 => rng.between(-62_135_596_800, 253_402_300_799),
            2 => rng.between(-2_208_988_800, 0),
            _ => rng.between(946_684_800, 4_102_444_800),
        };
        let frac_digits = match rng.below(10) {
            0..=3 => 0,
            4 => 1,
            5 => 3,
            6 => 6,
            7 => rng.length(2, 6),
            _ if self.tame => rng.length(2, 6),
            _ => rng.length(7, 12),
        };
        // A fraction moves a negative instant further down (`-1.5` is before `-1`): keep the
        // first second of year 1 whole.
        let secs = if frac_digits > 0 && secs == -62_135_596_800 {
            secs + 1
        } else {
            secs
        };
        if !self.tame && secs > 0 && secs < 1 << 40 && rng.chance(0.03) {
            // An odd number of 128ths: exactly half a microsecond past a whole one
            // (`.0078125` is 7812.5 µs), where rounding rules part.
            let k = 2 * rng.between(0, 63) + 1;
            let text = format!("{secs}.{:07}", k * 78_125);
            self.floats.push(text.clone());
            return J::Num(text);
        }
        let mut text = secs.to_string();
        if frac_digits > 0 {
            text.push('.');
            for _ in 0..frac_digits {
                text.push(char::from(b'0' + u8::try_from(rng.below(10)).unwrap()));
            }
        } else if rng.chance(0.1) {
            text.push_str(".0");
        }
        let text = match rng.below(12) {
            // Exponent forms of the same number.
            0 if secs > 0 && frac_digits == 0 => {
                let digits = secs.to_string();
                format!("{}.{}e{}", &digits[..1], &digits[1..], digits.len() - 1).replace(".e", "e")
            }
            1 if secs > 0 && frac_digits == 0 => format!("{secs}E+0"),
            _ => text,
        };
        self.floats.push(text.clone());
        J::Num(text)
    }
}

/// Any JSON, for members outside the model.
pub fn any_json(rng: &mut Rng, depth: u32) -> J {
    match rng.below(if depth == 0 { 5 } else { 7 }) {
        0 => J::Null,
        1 => J::Bool(rng.chance(0.5)),
        2 => J::num(rng.between(-1_000_000, 1_000_000)),
        3 => J::num(format!("{:?}", rng.between(-1000, 1000) as f64 / 7.0)),
        4 => {
            let (len, chars) = (rng.length(0, 12), rng.chars_mix());
            J::Str(rng.text(len, chars, &[]))
        }
        5 => J::Arr(
            (0..rng.below(3))
                .map(|_| any_json(rng, depth - 1))
                .collect(),
        ),
        _ => J::Obj(
            (0..rng.below(3))
                .map(|i| (format!("k{i}"), any_json(rng, depth - 1)))
                .collect(),
        ),
    }
}

/// A digest: mostly `sha256:` and 64 lowercase hex digits, sometimes anything else a registry
/// might send (they are kept as text).
pub fn digest(rng: &mut Rng) -> String {
    let hex = |rng: &mut Rng, n: usize| -> String {
        (0..n)
            .map(|_| char::from(b"0123456789abcdef"[rng.index(16)]))
            .collect()
    };
    match rng.below(10) {
        0..=5 => format!("sha256:{}", hex(rng, 64)),
        6 => format!("sha512:{}", hex(rng, 128)),
        7 => format!("sha256:{}", hex(rng, 64).to_uppercase()),
        8 => format!("sha256:{}", hex(rng, 63)),
        _ => {
            let len = rng.length(0, 20);
            let chars = rng.chars_mix();
            rng.text(len, chars, &[])
        }
    }
}

/// A double in the forms JSON writes one: shortest (`0.1`), exponent (`1e300`, `1.5E-7`),
/// trailing zeros, integers, negative zero.
pub fn double(rng: &mut Rng) -> String {
    let x = match rng.below(6) {
        0 => rng.between(0, 100_000) as f64 / 100.0,
        1 => f64::from_bits(rng.next_u64() & 0x7fef_ffff_ffff_ffff), // any finite positive
        2 => -f64::from_bits(rng.next_u64() & 0x7fef_ffff_ffff_ffff),
        3 => rng.between(0, 1 << 53) as f64,
        4 => *rng.pick(&[
            0.0,
            -0.0,
            0.1,
            1e-300,
            5e-324,
            f64::MAX,
            1e15,
            1e16,
            123_456.789,
        ]),
        _ => rng.between(-1000, 1000) as f64 / 1024.0,
    };
    match rng.below(6) {
        0 if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        1 if x.abs() < 1e10 && x.abs() > 1e-3 => format!("{x:.6}"),
        2 => format!("{x:e}")
            .to_uppercase()
            .replace("E", "E+")
            .replace("E+-", "E-"),
        3 => format!("{x:e}"),
        4 => format!("{x}"),
        _ => format!("{x:?}"),
    }
}

/// An RFC 3339 timestamp, in the variety of forms that standard allows.
pub fn rfc3339(rng: &mut Rng) -> String {
    let (y, mo, d) = (
        rng.between(1970, 2099),
        rng.between(1, 12),
        rng.between(1, 28),
    );
    let (h, mi, s) = (rng.between(0, 23), rng.between(0, 59), rng.between(0, 59));
    let frac = match rng.below(3) {
        0 => String::new(),
        1 => format!(".{:03}", rng.between(0, 999)),
        _ => format!(".{:06}", rng.between(0, 999_999)),
    };
    let zone = match rng.below(3) {
        0 => "Z".to_owned(),
        1 => "+08:00".to_owned(),
        _ => "-05:30".to_owned(),
    };
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{zone}")
}
