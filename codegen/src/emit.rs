//! Emits the Rust module of a checked spec: `quote!` → `TokenStream` → `prettyplease`.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Enum, ErrorIr, Field, Module, OperationIr, Struct, TsFormat, Ty};
use crate::names;
use crate::spec::{Num, Scalar};

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Characters that must not reach a comment of the generated source: control characters, and
/// the Unicode bidirectional formatting characters that rustc's deny-by-default
/// `text_direction_codepoint_in_comment` lint rejects (they can make code read other than it
/// compiles).
fn unsafe_in_source(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Spec text made safe for rustdoc: control and bidirectional formatting characters dropped,
/// tabs expanded, `<`, `[`, `]` escaped so that provider text never becomes HTML or an
/// intra-doc link, and backticks or tildes that could open a code fence escaped, so that
/// provider text never becomes a doctest.
fn clean_doc_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => out.push_str("    "),
            '\n' => out.push('\n'),
            '<' => out.push_str("&lt;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '`' | '~' if chars.peek() == Some(&c) => {
                // A run of two or more: escape every one (a fence needs three; a run of two
                // could become three after a join).
                out.push('\\');
                out.push(c);
                while chars.peek() == Some(&c) {
                    chars.next();
                    out.push('\\');
                    out.push(c);
                }
            }
            c if unsafe_in_source(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Paragraphs of spec text: lines within a paragraph are joined, so that no line of provider
/// text is read as Markdown structure (a list item, a heading) by accident.
fn paragraphs(text: &str) -> Vec<String> {
    clean_doc_text(text)
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// `#[doc]` attributes for paragraphs of spec text followed by generated lines (which may use
/// Markdown and intra-doc links).
fn doc_attrs(spec_text: &str, generated: &[String]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs(spec_text)
        .into_iter()
        .chain(generated.iter().filter(|g| !g.is_empty()).cloned())
    {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(p);
    }
    let attrs = lines.iter().map(|l| {
        // Generated lines carry names from the spec too: nothing unsafe in a comment.
        let l: String = l.chars().filter(|&c| !unsafe_in_source(c)).collect();
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

/// Inline code for arbitrary text.
fn code(text: &str) -> String {
    let clean: String = text.chars().filter(|&c| !unsafe_in_source(c)).collect();
    if clean.contains('`') {
        format!("{clean:?}").replace('<', "&lt;")
    } else if clean.is_empty() {
        "`\"\"`".into()
    } else {
        format!("`{clean}`")
    }
}

/// The Rust type of `ty`. A map keyed by an enum is an `EnumMap` with a slot per known value
/// of the enum, which `m` has.
fn ty_tokens(m: &Module, ty: &Ty) -> TokenStream {
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
            let known = match &**k {
                Ty::Enum(name) => m
                    .enums
                    .iter()
                    .find(|e| &e.name == name)
                    .map(|e| e.values.len()),
                _ => None,
            };
            let k = ty_tokens(m, k);
            let v = ty_tokens(m, v);
            match known {
                Some(n) => {
                    let n = Literal::usize_unsuffixed(n);
                    quote!(::crspec_runtime::EnumMap<#k, #v, #n>)
                }
                None => quote!(::std::collections::BTreeMap<#k, #v>),
            }
        }
        Ty::Struct(n) | Ty::Enum(n) => {
            let n = ident(n);
            quote!(#n)
        }
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = Literal::u64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

fn opt_num(v: Option<Num>, float: bool) -> TokenStream {
    match v {
        None => quote!(None),
        Some(n) if float => {
            let v = Literal::f64_unsuffixed(n.as_f64());
            quote!(Some(#v))
        }
        Some(Num::Int(i)) => {
            let v = Literal::i128_unsuffixed(i);
            quote!(Some(#v))
        }
        Some(Num::Float(f)) => {
            let v = Literal::f64_unsuffixed(f);
            quote!(Some(#v))
        }
    }
}

fn bounds_text(lo: Option<String>, hi: Option<String>) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{lo}..={hi}"),
        (Some(lo), None) => format!("at least {lo}"),
        (None, Some(hi)) => format!("at most {hi}"),
        (None, None) => "unbounded".into(),
    }
}

/// The generated lines that document a member's constraints.
fn constraint_docs(m: &Module, f: &Field) -> String {
    let mut parts = Vec::new();
    if f.must_be_set {
        parts.push("Required.".to_owned());
    }
    if let Some((lo, hi)) = f.length {
        parts.push(format!(
            "Length: {} characters.",
            bounds_text(lo.map(|v| v.to_string()), hi.map(|v| v.to_string()))
        ));
    }
    if let Some((lo, hi)) = f.range {
        parts.push(format!(
            "Range: {}.",
            bounds_text(lo.map(|v| v.to_string()), hi.map(|v| v.to_string()))
        ));
    }
    if let Some((lo, hi)) = f.items {
        parts.push(format!(
            "Items: {}.",
            bounds_text(lo.map(|v| v.to_string()), hi.map(|v| v.to_string()))
        ));
    }
    if let Some(p) = f.pattern {
        parts.push(format!(
            "Pattern (whole value): {}.",
            code(&m.patterns[p].source)
        ));
    }
    if let Some(d) = &f.default {
        parts.push(format!(
            "Default when absent: {}.",
            code(&d.to_string().trim_matches('"').replace("\\\"", "\""))
        ));
    }
    if let Some(l) = &f.location
        && l != "body"
    {
        parts.push(format!("Sent in the {l}."));
    }
    parts.join(" ")
}

/// Checks of one value `v` (an expression of type `&T`) at path `p` (an expression of type
/// `Path`), for the member `f` (its own constraints) or for an item inside it (`f` is `None`).
fn value_checks(
    m: &Module,
    f: Option<&Field>,
    ty: &Ty,
    v: &TokenStream,
    p: &TokenStream,
) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(f) = f {
        if let Some((lo, hi)) = f.length {
            let (lo, hi) = (opt_u64(lo), opt_u64(hi));
            out.extend(quote!(violations.length(&#p, #v, #lo, #hi);));
        }
        if let Some(i) = f.pattern {
            let name = ident(&m.patterns[i].name);
            out.extend(quote!(violations.pattern(&#p, #v, &#name);));
        }
        if let Some((lo, hi)) = f.range {
            if *ty == Ty::Double {
                let (lo, hi) = (opt_num(lo, true), opt_num(hi, true));
                out.extend(quote!(violations.range_float(&#p, *#v, #lo, #hi);));
            } else {
                let (lo, hi) = (opt_num(lo, false), opt_num(hi, false));
                out.extend(quote!(violations.range_int(&#p, i64::from(*#v), #lo, #hi);));
            }
        }
        if let Some((lo, hi)) = f.items {
            let (lo, hi) = (opt_u64(lo), opt_u64(hi));
            out.extend(quote!(violations.items(&#p, #v.len(), #lo, #hi);));
        }
    }
    out.extend(type_checks(ty, v, p));
    out
}

/// Checks that come with a type itself: enum membership, nested structures, items of lists and
/// values of maps.
fn type_checks(ty: &Ty, v: &TokenStream, p: &TokenStream) -> TokenStream {
    match ty {
        Ty::Enum(_) => quote!(violations.known(&#p, #v);),
        Ty::Struct(_) => quote!(#v.validate_at(&#p, violations);),
        Ty::List(t) => {
            let inner = type_checks(t, &quote!(item), &quote!(path));
            if inner.is_empty() {
                return inner;
            }
            quote! {
                for (index, item) in #v.iter().enumerate() {
                    let path = #p.index(index);
                    #inner
                }
            }
        }
        Ty::Map(k, val) => {
            let key_check = if matches!(**k, Ty::Enum(_)) {
                quote!(violations.known(&path, key);)
            } else {
                TokenStream::new()
            };
            let inner = type_checks(val, &quote!(item), &quote!(path));
            if key_check.is_empty() && inner.is_empty() {
                return TokenStream::new();
            }
            let key_str = if matches!(**k, Ty::Enum(_)) {
                quote!(::crspec_runtime::StringEnum::as_str(key))
            } else {
                quote!(key.as_str())
            };
            quote! {
                for (key, item) in #v {
                    let path = #p.key(#key_str);
                    #key_check
                    #inner
                }
            }
        }
        _ => TokenStream::new(),
    }
}

/// The body of a `validate_at` over fields; `all_optional` for builders, whose fields are all
/// `Option`s.
fn validation_body(m: &Module, s: &Struct, all_optional: bool) -> TokenStream {
    let mut body = TokenStream::new();
    for f in &s.fields {
        let name = ident(&f.rust);
        let wire = &f.wire;
        let checks = value_checks(m, Some(f), &f.ty, &quote!(value), &quote!(path));
        let is_option = all_optional || !f.required;
        if !is_option {
            if !checks.is_empty() {
                body.extend(quote! {
                    {
                        let value = &self.#name;
                        let path = path.field(#wire);
                        #checks
                    }
                });
            }
        } else if f.must_be_set && checks.is_empty() {
            body.extend(quote! {
                if self.#name.is_none() {
                    violations.required(&path.field(#wire));
                }
            });
        } else if f.must_be_set {
            body.extend(quote! {
                match &self.#name {
                    Some(value) => {
                        let path = path.field(#wire);
                        #checks
                    }
                    None => violations.required(&path.field(#wire)),
                }
            });
        } else if !checks.is_empty() {
            body.extend(quote! {
                if let Some(value) = &self.#name {
                    let path = path.field(#wire);
                    #checks
                }
            });
        }
    }
    for group in &s.exclusive {
        let wires = &group.members;
        let set = group.members.iter().map(|w| {
            let f = s.fields.iter().find(|f| &f.wire == w);
            match f {
                Some(f) if all_optional || !f.required => {
                    let n = ident(&f.rust);
                    quote!(self.#n.is_some())
                }
                _ => quote!(true),
            }
        });
        body.extend(quote! {
            violations.exclusive(path, &[#(#wires),*], &[#(#set),*]);
        });
    }
    // The bodies above shadow `path` with a member's path inside blocks only.
    body
}

fn validate_at_fn(m: &Module, s: &Struct, all_optional: bool, public: bool) -> TokenStream {
    let body = validation_body(m, s, all_optional);
    let (path, violations) = if body.is_empty() {
        (quote!(_path), quote!(_violations))
    } else {
        (quote!(path), quote!(violations))
    };
    let vis = if public {
        quote!(pub)
    } else {
        TokenStream::new()
    };
    let doc = if public {
        quote! {
            /// Checks every constraint of the spec on this value, recording each violation under
            /// `path` (enclosing validators call this; most callers want `validate()`).
        }
    } else {
        quote! {
            /// Checks the members set so far (missing required members included).
        }
    };
    quote! {
        #doc
        #vis fn validate_at(&self, #path: &::crspec_runtime::Path<'_>, #violations: &mut ::crspec_runtime::Violations) {
            #body
        }
    }
}

/// `Serialize` and `Deserialize` for a structure, written out rather than derived: a crate that
/// uses generated code then builds neither `serde_derive` nor `syn`, and member names are matched
/// as bytes (`crspec_runtime::structs`). Optional members are skipped when unset and read as
/// absent when missing or `null`; a required member that is missing, or any member that appears
/// twice, is an error; unknown members are skipped.
fn emit_serde(m: &Module, s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let type_name = &s.name;
    let rt = quote!(::crspec_runtime);
    let members: Vec<Ident> = s.fields.iter().map(|f| ident(&f.rust)).collect();
    // The number of members written: the required ones, plus each optional one that is set (a
    // flat list, not a sum, so that ten thousand members do not nest ten thousand deep).
    let required = Literal::usize_unsuffixed(s.fields.iter().filter(|f| f.required).count());
    let set = s
        .fields
        .iter()
        .zip(&members)
        .filter(|(f, _)| !f.required)
        .map(|(_, member)| quote!(self.#member.is_some()));
    let writes = s.fields.iter().zip(&members).map(|(f, member)| {
        let wire = &f.wire;
        if f.required {
            quote!(#rt::serde::ser::SerializeStruct::serialize_field(&mut out, #wire, &self.#member)?;)
        } else {
            quote!(#rt::structs::optional_field(&mut out, #wire, self.#member.as_ref())?;)
        }
    });
    let out_binding = if s.fields.is_empty() {
        quote!(out)
    } else {
        quote!(mut out)
    };
    let serialize = quote! {
        impl #rt::serde::Serialize for #name {
            fn serialize<S: #rt::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let #out_binding = serializer.serialize_struct(#type_name, #rt::structs::count(#required, &[#(#set),*]))?;
                #(#writes)*
                #rt::serde::ser::SerializeStruct::end(out)
            }
        }
    };
    let deserialize = if builds_in_place(s) {
        emit_deserialize_in_place(m, s)
    } else {
        emit_deserialize_from_locals(s)
    };
    quote!(#serialize #deserialize)
}

/// `Deserialize` for a structure with required members (or none): members are read into
/// locals, then the structure is built from them, naming a required member that is missing.
fn emit_deserialize_from_locals(s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let type_name = &s.name;
    let expecting = format!("struct {}", s.name);
    let rt = quote!(::crspec_runtime);
    let wires: Vec<&str> = s.fields.iter().map(|f| f.wire.as_str()).collect();
    let members: Vec<Ident> = s.fields.iter().map(|f| ident(&f.rust)).collect();
    let locals: Vec<Ident> = s
        .fields
        .iter()
        .map(|f| format_ident!("field_{}", f.rust))
        .collect();
    let arms = s
        .fields
        .iter()
        .zip(&locals)
        .enumerate()
        .map(|(i, (f, local))| {
            let wire = &f.wire;
            let i = Literal::usize_unsuffixed(i);
            quote!(#i => #rt::structs::value(&mut map, &mut #local, #wire)?,)
        });
    let finish = s
        .fields
        .iter()
        .zip(&members)
        .zip(&locals)
        .map(|((f, member), local)| {
            let wire = &f.wire;
            if f.required {
                quote!(#member: #rt::structs::required(#local, #wire)?,)
            } else {
                quote!(#member: #local.flatten(),)
            }
        });
    let lets = locals.iter().map(|local| quote!(let mut #local = None;));
    let read = if s.fields.is_empty() {
        quote! {
            while #rt::structs::key::<Self, _>(&mut map)?.is_some() {
                #rt::structs::skip(&mut map)?;
            }
        }
    } else {
        quote! {
            while let Some(index) = #rt::structs::key::<Self, _>(&mut map)? {
                match index {
                    #(#arms)*
                    _ => #rt::structs::skip(&mut map)?,
                }
            }
        }
    };
    let member_index = member_index(s, &quote!(Members));
    quote! {
        impl<'de> #rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const MEMBERS: &[&str] = &[#(#wires),*];

                struct Members;

                #member_index

                impl<'de> #rt::serde::de::Visitor<'de> for Members {
                    type Value = #name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: #rt::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        #(#lets)*
                        #read
                        Ok(#name {
                            #(#finish)*
                        })
                    }
                }

                deserializer.deserialize_struct(#type_name, MEMBERS, Members)
            }
        }
    }
}

/// `MemberIndex` for the visitor type `visitor` of `s`: member names to their indices as a
/// `match` on byte strings, which rustc compiles to a switch on the length and word-sized
/// comparisons (a search through the names would call `memcmp` per candidate).
fn member_index(s: &Struct, visitor: &TokenStream) -> TokenStream {
    let rt = quote!(::crspec_runtime);
    let unknown = Literal::usize_unsuffixed(s.fields.len());
    if s.fields.is_empty() {
        return quote! {
            impl #rt::structs::MemberIndex for #visitor {
                fn index(_: &[u8]) -> usize {
                    0
                }
            }
        };
    }
    let arms = s.fields.iter().enumerate().map(|(i, f)| {
        let bytes = Literal::byte_string(f.wire.as_bytes());
        let i = Literal::usize_unsuffixed(i);
        quote!(#bytes => #i,)
    });
    quote! {
        impl #rt::structs::MemberIndex for #visitor {
            #[inline(always)]
            fn index(name: &[u8]) -> usize {
                match name {
                    #(#arms)*
                    _ => #unknown,
                }
            }
        }
    }
}

/// Whether a structure is read in place: every member is optional (so the structure has a
/// `Default` to start from) and there is at least one.
fn builds_in_place(s: &Struct) -> bool {
    !s.fields.is_empty() && s.fields.iter().all(|f| !f.required)
}

/// `Deserialize` with `deserialize_in_place` for a structure whose members are all optional:
/// members are read straight into the fields of the value being built, and the items of a
/// list of such structures straight into the list, rather than built on the stack and moved
/// (serde moves a returned structure several times on its way into a `Vec`, and the copies
/// grow with the structure). A member that appears twice is an error; one that does not
/// appear is `None`, whatever the place held before.
fn emit_deserialize_in_place(m: &Module, s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let type_name = &s.name;
    let expecting = format!("struct {}", s.name);
    let rt = quote!(::crspec_runtime);
    let wires: Vec<&str> = s.fields.iter().map(|f| f.wire.as_str()).collect();
    let count = Literal::usize_unsuffixed(s.fields.len());
    let member_index = member_index(s, &quote!(Members<'_>));
    let arms = s.fields.iter().enumerate().map(|(i, f)| {
        let member = ident(&f.rust);
        let wire = &f.wire;
        let index = Literal::usize_unsuffixed(i);
        let in_place = |ty: &Ty| {
            matches!(ty, Ty::Struct(n) if m.structs.iter().any(|t| &t.name == n && builds_in_place(t)))
        };
        let read = match &f.ty {
            Ty::List(item) if in_place(item) => quote!(list_in_place),
            ty if in_place(ty) => quote!(structure_in_place),
            _ => quote!(optional_in_place),
        };
        quote!(#index => #rt::structs::#read(&mut map, &mut place.#member, &mut seen[#index], #wire)?,)
    });
    let resets = s.fields.iter().enumerate().map(|(i, f)| {
        let member = ident(&f.rust);
        let index = Literal::usize_unsuffixed(i);
        quote!(if !seen[#index] { place.#member = None; })
    });
    quote! {
        impl<'de> #rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut value = Self::default();
                Self::deserialize_in_place(deserializer, &mut value)?;
                Ok(value)
            }

            fn deserialize_in_place<D: #rt::serde::Deserializer<'de>>(deserializer: D, place: &mut Self) -> Result<(), D::Error> {
                const MEMBERS: &[&str] = &[#(#wires),*];

                struct Members<'a>(&'a mut #name);

                #member_index

                impl<'de> #rt::serde::de::Visitor<'de> for Members<'_> {
                    type Value = ();

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: #rt::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                        let place = self.0;
                        let mut seen = [false; #count];
                        while let Some(index) = #rt::structs::key::<Self, _>(&mut map)? {
                            match index {
                                #(#arms)*
                                _ => #rt::structs::skip(&mut map)?,
                            }
                        }
                        #(#resets)*
                        Ok(())
                    }
                }

                deserializer.deserialize_struct(#type_name, MEMBERS, Members(place))
            }
        }
    }
}

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
        _ => return None,
    };
    Some(quote!(#[doc = #doc] pub const #name: #ty = #value;))
}

fn emit_struct(m: &Module, s: &Struct) -> TokenStream {
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
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let ty = ty_tokens(m, &f.ty);
        let ty = if f.required { ty } else { quote!(Option<#ty>) };
        let generated = constraint_docs(m, f);
        let fallback = if f.docs.is_empty() {
            format!(
                "The `{}` member (not documented by the provider).",
                f.wire.replace('`', "")
            )
        } else {
            String::new()
        };
        let docs = doc_attrs(&f.docs, &[fallback, generated]);
        quote! {
            #docs
            pub #fname: #ty,
        }
    });
    let mut out = quote! {
        #docs
        #[derive(#(#derives),*)]
        pub struct #name {
            #(#fields)*
        }
    };
    out.extend(emit_serde(m, s));
    let consts: Vec<TokenStream> = s.fields.iter().filter_map(default_const).collect();
    if s.validated {
        let builder = format_ident!("{}Builder", s.name);
        let validate_at = validate_at_fn(m, s, false, true);
        let builder_doc = format!(
            " Starts a [`{}`]; `build()` checks every constraint.",
            s.name
        );
        out.extend(quote! {
            impl #name {
                #(#consts)*

                #[doc = #builder_doc]
                pub fn builder() -> #builder {
                    #builder::default()
                }

                /// Checks every constraint of the spec on this value and returns every
                /// violation. Members are public, so call this after changing or
                /// deserializing a value.
                ///
                /// # Errors
                ///
                /// Every violation, each with its path, rule and bound.
                pub fn validate(&self) -> Result<(), ::crspec_runtime::ValidationError> {
                    let mut violations = ::crspec_runtime::Violations::new();
                    self.validate_at(&::crspec_runtime::Path::Root, &mut violations);
                    violations.finish()
                }

                #validate_at
            }
        });
        out.extend(emit_builder(m, s, &builder));
    } else if !consts.is_empty() {
        out.extend(quote!(impl #name { #(#consts)* }));
    }
    out
}

fn emit_builder(m: &Module, s: &Struct, builder: &Ident) -> TokenStream {
    let name = ident(&s.name);
    let doc = format!(
        " Builds a [`{}`] member by member; [`{builder}::build`] checks every constraint.",
        s.name
    );
    let fields = s.fields.iter().map(|f| {
        let n = ident(&f.rust);
        let ty = ty_tokens(m, &f.ty);
        quote!(#n: Option<#ty>,)
    });
    let setters = s.fields.iter().map(|f| {
        let n = ident(&f.rust);
        let doc = format!(" Sets [`{}::{}`].", s.name, f.rust);
        match &f.ty {
            Ty::String => quote! {
                #[doc = #doc]
                pub fn #n(mut self, value: impl Into<String>) -> Self {
                    self.#n = Some(value.into());
                    self
                }
            },
            Ty::Enum(_) | Ty::SharedString | Ty::ShortString | Ty::Digest => {
                let e = ty_tokens(m, &f.ty);
                quote! {
                    #[doc = #doc]
                    pub fn #n(mut self, value: impl Into<#e>) -> Self {
                        self.#n = Some(value.into());
                        self
                    }
                }
            }
            Ty::List(item) => {
                let item = ty_tokens(m, item);
                quote! {
                    #[doc = #doc]
                    pub fn #n(mut self, value: impl IntoIterator<Item = #item>) -> Self {
                        self.#n = Some(value.into_iter().collect());
                        self
                    }
                }
            }
            ty => {
                let ty = ty_tokens(m, ty);
                quote! {
                    #[doc = #doc]
                    pub fn #n(mut self, value: #ty) -> Self {
                        self.#n = Some(value);
                        self
                    }
                }
            }
        }
    });
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let inits = s.fields.iter().map(|f| {
        let n = ident(&f.rust);
        if f.required {
            quote!(#n)
        } else {
            quote!(#n: self.#n)
        }
    });
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
    let validate_at = validate_at_fn(m, s, true, false);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default)]
        #[must_use]
        pub struct #builder {
            #(#fields)*
        }

        impl #builder {
            #(#setters)*

            /// The value, when every constraint of the spec holds.
            ///
            /// # Errors
            ///
            /// Every violation (missing required members included), each with its path, rule
            /// and bound.
            pub fn build(self) -> Result<#name, ::crspec_runtime::ValidationError> {
                let mut violations = ::crspec_runtime::Violations::new();
                self.validate_at(&::crspec_runtime::Path::Root, &mut violations);
                let value = #value;
                violations.finish_with(value)
            }

            #validate_at
        }
    }
}

fn emit_enum(e: &Enum) -> TokenStream {
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
    let variants = e.values.iter().map(|(wire, variant, docs)| {
        let v = ident(variant);
        let lead = format!("{}.", code(wire));
        let d = doc_attrs(&format!("{lead}\n\n{docs}"), &[]);
        quote!(#d #v,)
    });
    let wires: Vec<&String> = e.values.iter().map(|(w, _, _)| w).collect();
    let idents: Vec<Ident> = e.values.iter().map(|(_, v, _)| ident(v)).collect();
    let byte_wires = wires.iter().map(|w| Literal::byte_string(w.as_bytes()));
    let indices = (0..wires.len()).map(Literal::usize_unsuffixed);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::crspec_runtime::serde::Serialize for #name {
            fn serialize<S: ::crspec_runtime::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::crspec_runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::crspec_runtime::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                ::crspec_runtime::deserialize_string_enum(deserializer)
            }
        }
    }
}

fn emit_operation(op: &OperationIr) -> TokenStream {
    let marker = ident(&op.rust);
    let error = format_ident!("{}Error", op.rust);
    let docs = doc_attrs(
        &op.docs,
        &[format!(
            "Input: [`{}`]. Output: [`{}`]. Errors: [`{error}`].",
            op.input, op.output
        )],
    );
    let wire = &op.wire;
    let method = &op.method;
    let path = &op.path;
    let page = op.pagination.as_ref().map(|p| {
        let style = &p.style;
        let items = &p.items;
        quote! {
            /// How the operation pages: `token`, `page_number` or `offset_limit`.
            pub const PAGINATION: &'static str = #style;
            /// The output member (wire name) that holds one page's items.
            pub const PAGE_ITEMS: &'static str = #items;
        }
    });
    let err = emit_error(op, &error);
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct #marker;

        impl #marker {
            /// The operation's name on the wire.
            pub const NAME: &'static str = #wire;
            /// The HTTP method.
            pub const METHOD: &'static str = #method;
            /// The path template; `{name}` is the input member `name`.
            pub const PATH: &'static str = #path;
            #page
        }

        #err
    }
}

fn emit_error(op: &OperationIr, error: &Ident) -> TokenStream {
    let doc = format!(
        " The errors of [`{}`]: one variant per error the spec documents, and `Unknown` for any other code.",
        op.rust
    );
    let variants = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let mut facts = vec![format!("Code {}.", code(&e.code))];
        if let Some(s) = e.http_status {
            facts.push(format!("HTTP status {s}."));
        }
        facts.push(
            if e.retryable {
                "Retryable."
            } else {
                "Not retryable."
            }
            .to_owned(),
        );
        let d = doc_attrs(&e.docs, &[facts.join(" ")]);
        quote!(#d #v(::crspec_runtime::ErrorDetails),)
    });
    let codes: Vec<&String> = op.errors.iter().map(|e| &e.code).collect();
    let idents: Vec<Ident> = op.errors.iter().map(|e| ident(&e.variant)).collect();
    let status_arms = group_arms(&op.errors, |e| match e.http_status {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    });
    let retryable: Vec<Ident> = op
        .errors
        .iter()
        .filter(|e| e.retryable)
        .map(|e| ident(&e.variant))
        .collect();
    let is_retryable = if retryable.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(Self::#retryable(_))|*))
    };
    let details_arm = if idents.is_empty() {
        TokenStream::new()
    } else {
        quote!(#(Self::#idents(details))|* => details,)
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #error {
            #(#variants)*
            /// An error code this spec does not document, kept as the provider sent it.
            Unknown(::crspec_runtime::UnknownError),
        }

        impl #error {
            /// Every code the spec documents for this operation.
            pub const CODES: &'static [&'static str] = &[#(#codes),*];

            /// The error for `code` as the provider sent it; a code the spec does not document
            /// becomes `Unknown`, keeping the code.
            pub fn from_code(code: &str, details: ::crspec_runtime::ErrorDetails) -> Self {
                match code {
                    #(#codes => Self::#idents(details),)*
                    other => Self::Unknown(::crspec_runtime::UnknownError {
                        code: other.to_owned(),
                        http_status: None,
                        details,
                    }),
                }
            }

            /// The code, exactly as the provider sends it.
            pub fn code(&self) -> &str {
                match self {
                    #(Self::#idents(_) => #codes,)*
                    Self::Unknown(error) => &error.code,
                }
            }

            /// The category of a dotted code (`InternalError.DbError` → `InternalError`); a
            /// code without a dot is its own category.
            pub fn category(&self) -> &str {
                ::crspec_runtime::error_category(self.code())
            }

            /// The HTTP status the spec documents for this error, if any.
            pub fn http_status(&self) -> Option<u16> {
                match self {
                    #status_arms
                    Self::Unknown(error) => error.http_status,
                }
            }

            /// `true` when the spec says that retrying the same request may succeed.
            pub fn is_retryable(&self) -> bool {
                #is_retryable
            }

            /// The message and request id that came with the error.
            pub fn details(&self) -> &::crspec_runtime::ErrorDetails {
                match self {
                    #details_arm
                    Self::Unknown(error) => &error.details,
                }
            }

            /// The provider's message, if it sent one.
            pub fn message(&self) -> Option<&str> {
                self.details().message.as_deref()
            }
        }

        impl ::core::fmt::Display for #error {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.code())?;
                if let Some(message) = self.message() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
        }

        impl ::std::error::Error for #error {}
    }
}

/// Match arms `A(_) | B(_) => value,` grouped by equal values, in first-appearance order.
fn group_arms(errors: &[ErrorIr], value: impl Fn(&ErrorIr) -> TokenStream) -> TokenStream {
    let mut groups: Vec<(String, TokenStream, Vec<Ident>)> = Vec::new();
    for e in errors {
        let v = value(e);
        let key = v.to_string();
        match groups.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, idents)) => idents.push(ident(&e.variant)),
            None => groups.push((key, v, vec![ident(&e.variant)])),
        }
    }
    let arms = groups
        .into_iter()
        .map(|(_, v, idents)| quote!(#(Self::#idents(_))|* => #v,));
    quote!(#(#arms)*)
}

fn emit_pattern(p: &crate::ir::PatternIr) -> TokenStream {
    let name = ident(&p.name);
    let source = &p.source;
    let doc = format!(
        " The pattern {} (whole value), compiled while generating.",
        code(source)
    );
    if let Some(states) = p.tables.code_states() {
        let function = ident(&format!("{}_matches", p.name.to_lowercase()));
        let function_doc = format!(
            " `true` when the whole input matches {}: the pattern's automaton, one arm per move.",
            code(source)
        );
        let classes = Literal::byte_string(&p.tables.classes);
        let start = Literal::u8_unsuffixed(p.tables.start.to_le_bytes()[0]);
        let arms = states.iter().flat_map(|s| {
            let state = Literal::u8_unsuffixed(s.state);
            s.moves.iter().map(move |(next, classes)| {
                let next = Literal::u8_unsuffixed(*next);
                let classes = classes.iter().map(|&c| Literal::u8_unsuffixed(c));
                quote!((#state, #(#classes)|*) => #next,)
            })
        });
        let accepting = p
            .tables
            .accept
            .iter()
            .enumerate()
            .filter(|(_, a)| **a)
            .map(|(s, _)| Literal::usize_unsuffixed(s));
        return quote! {
            #[doc = #doc]
            static #name: ::crspec_runtime::Pattern =
                ::crspec_runtime::Pattern::from_fn(#source, #function);
            #[doc = #function_doc]
            fn #function(input: &[u8]) -> bool {
                /// Each byte's class: bytes of one class move alike from every state.
                static CLASSES: [u8; 256] = *#classes;
                let mut state: u8 = #start;
                for &byte in input {
                    state = match (state, CLASSES[usize::from(byte)]) {
                        #(#arms)*
                        _ => return false,
                    };
                }
                matches!(state, #(#accepting)|*)
            }
        };
    }
    let classes = Literal::byte_string(&p.tables.classes);
    let alphabet = Literal::usize_unsuffixed(p.tables.alphabet_len);
    let start = Literal::u16_unsuffixed(p.tables.start);
    let wide = p.tables.wide();
    let table = Literal::byte_string(&p.tables.table_bytes());
    let accept = Literal::byte_string(&p.tables.accept_bytes());
    quote! {
        #[doc = #doc]
        static #name: ::crspec_runtime::Pattern = ::crspec_runtime::Pattern::from_tables(
            #source, #classes, #alphabet, #start, #wide, #table, #accept,
        );
    }
}

/// The module's items as tokens (inner attributes and docs included).
pub fn module_tokens(m: &Module) -> TokenStream {
    escape_bidi_in_literals(module_tokens_raw(m))
}

/// String literals keep spec values exactly (wire names, codes, enum values), but a raw
/// bidirectional formatting character in a literal is a deny-by-default rustc lint
/// (`text_direction_codepoint_in_literal`): write each as its `\u{..}` escape, the same value.
fn escape_bidi_in_literals(tokens: TokenStream) -> TokenStream {
    let text = tokens.to_string();
    if !text.chars().any(|c| unsafe_in_source(c) && !c.is_control()) {
        return tokens;
    }
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if unsafe_in_source(c) && !c.is_control() {
            escaped.push_str(&format!("\\u{{{:04x}}}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    // Outside literals the tokens have no such character (idents cannot hold one), so the text
    // is the same token stream with escaped literals.
    escaped.parse().unwrap_or(tokens)
}

fn module_tokens_raw(m: &Module) -> TokenStream {
    let mut docs = vec![format!(
        "Typed, validated bindings of the {} API (version {}), generated by crspec from `{}`.",
        m.name,
        m.api_version,
        m.file.replace('`', "")
    )];
    let sources: Vec<String> = m
        .sources
        .iter()
        .map(|s| {
            format!(
                "- `{}`: {} ({})",
                s.id,
                clean_doc_text(&s.title),
                code(&s.location)
            )
        })
        .collect();
    let mut attrs = Vec::new();
    for p in paragraphs(&m.docs) {
        docs.push(p);
    }
    docs.push("Sources of the spec's facts:".to_owned());
    let safe = |line: &str| -> String { line.chars().filter(|&c| !unsafe_in_source(c)).collect() };
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            attrs.push(quote!(#![doc = ""]));
        }
        let d = format!(" {}", safe(d));
        attrs.push(quote!(#![doc = #d]));
    }
    for s in &sources {
        let s = format!(" {}", safe(s));
        attrs.push(quote!(#![doc = #s]));
    }
    let api_version = &m.api_version;
    let endpoint = &m.protocol.endpoint;
    let provider = &m.name;
    let patterns = m.patterns.iter().map(emit_pattern);
    let pattern_names = m.patterns.iter().map(|p| ident(&p.name));
    let structs = m.structs.iter().map(|s| emit_struct(m, s));
    let enums = m.enums.iter().map(emit_enum);
    let operations = m.operations.iter().map(emit_operation);
    let wire = m.operations.iter().map(|op| crate::wire::operation(m, op));
    let protocol = crate::wire::protocol_const(m);
    quote! {
        #(#attrs)*
        #![forbid(unsafe_code)]

        /// The provider's name.
        pub const PROVIDER: &str = #provider;
        /// The API version this module was generated from.
        pub const API_VERSION: &str = #api_version;
        /// The endpoint template; `{region}` stands for the region.
        pub const ENDPOINT: &str = #endpoint;
        #protocol

        #(#operations)*
        #(#wire)*
        #(#structs)*
        #(#enums)*
        /// Every pattern of this module's validators, in the order the spec first uses them: to
        /// check a value on its own, without building a request.
        pub static PATTERNS: &[&::crspec_runtime::Pattern] = &[#(&#pattern_names),*];
        #(#patterns)*
    }
}
