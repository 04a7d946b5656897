//! A structure-aware description of a spec, derived with `arbitrary`, and its rendering to YAML.
//!
//! The description picks names, types and constraints from pools and fixes up most of what the
//! checker would reject (name collisions, keywords, `min > max`, defaults outside their bounds,
//! direct recursion, pagination members that do not exist), so that most inputs pass the
//! checker and reach emission. Free text (docs, enum values, error codes, wire names, header
//! values, endpoints, envelope and error paths) is hostile: comment and fence breakers, quotes,
//! backslashes, control, bidi and non-BMP characters, or arbitrary strings. A small share of the
//! choices (`Chaos`) deliberately leaves one thing wrong, so the checker's rejections are
//! exercised on otherwise valid specs too.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use arbitrary::{Arbitrary, Unstructured};
use crspec_codegen::names;

const MAX_SHAPES: usize = 10;
const MAX_MEMBERS: usize = 10;
const MAX_VALUES: usize = 8;
const MAX_OPS: usize = 3;
const MAX_ERRORS: usize = 8;
const MAX_TYPE_DEPTH: u8 = 4;

/// A one-in-32 switch: `true` for one value of the byte in 32 (not 0x00 or 0xFF, which fuzzers
/// like to write), so that deliberate faults stay
/// rare and most specs pass the checker.
#[derive(Debug, Clone, Copy)]
pub struct Chaos(pub u8);

impl<'a> Arbitrary<'a> for Chaos {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Chaos(u8::arbitrary(u)?))
    }
}

impl Chaos {
    fn on(self) -> bool {
        self.0 % 32 == 13
    }
}

/// At most `N` items: the count is one byte, so that a long list never eats the whole input
/// and the fields after it still get data.
#[derive(Debug, Clone)]
pub struct Few<T, const N: usize>(pub Vec<T>);

impl<'a, T: Arbitrary<'a>, const N: usize> Arbitrary<'a> for Few<T, N> {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = usize::from(u8::arbitrary(u)?) % (N + 1);
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            if u.is_empty() {
                break;
            }
            v.push(T::arbitrary(u)?);
        }
        Ok(Few(v))
    }
}

impl<T, const N: usize> std::ops::Deref for Few<T, N> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

/// Characters that break things: controls, line and paragraph separators, bidi controls, BOM,
/// quotes, backslash, Markdown and Rust punctuation, non-ASCII.
const SPECIAL_CHARS: &[char] = &[
    '\0',
    '\r',
    '\n',
    '\t',
    '\u{7}',
    '\u{1b}',
    '\u{7f}',
    '\u{85}',
    '\u{a0}',
    '\u{2028}',
    '\u{2029}',
    '\u{202a}',
    '\u{202e}',
    '\u{2066}',
    '\u{2069}',
    '\u{200e}',
    '\u{61c}',
    '\u{200b}',
    '\u{feff}',
    '\u{fffd}',
    '\u{10ffff}',
    '"',
    '\\',
    '\'',
    '`',
    '~',
    '{',
    '}',
    '<',
    '>',
    '[',
    ']',
    '#',
    '*',
    '/',
    '&',
    '!',
    ':',
    '-',
    '|',
    '$',
    'é',
    'ß',
    '腾',
    '🦀',
    '\u{301}',
];

/// A short string (at most 40 characters): mostly printable ASCII, some special characters,
/// some arbitrary ones.
#[derive(Debug, Clone)]
pub struct Short(pub String);

impl<'a> Arbitrary<'a> for Short {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = usize::from(u8::arbitrary(u)?) % 41;
        let mut s = String::new();
        for _ in 0..n {
            if u.is_empty() {
                break;
            }
            let sel = u8::arbitrary(u)?;
            let c = match sel {
                0..=159 => char::from(32 + sel % 95),
                160..=219 => SPECIAL_CHARS[usize::from(sel - 160) % SPECIAL_CHARS.len()],
                _ => char::arbitrary(u)?,
            };
            s.push(c);
        }
        Ok(Short(s))
    }
}

/// Free text: a plain sentence, a chain of hostile fragments, or anything.
#[derive(Debug, Clone, Arbitrary)]
pub enum Text {
    Plain(u8),
    Frags(Few<u8, 12>),
    Raw(Short),
}

const PLAIN: &[&str] = &[
    "Returns metadata about the images in a repository.",
    "The `nextToken` value returned from a previous request.",
    "An object with identifying information for an image.",
    "Not found <b>really</b> [x].",
    "Line one.\n\nLine two, after a blank line.",
    "腾讯云容器镜像服务 API 2019-09-24",
    "Size in bytes; see <https://example.invalid/x>.",
    "",
    "x",
];

const FRAGS: &[&str] = &[
    "*/",
    "/*",
    "/**",
    "//!",
    "///",
    "```",
    "```rust\npanic!()\n```",
    "~~~",
    "\"",
    "\"#",
    "r#\"",
    "\\",
    "\\u{0}",
    "'",
    "#![deny(warnings)]",
    "#[doc = \"x\"]",
    "]]",
    "[`x`]",
    "[x]: http://e.invalid",
    "<script>alert(1)</script>",
    "<b>",
    "&amp;",
    "{",
    "}",
    "{region}",
    "{operation}",
    "\r\n",
    "\n\n",
    "\n",
    "\t",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{202e}",
    "\u{2066}",
    "\u{200b}",
    "\u{feff}",
    "\u{fffd}",
    "\u{10ffff}",
    "é",
    "腾讯",
    "🦀",
    "e\u{301}",
    "$crate",
    "::",
    "<",
    ">",
    "`",
    "  ",
    " ",
    "-",
    "* ",
    "# ",
    "|",
    "%",
    "@generated",
    "...",
    "---",
    "&anchor",
    "*alias",
    "!!str",
    ": ",
    "? ",
    "__type",
    "Response.Error.Code",
    "a.b.c",
    "}}{{",
    "0x",
    "1e999",
    "-",
    "Self",
    "r#type",
    "fn main() {}",
    "unsafe { }",
];

