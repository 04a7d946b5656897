//! `operations.X.pagination`: which keys each style takes, and the members they name.

use super::members::wire_name_hint;
use super::shapes::Shapes;
use super::types::{TypeExpr, parse_type};
use super::words::OffsetInPages;
use super::{Checker, SpecPath};
use crate::ir::{FieldRef, Pagination, Paging, PagingStyle, Struct, StructId, Ty};
use crate::spec::{Entries, Member, Num, Pagination as SpecPagination, Spanned};

/// A checked pagination, its members still named by their keys in the spec.
pub(super) struct PagingDraft {
    style: PagingStyle,
    items: String,
    page_size: Option<String>,
    /// The input member with the token, page, offset or marker (`None` for `link`).
    cursor_in: Option<String>,
    /// The output member with the token or the link, or the item member with the marker.
    cursor_out: Option<String>,
    first: i64,
    in_pages: bool,
    total_count: Option<String>,
}

/// The keys each style takes, besides `style` and `items`, and its first page or offset.
fn keys_of(style: PagingStyle) -> (&'static [&'static str], i64) {
    match style {
        PagingStyle::Token => (&["input_token", "output_token", "page_size"], 0),
        PagingStyle::PageNumber => (&["page", "page_size", "first", "total_count"], 1),
        PagingStyle::OffsetLimit => (
            &["offset", "page_size", "first", "offset_unit", "total_count"],
            0,
        ),
        PagingStyle::Marker => (&["marker", "marker_from", "page_size"], 0),
        PagingStyle::Link => (&["link", "page_size"], 0),
    }
}

/// The kinds of member a pagination key needs.
#[derive(Clone, Copy)]
enum Want {
    Integer,
    String,
    List,
}

/// The primitive type words of the format.
const PRIMITIVES: [&str; 9] = [
    "string",
    "shared_string",
    "short_string",
    "digest",
    "integer",
    "long",
    "double",
    "boolean",
    "timestamp",
];

impl Want {
    /// Whether the type expression `ty` is of this kind; a type that does not parse fits
    /// (its problem is reported on the member).
    fn fits(self, ty: &str) -> bool {
        let Ok(expr) = parse_type(ty) else {
            return true;
        };
        match (self, expr) {
            (Want::Integer, TypeExpr::Named(n)) => n == "integer" || n == "long",
            (Want::String, TypeExpr::Named(n)) => n == "string",
            (Want::List, TypeExpr::List(_)) => true,
            _ => false,
        }
    }

    fn a(self) -> &'static str {
        match self {
            Want::Integer => "an integer",
            Want::String => "a string",
            Want::List => "a list",
        }
    }
}

/// The members a key names: the operation's input, its output, or an item of its pages.
#[derive(Clone, Copy)]
enum Side {
    Input,
    Output,
    Items,
}

