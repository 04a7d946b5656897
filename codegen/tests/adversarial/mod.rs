//! A deterministic generator of adversarial specs: `spec(seed)` is the same YAML text for the
//! same seed, on every machine (a SplitMix64 generator).
//!
//! The specs are meant to pass the checker (most of them do) while naming things the way the
//! generated code names its own: shapes, operations, members, enum values and errors take the
//! names of the generator's helper types, generic parameters, builder and trait methods,
//! constants and locals, Rust keywords (with a `rust_name`), the prelude and the standard
//! crates, and names that collide after case conversion. Their structures are adversarial too:
//! recursion through lists, maps and options, shapes shared by members and operations, every
//! pagination style with every member type it allows, summaries with every member type they
//! allow, wire names other than the keys, members in the path, query and headers, outputs
//! whose whole body is one member (`location: payload`) with the rest in headers. A few
//! choices are faults the checker must report (two operations sharing one input, a structure
//! that contains itself through an enum-keyed map, a header member whose wire name is no
//! header name): the test counts what the checker accepts and compiles all of it.
//!
//! `codegen/tests/accepted_compile.rs` compiles the accepted specs; the module has no
//! dependency so that a fuzz target can include it with `#[path]` as well.

use std::fmt::Write as _;

/// SplitMix64: small, fast, and the same sequence everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// `true` with `percent` percent chance.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `words`.
    pub fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Name pools.

/// Type-like names the generated code itself uses: its generic parameters (and serde's), its
/// local helper types, the runtime's types and traits, the names of its trait impls.
pub const GENERATED_TYPE_NAMES: &[&str] = &[
    "S",
    "D",
    "A",
    "B",
    "T",
    "E",
    "R",
    "O",
    "K",
    "V",
    "N",
    "F",
    "M",
    "Members",
    "Visitor",
    "Value",
    "Values",
    "Known",
    "Builder",
    "Error",
    "Output",
    "Input",
    "Call",
    "Paginated",
    "Summarize",
    "Protocol",
    "Operation",
    "Endpoint",
    "Request",
    "Response",
    "Reply",
    "Limits",
    "Path",
    "Violations",
    "ValidationError",
    "Pattern",
    "StringEnum",
    "EnumMap",
    "SharedStr",
    "ShortStr",
    "Digest",
    "EpochSeconds",
    "Rfc3339",
    "TextTimestamp",
    "ImageSummary",
    "ErrorDetails",
    "UnknownError",
    "Location",
    "RequestIdAt",
    "Signing",
    "RequestError",
    "ResponseError",
    "DecodeError",
    "OperationError",
    "MemberIndex",
    "Serialize",
    "Serializer",
    "Deserialize",
    "Deserializer",
    "MapAccess",
    "SerializeStruct",
    "Formatter",
    "Display",
    "FromStr",
    "Infallible",
    "BTreeMap",
    "Unknown",
    "Http",
    "Serde",
    "CrspecRuntime",
    "Private",
    "Check",
    "Structs",
    "Wire",
    "Codes",
    "Classes",
    "Patterns",
    "Provider",
    "ApiVersion",
    "Api",
];

/// The prelude's and the standard library's names, and `Self`-like ones.
pub const STD_TYPE_NAMES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Hash",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "Iterator",
    "IntoIterator",
    "FromIterator",
    "Extend",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "ToString",
    "ToOwned",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Future",
    "IntoFuture",
    "Std",
    "Core",
    "Alloc",
    "Crate",
    "Super",
    "SelfType",
    "Selff",
    "Str",
    "Usize",
    "I64",
    "Bool",
];

/// Ordinary type names (suffixed to keep them distinct).
pub const PLAIN_TYPE_NAMES: &[&str] = &[
    "Image", "Repo", "Filter", "Detail", "Tag", "Item", "Page", "Summary", "Status", "Finding",
    "Info", "FooBar", "Foobar", "Layer",
];

/// Member keys: the methods, associated functions, parameters and locals of generated code,
/// keywords, standard names, case collisions, hostile text.
pub const MEMBER_KEYS: &[&str] = &[
    "build",
    "builder",
    "validate",
    "validate_at",
    "validateAt",
    "to_http",
    "toHttp",
    "serialize",
    "deserialize",
    "deserialize_in_place",
    "next_page",
    "cursor",
    "summaries",
    "parse_response",
    "parse_response_with",
    "from_code",
    "code",
    "category",
    "http_status",
    "is_retryable",
    "details",
    "message",
    "as_str",
    "known_from_bytes",
    "known_index",
    "is_unknown",
    "fmt",
    "from_str",
    "from",
    "into",
    "default",
    "clone",
    "eq",
    "hash",
    "new",
    "map",
    "place",
    "seen",
    "out",
    "value",
    "values",
    "index",
    "item",
    "items",
    "key",
    "path",
    "violations",
    "next",
    "token",
    "size",
    "total",
    "last",
    "start",
    "first",
    "endpoint",
    "limits",
    "response",
    "request",
    "output",
    "input",
    "registry",
    "repository",
    "provider",
    "serializer",
    "deserializer",
    "members",
    "MEMBERS",
    "version",
    "state",
    "byte",
    "field_x",
    "x",
    "fieldX",
    "f",
    "s",
    "d",
    "a",
    "b",
    "t",
    "e",
    "std",
    "core",
    "alloc",
    "option",
    "result",
    "string",
    "vec",
    "some",
    "none",
    "ok",
    "err",
    "i32",
    "i64",
    "u8",
    "u64",
    "usize",
    "bool",
    "str",
    "f64",
    "char",
    "fooBar",
    "foo_bar",
    "FooBar",
    "imageId",
    "imageID",
    "image_id",
    "nextToken",
    "NextToken",
    "maxResults",
    "PageSize",
    "pageNumber",
    "Offset",
    "TotalCount",
    "URL",
    "httpURL",
    "a1b2",
    "_private",
    "kebab-case",
    "dotted.name",
    "with space",
    "ÜmlautName",
];

/// Keywords (strict, reserved, 2024's `gen`) and the `rust_name`s they get.
pub const KEYWORD_KEYS: &[&str] = &[
    "type", "self", "Self", "crate", "super", "mod", "fn", "impl", "ref", "match", "move", "async",
    "await", "dyn", "gen", "try", "box", "yield", "abstract", "final", "macro", "override", "priv",
    "typeof", "unsized", "virtual", "become", "do", "static", "const", "use", "where", "loop",
    "in", "as", "enum", "struct", "trait", "unsafe", "extern", "let", "return",
];

/// Enum values (wire), some of which need a `name`.
pub const ENUM_VALUES: &[&str] = &[
    "TAGGED",
    "UNTAGGED",
    "ANY",
    "IN_PROGRESS",
    "COMPLETE",
    "FAILED",
    "application/vnd.oci.image.manifest.v1+json",
    "a b",
    "123",
    "Unknown",
    "unknown",
    "UNKNOWN",
    "self",
    "Self",
    "type",
    "Values",
    "VALUES",
    "Known",
    "KNOWN",
    "Some",
    "None",
    "Ok",
    "Err",
    "S",
    "A",
    "as_str",
    "",
    "ÄÖÜ",
    "lower-case",
    "CamelCase",
    "camelCase",
    "camel_case",
];

/// Variant names given with `name:` (enum values and errors).
pub const VARIANT_NAMES: &[&str] = &[
    "Values", "Known", "Some", "None", "Ok", "Err", "S", "A", "Option", "Result", "String", "Code",
    "Details", "Message", "Category", "Members", "Unknown2", "Error", "Debug", "Default",
];