impl Text {
    fn render(&self) -> String {
        match self {
            Text::Plain(i) => PLAIN[usize::from(*i) % PLAIN.len()].to_owned(),
            Text::Frags(f) => f
                .iter()
                .take(24)
                .map(|i| FRAGS[usize::from(*i) % FRAGS.len()])
                .collect(),
            Text::Raw(s) => s.0.clone(),
        }
    }

    /// Text that is never empty after trimming (names, locations).
    fn render_nonblank(&self) -> String {
        let t = self.render();
        if t.trim().is_empty() {
            format!("x{t}")
        } else {
            t
        }
    }
}

/// A wire name: from the pool (camelCase, PascalCase, snake, acronyms, keywords) or anything.
#[derive(Debug, Clone, Arbitrary)]
pub enum Wire {
    Pool(u8),
    Raw(Short),
}

const MEMBER_NAMES: &[&str] = &[
    "imageId",
    "imageTag",
    "imageDigest",
    "registryId",
    "repositoryName",
    "imageIds",
    "filter",
    "tagStatus",
    "Name",
    "Limit",
    "Offset",
    "TotalCount",
    "pageNumber",
    "pageSize",
    "imageSizeInBytes",
    "imagePushedAt",
    "URL",
    "httpURL",
    "imageID",
    "image_size",
    "IN_PROGRESS",
    "x",
    "aB",
    "value",
    "items",
    "count",
    "created_at",
    "Type",
    "type",
    "self",
    "Self",
    "ref",
    "builder",
    "build",
    "validate_at",
    "validate",
    "default",
    "_private",
    "a1b2",
    "1st",
    "kebab-case",
    "dotted.name",
    "with space",
    "ÜmlautName",
    "",
];

impl Wire {
    fn render(&self) -> String {
        match self {
            Wire::Pool(i) => MEMBER_NAMES[usize::from(*i) % MEMBER_NAMES.len()].to_owned(),
            Wire::Raw(s) => s.0.clone(),
        }
    }
}

#[derive(Debug, Clone, Arbitrary)]
pub enum TyDesc {
    String,
    Integer,
    Long,
    Double,
    Boolean,
    Timestamp,
    List(Box<TyDesc>),
    Map { enum_key: u8, value: Box<TyDesc> },
    Ref(u8),
}

#[derive(Debug, Clone, Arbitrary)]
pub struct Bound {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

#[derive(Debug, Clone, Arbitrary)]
pub struct MemberDesc {
    pub wire: Wire,
    pub ty: TyDesc,
    pub docs: Option<Text>,
    pub required: Option<bool>,
    pub nullable: Option<bool>,
    pub default: Option<u8>,
    pub length: Option<Bound>,
    pub range: Option<Bound>,
    pub items: Option<Bound>,
    pub pattern: Option<PatternDesc>,
    pub format: Option<u8>,
    pub location: Option<u8>,
    pub wire_name: Option<Text>,
    pub source: Option<u8>,
    pub flow: bool,
    pub chaos: Chaos,
}

#[derive(Debug, Clone, Arbitrary)]
pub enum PatternDesc {
    Pool(u8),
    Raw(Short),
}

/// Patterns and a value each matches (for defaults).
const PATTERNS: &[(&str, &str)] = &[
    ("[0-9]{12}", "123456789012"),
    (
        "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*",
        "a/b-c",
    ),
    ("[a-zA-Z0-9-_.]+", "v1.0"),
    (
        "sha256:[a-f0-9]{64}",
        "sha256:0000000000000000000000000000000000000000000000000000000000000000",
    ),
    (".*", ""),
    ("\\d+", "42"),
    ("[\\p{L}\\p{N}]+", "é1"),
    ("(a|b)*c", "abc"),
    ("[^\"\\\\]*", "quote-free"),
    ("\"*/\\n", "\"\"/\n"),
    ("\\x{202e}?x", "x"),
    ("(?i)abc", "ABC"),
    ("^abc$", "abc"),
    ("x{0,1000}", "xx"),
    ("[[:alpha:]]+", "abc"),
    ("\\\\", "\\"),
];

#[derive(Debug, Clone, Arbitrary)]
pub struct ExclusiveDesc {
    pub members: Few<u8, 4>,
    pub docs: Option<Text>,
}

#[derive(Debug, Clone, Arbitrary)]
pub struct ShapeDesc {
    pub name: u8,
    pub is_enum: bool,
    pub docs: Option<Text>,
    pub members: Few<MemberDesc, MAX_MEMBERS>,
    pub exclusive: Few<ExclusiveDesc, 2>,
    pub values: Few<ValueDesc, MAX_VALUES>,
    pub source: Option<u8>,
    pub chaos: Chaos,
}

#[derive(Debug, Clone, Arbitrary)]
pub struct ValueDesc {
    pub wire: EnumWire,
    pub name: bool,
    pub docs: Option<Text>,
}

#[derive(Debug, Clone, Arbitrary)]
pub enum EnumWire {
    Pool(u8),
    Text(Text),
}

const ENUM_VALUES: &[&str] = &[
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
    "self",
    "Self",
    "type",
    "",
    "ÄÖÜ",
    "lower-case",
    "CamelCase",
];

const SHAPE_NAMES: &[&str] = &[
    "Image",
    "Repo",
    "Filter",
    "Detail",
    "Tag",
    "Item",
    "Page",
    "Request",
    "Response",
    "Result",
    "Summary",
    "Status",
    "Identifier",
    "Finding",
    "Info",
];

#[derive(Debug, Clone, Arbitrary)]
pub struct ErrorDesc {
    pub code: ErrorCode,
    pub http_status: Option<u16>,
    pub retryable: Option<bool>,
    pub docs: Option<Text>,
    pub source: Option<u8>,
}

#[derive(Debug, Clone, Arbitrary)]
pub enum ErrorCode {
    Pool(u8),
    Text(Text),
}

const ERROR_CODES: &[&str] = &[
    "RepositoryNotFoundException",
    "ImageNotFoundException",
    "InternalError.DbError",
    "InternalError",
    "aws.ecr#ThrottlingException",
    "InvalidParameter.ErrorTcrInvalidParameter",
    "ServerException",
    "404",
    "not-found",
    "a b",
    "Unknown",
    "NOT_FOUND",
    "错误",
];

#[derive(Debug, Clone, Arbitrary)]
pub struct PaginationDesc {
    pub style: u8,
    pub page_size: bool,
    pub first: Option<u8>,
    pub offset_unit: Option<bool>,
    pub total_count: bool,
    pub item_shape: u8,
    pub chaos: Chaos,
}

#[derive(Debug, Clone, Arbitrary)]
pub struct OpDesc {
    pub name: u8,
    pub docs: Option<Text>,
    pub method: u8,
    pub segments: Few<u8, 4>,
    pub input: u8,
    pub output: u8,
    pub errors: Few<u8, 6>,
    pub pagination: Option<PaginationDesc>,
    pub source: Option<u8>,
    pub chaos: Chaos,
}

const OP_NAMES: &[&str] = &[
    "DescribeImages",
    "ListTags",
    "GetThing",
    "PutItem",
    "describe_repos",
    "BatchGetImage",
];
const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "post", "Get",
];
const SEGMENTS: &[&str] = &[
    "v1", "images", "regions", "x-y", "a.b", "%20", "~user", "repos",
];

