//! Paging: the operation's `PAGINATION` and `PAGE_ITEMS`, and `Paginated` on its input (the
//! next page's request from this page's output), one arm per style.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{
    Field, FieldRef, Location, Module, Num, Operation, Pagination, Paging, PagingStyle, Scalar, Ty,
};

/// `PAGINATION` and `PAGE_ITEMS` of a paginated operation.
pub(super) fn constants(m: &Module, p: &Pagination) -> TokenStream {
    let style = p.paging.style().as_str();
    let items = &m.field(p.items).wire;
    let styles: Vec<String> = PagingStyle::ALL
        .iter()
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    let doc = format!(
        " How the operation pages: {} or {}.",
        styles[..styles.len() - 1].join(", "),
        styles[styles.len() - 1]
    );
    quote! {
        #[doc = #doc]
        pub const PAGINATION: &'static str = #style;
        /// The output member (wire name) that holds one page's items.
        pub const PAGE_ITEMS: &'static str = #items;
    }
}

/// `impl Paginated` for the input of `op`.
pub(super) fn paginated(m: &Module, op: &Operation, p: &Pagination) -> TokenStream {
    let input = ident(&m.structure(op.input).name);
    let output = ident(&m.structure(op.output).name);
    let body = next_page(m, op, p);
    let cursor = match cursor(&p.paging) {
        Some(f) => {
            let name = ident(&m.field(f).rust);
            quote!(&self.#name)
        }
        // A link sets the query members: together they say which page a request asks for.
        None => {
            let names = query_members(m, op).map(|f| ident(&f.rust));
            quote!((#(&self.#names,)*))
        }
    };
    quote! {
        impl ::crspec_runtime::wire::Paginated for #input {
            type Output = #output;

            fn next_page(&self, output: &#output) -> Option<Self> {
                #body
            }

            fn cursor(&self) -> Option<impl ::core::hash::Hash> {
                Some(#cursor)
            }
        }
    }
}

/// The input member that says which page a request asks for; `None` for a link, which sets
/// every query member.
fn cursor(paging: &Paging) -> Option<FieldRef> {
    match *paging {
        Paging::Token { input_token, .. } => Some(input_token),
        Paging::PageNumber { page, .. } => Some(page),
        Paging::OffsetLimit { offset, .. } => Some(offset),
        Paging::Marker { marker, .. } => Some(marker),
        Paging::Link { .. } => None,
    }
}

/// The query members of the input of `op`.
fn query_members<'m>(m: &'m Module, op: &Operation) -> impl Iterator<Item = &'m Field> {
    m.structure(op.input)
        .fields
        .iter()
        .filter(|f| f.location == Location::Query)
}

/// `Option<i64>` of an integer member of `value` (`self` or `output`).
fn int_of(value: &TokenStream, f: &Field) -> TokenStream {
    let name = ident(&f.rust);
    match (f.required, f.ty == Ty::Long) {
        (true, true) => quote!(Some(#value.#name)),
        (true, false) => quote!(Some(i64::from(#value.#name))),
        (false, true) => quote!(#value.#name),
        (false, false) => quote!(#value.#name.map(i64::from)),
    }
}

/// The `i64` of a required integer member of `value` (`self` or `output`).
fn int_value(value: &TokenStream, f: &Field) -> TokenStream {
    let name = ident(&f.rust);
    if f.ty == Ty::Long {
        quote!(#value.#name)
    } else {
        quote!(i64::from(#value.#name))
    }
}

/// `Option<&T>` of the member `f` of `owner`, whatever its optionality.
fn opt_ref(owner: &TokenStream, f: &Field) -> TokenStream {
    let name = ident(&f.rust);
    if f.required {
        quote!(Some(&#owner.#name))
    } else {
        quote!(#owner.#name.as_ref())
    }
}

/// `&T` of the member `f` of `owner`; an absent optional member returns `None` from `next_page`.
fn must_ref(owner: &TokenStream, f: &Field) -> TokenStream {
    let name = ident(&f.rust);
    if f.required {
        quote!(&#owner.#name)
    } else {
        quote!(#owner.#name.as_ref()?)
    }
}

/// `next.<f> = value;`, wrapped in `Some` for an optional member.
fn assign(f: &Field, value: &TokenStream) -> TokenStream {
    let name = ident(&f.rust);
    if f.required {
        quote!(next.#name = #value;)
    } else {
        quote!(next.#name = Some(#value);)
    }
}

/// The integer default of a member, if the spec gives one that fits `i64`.
fn default_int(f: &Field) -> Option<i64> {
    match &f.default {
        Some(Scalar::Num(Num::Int(i))) => i64::try_from(*i).ok(),
        _ => None,
    }
}

/// `Option<i64>` of the request's page size: the member, else its default.
fn page_size(m: &Module, page_size: Option<FieldRef>) -> TokenStream {
    match page_size.map(|r| m.field(r)) {
        Some(f) => {
            let value = int_of(&quote!(self), f);
            // A required member is always there: no default to fall back on.
            match default_int(f) {
                Some(d) if !f.required => quote!(#value.or(Some(#d))),
                _ => value,
            }
        }
        None => quote!(None::<i64>),
    }
}

/// The body of `next_page`.
fn next_page(m: &Module, op: &Operation, p: &Pagination) -> TokenStream {
    let items = m.field(p.items);
    let items_ref = opt_ref(&quote!(output), items);
    let prelude = quote! {
        let items = #items_ref.map_or(0, |items| items.len());
        if items == 0 {
            return None;
        }
        let mut next = self.clone();
    };
    let size = page_size(m, p.paging.page_size());
    match p.paging {
        Paging::Token {
            input_token,
            output_token,
            page_size: _,
        } => {
            let in_tok = m.field(input_token);
            let token = must_ref(&quote!(output), m.field(output_token));
            let set = assign(in_tok, &quote!(token.clone()));
            let current = opt_ref(&quote!(self), in_tok);
            // An empty page with a token is not the end: servers send them (a filter that
            // matched nothing on this page), and botocore's paginator reads on.
            quote! {
                let token = #token;
                if token.is_empty() || #current == Some(token) {
                    return None;
                }
                let mut next = self.clone();
                #set
                Some(next)
            }
        }
        Paging::PageNumber {
            page,
            first,
            page_size: _,
            total_count,
        } => counted(
            m,
            &prelude,
            (&size, p.paging.page_size()),
            page,
            first,
            true,
            total_count,
        ),
        Paging::OffsetLimit {
            offset,
            first,
            in_pages,
            page_size: _,
            total_count,
        } => counted(
            m,
            &prelude,
            (&size, p.paging.page_size()),
            offset,
            first,
            in_pages,
            total_count,
        ),
        Paging::Marker {
            marker,
            marker_from,
            page_size: _,
        } => {
            let marker = m.field(marker);
            let last = match marker_from {
                Some(from) => must_ref(&quote!(last), m.field(from)),
                None => quote!(last),
            };
            let current = opt_ref(&quote!(self), marker);
            let set = assign(marker, &quote!(value.clone()));
            quote! {
                #prelude
                let size: Option<i64> = #size;
                if size.is_some_and(|size| i64::try_from(items).is_ok_and(|items| items < size)) {
                    return None;
                }
                let last = #items_ref?.last()?;
                let value = #last;
                if #current == Some(value) {
                    return None;
                }
                #set
                Some(next)
            }
        }
        Paging::Link { link, page_size: _ } => {
            let header = must_ref(&quote!(output), m.field(link));
            let sets = query_members(m, op).map(|f| {
                let name = ident(&f.rust);
                let wire = &f.wire;
                // The checker allows strings and integers only; a value that does not read as
                // the member's integer type ends the listing.
                let integer = matches!(f.ty, Ty::Integer | Ty::Long);
                match (f.required, integer) {
                    (true, true) => quote!(next.#name = query.get(#wire)?.parse().ok()?;),
                    (true, false) => {
                        quote!(next.#name = ::core::convert::From::from(query.get(#wire)?);)
                    }
                    (false, true) => quote! {
                        next.#name = match query.get(#wire) {
                            Some(value) => Some(value.parse().ok()?),
                            None => None,
                        };
                    },
                    (false, false) => {
                        quote!(next.#name = query.get(#wire).map(::core::convert::From::from);)
                    }
                }
            });
            // Without a `rel="next"` link, this was the last page; a link that leads back to an
            // earlier page is the paginator's to notice (its cursor repeats).
            quote! {
                let target = ::crspec_runtime::wire::link_target(#header, "next")?;
                let query = ::crspec_runtime::wire::QueryPairs::of(target);
                let mut next = self.clone();
                #(#sets)*
                Some(next)
            }
        }
    }
}

/// The body of `next_page` for a counted cursor (a page number, or an offset in items or
/// pages): the next cursor, unless the total is reached, (without a total) the page is short,
/// or the arithmetic overflows `i64` or the member's type.
fn counted(
    m: &Module,
    prelude: &TokenStream,
    (size, size_member): (&TokenStream, Option<FieldRef>),
    cursor: FieldRef,
    first: i64,
    in_pages: bool,
    total_count: Option<FieldRef>,
) -> TokenStream {
    let cursor = m.field(cursor);
    let start = default_int(cursor).unwrap_or(first);
    // A required cursor is always there; an optional one starts at its default or `first`.
    let current = if cursor.required {
        int_value(&quote!(self), cursor)
    } else {
        let value = int_of(&quote!(self), cursor);
        quote!(#value.unwrap_or(#start))
    };
    let total = total_count.map_or_else(
        || quote!(None::<i64>),
        |r| int_of(&quote!(output), m.field(r)),
    );
    // Checked throughout: a cursor near `i64::MIN` or `i64::MAX` ends the list, not the program.
    // Pages of the requested size, or of this page's: `size.unwrap_or(items)`, written without
    // the `Option` when there is no page size or a required one (`size` is then a literal
    // `None` or `Some`: clippy's `unnecessary_literal_unwrap`).
    let page = match size_member.map(|r| m.field(r)) {
        None => quote!(items),
        Some(f) if f.required => int_value(&quote!(self), f),
        Some(_) => quote!(size.unwrap_or(items)),
    };
    let (seen, next_value) = if in_pages {
        (
            quote!(cursor.checked_sub(#first)?.checked_mul(#page)?.checked_add(items)?),
            quote!(cursor.checked_add(1)?),
        )
    } else {
        (
            quote!(cursor.checked_sub(#first)?.checked_add(items)?),
            quote!(cursor.checked_add(items)?),
        )
    };
    // An `i64` member takes the value as it is; a narrower one only when it fits.
    let value = if cursor.ty == Ty::Long {
        next_value
    } else {
        quote!(::core::convert::TryFrom::try_from(#next_value).ok()?)
    };
    let set = assign(cursor, &value);
    quote! {
        #prelude
        let cursor: i64 = #current;
        let items = i64::try_from(items).ok()?;
        let size: Option<i64> = #size;
        let total: Option<i64> = #total;
        let seen: i64 = #seen;
        // The total reached, or (without a total) a short page, ends the list.
        let last = match total {
            Some(total) => seen >= total,
            None => size.is_some_and(|size| items < size),
        };
        if last {
            return None;
        }
        #set
        Some(next)
    }
}
