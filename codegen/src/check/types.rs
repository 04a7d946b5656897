//! Type expressions (`list<map<string, Image>>`): parsing, resolving against the shapes, and
//! how messages name a type.

use super::shapes::Shapes;
use super::words::{Hints, Keyword};
use crate::ir::{EnumId, StructId, TsFormat, Ty};

/// Primitive type names of the spec format.
pub const PRIMITIVES: &[&str] = &[
    "string",
    "shared_string",
    "short_string",
    "digest",
    "integer",
    "long",
    "double",
    "boolean",
    "timestamp",
];

/// Deepest nesting of `list<...>` / `map<...>` a type expression may have.
pub const MAX_TYPE_DEPTH: usize = 32;

/// A type expression before shape names are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TypeExpr {
    Named(String),
    List(Box<TypeExpr>),
    Map(Box<TypeExpr>, Box<TypeExpr>),
}

impl TypeExpr {
    /// Every shape name the expression mentions, pushed onto `out`.
    pub(super) fn collect_named(&self, out: &mut Vec<String>) {
        match self {
            TypeExpr::Named(n) => out.push(n.clone()),
            TypeExpr::List(t) => t.collect_named(out),
            TypeExpr::Map(k, v) => {
                k.collect_named(out);
                v.collect_named(out);
            }
        }
    }
}

/// What a shape name stands for, for resolving type expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Structure(StructId),
    Enum(EnumId),
    /// A shape whose `type` is wrong (already reported): references to it report nothing more.
    Broken,
}

/// The shape types: `structure` or `enum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ShapeType {
    Structure,
    Enum,
}

impl Keyword for ShapeType {
    const WHAT: &'static str = "shape type";
    const WORDS: &'static [(&'static str, Self)] = &[
        ("structure", ShapeType::Structure),
        ("enum", ShapeType::Enum),
    ];

    fn unknown(word: &str) -> String {
        format!("unknown shape type `{word}`; a shape is a `structure` or an `enum`")
    }
}

pub(super) fn parse_type(text: &str) -> Result<TypeExpr, String> {
    fn parse(s: &str, depth: usize) -> Result<(TypeExpr, &str), String> {
        if depth > MAX_TYPE_DEPTH {
            return Err(format!("types nest deeper than {MAX_TYPE_DEPTH} levels"));
        }
        let s = s.trim_start();
        let end = s
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(s.len());
        let (word, rest) = s.split_at(end);
        if word.is_empty() {
            return Err(match rest.chars().next() {
                Some(c) => format!("expected a type name, found `{c}`"),
                None => "expected a type name".into(),
            });
        }
        let rest = rest.trim_start();
        match word {
            // Other languages' names of list and map (`List<string>`, `Vec<string>`): the
            // format's own word, rather than "unexpected `<...>`".
            w if rest.starts_with('<') && list_or_map_alias(w).is_some() => {
                let ours = list_or_map_alias(w).unwrap_or("list");
                Err(format!(
                    "unknown type `{w}<...>`; did you mean `{ours}<...>`?"
                ))
            }
            "list" | "map" => {
                let Some(rest) = rest.strip_prefix('<') else {
                    return Err(format!("`{word}` needs its item types: `{word}<...>`"));
                };
                let (first, rest) = parse(rest, depth + 1)?;
                let (ty, rest) = if word == "map" {
                    let Some(rest) = rest.trim_start().strip_prefix(',') else {
                        return Err("`map` needs a key and a value type: `map<K, V>`".into());
                    };
                    let (value, rest) = parse(rest, depth + 1)?;
                    (TypeExpr::Map(Box::new(first), Box::new(value)), rest)
                } else {
                    (TypeExpr::List(Box::new(first)), rest)
                };
                let Some(rest) = rest.trim_start().strip_prefix('>') else {
                    return Err(format!("`{word}<` is not closed with `>`"));
                };
                Ok((ty, rest))
            }
            _ => Ok((TypeExpr::Named(word.to_owned()), rest)),
        }
    }
    let (ty, rest) = parse(text, 0)?;
    let rest = rest.trim();
    if rest.is_empty() {
        Ok(ty)
    } else {
        Err(format!("unexpected `{rest}` after the type"))
    }
}

/// The format's word for another language's name of a primitive (`int` → `integer`), for
/// hints: these are too far from the word for an edit-distance hint to find.
fn primitive_alias(word: &str) -> Option<&'static str> {
    Some(match word.to_ascii_lowercase().as_str() {
        "int" | "i32" | "int32" | "u32" | "uint" | "uint32" | "number" => "integer",
        "i64" | "int64" | "u64" | "uint64" | "bigint" => "long",
        "bool" => "boolean",
        "str" | "text" | "varchar" => "string",
        "float" | "f32" | "f64" | "float64" | "decimal" => "double",
        "datetime" | "date" | "time" | "instant" => "timestamp",
        // Only differently cased: `String`, `Integer`, `Boolean`, ...
        w @ ("string" | "integer" | "long" | "double" | "boolean" | "timestamp") if w != word => {
            match w {
                "string" => "string",
                "integer" => "integer",
                "long" => "long",
                "double" => "double",
                "boolean" => "boolean",
                _ => "timestamp",
            }
        }
        _ => return None,
    })
}

