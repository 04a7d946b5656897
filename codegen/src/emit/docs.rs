//! Documentation of generated items: provider text made safe for rustdoc, generated lines, and
//! the module's own docs.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Field, Location, Module};

/// Characters that must not reach a comment of the generated source: control characters, and
/// the Unicode bidirectional formatting characters that rustc's deny-by-default
/// `text_direction_codepoint_in_comment` lint rejects (they can make code read other than it
/// compiles).
pub(super) fn unsafe_in_source(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` without the characters of [`unsafe_in_source`].
fn safe(text: &str) -> String {
    text.chars().filter(|&c| !unsafe_in_source(c)).collect()
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
pub(super) fn doc_attrs(spec_text: &str, generated: &[String]) -> TokenStream {
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
        let l = safe(l);
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

/// Inline code for arbitrary text: a code span, whose text Markdown leaves as it is (no link,
/// no HTML). Text with backticks is fenced by a longer run of them, and padded with a space
/// that Markdown removes (CommonMark code spans).
pub(super) fn code(text: &str) -> String {
    let clean = safe(text);
    if clean.is_empty() {
        return "`\"\"`".into();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in clean.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    if longest == 0 {
        format!("`{clean}`")
    } else {
        let fence = "`".repeat(longest + 1);
        format!("{fence} {clean} {fence}")
    }
}

/// The generated lines that document a member's constraints.
pub(super) fn constraint_docs(m: &Module, f: &Field) -> String {
    let mut parts = Vec::new();
    if f.must_be_set {
        parts.push("Required.".to_owned());
    }
    if let Some(b) = f.length {
        parts.push(format!("Length: {b} characters."));
    }
    if let Some(b) = f.range {
        parts.push(format!("Range: {b}."));
    }
    if let Some(b) = f.items {
        parts.push(format!("Items: {b}."));
    }
    if let Some(p) = f.pattern {
        parts.push(format!(
            "Pattern (whole value): {}.",
            code(&m.pattern(p).source)
        ));
    }
    if let Some(d) = &f.default {
        parts.push(format!(
            "Default when absent: {}.",
            code(&d.to_string().trim_matches('"').replace("\\\"", "\""))
        ));
    }
    match f.location {
        Location::Body => {}
        l @ (Location::Query | Location::Path) => {
            parts.push(format!("Sent in the {}.", l.as_str()));
        }
        Location::Header => parts.push(format!("In the HTTP header {}.", code(&f.wire))),
        Location::Payload => parts.push("The whole response body.".to_owned()),
    }
    parts.join(" ")
}

/// The module's inner `#![doc]` attributes: what it is, the spec's docs, and the sources.
pub(super) fn module_docs(m: &Module) -> TokenStream {
    // The provider's name and version are spec text: made safe as its docs are (a `[x]: url`
    // in a name would be a Markdown link definition, `[x]` an intra-doc link).
    let mut docs = vec![format!(
        "Typed, validated bindings of the {} API (version {}), generated by crspec from `{}`.",
        clean_doc_text(&m.name),
        clean_doc_text(&m.api_version),
        m.file.replace('`', "")
    )];
    docs.extend(paragraphs(&m.docs));
    docs.push("Sources of the spec's facts:".to_owned());
    let mut attrs = TokenStream::new();
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            attrs.extend(quote!(#![doc = ""]));
        }
        let d = format!(" {}", safe(d));
        attrs.extend(quote!(#![doc = #d]));
    }
    // By title, linked where the source is on the web; a document of the spec's own repository
    // (a seed file) is named, not linked: its path means nothing to a reader of the docs.
    for s in &m.sources {
        let title = clean_doc_text(&s.title);
        let web = (s.location.starts_with("https://") || s.location.starts_with("http://"))
            && !s
                .location
                .chars()
                .any(|c| c.is_whitespace() || matches!(c, '<' | '>' | '`'));
        let line = if web {
            format!(" - {title}: <{}>", s.location)
        } else {
            format!(" - {title}")
        };
        let line = safe(&line);
        attrs.extend(quote!(#![doc = #line]));
    }
    attrs
}

/// String literals keep spec values exactly (wire names, codes, enum values), but a raw
/// bidirectional formatting character in a literal is a deny-by-default rustc lint
/// (`text_direction_codepoint_in_literal`): write each as its `\u{..}` escape, the same value.
pub(super) fn escape_bidi_in_literals(tokens: TokenStream) -> TokenStream {
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
