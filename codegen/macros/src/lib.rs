//! `include_spec!`: the crspec generator as a proc-macro, for crates with their own specs.
//!
//! ```
//! // In a downstream crate this is `include_spec!("specs/my_registry.yaml")`; here, the made-up
//! // registry of the workspace's downstream example. It expands to `pub mod acme { ... }`:
//! // exactly the module `crspec generate` writes for that spec.
//! crspec_macros::include_spec!("../../examples/downstream/specs/acme.yaml");
//!
//! // That spec's `generation` settings put a type of the calling crate's, `crate::Labels`,
//! // where its `Labels` shape would be generated: the type implements `Debug`, `Clone`,
//! // `PartialEq` and serde's two traits.
//! #[derive(Debug, Clone, PartialEq)]
//! pub struct Labels(std::collections::BTreeMap<String, String>);
//! # impl crspec_runtime::serde::Serialize for Labels {
//! #     fn serialize<S: crspec_runtime::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
//! #         self.0.serialize(s)
//! #     }
//! # }
//! # impl<'de> crspec_runtime::serde::Deserialize<'de> for Labels {
//! #     fn deserialize<D: crspec_runtime::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
//! #         std::collections::BTreeMap::deserialize(d).map(Self)
//! #     }
//! # }
//!
//! fn main() {
//!     let request = acme::ListArtifactsRequest::builder()
//!         .project("team-a")
//!         .repository("web/app")
//!         .build()
//!         .expect("a valid request");
//!     assert_eq!(request.project, "team-a");
//!     let missing = acme::ListArtifactsRequest::builder().project("team-a").build().unwrap_err();
//!     assert_eq!(missing.to_string(), "repository: required member is missing");
//! }
//! ```
//!
//! The path is relative to the calling crate's `CARGO_MANIFEST_DIR`. The calling crate is rebuilt
//! when the spec changes (the expansion `include_str!`s it). Generated code refers to its runtime
//! support as `::crspec_runtime` (serde and time are re-exported there), so a crate that uses this
//! macro depends on `crspec-macros` and `crspec-runtime` only; or on `crspec` alone, with its
//! `macros` feature, through `crspec::include_spec!`, which names the runtime as
//! `crspec::runtime` (`include_spec!("x.yaml", runtime = crspec::runtime)` does that by hand).
//! A crate whose `Cargo.toml` names neither `crspec-runtime` nor `crspec` gets one error that
//! says which line to add, not one error per use of the runtime.
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

/// The macro's input: the spec's path, and the path generated code names the runtime by.
struct Input {
    literal: syn::LitStr,
    runtime: Option<TokenStream>,
}

impl syn::parse::Parse for Input {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let literal = input.parse()?;
        let mut runtime = None;
        if input.parse::<Option<syn::Token![,]>>()?.is_some() && !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            if key != "runtime" {
                return Err(syn::Error::new(key.span(), "expected `runtime = path`"));
            }
            input.parse::<syn::Token![=]>()?;
            // Any path, `$crate::runtime` from a `macro_rules!` wrapper included: kept as tokens.
            runtime = Some(input.parse::<TokenStream>()?);
        }
        Ok(Self { literal, runtime })
    }
}

/// `tokens` with every `::crspec_runtime` replaced by `runtime`.
fn with_runtime(tokens: TokenStream, runtime: &TokenStream) -> TokenStream {
    use proc_macro2::{Group, TokenTree};
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < trees.len() {
        if let [
            TokenTree::Punct(a),
            TokenTree::Punct(b),
            TokenTree::Ident(name),
            ..,
        ] = &trees[i..]
            && a.as_char() == ':'
            && b.as_char() == ':'
            && name == "crspec_runtime"
        {
            out.extend(runtime.clone());
            i += 3;
            continue;
        }
        match &trees[i] {
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), with_runtime(g.stream(), runtime));
                group.set_span(g.span());
                out.extend([TokenTree::Group(group)]);
            }
            other => out.extend([other.clone()]),
        }
        i += 1;
    }
    out
}