/// Operation names: ordinary, and names of the generated code's own items.
pub const OP_NAMES: &[&str] = &[
    "DescribeImages",
    "ListTags",
    "GetThing",
    "describe_repos",
    "DescribeRepos",
    "B",
    "S",
    "D",
    "A",
    "E",
    "Members",
    "Call",
    "Paginated",
    "Protocol",
    "Operation",
    "Endpoint",
    "Wire",
    "Reply",
    "Limits",
    "Path",
    "Pattern",
    "Output",
    "Input",
    "Visitor",
    "Value",
    "Unknown",
    "Build",
    "Validate",
    "ToHttp",
    "Codes",
    "Name",
    "Method",
    "Provider",
    "Endpoint2",
    "Std",
    "Core",
    "Describe Images",
    "get.thing",
    "list-tags_v2",
];

/// Error codes, ordinary and adversarial.
pub const ERROR_CODES: &[&str] = &[
    "RepositoryNotFoundException",
    "ImageNotFoundException",
    "InternalError.DbError",
    "InternalError",
    "aws.ecr#ThrottlingException",
    "ServerException",
    "404",
    "not-found",
    "Unknown",
    "NOT_FOUND",
    "错误",
    "Code",
    "Details",
    "Message",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "self",
    "S",
    "B",
    "Error",
    "Debug",
];

/// Patterns, with a value each matches (for defaults).
pub const PATTERNS: &[(&str, &str)] = &[
    ("[0-9]{12}", "123456789012"),
    ("[a-zA-Z0-9-_.]+", "v1.0"),
    ("sha256:[a-f0-9]{64}", ""),
    (".*", ""),
    ("\\d+", "42"),
    ("[\\p{L}\\p{N}]+", "é1"),
    ("(a|b)*c", "abc"),
    ("[^\"\\\\]*", "quote-free"),
    ("\"*/\\n", ""),
    ("(?i)abc", "ABC"),
    ("x{0,1000}", "xx"),
    ("\\w+", "w"),
];

/// Hostile fragments of free text (docs, wire names, header values).
pub const FRAGMENTS: &[&str] = &[
    "*/",
    "/*",
    "//!",
    "///",
    "```",
    "```rust\npanic!()\n```",
    "~~~",
    "\"",
    "\"#",
    "r#\"",
    "\\",
    "'",
    "#![deny(warnings)]",
    "#[doc = \"x\"]",
    "]]",
    "[`x`]",
    "[x]: http://e.invalid",
    "<script>alert(1)</script>",
    "&amp;",
    "{",
    "}",
    "\r\n",
    "\n\n",
    "\t",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{202e}",
    "\u{2066}",
    "\u{200b}",
    "\u{feff}",
    "é",
    "腾讯",
    "🦀",
    "e\u{301}",
    "$crate",
    "::",
    "`",
    "Self",
    "r#type",
    "fn main() {}",
    "unsafe { }",
    "# ",
    "* ",
    "---",
    "%",
    "@generated",
];

// ---------------------------------------------------------------------------------------------
// The model.

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Prim(&'static str),
    List(Box<Ty>),
    /// Key `None`: `string`; `Some(i)`: the enum shape `i`.
    Map(Option<usize>, Box<Ty>),
    Named(usize),
}

#[derive(Debug, Clone)]
pub struct Member {
    pub key: String,
    pub ty: Ty,
    pub required: bool,
    /// Other keys, rendered in order (`location`, `wire_name`, constraints, docs).
    pub lines: Vec<(String, String)>,
    pub location: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Shape {
    pub name: String,
    pub is_enum: bool,
    pub docs: Option<String>,
    pub members: Vec<Member>,
    pub exclusive: Vec<Vec<String>>,
    /// Enum values: wire, name.
    pub values: Vec<(String, Option<String>)>,
}

pub struct Spec {
    pub rng: Rng,
    pub shapes: Vec<Shape>,
    pub errors: Vec<(String, Option<String>, Vec<String>)>,
    /// Some output's member is its whole body (`location: payload`): no response envelope.
    pub payload: bool,
}

/// YAML double-quoted scalar.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{20}'..='\u{7e}' => out.push(c),
            c if matches!(c as u32, 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
                && c != '\u{feff}' =>
            {
                out.push(c);
            }
            c if (c as u32) <= 0xFF => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// The Rust field name the generator makes of a key.
pub fn snake(s: &str) -> String {
    crspec_codegen::names::field_name(s)
}

fn is_plain_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "_"
}

/// A mapping key: plain when that is safe, else quoted.
fn key(s: &str) -> String {
    let plain = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c))
        && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"]
            .contains(&s.to_ascii_lowercase().as_str());
    if plain { s.to_owned() } else { quote(s) }
}

fn letters(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, char::from(b'A' + (i % 26) as u8));
        i /= 26;
        if i == 0 {
            return s;
        }
        i -= 1;
    }
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

fn hostile(rng: &mut Rng) -> String {
    let n = rng.range(1, 4);
    (0..n).map(|_| *rng.pick(FRAGMENTS)).collect()
}

fn docs(rng: &mut Rng) -> Option<String> {
    match rng.below(10) {
        0..=5 => None,
        6..=7 => Some("Plain documentation.".into()),
        _ => Some(format!("Docs {} end.", hostile(rng))),
    }
}

impl Spec {
    fn struct_indices(&self) -> Vec<usize> {
        (0..self.shapes.len())
            .filter(|&i| !self.shapes[i].is_enum)
            .collect()
    }

    fn enum_indices(&self) -> Vec<usize> {
        (0..self.shapes.len())
            .filter(|&i| self.shapes[i].is_enum)
            .collect()
    }

    fn ty_text(&self, ty: &Ty) -> String {
        match ty {
            Ty::Prim(p) => (*p).to_owned(),
            Ty::List(t) => format!("list<{}>", self.ty_text(t)),
            Ty::Map(k, v) => format!(
                "map<{}, {}>",
                k.map_or_else(|| "string".to_owned(), |i| self.shapes[i].name.clone()),
                self.ty_text(v)
            ),
            Ty::Named(i) => self.shapes[*i].name.clone(),
        }
    }

    /// A random type for a member of structure `owner`: a structure is referred to directly
    /// only when it comes later (no direct cycle), through a list or a map anything goes,
    /// the owner included.
    fn random_ty(&mut self, owner: usize, depth: u32) -> Ty {
        let n = self.shapes.len();
        let roll = self.rng.below(100);
        if depth >= 3 || roll < 45 {
            return Ty::Prim(self.rng.word(&[
                "string",
                "string",
                "shared_string",
                "short_string",
                "digest",
                "integer",
                "long",
                "double",
                "boolean",
                "timestamp",
            ]));
        }
        if roll < 62 {
            return Ty::List(Box::new(self.random_inner(owner, depth + 1)));
        }
        if roll < 74 {
            let enums = self.enum_indices();
            let key = if !enums.is_empty() && self.rng.chance(50) {
                Some(*self.rng.pick(&enums))
            } else {
                None
            };
            let value = self.random_inner(owner, depth + 1);
            // An enum-keyed map holds its values inline: no cycle through one, except on
            // purpose (the checker must reject it).
            let value = if key.is_some() && self.reaches(&value, owner) && !self.rng.chance(20) {
                Ty::Prim("string")
            } else {
                value
            };
            return Ty::Map(key, Box::new(value));
        }
        // One in thirty is any shape, itself or an earlier one: an optional member that may
        // close a cycle without a list or map (the checker rejects that).
        let any = self.rng.chance(3);
        let later: Vec<usize> = (0..n)
            .filter(|&i| any || self.shapes[i].is_enum || i > owner)
            .collect();
        if later.is_empty() {
            Ty::Prim("integer")
        } else {
            Ty::Named(*self.rng.pick(&later))
        }
    }