#[derive(Debug, Clone, Arbitrary)]
pub struct ProtocolDesc {
    pub endpoint: Text,
    pub region: bool,
    pub json_body: bool,
    pub content_type: Option<Text>,
    pub headers: Few<(u8, Text, u8), 4>,
    pub timestamp_format: u8,
    pub envelope: Option<Text>,
    pub request_id: Option<(bool, Text)>,
    pub errors_always: bool,
    pub code: Text,
    pub message: Option<Few<Text, 3>>,
    pub strip_namespace: Option<bool>,
    pub chaos: Chaos,
}

const HEADER_NAMES: &[&str] = &[
    "X-Amz-Target",
    "X-TC-Action",
    "x-tc-version",
    "Content-Type",
    "X_y!#$%&'*+.^`|~",
    "Accept",
];
const TS_FORMATS: &[&str] = &["epoch_seconds", "rfc3339", "text"];
/// `protocol.body`: index 0 for a JSON body.
const BODY_KINDS: &[&str] = &["json", "none"];
/// `protocol.errors.status`: index 0 for errors that may come with any status.
const ERROR_STATUS_RULES: &[&str] = &["always", "non_2xx"];
/// `pagination.style`.
const PAGINATION_STYLES: &[&str] = &["token", "page_number", "offset_limit", "marker", "link"];
/// `pagination.offset_unit`: index 0 for `true`.
const OFFSET_UNITS: &[&str] = &["page", "item"];
/// A member's `location`; `cookie` is not one, and is kept only under chaos.
const LOCATIONS: &[&str] = &["body", "query", "path", "header", "payload", "cookie"];
/// A shape's `type`: index 0 for an enum.
const SHAPE_KINDS: &[&str] = &["enum", "structure"];

#[derive(Debug, Clone, Arbitrary)]
pub struct SpecDesc {
    pub shapes: Few<ShapeDesc, MAX_SHAPES>,
    pub operations: Few<OpDesc, MAX_OPS>,
    pub errors: Few<ErrorDesc, MAX_ERRORS>,
    pub provider: u8,
    pub provider_name: Text,
    pub api_version: Text,
    pub docs: Option<Text>,
    pub sources: Few<(u8, Text, Text), 3>,
    pub protocol: ProtocolDesc,
    pub chaos: Chaos,
}

const PROVIDERS: &[&str] = &["mini", "ecr", "ecr_public", "my_api", "r2", "a_b_c", "tcr"];
const SOURCE_IDS: &[&str] = &["doc-a", "doc_b", "web", "seed-002", "api-ref"];

/// YAML double-quoted scalar: everything that is not printable in YAML, and `"`, `\`, is escaped.
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

