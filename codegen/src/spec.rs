//! The spec model: plain data that mirrors the YAML, with the position of every value.
//!
//! [`load`] reads a spec's text; only YAML syntax and the shape of the document (unknown keys,
//! wrong value kinds) are checked here. Everything else is checked by [`crate::check`], which
//! reports every problem at once.

use core::fmt;
use core::marker::PhantomData;
use std::cell::OnceCell;
use std::collections::HashMap;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
pub use serde_saphyr::Spanned;

use crate::diag::Diagnostic;

/// A YAML mapping whose keys keep their positions and order (and duplicates, which the checker
/// reports).
#[derive(Debug, Clone)]
pub struct Entries<T>(
    pub Vec<(Spanned<String>, T)>,
    /// Where each key is first, built at the first look-up in a long mapping: looking up every
    /// member of a large shape, once per operation, stays linear.
    OnceCell<HashMap<String, usize>>,
);

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Self(Vec::new(), OnceCell::new())
    }
}

impl<T> Entries<T> {
    /// Mappings up to this many entries are searched rather than indexed.
    const SEARCHED: usize = 16;

    /// The entry under `key`, if any (the first one, when a key is repeated).
    pub fn get(&self, key: &str) -> Option<&T> {
        if self.0.len() <= Self::SEARCHED {
            return self.0.iter().find(|(k, _)| k.value == key).map(|(_, v)| v);
        }
        let index = self.1.get_or_init(|| {
            let mut index = HashMap::with_capacity(self.0.len());
            for (i, (k, _)) in self.0.iter().enumerate() {
                index.entry(k.value.clone()).or_insert(i);
            }
            index
        });
        self.0.get(*index.get(key)?).map(|(_, v)| v)
    }

    /// The entries in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&Spanned<String>, &T)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for EntriesVisitor<T> {
            type Value = Entries<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<T>, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let value = map.next_value::<T>()?;
                    entries.push((key, value));
                }
                Ok(Entries(entries, OnceCell::new()))
            }
        }

        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

/// A number written in a spec: an integer or a floating-point value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// An integer.
    Int(i128),
    /// A floating-point number.
    Float(f64),
}

impl Num {
    /// The value as `f64` (for comparisons).
    #[allow(clippy::cast_precision_loss)]
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Num::Int(i) => write!(f, "{i}"),
            Num::Float(x) => write!(f, "{x:?}"),
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumVisitor;

        impl Visitor<'_> for NumVisitor {
            type Value = Num;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num::Int(v.into()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num::Int(v.into()))
            }

            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Num, E> {
                Ok(Num::Int(v))
            }

            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Num, E> {
                i128::try_from(v)
                    .map(Num::Int)
                    .map_err(|_| E::custom("number too large"))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                Ok(Num::Float(v))
            }
        }

        deserializer.deserialize_any(NumVisitor)
    }
}

/// A scalar written in a spec (a `default`).
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// A number.
    Num(Num),
    /// `true` or `false`.
    Bool(bool),
    /// A string.
    Str(String),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Num(n) => write!(f, "{n}"),
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Str(s) => write!(f, "{s:?}"),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;

        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, a boolean or a string")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Num(Num::Int(v.into())))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Num(Num::Int(v.into())))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Num(Num::Float(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Str(v.to_owned()))
            }
        }

        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A whole spec file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Format version; must be 1.
    pub crspec: Spanned<Num>,
    /// Who the API belongs to and where the facts come from.
    pub provider: Spanned<Provider>,
    /// How requests travel and responses arrive.
    pub protocol: Spanned<Protocol>,
    /// Operations by wire name.
    pub operations: Spanned<Entries<Spanned<Operation>>>,
    /// Named structures and enums.
    pub shapes: Spanned<Entries<Spanned<Shape>>>,
    /// Errors by wire code.
    #[serde(default)]
    pub errors: Option<Spanned<Entries<Spanned<ErrorDef>>>>,
    /// How the Rust is generated, beyond the API's facts.
    #[serde(default)]
    pub generation: Option<Spanned<Generation>>,
}

/// `generation`: settings of the generated Rust that are not facts of the API.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Generation {
    /// Settings of the type generated for each shape, by shape name.
    #[serde(default)]
    pub types: Option<Spanned<Entries<Spanned<TypeSettings>>>>,
}