impl Checker<'_> {
    /// Rule: a pagination has a known style, only the keys of that style and all it needs;
    /// each key names a member of the right side (input, output or page item) of the right
    /// type; `first` is a whole number of at least 0; `offset_unit` is `item` or `page`.
    pub(super) fn pagination(
        &mut self,
        shapes: &Shapes,
        p: &Spanned<SpecPagination>,
        path: &SpecPath<'_>,
        input: Option<&Entries<Spanned<Member>>>,
        output: Option<&Entries<Spanned<Member>>>,
    ) -> Option<PagingDraft> {
        let v = &p.value;
        let style = self.keyword::<PagingStyle>(&v.style, &path.key("style"))?;
        let (_, first_default) = keys_of(style);
        let before = self.reported();
        self.paging_keys(p, path, style);
        self.paging_members(shapes, v, path, input, output);
        if style == PagingStyle::Link {
            self.link_query_members(p, path, input);
        }
        if style == PagingStyle::Marker {
            self.marker_items(p, path, output);
        }
        let (first, in_pages) = self.paging_numbers(v, path, first_default);
        if self.reported() > before {
            return None;
        }
        let key = |s: Option<&Spanned<String>>| s.map(|s| s.value.clone());
        Some(PagingDraft {
            style,
            items: v.items.value.clone(),
            page_size: key(v.page_size.as_ref()),
            cursor_in: key(v
                .input_token
                .as_ref()
                .or(v.page.as_ref())
                .or(v.offset.as_ref())
                .or(v.marker.as_ref())),
            cursor_out: key(v
                .output_token
                .as_ref()
                .or(v.marker_from.as_ref())
                .or(v.link.as_ref())),
            first,
            in_pages,
            total_count: key(v.total_count.as_ref()),
        })
    }

    /// The keys of `p` are those of its style, and it has all the style needs.
    fn paging_keys(
        &mut self,
        p: &Spanned<SpecPagination>,
        path: &SpecPath<'_>,
        style: PagingStyle,
    ) {
        let v = &p.value;
        let (uses, _) = keys_of(style);
        let keys: [(&str, Option<&Spanned<String>>); 10] = [
            ("link", v.link.as_ref()),
            ("marker", v.marker.as_ref()),
            ("marker_from", v.marker_from.as_ref()),
            ("page_size", v.page_size.as_ref()),
            ("input_token", v.input_token.as_ref()),
            ("output_token", v.output_token.as_ref()),
            ("page", v.page.as_ref()),
            ("offset", v.offset.as_ref()),
            ("offset_unit", v.offset_unit.as_ref()),
            ("total_count", v.total_count.as_ref()),
        ];
        let name = style.as_str();
        for (key, value) in keys {
            if let Some(value) = value
                && !uses.contains(&key)
            {
                let message = format!("`{key}` does not belong to pagination style `{name}`");
                self.at("paging_keys", value, &path.key(key), message);
            }
        }
        if let Some(f) = &v.first
            && !uses.contains(&"first")
        {
            let message = format!("`first` does not belong to pagination style `{name}`");
            self.at("paging_keys", f, &path.key("first"), message);
        }
        let needed: &[(&str, Option<&Spanned<String>>)] = match style {
            PagingStyle::Token => &[
                ("input_token", v.input_token.as_ref()),
                ("output_token", v.output_token.as_ref()),
            ],
            PagingStyle::PageNumber => &[("page", v.page.as_ref())],
            // `marker_from` is checked with the items (`marker_items`): a list of strings has
            // none, its last item being the marker.
            PagingStyle::Marker => &[("marker", v.marker.as_ref())],
            PagingStyle::OffsetLimit => &[("offset", v.offset.as_ref())],
            PagingStyle::Link => &[("link", v.link.as_ref())],
        };
        for (key, value) in needed {
            if value.is_none() {
                self.at(
                    "paging_keys",
                    p,
                    path,
                    format!("pagination style `{name}` needs `{key}`"),
                );
            }
        }
    }

    /// Each key names a member of the right side (input, output or page item), of the right
    /// type.
    fn paging_members(
        &mut self,
        shapes: &Shapes,
        v: &SpecPagination,
        path: &SpecPath<'_>,
        input: Option<&Entries<Spanned<Member>>>,
        output: Option<&Entries<Spanned<Member>>>,
    ) {
        let spec = self.spec;
        // The members of one item of the page (for `marker_from`).
        let item_members = output
            .and_then(|o| o.get(&v.items.value))
            .and_then(|m| match parse_type(&m.value.ty.value) {
                Ok(TypeExpr::List(item)) => match *item {
                    TypeExpr::Named(name) => {
                        shapes.definition(spec, &name)?.1.value.members.as_ref()
                    }
                    _ => None,
                },
                _ => None,
            })
            .map(|m| &m.value);
        let side = |s: Side| match s {
            Side::Input => (input, "input"),
            Side::Output => (output, "output"),
            Side::Items => (item_members, "page items"),
        };
        let members: [(&str, Option<&Spanned<String>>, Side, Want); 10] = [
            ("items", Some(&v.items), Side::Output, Want::List),
            ("link", v.link.as_ref(), Side::Output, Want::String),
            (
                "page_size",
                v.page_size.as_ref(),
                Side::Input,
                Want::Integer,
            ),
            (
                "input_token",
                v.input_token.as_ref(),
                Side::Input,
                Want::String,
            ),
            (
                "output_token",
                v.output_token.as_ref(),
                Side::Output,
                Want::String,
            ),
            ("page", v.page.as_ref(), Side::Input, Want::Integer),
            ("offset", v.offset.as_ref(), Side::Input, Want::Integer),
            (
                "total_count",
                v.total_count.as_ref(),
                Side::Output,
                Want::Integer,
            ),
            ("marker", v.marker.as_ref(), Side::Input, Want::String),
            (
                "marker_from",
                v.marker_from.as_ref(),
                Side::Items,
                Want::String,
            ),
        ];
        for (key, value, s, want) in members {
            let (Some(value), (Some(members), which)) = (value, side(s)) else {
                continue;
            };
            let kpath = path.key(key);
            match members.get(&value.value) {
                None => {
                    let wire_of = members.iter().find(|(_, m)| {
                        m.value
                            .wire_name
                            .as_ref()
                            .is_some_and(|w| w.value == value.value)
                    });
                    let hint = match wire_of {
                        Some((k, _)) => wire_name_hint(&value.value, &k.value),
                        None => {
                            let set = self
                                .hints
                                .candidates(members.iter().map(|(k, _)| k.value.as_str()));
                            self.hints.did_you_mean(&value.value, &set)
                        }
                    };
                    let message = format!(
                        "`{}` is not a member of the operation's {which}{hint}",
                        value.value
                    );
                    self.at("paging_members", value, &kpath, message);
                }
                // A type that names nothing is reported on the member; saying here that it is
                // not an integer would only repeat that.
                Some(m)
                    if !want.fits(&m.value.ty.value) && self.names_a_type(&m.value.ty.value) =>
                {
                    let message = format!(
                        "`{}` is a `{}`; `{key}` needs {}",
                        value.value,
                        m.value.ty.value,
                        want.a()
                    );
                    self.at("paging_members", value, &kpath, message);
                }
                Some(_) => {}
            }
        }
    }

    /// Rule: pagination style `link` sets the next request's query members from the query of
    /// the link's target, so the input has at least one query member, and each is of a type a
    /// query value converts to (a string or an integer; `short_string`, `shared_string` and
    /// `long` too).
    fn link_query_members(
        &mut self,
        p: &Spanned<SpecPagination>,
        path: &SpecPath<'_>,
        input: Option<&Entries<Spanned<Member>>>,
    ) {
        let Some(input) = input else { return };
        let mut any = false;
        for (key, m) in input.iter() {
            let in_query = m
                .value
                .location
                .as_ref()
                .is_some_and(|l| l.value == "query");
            if !in_query {
                continue;
            }
            any = true;
            let ty = &m.value.ty.value;
            let settable = match parse_type(ty) {
                Ok(TypeExpr::Named(n)) => matches!(
                    n.as_str(),
                    "string" | "short_string" | "shared_string" | "integer" | "long"
                ),
                // Reported on the member.
                Err(_) => true,
                Ok(_) => false,
            };
            if !settable && self.names_a_type(ty) {
                let message = format!(
                    "pagination style `link` sets the input's query members from the link's \
                     query, and `{}` is a `{ty}`: a link sets strings and integers only",
                    key.value
                );
                self.at("link_query_members", p, path, message);
            }
        }
        if !any {
            self.at(
                "link_query_members",
                p,
                path,
                "pagination style `link` sets the input's query members from the link's query, \
                 and this input has none: give it the members the link's query holds (the OCI \
                 Distribution API's `n` and `last`) with `location: query`",
            );
        }
    }

    /// Rule: pagination style `marker` takes its next marker from the page's last item: from
    /// its member `marker_from` when the items are structures, or the item itself when they are
    /// `string`s (`marker_from` then left out); items of any other type have no marker.
    fn marker_items(
        &mut self,
        p: &Spanned<SpecPagination>,
        path: &SpecPath<'_>,
        output: Option<&Entries<Spanned<Member>>>,
    ) {
        let v = &p.value;
        let Some(items) = output.and_then(|o| o.get(&v.items.value)) else {
            return;
        };
        let item = match parse_type(&items.value.ty.value) {
            Ok(TypeExpr::List(item)) => match *item {
                TypeExpr::Named(name) => name,
                _ => String::new(),
            },
            // Not a list: reported on `items`.
            _ => return,
        };
        let structure = self
            .spec
            .shapes
            .value
            .get(&item)
            .is_some_and(|s| s.value.kind.value == "structure");
        match (&v.marker_from, item.as_str(), structure) {
            (Some(_), _, true) | (None, "string", _) => {}
            (None, _, true) => self.at(
                "marker_items",
                p,
                path,
                format!(
                    "pagination style `marker` needs `marker_from`: the member of a `{item}` \
                     whose value on the page's last item is the next marker"
                ),
            ),
            (Some(from), _, false) => {
                let message = format!(
                    "`marker_from` names a member of an item, and the items of `{}` are not \
                     structures: leave it out for a list of `string`s, whose last item is the \
                     next marker",
                    v.items.value
                );
                self.at("marker_items", from, &path.key("marker_from"), message);
            }
            (None, _, false) => {
                let message = format!(
                    "pagination style `marker` takes the next marker from the page's last \
                     item, and the items of `{}` are `{}`: a list of structures (with \
                     `marker_from`) or of `string`s has one",
                    v.items.value, items.value.ty.value
                );
                self.at("marker_items", p, path, message);
            }
        }
    }

    /// Whether `ty` parses and, when it is a name, names a primitive or a shape of the spec.
    fn names_a_type(&self, ty: &str) -> bool {
        match parse_type(ty) {
            Ok(TypeExpr::Named(n)) => {
                PRIMITIVES.contains(&n.as_str()) || self.spec.shapes.value.get(&n).is_some()
            }
            Ok(_) => true,
            Err(_) => false,
        }
    }

    /// `first` (the first page or offset, `first_default` when absent) and whether the offset
    /// counts pages (`offset_unit`).
    fn paging_numbers(
        &mut self,
        v: &SpecPagination,
        path: &SpecPath<'_>,
        first_default: i64,
    ) -> (i64, bool) {
        let in_pages = match &v.offset_unit {
            None => false,
            Some(u) => self
                .keyword::<OffsetInPages>(u, &path.key("offset_unit"))
                .is_some_and(|u| u.0),
        };
        let first = match v.first.as_ref() {
            None => first_default,
            Some(f) => match f.value {
                Num::Int(n) if (0..=i128::from(i32::MAX)).contains(&n) => {
                    i64::try_from(n).unwrap_or(0)
                }
                other => {
                    let message = format!("`first` is a whole number of at least 0, not {other}");
                    self.at("paging_numbers", f, &path.key("first"), message);
                    0
                }
            },
        };
        (first, in_pages)
    }
}

