//! Validators: `validate()` and `validate_at` on validated structures, `validate_at` on their
//! builders. Each checks every constraint of the spec and records every violation with its
//! path, rule and bound.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use crate::ir::{Bounds, Field, Module, Num, Struct, StructId, Ty};

/// The path of the runtime's rule checks, which only generated code calls.
fn check_path() -> TokenStream {
    quote!(::crspec_runtime::__private::check)
}

/// `Some(bound)` or `None` as tokens, for a `u64` bound.
fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = Literal::u64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

/// `Some(bound)` or `None` as tokens, for a number bound; `float` writes an integer as `f64`.
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

/// `lo, hi` of `u64` bounds.
fn u64_bounds(b: Bounds<u64>) -> (TokenStream, TokenStream) {
    (opt_u64(b.min), opt_u64(b.max))
}

/// Checks of the value `v` (an expression of type `&T`) of the member `f` at path `p` (an
/// expression of type `Path`): its own constraints, then those of its type.
fn member_checks(m: &Module, f: &Field, v: &TokenStream, p: &TokenStream) -> TokenStream {
    let check = check_path();
    let mut out = TokenStream::new();
    if let Some(b) = f.length {
        let (lo, hi) = u64_bounds(b);
        out.extend(quote!(#check::length(violations, &#p, #v, #lo, #hi);));
    }
    if let Some(id) = f.pattern {
        let name = ident(&m.pattern(id).name);
        out.extend(quote!(#check::pattern(violations, &#p, #v, &#name);));
    }
    if let Some(b) = f.range {
        if f.ty == Ty::Double {
            let (lo, hi) = (opt_num(b.min, true), opt_num(b.max, true));
            out.extend(quote!(#check::range_float(violations, &#p, *#v, #lo, #hi);));
        } else {
            let (lo, hi) = (opt_num(b.min, false), opt_num(b.max, false));
            // An `i64` as it is (clippy: `useless_conversion`), an `i32` widened.
            let value = if f.ty == Ty::Long {
                quote!(*#v)
            } else {
                quote!(i64::from(*#v))
            };
            out.extend(quote!(#check::range_int(violations, &#p, #value, #lo, #hi);));
        }
    }
    if let Some(b) = f.items {
        let (lo, hi) = u64_bounds(b);
        out.extend(quote!(#check::items(violations, &#p, #v.len(), #lo, #hi);));
    }
    out.extend(type_checks(&f.ty, v, p));
    out
}

/// Checks that come with a type itself: enum membership, nested structures, items of lists and
/// values of maps.
fn type_checks(ty: &Ty, v: &TokenStream, p: &TokenStream) -> TokenStream {
    let check = check_path();
    match ty {
        Ty::Enum(_) => quote!(#check::known(violations, &#p, #v);),
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
            let enum_key = matches!(**k, Ty::Enum(_));
            let inner = type_checks(val, &quote!(item), &quote!(path));
            if !enum_key && inner.is_empty() {
                return TokenStream::new();
            }
            let (key_str, key_check) = if enum_key {
                (
                    quote!(::crspec_runtime::StringEnum::as_str(key)),
                    quote!(#check::known(violations, &path, key);),
                )
            } else {
                (quote!(key.as_str()), TokenStream::new())
            };
            // Only the keys are checked when the values have no checks of their own.
            let item = if inner.is_empty() {
                quote!(_)
            } else {
                quote!(item)
            };
            quote! {
                for (key, #item) in #v {
                    let path = #p.key(#key_str);
                    #key_check
                    #inner
                }
            }
        }
        Ty::String
        | Ty::SharedString
        | Ty::ShortString
        | Ty::Digest
        | Ty::Integer
        | Ty::Long
        | Ty::Double
        | Ty::Boolean
        | Ty::Timestamp(_) => TokenStream::new(),
    }
}

/// The body of a `validate_at` over the members of `s`; `all_optional` for builders, whose
/// fields are all `Option`s.
fn validation_body(m: &Module, s: &Struct, all_optional: bool) -> TokenStream {
    let check = check_path();
    let mut body = TokenStream::new();
    for f in &s.fields {
        let name = ident(&f.rust);
        let wire = &f.wire;
        let checks = member_checks(m, f, &quote!(value), &quote!(path));
        let is_option = all_optional || !f.required;
        // Each check shadows `path` with the member's path inside a block only.
        body.extend(match (is_option, f.must_be_set, checks.is_empty()) {
            (false, _, true) | (true, false, true) => TokenStream::new(),
            (false, _, false) => quote! {
                {
                    let value = &self.#name;
                    let path = path.field(#wire);
                    #checks
                }
            },
            (true, true, true) => quote! {
                if self.#name.is_none() {
                    #check::required(violations, &path.field(#wire));
                }
            },
            (true, true, false) => quote! {
                match &self.#name {
                    Some(value) => {
                        let path = path.field(#wire);
                        #checks
                    }
                    None => #check::required(violations, &path.field(#wire)),
                }
            },
            (true, false, false) => quote! {
                if let Some(value) = &self.#name {
                    let path = path.field(#wire);
                    #checks
                }
            },
        });
    }
    for group in &s.exclusive {
        let members: Vec<&Field> = group.members.iter().map(|&i| &s.fields[i]).collect();
        let wires = members.iter().map(|f| &f.wire);
        let set = members.iter().map(|f| {
            if all_optional || !f.required {
                let n = ident(&f.rust);
                quote!(self.#n.is_some())
            } else {
                quote!(true)
            }
        });
        body.extend(quote! {
            #check::exclusive(violations, path, &[#(#wires),*], &[#(#set),*]);
        });
    }
    body
}

/// `validate_at(&self, path, violations)` with `body`, or with unused parameters when the body
/// is empty. `only_recursion`: the body does nothing but validate members of the structure's
/// own type (clippy's `only_used_in_recursion` would flag the parameters).
fn validate_at(
    body: TokenStream,
    doc: &TokenStream,
    vis: &TokenStream,
    only_recursion: bool,
) -> TokenStream {
    let (path, violations) = if body.is_empty() {
        (quote!(_path), quote!(_violations))
    } else {
        (quote!(path), quote!(violations))
    };
    let allow = only_recursion.then(|| quote!(#[allow(clippy::only_used_in_recursion)]));
    quote! {
        #doc
        #allow
        #vis fn validate_at(&self, #path: &::crspec_runtime::Path<'_>, #violations: &mut ::crspec_runtime::Violations) {
            #body
        }
    }
}

/// Whether the only checks of the structure `id` are the validation of members of its own type
/// (a structure that holds a list of itself, and no constraint).
fn only_recursion(m: &Module, id: StructId) -> bool {
    /// `Some(true)` when `ty` has a check that is not a nested validation of `id`, `Some(false)`
    /// when its only check is one, `None` when it has none.
    fn other_checks(ty: &Ty, id: StructId) -> Option<bool> {
        match ty {
            Ty::Enum(_) => Some(true),
            Ty::Struct(s) => Some(*s != id),
            Ty::List(t) => other_checks(t, id),
            Ty::Map(k, _) if matches!(**k, Ty::Enum(_)) => Some(true),
            Ty::Map(_, v) => other_checks(v, id),
            _ => None,
        }
    }
    let s = m.structure(id);
    let mut recursion = false;
    for f in &s.fields {
        let constrained = f.length.is_some()
            || f.pattern.is_some()
            || f.range.is_some()
            || f.items.is_some()
            || (f.must_be_set && !f.required);
        match other_checks(&f.ty, id) {
            _ if constrained => return false,
            Some(true) => return false,
            Some(false) => recursion = true,
            None => {}
        }
    }
    recursion && s.exclusive.is_empty()
}

/// `validate()` and the public `validate_at` of the validated structure `id`.
pub(super) fn validate_fns(m: &Module, id: StructId) -> TokenStream {
    let s = m.structure(id);
    let validate_at = validate_at(
        validation_body(m, s, false),
        &quote! {
            /// Checks every constraint of the spec on this value, recording each violation under
            /// `path` (enclosing validators call this; most callers want `validate()`).
        },
        &quote!(pub),
        only_recursion(m, id),
    );
    quote! {
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
}

/// The private `validate_at` of a builder: the members set so far, missing required ones
/// included.
pub(super) fn builder_validate_at(m: &Module, s: &Struct) -> TokenStream {
    validate_at(
        validation_body(m, s, true),
        &quote! {
            /// Checks the members set so far (missing required members included).
        },
        &TokenStream::new(),
        false,
    )
}