    /// The item type of a list or the value of a map: any shape, the owner included.
    fn random_inner(&mut self, owner: usize, depth: u32) -> Ty {
        if self.rng.chance(45) {
            let i = if self.rng.chance(30) && !self.shapes[owner].is_enum {
                owner
            } else {
                self.rng.below(self.shapes.len())
            };
            Ty::Named(i)
        } else {
            self.random_ty(owner, depth)
        }
    }

    /// Whether `ty` may contain structure `target` inline (directly or through an
    /// enum-keyed map), ignoring lists and string-keyed maps.
    fn reaches(&self, ty: &Ty, target: usize) -> bool {
        match ty {
            Ty::Named(i) => {
                *i == target || (!self.shapes[*i].is_enum && self.shape_reaches(*i, target, 0))
            }
            Ty::Map(Some(_), v) => self.reaches(v, target),
            _ => false,
        }
    }

    fn shape_reaches(&self, from: usize, target: usize, depth: u32) -> bool {
        if depth > 12 {
            return true;
        }
        self.shapes[from].members.iter().any(|m| match &m.ty {
            Ty::Named(i) => {
                *i == target
                    || (!self.shapes[*i].is_enum && self.shape_reaches(*i, target, depth + 1))
            }
            Ty::Map(Some(_), v) => match &**v {
                Ty::Named(i) => {
                    *i == target
                        || (!self.shapes[*i].is_enum && self.shape_reaches(*i, target, depth + 1))
                }
                _ => false,
            },
            _ => false,
        })
    }

    /// Whether the Rust field name `rust` is taken in `shape`.
    fn rust_taken(&self, shape: usize, rust: &str) -> bool {
        self.shapes[shape]
            .members
            .iter()
            .any(|m| rust_of(m) == rust)
    }

    /// A fresh member key for `shape`: adversarial most of the time, each Rust name once.
    fn member_key(&mut self, shape: usize) -> (String, Option<String>) {
        for _ in 0..20 {
            let roll = self.rng.below(100);
            let (key, rust) = if roll < 8 {
                let k = *self.rng.pick(KEYWORD_KEYS);
                let rust = match self.rng.below(3) {
                    0 => format!("the_{}", k.to_lowercase()),
                    1 => format!("r_{}", k.to_lowercase()),
                    _ => format!("{}_value", k.to_lowercase()),
                };
                (k.to_owned(), Some(rust))
            } else if roll < 11 {
                (
                    hostile(&mut self.rng),
                    Some(format!("hostile_{}", self.rng.below(1000))),
                )
            } else {
                (self.rng.pick(MEMBER_KEYS).to_string(), None)
            };
            // A key the checker cannot make a name of gets a `rust_name`, and so does one
            // that would be a builder method (most of the time: the checker rejects it).
            let rust = rust.or_else(|| {
                let r = snake(&key);
                let builder_method = ["build", "validate_at"].contains(&r.as_str());
                (!is_plain_ident(&r)
                    || KEYWORDS.contains(&r.as_str())
                    || (builder_method && !self.rng.chance(5)))
                .then(|| format!("m_{}", self.rng.below(1000)))
            });
            let r = rust.clone().unwrap_or_else(|| snake(&key));
            let key_taken = self.shapes[shape].members.iter().any(|m| m.key == key);
            if !key_taken && !self.rust_taken(shape, &r) {
                return (key, rust);
            }
        }
        let n = self.shapes[shape].members.len();
        (format!("member{}", letters(n + 100)), None)
    }

    /// Adds a member of type `ty` to `shape`, with an adversarial key; returns its key.
    fn add_member(&mut self, shape: usize, ty: Ty, required: bool) -> String {
        let (key, rust) = self.member_key(shape);
        let mut lines = Vec::new();
        if let Some(r) = rust {
            lines.push(("rust_name".to_owned(), quote(&r)));
        }
        if required {
            lines.push(("required".to_owned(), "true".to_owned()));
        }
        if self.rng.chance(25) {
            lines.push(("wire_name".to_owned(), quote(&self.wire_name())));
        }
        self.shapes[shape].members.push(Member {
            key: key.clone(),
            ty,
            required,
            lines,
            location: None,
        });
        key
    }

    /// A wire name other than the key: a pool name, or hostile text.
    fn wire_name(&mut self) -> String {
        if self.rng.chance(70) {
            format!("{}{}", self.rng.pick(MEMBER_KEYS), self.rng.below(100))
        } else {
            format!("w{}", hostile(&mut self.rng))
        }
    }
}

fn rust_of(m: &Member) -> String {
    m.lines
        .iter()
        .find(|(k, _)| k == "rust_name")
        .map_or_else(|| snake(&m.key), |(_, v)| v.trim_matches('"').to_owned())
}

/// Constraints, a default and docs that fit the member's type; a timestamp format.
fn decorate(spec: &mut Spec, m: &mut Member) {
    let rng = &mut spec.rng;
    let string_like = matches!(m.ty, Ty::Prim("string" | "shared_string" | "short_string"));
    let number = matches!(m.ty, Ty::Prim("integer" | "long" | "double"));
    let mut length = None;
    if string_like && rng.chance(25) {
        let lo = rng.below(4) as u64;
        let hi = lo + rng.below(300) as u64;
        length = Some((lo, hi));
        m.lines
            .push(("length".into(), format!("{{min: {lo}, max: {hi}}}")));
    }
    let mut pattern = None;
    if string_like && rng.chance(20) {
        let (p, example) = *rng.pick(PATTERNS);
        pattern = Some(example);
        m.lines.push(("pattern".into(), quote(p)));
    }
    let mut range = None;
    if number && rng.chance(30) {
        let (lo, hi) = match m.ty {
            Ty::Prim("integer") => (
                -(rng.below(1000) as i64),
                if rng.chance(10) {
                    i64::from(i32::MAX)
                } else {
                    rng.below(100_000) as i64
                },
            ),
            _ => (
                if rng.chance(10) {
                    i64::MIN
                } else {
                    -(rng.below(10) as i64)
                },
                if rng.chance(10) {
                    i64::MAX
                } else {
                    rng.below(100_000) as i64
                },
            ),
        };
        range = Some((lo, hi));
        if m.ty == Ty::Prim("double") && rng.chance(50) {
            m.lines.push((
                "range".into(),
                format!(
                    "{{min: {:?}, max: {:?}}}",
                    lo as f64 - 0.5,
                    hi as f64 + 0.25
                ),
            ));
        } else {
            m.lines
                .push(("range".into(), format!("{{min: {lo}, max: {hi}}}")));
        }
    }
    if matches!(m.ty, Ty::List(_)) && rng.chance(20) {
        let lo = rng.below(3);
        let hi = lo + rng.below(50);
        m.lines
            .push(("items".into(), format!("{{min: {lo}, max: {hi}}}")));
    }
    if m.ty == Ty::Prim("timestamp") && rng.chance(50) {
        let f = *rng.pick(&["epoch_seconds", "rfc3339", "text"]);
        m.lines.push(("format".into(), f.into()));
    }
    if rng.chance(20) {
        let value = match &m.ty {
            Ty::Prim("string") => match (pattern, length) {
                (Some(p), Some((lo, hi))) => {
                    let n = p.chars().count() as u64;
                    (n >= lo && n <= hi && !p.is_empty()).then(|| quote(p))
                }
                (Some(p), None) => (!p.is_empty()).then(|| quote(p)),
                (None, Some((lo, _))) => Some(quote(&"d".repeat(lo as usize))),
                (None, None) => Some(quote(&hostile(rng))),
            },
            Ty::Prim("integer" | "long") => {
                let v = match range {
                    Some((lo, hi)) => {
                        if rng.chance(50) {
                            lo
                        } else {
                            hi
                        }
                    }
                    None if m.ty == Ty::Prim("integer") => i64::from(i32::MIN),
                    None => *rng.pick(&[i64::MIN, i64::MAX, 0, 100]),
                };
                Some(v.to_string())
            }
            Ty::Prim("double") => Some(match range {
                Some((lo, _)) => format!("{lo}"),
                None => "1.5".into(),
            }),
            Ty::Prim("boolean") => Some("true".into()),
            Ty::Named(i) if spec.shapes[*i].is_enum => {
                let values = &spec.shapes[*i].values;
                (!values.is_empty()).then(|| quote(&values[rng.below(values.len())].0))
            }
            _ => None,
        };
        if let Some(v) = value {
            m.lines.push(("default".into(), v));
        }
    }
    if let Some(d) = docs(rng) {
        m.lines.push(("docs".into(), quote(&d)));
    }
    if rng.chance(5) {
        m.lines.push(("nullable".into(), "true".into()));
    }
}