/// A mapping key: plain when that is safe, else quoted.
fn key(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
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

// ---------------------------------------------------------------------------------------------
// The model between the description and the YAML: names fixed, references resolved.

#[derive(Debug, Clone, PartialEq)]
enum Ty {
    String,
    Integer,
    Long,
    Double,
    Boolean,
    Timestamp,
    List(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
    Named(usize),
}

#[derive(Debug, Clone)]
struct Member {
    key: String,
    lines: Vec<(String, String)>, // (key, rendered value), in order
    ty: Ty,
    required: bool,
    flow: bool,
}

#[derive(Debug, Clone)]
struct Shape {
    name: String,
    is_enum: bool,
    docs: Option<String>,
    source: Option<String>,
    members: Vec<Member>,
    exclusive: Vec<(Vec<String>, Option<String>)>,
    values: Vec<(String, Option<String>, Option<String>)>, // wire, name, docs
}

fn ty_text(ty: &Ty, shapes: &[Shape], spaced: bool) -> String {
    match ty {
        Ty::String => "string".into(),
        Ty::Integer => "integer".into(),
        Ty::Long => "long".into(),
        Ty::Double => "double".into(),
        Ty::Boolean => "boolean".into(),
        Ty::Timestamp => "timestamp".into(),
        Ty::List(t) => format!("list<{}>", ty_text(t, shapes, spaced)),
        Ty::Map(k, v) => format!(
            "map<{},{}{}>",
            ty_text(k, shapes, spaced),
            if spaced { " " } else { "" },
            ty_text(v, shapes, spaced)
        ),
        Ty::Named(i) => shapes[*i].name.clone(),
    }
}

struct Builder {
    shapes: Vec<Shape>,
    sources: Vec<String>,
}

impl Builder {
    fn source(&self, s: Option<u8>, chaos: Chaos) -> Option<String> {
        let s = s?;
        if chaos.on() {
            return Some("no-such-source".into());
        }
        Some(self.sources[usize::from(s) % self.sources.len()].clone())
    }

    fn enum_indices(&self) -> Vec<usize> {
        (0..self.shapes.len())
            .filter(|&i| self.shapes[i].is_enum)
            .collect()
    }

    fn struct_indices(&self) -> Vec<usize> {
        (0..self.shapes.len())
            .filter(|&i| !self.shapes[i].is_enum)
            .collect()
    }

    /// Resolves a type description inside shape `owner`: a structure referenced directly (not
    /// through a list or map) is always a later shape, so there is no direct recursion.
    fn resolve(&self, t: &TyDesc, owner: usize, boxed: bool, depth: u8, chaos: Chaos) -> Ty {
        if depth >= MAX_TYPE_DEPTH {
            return Ty::String;
        }
        match t {
            TyDesc::String => Ty::String,
            TyDesc::Integer => Ty::Integer,
            TyDesc::Long => Ty::Long,
            TyDesc::Double => Ty::Double,
            TyDesc::Boolean => Ty::Boolean,
            TyDesc::Timestamp => Ty::Timestamp,
            TyDesc::List(t) => Ty::List(Box::new(self.resolve(t, owner, true, depth + 1, chaos))),
            TyDesc::Map { enum_key, value } => {
                let enums = self.enum_indices();
                let key = if enum_key % 2 == 1 && !enums.is_empty() {
                    Ty::Named(enums[usize::from(*enum_key / 2) % enums.len()])
                } else if chaos.on() {
                    Ty::Integer
                } else {
                    Ty::String
                };
                Ty::Map(
                    Box::new(key),
                    Box::new(self.resolve(value, owner, true, depth + 1, chaos)),
                )
            }
            TyDesc::Ref(r) => {
                let n = self.shapes.len();
                let candidates: Vec<usize> = (0..n)
                    .filter(|&i| boxed || self.shapes[i].is_enum || i > owner || chaos.on())
                    .collect();
                if candidates.is_empty() {
                    Ty::String
                } else {
                    Ty::Named(candidates[usize::from(*r) % candidates.len()])
                }
            }
        }
    }

    fn member(&self, owner: usize, m: &MemberDesc, taken: &mut BTreeSet<String>) -> Member {
        let chaos = m.chaos;
        let mut wire = m.wire.render();
        if wire.is_empty() && !chaos.on() {
            wire = "empty".into();
        }
        // Keys must be unique (else "defined twice"); Rust names too (else "collide").
        let mut key = wire.clone();
        let mut n = 0;
        while taken.contains(&key) && !chaos.on() {
            n += 1;
            key = format!("{wire}{}", letters(n));
        }
        taken.insert(key.clone());
        let mut lines: Vec<(String, String)> = Vec::new();
        let ty = self.resolve(&m.ty, owner, false, 0, chaos);
        let spaced = m.flow;
        lines.push(("type".into(), quote(&ty_text(&ty, &self.shapes, spaced))));
        // Rust name: fix keywords, non-identifiers, builder collisions and duplicates.
        let rust = names::field_name(&key);
        let rust_taken = |r: &str| taken.iter().any(|k| k != &key && names::field_name(k) == r);
        let needs_rust_name = names::problem(&rust).is_some()
            || rust == "build"
            || rust == "validate_at"
            || rust_taken(&rust);
        if needs_rust_name && !chaos.on() {
            let mut i = owner * MAX_MEMBERS * 4 + taken.len();
            let mut r = format!("field_{}", letters(i).to_ascii_lowercase());
            while rust_taken(&r) || taken.contains(&r) {
                i += 1;
                r = format!("field_{}", letters(i).to_ascii_lowercase());
            }
            // Reserve the Rust name so that later keys do not collide with it.
            taken.insert(format!("\u{0}{r}"));
            lines.push(("rust_name".into(), quote(&r)));
        }
        if let Some(d) = &m.docs {
            lines.push(("docs".into(), quote(&d.render())));
        }
        let mut required = m.required.unwrap_or(false);
        let location = m
            .location
            .map(|l| LOCATIONS[usize::from(l) % LOCATIONS.len()]);
        let location = match location {
            Some("cookie") if !chaos.on() => Some("query"),
            // The whole response body has rules of its own (one per output, headers beside
            // it, no envelope): only chaos writes it, and the checker judges the result.
            Some("payload") if !chaos.on() => Some("body"),
            // A path member needs a placeholder whose name is the key; keep it to plain keys.
            Some("path") if !chaos.on() && (key.contains(['{', '}', '/']) || key.is_empty()) => {
                Some("query")
            }
            l => l,
        };
        if location == Some("path") && !chaos.on() {
            required = true;
        }
        if let Some(l) = location {
            lines.push(("location".into(), quote(l)));
        }
        if m.required.is_some() || required {
            lines.push(("required".into(), required.to_string()));
        }
        if let Some(nl) = m.nullable {
            lines.push(("nullable".into(), nl.to_string()));
        }
        // Constraints, each on the type it belongs to (unless chaos).
        let base = ty.clone();
        let is_string = base == Ty::String;
        let is_int = matches!(base, Ty::Integer | Ty::Long);
        let is_num = is_int || base == Ty::Double;
        let is_list = matches!(base, Ty::List(_));
        let mut length = None;
        if let Some(b) = &m.length
            && (is_string || chaos.on())
        {
            let (lo, hi) = small_bounds(b, chaos);
            length = Some((lo, hi));
            lines.push((
                "length".into(),
                bounds_text(lo.map(i128::from), hi.map(i128::from)),
            ));
        }
        let mut range: Option<(Option<i128>, Option<i128>)> = None;
        if let Some(b) = &m.range
            && (is_num || chaos.on())
        {
            let (lo, hi) = num_bounds(b, &base, chaos);
            range = Some((lo, hi));
            if base == Ty::Double && b.min.is_some_and(|v| v % 3 == 0) {
                // A fractional bound on a double.
                let lo = lo.map(|v| v as f64 - 0.5);
                let hi = hi.map(|v| v as f64 + 0.25);
                range = Some((lo.map(|v| v.ceil() as i128), hi.map(|v| v.floor() as i128)));
                lines.push(("range".into(), float_bounds_text(lo, hi)));
            } else {
                lines.push(("range".into(), bounds_text(lo, hi)));
            }
        }
        if let Some(b) = &m.items
            && (is_list || chaos.on())
        {
            let (lo, hi) = small_bounds(b, chaos);
            lines.push((
                "items".into(),
                bounds_text(lo.map(i128::from), hi.map(i128::from)),
            ));
        }
        let mut pattern_example: Option<String> = None;
        if let Some(p) = &m.pattern
            && (is_string || chaos.on())
        {
            match p {
                PatternDesc::Pool(i) => {
                    let (p, ex) = PATTERNS[usize::from(*i) % PATTERNS.len()];
                    pattern_example = Some(ex.to_owned());
                    lines.push(("pattern".into(), quote(p)));
                }
                PatternDesc::Raw(s) => {
                    lines.push(("pattern".into(), quote(&s.0)));
                }
            }
        }
        if let Some(f) = m.format
            && (base == Ty::Timestamp || chaos.on())
        {
            let f = if chaos.on() {
                "iso"
            } else {
                TS_FORMATS[usize::from(f) % TS_FORMATS.len()]
            };
            lines.push(("format".into(), quote(f)));
        }
        if let Some(d) = m.default {
            let value = match &base {
                _ if chaos.on() => Some(quote("wrong")),
                Ty::String => {
                    let mut s = match (&m.pattern, &pattern_example) {
                        (Some(_), Some(ex)) => ex.clone(),
                        (Some(_), None) => String::new(),
                        (None, _) => "d".repeat(usize::from(d % 5)),
                    };
                    if m.pattern.is_none()
                        && let Some((lo, hi)) = length
                    {
                        let lo = lo.unwrap_or(0).min(64) as usize;
                        let n = s.chars().count().max(lo);
                        let n = hi.map_or(n, |hi| n.min(hi as usize));
                        s = "d".repeat(n);
                    }
                    let fits = length.is_none_or(|(lo, hi)| {
                        let n = s.chars().count() as u64;
                        lo.is_none_or(|lo| n >= lo) && hi.is_none_or(|hi| n <= hi)
                    });
                    (fits && !matches!(m.pattern, Some(PatternDesc::Raw(_)))).then(|| quote(&s))
                }
                Ty::Integer | Ty::Long | Ty::Double => {
                    let mut v = i128::from(d) - 100;
                    if let Some((lo, hi)) = range {
                        if let Some(lo) = lo {
                            v = v.max(lo);
                        }
                        if let Some(hi) = hi {
                            v = v.min(hi);
                        }
                    }
                    Some(if base == Ty::Double && d % 2 == 0 {
                        format!("{:?}", v as f64)
                    } else {
                        v.to_string()
                    })
                }
                Ty::Boolean => Some((d % 2 == 0).to_string()),
                Ty::Named(i) if self.shapes[*i].is_enum => {
                    let values = &self.shapes[*i].values;
                    (!values.is_empty()).then(|| quote(&values[usize::from(d) % values.len()].0))
                }
                _ => None,
            };
            if let Some(v) = value {
                lines.push(("default".into(), v));
            }
        }
        if let Some(w) = &m.wire_name {
            lines.push(("wire_name".into(), quote(&w.render_nonblank())));
        }
        if let Some(s) = self.source(m.source, chaos) {
            lines.push(("source".into(), quote(&s)));
        }
        Member {
            key,
            lines,
            ty,
            required,
            flow: m.flow,
        }
    }
}

fn small_bounds(b: &Bound, chaos: Chaos) -> (Option<u64>, Option<u64>) {
    let lo = b.min.map(|v| v.unsigned_abs() % 300);
    let hi = b.max.map(|v| v.unsigned_abs() % 3000);
    match (lo, hi) {
        (Some(l), Some(h)) if l > h && !chaos.on() => (Some(h), Some(l)),
        x => x,
    }
}

fn num_bounds(b: &Bound, ty: &Ty, chaos: Chaos) -> (Option<i128>, Option<i128>) {
    let fit = |v: i64| -> i128 {
        if *ty == Ty::Integer && !chaos.on() {
            i128::from(v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)))
        } else {
            i128::from(v)
        }
    };
    let lo = b.min.map(fit);
    let hi = b.max.map(fit);
    match (lo, hi) {
        (Some(l), Some(h)) if l > h && !chaos.on() => (Some(h), Some(l)),
        x => x,
    }
}