/// The format's `list` or `map` for another language's name of them (`List`, `Vec`, ...).
fn list_or_map_alias(word: &str) -> Option<&'static str> {
    match word {
        "List" | "Vec" | "Array" | "array" | "Seq" | "seq" | "Set" | "set" | "LIST" => Some("list"),
        "Map" | "HashMap" | "BTreeMap" | "Dict" | "dict" | "Record" | "MAP" => Some("map"),
        _ => None,
    }
}

/// The type `expr` stands for; an error message when it stands for none (empty when the
/// problem was reported where the shape is defined).
pub(super) fn resolve(
    expr: &TypeExpr,
    shapes: &Shapes,
    ts: Option<TsFormat>,
    hints: &mut Hints,
) -> Result<Ty, String> {
    Ok(match expr {
        TypeExpr::Named(n) => match n.as_str() {
            "string" => Ty::String,
            "shared_string" => Ty::SharedString,
            "short_string" => Ty::ShortString,
            "digest" => Ty::Digest,
            "integer" => Ty::Integer,
            "long" => Ty::Long,
            "double" => Ty::Double,
            "boolean" => Ty::Boolean,
            "timestamp" => Ty::Timestamp(ts.ok_or(
                "a `timestamp` needs a wire format: set `format` on the member \
                 (epoch_seconds, rfc3339 or text), or `timestamp_format` in `protocol`",
            )?),
            "list" | "map" => return Err(format!("`{n}` needs its item types: `{n}<...>`")),
            other => match shapes.kinds.get(other) {
                Some(Kind::Structure(id)) => Ty::Struct(*id),
                Some(Kind::Enum(id)) => Ty::Enum(*id),
                // Already reported where the shape is defined.
                Some(Kind::Broken) => return Err(String::new()),
                None => {
                    if let Some(ours) = primitive_alias(other) {
                        return Err(format!("unknown type `{other}`; did you mean `{ours}`?"));
                    }
                    let hint = shapes
                        .closest_type(hints, other)
                        .map(|c| format!("; did you mean `{c}`?"))
                        .unwrap_or_else(|| "; expected a primitive (string, shared_string, short_string, digest, integer, long, double, boolean, timestamp), list<T>, map<K, V> or a shape name".into());
                    return Err(format!("unknown type `{other}`{hint}"));
                }
            },
        },
        TypeExpr::List(t) => Ty::List(Box::new(resolve(t, shapes, ts, hints)?)),
        TypeExpr::Map(k, v) => {
            let key = resolve(k, shapes, ts, hints)?;
            if !matches!(key, Ty::String | Ty::Enum(_)) {
                return Err(format!(
                    "map keys are `string` or an enum, not {}",
                    TypeNames(shapes).label(&key)
                ));
            }
            Ty::Map(Box::new(key), Box::new(resolve(v, shapes, ts, hints)?))
        }
    })
}

pub(super) fn is_string_like(ty: &Ty) -> bool {
    matches!(ty, Ty::String | Ty::SharedString | Ty::ShortString)
}

pub(super) fn is_number(ty: &Ty) -> bool {
    matches!(ty, Ty::Integer | Ty::Long | Ty::Double)
}

/// Names types for messages, with the shapes' names.
pub(super) struct TypeNames<'a>(pub(super) &'a Shapes);

impl TypeNames<'_> {
    /// `string`, `list<ImageIdentifier>`, `structure ImageDetail`.
    pub(super) fn label(&self, ty: &Ty) -> String {
        match ty {
            Ty::String => "string".into(),
            Ty::SharedString => "shared_string".into(),
            Ty::ShortString => "short_string".into(),
            Ty::Digest => "digest".into(),
            Ty::Integer => "integer".into(),
            Ty::Long => "long".into(),
            Ty::Double => "double".into(),
            Ty::Boolean => "boolean".into(),
            Ty::Timestamp(_) => "timestamp".into(),
            Ty::List(t) => format!("list<{}>", self.expr(t)),
            Ty::Map(k, v) => format!("map<{}, {}>", self.expr(k), self.expr(v)),
            Ty::Struct(id) => format!("structure {}", self.0.structs[id.0]),
            Ty::Enum(id) => format!("enum {}", self.0.enums[id.0]),
        }
    }

    /// A type as a spec writes it (`list<ImageIdentifier>`).
    fn expr(&self, ty: &Ty) -> String {
        match ty {
            Ty::Struct(id) => self.0.structs[id.0].clone(),
            Ty::Enum(id) => self.0.enums[id.0].clone(),
            other => self.label(other),
        }
    }

    /// `a string`, `an integer`, `a structure ImageDetail`.
    pub(super) fn a(&self, ty: &Ty) -> String {
        let label = self.label(ty);
        let article = if label.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {label}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_expressions() {
        assert_eq!(parse_type("string"), Ok(TypeExpr::Named("string".into())));
        assert_eq!(
            parse_type(" map< K , list<V> > "),
            Ok(TypeExpr::Map(
                Box::new(TypeExpr::Named("K".into())),
                Box::new(TypeExpr::List(Box::new(TypeExpr::Named("V".into()))))
            ))
        );
        assert!(parse_type("list<").is_err());
        assert!(parse_type("list<a").is_err());
        assert!(parse_type("map<a>").is_err());
        assert!(parse_type("a b").is_err());
        assert!(parse_type("").is_err());
        let deep = format!("{}string{}", "list<".repeat(40), ">".repeat(40));
        assert!(parse_type(&deep).unwrap_err().contains("deeper"));
    }
}
