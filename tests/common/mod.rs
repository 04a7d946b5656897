//! Shared by the integration tests: the specs' IR, a validator per provider, and requests
//! built from the IR with values chosen to satisfy (or break) one constraint at a time.
#![allow(dead_code)]

use std::path::Path;

use crspec_codegen::ir::{Bounds, Field, Module, Struct, Tables, Ty};
use crspec_runtime::ValidationError;
use serde_json::{Value, json};

pub type Validate = fn(Value) -> Result<Result<(), ValidationError>, serde_json::Error>;

/// The `validate` of the input structure `input` of provider `module`.
pub fn validator(module: &str, input: &str) -> Validate {
    fn run<T: serde::de::DeserializeOwned>(
        value: Value,
        validate: fn(&T) -> Result<(), ValidationError>,
    ) -> Result<Result<(), ValidationError>, serde_json::Error> {
        serde_json::from_value::<T>(value).map(|v| validate(&v))
    }
    match (module, input) {
        ("ecr", "DescribeImagesRequest") => {
            |v| run(v, crspec::ecr::DescribeImagesRequest::validate)
        }
        ("ecr_public", "DescribeImagesRequest") => {
            |v| run(v, crspec::ecr_public::DescribeImagesRequest::validate)
        }
        ("tcr", "DescribeImagesRequest") => {
            |v| run(v, crspec::tcr::DescribeImagesRequest::validate)
        }
        ("jdcloud", "DescribeImagesRequest") => {
            |v| run(v, crspec::jdcloud::DescribeImagesRequest::validate)
        }
        ("oci", "ListTagsRequest") => |v| run(v, crspec::oci::ListTagsRequest::validate),
        ("oci", "CatalogRequest") => |v| run(v, crspec::oci::CatalogRequest::validate),
        ("oci", "HeadManifestRequest") => |v| run(v, crspec::oci::HeadManifestRequest::validate),
        ("oci", "GetManifestRequest") => |v| run(v, crspec::oci::GetManifestRequest::validate),
        other => panic!("no validator registered for {other:?}"),
    }
}

/// The generated `PATTERNS` of a provider's module.
pub fn patterns(module: &str) -> &'static [&'static crspec_runtime::Pattern] {
    match module {
        "ecr" => crspec::ecr::PATTERNS,
        "ecr_public" => crspec::ecr_public::PATTERNS,
        "tcr" => crspec::tcr::PATTERNS,
        "jdcloud" => crspec::jdcloud::PATTERNS,
        "oci" => crspec::oci::PATTERNS,
        other => panic!("no patterns registered for module `{other}`"),
    }
}

pub fn modules() -> Vec<Module> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    crspec_codegen::files::generate_dir(root, Path::new("specs"), Path::new("generated"))
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|o| o.generated.ir)
        .collect()
}

/// A printable-ASCII string of exactly `len` characters that the pattern accepts (or rejects).
pub fn string_of_len(tables: Option<&Tables>, len: usize, accepted: bool) -> Option<String> {
    let Some(t) = tables else {
        return accepted.then(|| "a".repeat(len));
    };
    let bytes: Vec<u8> = (b'a'..=b'z')
        .chain(b'0'..=b'9')
        .chain(0x20..=0x7e)
        .collect();
    let states = t.accept.len();
    let next = |s: usize, b: u8| {
        usize::from(t.table[s * t.alphabet_len + usize::from(t.classes[usize::from(b)])])
    };
    // good[k][s]: from s, some k more bytes end where the wanted outcome holds.
    let mut good = vec![
        (0..states)
            .map(|s| t.accept[s] == accepted)
            .collect::<Vec<bool>>(),
    ];
    for k in 1..=len {
        let prev = &good[k - 1];
        let row = (0..states)
            .map(|s| bytes.iter().any(|&b| prev[next(s, b)]))
            .collect();
        good.push(row);
    }
    let mut s = usize::from(t.start);
    if !good[len][s] {
        return None;
    }
    let mut out = String::new();
    for k in (1..=len).rev() {
        let b = *bytes.iter().find(|&&b| good[k - 1][next(s, b)])?;
        out.push(char::from(b));
        s = next(s, b);
    }
    Some(out)
}

