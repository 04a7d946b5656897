//! The IR: what to emit, with every name resolved, every reference bound and every closed
//! vocabulary typed.
//!
//! Built by the checker from a spec that passed every check; the emitter trusts it. References
//! between items are indices ([`StructId`], [`EnumId`], [`FieldRef`], [`PatternId`]) that only
//! the checker creates, always in range of the [`Module`] they belong to: look them up with
//! [`Module::structure`], [`Module::enumeration`], [`Module::field`] and [`Module::pattern`].

use core::fmt;

pub use crate::pattern::Tables;

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
    /// Source documents.
    pub sources: Vec<Source>,
    /// Wire protocol facts.
    pub protocol: Protocol,
    /// Structures, in spec order ([`StructId`] indexes this).
    pub structs: Vec<Struct>,
    /// Enums, in spec order ([`EnumId`] indexes this).
    pub enums: Vec<Enum>,
    /// Operations, in spec order.
    pub operations: Vec<Operation>,
    /// Distinct patterns used by validators ([`PatternId`] indexes this).
    pub patterns: Vec<Pattern>,
}

impl Module {
    /// The structure `id` names.
    #[must_use]
    pub fn structure(&self, id: StructId) -> &Struct {
        &self.structs[id.0]
    }

    /// The enum `id` names.
    #[must_use]
    pub fn enumeration(&self, id: EnumId) -> &Enum {
        &self.enums[id.0]
    }

    /// The member `r` names.
    #[must_use]
    pub fn field(&self, r: FieldRef) -> &Field {
        &self.structure(r.structure).fields[r.index]
    }

    /// The pattern `id` names.
    #[must_use]
    pub fn pattern(&self, id: PatternId) -> &Pattern {
        &self.patterns[id.0]
    }

    /// The Rust name of a named type (a structure or an enum); `None` for other types.
    #[must_use]
    pub fn type_name(&self, ty: &Ty) -> Option<&str> {
        match ty {
            Ty::Struct(id) => Some(&self.structure(*id).name),
            Ty::Enum(id) => Some(&self.enumeration(*id).name),
            _ => None,
        }
    }
}

/// A structure of [`Module::structs`], by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StructId(pub usize);

/// An enum of [`Module::enums`], by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnumId(pub usize);

/// A pattern of [`Module::patterns`], by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PatternId(pub usize);

/// A member of a structure: the structure, and the member's index in [`Struct::fields`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldRef {
    /// The structure.
    pub structure: StructId,
    /// The member's index in the structure's fields.
    pub index: usize,
}

/// A source document.
#[derive(Debug, Clone)]
pub struct Source {
    /// Id used by `source:` keys.
    pub id: String,
    /// What it is.
    pub title: String,
    /// Where it is.
    pub location: String,
}

/// Where a response carries the request id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestIdAt {
    /// In this header.
    Header(String),
    /// At this dotted path of the (enveloped) body.
    Body(String),
}

/// Wire protocol facts.
#[derive(Debug, Clone)]
pub struct Protocol {
    /// Endpoint template.
    pub endpoint: String,
    /// Endpoint templates by region prefix, in spec order: the first match wins.
    pub region_endpoints: Vec<(String, String)>,
    /// `true` when members without a location travel in a JSON body.
    pub json_body: bool,
    /// Request content type.
    pub content_type: Option<String>,
    /// Constant header templates.
    pub headers: Vec<(String, String)>,
    /// Response envelope key.
    pub envelope: Option<String>,
    /// Where the request id is.
    pub request_id: Option<RequestIdAt>,
    /// Errors come with any status (`always`), not only non-2xx ones.
    pub errors_always: bool,
    /// Dotted path of the error code.
    pub error_code: String,
    /// Dotted paths of the error message.
    pub error_message: Vec<String>,
    /// Strip `namespace#` prefixes from error codes.
    pub strip_namespace: bool,
    /// How requests are signed.
    pub signing: Signing,
}

