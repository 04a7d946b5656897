//! Structures, their builders and default constants, and enums.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::{code, constraint_docs, doc_attrs};
use super::{TypeItems, ident, serde, validate};
use crate::ir::{Enum, Extra, Field, Module, Num, Scalar, Struct, StructId, TsFormat, Ty};
use crate::names;

/// The Rust type of `ty`. A map keyed by an enum is an `EnumMap` with a slot per known value
/// of the enum.
pub(super) fn ty_tokens(m: &Module, ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::SharedString => quote!(::crspec_runtime::SharedStr),
        Ty::ShortString => quote!(::crspec_runtime::ShortStr),
        Ty::Digest => quote!(::crspec_runtime::Digest),
        Ty::Integer => quote!(i32),
        Ty::Long => quote!(i64),
        Ty::Double => quote!(f64),
        Ty::Boolean => quote!(bool),
        Ty::Timestamp(TsFormat::EpochSeconds) => quote!(::crspec_runtime::EpochSeconds),
        Ty::Timestamp(TsFormat::Rfc3339) => quote!(::crspec_runtime::Rfc3339),
        Ty::Timestamp(TsFormat::Text) => quote!(::crspec_runtime::TextTimestamp),
        Ty::List(t) => {
            let t = ty_tokens(m, t);
            quote!(Vec<#t>)
        }
        Ty::Map(k, v) => {
            let key = ty_tokens(m, k);
            let value = ty_tokens(m, v);
            match **k {
                Ty::Enum(id) => {
                    let n = Literal::usize_unsuffixed(m.enumeration(id).values.len());
                    quote!(::crspec_runtime::EnumMap<#key, #value, #n>)
                }
                _ => quote!(::std::collections::BTreeMap<#key, #value>),
            }
        }
        Ty::Struct(id) => {
            let s = m.structure(*id);
            named(&s.name, &s.extra)
        }
        Ty::Enum(id) => {
            let e = m.enumeration(*id);
            named(&e.name, &e.extra)
        }
    }
}

/// A generated type by its name, or the type that replaces it.
fn named(name: &str, extra: &Extra) -> TokenStream {
    match &extra.replace {
        Some(path) => rust_text(path),
        None => {
            let n = ident(name);
            quote!(#n)
        }
    }
}

/// Rust from the `generation` settings, as the checker parsed and printed it (so it lexes).
fn rust_text(text: &str) -> TokenStream {
    text.parse().unwrap_or_else(|_| {
        let message = format!("crspec internal error: the checked Rust `{text}` does not lex");
        quote!(::core::compile_error!(#message))
    })
}

/// The derives and attributes the `generation` settings add to a type.
fn extra_attrs(extra: &Extra) -> (Vec<TokenStream>, Vec<TokenStream>) {
    (
        extra.derives.iter().map(|d| rust_text(d)).collect(),
        extra.attributes.iter().map(|a| rust_text(a)).collect(),
    )
}

/// `#[allow(clippy::type_complexity)]` for an item with a member of type `ty`, when `ty` has a
/// list or map inside a list or map (the four providers' have none; `Option<BTreeMap<String,
/// BTreeMap<String, Vec<..>>>>` passes clippy's bound).
fn allow_complex<'a>(types: impl IntoIterator<Item = &'a Ty>) -> Option<TokenStream> {
    fn collections(ty: &Ty) -> usize {
        match ty {
            Ty::List(t) => 1 + collections(t),
            Ty::Map(k, v) => 1 + collections(k).max(collections(v)),
            _ => 0,
        }
    }
    types
        .into_iter()
        .any(|ty| collections(ty) >= 2)
        .then(|| quote!(#[allow(clippy::type_complexity)]))
}

/// The structure `s` (`id`): its definition, default constants, serde impls and builder, and
/// for a validated structure its validators.
pub(super) fn structure(m: &Module, id: StructId, s: &Struct, items: &mut TypeItems) {
    items.definition = definition(m, s);
    items.traits.extend(serde::serde_impls(m, s));
    items
        .inherent
        .extend(s.fields.iter().filter_map(default_const));
    let builder = format_ident!("{}Builder", s.name);
    let checks = if s.validated {
        "`build()` checks every constraint"
    } else if s.fields.iter().any(|f| f.required) {
        "`build()` checks that every required member is set"
    } else {
        "every member is optional"
    };
    let builder_doc = format!(" Starts building [`{}`]; {checks}.", s.name);
    items.inherent.extend(quote! {
        #[doc = #builder_doc]
        pub fn builder() -> #builder {
            <#builder as ::core::default::Default>::default()
        }
    });
    if s.validated {
        items.inherent.extend(validate::validate_fns(m, id));
    }
    items.companions.extend(builder_type(m, id, &builder));
}

fn definition(m: &Module, s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let docs = doc_attrs(
        &s.docs,
        &[if s.docs.is_empty() {
            format!("The `{}` structure.", s.name)
        } else {
            String::new()
        }],
    );
    let mut derives = vec![quote!(Debug), quote!(Clone), quote!(PartialEq)];
    if s.eq {
        derives.push(quote!(Eq));
    }
    if s.default {
        derives.push(quote!(Default));
    }
    let (extra, attributes) = extra_attrs(&s.extra);
    derives.extend(extra);
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let ty = ty_tokens(m, &f.ty);
        let ty = if f.required { ty } else { quote!(Option<#ty>) };
        let fallback = if f.docs.is_empty() {
            format!(
                "The `{}` member (not documented by the provider).",
                f.wire.replace('`', "")
            )
        } else {
            String::new()
        };
        let docs = doc_attrs(&f.docs, &[fallback, constraint_docs(m, f)]);
        quote! {
            #docs
            pub #fname: #ty,
        }
    });
    let allow = allow_complex(s.fields.iter().map(|f| &f.ty));
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        #(#attributes)*
        #allow
        pub struct #name {
            #(#fields)*
        }
    }
}

/// `DEFAULT_<MEMBER>`: the value the provider assumes when a member is absent, for members
/// whose default the spec gives.
fn default_const(f: &Field) -> Option<TokenStream> {
    let d = f.default.as_ref()?;
    let name = format_ident!("DEFAULT_{}", names::const_name(&f.rust));
    let doc = format!(
        " The value the provider assumes when {} is absent.",
        code(&f.wire)
    );
    let (ty, value) = match (&f.ty, d) {
        (Ty::Integer, Scalar::Num(Num::Int(i))) => (quote!(i32), Literal::i128_unsuffixed(*i)),
        (Ty::Long, Scalar::Num(Num::Int(i))) => (quote!(i64), Literal::i128_unsuffixed(*i)),
        (Ty::Double, Scalar::Num(n)) => (quote!(f64), Literal::f64_unsuffixed(n.as_f64())),
        (Ty::Boolean, Scalar::Bool(b)) => {
            return Some(quote!(#[doc = #doc] pub const #name: bool = #b;));
        }
        (Ty::String | Ty::Enum(_), Scalar::Str(s)) => (quote!(&'static str), Literal::string(s)),
        // The checker accepts a default only where its type fits the member's.
        _ => return None,
    };
    Some(quote!(#[doc = #doc] pub const #name: #ty = #value;))
}

/// The builder of a structure: every member optional, a setter each, and `build()`, which
/// checks every constraint of a validated structure and the required members of any.
fn builder_type(m: &Module, id: StructId, builder: &Ident) -> TokenStream {
    let s = m.structure(id);
    let name = ident(&s.name);
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let checks = match (s.validated, required.is_empty()) {
        (true, _) => "checks every constraint",
        (false, false) => "checks that every required member is set",
        (false, true) => "returns the value",
    };
    let doc = format!(
        " Builds [`{}`] member by member; [`{builder}::build`] {checks}.",
        s.name
    );
    let fields = s.fields.iter().map(|f| {
        let n = ident(&f.rust);
        let ty = ty_tokens(m, &f.ty);
        quote!(#n: Option<#ty>,)
    });
    let setters = s.fields.iter().map(|f| setter(m, s, f));
    let inits: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| {
            let n = ident(&f.rust);
            if f.required {
                quote!(#n)
            } else {
                quote!(#n: self.#n)
            }
        })
        .collect();
    let value = match required.as_slice() {
        [] => quote!(Some(#name { #(#inits),* })),
        [one] => {
            let n = ident(&one.rust);
            quote!(self.#n.map(|#n| #name { #(#inits),* }))
        }
        many => {
            let names: Vec<Ident> = many.iter().map(|f| ident(&f.rust)).collect();
            quote! {
                match (#(self.#names),*) {
                    (#(Some(#names)),*) => Some(#name { #(#inits),* }),
                    _ => None,
                }
            }
        }
    };
    // A validated structure without required members: the builder's fields are the
    // structure's, and so would be its checks: `build()` makes the value and validates it, and
    // no second `validate_at` is emitted. With them, the builder's own `validate_at` also
    // reports the missing ones. A structure that is not validated (a response's) has no
    // constraints to check: `build()` reports the required members not set, if it has any.
    let missing = || {
        let checks = required.iter().map(|f| {
            let n = ident(&f.rust);
            let wire = &f.wire;
            quote! {
                if self.#n.is_none() {
                    ::crspec_runtime::__private::check::required(
                        &mut violations,
                        &::crspec_runtime::Path::Root.field(#wire),
                    );
                }
            }
        });
        quote! {
            let mut violations = ::crspec_runtime::Violations::new();
            #(#checks)*
            let value = #value;
            violations.finish_with(value)
        }
    };
    let (returns, build, validate_at, errors_doc) = match (s.validated, required.is_empty()) {
        (true, true) => (
            quote!(Result<#name, ::crspec_runtime::ValidationError>),
            quote! {
                let value = #name { #(#inits),* };
                value.validate().map(|()| value)
            },
            TokenStream::new(),
            Some((
                " The value, when every constraint of the spec holds.",
                " Every violation, each with its path, rule and bound.",
            )),
        ),
        (true, false) => (
            quote!(Result<#name, ::crspec_runtime::ValidationError>),
            quote! {
                let mut violations = ::crspec_runtime::Violations::new();
                self.validate_at(&::crspec_runtime::Path::Root, &mut violations);
                let value = #value;
                violations.finish_with(value)
            },
            validate::builder_validate_at(m, s),
            Some((
                " The value, when every constraint of the spec holds.",
                " Every violation (missing required members included), each with its path, \
                 rule and bound.",
            )),
        ),
        (false, false) => (
            quote!(Result<#name, ::crspec_runtime::ValidationError>),
            missing(),
            TokenStream::new(),
            Some((
                " The value, when every required member is set.",
                " Every required member not set, each with its path.",
            )),
        ),
        (false, true) => (
            quote!(#name),
            quote!(#name { #(#inits),* }),
            TokenStream::new(),
            None,
        ),
    };
    let build_doc = match errors_doc {
        Some((summary, errors)) => quote! {
            #[doc = #summary]
            ///
            /// # Errors
            ///
            #[doc = #errors]
        },
        None => quote! {
            /// The value, with the members set so far.
        },
    };
    let allow = allow_complex(s.fields.iter().map(|f| &f.ty));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default)]
        #[must_use]
        #allow
        pub struct #builder {
            #(#fields)*
        }

        impl #builder {
            #(#setters)*

            #build_doc
            pub fn build(self) -> #returns {
                #build
            }

            #validate_at
        }
    }
}

/// A builder's setter of `f`: strings, string-like types and enums take `impl Into`, lists any
/// iterator of items.
fn setter(m: &Module, s: &Struct, f: &Field) -> TokenStream {
    let n = ident(&f.rust);
    let doc = format!(" Sets [`{}::{}`].", s.name, f.rust);
    let (param, value) = match &f.ty {
        Ty::String => (quote!(impl Into<String>), quote!(value.into())),
        Ty::Enum(_) | Ty::SharedString | Ty::ShortString | Ty::Digest => {
            let ty = ty_tokens(m, &f.ty);
            (quote!(impl Into<#ty>), quote!(value.into()))
        }
        Ty::List(item) => {
            let item = ty_tokens(m, item);
            (
                quote!(impl IntoIterator<Item = #item>),
                quote!(value.into_iter().collect()),
            )
        }
        ty @ (Ty::Integer
        | Ty::Long
        | Ty::Double
        | Ty::Boolean
        | Ty::Timestamp(_)
        | Ty::Map(..)
        | Ty::Struct(_)) => (ty_tokens(m, ty), quote!(value)),
    };
    let allow = allow_complex([&f.ty]);
    quote! {
        #[doc = #doc]
        #allow
        pub fn #n(mut self, value: #param) -> Self {
            self.#n = Some(#value);
            self
        }
    }
}

/// A string-set enum: a variant per known value, `Unknown` for the rest, and its conversions.
pub(super) fn enumeration(e: &Enum) -> TokenStream {
    let name = ident(&e.name);
    let docs = doc_attrs(
        &e.docs,
        &[
            if e.docs.is_empty() {
                format!("The `{}` values.", e.name)
            } else {
                String::new()
            },
            "Values this spec does not list are kept in `Unknown`, and sent back unchanged."
                .to_owned(),
        ],
    );
    let variants = e.values.iter().map(|v| {
        let variant = ident(&v.variant);
        let d = doc_attrs(&format!("{}.\n\n{}", code(&v.wire), v.docs), &[]);
        quote!(#d #variant,)
    });
    let (derives, attributes) = extra_attrs(&e.extra);
    let wires: Vec<&String> = e.values.iter().map(|v| &v.wire).collect();
    let idents: Vec<Ident> = e.values.iter().map(|v| ident(&v.variant)).collect();
    let byte_wires = wires.iter().map(|w| Literal::byte_string(w.as_bytes()));
    let indices = (0..wires.len()).map(Literal::usize_unsuffixed);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord #(, #derives)*)]
        #[non_exhaustive]
        #(#attributes)*
        pub enum #name {
            #(#variants)*
            /// A value this spec does not list, kept exactly as the provider sent it.
            Unknown(String),
        }

        impl #name {
            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::crspec_runtime::StringEnum for #name {
            const VALUES: &'static [&'static str] = &[#(#wires),*];

            const KNOWN: &'static [Self] = &[#(Self::#idents),*];

            fn known_from_bytes(bytes: &[u8]) -> Option<Self> {
                match bytes {
                    #(#byte_wires => Some(Self::#idents),)*
                    _ => None,
                }
            }

            fn known_index(&self) -> Option<usize> {
                match self {
                    #(Self::#idents => Some(#indices),)*
                    Self::Unknown(_) => None,
                }
            }

            fn as_str(&self) -> &str {
                Self::as_str(self)
            }

            fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#idents,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::core::str::FromStr for #name {
            type Err = ::core::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, ::core::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::crspec_runtime::serde::Serialize for #name {
            fn serialize<__S: ::crspec_runtime::serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::crspec_runtime::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::crspec_runtime::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                ::crspec_runtime::__private::deserialize_string_enum(deserializer)
            }
        }
    }
}
