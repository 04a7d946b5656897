//! The IR: what to emit, with every name resolved and every constraint normalized.
//!
//! Built by [`crate::check::check`] from a spec that passed every check; the emitter trusts it.

use crate::pattern::Tables;
use crate::spec::{Num, Scalar};

/// One provider module.
#[derive(Debug, Clone)]
pub struct Module {
    /// The spec file as named by the caller (`specs/ecr.yaml`).
    pub file: String,
    /// Module name (`ecr_public`).
    pub id: String,
    /// Human name of the provider.
    pub name: String,
    /// API version.
    pub api_version: String,
    /// Module documentation.
    pub docs: String,
    /// Source documents: id, title, location.
    pub sources: Vec<SourceIr>,
    /// Wire protocol facts.
    pub protocol: ProtocolIr,
    /// Structures, in spec order.
    pub structs: Vec<Struct>,
    /// Enums, in spec order.
    pub enums: Vec<Enum>,
    /// Operations, in spec order.
    pub operations: Vec<OperationIr>,
    /// Distinct patterns used by validators.
    pub patterns: Vec<PatternIr>,
}

/// A source document.
#[derive(Debug, Clone)]
pub struct SourceIr {
    /// Id used by `source:` keys.
    pub id: String,
    /// What it is.
    pub title: String,
    /// Where it is.
    pub location: String,
}

/// Wire protocol facts.
#[derive(Debug, Clone)]
pub struct ProtocolIr {
    /// Endpoint template.
    pub endpoint: String,
    /// `true` when members without a location travel in a JSON body.
    pub json_body: bool,
    /// Request content type.
    pub content_type: Option<String>,
    /// Constant header templates.
    pub headers: Vec<(String, String)>,
    /// Response envelope key.
    pub envelope: Option<String>,
    /// Request id: `(true, header)` or `(false, body path)`.
    pub request_id: Option<(bool, String)>,
    /// Errors come with any status (`always`), not only non-2xx ones.
    pub errors_always: bool,
    /// Dotted path of the error code.
    pub error_code: String,
    /// Dotted paths of the error message.
    pub error_message: Vec<String>,
    /// Strip `namespace#` prefixes from error codes.
    pub strip_namespace: bool,
}

/// Timestamp wire formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TsFormat {
    /// Seconds since the epoch, with fraction.
    EpochSeconds,
    /// RFC 3339 strings.
    Rfc3339,
    /// Strings kept as sent.
    Text,
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `String`.
    String,
    /// `crspec_runtime::SharedStr`: a string a page repeats, stored once (`shared_string`).
    SharedString,
    /// `crspec_runtime::ShortStr`: a short string (a tag) held inline when it fits
    /// (`short_string`).
    ShortString,
    /// `crspec_runtime::Digest`: a content digest, decoded (`digest`).
    Digest,
    /// `i32`.
    Integer,
    /// `i64`.
    Long,
    /// `f64`.
    Double,
    /// `bool`.
    Boolean,
    /// A timestamp in the given format.
    Timestamp(TsFormat),
    /// `Vec<T>`.
    List(Box<Ty>),
    /// `BTreeMap<K, V>` for string keys; `crspec_runtime::EnumMap<K, V, N>` for an enum key
    /// (a slot per known value).
    Map(Box<Ty>, Box<Ty>),
    /// A generated structure, by Rust name.
    Struct(String),
    /// A generated enum, by Rust name.
    Enum(String),
}

/// A structure.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Rust type name.
    pub name: String,
    /// Documentation.
    pub docs: String,
    /// Members in spec order.
    pub fields: Vec<Field>,
    /// Mutually exclusive groups.
    pub exclusive: Vec<ExclusiveIr>,
    /// Reachable from an operation's input: gets a builder and `validate()`.
    pub validated: bool,
    /// Every field type has a `Default`.
    pub default: bool,
    /// No floating-point value inside: `Eq` can be derived.
    pub eq: bool,
}