/// The shortest string within `length` bounds (at least one character) that the pattern accepts
/// (or rejects).
pub fn string_in_bounds(
    tables: Option<&Tables>,
    length: Option<Bounds<u64>>,
    accepted: bool,
) -> Option<String> {
    let (lo, hi) = length.map_or((None, None), |b| (b.min, b.max));
    let lo = usize::try_from(lo.unwrap_or(1).max(1)).unwrap();
    let hi = usize::try_from(hi.unwrap_or(u64::MAX).min(lo as u64 + 512)).unwrap();
    (lo..=hi).find_map(|n| string_of_len(tables, n, accepted))
}

pub struct Cx<'a> {
    pub module: &'a Module,
}

impl<'a> Cx<'a> {
    pub fn new(module: &'a Module) -> Self {
        Self { module }
    }

    pub fn tables(&self, f: &Field) -> Option<&'a Tables> {
        f.pattern.map(|i| &self.module.pattern(i).tables)
    }

    /// A valid value of a field (its own constraints and its type's).
    pub fn valid(&self, f: &Field) -> Value {
        match &f.ty {
            Ty::String | Ty::SharedString | Ty::ShortString => {
                json!(string_in_bounds(self.tables(f), f.length, true).expect("no valid string"))
            }
            ty => self.valid_of(ty, f.range.and_then(|r| r.min).map(|n| n.as_f64()), f.items),
        }
    }

    pub fn valid_of(&self, ty: &Ty, min: Option<f64>, items: Option<Bounds<u64>>) -> Value {
        match ty {
            Ty::String | Ty::SharedString | Ty::ShortString => json!("a"),
            Ty::Digest => json!(format!("sha256:{}", "ab".repeat(32))),
            Ty::Integer | Ty::Long => json!(min.map_or(1, |m| m as i64).max(1)),
            Ty::Double => json!(min.unwrap_or(1.0)),
            Ty::Boolean => json!(true),
            Ty::Timestamp(_) => panic!("timestamps in requests are not covered here"),
            Ty::Enum(id) => json!(self.module.enumeration(*id).values[0].wire),
            Ty::Struct(id) => self.minimal(self.module.structure(*id)),
            Ty::List(item) => {
                let n = items.and_then(|i| i.min).unwrap_or(1).max(1);
                Value::Array((0..n).map(|_| self.valid_of(item, None, None)).collect())
            }
            Ty::Map(_, _) => json!({}),
        }
    }

    /// A structure with its required members set to valid values.
    pub fn minimal(&self, s: &Struct) -> Value {
        let mut object = serde_json::Map::new();
        for f in s.fields.iter().filter(|f| f.must_be_set) {
            object.insert(f.wire.clone(), self.valid(f));
        }
        Value::Object(object)
    }
}

/// Puts `value` at member `f` of the structure at `prefix` inside a minimal request.
pub fn place(cx: &Cx<'_>, input: &Struct, chain: &[(&Struct, &Field)], value: Value) -> Value {
    // Build from the innermost structure outwards.
    let mut value = value;
    for (i, (s, f)) in chain.iter().enumerate().rev() {
        let mut object = cx.minimal(s);
        object[&f.wire] = value;
        if i == 0 {
            return object;
        }
        let parent_field = chain[i - 1].1;
        value = match &parent_field.ty {
            Ty::List(_) => {
                let n = parent_field.items.and_then(|r| r.min).unwrap_or(1).max(1);
                let mut items: Vec<Value> = (1..n).map(|_| cx.minimal(s)).collect();
                items.insert(0, object);
                Value::Array(items)
            }
            _ => object,
        };
    }
    cx.minimal(input)
}

pub fn wire_path(chain: &[(&Struct, &Field)]) -> String {
    let mut path = String::new();
    for (i, (_, f)) in chain.iter().enumerate() {
        if i > 0 {
            path.push('.');
        }
        path.push_str(&f.wire);
        if i + 1 < chain.len() && matches!(f.ty, Ty::List(_)) {
            path.push_str("[0]");
        }
    }
    path
}