fn bounds_text(lo: Option<i128>, hi: Option<i128>) -> String {
    let mut parts = Vec::new();
    if let Some(l) = lo {
        parts.push(format!("min: {l}"));
    }
    if let Some(h) = hi {
        parts.push(format!("max: {h}"));
    }
    format!("{{{}}}", parts.join(", "))
}

fn float_bounds_text(lo: Option<f64>, hi: Option<f64>) -> String {
    let mut parts = Vec::new();
    if let Some(l) = lo {
        parts.push(format!("min: {l:?}"));
    }
    if let Some(h) = hi {
        parts.push(format!("max: {h:?}"));
    }
    format!("{{{}}}", parts.join(", "))
}

impl SpecDesc {
    /// Renders the description as spec YAML.
    #[allow(clippy::too_many_lines)]
    pub fn render(&self) -> String {
        let chaos = self.chaos;
        let mut sources = vec!["seed".to_owned()];
        let mut source_lines = String::new();
        let _ = writeln!(
            source_lines,
            "    seed:\n      title: Test seed\n      location: seeds/x.txt"
        );
        for (id, title, location) in self.sources.iter().take(3) {
            let id = SOURCE_IDS[usize::from(*id) % SOURCE_IDS.len()].to_owned();
            if sources.contains(&id) && !chaos.on() {
                continue;
            }
            let _ = writeln!(
                source_lines,
                "    {}:\n      title: {}\n      location: {}",
                key(&id),
                quote(&title.render()),
                quote(&location.render_nonblank())
            );
            sources.push(id);
        }

        // Shapes: names and kinds first.
        let mut shape_descs: Vec<ShapeDesc> = self.shapes.iter().cloned().collect();
        if !shape_descs.iter().any(|s| !s.is_enum) {
            shape_descs.push(ShapeDesc {
                name: 0,
                is_enum: false,
                docs: None,
                members: Few(Vec::new()),
                exclusive: Few(Vec::new()),
                values: Few(Vec::new()),
                source: None,
                chaos: Chaos(0),
            });
        }
        let mut b = Builder {
            shapes: Vec::new(),
            sources: sources.clone(),
        };
        for (i, s) in shape_descs.iter().enumerate() {
            let base = SHAPE_NAMES[usize::from(s.name) % SHAPE_NAMES.len()];
            let name = if s.chaos.on() && s.name % 2 == 0 {
                base.to_owned()
            } else {
                format!("{base}{}", letters(i))
            };
            b.shapes.push(Shape {
                name,
                is_enum: s.is_enum,
                docs: s.docs.as_ref().map(Text::render),
                source: b.source(s.source, s.chaos),
                members: Vec::new(),
                exclusive: Vec::new(),
                values: Vec::new(),
            });
        }
        // Enum values (before members, whose defaults use them).
        for (i, s) in shape_descs.iter().enumerate() {
            if !s.is_enum {
                continue;
            }
            let mut wires = BTreeSet::new();
            let mut variants = BTreeSet::new();
            for (j, v) in s.values.iter().take(MAX_VALUES).enumerate() {
                let wire = match &v.wire {
                    EnumWire::Pool(p) => {
                        ENUM_VALUES[usize::from(*p) % ENUM_VALUES.len()].to_owned()
                    }
                    EnumWire::Text(t) => t.render(),
                };
                if !wires.insert(wire.clone()) && !s.chaos.on() {
                    continue;
                }
                let variant = names::type_name(&wire);
                let bad = names::problem(&variant).is_some()
                    || variant != names::type_name(&variant)
                    || variant == "Unknown"
                    || variants.contains(&variant);
                let name = if (bad && !s.chaos.on()) || v.name {
                    let n = format!("Value{}", letters(j));
                    Some(n)
                } else {
                    None
                };
                variants.insert(name.clone().unwrap_or(variant));
                b.shapes[i]
                    .values
                    .push((wire, name, v.docs.as_ref().map(Text::render)));
            }
            if b.shapes[i].values.is_empty() && !s.chaos.on() {
                b.shapes[i].values.push(("ONLY".into(), None, None));
            }
        }
        // Members.
        for (i, s) in shape_descs.iter().enumerate() {
            if s.is_enum {
                continue;
            }
            let mut taken = BTreeSet::new();
            let members: Vec<Member> = s
                .members
                .iter()
                .take(MAX_MEMBERS)
                .map(|m| b.member(i, m, &mut taken))
                .collect();
            let optional: Vec<String> = members
                .iter()
                .filter(|m| !m.required)
                .map(|m| m.key.clone())
                .collect();
            for x in s.exclusive.iter().take(2) {
                let mut group: Vec<String> = Vec::new();
                for k in x.members.iter() {
                    if optional.is_empty() {
                        break;
                    }
                    let k = &optional[usize::from(*k) % optional.len()];
                    if !group.contains(k) {
                        group.push(k.clone());
                    }
                }
                if group.len() >= 2 || s.chaos.on() {
                    b.shapes[i]
                        .exclusive
                        .push((group, x.docs.as_ref().map(Text::render)));
                }
            }
            b.shapes[i].members = members;
        }

        // Errors.
        let mut error_codes: Vec<String> = Vec::new();
        let mut error_text = String::new();
        let mut variants = BTreeSet::new();
        for (i, e) in self.errors.iter().take(MAX_ERRORS).enumerate() {
            let code = match &e.code {
                ErrorCode::Pool(p) => ERROR_CODES[usize::from(*p) % ERROR_CODES.len()].to_owned(),
                ErrorCode::Text(t) => t.render_nonblank(),
            };
            if error_codes.contains(&code) && !chaos.on() {
                continue;
            }
            let variant = names::type_name(&code);
            let bad = names::problem(&variant).is_some()
                || variant != names::type_name(&variant)
                || variant == "Unknown"
                || variants.contains(&variant);
            let _ = writeln!(error_text, "  {}:", key(&code));
            if bad && !chaos.on() {
                let n = format!("Error{}", letters(i));
                variants.insert(n.clone());
                let _ = writeln!(error_text, "    name: {n}");
            } else {
                variants.insert(variant);
            }
            if let Some(s) = e.http_status {
                let s = if chaos.on() { s } else { 100 + s % 500 };
                let _ = writeln!(error_text, "    http_status: {s}");
            }
            if let Some(r) = e.retryable {
                let _ = writeln!(error_text, "    retryable: {r}");
            }
            if let Some(d) = &e.docs {
                let _ = writeln!(error_text, "    docs: {}", quote(&d.render()));
            }
            if let Some(s) = b.source(e.source, chaos) {
                let _ = writeln!(error_text, "    source: {}", quote(&s));
            }
            error_codes.push(code);
        }

        // Operations (may add pagination members to their shapes).
        let structs = b.struct_indices();
        let mut op_descs: Vec<&OpDesc> = self.operations.iter().take(MAX_OPS).collect();
        let default_op;
        if op_descs.is_empty() {
            default_op = OpDesc {
                name: 0,
                docs: None,
                method: 1,
                segments: Few(Vec::new()),
                input: 0,
                output: 1,
                errors: Few(Vec::new()),
                pagination: None,
                source: None,
                chaos: Chaos(0),
            };
            op_descs.push(&default_op);
        }
        let mut op_names = BTreeSet::new();
        let mut op_text = String::new();
        for (i, op) in op_descs.iter().enumerate() {
            let chaos = op.chaos;
            let mut name = OP_NAMES[usize::from(op.name) % OP_NAMES.len()].to_owned();
            if !op_names.insert(names::type_name(&name)) && !chaos.on() {
                name = format!("{name}{}", letters(i));
                op_names.insert(names::type_name(&name));
            }
            let input = structs[usize::from(op.input) % structs.len()];
            let output = structs[usize::from(op.output) % structs.len()];
            let _ = writeln!(op_text, "  {}:", key(&name));
            if let Some(d) = &op.docs {
                let _ = writeln!(op_text, "    docs: {}", quote(&d.render()));
            }
            let method = if chaos.on() {
                "FETCH"
            } else {
                METHODS[usize::from(op.method) % METHODS.len()]
            };
            let _ = writeln!(op_text, "    method: {method}");
            let mut path = String::new();
            for s in op.segments.iter().take(4) {
                path.push('/');
                path.push_str(SEGMENTS[usize::from(*s) % SEGMENTS.len()]);
            }
            for m in &b.shapes[input].members {
                if m.lines
                    .iter()
                    .any(|(k, v)| k == "location" && v == "\"path\"")
                {
                    let _ = write!(path, "/{{{}}}", m.key);
                }
            }
            if path.is_empty() {
                path.push('/');
            }
            let _ = writeln!(op_text, "    path: {}", quote(&path));
            let _ = writeln!(op_text, "    input: {}", b.shapes[input].name);
            let _ = writeln!(op_text, "    output: {}", b.shapes[output].name);
            if !op.errors.is_empty() && !error_codes.is_empty() {
                let mut list: Vec<&String> = Vec::new();
                for e in op.errors.iter().take(6) {
                    let c = &error_codes[usize::from(*e) % error_codes.len()];
                    if !list.contains(&c) || chaos.on() {
                        list.push(c);
                    }
                }
                let list: Vec<String> = list.iter().map(|c| quote(c)).collect();
                let _ = writeln!(op_text, "    errors: [{}]", list.join(", "));
            }
            if let Some(p) = &op.pagination {
                let text = pagination(&mut b, p, input, output);
                op_text.push_str(&text);
            }
            if let Some(s) = b.source(op.source, chaos) {
                let _ = writeln!(op_text, "    source: {}", quote(&s));
            }
        }

        // The document.
        let mut out = String::new();
        out.push_str("# generated by the spec_structured fuzz target\ncrspec: 1\nprovider:\n");
        let provider = if chaos.on() {
            "Bad-Id"
        } else {
            PROVIDERS[usize::from(self.provider) % PROVIDERS.len()]
        };
        let _ = writeln!(out, "  id: {}", quote(provider));
        let _ = writeln!(
            out,
            "  name: {}",
            quote(&self.provider_name.render_nonblank())
        );
        let _ = writeln!(out, "  api_version: {}", quote(&self.api_version.render()));
        if let Some(d) = &self.docs {
            let _ = writeln!(out, "  docs: {}", quote(&d.render()));
        }
        out.push_str("  sources:\n");
        out.push_str(&source_lines);
        out.push_str("  default_source: seed\n");
        out.push_str(&protocol(&self.protocol));
        out.push_str("operations:\n");
        out.push_str(&op_text);
        out.push_str("shapes:\n");
        for s in &b.shapes {
            let _ = writeln!(out, "  {}:", s.name);
            let _ = writeln!(out, "    type: {}", SHAPE_KINDS[usize::from(!s.is_enum)]);
            if let Some(d) = &s.docs {
                let _ = writeln!(out, "    docs: {}", quote(d));
            }
            if let Some(src) = &s.source {
                let _ = writeln!(out, "    source: {}", quote(src));
            }
            if s.is_enum {
                out.push_str("    values:\n");
                for (wire, name, docs) in &s.values {
                    let mut fields = Vec::new();
                    if let Some(n) = name {
                        fields.push(format!("name: {n}"));
                    }
                    if let Some(d) = docs {
                        fields.push(format!("docs: {}", quote(d)));
                    }
                    let _ = writeln!(out, "      {}: {{{}}}", quote(wire), fields.join(", "));
                }
            } else {
                if s.members.is_empty() {
                    out.push_str("    members: {}\n");
                } else {
                    out.push_str("    members:\n");
                }
                for m in &s.members {
                    if m.flow {
                        let fields: Vec<String> =
                            m.lines.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                        let _ = writeln!(out, "      {}: {{{}}}", key(&m.key), fields.join(", "));
                    } else {
                        let _ = writeln!(out, "      {}:", key(&m.key));
                        for (k, v) in &m.lines {
                            let _ = writeln!(out, "        {k}: {v}");
                        }
                    }
                }
                if !s.exclusive.is_empty() {
                    out.push_str("    exclusive:\n");
                    for (group, docs) in &s.exclusive {
                        let g: Vec<String> = group.iter().map(|k| quote(k)).collect();
                        let _ = writeln!(out, "      - members: [{}]", g.join(", "));
                        if let Some(d) = docs {
                            let _ = writeln!(out, "        docs: {}", quote(d));
                        }
                    }
                }
            }
        }
        if !error_text.is_empty() {
            out.push_str("errors:\n");
            out.push_str(&error_text);
        }
        out
    }
}