/// `generation.types.<Shape>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeSettings {
    /// The Rust type name, instead of the shape name.
    #[serde(default)]
    pub rust_name: Option<Spanned<String>>,
    /// Derives to add, as Rust paths.
    #[serde(default)]
    pub derives: Option<Spanned<Vec<Spanned<String>>>>,
    /// Outer attributes to add, as Rust source (`#[...]`).
    #[serde(default)]
    pub attributes: Option<Spanned<Vec<Spanned<String>>>>,
    /// A Rust type of the user's that stands for the shape: nothing is generated for it.
    #[serde(default)]
    pub replace: Option<Spanned<String>>,
    /// Settings of a structure's members, by member key.
    #[serde(default)]
    pub members: Option<Spanned<Entries<Spanned<MemberSettings>>>>,
}

/// `generation.types.<Shape>.members.<member>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberSettings {
    /// The Rust field name.
    pub rust_name: Spanned<String>,
}

/// `provider`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// Rust module name.
    pub id: Spanned<String>,
    /// Human name.
    pub name: Spanned<String>,
    /// The API version the spec describes.
    pub api_version: Spanned<String>,
    /// Module documentation.
    #[serde(default)]
    pub docs: Option<Spanned<String>>,
    /// Source documents by id.
    pub sources: Spanned<Entries<Spanned<Source>>>,
    /// The source of facts that name none.
    pub default_source: Spanned<String>,
}

/// One source document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// What the document is.
    pub title: Spanned<String>,
    /// Where it is: a path or a URL.
    pub location: Spanned<String>,
}

/// `protocol`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protocol {
    /// Endpoint URL template (`{region}`).
    pub endpoint: Spanned<String>,
    /// Endpoint templates for regions that start with a prefix (AWS's `cn-` partition).
    #[serde(default)]
    pub region_endpoints: Entries<Spanned<String>>,
    /// `json` or `none`.
    pub body: Spanned<String>,
    /// Content type of request bodies.
    #[serde(default)]
    pub content_type: Option<Spanned<String>>,
    /// Constant headers (templates).
    #[serde(default)]
    pub headers: Entries<Spanned<String>>,
    /// Default timestamp format; needed only by timestamp members without a `format`.
    #[serde(default)]
    pub timestamp_format: Option<Spanned<String>>,
    /// Response envelope and request id.
    #[serde(default)]
    pub response: Option<Spanned<ResponseProtocol>>,
    /// How errors arrive.
    pub errors: Spanned<ErrorProtocol>,
    /// How requests are signed; absent: they are not.
    #[serde(default)]
    pub signing: Option<Spanned<Signing>>,
}

/// `protocol.signing`: the scheme and the service name it signs for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signing {
    /// `sigv4`, `tc3`, `jdcloud2`, `jdcloud3` or `none`.
    pub scheme: Spanned<String>,
    /// The service name in the credential scope (`ecr`, `tcr`, `cr`).
    #[serde(default)]
    pub service: Option<Spanned<String>>,
}

/// `protocol.response`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseProtocol {
    /// Key wrapping every response body.
    #[serde(default)]
    pub envelope: Option<Spanned<String>>,
    /// Where the request id is.
    #[serde(default)]
    pub request_id: Option<Spanned<RequestId>>,
}

/// `protocol.response.request_id`: a header or a dotted body path (exactly one).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestId {
    /// Header name.
    #[serde(default)]
    pub header: Option<Spanned<String>>,
    /// Dotted body path.
    #[serde(default)]
    pub body: Option<Spanned<String>>,
}

/// One string or several.
#[derive(Debug, Clone)]
pub struct OneOrMany(pub Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrManyVisitor;

        impl<'de> Visitor<'de> for OneOrManyVisitor {
            type Value = OneOrMany;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![Spanned::new(
                    v.to_owned(),
                    serde_saphyr::Location::UNKNOWN,
                    serde_saphyr::Location::UNKNOWN,
                )]))
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut all = Vec::new();
                while let Some(s) = seq.next_element::<Spanned<String>>()? {
                    all.push(s);
                }
                Ok(OneOrMany(all))
            }
        }

        deserializer.deserialize_any(OneOrManyVisitor)
    }
}

