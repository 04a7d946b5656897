//! `include_spec!`: the crspec generator as a proc-macro, for crates with their own specs.
//!
//! ```
//! // In a downstream crate this is `include_spec!("specs/my_registry.yaml")`; here, the made-up
//! // registry of the workspace's downstream example. It expands to `pub mod acme { ... }`:
//! // exactly the module `crspec generate` writes for that spec.
//! crspec_macros::include_spec!("../../examples/downstream/specs/acme.yaml");
//!
//! let request = acme::ListArtifactsRequest::builder()
//!     .project("team-a")
//!     .repository("web/app")
//!     .build()
//!     .expect("a valid request");
//! assert_eq!(request.project, "team-a");
//! let missing = acme::ListArtifactsRequest::builder().project("team-a").build().unwrap_err();
//! assert_eq!(missing.to_string(), "repository: required member is missing");
//! ```
//!
//! The path is relative to the calling crate's `CARGO_MANIFEST_DIR`. The calling crate is rebuilt
//! when the spec changes (the expansion `include_str!`s it). Generated code refers to its runtime
//! support as `::crspec_runtime` (serde and time are re-exported there), so a crate that uses this
//! macro depends on `crspec-macros` and `crspec-runtime` only.
//!
//! A spec with problems becomes one `compile_error!` per problem, at the macro's string literal,
//! each carrying `file:line:col`, the path inside the spec and the spec's offending line.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// Expands to the module that `crspec generate` writes for the spec at the given path (relative
/// to the calling crate's `CARGO_MANIFEST_DIR`): `pub mod <provider.id> { ... }`.
///
/// A path not found there is looked up next to the source file that calls the macro (as
/// `include_str!` does), which is what tools that build a crate elsewhere (trybuild) need.
#[proc_macro]
pub fn include_spec(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let mut bases = Vec::new();
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        bases.push(PathBuf::from(dir));
    }
    if let Some(dir) = proc_macro::Span::call_site()
        .local_file()
        .and_then(|f| f.parent().map(Path::to_path_buf))
    {
        bases.push(dir);
    }
    expand(input.into(), &bases).into()
}

/// The expansion, with the folders that relative paths start from, tried in order.
fn expand(input: TokenStream, bases: &[PathBuf]) -> TokenStream {
    let literal: syn::LitStr = match syn::parse2(input) {
        Ok(l) => l,
        Err(e) => {
            return syn::Error::new(
                e.span(),
                "expected the path of a spec, relative to CARGO_MANIFEST_DIR: include_spec!(\"specs/x.yaml\")",
            )
            .to_compile_error();
        }
    };
    let relative = literal.value();
    let span = literal.span();
    let path = bases
        .iter()
        .map(|b| b.join(&relative))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            bases
                .first()
                .map_or_else(|| PathBuf::from(&relative), |b| b.join(&relative))
        });
    let error = |message: String| {
        quote::quote_spanned!(span=> ::core::compile_error!(#message);)
            .into_iter()
            .collect::<TokenStream>()
    };
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                return error(format!(
                    "{relative}:1:1: the spec is not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ));
            }
        },
        Err(e) => return error(format!("cannot read spec {}: {e}", path.display())),
    };
    match crspec_codegen::generate_tokens(&relative, &text) {
        Ok((module, tokens)) => {
            let module = proc_macro2::Ident::new(&module, Span::call_site());
            let tracked = path.to_string_lossy().into_owned();
            quote! {
                pub mod #module {
                    #tokens

                    // Rebuild the calling crate when the spec changes.
                    const _: &str = include_str!(#tracked);
                }
            }
        }
        Err(diagnostics) => diagnostics
            .0
            .iter()
            .map(|d| {
                let rendered = crspec_codegen::diag::render(std::slice::from_ref(d), &text, false);
                // The rendering's own title repeats the message: keep its snippet only.
                let snippet = rendered.trim_end().split_once('\n').map_or("", |(_, s)| s);
                error(format!("{d}\n{snippet}"))
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// The macro expands to exactly the module `crspec generate` wrote for each provider.
    #[test]
    fn expansion_is_the_generated_module() {
        let mut seen = 0;
        for file in crspec_codegen::files::spec_files(&workspace().join("specs")).unwrap() {
            let name = crspec_codegen::files::display_path(&workspace(), &file);
            let expanded = expand(quote!(#name), &[workspace()]);
            let expanded: syn::ItemMod = syn::parse2(expanded).unwrap();
            let (_, mut items) = expanded.content.unwrap();
            let tracker = items.pop().unwrap();
            assert!(quote!(#tracker).to_string().contains("include_str"));

            let module = expanded.ident.to_string();
            let written =
                std::fs::read_to_string(workspace().join(format!("generated/{module}.rs")))
                    .unwrap();
            // Compare as formatted files: `///` docs in `quote!` are raw strings, while a
            // parsed file has plain ones, so token strings would differ in form only.
            let ours = prettyplease::unparse(&syn::File {
                shebang: None,
                frontmatter: None,
                attrs: expanded.attrs.clone(),
                items,
            });
            let theirs = written.split_once('\n').map_or("", |(_, body)| body);
            assert_eq!(ours, theirs, "{module}");
            seen += 1;
        }
        assert_eq!(seen, 4);
    }

    #[test]
    fn problems_become_compile_errors_at_the_literal() {
        let dir = [workspace().join("codegen/tests")];
        let out = expand(quote!("bad/combined_three_faults.yaml"), &dir).to_string();
        assert_eq!(out.matches("compile_error").count(), 3, "{out}");
        assert!(
            out.contains(
                "bad/combined_three_faults.yaml:5:9: crspec: unsupported format version 2"
            ),
            "{out}"
        );
        assert!(out.contains("5 | crspec: 2"), "{out}");
        let out = expand(quote!("does/not/exist.yaml"), &dir).to_string();
        assert!(out.contains("cannot read spec"), "{out}");
        let out = expand(quote!(not_a_string), &dir).to_string();
        assert!(out.contains("expected the path of a spec"), "{out}");
    }
}
