//! One spec format, five descriptions: the serde model (`src/spec.rs`), the JSON Schema
//! (`specs/spec.schema.json`), the key tables of `specs/README.md`, the checker's vocabularies
//! (the words it names when it rejects one) and the fuzz generator's lists (`fuzz/src/`). These
//! tests read each of them and report every place where they disagree, naming the mapping, the
//! key and who says what.
//!
//! The model is read through serde, not by parsing its source: the specs of this repository and
//! `tests/fixtures/every_key.yaml` are deserialized into [`Spec`] through a deserializer that
//! records what each value asks for: the struct name and full field list that `serde_derive`
//! passes to `deserialize_struct`, and what the visitor of every other value expects ("a string",
//! "a number", "a mapping"...), by the value's place in the spec. Whether a key is required, and
//! whether a mapping rejects unknown keys, is asked of `spec::load` itself.
//!
//! The model is not part of the crate's public API, so this test compiles the model's own source
//! file, `src/spec.rs`, into itself (its one dependency inside the crate, `crate::diag`, is the
//! public `crspec_codegen::diag`).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::marker::PhantomData;
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use spec::Spec;

// ---------------------------------------------------------------------------------------------
// The model, traced through serde.
// ---------------------------------------------------------------------------------------------

/// What `src/spec.rs` takes from the crate.
mod diag {
    pub use crspec_codegen::diag::Diagnostic;
}
mod names {
    pub use crspec_codegen::names::closest;
}

/// The model: the generator's own `spec` module, compiled here.
#[path = "../src/spec.rs"]
#[allow(dead_code)]
mod spec;

/// What one `deserialize_*` call asked for, at a generic place of the spec (`shapes.*.members.*`:
/// `*` stands for a key the author chooses, or a list index).
#[derive(Debug, Clone)]
struct Call {
    path: String,
    /// `struct`, `option`, `map`, `seq` or `value`.
    kind: &'static str,
    /// The struct name, or what the visitor expects.
    what: String,
    /// The field list of a struct.
    fields: &'static [&'static str],
}

thread_local! {
    static CALLS: RefCell<Vec<Call>> = const { RefCell::new(Vec::new()) };
}

fn record(path: &str, kind: &'static str, what: String, fields: &'static [&'static str]) {
    CALLS.with(|c| {
        c.borrow_mut().push(Call {
            path: path.to_owned(),
            kind,
            what,
            fields,
        });
    });
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A visitor's `expecting` text.
struct Expecting<'a, V>(&'a V);

impl<'de, V: Visitor<'de>> fmt::Display for Expecting<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }
}

/// `serde_saphyr::Spanned<T>` is a newtype of this name whose content is a map of `value`,
/// `referenced` and `defined`: the tracer sees through it to the `value`.
const SPANNED: &str = "__yaml_spanned";

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Traced,
    /// Inside a `Spanned`: its map, whose `value` is traced at the same place.
    SpannedInner,
}

#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Plain,
    Struct,
    Entries,
    SpannedOuter,
    SpannedMap,
}

struct De<D> {
    inner: D,
    path: String,
    mode: Mode,
}

struct Vis<V> {
    inner: V,
    path: String,
    ctx: Ctx,
}

impl<'de, D: Deserializer<'de>> De<D> {
    fn vis<V>(&self, inner: V, ctx: Ctx) -> Vis<V> {
        let ctx = if self.mode == Mode::SpannedInner {
            Ctx::SpannedMap
        } else {
            ctx
        };
        Vis {
            inner,
            path: self.path.clone(),
            ctx,
        }
    }

    fn note<V: Visitor<'de>>(&self, kind: &'static str, visitor: &V) {
        if self.mode == Mode::Traced {
            record(&self.path, kind, Expecting(visitor).to_string(), &[]);
        }
    }
}