/// `protocol.errors`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorProtocol {
    /// `non_2xx` or `always`.
    pub status: Spanned<String>,
    /// Dotted path of the code.
    pub code: Spanned<String>,
    /// Dotted path(s) of the message.
    #[serde(default)]
    pub message: Option<Spanned<OneOrMany>>,
    /// Strip a `namespace#` prefix from codes.
    #[serde(default)]
    pub strip_namespace: Option<Spanned<bool>>,
}

/// One operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Documentation.
    #[serde(default)]
    pub docs: Option<Spanned<String>>,
    /// HTTP method.
    pub method: Spanned<String>,
    /// Path template.
    pub path: Spanned<String>,
    /// Input structure.
    pub input: Spanned<String>,
    /// Output structure.
    pub output: Spanned<String>,
    /// Error codes.
    #[serde(default)]
    pub errors: Option<Spanned<Vec<Spanned<String>>>>,
    /// Pagination.
    #[serde(default)]
    pub pagination: Option<Spanned<Pagination>>,
    /// How each item of the output maps onto the cross-provider `ImageSummary`.
    #[serde(default)]
    pub summary: Option<Spanned<Summary>>,
    /// Source id.
    #[serde(default)]
    pub source: Option<Spanned<String>>,
}

/// `operations.X.summary`: which members of an output item (or of the input, `*_from_input`)
/// fill each field of the cross-provider `ImageSummary`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Output member: the list of items (images); without it, the output is the one image.
    #[serde(default)]
    pub items: Option<Spanned<String>>,
    /// Item member: the manifest digest (a string).
    #[serde(default)]
    pub digest: Option<Spanned<String>>,
    /// Item member: the tags (a list of strings, or one string).
    #[serde(default)]
    pub tags: Option<Spanned<String>>,
    /// Item member: the size (a number in `size_unit`).
    #[serde(default)]
    pub size: Option<Spanned<String>>,
    /// `bytes` (default), `kB` (10^3), `MB` (10^6), `KiB` or `MiB`.
    #[serde(default)]
    pub size_unit: Option<Spanned<String>>,
    /// Item member: when the image was pushed (a timestamp).
    #[serde(default)]
    pub pushed_at: Option<Spanned<String>>,
    /// Item member: the manifest media type (a string).
    #[serde(default)]
    pub media_type: Option<Spanned<String>>,
    /// A prefix of the media-type member that is not part of the media type (`Artifact::`).
    #[serde(default)]
    pub media_type_prefix: Option<Spanned<String>>,
    /// Item member: the registry (a string).
    #[serde(default)]
    pub registry: Option<Spanned<String>>,
    /// Input member: the registry, when the items do not carry it.
    #[serde(default)]
    pub registry_from_input: Option<Spanned<String>>,
    /// Item member: the repository (a string).
    #[serde(default)]
    pub repository: Option<Spanned<String>>,
    /// Input member: the repository, when the items do not carry it.
    #[serde(default)]
    pub repository_from_input: Option<Spanned<String>>,
}

/// `operations.X.pagination`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// `token`, `page_number`, `offset_limit`, `marker` or `link`.
    pub style: Spanned<String>,
    /// Output member with the page's items.
    pub items: Spanned<String>,
    /// Input member with the page size.
    #[serde(default)]
    pub page_size: Option<Spanned<String>>,
    /// Input member carrying the token.
    #[serde(default)]
    pub input_token: Option<Spanned<String>>,
    /// Output member with the next token.
    #[serde(default)]
    pub output_token: Option<Spanned<String>>,
    /// Input member with the page number.
    #[serde(default)]
    pub page: Option<Spanned<String>>,
    /// Input member with the offset.
    #[serde(default)]
    pub offset: Option<Spanned<String>>,
    /// First page number or offset.
    #[serde(default)]
    pub first: Option<Spanned<Num>>,
    /// `item` or `page`.
    #[serde(default)]
    pub offset_unit: Option<Spanned<String>>,
    /// Style marker: input member that carries the marker.
    #[serde(default)]
    pub marker: Option<Spanned<String>>,
    /// Style marker: member of an item whose value, on the page's last item, is the next marker.
    #[serde(default)]
    pub marker_from: Option<Spanned<String>>,
    /// Output member with the total count.
    #[serde(default)]
    pub total_count: Option<Spanned<String>>,
    /// Style link: output member with the `Link` header.
    #[serde(default)]
    pub link: Option<Spanned<String>>,
}

