//! Emits the Rust module of a checked IR: `quote!` → `TokenStream` (then `prettyplease`, in
//! `lib.rs`).
//!
//! One file per kind of generated item:
//!
//! | file | emits |
//! |---|---|
//! | `docs.rs` | documentation: provider text made safe, constraint lines, module docs |
//! | `types.rs` | structures, builders, enums, default constants |
//! | `serde.rs` | `Serialize` and `Deserialize` of structures |
//! | `validate.rs` | `validate` and `validate_at` |
//! | `operation.rs` | operation types, error enums, the wire items (`PROTOCOL`, `WIRE`, `to_http`, `parse_response`) |
//! | `paging.rs` | the paging constants and `Paginated` |
//! | `summary.rs` | `summaries`, the cross-provider view of a page |
//! | `patterns.rs` | compiled patterns |
//!
//! Emitters write into a [`Sink`] that keeps each generated type's items together, whichever
//! emitter made them: an input structure's `to_http` (an operation's) sits in the structure's
//! one inherent `impl`, beside its builder and validators.

mod docs;
mod operation;
mod paging;
mod patterns;
mod serde;
mod summary;
mod types;
mod validate;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Module, StructId};

/// An identifier of the generated code (the checker made every name a valid one).
fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The items of one generated type, gathered from every emitter, written out together.
#[derive(Default)]
struct TypeItems {
    /// The type's name.
    name: String,
    /// Its definition: docs, derives, members or variants.
    definition: TokenStream,
    /// The items of its one inherent `impl`.
    inherent: TokenStream,
    /// Its trait impls.
    traits: TokenStream,
    /// Companion types and their impls (a builder, an error enum).
    companions: TokenStream,
}

impl TypeItems {
    fn new(name: &str) -> Self {
        TypeItems {
            name: name.to_owned(),
            ..TypeItems::default()
        }
    }

    fn write(self, out: &mut TokenStream) {
        let TypeItems {
            name,
            definition,
            inherent,
            traits,
            companions,
        } = self;
        // Nothing was emitted for it (a replaced type).
        if definition.is_empty() && inherent.is_empty() {
            return;
        }
        out.extend(definition);
        if !inherent.is_empty() {
            let name = ident(&name);
            out.extend(quote!(impl #name { #inherent }));
        }
        out.extend(traits);
        out.extend(companions);
    }
}

/// Where the emitters put the module's items, in the order of the generated file: the
/// provider's constants, then each operation, structure and enum with everything that belongs
/// to it, then the patterns.
struct Sink {
    header: TokenStream,
    operations: Vec<TypeItems>,
    structs: Vec<TypeItems>,
    enums: Vec<TokenStream>,
    patterns: TokenStream,
}

impl Sink {
    /// The items of the structure `id`.
    fn structure(&mut self, id: StructId) -> &mut TypeItems {
        &mut self.structs[id.0]
    }

    fn finish(self) -> TokenStream {
        let mut out = self.header;
        for items in self.operations.into_iter().chain(self.structs) {
            items.write(&mut out);
        }
        out.extend(self.enums);
        out.extend(self.patterns);
        out
    }
}

/// The module's items as tokens (inner attributes and docs included).
pub(crate) fn module_tokens(m: &Module) -> TokenStream {
    let mut sink = Sink {
        header: header(m),
        operations: Vec::with_capacity(m.operations.len()),
        structs: m.structs.iter().map(|s| TypeItems::new(&s.name)).collect(),
        // A type the spec's settings replace with the user's own is not generated.
        enums: m
            .enums
            .iter()
            .filter(|e| e.extra.replace.is_none())
            .map(types::enumeration)
            .collect(),
        patterns: patterns::patterns(m),
    };
    for (i, s) in m.structs.iter().enumerate() {
        if s.extra.replace.is_none() {
            types::structure(m, StructId(i), s, sink.structure(StructId(i)));
        }
    }
    for op in &m.operations {
        operation::operation(m, op, &mut sink);
    }
    docs::escape_bidi_in_literals(sink.finish())
}

/// The module's docs and attributes, and the provider's constants.
fn header(m: &Module) -> TokenStream {
    let docs = docs::module_docs(m);
    let api_version = &m.api_version;
    let endpoint = &m.protocol.endpoint;
    let provider = &m.name;
    let protocol = operation::protocol_const(m);
    quote! {
        #docs
        #![forbid(unsafe_code)]

        /// The provider's name.
        pub const PROVIDER: &str = #provider;
        /// The API version this module was generated from.
        pub const API_VERSION: &str = #api_version;
        /// The endpoint template; `{region}` stands for the region.
        pub const ENDPOINT: &str = #endpoint;
        #protocol
    }
}