macro_rules! forward_value {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.note("value", &visitor);
            let v = self.vis(visitor, Ctx::Plain);
            self.inner.$method(v)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for De<D> {
    type Error = D::Error;

    forward_value!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_unit,
        deserialize_identifier,
        deserialize_ignored_any
    );

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.note("option", &visitor);
        let v = self.vis(visitor, Ctx::Plain);
        self.inner.deserialize_option(v)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.note("value", &visitor);
        let v = self.vis(visitor, Ctx::Plain);
        self.inner.deserialize_unit_struct(name, v)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let ctx = if name == SPANNED {
            Ctx::SpannedOuter
        } else {
            self.note("value", &visitor);
            Ctx::Plain
        };
        let v = self.vis(visitor, ctx);
        self.inner.deserialize_newtype_struct(name, v)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.note("seq", &visitor);
        let v = self.vis(visitor, Ctx::Plain);
        self.inner.deserialize_seq(v)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.note("seq", &visitor);
        let v = self.vis(visitor, Ctx::Plain);
        self.inner.deserialize_tuple(len, v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.note("seq", &visitor);
        let v = self.vis(visitor, Ctx::Plain);
        self.inner.deserialize_tuple_struct(name, len, v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.note("map", &visitor);
        let v = self.vis(visitor, Ctx::Entries);
        self.inner.deserialize_map(v)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        if self.mode == Mode::Traced {
            record(&self.path, "struct", name.to_owned(), fields);
        }
        let v = self.vis(visitor, Ctx::Struct);
        self.inner.deserialize_struct(name, fields, v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.note("value", &visitor);
        self.inner.deserialize_enum(name, variants, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            self.inner.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Vis<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit!(
        visit_bool: bool, visit_i8: i8, visit_i16: i16, visit_i32: i32, visit_i64: i64,
        visit_i128: i128, visit_u8: u8, visit_u16: u16, visit_u32: u32, visit_u64: u64,
        visit_u128: u128, visit_f32: f32, visit_f64: f64, visit_char: char, visit_str: &str,
        visit_borrowed_str: &'de str, visit_string: String, visit_bytes: &[u8],
        visit_borrowed_bytes: &'de [u8], visit_byte_buf: Vec<u8>
    );

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.inner.visit_some(De {
            inner: d,
            path: self.path,
            mode: Mode::Traced,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let mode = if self.ctx == Ctx::SpannedOuter {
            Mode::SpannedInner
        } else {
            Mode::Traced
        };
        self.inner.visit_newtype_struct(De {
            inner: d,
            path: self.path,
            mode,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_seq(Seq {
            inner: seq,
            path: self.path,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_map(Map {
            inner: map,
            path: self.path,
            ctx: self.ctx,
            key: None,
        })
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_enum(data)
    }
}

/// A seed whose deserializer is traced at `path`.
struct At<S> {
    seed: S,
    path: String,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for At<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(De {
            inner: d,
            path: self.path,
            mode: Mode::Traced,
        })
    }
}

struct Seq<A> {
    inner: A,
    path: String,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.inner.next_element_seed(At {
            seed,
            path: child(&self.path, "*"),
        })
    }
}

struct Map<A> {
    inner: A,
    path: String,
    ctx: Ctx,
    /// The last key read, when it was a plain string (a field name, or a `Spanned` part).
    key: Option<String>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let cell = RefCell::new(None);
        let key = self.inner.next_key_seed(KeySeed { seed, cell: &cell })?;
        self.key = cell.into_inner();
        Ok(key)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let key = self.key.take().unwrap_or_default();
        let path = match self.ctx {
            Ctx::Struct => child(&self.path, &key),
            Ctx::SpannedMap if key == "value" => self.path.clone(),
            // The location parts of a `Spanned`, and its marker.
            Ctx::SpannedMap => return self.inner.next_value_seed(seed),
            _ => child(&self.path, "*"),
        };
        self.inner.next_value_seed(At { seed, path })
    }
}

/// Reads a map key, keeping it when it is a plain string.
struct KeySeed<'c, S> {
    seed: S,
    cell: &'c RefCell<Option<String>>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(KeyDe {
            inner: d,
            cell: self.cell,
        })
    }
}

struct KeyDe<'c, D> {
    inner: D,
    cell: &'c RefCell<Option<String>>,
}

struct KeyVis<'c, V> {
    inner: V,
    cell: &'c RefCell<Option<String>>,
}

macro_rules! forward_key {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.inner.$method(KeyVis { inner: visitor, cell: self.cell })
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for KeyDe<'_, D> {
    type Error = D::Error;

    forward_key!(
        deserialize_any,
        deserialize_str,
        deserialize_string,
        deserialize_identifier
    );

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_newtype_struct(name, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf option unit
        unit_struct seq tuple tuple_struct map struct enum ignored_any
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyVis<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        *self.cell.borrow_mut() = Some(v.to_owned());
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        *self.cell.borrow_mut() = Some(v.to_owned());
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        *self.cell.borrow_mut() = Some(v.clone());
        self.inner.visit_string(v)
    }

    forward_visit!(
        visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_i128: i128, visit_u128: u128,
        visit_f64: f64, visit_bytes: &[u8]
    );

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(d)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(seq)
    }
}

/// Deserializes a `T`, with every call recorded, and drops it.
struct Traced<T>(PhantomData<T>);

impl<'de, T: de::Deserialize<'de>> de::Deserialize<'de> for Traced<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(De {
            inner: d,
            path: String::new(),
            mode: Mode::Traced,
        })
        .map(|_| Traced(PhantomData))
    }
}

/// A type as the three descriptions can all say it: a set of alternatives, each `string`,
/// `boolean`, `number`, `mapping` (keys of its own), `map<T>` (keys the author chooses) or
/// `list<T>`.
type Type = BTreeSet<String>;

fn show(t: &Type) -> String {
    if t.is_empty() {
        "nothing".into()
    } else {
        t.iter().cloned().collect::<Vec<_>>().join(" or ")
    }
}

/// One alternative, for the item of a list or map.
fn one(t: &Type) -> String {
    t.iter().cloned().collect::<Vec<_>>().join("|")
}

struct StructModel {
    name: String,
    fields: &'static [&'static str],
}

struct Model {
    /// The model's structs by generic place (`` for the whole spec).
    structs: BTreeMap<String, StructModel>,
    calls: BTreeMap<String, Vec<Call>>,
    problems: Vec<String>,
}

impl Model {
    /// The type of the value at `path`, from what was asked of the deserializer there.
    fn type_at(&self, path: &str) -> Result<Type, String> {
        let calls = self
            .calls
            .get(path)
            .ok_or_else(|| "no spec read by the test has it".to_owned())?;
        let distinct: BTreeSet<(&str, &str)> =
            calls.iter().map(|c| (c.kind, c.what.as_str())).collect();
        let mut out = Type::new();
        for (kind, what) in distinct {
            match kind {
                "option" => {}
                "struct" => {
                    out.insert("mapping".into());
                }
                "map" => {
                    out.insert(format!("map<{}>", one(&self.type_at(&child(path, "*"))?)));
                }
                "seq" => {
                    out.insert(format!("list<{}>", one(&self.type_at(&child(path, "*"))?)));
                }
                _ => match what {
                    "a string" => {
                        out.insert("string".into());
                    }
                    "a boolean" => {
                        out.insert("boolean".into());
                    }
                    "a number" => {
                        out.insert("number".into());
                    }
                    "a number, a boolean or a string" => {
                        out.extend(["number", "boolean", "string"].map(String::from));
                    }
                    "a string or a list of strings" => {
                        out.extend(["string", "list<string>"].map(String::from));
                    }
                    other => {
                        return Err(format!(
                            "the model's deserializer expects {other:?} here, which this test \
                             does not know as a type: add it to Model::type_at"
                        ));
                    }
                },
            }
        }
        Ok(out)
    }
}

