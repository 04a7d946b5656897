//! Patterns, compiled while generating: `PATTERNS`, and a static per pattern, either a small
//! automaton written out as a `match` or the automaton's tables.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::code;
use super::ident;
use crate::ir::{Module, Pattern};

/// `PATTERNS` and every pattern's static.
pub(super) fn patterns(m: &Module) -> TokenStream {
    let names = m.patterns.iter().map(|p| ident(&p.name));
    let statics = m.patterns.iter().map(pattern);
    quote! {
        /// Every pattern of this module's validators, in the order the spec first uses them: to
        /// check a value on its own, without building a request.
        pub static PATTERNS: &[&::crspec_runtime::Pattern] = &[#(&#names),*];
        #(#statics)*
    }
}

fn pattern(p: &Pattern) -> TokenStream {
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
                let classes = class_pattern(classes);
                quote!((#state, #classes) => #next,)
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
                ::crspec_runtime::__private::pattern_from_fn(#source, #function);
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
        static #name: ::crspec_runtime::Pattern = ::crspec_runtime::__private::pattern_from_tables(
            #source, #classes, #alphabet, #start, #wide, #table, #accept,
        );
    }
}

/// The classes of one move as a pattern: `3 | 7 | 9`, or `28..=35` when they are a run of
/// three or more (clippy's `manual_range_patterns`).
fn class_pattern(classes: &[u8]) -> TokenStream {
    let run = classes.len() >= 3
        && classes
            .windows(2)
            .all(|w| w[0].checked_add(1) == Some(w[1]));
    match (run, classes.first(), classes.last()) {
        (true, Some(&lo), Some(&hi)) => {
            let (lo, hi) = (Literal::u8_unsuffixed(lo), Literal::u8_unsuffixed(hi));
            quote!(#lo..=#hi)
        }
        _ => {
            let classes = classes.iter().map(|&c| Literal::u8_unsuffixed(c));
            quote!(#(#classes)|*)
        }
    }
}