/// A named shape: a structure or an enum (by `type`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    /// `structure` or `enum`.
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    /// Documentation.
    #[serde(default)]
    pub docs: Option<Spanned<String>>,
    /// Structure members by wire name.
    #[serde(default)]
    pub members: Option<Spanned<Entries<Spanned<Member>>>>,
    /// Mutually exclusive groups.
    #[serde(default)]
    pub exclusive: Option<Spanned<Vec<Spanned<Exclusive>>>>,
    /// Enum values by wire value.
    #[serde(default)]
    pub values: Option<Spanned<Entries<Spanned<EnumValue>>>>,
    /// Source id.
    #[serde(default)]
    pub source: Option<Spanned<String>>,
}

/// One structure member.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Type expression.
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    /// Documentation.
    #[serde(default)]
    pub docs: Option<Spanned<String>>,
    /// Must be present.
    #[serde(default)]
    pub required: Option<Spanned<bool>>,
    /// May be `null`.
    #[serde(default)]
    pub nullable: Option<Spanned<bool>>,
    /// The provider's default.
    #[serde(default)]
    pub default: Option<Spanned<Scalar>>,
    /// String length bounds.
    #[serde(default)]
    pub length: Option<Spanned<Bounds>>,
    /// Number range.
    #[serde(default)]
    pub range: Option<Spanned<Bounds>>,
    /// List item count bounds.
    #[serde(default)]
    pub items: Option<Spanned<Bounds>>,
    /// Full-match pattern.
    #[serde(default)]
    pub pattern: Option<Spanned<String>>,
    /// Timestamp format.
    #[serde(default)]
    pub format: Option<Spanned<String>>,
    /// Where a request member travels.
    #[serde(default)]
    pub location: Option<Spanned<String>>,
    /// Wire name when it differs from the key.
    #[serde(default)]
    pub wire_name: Option<Spanned<String>>,
    /// Rust field name override.
    #[serde(default)]
    pub rust_name: Option<Spanned<String>>,
    /// Source id.
    #[serde(default)]
    pub source: Option<Spanned<String>>,
}

/// `{min, max}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    /// Lower bound.
    #[serde(default)]
    pub min: Option<Spanned<Num>>,
    /// Upper bound.
    #[serde(default)]
    pub max: Option<Spanned<Num>>,
}

/// One exclusive group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusive {
    /// Member wire names.
    pub members: Spanned<Vec<Spanned<String>>>,
    /// Why.
    #[serde(default)]
    pub docs: Option<Spanned<String>>,
}

/// One enum value.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// Rust variant name override.
    #[serde(default)]
    pub name: Option<Spanned<String>>,
    /// Documentation.
    #[serde(default)]
    pub docs: Option<Spanned<String>>,
    /// Source id.
    #[serde(default)]
    pub source: Option<Spanned<String>>,
}

/// One error.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    /// HTTP status.
    #[serde(default)]
    pub http_status: Option<Spanned<Num>>,
    /// Worth retrying.
    #[serde(default)]
    pub retryable: Option<Spanned<bool>>,
    /// Documentation.
    #[serde(default)]
    pub docs: Option<Spanned<String>>,
    /// Rust variant name override.
    #[serde(default)]
    pub name: Option<Spanned<String>>,
    /// Source id.
    #[serde(default)]
    pub source: Option<Spanned<String>>,
}

/// Largest spec accepted, in bytes (16 MiB).
pub const MAX_SPEC_BYTES: usize = 16 * 1024 * 1024;

/// YAML events (values, starts and ends of mappings and sequences) the reader may see per byte
/// of a spec. Written out, a spec has at most two per byte, and a few more (`[:,:]` is the
/// densest: each `:,` is a mapping of an empty key and value, four events in two bytes);
/// aliases (`*name`) can repeat more, up to this many.
const EVENTS_PER_BYTE: usize = 4;

/// The fewest YAML events the reader is allowed, however small the spec (the reader's own
/// default).
const MIN_EVENTS: usize = 1_000_000;

