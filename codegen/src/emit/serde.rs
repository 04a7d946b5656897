//! `Serialize` and `Deserialize` of structures, written out rather than derived: a crate that
//! uses generated code then builds neither `serde_derive` nor `syn`, and member names are matched
//! as bytes (`crspec_runtime::__private::structs`). Optional members are skipped when unset and read as
//! absent when missing or `null`; a required member that is missing is an error; a member that
//! appears twice keeps its last value; unknown members are skipped.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::ident;
use crate::ir::{Module, Struct, Ty};

/// Both impls of `s`.
pub(super) fn serde_impls(m: &Module, s: &Struct) -> TokenStream {
    let serialize = serialize(s);
    let deserialize = if s.reads_in_place() {
        deserialize_in_place(m, s)
    } else {
        deserialize_from_locals(s)
    };
    quote!(#serialize #deserialize)
}

fn serialize(s: &Struct) -> TokenStream {
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
            quote!(#rt::__private::structs::optional_field(&mut out, #wire, self.#member.as_ref())?;)
        }
    });
    let out_binding = if s.fields.is_empty() {
        quote!(out)
    } else {
        quote!(mut out)
    };
    quote! {
        impl #rt::serde::Serialize for #name {
            fn serialize<__S: #rt::serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                let #out_binding = serializer.serialize_struct(#type_name, #rt::__private::structs::count(#required, &[#(#set),*]))?;
                #(#writes)*
                #rt::serde::ser::SerializeStruct::end(out)
            }
        }
    }
}

/// `Deserialize` for a structure with required members (or none): members are read into
/// locals, then the structure is built from them, naming a required member that is missing.
fn deserialize_from_locals(s: &Struct) -> TokenStream {
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
    let arms = locals.iter().enumerate().map(|(i, local)| {
        let i = Literal::usize_unsuffixed(i);
        quote!(#i => #rt::__private::structs::value(&mut map, &mut #local)?,)
    });
    let finish = s
        .fields
        .iter()
        .zip(&members)
        .zip(&locals)
        .map(|((f, member), local)| {
            let wire = &f.wire;
            if f.required {
                quote!(#member: #rt::__private::structs::required(#local, #wire)?,)
            } else {
                quote!(#member: #local.flatten(),)
            }
        });
    let lets = locals.iter().map(|local| quote!(let mut #local = None;));
    let read = if s.fields.is_empty() {
        quote! {
            while #rt::__private::structs::key::<Self, _>(&mut map)?.is_some() {
                #rt::__private::structs::skip(&mut map)?;
            }
        }
    } else {
        quote! {
            while let Some(index) = #rt::__private::structs::key::<Self, _>(&mut map)? {
                match index {
                    #(#arms)*
                    _ => #rt::__private::structs::skip(&mut map)?,
                }
            }
        }
    };
    let member_index = member_index(s, &quote!(__Visitor));
    quote! {
        impl<'de> #rt::serde::Deserialize<'de> for #name {
            fn deserialize<__D: #rt::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                const MEMBERS: &[&str] = &[#(#wires),*];

                struct __Visitor;

                #member_index

                impl<'de> #rt::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<__A: #rt::serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<#name, __A::Error> {
                        #(#lets)*
                        #read
                        Ok(#name {
                            #(#finish)*
                        })
                    }
                }

                deserializer.deserialize_struct(#type_name, MEMBERS, __Visitor)
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
            impl #rt::__private::structs::MemberIndex for #visitor {
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
        impl #rt::__private::structs::MemberIndex for #visitor {
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

/// `Deserialize` with `deserialize_in_place` for a structure whose members are all optional:
/// members are read straight into the fields of the value being built, and the items of a
/// list of such structures straight into the list, rather than built on the stack and moved
/// (serde moves a returned structure several times on its way into a `Vec`, and the copies
/// grow with the structure). A member that appears twice keeps its last value; one that does
/// not appear is `None`, whatever the place held before.
fn deserialize_in_place(m: &Module, s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let type_name = &s.name;
    let expecting = format!("struct {}", s.name);
    let rt = quote!(::crspec_runtime);
    let wires: Vec<&str> = s.fields.iter().map(|f| f.wire.as_str()).collect();
    let count = Literal::usize_unsuffixed(s.fields.len());
    let member_index = member_index(s, &quote!(__Visitor<'_>));
    let in_place = |ty: &Ty| matches!(ty, Ty::Struct(id) if m.structure(*id).reads_in_place());
    let arms = s.fields.iter().enumerate().map(|(i, f)| {
        let member = ident(&f.rust);
        let index = Literal::usize_unsuffixed(i);
        let read = match &f.ty {
            Ty::List(item) if in_place(item) => quote!(list_in_place),
            ty if in_place(ty) => quote!(structure_in_place),
            _ => quote!(optional_in_place),
        };
        quote!(#index => #rt::__private::structs::#read(&mut map, &mut place.#member, &mut seen[#index])?,)
    });
    let resets = s.fields.iter().enumerate().map(|(i, f)| {
        let member = ident(&f.rust);
        let index = Literal::usize_unsuffixed(i);
        quote!(if !seen[#index] { place.#member = None; })
    });
    quote! {
        impl<'de> #rt::serde::Deserialize<'de> for #name {
            fn deserialize<__D: #rt::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                let mut value = Self::default();
                Self::deserialize_in_place(deserializer, &mut value)?;
                Ok(value)
            }

            fn deserialize_in_place<__D: #rt::serde::Deserializer<'de>>(deserializer: __D, place: &mut Self) -> Result<(), __D::Error> {
                const MEMBERS: &[&str] = &[#(#wires),*];

                struct __Visitor<'a>(&'a mut #name);

                #member_index

                impl<'de> #rt::serde::de::Visitor<'de> for __Visitor<'_> {
                    type Value = ();

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<__A: #rt::serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<(), __A::Error> {
                        let place = self.0;
                        let mut seen = [false; #count];
                        while let Some(index) = #rt::__private::structs::key::<Self, _>(&mut map)? {
                            match index {
                                #(#arms)*
                                _ => #rt::__private::structs::skip(&mut map)?,
                            }
                        }
                        #(#resets)*
                        Ok(())
                    }
                }

                deserializer.deserialize_struct(#type_name, MEMBERS, __Visitor(place))
            }
        }
    }
}