/// The signing scheme of a protocol, with the service name it signs for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signing {
    /// Requests are sent unsigned.
    None,
    /// AWS Signature Version 4.
    SigV4 {
        /// The signing name (`ecr`, `ecr-public`).
        service: String,
    },
    /// HTTP Basic (RFC 7617).
    Basic,
    /// Tencent Cloud TC3-HMAC-SHA256.
    Tc3 {
        /// The service (`tcr`).
        service: String,
    },
    /// JD Cloud JDCLOUD2-HMAC-SHA256 (`version` 2) or JDCLOUD3-HMAC-SHA256 (`version` 3).
    JdCloud {
        /// 2 or 3.
        version: u8,
        /// The service (`containerregistry`).
        service: String,
    },
}

/// The words of `protocol.signing.scheme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningScheme {
    /// `none`.
    None,
    /// `sigv4`.
    SigV4,
    /// `basic`.
    Basic,
    /// `tc3`.
    Tc3,
    /// `jdcloud2`.
    JdCloud2,
    /// `jdcloud3`.
    JdCloud3,
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
    /// A generated structure.
    Struct(StructId),
    /// A generated enum.
    Enum(EnumId),
}

impl Ty {
    /// The structure of a list's items (`list<S>`), if this is one.
    #[must_use]
    pub fn list_of_struct(&self) -> Option<StructId> {
        match self {
            Ty::List(item) => match **item {
                Ty::Struct(id) => Some(id),
                _ => None,
            },
            _ => None,
        }
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
    #[must_use]
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

impl From<crate::spec::Num> for Num {
    fn from(n: crate::spec::Num) -> Self {
        match n {
            crate::spec::Num::Int(i) => Num::Int(i),
            crate::spec::Num::Float(f) => Num::Float(f),
        }
    }
}

/// A scalar value of a spec (a member's `default`).
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

impl From<&crate::spec::Scalar> for Scalar {
    fn from(s: &crate::spec::Scalar) -> Self {
        match s {
            crate::spec::Scalar::Num(n) => Scalar::Num((*n).into()),
            crate::spec::Scalar::Bool(b) => Scalar::Bool(*b),
            crate::spec::Scalar::Str(s) => Scalar::Str(s.clone()),
        }
    }
}

/// Inclusive bounds, either of which may be open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds<T> {
    /// Lower bound.
    pub min: Option<T>,
    /// Upper bound.
    pub max: Option<T>,
}

impl<T: fmt::Display> fmt::Display for Bounds<T> {
    /// `2..=5`, `at least 2`, `at most 5`, `unbounded`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.min, &self.max) {
            (Some(lo), Some(hi)) => write!(f, "{lo}..={hi}"),
            (Some(lo), None) => write!(f, "at least {lo}"),
            (None, Some(hi)) => write!(f, "at most {hi}"),
            (None, None) => f.write_str("unbounded"),
        }
    }
}

/// Where a request member travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Location {
    /// In the body (JSON), or nowhere for a protocol without a body.
    #[default]
    Body,
    /// In the query string.
    Query,
    /// In the path, in place of `{name}`.
    Path,
    /// In a header.
    Header,
    /// The whole body of a response (a top-level JSON array or object): outputs only.
    Payload,
}

impl Location {
    /// The spec's word for it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Body => "body",
            Location::Query => "query",
            Location::Path => "path",
            Location::Header => "header",
            Location::Payload => "payload",
        }
    }
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
    pub exclusive: Vec<Exclusive>,
    /// Reachable from an operation's input: gets a builder and `validate()`.
    pub validated: bool,
    /// Every field type has a `Default`.
    pub default: bool,
    /// No floating-point value inside: `Eq` can be derived.
    pub eq: bool,
    /// What the spec's `generation` settings add to the type.
    pub extra: Extra,
}

impl Struct {
    /// Whether values are read in place: every member is optional (so the structure has a
    /// `Default` to start from) and there is at least one, and the type is generated.
    #[must_use]
    pub fn reads_in_place(&self) -> bool {
        self.extra.replace.is_none()
            && !self.fields.is_empty()
            && self.fields.iter().all(|f| !f.required)
    }
}

/// What the `generation` settings of a spec add to a generated type (`generation.types`).
///
/// Each piece of Rust is kept as the text of the tokens the checker parsed (tokens are not
/// `Send`, and modules are generated on several threads), so it always lexes again.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    /// Derives added to the generated ones: Rust paths.
    pub derives: Vec<String>,
    /// Outer attributes added to the type: `#[...]` each.
    pub attributes: Vec<String>,
    /// The user's type that stands for the shape: nothing is generated for it, and every use
    /// names this type.
    pub replace: Option<String>,
}