/// A structure member.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire.
    pub wire: String,
    /// Rust field name.
    pub rust: String,
    /// Value type (without the `Option`).
    pub ty: Ty,
    /// The field is not an `Option`.
    pub required: bool,
    /// The member must be set (a `required` member, even when nullable).
    pub must_be_set: bool,
    /// Documentation.
    pub docs: String,
    /// The provider's default.
    pub default: Option<Scalar>,
    /// Length bounds in characters.
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// Number range.
    pub range: Option<(Option<Num>, Option<Num>)>,
    /// Item count bounds.
    pub items: Option<(Option<u64>, Option<u64>)>,
    /// Index into [`Module::patterns`].
    pub pattern: Option<usize>,
    /// Where a request member travels (`body`, `query`, `path`, `header`).
    pub location: Option<String>,
}

/// A mutually exclusive group.
#[derive(Debug, Clone)]
pub struct ExclusiveIr {
    /// Wire names.
    pub members: Vec<String>,
    /// Why.
    pub docs: String,
}

/// A string-set enum.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Rust type name.
    pub name: String,
    /// Documentation.
    pub docs: String,
    /// Values: wire value, Rust variant, docs.
    pub values: Vec<(String, String, String)>,
}

/// An operation.
#[derive(Debug, Clone)]
pub struct OperationIr {
    /// Wire name.
    pub wire: String,
    /// Rust name (UpperCamelCase of the wire name).
    pub rust: String,
    /// Documentation.
    pub docs: String,
    /// HTTP method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Input structure.
    pub input: String,
    /// Output structure.
    pub output: String,
    /// Errors.
    pub errors: Vec<ErrorIr>,
    /// Pagination.
    pub pagination: Option<PaginationIr>,
    /// The mapping of output items onto `ImageSummary`.
    pub summary: Option<SummaryIr>,
}

/// Where a field of `ImageSummary` comes from.
#[derive(Debug, Clone)]
pub enum SummarySource {
    /// A member of the item.
    Item(Field),
    /// A member of the operation's input.
    Input(Field),
}

/// The mapping of an operation's output items onto `ImageSummary`.
#[derive(Debug, Clone)]
pub struct SummaryIr {
    /// The output member (a list of structures) with the items.
    pub items: Field,
    /// The manifest digest.
    pub digest: Option<SummarySource>,
    /// The tags.
    pub tags: Option<SummarySource>,
    /// The size, and how many bytes one unit of it is.
    pub size: Option<(SummarySource, u64)>,
    /// When the image was pushed.
    pub pushed_at: Option<SummarySource>,
    /// The manifest media type, and a prefix to strip from it.
    pub media_type: Option<(SummarySource, Option<String>)>,
    /// The registry.
    pub registry: Option<SummarySource>,
    /// The repository.
    pub repository: Option<SummarySource>,
}

/// An error an operation can return.
#[derive(Debug, Clone)]
pub struct ErrorIr {
    /// Code as sent.
    pub code: String,
    /// Rust variant name.
    pub variant: String,
    /// HTTP status.
    pub http_status: Option<u16>,
    /// Worth retrying.
    pub retryable: bool,
    /// Documentation.
    pub docs: String,
}

/// Pagination of an operation.
#[derive(Debug, Clone)]
pub struct PaginationIr {
    /// `token`, `page_number` or `offset_limit`.
    pub style: String,
    /// Output member (wire) with the page's items.
    pub items: String,
    /// Input member with the page size.
    pub page_size: Option<String>,
    /// Input member with the token / page / offset.
    pub cursor_in: Option<String>,
    /// Output member with the next token.
    pub cursor_out: Option<String>,
    /// First page or offset.
    pub first: i64,
    /// Offset counts pages, not items.
    pub offset_in_pages: bool,
    /// Output member with the total count.
    pub total_count: Option<String>,
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct PatternIr {
    /// The pattern as written.
    pub source: String,
    /// Name of the generated static.
    pub name: String,
    /// The compiled tables.
    pub tables: Tables,
}