/// Reads a spec's text. `file` is only used in diagnostics.
///
/// # Errors
///
/// One diagnostic for YAML that does not parse or a document of the wrong shape (serde stops at
/// the first such problem).
#[allow(
    clippy::result_large_err,
    reason = "read once per spec: the error path is cold, and a plain `Diagnostic` is what callers collect"
)]
pub fn load(file: &str, text: &str) -> Result<Spec, Diagnostic> {
    let (spec, mut diagnostics) = load_all(file, text);
    match spec {
        Some(spec) if diagnostics.is_empty() => Ok(spec),
        _ => Err(diagnostics.swap_remove(0)),
    }
}

/// How many structural problems one read reports at most.
const MAX_STRUCTURAL: usize = 64;

/// Reads `text` as [`load`] does, but goes on past a structural problem that can be stepped
/// over (an unknown key; a value of the wrong type or form for a key that may be left out):
/// that entry is blanked out (its bytes become spaces, so every later place is unchanged) and
/// the text is read again. Returns every such problem, in the order found, and the spec that is
/// left when the rest reads, so that the checker can report its own problems in the same run.
/// A problem that cannot be stepped over (a missing key, broken YAML) ends the reading, with
/// no spec.
pub fn load_all(file: &str, text: &str) -> (Option<Spec>, Vec<Diagnostic>) {
    let mut text = std::borrow::Cow::Borrowed(text);
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    loop {
        match load_once(file, &text) {
            Ok(spec) => return (Some(spec), diagnostics),
            Err(d) => {
                // A mapping left empty by the blanking (`null`) is the blanking's doing, not
                // the author's: stop without it.
                if !diagnostics.is_empty()
                    && (d.message.starts_with("invalid type: null")
                        || d.message.contains("unit value"))
                {
                    return (None, diagnostics);
                }
                let steppable = d.message.starts_with("unknown field")
                    || d.message.starts_with("invalid ")
                    || d.message.starts_with("not a boolean");
                let again = steppable
                    && diagnostics.len() + 1 < MAX_STRUCTURAL
                    && !diagnostics
                        .iter()
                        .any(|e| (e.line, e.column) == (d.line, d.column))
                    && blank_entry(text.to_mut(), d.line, d.column);
                diagnostics.push(d);
                if !again {
                    return (None, diagnostics);
                }
            }
        }
    }
}

/// Blanks out the entry (`key: value`) at `line:column` (1-based) of `text`: the whole line and
/// the more indented lines under it for a block mapping's entry, the entry between its `,` or
/// `{` and the next `,` or `}` in a flow mapping. Bytes become spaces (newlines stay), so every
/// other place in the text is unchanged. `false` when there is nothing to blank there.
fn blank_entry(text: &mut String, line: u64, column: u64) -> bool {
    let Some(start) = text
        .split_inclusive('\n')
        .take(
            usize::try_from(line)
                .unwrap_or(usize::MAX)
                .saturating_sub(1),
        )
        .map(str::len)
        .reduce(|a, b| a + b)
        .or(Some(0))
        .filter(|_| line >= 1)
    else {
        return false;
    };
    let rest = &text[start.min(text.len())..];
    let line_text = rest.split('\n').next().unwrap_or("");
    let indent = line_text.len() - line_text.trim_start().len();
    // The byte offset of `column` (counted in characters) in the line.
    let at = line_text
        .char_indices()
        .nth(usize::try_from(column).unwrap_or(1).saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    // The entry's start: after the last `{` or `,` before the column, outside quotes.
    let mut entry_start = indent;
    let mut quote = None;
    for (i, c) in line_text[..at].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | ',') => entry_start = i + 1,
            _ => {}
        }
    }
    let flow = entry_start > indent;
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    if flow {
        // Up to the next `,` or `}` at this depth.
        let mut depth = 0i32;
        let mut quote = None;
        let mut end = line_text.len();
        for (i, c) in line_text[entry_start..].char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '{' | '[') => depth += 1,
                (None, '}' | ']') if depth > 0 => depth -= 1,
                (None, ',') if depth > 0 => {}
                (None, '}' | ']' | ',') => {
                    end = entry_start + i + usize::from(c == ',');
                    break;
                }
                _ => {}
            }
        }
        ranges.push(start + entry_start..start + end);
    } else {
        // The line, and the lines under it that are more indented (its block value).
        let mut end = start + line_text.len();
        let mut offset = start + line_text.len() + 1;
        for next in text.get(offset..).unwrap_or("").split_inclusive('\n') {
            let body = next.trim_end_matches('\n');
            let trimmed = body.trim_start();
            let deeper = body.len() - trimmed.len() > indent || trimmed.starts_with('#');
            if !trimmed.is_empty() && !deeper {
                break;
            }
            if !trimmed.is_empty() {
                end = offset + body.len();
            }
            offset += next.len();
        }
        ranges.push(start + indent..end);
    }
    let mut blanked = false;
    for range in ranges {
        let Some(slice) = text.get(range.clone()) else {
            return false;
        };
        let spaces: String = slice
            .chars()
            .map(|c| {
                if c == '\n' {
                    "\n".to_owned()
                } else {
                    " ".repeat(c.len_utf8())
                }
            })
            .collect();
        blanked |= spaces.trim() != slice.trim() || !slice.trim().is_empty();
        text.replace_range(range, &spaces);
    }
    blanked
}