/// A structure member.
#[derive(Debug, Clone)]
pub struct Field {
    /// The member's key in the spec.
    pub key: String,
    /// Name on the wire (`wire_name`, else the key).
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
    pub length: Option<Bounds<u64>>,
    /// Number range.
    pub range: Option<Bounds<Num>>,
    /// Item count bounds.
    pub items: Option<Bounds<u64>>,
    /// The member's pattern.
    pub pattern: Option<PatternId>,
    /// Where a request member travels.
    pub location: Location,
}

/// A mutually exclusive group.
#[derive(Debug, Clone)]
pub struct Exclusive {
    /// The members, as indices into [`Struct::fields`].
    pub members: Vec<usize>,
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
    /// Values, in spec order.
    pub values: Vec<EnumValue>,
    /// What the spec's `generation` settings add to the type.
    pub extra: Extra,
}

/// One value of a string-set enum.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// The value as sent.
    pub wire: String,
    /// Rust variant name.
    pub variant: String,
    /// Documentation.
    pub docs: String,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `DELETE`.
    Delete,
    /// `PATCH`.
    Patch,
    /// `HEAD`.
    Head,
}

impl Method {
    /// Every method, with its name.
    pub const ALL: [(&'static str, Method); 6] = [
        ("GET", Method::Get),
        ("POST", Method::Post),
        ("PUT", Method::Put),
        ("DELETE", Method::Delete),
        ("PATCH", Method::Patch),
        ("HEAD", Method::Head),
    ];

    /// The method's name (`GET`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
        }
    }
}

/// An operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Wire name.
    pub wire: String,
    /// Rust name (UpperCamelCase of the wire name).
    pub rust: String,
    /// Documentation.
    pub docs: String,
    /// HTTP method.
    pub method: Method,
    /// Path template; each `{name}` is the wire name of a path member of the input (the spec
    /// names them by key; the checker renames them, for the runtime substitutes wire names).
    pub path: String,
    /// Input structure.
    pub input: StructId,
    /// Output structure.
    pub output: StructId,
    /// Errors.
    pub errors: Vec<ErrorCode>,
    /// Pagination.
    pub pagination: Option<Pagination>,
    /// The mapping of output items onto `ImageSummary`.
    pub summary: Option<Summary>,
}

/// An error an operation can return.
#[derive(Debug, Clone)]
pub struct ErrorCode {
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

/// Pagination of an operation: where a page's items are, and how the next page is asked for.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// The output member with the page's items.
    pub items: FieldRef,
    /// The style, with the members it uses.
    pub paging: Paging,
}

/// The pagination styles, each with the members it uses, bound to the IR.
#[derive(Debug, Clone)]
pub enum Paging {
    /// The output's token goes into the next request (`token`).
    Token {
        /// Input member carrying the token.
        input_token: FieldRef,
        /// Output member with the next token.
        output_token: FieldRef,
        /// Input member with the page size.
        page_size: Option<FieldRef>,
    },
    /// Pages are numbered (`page_number`).
    PageNumber {
        /// Input member with the page number.
        page: FieldRef,
        /// The first page's number.
        first: i64,
        /// Input member with the page size.
        page_size: Option<FieldRef>,
        /// Output member with the total count of items.
        total_count: Option<FieldRef>,
    },
    /// An offset into the list, in items or pages (`offset_limit`).
    OffsetLimit {
        /// Input member with the offset.
        offset: FieldRef,
        /// The first offset.
        first: i64,
        /// The offset counts pages, not items.
        in_pages: bool,
        /// Input member with the page size.
        page_size: Option<FieldRef>,
        /// Output member with the total count of items.
        total_count: Option<FieldRef>,
    },
    /// A member of the page's last item is the next request's marker (`marker`).
    Marker {
        /// Input member carrying the marker.
        marker: FieldRef,
        /// Member of an item whose value, on the page's last item, is the next marker; `None`
        /// when the items are strings, the last item being the marker.
        marker_from: Option<FieldRef>,
        /// Input member with the page size.
        page_size: Option<FieldRef>,
    },
    /// The output's RFC 8288 `Link` header names the next page (`link`): each query member of
    /// the next request takes its value from the `rel="next"` target's query.
    Link {
        /// Output member with the `Link` header's value.
        link: FieldRef,
        /// Input member with the page size.
        page_size: Option<FieldRef>,
    },
}