/// Adds the members a pagination style needs to the operation's input and output (unless
/// chaos), and renders the `pagination` block.
fn pagination(b: &mut Builder, p: &PaginationDesc, input: usize, output: usize) -> String {
    let chaos = p.chaos;
    let style = PAGINATION_STYLES[usize::from(p.style) % PAGINATION_STYLES.len()];
    let structs = b.struct_indices();
    let item = structs[usize::from(p.item_shape) % structs.len()];
    let ensure = |b: &mut Builder, shape: usize, name: &str, ty: Ty| -> String {
        if chaos.on() {
            return format!("missing{name}");
        }
        if let Some(m) = b.shapes[shape].members.iter().find(|m| m.key == name) {
            return m.key.clone();
        }
        let text = ty_text(&ty, &b.shapes, false);
        b.shapes[shape].members.push(Member {
            key: name.to_owned(),
            lines: vec![("type".into(), quote(&text))],
            ty,
            required: false,
            flow: false,
        });
        name.to_owned()
    };
    let mut out = String::from("    pagination:\n");
    let _ = writeln!(out, "      style: {style}");
    let items = ensure(b, output, "pagerItems", Ty::List(Box::new(Ty::Named(item))));
    let _ = writeln!(out, "      items: {items}");
    // The item shape of the list actually there (another operation may have added it).
    let item = match b.shapes[output]
        .members
        .iter()
        .find(|m| m.key == items)
        .map(|m| &m.ty)
    {
        Some(Ty::List(t)) => match **t {
            Ty::Named(k) if !b.shapes[k].is_enum => k,
            _ => item,
        },
        _ => item,
    };
    if p.page_size {
        let n = ensure(b, input, "pagerSize", Ty::Integer);
        let _ = writeln!(out, "      page_size: {n}");
    }
    match style {
        "token" => {
            let i = ensure(b, input, "pagerToken", Ty::String);
            let o = ensure(b, output, "pagerNext", Ty::String);
            let _ = writeln!(out, "      input_token: {i}\n      output_token: {o}");
        }
        "page_number" | "offset_limit" => {
            let (k, name) = if style == "page_number" {
                ("page", "pagerPage")
            } else {
                ("offset", "pagerOffset")
            };
            let n = ensure(b, input, name, Ty::Long);
            let _ = writeln!(out, "      {k}: {n}");
            if let Some(f) = p.first {
                let _ = writeln!(out, "      first: {}", f % 3);
            }
            if style == "offset_limit"
                && let Some(u) = p.offset_unit
            {
                let _ = writeln!(out, "      offset_unit: {}", OFFSET_UNITS[usize::from(!u)]);
            }
            if p.total_count {
                let n = ensure(b, output, "pagerTotal", Ty::Integer);
                let _ = writeln!(out, "      total_count: {n}");
            }
        }
        "link" => {
            // The link in a response header; the next request's query members from its query.
            let link = ensure(b, output, "pagerLink", Ty::String);
            let last = ensure(b, input, "pagerLast", Ty::String);
            for (shape, key, place) in [
                (output, &link, [("location", "header"), ("wire_name", "Link")]),
                (input, &last, [("location", "query"), ("wire_name", "last")]),
            ] {
                if let Some(m) = b.shapes[shape].members.iter_mut().find(|m| &m.key == key)
                    && !m.lines.iter().any(|(k, _)| k == "location")
                {
                    m.lines.retain(|(k, _)| k != "wire_name");
                    for (k, v) in place {
                        m.lines.push((k.into(), v.into()));
                    }
                }
            }
            let _ = writeln!(out, "      link: {}", key(&link));
        }
        _ => {
            let m = ensure(b, input, "pagerMarker", Ty::String);
            // The item's own string member, if the item shape has one; else add one.
            let existing = b.shapes[item]
                .members
                .iter()
                .find(|m| m.ty == Ty::String)
                .map(|m| m.key.clone());
            let from = match existing {
                Some(k) => k,
                None => ensure(b, item, "pagerKey", Ty::String),
            };
            let _ = writeln!(out, "      marker: {m}\n      marker_from: {}", key(&from));
        }
    }
    out
}