/// The member with `key` of the structure `id`.
fn member(structs: &[Struct], id: StructId, key: &str) -> Option<FieldRef> {
    let index = structs
        .get(id.0)?
        .fields
        .iter()
        .position(|f| f.key == key)?;
    Some(FieldRef {
        structure: id,
        index,
    })
}

impl PagingDraft {
    /// The pagination with its members bound to the structures; `None` when one is missing,
    /// which the checks above rule out.
    pub(super) fn bind(
        self,
        structs: &[Struct],
        input: StructId,
        output: StructId,
    ) -> Option<Pagination> {
        let items = member(structs, output, &self.items)?;
        let opt = |id: StructId, key: &Option<String>| match key {
            Some(k) => member(structs, id, k).map(Some),
            None => Some(None),
        };
        let page_size = opt(input, &self.page_size)?;
        let total_count = opt(output, &self.total_count)?;
        let cursor = || member(structs, input, self.cursor_in.as_deref()?);
        let paging = match self.style {
            PagingStyle::Token => Paging::Token {
                input_token: cursor()?,
                output_token: member(structs, output, self.cursor_out.as_deref()?)?,
                page_size,
            },
            PagingStyle::PageNumber => Paging::PageNumber {
                page: cursor()?,
                first: self.first,
                page_size,
                total_count,
            },
            PagingStyle::OffsetLimit => Paging::OffsetLimit {
                offset: cursor()?,
                first: self.first,
                in_pages: self.in_pages,
                page_size,
                total_count,
            },
            PagingStyle::Marker => {
                let item = structs.get(output.0)?.fields.get(items.index)?.ty.clone();
                let marker_from = match &self.cursor_out {
                    Some(from) => Some(member(structs, item.list_of_struct()?, from)?),
                    // The checks above allow no `marker_from` for `list<string>` alone.
                    None if item == Ty::List(Box::new(Ty::String)) => None,
                    None => return None,
                };
                Paging::Marker {
                    marker: cursor()?,
                    marker_from,
                    page_size,
                }
            }
            PagingStyle::Link => Paging::Link {
                link: member(structs, output, self.cursor_out.as_deref()?)?,
                page_size,
            },
        };
        Some(Pagination { items, paging })
    }
}