/// The pagination styles' names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagingStyle {
    /// `token`.
    Token,
    /// `page_number`.
    PageNumber,
    /// `offset_limit`.
    OffsetLimit,
    /// `marker`.
    Marker,
    /// `link`.
    Link,
}

impl PagingStyle {
    /// Every style, with its name.
    pub const ALL: [(&'static str, PagingStyle); 5] = [
        ("token", PagingStyle::Token),
        ("page_number", PagingStyle::PageNumber),
        ("offset_limit", PagingStyle::OffsetLimit),
        ("marker", PagingStyle::Marker),
        ("link", PagingStyle::Link),
    ];

    /// The style's name in a spec.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PagingStyle::Token => "token",
            PagingStyle::PageNumber => "page_number",
            PagingStyle::OffsetLimit => "offset_limit",
            PagingStyle::Marker => "marker",
            PagingStyle::Link => "link",
        }
    }
}

impl Paging {
    /// The style.
    #[must_use]
    pub fn style(&self) -> PagingStyle {
        match self {
            Paging::Token { .. } => PagingStyle::Token,
            Paging::PageNumber { .. } => PagingStyle::PageNumber,
            Paging::OffsetLimit { .. } => PagingStyle::OffsetLimit,
            Paging::Marker { .. } => PagingStyle::Marker,
            Paging::Link { .. } => PagingStyle::Link,
        }
    }

    /// The input member with the page size, if the style has one.
    #[must_use]
    pub fn page_size(&self) -> Option<FieldRef> {
        match self {
            Paging::Token { page_size, .. }
            | Paging::PageNumber { page_size, .. }
            | Paging::OffsetLimit { page_size, .. }
            | Paging::Marker { page_size, .. }
            | Paging::Link { page_size, .. } => *page_size,
        }
    }

    /// Every member the style reads or sets.
    #[must_use]
    pub fn fields(&self) -> Vec<FieldRef> {
        let (fixed, optional): (Vec<FieldRef>, [Option<FieldRef>; 2]) = match self {
            Paging::Token {
                input_token,
                output_token,
                page_size,
            } => (vec![*input_token, *output_token], [*page_size, None]),
            Paging::PageNumber {
                page,
                page_size,
                total_count,
                ..
            } => (vec![*page], [*page_size, *total_count]),
            Paging::OffsetLimit {
                offset,
                page_size,
                total_count,
                ..
            } => (vec![*offset], [*page_size, *total_count]),
            Paging::Marker {
                marker,
                marker_from,
                page_size,
            } => (vec![*marker], [*marker_from, *page_size]),
            Paging::Link { link, page_size } => (vec![*link], [*page_size, None]),
        };
        fixed
            .into_iter()
            .chain(optional.into_iter().flatten())
            .collect()
    }
}

/// Where a field of `ImageSummary` comes from.
#[derive(Debug, Clone, Copy)]
pub enum SummarySource {
    /// A member of the item.
    Item(FieldRef),
    /// A member of the operation's input.
    Input(FieldRef),
}

/// The mapping of an operation's output items onto `ImageSummary`.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The output member (a list of structures) with the items; `None` when the output itself
    /// is the one image (a manifest's `HEAD`).
    pub items: Option<FieldRef>,
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

impl Summary {
    /// Every member the mapping reads.
    #[must_use]
    pub fn fields(&self) -> Vec<FieldRef> {
        let sources = [
            self.digest,
            self.tags,
            self.size.map(|(s, _)| s),
            self.pushed_at,
            self.media_type.as_ref().map(|(s, _)| *s),
            self.registry,
            self.repository,
        ];
        let read = sources.into_iter().flatten().map(|s| match s {
            SummarySource::Item(f) | SummarySource::Input(f) => f,
        });
        self.items.into_iter().chain(read).collect()
    }
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The pattern as written.
    pub source: String,
    /// Name of the generated static.
    pub name: String,
    /// The compiled tables.
    pub tables: Tables,
}