/// The specs of this repository, which generate as they are: the four providers', the valid
/// fixture and the downstream example's.
fn valid_specs() -> Vec<String> {
    [
        "tests/fixtures/valid.yaml",
        "../examples/downstream/specs/acme.yaml",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain(
        crspec_codegen::files::spec_files(Path::new("../specs"))
            .unwrap()
            .into_iter()
            .map(|p| p.display().to_string()),
    )
    .collect()
}

/// What the model is traced with: the valid specs and a fixture with every key.
fn model_inputs() -> Vec<String> {
    let mut files = valid_specs();
    files.push("tests/fixtures/every_key.yaml".into());
    files
}

fn model() -> Model {
    CALLS.with(|c| c.borrow_mut().clear());
    for file in model_inputs() {
        let text = fs::read_to_string(&file).unwrap();
        let options = serde_saphyr::options! { strict_booleans: true };
        serde_saphyr::from_str_with_options::<Traced<Spec>>(&text, options)
            .unwrap_or_else(|e| panic!("{file} does not load: {e}"));
    }
    let calls = CALLS.with(|c| std::mem::take(&mut *c.borrow_mut()));
    let mut model = Model {
        structs: BTreeMap::new(),
        calls: BTreeMap::new(),
        problems: Vec::new(),
    };
    for call in calls {
        if call.kind == "struct" {
            if let Some(old) = model.structs.get(&call.path)
                && old.name != call.what
            {
                model.problems.push(format!(
                    "{}: the model reads it as `{}` in one place and `{}` in another",
                    place(&call.path),
                    old.name,
                    call.what
                ));
            }
            model.structs.insert(
                call.path.clone(),
                StructModel {
                    name: call.what.clone(),
                    fields: call.fields,
                },
            );
        }
        model.calls.entry(call.path.clone()).or_default().push(call);
    }
    model
}

/// A generic place for messages: `the top level`, or the path in backticks.
fn place(path: &str) -> String {
    if path.is_empty() {
        "the top level".into()
    } else {
        format!("`{path}`")
    }
}

// ---------------------------------------------------------------------------------------------
// Spec documents as JSON values (YAML is read with serde_saphyr; JSON text is YAML too).
// ---------------------------------------------------------------------------------------------

/// A spec as JSON, read as the generator reads YAML: only `true` and `false` are booleans.
fn yaml(file: &str) -> Value {
    let text = fs::read_to_string(file).unwrap();
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(&text, options).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The concrete places in `doc` that match the generic `path`, as lists of keys.
fn instances(doc: &Value, path: &str) -> Vec<Vec<String>> {
    fn walk(v: &Value, segs: &[&str], at: Vec<String>, out: &mut Vec<Vec<String>>) {
        let Some((first, rest)) = segs.split_first() else {
            out.push(at);
            return;
        };
        match (v, *first) {
            (Value::Object(m), "*") => {
                for (k, v) in m {
                    let mut at = at.clone();
                    at.push(k.clone());
                    walk(v, rest, at, out);
                }
            }
            (Value::Array(a), "*") => {
                for (i, v) in a.iter().enumerate() {
                    let mut at = at.clone();
                    at.push(i.to_string());
                    walk(v, rest, at, out);
                }
            }
            (Value::Object(m), key) => {
                if let Some(v) = m.get(key) {
                    let mut at = at;
                    at.push(key.to_owned());
                    walk(v, rest, at, out);
                }
            }
            _ => {}
        }
    }
    let segs: Vec<&str> = if path.is_empty() {
        Vec::new()
    } else {
        path.split('.').collect()
    };
    let mut out = Vec::new();
    walk(doc, &segs, Vec::new(), &mut out);
    out
}

fn get<'a>(doc: &'a Value, at: &[String]) -> Option<&'a Value> {
    at.iter().try_fold(doc, |v, k| match v {
        Value::Array(a) => a.get(k.parse::<usize>().ok()?),
        v => v.get(k.as_str()),
    })
}

fn get_mut<'a>(doc: &'a mut Value, at: &[String]) -> &'a mut Value {
    at.iter().fold(doc, |v, k| match v {
        Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
        v => &mut v[k.as_str()],
    })
}

/// The spec path the checker names for a concrete place (list indices are not part of it).
fn spec_path(at: &[String]) -> String {
    at.iter()
        .filter(|k| k.parse::<usize>().is_err())
        .cloned()
        .collect::<Vec<_>>()
        .join(".")
}

fn load(doc: &Value) -> Result<(), String> {
    spec::load("probe.yaml", &doc.to_string())
        .map(|_| ())
        .map_err(|d| d.message)
}

// ---------------------------------------------------------------------------------------------
// The JSON Schema.
// ---------------------------------------------------------------------------------------------

fn schema() -> Value {
    serde_json::from_str(&fs::read_to_string("../specs/spec.schema.json").unwrap()).unwrap()
}

fn resolve<'a>(root: &'a Value, mut v: &'a Value) -> &'a Value {
    while let Some(r) = v.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("a local $ref");
        v = &root["$defs"][name];
    }
    v
}

fn schema_at<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut v = root;
    if path.is_empty() {
        return Some(v);
    }
    for seg in path.split('.') {
        let node = resolve(root, v);
        v = if seg == "*" {
            node.get("additionalProperties")
                .filter(|a| a.is_object())
                .or_else(|| node.get("items"))?
        } else {
            node.get("properties")?.get(seg)?
        };
    }
    Some(resolve(root, v))
}