/// The adversarial spec of `seed`.
pub fn spec(seed: u64) -> String {
    let mut s = Spec {
        rng: Rng::new(seed),
        shapes: Vec::new(),
        errors: Vec::new(),
        payload: false,
    };
    let rng = &mut s.rng;

    // Shape names and kinds.
    let n_shapes = rng.range(2, 7);
    let mut names: Vec<String> = Vec::new();
    for i in 0..n_shapes {
        let name = loop {
            let roll = rng.below(100);
            let candidate = if roll < 45 {
                rng.pick(GENERATED_TYPE_NAMES).to_string()
            } else if roll < 48 {
                rng.pick(STD_TYPE_NAMES).to_string()
            } else {
                format!("{}{}", rng.pick(PLAIN_TYPE_NAMES), letters(i))
            };
            if !names.contains(&candidate) {
                break candidate;
            }
        };
        names.push(name.clone());
        let is_enum = i > 0 && rng.chance(25);
        s.shapes.push(Shape {
            name,
            is_enum,
            docs: None,
            members: Vec::new(),
            exclusive: Vec::new(),
            values: Vec::new(),
        });
    }
    // Enum values.
    for i in 0..s.shapes.len() {
        if !s.shapes[i].is_enum {
            continue;
        }
        let n = s.rng.range(1, 5);
        let mut variants: Vec<String> = Vec::new();
        for j in 0..n {
            let wire = s.rng.pick(ENUM_VALUES).to_string();
            if s.shapes[i].values.iter().any(|(w, _)| *w == wire) {
                continue;
            }
            let natural = upper_camel(&wire);
            let bad = !is_plain_ident(&natural)
                || KEYWORDS.contains(&natural.as_str())
                || natural == "Unknown"
                || variants.contains(&natural)
                || upper_camel(&natural) != natural;
            let name = if bad || s.rng.chance(15) {
                let mut n = s.rng.pick(VARIANT_NAMES).to_string();
                if variants.contains(&n) || n == "Unknown" {
                    n = format!("Value{}", letters(j));
                }
                Some(n)
            } else {
                None
            };
            variants.push(name.clone().unwrap_or(natural));
            s.shapes[i].values.push((wire, name));
        }
        s.shapes[i].docs = docs(&mut s.rng);
    }

    // Operations pick their inputs and outputs first: members of inputs travel in places.
    let mut structs = s.struct_indices();
    let n_ops = s.rng.range(1, 3);
    let mut op_names: Vec<String> = Vec::new();
    let mut inputs: Vec<usize> = Vec::new();
    let mut outputs: Vec<usize> = Vec::new();
    for i in 0..n_ops {
        let name = loop {
            let candidate = if s.rng.chance(50) {
                s.rng.pick(OP_NAMES).to_string()
            } else {
                format!("{}{}", s.rng.pick(OP_NAMES), letters(i))
            };
            let rust = upper_camel(&candidate);
            if !op_names.iter().any(|o| upper_camel(o) == rust)
                && !names.contains(&rust)
                && !names.contains(&format!("{rust}Error"))
                && !names.iter().any(|n| format!("{n}Builder") == rust)
            {
                break candidate;
            }
        };
        op_names.push(name);
        // Each operation has an input of its own, except on purpose.
        let free: Vec<usize> = structs
            .iter()
            .copied()
            .filter(|i| !inputs.contains(i))
            .collect();
        let input = if !inputs.is_empty() && s.rng.chance(4) {
            *s.rng.pick(&inputs)
        } else if free.is_empty() {
            // A structure of its own.
            let name = loop {
                let candidate = format!("{}Input{i}", s.rng.pick(GENERATED_TYPE_NAMES));
                if !names.contains(&candidate) {
                    break candidate;
                }
            };
            names.push(name.clone());
            s.shapes.push(Shape {
                name,
                is_enum: false,
                docs: None,
                members: Vec::new(),
                exclusive: Vec::new(),
                values: Vec::new(),
            });
            structs.push(s.shapes.len() - 1);
            s.shapes.len() - 1
        } else {
            *s.rng.pick(&free)
        };
        inputs.push(input);
        outputs.push(*s.rng.pick(&structs));
    }

    // Members.
    for i in 0..s.shapes.len() {
        if s.shapes[i].is_enum {
            continue;
        }
        let n = s.rng.range(0, 6);
        for _ in 0..n {
            let ty = s.random_ty(i, 0);
            let required = s.rng.chance(25);
            let key = s.add_member(i, ty, required);
            let mut m = s.shapes[i].members.pop().expect("just added");
            debug_assert_eq!(m.key, key);
            // An output's members are read from the body or a response header, never the
            // query or path: a structure that is both gets no placed members.
            let (input, output) = (inputs.contains(&i), outputs.contains(&i));
            if input && !output && s.rng.chance(30) {
                place(&mut s, &mut m);
            } else if output && !input && s.rng.chance(15) {
                place_in_response_header(&mut m);
            }
            decorate(&mut s, &mut m);
            s.shapes[i].members.push(m);
        }
        // Exclusive groups, by key, of optional members.
        let optional: Vec<String> = s.shapes[i]
            .members
            .iter()
            .filter(|m| !m.required)
            .map(|m| m.key.clone())
            .collect();
        if optional.len() >= 2 && s.rng.chance(25) {
            let a = s.rng.below(optional.len());
            let mut b = s.rng.below(optional.len());
            if a == b {
                b = (a + 1) % optional.len();
            }
            s.shapes[i]
                .exclusive
                .push(vec![optional[a].clone(), optional[b].clone()]);
        }
        s.shapes[i].docs = docs(&mut s.rng);
    }

    // Errors.
    let n_errors = s.rng.range(0, 4);
    let mut variants: Vec<String> = Vec::new();
    for j in 0..n_errors {
        let code = s.rng.pick(ERROR_CODES).to_string();
        if s.errors.iter().any(|(c, _, _)| *c == code) {
            continue;
        }
        let natural = upper_camel(&code);
        let bad = !is_plain_ident(&natural)
            || KEYWORDS.contains(&natural.as_str())
            || natural == "Unknown"
            || variants.contains(&natural)
            || upper_camel(&natural) != natural;
        let name = if bad || s.rng.chance(10) {
            let mut n = s.rng.pick(VARIANT_NAMES).to_string();
            if variants.contains(&n) || n == "Unknown" {
                n = format!("Error{}", letters(j));
            }
            Some(n)
        } else {
            None
        };
        variants.push(name.clone().unwrap_or(natural));
        let mut lines = Vec::new();
        if s.rng.chance(60) {
            lines.push(format!("http_status: {}", 400 + s.rng.below(200)));
        }
        if s.rng.chance(30) {
            lines.push("retryable: true".into());
        }
        if let Some(d) = docs(&mut s.rng) {
            lines.push(format!("docs: {}", quote(&d)));
        }
        s.errors.push((code, name, lines));
    }

    // Operations.
    let mut op_text = String::new();
    for (i, name) in op_names.iter().enumerate() {
        let (input, output) = (inputs[i], outputs[i]);
        let _ = writeln!(op_text, "  {}:", key(name));
        if let Some(d) = docs(&mut s.rng) {
            let _ = writeln!(op_text, "    docs: {}", quote(&d));
        }
        let method = *s
            .rng
            .pick(&["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "post"]);
        let _ = writeln!(op_text, "    method: {method}");
        let mut path = String::new();
        for _ in 0..s.rng.below(3) {
            path.push('/');
            path.push_str(s.rng.word(&["v1", "images", "x-y", "a.b", "%20", "~user"]));
        }
        for m in &s.shapes[input].members {
            if m.location == Some("path") {
                let _ = write!(path, "/{{{}}}", m.key);
            }
        }
        if path.is_empty() {
            path.push('/');
        }
        let _ = writeln!(op_text, "    path: {}", quote(&path));
        let _ = writeln!(op_text, "    input: {}", s.shapes[input].name);
        let _ = writeln!(op_text, "    output: {}", s.shapes[output].name);
        if !s.errors.is_empty() && s.rng.chance(70) {
            let mut list: Vec<String> = Vec::new();
            for _ in 0..s.rng.range(1, 3) {
                let c = s.errors[s.rng.below(s.errors.len())].0.clone();
                if !list.contains(&c) {
                    list.push(c);
                }
            }
            let list: Vec<String> = list.iter().map(|c| quote(c)).collect();
            let _ = writeln!(op_text, "    errors: [{}]", list.join(", "));
        }
        if s.rng.chance(55) {
            let input_is_output = outputs.contains(&input);
            op_text.push_str(&pagination(&mut s, input, output, input_is_output));
        }
        if s.rng.chance(30) {
            op_text.push_str(&summary(&mut s, input, output));
        }
    }

    payloads(&mut s, &inputs, &outputs);
    render(&mut s, &op_text)
}

/// Whether `ty` names the shape `i`, directly or through lists and maps.
fn mentions(ty: &Ty, i: usize) -> bool {
    match ty {
        Ty::Prim(_) => false,
        Ty::List(t) => mentions(t, i),
        Ty::Map(k, v) => *k == Some(i) || mentions(v, i),
        Ty::Named(n) => *n == i,
    }
}

/// Whether a response header can hold a member of type `ty`.
fn fits_header(ty: &Ty) -> bool {
    matches!(
        ty,
        Ty::Prim("string" | "short_string" | "shared_string" | "digest" | "integer" | "long")
    )
}

/// Some outputs (used nowhere else) become a payload: their one member that no header can
/// hold, a list, a map or a structure, is the whole response body, and every other member is
/// read from a response header.
fn payloads(s: &mut Spec, inputs: &[usize], outputs: &[usize]) {
    for &o in outputs {
        let elsewhere = inputs.contains(&o)
            || s.shapes
                .iter()
                .any(|shape| shape.members.iter().any(|m| mentions(&m.ty, o)));
        if elsewhere
            || s.shapes[o]
                .members
                .iter()
                .any(|m| m.location == Some("payload"))
        {
            continue;
        }
        let bodies: Vec<usize> = (0..s.shapes[o].members.len())
            .filter(|&k| {
                let m = &s.shapes[o].members[k];
                m.location.is_none() && !fits_header(&m.ty)
            })
            .collect();
        let body = match bodies[..] {
            [body] => body,
            // Every member fits a header: a new one is the body.
            [] if s.rng.chance(50) => {
                let structs = s.struct_indices();
                let ty = match s.rng.below(3) {
                    0 => Ty::List(Box::new(Ty::Prim("string"))),
                    1 => Ty::Map(None, Box::new(Ty::Prim("long"))),
                    _ => Ty::Named(*s.rng.pick(&structs)),
                };
                let required = s.rng.chance(20);
                s.add_member(o, ty, required);
                s.shapes[o].members.len() - 1
            }
            _ => continue,
        };
        let fits = match s.shapes[o].members[body].ty {
            Ty::List(_) | Ty::Map(..) => true,
            Ty::Named(n) => !s.shapes[n].is_enum,
            Ty::Prim(_) => false,
        };
        if !fits || !s.rng.chance(80) {
            continue;
        }
        for m in &mut s.shapes[o].members {
            if m.location.is_none() && fits_header(&m.ty) {
                place_in_response_header(m);
            }
        }
        let m = &mut s.shapes[o].members[body];
        m.location = Some("payload");
        m.lines.push(("location".into(), "payload".into()));
        s.payload = true;
    }
}

/// Where an input member travels: the query, a header or the path (required, a placeholder
/// named by its key), with a type each place takes.
fn place(s: &mut Spec, m: &mut Member) {
    let scalar = matches!(m.ty, Ty::Prim(p) if p != "timestamp" && p != "digest")
        || matches!(&m.ty, Ty::Named(i) if s.shapes[*i].is_enum);
    let location = match s.rng.below(3) {
        0 => "query",
        1 if scalar => "header",
        2 if scalar && is_plain_ident(&m.key) => "path",
        _ => "query",
    };
    if location == "path" {
        if !m.required {
            m.required = true;
            m.lines.push(("required".into(), "true".into()));
        }
        // A wire name other than the key is fine (the placeholder is still the key), one with
        // braces is not (the checker says so): one in twenty keeps it.
        if !s.rng.chance(5) {
            m.lines
                .retain(|(k, v)| k != "wire_name" || !v.contains(['{', '}']));
        }
    }
    if location == "header" {
        // A header member's wire name is its header name; one in twenty is not a header name.
        m.lines.retain(|(k, _)| k != "wire_name");
        if s.rng.chance(5) {
            m.lines.push(("wire_name".into(), quote("X Bad Header")));
        } else if s.rng.chance(50) {
            let name = *s
                .rng
                .pick(&["X-Amz-Meta", "x-tc-token", "If-Match", "X_y!#$%&'*+.^`|~"]);
            m.lines.push(("wire_name".into(), quote(name)));
        } else if !m
            .key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
        {
            m.lines.push(("wire_name".into(), quote("X-Header")));
        }
    }
    m.location = Some(location);
    m.lines.push(("location".into(), location.into()));
}

/// An output member read from a response header, if its type is one a header holds.
fn place_in_response_header(m: &mut Member) {
    if fits_header(&m.ty) {
        m.lines.retain(|(k, _)| k != "wire_name");
        // One header per member: the key's bytes in hex make a header name of its own.
        let hex: String = m.key.bytes().map(|b| format!("{b:02x}")).collect();
        m.lines
            .push(("wire_name".into(), quote(&format!("X-{hex}"))));
        m.location = Some("header");
        m.lines.push(("location".into(), "header".into()));
    }
}

/// The Rust type or variant name the generator makes of a name.
pub fn upper_camel(s: &str) -> String {
    crspec_codegen::names::type_name(s)
}

/// An existing member of `shape` whose type `fits`, or a new one of type `make()`.
fn member_of(
    s: &mut Spec,
    shape: usize,
    fits: impl Fn(&Spec, &Member) -> bool,
    make: impl FnOnce(&mut Spec) -> (Ty, bool),
) -> String {
    let existing: Vec<String> = s.shapes[shape]
        .members
        .iter()
        .filter(|m| fits(s, m))
        .map(|m| m.key.clone())
        .collect();
    if !existing.is_empty() && s.rng.chance(50) {
        return s.rng.pick(&existing).clone();
    }
    let (ty, required) = make(s);
    let key = s.add_member(shape, ty, required);
    let mut m = s.shapes[shape].members.pop().expect("just added");
    decorate(s, &mut m);
    // Pagination members keep a plain default: none on cursors and sizes that could end a
    // list before it starts is needed, but the checker takes any that fits.
    s.shapes[shape].members.push(m);
    key
}

fn is_int(m: &Member) -> bool {
    matches!(m.ty, Ty::Prim("integer" | "long"))
}

fn is_string(m: &Member) -> bool {
    m.ty == Ty::Prim("string")
}

/// A `pagination` block of a random style, with the members it names (added when missing),
/// of every type the style allows.
fn pagination(s: &mut Spec, input: usize, output: usize, input_is_output: bool) -> String {
    let mut style = *s
        .rng
        .pick(&["token", "page_number", "offset_limit", "marker", "link"]);
    // A link sets the input's query members, which must be strings or integers; an output has
    // no query members, so an input that is also an output takes another style.
    let settable = |m: &Member| m.location != Some("query") || is_string(m) || is_int(m);
    if style == "link" && (input_is_output || !s.shapes[input].members.iter().all(settable)) {
        style = "token";
    }
    // `marker` over a list of plain strings: the last item is the marker.
    let string_markers = style == "marker" && s.rng.chance(35);
    let structs = s.struct_indices();
    let mut out = String::from("    pagination:\n");
    let _ = writeln!(out, "      style: {style}");
    let int_ty = |s: &mut Spec| -> (Ty, bool) {
        (
            Ty::Prim(if s.rng.chance(50) { "integer" } else { "long" }),
            s.rng.chance(20),
        )
    };
    // The items: a list of structures for `marker` (its marker is an item's member), any list
    // otherwise.
    let items = if string_markers {
        member_of(
            s,
            output,
            |_, m| matches!(&m.ty, Ty::List(t) if **t == Ty::Prim("string")),
            |s| (Ty::List(Box::new(Ty::Prim("string"))), s.rng.chance(20)),
        )
    } else if style == "marker" {
        member_of(
            s,
            output,
            |s, m| matches!(&m.ty, Ty::List(t) if matches!(**t, Ty::Named(i) if !s.shapes[i].is_enum)),
            |s| {
                let item = *s.rng.pick(&structs);
                (Ty::List(Box::new(Ty::Named(item))), s.rng.chance(20))
            },
        )
    } else {
        member_of(
            s,
            output,
            |_, m| matches!(m.ty, Ty::List(_)),
            |s| {
                let n = s.shapes.len();
                let item = match s.rng.below(6) {
                    0 => Ty::Prim("string"),
                    1 => Ty::List(Box::new(Ty::Prim("integer"))),
                    2 => Ty::Map(None, Box::new(Ty::Prim("string"))),
                    3 => Ty::Prim("digest"),
                    _ => Ty::Named(s.rng.below(n)),
                };
                (Ty::List(Box::new(item)), s.rng.chance(20))
            },
        )
    };
    let _ = writeln!(out, "      items: {}", quote(&items));
    if s.rng.chance(60) {
        let k = member_of(s, input, |_, m| is_int(m), int_ty);
        let _ = writeln!(out, "      page_size: {}", quote(&k));
    }
    match style {
        "token" => {
            let string_ty = |s: &mut Spec| (Ty::Prim("string"), s.rng.chance(15));
            let i = member_of(s, input, |_, m| is_string(m), string_ty);
            let o = member_of(s, output, |_, m| is_string(m), string_ty);
            let _ = writeln!(out, "      input_token: {}", quote(&i));
            let _ = writeln!(out, "      output_token: {}", quote(&o));
        }
        "page_number" | "offset_limit" => {
            let k = member_of(s, input, |_, m| is_int(m), int_ty);
            let word = if style == "page_number" {
                "page"
            } else {
                "offset"
            };
            let _ = writeln!(out, "      {word}: {}", quote(&k));
            if s.rng.chance(50) {
                let _ = writeln!(out, "      first: {}", s.rng.below(3));
            }
            if style == "offset_limit" && s.rng.chance(50) {
                let unit = *s.rng.pick(&["item", "page"]);
                let _ = writeln!(out, "      offset_unit: {unit}");
            }
            if s.rng.chance(50) {
                let t = member_of(s, output, |_, m| is_int(m), int_ty);
                let _ = writeln!(out, "      total_count: {}", quote(&t));
            }
        }
        "link" => {
            // The query member the link sets: a string or integer one, new or already there.
            let q = member_of(
                s,
                input,
                |_, m| m.location == Some("query") && (is_string(m) || is_int(m)),
                |_| (Ty::Prim("string"), false),
            );
            let m = s.shapes[input]
                .members
                .iter_mut()
                .find(|m| m.key == q)
                .expect("member_of returns a member");
            if m.location.is_none() {
                m.location = Some("query");
                m.lines.push(("location".into(), "query".into()));
            }
            // The link: a string, mostly the `Link` header.
            let l = member_of(
                s,
                output,
                |_, m| is_string(m),
                |_| (Ty::Prim("string"), false),
            );
            let header = s.rng.chance(70);
            let m = s.shapes[output]
                .members
                .iter_mut()
                .find(|m| m.key == l)
                .expect("member_of returns a member");
            if header && m.location.is_none() {
                place_in_response_header(m);
            }
            let _ = writeln!(out, "      link: {}", quote(&l));
        }
        _ if string_markers => {
            let m = member_of(
                s,
                input,
                |_, m| is_string(m),
                |s| (Ty::Prim("string"), s.rng.chance(15)),
            );
            let _ = writeln!(out, "      marker: {}", quote(&m));
        }
        _ => {
            let m = member_of(
                s,
                input,
                |_, m| is_string(m),
                |s| (Ty::Prim("string"), s.rng.chance(15)),
            );
            let item = s.shapes[output]
                .members
                .iter()
                .find(|m| m.key == items)
                .and_then(|m| match &m.ty {
                    Ty::List(t) => match **t {
                        Ty::Named(i) => Some(i),
                        _ => None,
                    },
                    _ => None,
                })
                .expect("a list of structures");
            let from = member_of(
                s,
                item,
                |_, m| is_string(m),
                |s| (Ty::Prim("string"), s.rng.chance(30)),
            );
            let _ = writeln!(out, "      marker: {}", quote(&m));
            let _ = writeln!(out, "      marker_from: {}", quote(&from));
        }
    }
    out
}

/// A `summary` block: items, and a member of every kind, each of a type the summary takes.
fn summary(s: &mut Spec, input: usize, output: usize) -> String {
    let structs = s.struct_indices();
    let items = member_of(
        s,
        output,
        |s, m| matches!(&m.ty, Ty::List(t) if matches!(**t, Ty::Named(i) if !s.shapes[i].is_enum)),
        |s| {
            let item = *s.rng.pick(&structs);
            (Ty::List(Box::new(Ty::Named(item))), s.rng.chance(20))
        },
    );
    let item = s.shapes[output]
        .members
        .iter()
        .find(|m| m.key == items)
        .and_then(|m| match &m.ty {
            Ty::List(t) => match **t {
                Ty::Named(i) => Some(i),
                _ => None,
            },
            _ => None,
        })
        .expect("a list of structures");
    let mut out = String::from("    summary:\n");
    let _ = writeln!(out, "      items: {}", quote(&items));
    let enums = s.enum_indices();
    type Pick = fn(&mut Spec, &[usize]) -> Ty;
    let fields: [(&str, Pick); 5] = [
        ("digest", |s, _| {
            Ty::Prim(if s.rng.chance(50) { "string" } else { "digest" })
        }),
        ("tags", |s, _| match s.rng.below(4) {
            0 => Ty::Prim("string"),
            1 => Ty::Prim("short_string"),
            2 => Ty::List(Box::new(Ty::Prim("string"))),
            _ => Ty::List(Box::new(Ty::Prim("short_string"))),
        }),
        ("size", |s, _| {
            Ty::Prim(s.rng.word(&["integer", "long", "double"]))
        }),
        ("pushed_at", |_, _| Ty::Prim("timestamp")),
        ("media_type", |s, enums| {
            if !enums.is_empty() && s.rng.chance(50) {
                Ty::Named(*s.rng.pick(enums))
            } else {
                Ty::Prim("string")
            }
        }),
    ];
    for (field, make) in fields {
        if !s.rng.chance(60) {
            continue;
        }
        let ty = make(s, &enums);
        let want = ty.clone();
        let k = member_of(
            s,
            item,
            move |_, m| m.ty == want,
            |s| (ty, s.rng.chance(30)),
        );
        let _ = writeln!(out, "      {field}: {}", quote(&k));
    }
    if s.rng.chance(30) {
        let _ = writeln!(
            out,
            "      size_unit: {}",
            s.rng.pick(&["bytes", "kB", "MB", "KiB", "MiB"])
        );
    }
    if s.rng.chance(20) {
        let _ = writeln!(out, "      media_type_prefix: {}", quote("Artifact::"));
    }
    for field in ["registry", "repository"] {
        let name_ty = |s: &mut Spec| {
            (
                Ty::Prim(if s.rng.chance(50) {
                    "string"
                } else {
                    "shared_string"
                }),
                s.rng.chance(30),
            )
        };
        let fits = |_: &Spec, m: &Member| matches!(m.ty, Ty::Prim("string" | "shared_string"));
        match s.rng.below(3) {
            0 => {
                let k = member_of(s, item, fits, name_ty);
                let _ = writeln!(out, "      {field}: {}", quote(&k));
            }
            1 => {
                let k = member_of(s, input, fits, name_ty);
                let _ = writeln!(out, "      {field}_from_input: {}", quote(&k));
            }
            _ => {}
        }
    }
    out
}

fn render(s: &mut Spec, op_text: &str) -> String {
    let rng = &mut s.rng;
    let mut out = String::new();
    out.push_str("# an adversarial spec (codegen/tests/adversarial)\ncrspec: 1\nprovider:\n");
    let id = *rng.pick(&[
        "mini",
        "crspec_runtime",
        "serde",
        "http",
        "prelude",
        "private",
        "types",
        "m_0",
        "r2",
        "a_b_c",
    ]);
    let _ = writeln!(out, "  id: {id}");
    let _ = writeln!(
        out,
        "  name: {}",
        quote(&format!("Adversarial {}", hostile(rng)))
    );
    let _ = writeln!(out, "  api_version: {}", quote("2020-10-30"));
    if let Some(d) = docs(rng) {
        let _ = writeln!(out, "  docs: {}", quote(&d));
    }
    out.push_str("  sources:\n    seed:\n      title: Test seed\n      location: seeds/x.txt\n");
    out.push_str("  default_source: seed\n");
    out.push_str("protocol:\n");
    let _ = writeln!(out, "  endpoint: https://api.{{region}}.example.com");
    let json = rng.chance(80);
    if json {
        out.push_str("  body: json\n  content_type: application/x-amz-json-1.1\n");
    } else {
        out.push_str("  body: none\n");
    }
    if rng.chance(70) {
        out.push_str("  headers:\n");
        let _ = writeln!(out, "    X-Amz-Target: {}", quote("Svc.{operation}"));
        if rng.chance(50) {
            let _ = writeln!(out, "    x-tc-version: {}", quote("{api_version}"));
        }
        if rng.chance(50) {
            let _ = writeln!(out, "    x-tc-region: {}", quote("{region}"));
        }
        if rng.chance(3) {
            // A value no HTTP request can carry.
            let _ = writeln!(out, "    x-bad: {}", quote("a\r\nInjected: b"));
        }
    }
    let _ = writeln!(
        out,
        "  timestamp_format: {}",
        rng.pick(&["epoch_seconds", "rfc3339", "text"])
    );
    if rng.chance(50) {
        out.push_str("  response:\n");
        if rng.chance(50) && !s.payload {
            out.push_str("    envelope: Response\n");
        }
        out.push_str("    request_id: {header: x-amzn-RequestId}\n");
    }
    out.push_str("  errors:\n");
    let _ = writeln!(out, "    status: {}", rng.pick(&["non_2xx", "always"]));
    out.push_str("    code: __type\n    message: [message, Message]\n");
    if rng.chance(50) {
        out.push_str("    strip_namespace: true\n");
    }
    if rng.chance(30) {
        out.push_str("  signing:\n    scheme: sigv4\n    service: svc\n");
    }
    out.push_str("operations:\n");
    out.push_str(op_text);
    out.push_str("shapes:\n");
    for i in 0..s.shapes.len() {
        let shape = &s.shapes[i];
        let _ = writeln!(out, "  {}:", shape.name);
        let _ = writeln!(
            out,
            "    type: {}",
            if shape.is_enum { "enum" } else { "structure" }
        );
        if let Some(d) = &shape.docs {
            let _ = writeln!(out, "    docs: {}", quote(d));
        }
        if shape.is_enum {
            out.push_str("    values:\n");
            for (wire, name) in &shape.values {
                match name {
                    Some(n) => {
                        let _ = writeln!(out, "      {}: {{name: {n}}}", quote(wire));
                    }
                    None => {
                        let _ = writeln!(out, "      {}: {{}}", quote(wire));
                    }
                }
            }
            continue;
        }
        if shape.members.is_empty() {
            out.push_str("    members: {}\n");
        } else {
            out.push_str("    members:\n");
        }
        for m in &shape.members {
            let _ = writeln!(out, "      {}:", key(&m.key));
            let _ = writeln!(out, "        type: {}", quote(&s.ty_text(&m.ty)));
            for (k, v) in &m.lines {
                let _ = writeln!(out, "        {k}: {v}");
            }
        }
        if !shape.exclusive.is_empty() {
            out.push_str("    exclusive:\n");
            for group in &shape.exclusive {
                let g: Vec<String> = group.iter().map(|k| quote(k)).collect();
                let _ = writeln!(out, "      - members: [{}]", g.join(", "));
            }
        }
    }
    if !s.errors.is_empty() {
        out.push_str("errors:\n");
        for (code, name, lines) in &s.errors {
            let _ = writeln!(out, "  {}:", quote(code));
            if let Some(n) = name {
                let _ = writeln!(out, "    name: {n}");
            }
            for l in lines {
                let _ = writeln!(out, "    {l}");
            }
            if name.is_none() && lines.is_empty() {
                let _ = writeln!(out, "    retryable: false");
            }
        }
    }
    if s.rng.chance(15) {
        generation(s, &mut out);
    }
    out
}

/// Derives of the `generation` settings: standard ones whose needs the checker verifies,
/// some it refuses, and paths.
const DERIVES: &[&str] = &[
    "Hash",
    "PartialOrd",
    "core::hash::Hash",
    "Ord",
    "Eq",
    "Default",
    "Copy",
    "::core::cmp::PartialOrd",
    "Debug",
    "serde::Serialize",
];

/// Attributes of the `generation` settings: harmless ones, and ones the checker refuses.
const ATTRIBUTES: &[&str] = &[
    "#[doc(alias = \"x\")]",
    "#[must_use]",
    "#[doc(hidden)]",
    "#[allow(clippy::large_enum_variant)]",
    "#[cfg_attr(test, allow(unused))]",
    "#[derive(Hash)]",
    "#[serde(rename_all = \"camelCase\")]",
];

/// Types that can stand for a shape: each has `Debug`, `Clone`, `PartialEq` and serde's traits.
const REPLACEMENTS: &[&str] = &[
    "String",
    "::std::collections::BTreeMap<String, String>",
    "Vec<u8>",
    "std::collections::BTreeMap<String, Vec<i64>>",
];

/// A `generation` section: for some shapes a Rust name (often another type's), derives,
/// attributes, member renames (often to a builder method's or another member's name) or a
/// replacement (often of a shape that cannot be replaced).
fn generation(s: &mut Spec, out: &mut String) {
    let names: Vec<String> = s.shapes.iter().map(|sh| sh.name.clone()).collect();
    let mut text = String::new();
    // A double has no `Hash` or `Ord`: with one in the spec, only `PartialOrd` is common.
    fn has_double(ty: &Ty) -> bool {
        match ty {
            Ty::Prim(p) => *p == "double",
            Ty::List(t) | Ty::Map(_, t) => has_double(t),
            Ty::Named(_) => false,
        }
    }
    let doubles = s
        .shapes
        .iter()
        .any(|sh| sh.members.iter().any(|m| has_double(&m.ty)));
    // Nor has a map keyed by an enum `PartialOrd` or `Ord`.
    fn has_enum_map(ty: &Ty) -> bool {
        match ty {
            Ty::Map(Some(_), _) => true,
            Ty::List(t) | Ty::Map(None, t) => has_enum_map(t),
            Ty::Prim(_) | Ty::Named(_) => false,
        }
    }
    let enum_maps = s
        .shapes
        .iter()
        .any(|sh| sh.members.iter().any(|m| has_enum_map(&m.ty)));
    let pool: &[&str] = match (doubles, enum_maps) {
        (true, true) => &[],
        (true, false) => &["PartialOrd"],
        (false, true) => &["Hash", "core::hash::Hash"],
        (false, false) => &DERIVES[..4],
    };
    let mut common: Vec<&str> = if !pool.is_empty() && s.rng.chance(50) {
        let n = s.rng.range(1, 3);
        (0..n).map(|_| *s.rng.pick(pool)).collect()
    } else {
        Vec::new()
    };
    let mut seen = std::collections::BTreeSet::new();
    common.retain(|d| seen.insert(d.rsplit(':').next().unwrap_or(d)));
    // `Ord` needs `PartialOrd` (mostly given).
    if common.contains(&"Ord") && !common.contains(&"PartialOrd") && s.rng.chance(90) {
        common.push("PartialOrd");
    }
    for i in 0..s.shapes.len() {
        let rng = &mut s.rng;
        if !rng.chance(if common.is_empty() { 40 } else { 100 }) {
            continue;
        }
        let mut lines = Vec::new();
        // A structure that holds a replaced type cannot derive a standard trait: no replacement
        // beside common derives.
        if common.is_empty() && rng.chance(8) {
            lines.push(format!(
                "replace: {}",
                quote(rng.pick::<&str>(REPLACEMENTS))
            ));
        } else {
            if rng.chance(25) {
                let renamed = match rng.below(20) {
                    0 => rng.pick(&names).clone(),
                    1 => rng.pick(GENERATED_TYPE_NAMES).to_string(),
                    _ => format!("{}Renamed", names[i]),
                };
                lines.push(format!("rust_name: {renamed}"));
            }
            // One list for every structure (a derive of a structure needs its nested
            // structures to have it too), now and then one of any kind for a single type
            // (enums derive every standard trait they can already: mostly refused there).
            let mut list: Vec<&str> = if s.shapes[i].is_enum {
                Vec::new()
            } else {
                common.clone()
            };
            if rng.chance(8) {
                list.push(*rng.pick(DERIVES));
            }
            // Now and then a derive listed twice (`Hash` and `core::hash::Hash` are one).
            if !rng.chance(1) {
                let mut seen = std::collections::BTreeSet::new();
                list.retain(|d| seen.insert(d.rsplit(':').next().unwrap_or(d)));
            }
            if !list.is_empty() {
                let list: Vec<String> = list.iter().map(|d| quote(d)).collect();
                lines.push(format!("derives: [{}]", list.join(", ")));
            }
            if rng.chance(30) {
                let pool = if rng.chance(95) {
                    &ATTRIBUTES[..5]
                } else {
                    ATTRIBUTES
                };
                lines.push(format!("attributes: [{}]", quote(rng.pick::<&str>(pool))));
            }
            let shape = &s.shapes[i];
            // A member with a `rust_name` of its own is renamed there (now and then here too).
            let renamable: Vec<&Member> = shape
                .members
                .iter()
                .filter(|m| rng.chance(5) || !m.lines.iter().any(|(k, _)| k == "rust_name"))
                .collect();
            if !shape.is_enum && !renamable.is_empty() && rng.chance(30) {
                let m = renamable[rng.below(renamable.len())];
                let to = match rng.below(20) {
                    0 => "build".to_owned(),
                    1 => snake(&shape.members[rng.below(shape.members.len())].key),
                    _ => format!("{}_renamed", snake(&m.key)),
                };
                lines.push(format!(
                    "members: {{{}: {{rust_name: {}}}}}",
                    quote(&m.key),
                    quote(&to)
                ));
            }
        }
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(text, "    {}:", names[i]);
        for l in lines {
            let _ = writeln!(text, "      {l}");
        }
    }
    if !text.is_empty() {
        out.push_str("generation:\n  types:\n");
        out.push_str(&text);
    }
}