/// The code of a problem serde or the YAML reader found (other than its budget), from its
/// message.
fn reading_code(message: &str) -> &'static str {
    if message.starts_with("unknown field") {
        "unknown_key"
    } else if message.starts_with("missing field") {
        "missing_key"
    } else if message.starts_with("invalid type")
        || message.starts_with("invalid value")
        || message.starts_with("invalid length")
        || message.starts_with("not a boolean")
    {
        "wrong_type"
    } else {
        "yaml"
    }
}

/// One read of `text`: the spec, or the first problem.
#[allow(
    clippy::result_large_err,
    reason = "read once per spec: the error path is cold, and a plain `Diagnostic` is what callers collect"
)]
fn load_once(file: &str, text: &str) -> Result<Spec, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > MAX_SPEC_BYTES {
        return Err(Diagnostic::whole_file(
            file,
            "spec_too_large",
            format!(
                "the spec is {} bytes; the most a spec may be is {MAX_SPEC_BYTES}",
                text.len()
            ),
        ));
    }
    let has_content = text.lines().any(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#') && t != "---" && t != "..."
    });
    if !has_content {
        return Err(Diagnostic::whole_file(
            file,
            "spec_empty",
            "the spec is empty; a spec starts with `crspec: 1`",
        ));
    }
    // The reader's budget grows with the spec, so that every spec up to MAX_SPEC_BYTES can be
    // read; it still bounds what aliases can make of a small one.
    let events = reader_events(text.len());
    let options = serde_saphyr::options! {
        // Repeated keys reach the visitors: `Entries` keeps them for the checker, which names
        // the repeated member, shape or value; derived structs reject repeated fields.
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::PassThrough,
        strict_booleans: true,
        no_schema: false,
        budget: serde_saphyr::budget! {
            max_events: events,
            max_nodes: events,
        },
    };
    serde_saphyr::from_str_with_options::<Spec>(text, options).map_err(|e| {
        let location = e.location();
        let (mut line, mut column) =
            location.map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
        let budget = budget_message(&e, text.len());
        let over_budget = budget.is_some();
        let message = budget
            .unwrap_or_else(|| with_field_hint(yaml_message(&e)))
            .replace(
                "invalid boolean (strict mode expects true/false)",
                "not a boolean: write `true` or `false`",
            );
        // serde reports a missing field at the last key of the mapping that lacks it: the path
        // is that mapping's, and a field missing from the document is best shown at its start.
        let mut path = path_at(text, line, column);
        if message.starts_with("missing field") {
            path = path
                .rsplit_once('.')
                .map(|(p, _)| p.to_owned())
                .unwrap_or_default();
            if path.is_empty() {
                let first = text
                    .lines()
                    .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                    .map_or(1, |i| i as u64 + 1);
                (line, column) = (first, 1);
            }
        }
        let span = location.and_then(|l| {
            let s = l.span();
            Some((
                usize::try_from(s.byte_offset()?).ok()?,
                usize::try_from(s.byte_len()?).ok()?,
            ))
        });
        Diagnostic {
            code: if over_budget {
                "yaml_budget"
            } else {
                reading_code(&message)
            },
            file: file.to_owned(),
            line,
            column,
            span,
            path,
            message,
        }
    })
}