fn protocol(p: &ProtocolDesc) -> String {
    let chaos = p.chaos;
    let mut out = String::from("protocol:\n");
    let host: String = p
        .endpoint
        .render()
        .chars()
        .filter(|c| !matches!(c, '{' | '}') || chaos.on())
        .collect();
    let endpoint = if p.region {
        format!("https://api.{{region}}.{host}")
    } else {
        format!("https://{host}")
    };
    let _ = writeln!(out, "  endpoint: {}", quote(&endpoint));
    let _ = writeln!(out, "  body: {}", BODY_KINDS[usize::from(!p.json_body)]);
    match (&p.content_type, p.json_body) {
        (Some(t), _) => {
            let _ = writeln!(out, "  content_type: {}", quote(&t.render()));
        }
        (None, true) if !chaos.on() => {
            out.push_str("  content_type: application/x-amz-json-1.1\n");
        }
        _ => {}
    }
    if !p.headers.is_empty() {
        out.push_str("  headers:\n");
        for (name, value, placeholder) in p.headers.iter().take(4) {
            let name = HEADER_NAMES[usize::from(*name) % HEADER_NAMES.len()];
            let mut v: String = value
                .render()
                .chars()
                .filter(|c| !matches!(c, '{' | '}') || chaos.on())
                .collect();
            match placeholder % 4 {
                0 => v.push_str(".{operation}"),
                1 => v.insert_str(0, "{api_version}/"),
                2 => v.push_str("{region}"),
                _ => {}
            }
            let _ = writeln!(out, "    {}: {}", key(name), quote(&v));
        }
    }
    let _ = writeln!(
        out,
        "  timestamp_format: {}",
        TS_FORMATS[usize::from(p.timestamp_format) % TS_FORMATS.len()]
    );
    if p.envelope.is_some() || p.request_id.is_some() {
        out.push_str("  response:\n");
        if let Some(e) = &p.envelope {
            let _ = writeln!(out, "    envelope: {}", quote(&e.render_nonblank()));
        }
        if let Some((header, t)) = &p.request_id {
            let _ = writeln!(
                out,
                "    request_id: {{{}: {}}}",
                if *header { "header" } else { "body" },
                quote(&t.render_nonblank())
            );
        }
    }
    out.push_str("  errors:\n");
    let _ = writeln!(
        out,
        "    status: {}",
        ERROR_STATUS_RULES[usize::from(!p.errors_always)]
    );
    let _ = writeln!(out, "    code: {}", quote(&p.code.render_nonblank()));
    if let Some(m) = &p.message {
        let list: Vec<String> = m
            .iter()
            .take(3)
            .map(|t| quote(&t.render_nonblank()))
            .collect();
        if list.len() == 1 {
            let _ = writeln!(out, "    message: {}", list[0]);
        } else {
            let _ = writeln!(out, "    message: [{}]", list.join(", "));
        }
    }
    if let Some(s) = p.strip_namespace {
        let _ = writeln!(out, "    strip_namespace: {s}");
    }
    out
}
