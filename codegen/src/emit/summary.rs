//! `summaries(request, output)`: the cross-provider `ImageSummary` of every item of a page, as
//! the spec's `summary` maps the provider's members onto it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use crate::ir::{Field, Module, Operation, Summary, SummarySource, TsFormat, Ty};

/// A source member: its place (`item.x` or `request.x`), and the member.
fn get(m: &Module, source: SummarySource) -> (TokenStream, &Field) {
    let (owner, r) = match source {
        SummarySource::Item(r) => (quote!(item), r),
        SummarySource::Input(r) => (quote!(request), r),
    };
    let f = m.field(r);
    let name = ident(&f.rust);
    (quote!(#owner.#name), f)
}

/// A member as `Option<T>` of the summary's type `T`: cloned when it has that type (`same`),
/// else converted from its text by `from`.
fn convert(
    m: &Module,
    source: Option<SummarySource>,
    same: &Ty,
    from: &TokenStream,
) -> TokenStream {
    match source.map(|s| get(m, s)) {
        Some((p, f)) if f.ty == *same && f.required => quote!(Some(#p.clone())),
        Some((p, f)) if f.ty == *same => quote!(#p.clone()),
        Some((p, f)) if f.required => quote!(Some(#from(#p.as_str()))),
        Some((p, _)) => quote!(#p.as_deref().map(#from)),
        None => quote!(None),
    }
}

/// The tags: `ShortStr`s, so members of that type are cloned (no allocation for a short one)
/// and strings converted.
fn tags(m: &Module, source: Option<SummarySource>) -> TokenStream {
    let Some((p, f)) = source.map(|s| get(m, s)) else {
        return quote!(Vec::new());
    };
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

/// The size in bytes, from a member counting `unit` bytes each.
fn size(m: &Module, source: Option<(SummarySource, u64)>) -> TokenStream {
    let Some((s, unit)) = source else {
        return quote!(None);
    };
    let (p, f) = get(m, s);
    let convert = match f.ty {
        Ty::Double => quote!(::crspec_runtime::size_in_bytes(size, #unit)),
        _ if unit == 1 => quote!(u64::try_from(size).ok()),
        _ => quote!(u64::try_from(size).ok().and_then(|size| size.checked_mul(#unit))),
    };
    if f.required {
        quote!({ let size = #p; #convert })
    } else {
        quote!(#p.and_then(|size| #convert))
    }
}

/// When the image was pushed: a timestamp's time, or a text timestamp parsed as RFC 3339.
fn pushed_at(m: &Module, source: Option<SummarySource>) -> TokenStream {
    let Some((p, f)) = source.map(|s| get(m, s)) else {
        return quote!(None);
    };
    let text = f.ty == Ty::Timestamp(TsFormat::Text);
    match (f.required, text) {
        (true, true) => quote!(#p.parse_rfc3339().ok()),
        (true, false) => quote!(Some(#p.get())),
        (false, true) => quote!(#p.as_ref().and_then(|at| at.parse_rfc3339().ok())),
        (false, false) => quote!(#p.map(|at| at.get())),
    }
}

/// The media type, a prefix stripped.
fn media_type(m: &Module, source: Option<&(SummarySource, Option<String>)>) -> TokenStream {
    let Some((s, prefix)) = source else {
        return quote!(None);
    };
    let (p, f) = get(m, *s);
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

/// `summaries` on the marker type of `op`.
pub(super) fn summaries(m: &Module, op: &Operation, sm: &Summary) -> TokenStream {
    let input = ident(&m.structure(op.input).name);
    let output = ident(&m.structure(op.output).name);
    let provider = &m.id;
    let items = match sm.items.map(|r| m.field(r)) {
        Some(f) if f.required => {
            let name = ident(&f.rust);
            quote!(output.#name.iter())
        }
        Some(f) => {
            let name = ident(&f.rust);
            quote!(output.#name.iter().flatten())
        }
        // The output is the one image.
        None => quote!(::core::iter::once(output)),
    };
    let shared = quote!(::crspec_runtime::SharedStr::from);
    // A value taken from the request is the same for every item: computed once, cloned (an
    // `Arc`) into each summary.
    let mut once = TokenStream::new();
    let mut per_item = |source: Option<SummarySource>, name: &str| {
        let value = convert(m, source, &Ty::SharedString, &shared);
        if matches!(source, Some(SummarySource::Input(_))) {
            let name = format_ident!("{name}");
            once.extend(quote!(let #name = #value;));
            quote!(#name.clone())
        } else {
            value
        }
    };
    let registry = per_item(sm.registry, "registry");
    let repository = per_item(sm.repository, "repository");
    let digest = convert(
        m,
        sm.digest,
        &Ty::Digest,
        &quote!(::crspec_runtime::Digest::parse),
    );
    let tags = tags(m, sm.tags);
    let size = size(m, sm.size);
    let pushed_at = pushed_at(m, sm.pushed_at);
    let media_type = media_type(m, sm.media_type.as_ref());
    let uses_request = [sm.registry, sm.repository]
        .iter()
        .any(|s| matches!(s, Some(SummarySource::Input(_))));
    let uses_item = [sm.digest, sm.tags, sm.pushed_at, sm.registry, sm.repository]
        .iter()
        .chain([
            &sm.size.map(|(s, _)| s),
            &sm.media_type.as_ref().map(|(s, _)| *s),
        ])
        .any(|s| matches!(s, Some(SummarySource::Item(_))));
    let item_arg = if uses_item {
        quote!(item)
    } else {
        quote!(_item)
    };
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
        #[doc = #doc]
        pub fn summaries(#request_arg: &#input, output: &#output) -> Vec<::crspec_runtime::ImageSummary> {
            #once
            #items
                .map(|#item_arg| ::crspec_runtime::ImageSummary {
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