/// The dotted spec path of the value at `line:column` (1-based), read off the document's
/// indentation: the keys of the block mappings that enclose the position, then the keys of the
/// flow mappings (`{...}`) open on that line before the column. Sequence items are not counted.
///
/// Only the one error serde stops at needs this (every later problem is the checker's, whose
/// values carry their own places). The YAML crate's own means cannot serve it: serde-saphyr's
/// path map is private to its validation features, and tracking the path through the
/// deserializer (`serde_path_to_error` over `with_deserializer_from_str_with_options`, tried on
/// the fixtures of `codegen/tests/bad/` whose error is serde's) loses every key read as
/// `Spanned<String>` (shape and member names come out as `?`) and adds the `value` segments of
/// the `Spanned` wrapper, which cannot be told from a member named `value`.
pub fn path_at(text: &str, line: u64, column: u64) -> String {
    let mut stack: Vec<(usize, String)> = Vec::new();
    let target = usize::try_from(line).unwrap_or(usize::MAX);
    let column = usize::try_from(column).unwrap_or(usize::MAX);
    for (i, raw) in text.lines().enumerate().take(target) {
        let content = raw.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let mut indent = raw.len() - content.len();
        let mut rest = content;
        while let Some(r) = rest.strip_prefix("- ") {
            indent += 2;
            rest = r.trim_start();
        }
        let is_target = i + 1 == target;
        if is_target && indent + 1 > column {
            break;
        }
        let Some((key, after)) = block_key(rest) else {
            continue;
        };
        while stack.last().is_some_and(|(d, _)| *d >= indent) {
            stack.pop();
        }
        stack.push((indent, key.to_owned()));
        if is_target {
            // Flow mappings after the key, up to the column.
            let start = raw.len() - after.len();
            let upto = column.saturating_sub(1).min(raw.len()).max(start);
            let flow = raw.get(start..upto).unwrap_or("");
            stack.extend(flow_keys(flow).into_iter().map(|k| (usize::MAX, k)));
        }
    }
    stack
        .into_iter()
        .map(|(_, k)| k)
        .collect::<Vec<_>>()
        .join(".")
}

/// `key: rest` → (`key`, `rest`), for a plain or quoted key.
fn block_key(line: &str) -> Option<(&str, &str)> {
    if let Some(q) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = line[1..].find(q)? + 1;
        let after = line[end + 1..].strip_prefix(':')?;
        return Some((&line[1..end], after));
    }
    let colon = line
        .find(": ")
        .or_else(|| line.strip_suffix(':').map(str::len))?;
    let key = &line[..colon];
    if key.is_empty() || key.contains(['{', '[', '#', '"', '\'']) {
        return None;
    }
    Some((key.trim_end(), line.get(colon + 1..).unwrap_or("")))
}

/// The keys of the flow mappings still open at the end of `text` (`{a: {b: 1, c: ` → `a`, `c`).
fn flow_keys(text: &str) -> Vec<String> {
    let mut open: Vec<Option<String>> = Vec::new();
    let mut token = String::new();
    let mut last_key: Option<String> = None;
    for c in text.chars() {
        match c {
            '{' => {
                open.push(last_key.take());
                token.clear();
            }
            '}' => {
                open.pop();
                token.clear();
            }
            ':' => {
                last_key = Some(token.trim().trim_matches(['"', '\'']).to_owned());
                token.clear();
            }
            ',' => {
                last_key = None;
                token.clear();
            }
            c => token.push(c),
        }
    }
    open.into_iter()
        .flatten()
        .chain(last_key)
        .filter(|k| !k.is_empty())
        .collect()
}

/// The YAML events the reader may see in a spec of `len` bytes.
fn reader_events(len: usize) -> usize {
    len.saturating_mul(EVENTS_PER_BYTE).max(MIN_EVENTS)
}

