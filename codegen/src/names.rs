//! Rust names: case conversion and what may not be used as a name.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions up to 2024), which cannot be plain names.
pub const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Type names the generated code uses unqualified; a shape of that name would shadow them.
pub const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "Fn",
    "FnMut",
    "FnOnce",
    "Drop",
    "AsRef",
    "AsMut",
];

/// `true` for a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// `true` when `name` is a plain identifier: a letter or `_` first, then letters, digits, `_`
/// (ASCII, so that generated names are easy to type), and not `_` alone.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    name != "_" && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The Rust field name of a wire name: `imageSizeMB` → `image_size_mb`.
pub fn field_name(wire: &str) -> String {
    wire.to_snake_case()
}

/// The Rust type or variant name of a wire name: `IN_PROGRESS` → `InProgress`.
pub fn type_name(wire: &str) -> String {
    wire.to_upper_camel_case()
}

/// The SCREAMING_SNAKE_CASE form of a name, for constants.
pub fn const_name(name: &str) -> String {
    heck::ToShoutySnakeCase::to_shouty_snake_case(name)
}

/// Why `name` cannot be a Rust name, if it cannot.
pub fn problem(name: &str) -> Option<String> {
    if is_keyword(name) {
        Some(format!("`{name}` is a Rust keyword"))
    } else if name.is_empty() {
        Some("the name is empty after case conversion".into())
    } else if !is_identifier(name) {
        Some(format!(
            "`{name}` is not a Rust identifier (ASCII letters, digits and `_`, not starting with a digit)"
        ))
    } else {
        None
    }
}

/// The edit distance between two short strings (for "did you mean" hints).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate to `name`, if one is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (distance(name, c), c))
        .filter(|&(d, c)| d <= (c.chars().count() / 3).max(1))
        // Ties go to the first name in byte order, so that the hint never depends on the
        // order candidates come in (a hash map's).
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(field_name("imageSizeMB"), "image_size_mb");
        assert_eq!(field_name("imageID"), field_name("imageId"));
        assert_eq!(field_name("RegistryId"), "registry_id");
        assert_eq!(type_name("IN_PROGRESS"), "InProgress");
        assert_eq!(type_name("InternalError.DbError"), "InternalErrorDbError");
        assert_eq!(const_name("pageSize"), "PAGE_SIZE");
    }

    #[test]
    fn problems() {
        assert!(problem("type").is_some());
        assert!(problem("1abc").is_some());
        assert!(problem("").is_some());
        assert!(problem("_").is_some());
        assert!(problem("image_id").is_none());
        assert_eq!(
            closest("ImageDetial", ["ImageDetail", "Filter"]),
            Some("ImageDetail")
        );
        assert_eq!(closest("Zzz", ["ImageDetail"]), None);
    }
}