/// The error for a crate that names no runtime among its dependencies, if that is so: generated
/// code would fail at every use of `::crspec_runtime`; one error saying which line to add reads
/// better. A manifest that cannot be read says nothing.
fn missing_runtime(bases: &[PathBuf]) -> Option<String> {
    let manifest = std::fs::read_to_string(bases.first()?.join("Cargo.toml")).ok()?;
    // A dependency line's key (`crspec-runtime = ...`, `crspec.workspace = true`) or table
    // (`[dependencies.crspec-runtime]`, as trybuild writes them).
    let names = |line: &str, name: &str| {
        let line = line.trim_start();
        line.strip_prefix(name)
            .is_some_and(|rest| rest.trim_start().starts_with(['=', '.']))
            || (line.starts_with('[') && line.contains(&format!(".{name}]")))
    };
    let depends = manifest
        .lines()
        .any(|line| names(line, "crspec-runtime") || names(line, "crspec"));
    (!depends).then(|| {
        "include_spec!: generated code needs the crspec runtime, and this crate does not depend \
         on it: add `crspec-runtime = \"0.1\"` to [dependencies] (or depend on `crspec` with \
         `features = [\"macros\"]` and call `crspec::include_spec!`)"
            .to_owned()
    })
}

/// The expansion, with the folders that relative paths start from, tried in order.
fn expand(input: TokenStream, bases: &[PathBuf]) -> TokenStream {
    let Input { literal, runtime } = match syn::parse2(input) {
        Ok(l) => l,
        Err(e) => {
            return syn::Error::new(
                e.span(),
                "expected the path of a spec, relative to CARGO_MANIFEST_DIR, and optionally the \
                 runtime's path: include_spec!(\"specs/x.yaml\") or \
                 include_spec!(\"specs/x.yaml\", runtime = crspec::runtime)",
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
        Ok(_) if runtime.is_none() && missing_runtime(bases).is_some() => {
            error(missing_runtime(bases).unwrap_or_default())
        }
        Ok((module, tokens)) => {
            let tokens = match &runtime {
                Some(path) => with_runtime(tokens, path),
                None => tokens,
            };
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
        assert_eq!(seen, 5, "one expansion per spec in specs/");
    }

    /// The `generation` settings of a spec reach the expansion exactly as they reach the
    /// module `crspec generate` writes: the downstream example's spec, expanded, is
    /// `crspec_codegen::generate`'s module (which `codegen/tests/cli.rs` holds the CLI to), with
    /// each setting in it.
    #[test]
    fn expansion_honours_the_generation_settings() {
        let file = "specs/acme.yaml";
        let base = workspace().join("examples/downstream");
        let text = std::fs::read_to_string(base.join(file)).unwrap();
        let expanded = expand(quote!(#file), std::slice::from_ref(&base));
        let expanded: syn::ItemMod = syn::parse2(expanded).unwrap();
        let (_, mut items) = expanded.content.unwrap();
        items.pop(); // the spec tracker
        let ours = prettyplease::unparse(&syn::File {
            shebang: None,
            frontmatter: None,
            attrs: expanded.attrs.clone(),
            items,
        });
        let generated = crspec_codegen::generate(file, &text).unwrap().code;
        let theirs = generated.split_once('\n').map_or("", |(_, body)| body);
        assert_eq!(ours, theirs);
        for setting in [
            "pub struct ArtifactPage {",
            "pub struct ArtifactPageBuilder {",
            "#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]\n#[non_exhaustive]\n#[doc(alias = \"image\")]\npub struct Artifact {",
            "pub pushed_at: Option<::crspec_runtime::Rfc3339>,",
            "pub labels: Option<crate::Labels>,",
        ] {
            assert!(ours.contains(setting), "{setting}\nnot in\n{ours}");
        }
        for gone in [
            "pub struct ListArtifactsResponse",
            "pub struct Labels",
            "pub pushed:",
        ] {
            assert!(!ours.contains(gone), "{gone} in\n{ours}");
        }
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