/// What a spec that the YAML reader's budget stopped has too much of, in the spec's words
/// rather than the reader's; `None` for any other error. `len` is the spec's size in bytes.
fn budget_message(e: &serde_saphyr::Error, len: usize) -> Option<String> {
    use serde_saphyr::Error;
    use serde_saphyr::budget::BudgetBreach;

    let mut e = e;
    while let Error::AliasError { error, .. } | Error::WithSnippet { error, .. } = e {
        e = error;
    }
    let Error::Budget { breach, .. } = e else {
        return None;
    };
    Some(match breach {
        BudgetBreach::Events { .. } | BudgetBreach::Nodes { .. } => format!(
            "the spec holds more than {} YAML values, the most a spec of {len} bytes may hold; aliases (`*name`) repeat what they refer to: write fewer of them",
            reader_events(len)
        ),
        BudgetBreach::Depth { depth } => {
            format!("the spec nests mappings and sequences {depth} deep; a spec needs far fewer levels")
        }
        BudgetBreach::ScalarBytes { .. } | BudgetBreach::RecordedAnchorBytes { .. } => {
            "the spec's text, with what aliases (`*name`) repeat, is over 64 MiB; write fewer aliases".into()
        }
        BudgetBreach::Aliases { .. }
        | BudgetBreach::Anchors { .. }
        | BudgetBreach::AliasAnchorRatio { .. }
        | BudgetBreach::RecordedAnchorEvents { .. }
        | BudgetBreach::MergeKeys { .. } => {
            "the spec uses too many anchors (`&name`), aliases (`*name`) or merge keys (`<<`); write the values out".into()
        }
        other => format!("the spec is too large to read ({other:?})"),
    })
}

/// The first line of a YAML error, without the position that the diagnostic carries anyway.
/// serde's "unknown field `requried`, expected one of `type`, ..." with the likely intended
/// key: "... (did you mean `required`?)". (The list is short: one mapping's keys.)
fn with_field_hint(message: String) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message;
    };
    let Some((unknown, expected)) = rest.split_once('`') else {
        return message;
    };
    // `, expected one of a, b, c` (or with each name in backticks).
    let list = expected
        .split_once("expected one of ")
        .or_else(|| expected.split_once("expected "))
        .map_or("", |(_, list)| list);
    let candidates = list
        .split(", ")
        .map(|c| c.trim_matches(|c: char| c == '`' || c.is_whitespace()));
    match crate::names::closest(unknown, candidates) {
        Some(hint) => format!("{message} (did you mean `{hint}`?)"),
        None => message,
    }
}

fn yaml_message(e: &serde_saphyr::Error) -> String {
    let text = e.to_string();
    let mut first = text.lines().next().unwrap_or("invalid spec").trim();
    first = first.strip_prefix("error:").unwrap_or(first).trim_start();
    // `line 12 column 7: message`
    if let Some((_, message)) = first
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        first = message;
    }
    let first = first
        .split_once(" at line ")
        .map_or(first, |(msg, _)| msg)
        .trim_end_matches(':');
    first.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_saphyr::budget::{EnforcingPolicy, check_yaml_budget};

    /// The events and values the reader sees in `text`, under the budget `load` gives it.
    fn scan(text: &str) -> (usize, usize, bool) {
        let events = reader_events(text.len());
        let budget = serde_saphyr::budget! { max_events: events, max_nodes: events };
        let report = check_yaml_budget(text, budget.unwrap(), EnforcingPolicy::AllContent).unwrap();
        (report.events, report.nodes, report.breached.is_none())
    }

    /// `unit` repeated inside `open`..`close` to 1 MiB (four times the values the reader's
    /// default budget allowed; `tests/hostile.rs` reads a whole spec at the size limit).
    fn fill(open: &str, unit: &str, close: &str) -> String {
        let count = ((1 << 20) - open.len() - close.len()) / unit.len();
        format!("{open}{}{close}", unit.repeat(count))
    }

    #[test]
    fn the_densest_yaml_is_within_the_readers_budget_at_any_size() {
        // The densest text fits at the size limit too, with room for about as much again.
        assert!(reader_events(MAX_SPEC_BYTES) >= 2 * MAX_SPEC_BYTES + 8);
        for text in [
            // Empty keys and values of single-pair flow mappings: the most events per byte.
            fill("a: [", ":,", ":]"),
            fill("a: [", "[],", "[]]"),
            fill("a: {", "a,", "a}"),
            fill("a: [", "a,", "a]"),
            fill("a:\n", "- \n", ""),
            fill("", "a:\n", ""),
        ] {
            let (events, nodes, within) = scan(&text);
            assert!(within, "{}: {events} events", &text[..8]);
            // At most two events per byte, and a few.
            assert!(events <= 2 * text.len() + 8, "{}: {events}", &text[..8]);
            assert!(nodes <= events);
        }
    }
}
