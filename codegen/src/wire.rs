//! Emits the wire code of a module: the provider's `crspec_runtime::wire::Protocol`, each
//! operation's place on the wire, `to_http` on each input, `parse_response` on each operation,
//! `OperationError` on each error enum, and `Paginated` on each paginated input.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{
    Field, Module, OperationIr, PaginationIr, Struct, SummaryIr, SummarySource, TsFormat, Ty,
};
use crate::spec::{Num, Scalar};

fn field<'a>(m: &'a Module, structure: &str, wire: &str) -> Option<&'a Field> {
    m.structs
        .iter()
        .find(|s| s.name == structure)?
        .fields
        .iter()
        .find(|f| f.wire == wire)
}

fn structure<'a>(m: &'a Module, name: &str) -> Option<&'a Struct> {
    m.structs.iter().find(|s| s.name == name)
}

/// The module's `PROTOCOL` constant.
pub fn protocol_const(m: &Module) -> TokenStream {
    let p = &m.protocol;
    let endpoint = &p.endpoint;
    let api_version = &m.api_version;
    let json_body = p.json_body;
    let content_type = match &p.content_type {
        Some(c) => quote!(Some(#c)),
        None => quote!(None),
    };
    let headers = p.headers.iter().map(|(n, v)| quote!((#n, #v)));
    let envelope = match &p.envelope {
        Some(e) => quote!(Some(#e)),
        None => quote!(None),
    };
    let request_id = match &p.request_id {
        Some((true, h)) => quote!(Some(::crspec_runtime::wire::RequestIdAt::Header(#h))),
        Some((false, b)) => quote!(Some(::crspec_runtime::wire::RequestIdAt::Body(#b))),
        None => quote!(None),
    };
    let errors_always = p.errors_always;
    let error_code = &p.error_code;
    let error_message = &p.error_message;
    let strip_namespace = p.strip_namespace;
    quote! {
        /// The provider's wire protocol, as the spec describes it.
        pub const PROTOCOL: ::crspec_runtime::wire::Protocol = ::crspec_runtime::wire::Protocol {
            endpoint: #endpoint,
            api_version: #api_version,
            json_body: #json_body,
            content_type: #content_type,
            headers: &[#(#headers),*],
            envelope: #envelope,
            request_id: #request_id,
            errors_always: #errors_always,
            error_code: #error_code,
            error_message: &[#(#error_message),*],
            strip_namespace: #strip_namespace,
        };
    }
}

/// The wire items of one operation: `WIRE` and `parse_response` on the marker type, `to_http`
/// on the input, `OperationError` on the error enum, `Paginated` on the input.
pub fn operation(m: &Module, op: &OperationIr) -> TokenStream {
    let marker = format_ident!("{}", op.rust);
    let error = format_ident!("{}Error", op.rust);
    let input = format_ident!("{}", op.input);
    let output = format_ident!("{}", op.output);
    let name = &op.wire;
    let method = &op.method;
    let path = &op.path;
    let members = structure(m, &op.input)
        .map(|s| {
            s.fields
                .iter()
                .filter_map(|f| {
                    let location = match f.location.as_deref() {
                        Some("query") => quote!(Query),
                        Some("path") => quote!(Path),
                        Some("header") => quote!(Header),
                        _ => return None,
                    };
                    let wire = &f.wire;
                    Some(quote!((#wire, ::crspec_runtime::wire::Location::#location)))
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let to_http_doc = format!(
        " The HTTP request of [`{}`] for this input, as the provider documents it (method, URL, \
         headers, body), ready to sign and send. Validates first.",
        op.rust
    );
    let parse_doc = format!(
        " The typed output of a response to [`{}`], its typed error, or a decode error that \
         says what was expected and where.",
        op.rust
    );
    let paginated = op
        .pagination
        .as_ref()
        .and_then(|p| next_page(m, op, p))
        .map(|body| {
            quote! {
                impl ::crspec_runtime::wire::Paginated for #input {
                    type Output = #output;

                    fn next_page(&self, output: &#output) -> Option<Self> {
                        #body
                    }
                }
            }
        });
    let summaries = op.summary.as_ref().map(|sm| summaries(m, op, sm));
    quote! {
        #summaries

        impl #marker {
            /// The operation's place on the wire.
            pub const WIRE: ::crspec_runtime::wire::Operation = ::crspec_runtime::wire::Operation {
                name: #name,
                method: #method,
                path: #path,
                members: &[#(#members),*],
            };

            #[doc = #parse_doc]
            ///
            /// # Errors
            ///
            /// [`::crspec_runtime::wire::ResponseError::Service`] for an error response,
            /// [`::crspec_runtime::wire::ResponseError::Decode`] for a body the provider does not send.
            pub fn parse_response<B: AsRef<[u8]>>(
                response: &::crspec_runtime::http::Response<B>,
            ) -> Result<::crspec_runtime::wire::Reply<#output>, ::crspec_runtime::wire::ResponseError<#error>> {
                ::crspec_runtime::wire::parse_response(&PROTOCOL, response)
            }
        }

        impl #input {
            #[doc = #to_http_doc]
            ///
            /// # Errors
            ///
            /// Every violated constraint, or a region or value that makes no valid HTTP request.
            pub fn to_http(
                &self,
                endpoint: &::crspec_runtime::wire::Endpoint,
            ) -> Result<::crspec_runtime::http::Request<Vec<u8>>, ::crspec_runtime::wire::RequestError> {
                self.validate()?;
                ::crspec_runtime::wire::build_request(&PROTOCOL, &#marker::WIRE, endpoint, self)
            }
        }

        impl ::crspec_runtime::wire::OperationError for #error {
            fn from_wire(
                code: &str,
                http_status: Option<u16>,
                details: ::crspec_runtime::ErrorDetails,
            ) -> Self {
                let mut error = Self::from_code(code, details);
                if let Self::Unknown(unknown) = &mut error {
                    unknown.http_status = http_status;
                }
                error
            }
        }

        #paginated
    }
}

/// `Option<i64>` of an integer member of `value` (`self` or `output`).
fn int_of(value: &TokenStream, f: &Field) -> TokenStream {
    let name = format_ident!("{}", f.rust);
    match (f.required, f.ty == Ty::Long) {
        (true, true) => quote!(Some(#value.#name)),
        (true, false) => quote!(Some(i64::from(#value.#name))),
        (false, true) => quote!(#value.#name),
        (false, false) => quote!(#value.#name.map(i64::from)),
    }
}

/// `Option<&T>` of the member `f` of `owner`, whatever its optionality.
fn opt_ref(owner: &TokenStream, f: &Field) -> TokenStream {
    let name = format_ident!("{}", f.rust);
    if f.required {
        quote!(Some(&#owner.#name))
    } else {
        quote!(#owner.#name.as_ref())
    }
}

/// `&T` of the member `f` of `owner`; an absent optional member returns `None` from `next_page`.
fn must_ref(owner: &TokenStream, f: &Field) -> TokenStream {
    let name = format_ident!("{}", f.rust);
    if f.required {
        quote!(&#owner.#name)
    } else {
        quote!(#owner.#name.as_ref()?)
    }
}

/// `next.<f> = value;`, wrapped in `Some` for an optional member.
fn assign(f: &Field, value: &TokenStream) -> TokenStream {
    let name = format_ident!("{}", f.rust);
    if f.required {
        quote!(next.#name = #value;)
    } else {
        quote!(next.#name = Some(#value);)
    }
}

/// Sets the member `f` of `next` to the `i64` in `value`, or gives up when it does not fit.
fn set_int(f: &Field, value: &TokenStream) -> TokenStream {
    assign(f, &quote!(::core::convert::TryFrom::try_from(#value).ok()?))
}

fn default_int(f: &Field) -> Option<i64> {
    match &f.default {
        Some(Scalar::Num(Num::Int(i))) => i64::try_from(*i).ok(),
        _ => None,
    }
}

/// The body of `next_page`, per pagination style; `None` when the IR lacks a member (the
/// checker reports that, so it does not happen for a checked spec).
fn next_page(m: &Module, op: &OperationIr, p: &PaginationIr) -> Option<TokenStream> {
    let items = field(m, &op.output, &p.items)?;
    let items_ref = opt_ref(&quote!(output), items);
    let prelude = quote! {
        let items = #items_ref.map_or(0, |items| items.len());
        if items == 0 {
            return None;
        }
        let mut next = self.clone();
    };
    let page_size = p
        .page_size
        .as_ref()
        .and_then(|w| field(m, &op.input, w))
        .map(|f| {
            let value = int_of(&quote!(self), f);
            match default_int(f) {
                Some(d) => quote!(#value.or(Some(#d))),
                None => value,
            }
        })
        .unwrap_or_else(|| quote!(None::<i64>));
    let total = p
        .total_count
        .as_ref()
        .and_then(|w| field(m, &op.output, w))
        .map_or_else(|| quote!(None::<i64>), |f| int_of(&quote!(output), f));
    match p.style.as_str() {
        "token" => {
            let in_tok = field(m, &op.input, p.cursor_in.as_deref()?)?;
            let out_tok = field(m, &op.output, p.cursor_out.as_deref()?)?;
            let token = must_ref(&quote!(output), out_tok);
            let set = assign(in_tok, &quote!(token.clone()));
            let current = opt_ref(&quote!(self), in_tok);
            Some(quote! {
                let token = #token;
                if token.is_empty() || #current == Some(token) {
                    return None;
                }
                #prelude
                #set
                Some(next)
            })
        }
        "page_number" | "offset_limit" => {
            let cursor = field(m, &op.input, p.cursor_in.as_deref()?)?;
            let first = p.first;
            let current = int_of(&quote!(self), cursor);
            let start = default_int(cursor).unwrap_or(first);
            let in_pages = p.style == "page_number" || p.offset_in_pages;
            let (seen, next_value) = if in_pages {
                (
                    quote!((cursor - #first).checked_mul(size.unwrap_or(items))?.checked_add(items)?),
                    quote!(cursor.checked_add(1)?),
                )
            } else {
                (
                    quote!((cursor - #first).checked_add(items)?),
                    quote!(cursor.checked_add(items)?),
                )
            };
            let set = set_int(cursor, &quote!(#next_value));
            Some(quote! {
                #prelude
                let cursor: i64 = #current.unwrap_or(#start);
                let items = i64::try_from(items).ok()?;
                let size: Option<i64> = #page_size;
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
            })
        }
        "marker" => {
            let marker = field(m, &op.input, p.cursor_in.as_deref()?)?;
            let item_struct = match &items.ty {
                Ty::List(inner) => match &**inner {
                    Ty::Struct(n) => n.clone(),
                    _ => return None,
                },
                _ => return None,
            };
            let from = field(m, &item_struct, p.cursor_out.as_deref()?)?;
            let last = must_ref(&quote!(last), from);
            let current = opt_ref(&quote!(self), marker);
            let set = assign(marker, &quote!(value.clone()));
            Some(quote! {
                #prelude
                let size: Option<i64> = #page_size;
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
            })
        }
        _ => None,
    }
}

/// `summaries(request, output)`: the cross-provider view of every item of a page.
fn summaries(m: &Module, op: &OperationIr, sm: &SummaryIr) -> TokenStream {
    let marker = format_ident!("{}", op.rust);
    let input = format_ident!("{}", op.input);
    let output = format_ident!("{}", op.output);
    let provider = &m.id;
    let items_name = format_ident!("{}", sm.items.rust);
    let items = if sm.items.required {
        quote!(output.#items_name.iter())
    } else {
        quote!(output.#items_name.iter().flatten())
    };
    // A source member: its place, and whether it is required (not an `Option`).
    let get = |source: &SummarySource| -> (TokenStream, Field) {
        let (owner, f) = match source {
            SummarySource::Item(f) => (quote!(item), f),
            SummarySource::Input(f) => (quote!(request), f),
        };
        let name = format_ident!("{}", f.rust);
        (quote!(#owner.#name), f.clone())
    };
    // A member as `Option<T>` of the summary's type `T`: cloned when it has that type (`same`),
    // else converted from its text by `from`.
    let convert = |source: &Option<SummarySource>, same: &Ty, from: TokenStream| match source {
        Some(s) => match get(s) {
            (p, f) if f.ty == *same && f.required => quote!(Some(#p.clone())),
            (p, f) if f.ty == *same => quote!(#p.clone()),
            (p, f) if f.required => quote!(Some(#from(#p.as_str()))),
            (p, _) => quote!(#p.as_deref().map(#from)),
        },
        None => quote!(None),
    };
    let shared = quote!(::crspec_runtime::SharedStr::from);
    let registry = convert(&sm.registry, &Ty::SharedString, shared.clone());
    let repository = convert(&sm.repository, &Ty::SharedString, shared);
    // A value taken from the request is the same for every item: computed once, cloned (an
    // `Arc`) into each summary.
    let mut once = TokenStream::new();
    let mut per_item = |source: &Option<SummarySource>, value: TokenStream, name: &str| {
        if matches!(source, Some(SummarySource::Input(_))) {
            let name = format_ident!("{name}");
            once.extend(quote!(let #name = #value;));
            quote!(#name.clone())
        } else {
            value
        }
    };
    let registry = per_item(&sm.registry, registry, "registry");
    let repository = per_item(&sm.repository, repository, "repository");
    let digest = convert(
        &sm.digest,
        &Ty::Digest,
        quote!(::crspec_runtime::Digest::parse),
    );
    // Tags are `ShortStr`s: members of that type are cloned (no allocation for a short one),
    // strings converted.
    let tags = match &sm.tags {
        Some(s) => {
            let (p, f) = get(s);
            let (list, short) = match &f.ty {
                Ty::List(item) => (true, **item == Ty::ShortString),
                ty => (false, *ty == Ty::ShortString),
            };
            let each = if short {
                quote!(::core::clone::Clone::clone)
            } else {
                quote!(::crspec_runtime::ShortStr::from)
            };
            match (list, f.required) {
                (false, true) => quote!(vec![#each(&#p)]),
                (false, false) => quote!(#p.iter().map(#each).collect()),
                (true, true) => quote!(#p.iter().map(#each).collect()),
                (true, false) => quote!(#p.iter().flatten().map(#each).collect()),
            }
        }
        None => quote!(Vec::new()),
    };
    let size = match &sm.size {
        Some((s, unit)) => {
            let (p, f) = get(s);
            let convert = match f.ty {
                Ty::Double => quote!(::crspec_runtime::size_in_bytes(size, #unit)),
                _ if *unit == 1 => quote!(u64::try_from(size).ok()),
                _ => quote!(u64::try_from(size).ok().and_then(|size| size.checked_mul(#unit))),
            };
            if f.required {
                quote!({ let size = #p; #convert })
            } else {
                quote!(#p.and_then(|size| #convert))
            }
        }
        None => quote!(None),
    };
    let pushed_at = match &sm.pushed_at {
        Some(s) => {
            let (p, f) = get(s);
            let text = f.ty == Ty::Timestamp(TsFormat::Text);
            match (f.required, text) {
                (true, true) => quote!(#p.parse_rfc3339().ok()),
                (true, false) => quote!(Some(#p.get())),
                (false, true) => quote!(#p.as_ref().and_then(|at| at.parse_rfc3339().ok())),
                (false, false) => quote!(#p.map(|at| at.get())),
            }
        }
        None => quote!(None),
    };
    let media_type = match &sm.media_type {
        Some((s, prefix)) => {
            let (p, f) = get(s);
            // A string or a generated enum: both have `as_str()`.
            let text = match prefix {
                Some(x) => quote!(t.strip_prefix(#x).unwrap_or(t).to_owned()),
                None => quote!(t.to_owned()),
            };
            if f.required {
                quote!(Some({ let t = #p.as_str(); #text }))
            } else {
                quote!(#p.as_ref().map(|t| { let t = t.as_str(); #text }))
            }
        }
        None => quote!(None),
    };
    let uses_request = [&sm.registry, &sm.repository]
        .iter()
        .any(|s| matches!(s, Some(SummarySource::Input(_))));
    let request_arg = if uses_request {
        quote!(request)
    } else {
        quote!(_request)
    };
    let doc = format!(
        " The cross-provider view of every image of a page of [`{}`], as the spec's `summary` \
         maps it; `request` is the request the page answers.",
        op.rust
    );
    quote! {
        impl #marker {
            #[doc = #doc]
            pub fn summaries(#request_arg: &#input, output: &#output) -> Vec<::crspec_runtime::ImageSummary> {
                #once
                #items
                    .map(|item| ::crspec_runtime::ImageSummary {
                        provider: #provider,
                        registry: #registry,
                        repository: #repository,
                        digest: #digest,
                        tags: #tags,
                        size_bytes: #size,
                        pushed_at: #pushed_at,
                        media_type: #media_type,
                    })
                    .collect()
            }
        }
    }
}