/// The places of every object of the schema that lists its properties.
fn schema_objects(root: &Value) -> BTreeSet<String> {
    fn walk(root: &Value, v: &Value, path: &str, out: &mut BTreeSet<String>) {
        let v = resolve(root, v);
        if let Some(props) = v.get("properties").and_then(Value::as_object) {
            if props.values().any(|p| !is_const(resolve(root, p))) {
                out.insert(path.to_owned());
            }
            for (k, p) in props {
                walk(root, p, &child(path, k), out);
            }
        }
        for key in ["additionalProperties", "items"] {
            if let Some(sub) = v.get(key).filter(|s| s.is_object()) {
                walk(root, sub, &child(path, "*"), out);
            }
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for branch in v.get(key).and_then(Value::as_array).into_iter().flatten() {
                walk(root, branch, path, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(root, root, "", &mut out);
    out
}

fn is_const(v: &Value) -> bool {
    v.get("const").is_some() && v.as_object().is_some_and(|o| o.len() == 1)
}

fn schema_type(root: &Value, v: &Value) -> Result<Type, String> {
    let v = resolve(root, v);
    let mut out = Type::new();
    if let Some(values) = v.get("enum").and_then(Value::as_array) {
        for e in values {
            out.insert(json_kind(e).to_owned());
        }
        return Ok(out);
    }
    if let Some(c) = v.get("const") {
        out.insert(json_kind(c).to_owned());
        return Ok(out);
    }
    let types: Vec<&str> = match v.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for t in types {
        match t {
            "string" => {
                out.insert("string".into());
            }
            "integer" | "number" => {
                out.insert("number".into());
            }
            "boolean" => {
                out.insert("boolean".into());
            }
            "null" => {}
            "array" => {
                let items = v.get("items").ok_or("an array without `items`")?;
                out.insert(format!("list<{}>", one(&schema_type(root, items)?)));
            }
            "object" => {
                if v.get("properties").is_some() {
                    out.insert("mapping".into());
                } else if let Some(ap) = v.get("additionalProperties").filter(|a| a.is_object()) {
                    out.insert(format!("map<{}>", one(&schema_type(root, ap)?)));
                } else {
                    return Err("an object with neither `properties` nor a schema for the \
                                values of `additionalProperties`"
                        .into());
                }
            }
            other => return Err(format!("type `{other}`")),
        }
    }
    for key in ["oneOf", "anyOf"] {
        if out.is_empty()
            && let Some(branches) = v.get(key).and_then(Value::as_array)
        {
            for b in branches {
                out.extend(schema_type(root, b)?);
            }
        }
    }
    if out.is_empty() {
        return Err(format!("no type in {v}"));
    }
    Ok(out)
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
        Value::Null => "null",
    }
}

fn schema_enum(root: &Value, v: &Value) -> Option<Vec<String>> {
    let values = resolve(root, v).get("enum")?.as_array()?;
    Some(
        values
            .iter()
            .map(|e| e.as_str().map_or_else(|| e.to_string(), str::to_owned))
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// specs/README.md.
// ---------------------------------------------------------------------------------------------

#[derive(Clone)]
struct Row {
    key: String,
    ty: String,
    required: String,
    what: String,
}

/// The README's key tables by generic place. A table documents the places its marker names:
/// `<!-- keys of: provider.sources.<id> -->` on the line before it (`.` is the top level, a
/// `<...>` segment a key the author chooses, `[]` a list's items).
fn readme_tables(text: &str) -> Result<BTreeMap<String, Vec<Row>>, String> {
    let mut out = BTreeMap::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim().strip_prefix("<!-- keys of:") else {
            continue;
        };
        let places = rest
            .strip_suffix("-->")
            .ok_or_else(|| format!("README line {}: unclosed marker", i + 1))?;
        let header = lines.get(i + 1).copied().unwrap_or("");
        if cells(header) != ["key", "type", "required", "what"] {
            return Err(format!(
                "README line {}: the table after a `keys of` marker has the columns \
                 | key | type | required | what |, not {header:?}",
                i + 2
            ));
        }
        let mut rows = Vec::new();
        for (j, row) in lines.iter().enumerate().skip(i + 3) {
            if !row.trim_start().starts_with('|') {
                break;
            }
            let c = cells(row);
            let [key, ty, required, what] = c.as_slice() else {
                return Err(format!("README line {}: a row of {} cells", j + 1, c.len()));
            };
            let key = key
                .strip_prefix('`')
                .and_then(|k| k.strip_suffix('`'))
                .ok_or_else(|| format!("README line {}: the key is not in backticks", j + 1))?;
            rows.push(Row {
                key: key.to_owned(),
                ty: ty.clone(),
                required: required.clone(),
                what: what.clone(),
            });
        }
        for place in places.split_whitespace() {
            let generic = generic_place(place);
            if out.contains_key(&generic) {
                return Err(format!("README: two tables for `{place}`"));
            }
            out.insert(generic, rows.clone());
        }
    }
    Ok(out)
}

fn cells(row: &str) -> Vec<String> {
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = row.strip_suffix('|').unwrap_or(row);
    row.split('|').map(|c| c.trim().to_owned()).collect()
}

/// `shapes.<name>.exclusive[]` → `shapes.*.exclusive.*`; `.` → ``.
fn generic_place(place: &str) -> String {
    if place == "." {
        return String::new();
    }
    place
        .replace("[]", ".*")
        .split('.')
        .map(|s| if s.starts_with('<') { "*" } else { s })
        .collect::<Vec<_>>()
        .join(".")
}

/// A type cell: `string`, `one of `a`, `b``, `list of strings`, `mapping of members`, `string
/// or list of strings`...; the words of a `one of`.
fn readme_type(cell: &str) -> Result<(Type, Option<Vec<String>>), String> {
    if let Some(rest) = cell.strip_prefix("one of ") {
        let words: Vec<String> = rest
            .split(", ")
            .map(|w| {
                w.strip_prefix('`')
                    .and_then(|w| w.strip_suffix('`'))
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`{w}` in a `one of` is not in backticks"))
            })
            .collect::<Result<_, _>>()?;
        return Ok((Type::from(["string".to_owned()]), Some(words)));
    }
    let mut out = Type::new();
    for alt in cell.split(", ").flat_map(|a| a.split(" or ")) {
        let atom = |word: &str| match word {
            "strings" => "string",
            "integers" | "numbers" => "number",
            "booleans" => "boolean",
            _ => "mapping",
        };
        let t = match alt {
            "string" => "string".to_owned(),
            "boolean" => "boolean".to_owned(),
            "integer" | "number" => "number".to_owned(),
            "mapping" => "mapping".to_owned(),
            a => {
                if let Some(x) = a.strip_prefix("mapping of ") {
                    format!("map<{}>", atom(x))
                } else if let Some(x) = a.strip_prefix("list of ") {
                    format!("list<{}>", atom(x))
                } else {
                    return Err(format!("the type `{cell}` is not one the README explains"));
                }
            }
        };
        out.insert(t);
    }
    Ok((out, None))
}

fn readme() -> String {
    fs::read_to_string("../specs/README.md").unwrap()
}

// ---------------------------------------------------------------------------------------------
// The keys: model, schema and README.
// ---------------------------------------------------------------------------------------------

/// Every mapping of the format has the same keys, with the same types and the same required ones,
/// in the model, the schema and the README; and each rejects unknown keys in the model and the
/// schema alike.
#[test]
fn model_schema_and_readme_have_the_same_keys_types_and_required_keys() {
    let model = model();
    let root = schema();
    let tables = readme_tables(&readme()).unwrap_or_else(|e| panic!("{e}"));
    let every_key = yaml("tests/fixtures/every_key.yaml");
    load(&every_key).expect("tests/fixtures/every_key.yaml loads");
    let mut problems = model.problems.clone();

    // The same mappings in all three.
    let schema_places = schema_objects(&root);
    for place_ in schema_places
        .iter()
        .filter(|p| !model.structs.contains_key(*p))
    {
        problems.push(format!(
            "{}: the schema describes a mapping here, but the model has no struct here (or no \
             spec read by this test reaches it: add it to tests/fixtures/every_key.yaml)",
            place(place_)
        ));
    }
    for place_ in tables.keys().filter(|p| !model.structs.contains_key(*p)) {
        problems.push(format!(
            "{}: the README has a key table for it, but the model has no struct here",
            place(place_)
        ));
    }

    for (path, s) in &model.structs {
        let at = format!("{} ({})", place(path), s.name);
        let Some(object) = schema_at(&root, path) else {
            problems.push(format!(
                "{at}: in the model, but the schema has nothing there"
            ));
            continue;
        };
        let Some(rows) = tables.get(path) else {
            problems.push(format!(
                "{at}: in the model, but the README has no key table for it (a \
                 `<!-- keys of: ... -->` marker and a table)"
            ));
            continue;
        };
        let props = object
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let schema_required: BTreeSet<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let model_keys: BTreeSet<&str> = s.fields.iter().copied().collect();
        let schema_keys: BTreeSet<&str> = props.keys().map(String::as_str).collect();
        let readme_keys: BTreeSet<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        for key in model_keys
            .iter()
            .chain(&schema_keys)
            .chain(&readme_keys)
            .collect::<BTreeSet<_>>()
        {
            let has = [
                ("the model", model_keys.contains(key)),
                ("the schema", schema_keys.contains(key)),
                ("the README", readme_keys.contains(key)),
            ];
            if has.iter().any(|(_, h)| !h) {
                let list = |want: bool| {
                    has.iter()
                        .filter(|(_, h)| *h == want)
                        .map(|(w, _)| *w)
                        .collect::<Vec<_>>()
                        .join(" and ")
                };
                problems.push(format!(
                    "{at}: key `{key}` is in {} but not in {}",
                    list(true),
                    list(false)
                ));
            }
        }

        // Unknown keys: the model rejects them (deny_unknown_fields) exactly where the schema
        // does (additionalProperties: false).
        let all = instances(&every_key, path);
        let Some(instance) = all.first().cloned() else {
            problems.push(format!(
                "{at}: tests/fixtures/every_key.yaml has no such mapping"
            ));
            continue;
        };
        let mut doc = every_key.clone();
        get_mut(&mut doc, &instance)["zz_not_a_key"] = 1.into();
        let model_closed = load(&doc).is_err_and(|m| m.contains("unknown field"));
        let schema_closed = object.get("additionalProperties") == Some(&Value::Bool(false));
        if model_closed != schema_closed {
            problems.push(format!(
                "{at}: the model {} unknown keys, the schema {}",
                if model_closed { "rejects" } else { "accepts" },
                if schema_closed {
                    "rejects them (additionalProperties: false)"
                } else {
                    "accepts them (no additionalProperties: false)"
                }
            ));
        }

        for key in &model_keys {
            let key_at = format!("{at}: key `{key}`");
            // Required: `spec::load` says what is missing when the key is taken out.
            let with_key = all
                .iter()
                .find(|at| get(&every_key, at).and_then(|m| m.get(*key)).is_some());
            let Some(with_key) = with_key else {
                problems.push(format!(
                    "{key_at}: tests/fixtures/every_key.yaml does not have it at `{}`; add it",
                    spec_path(&instance)
                ));
                continue;
            };
            let mut doc = every_key.clone();
            if let Some(o) = get_mut(&mut doc, with_key).as_object_mut() {
                o.remove(*key);
            }
            let model_required =
                load(&doc).is_err_and(|m| m.contains(&format!("missing field `{key}`")));
            let in_schema = schema_required.contains(key);
            let row = rows.iter().find(|r| r.key == *key);
            let in_readme = row.map(|r| r.required == "yes");
            if model_required != in_schema || in_readme.is_some_and(|r| r != model_required) {
                problems.push(format!(
                    "{key_at}: required in the model: {model_required}; in the schema's \
                     `required`: {in_schema}; `yes` in the README: {}",
                    in_readme.map_or("-".into(), |r| r.to_string())
                ));
            }

            // Type.
            let model_type = match model.type_at(&child(path, key)) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(format!("{key_at}: {e}"));
                    continue;
                }
            };
            if let Some(p) = props.get(*key) {
                match schema_type(&root, p) {
                    Ok(t) if t != model_type => problems.push(format!(
                        "{key_at}: the model reads {}, the schema says {}",
                        show(&model_type),
                        show(&t)
                    )),
                    Ok(_) => {}
                    Err(e) => problems.push(format!("{key_at}: the schema's type: {e}")),
                }
            }
            if let Some(row) = row {
                if row.what.is_empty() {
                    problems.push(format!("{key_at}: the README says nothing of what it is"));
                }
                match readme_type(&row.ty) {
                    Ok((t, _)) if t != model_type => problems.push(format!(
                        "{key_at}: the model reads {}, the README says `{}` ({})",
                        show(&model_type),
                        row.ty,
                        show(&t)
                    )),
                    Ok(_) => {}
                    Err(e) => problems.push(format!("{key_at}: README: {e}")),
                }
            }
            // Fixed words: the schema's `enum` and the README's `one of` list the same ones.
            let schema_words = props.get(*key).and_then(|p| schema_enum(&root, p));
            let readme_words = row.and_then(|r| readme_type(&r.ty).ok()).and_then(|t| t.1);
            if schema_words.as_deref().map(sorted) != readme_words.as_deref().map(sorted) {
                problems.push(format!(
                    "{key_at}: the schema allows {}, the README {}",
                    words(schema_words.as_deref()),
                    words(readme_words.as_deref())
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the model (codegen/src/spec.rs), specs/spec.schema.json and specs/README.md disagree \
         ({} problems):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

fn words(w: Option<&[String]>) -> String {
    match w {
        None => "any value (no fixed list)".into(),
        Some(w) => format!("only {}", w.join(", ")),
    }
}

// ---------------------------------------------------------------------------------------------
// The vocabularies: checker, schema, README, fuzz generator.
// ---------------------------------------------------------------------------------------------

/// A word no vocabulary has, nor anything near one (so that no "did you mean" replaces the
/// checker's list of the words it knows).
const BOGUS: &str = "zqxjvw";

/// The one difference the README documents: the checker reads HTTP methods in any case, the
/// schema (and the README's list) only in upper case.
const CASE_INSENSITIVE_IN_THE_CHECKER: &[&str] = &["operations.*.method"];

/// The spec documents the checker is probed with: they generate as they are.
fn probe_docs() -> Vec<(String, Value)> {
    valid_specs()
        .into_iter()
        .map(|f| {
            let v = yaml(&f);
            (f, v)
        })
        .collect()
}

fn diagnostics(doc: &Value) -> Vec<crspec_codegen::Diagnostic> {
    match crspec_codegen::generate("probe.yaml", &doc.to_string()) {
        Ok(_) => Vec::new(),
        Err(d) => d.0,
    }
}

/// What the checker says when `key` of the mapping at the generic `path` is [`BOGUS`]: the
/// message, the document and the concrete place it was said of.
fn probe(docs: &[(String, Value)], path: &str, key: &str) -> Option<(String, Value, Vec<String>)> {
    // Mappings that already have the key first: the others may need it elsewhere.
    let mut candidates: Vec<(&Value, Vec<String>)> = Vec::new();
    for (_, doc) in docs {
        for at in instances(doc, path) {
            candidates.push((doc, at));
        }
    }
    candidates.sort_by_key(|(doc, at)| get(doc, at).and_then(|m| m.get(key)).is_none());
    for (doc, at) in candidates {
        let mut doc = doc.clone();
        get_mut(&mut doc, &at)[key] = BOGUS.into();
        let mut key_at = at.clone();
        key_at.push(key.to_owned());
        for d in diagnostics(&doc) {
            if d.message.contains(&format!("`{BOGUS}`")) {
                return Some((d.message, doc, key_at));
            }
        }
    }
    None
}

/// The words a rejection lists: in parentheses (`(GET, POST, ...)`), after `expected`, or after
/// the last ` is ` (`a shape is a `structure` or an `enum``).
fn listed_words(message: &str) -> Vec<String> {
    let after = message
        .split_once(&format!("`{BOGUS}`"))
        .map_or(message, |(_, a)| a);
    let list = if let Some((_, inside)) = after.split_once('(') {
        inside.split_once(')').map_or(inside, |(i, _)| i)
    } else if let Some((_, rest)) = after.split_once("expected ") {
        rest
    } else if let Some((_, rest)) = after.rsplit_once(" is ") {
        rest
    } else {
        ""
    };
    list.split(", ")
        .flat_map(|w| w.split(" or "))
        .map(|w| {
            let w = w.trim();
            let w = w
                .strip_prefix("a ")
                .or_else(|| w.strip_prefix("an "))
                .unwrap_or(w);
            w.trim_matches('`').to_owned()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Every key with a fixed list of words (an `enum` in the schema, a `one of` in the README) by
/// generic place: `(mapping, key)`.
fn vocabulary_keys(
    root: &Value,
    tables: &BTreeMap<String, Vec<Row>>,
) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for path in schema_objects(root) {
        let object = schema_at(root, &path).unwrap();
        for (k, p) in object
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if schema_enum(root, p).is_some() {
                out.insert((path.clone(), k.clone()));
            }
        }
    }
    for (path, rows) in tables {
        for r in rows {
            if r.ty.starts_with("one of ") {
                out.insert((path.clone(), r.key.clone()));
            }
        }
    }
    out
}

fn swap_case(w: &str) -> String {
    if w.chars().any(|c| c.is_ascii_lowercase()) {
        w.to_ascii_uppercase()
    } else {
        w.to_ascii_lowercase()
    }
}

/// Each fixed list of words is the same in the checker (the words it names when it rejects
/// one), the schema's `enum` and the README's `one of`; the checker tells case apart where the
/// schema does, except for the one documented difference (HTTP methods).
#[test]
fn checker_schema_and_readme_know_the_same_words() {
    let root = schema();
    let text = readme();
    let tables = readme_tables(&text).unwrap_or_else(|e| panic!("{e}"));
    let docs = probe_docs();
    let mut problems = Vec::new();
    let keys = vocabulary_keys(&root, &tables);
    assert!(keys.len() >= 9, "{keys:?}");
    for (path, key) in &keys {
        let at = format!("{}: key `{key}`", place(path));
        let schema_words = schema_at(&root, path)
            .and_then(|o| o.get("properties")?.get(key))
            .and_then(|p| schema_enum(&root, p));
        let readme_row = tables
            .get(path)
            .and_then(|rows| rows.iter().find(|r| r.key == *key));
        let readme_words = readme_row
            .and_then(|r| readme_type(&r.ty).ok())
            .and_then(|t| t.1);
        let Some((message, doc, key_at)) = probe(&docs, path, key) else {
            problems.push(format!(
                "{at}: the checker never rejected `{key}: {BOGUS}` with a message naming it"
            ));
            continue;
        };
        let checker_words = listed_words(&message);
        let sets = [
            ("the checker", Some(checker_words.clone())),
            ("the schema", schema_words),
            ("the README", readme_words),
        ];
        for pair in [(0, 1), (0, 2), (1, 2)] {
            let (a, wa) = &sets[pair.0];
            let (b, wb) = &sets[pair.1];
            if wa.as_deref().map(sorted) != wb.as_deref().map(sorted) {
                problems.push(format!(
                    "{at}: {a} knows {}, {b} {} (the checker said: {message})",
                    words(wa.as_deref()),
                    words(wb.as_deref())
                ));
            }
        }
        // Case: the schema's enum is case-sensitive; so is the checker, but for the documented
        // exception, which the README must state.
        let generic = child(path, key);
        let insensitive = CASE_INSENSITIVE_IN_THE_CHECKER.contains(&generic.as_str());
        for w in &checker_words {
            let variant = swap_case(w);
            if variant == *w {
                continue;
            }
            let mut d = doc.clone();
            *get_mut(&mut d, &key_at) = variant.clone().into();
            let rejection = message.replace(BOGUS, &variant);
            let rejected = diagnostics(&d)
                .iter()
                .any(|d| d.path == spec_path(&key_at) && d.message == rejection);
            if rejected == insensitive {
                problems.push(format!(
                    "{at}: the checker {} `{variant}`, but the schema takes only `{w}`{}",
                    if rejected { "rejects" } else { "accepts" },
                    if insensitive {
                        " and the README says the checker takes any case"
                    } else {
                        ", and the README documents no exception"
                    }
                ));
            }
        }
        if insensitive && !readme_row.is_some_and(|r| r.what.contains("lowercase")) {
            problems.push(format!(
                "{at}: the checker takes lowercase words here and the schema does not; the \
                 README's row must say so (`lowercase`)"
            ));
        }
    }
    for exception in CASE_INSENSITIVE_IN_THE_CHECKER {
        if !keys.iter().any(|(p, k)| child(p, k) == *exception) {
            problems.push(format!("`{exception}` has no fixed words any more"));
        }
    }
    assert!(
        problems.is_empty(),
        "the checker, specs/spec.schema.json and specs/README.md disagree on fixed words \
         ({} problems):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The primitive types: the words the checker lists when a type is unknown, the lowercase words
/// the schema's type pattern accepts, and the README's Types table.
#[test]
fn checker_schema_and_readme_know_the_same_primitive_types() {
    let root = schema();
    let (message, _, _) = probe(&probe_docs(), "shapes.*.members.*", "type")
        .expect("the checker names the primitives when a type is unknown");
    let checker = sorted(&listed_words(&message));
    let schema = sorted(&schema_primitives(&root));
    let readme = sorted(&readme_primitives(&readme()));
    assert!(checker.len() >= 9, "{message}");
    assert_eq!(
        checker, schema,
        "primitives: the checker ({message}) and the schema's type pattern (typeExpression) differ"
    );
    assert_eq!(
        checker, readme,
        "primitives: the checker ({message}) and the README's Types table differ"
    );
}

/// The lowercase words of the largest `(?:a|b|...)` group of the schema's type pattern: the
/// primitives.
fn schema_primitives(root: &Value) -> Vec<String> {
    let patterns: Vec<&str> = root["$defs"]["typeExpression"]["allOf"]
        .as_array()
        .expect("typeExpression has allOf")
        .iter()
        .filter_map(|b| b["pattern"].as_str())
        .collect();
    let mut best: Vec<String> = Vec::new();
    for pattern in patterns {
        for (i, _) in pattern.match_indices("(?:") {
            let body = &pattern[i + 3..];
            let Some(end) = body.find(')') else { continue };
            let body = &body[..end];
            if body.contains('(') {
                continue;
            }
            let lower: Vec<String> = body
                .split('|')
                .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .map(str::to_owned)
                .collect();
            if lower.len() > best.len() {
                best = lower;
            }
        }
    }
    best
}

/// The rows of the README's Types table whose spec type is a lowercase word.
fn readme_primitives(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("| spec type |") {
            inside = true;
            continue;
        }
        if inside {
            if !line.starts_with('|') {
                break;
            }
            let first = cells(line).remove(0);
            if let Some(w) = first.strip_prefix('`').and_then(|w| w.strip_suffix('`'))
                && !w.is_empty()
                && w.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                out.push(w.to_owned());
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The fuzz generator.
// ---------------------------------------------------------------------------------------------

const FUZZ_SOURCE: &str = "../fuzz/src/structured.rs";

/// The fuzz generator's lists of words, by the key whose values they are, and the words of each
/// list that are wrong on purpose (kept under `Chaos`, so that the checker's rejection is
/// exercised).
const FUZZ_LISTS: &[(&str, &str, &[&str])] = &[
    ("METHODS", "operations.*.method", &[]),
    ("TS_FORMATS", "protocol.timestamp_format", &[]),
    ("TS_FORMATS", "shapes.*.members.*.format", &[]),
    ("BODY_KINDS", "protocol.body", &[]),
    ("ERROR_STATUS_RULES", "protocol.errors.status", &[]),
    ("PAGINATION_STYLES", "operations.*.pagination.style", &[]),
    ("OFFSET_UNITS", "operations.*.pagination.offset_unit", &[]),
    ("LOCATIONS", "shapes.*.members.*.location", &["cookie"]),
    ("SHAPE_KINDS", "shapes.*.type", &[]),
];

/// Keys with fixed words that the fuzz generator never writes.
const NOT_FUZZED: &[&str] = &[
    "operations.*.summary.size_unit",
    // Signing changes no generated code but one constant's variant.
    "protocol.signing.scheme",
];

/// Primitive types the fuzz generator never writes.
const PRIMITIVES_NOT_FUZZED: &[&str] = &["shared_string", "short_string", "digest"];

/// `const NAME: &[&str] = &[...];` of the fuzz generator's source.
fn fuzz_list(source: &str, name: &str) -> Option<Vec<String>> {
    let start = source.find(&format!("const {name}: &[&str] = &["))?;
    let body = &source[start..];
    let body = &body[body.find("= &[")? + 4..body.find("];")?];
    Some(
        body.split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect(),
    )
}

/// The fuzz generator (`fuzz/src/structured.rs`, a workspace of its own) writes the words the
/// schema allows, in the checker's case rules, plus only the faults it means to make; and every
/// primitive type it writes is one of the format's.
#[test]
fn the_fuzz_generator_writes_the_words_of_the_format() {
    let root = schema();
    let source = fs::read_to_string(FUZZ_SOURCE).unwrap();
    let tables = readme_tables(&readme()).unwrap_or_else(|e| panic!("{e}"));
    let mut problems = Vec::new();
    for (path, key) in vocabulary_keys(&root, &tables) {
        let generic = child(&path, &key);
        let fuzzed = FUZZ_LISTS.iter().any(|(_, k, _)| *k == generic);
        if fuzzed == NOT_FUZZED.contains(&generic.as_str()) {
            problems.push(format!(
                "`{generic}` has fixed words: list it in FUZZ_LISTS or NOT_FUZZED, not both"
            ));
        }
    }
    for (name, generic, faults) in FUZZ_LISTS {
        let (path, key) = generic.rsplit_once('.').unwrap();
        let Some(list) = fuzz_list(&source, name) else {
            problems.push(format!("{FUZZ_SOURCE} has no `const {name}: &[&str]`"));
            continue;
        };
        let Some(schema_words) = schema_at(&root, path)
            .and_then(|o| o.get("properties")?.get(key))
            .and_then(|p| schema_enum(&root, p))
        else {
            problems.push(format!("`{generic}`: the schema has no enum"));
            continue;
        };
        let insensitive = CASE_INSENSITIVE_IN_THE_CHECKER.contains(generic);
        let norm = |w: &str| {
            if insensitive {
                w.to_ascii_uppercase()
            } else {
                w.to_owned()
            }
        };
        let written: BTreeSet<String> = list
            .iter()
            .filter(|w| !faults.contains(&w.as_str()))
            .map(|w| norm(w))
            .collect();
        let allowed: BTreeSet<String> = schema_words.iter().map(|w| norm(w)).collect();
        if written != allowed {
            problems.push(format!(
                "`{generic}`: the fuzz generator's {name} writes {written:?}, the schema allows \
                 {allowed:?}"
            ));
        }
        for f in *faults {
            if !list.iter().any(|w| w == f) || allowed.contains(&norm(f)) {
                problems.push(format!(
                    "`{generic}`: `{f}` is meant as a fault in {name}, but it is {}",
                    if allowed.contains(&norm(f)) {
                        "allowed"
                    } else {
                        "not in the list"
                    }
                ));
            }
        }
    }
    // Primitive types: the words `ty_text` writes.
    let ty_text = source
        .split_once("fn ty_text(")
        .map(|(_, rest)| rest.split_once("\n}\n").map_or(rest, |(body, _)| body))
        .expect("fuzz/src/structured.rs has fn ty_text");
    let fuzzed: BTreeSet<&str> = ty_text
        .split("=> \"")
        .skip(1)
        .filter_map(|s| s.split_once('"').map(|(w, _)| w))
        .collect();
    let primitives = schema_primitives(&root);
    let expected: BTreeSet<&str> = primitives
        .iter()
        .map(String::as_str)
        .filter(|p| !PRIMITIVES_NOT_FUZZED.contains(p))
        .collect();
    if fuzzed != expected {
        problems.push(format!(
            "primitive types: the fuzz generator writes {fuzzed:?}; expected the format's \
             primitives less PRIMITIVES_NOT_FUZZED, {expected:?}"
        ));
    }
    assert!(
        problems.is_empty(),
        "the fuzz generator and the format disagree:\n{}",
        problems.join("\n")
    );
}
