//! The `generation` settings: what the generated Rust adds to, or changes from, what the API's
//! facts give (a type's Rust name, extra derives and attributes, a member's Rust name, a type
//! of the user's that stands for a shape).
//!
//! The settings live in the spec, so every entry point (the CLI, build.rs, `include_spec!`)
//! reads the same ones and generates the same module. Derives and attributes are Rust the user
//! writes: the checker parses them, refuses those that clash with what crspec generates, and,
//! for the standard derives, checks that every member's type implements the trait; a derive
//! macro of the user's own is the user's contract.

use std::collections::{BTreeMap, HashMap};

use quote::ToTokens;
use syn::parse::Parser;

use super::types::Kind;
use super::words::{Candidates, Case, NameFault, name_fault};
use super::{Checker, ROOT, SpecPath};
use crate::ir::{Enum, EnumId, Extra, Module, Struct, StructId, Ty};
use crate::names;
use crate::spec::{Spanned, TypeSettings};

use super::shapes::Shapes;

/// The settings of one shape, as checked.
#[derive(Default)]
pub(super) struct ShapeSettings {
    /// What the IR carries.
    pub(super) extra: Extra,
    /// The derives by name (the path's last segment), each with the index of its entry.
    derives: Vec<(String, usize)>,
}

/// The checked settings of a spec, by shape name.
#[derive(Default)]
pub(super) struct Settings {
    pub(super) shapes: HashMap<String, ShapeSettings>,
}

/// The standard derives whose needs the checker knows: each needs every member's type to
/// implement the trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Std {
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    Copy,
}

impl Std {
    fn of(name: &str) -> Option<Self> {
        Some(match name {
            "Eq" => Self::Eq,
            "Hash" => Self::Hash,
            "PartialOrd" => Self::PartialOrd,
            "Ord" => Self::Ord,
            "Default" => Self::Default,
            "Copy" => Self::Copy,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Eq => "Eq",
            Self::Hash => "Hash",
            Self::PartialOrd => "PartialOrd",
            Self::Ord => "Ord",
            Self::Default => "Default",
            Self::Copy => "Copy",
        }
    }
}

/// The derives every generated structure has.
const STRUCT_DERIVES: [&str; 3] = ["Debug", "Clone", "PartialEq"];
/// The derives every generated enum has.
const ENUM_DERIVES: [&str; 7] = [
    "Debug",
    "Clone",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
];

/// Rust printed from tokens (`std :: collections :: BTreeMap < String , String >`), as a
/// person writes it, for messages.
fn readable(tokens: &str) -> String {
    tokens
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

/// The last segment of a derive path (`Hash` of `core::hash::Hash`).
fn last_segment(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

impl Checker<'_> {
    /// Rule: `generation.types` names shapes; a `rust_name` is a free UpperCamelCase type
    /// name; `derives` are Rust paths, none of them one crspec derives or writes itself (and
    /// no `Default` or `Copy` on an enum); `attributes` are outer attributes other than
    /// `derive`, `non_exhaustive` and `serde`; `replace` is a Rust type, alone; `members`
    /// belong to structures and name their members by key, each renamed in one place.
    pub(super) fn generation_settings(&mut self, shapes: &mut Shapes) -> Settings {
        let mut settings = Settings::default();
        let spec = self.spec;
        let Some(types) = type_settings(spec) else {
            return settings;
        };
        let generation_path = ROOT.key("generation");
        let types_path = generation_path.key("types");
        let mut seen = std::collections::HashSet::new();
        for (name, entry) in types.iter() {
            let path = types_path.key(&name.value);
            if !seen.insert(name.value.as_str()) {
                let message = format!("`{}` has settings twice; merge them", name.value);
                self.at("generation_types", name, &path, message);
                continue;
            }
            let is_enum = match shapes.kinds.get(&name.value) {
                Some(Kind::Structure(_)) => false,
                Some(Kind::Enum(_)) => true,
                Some(Kind::Broken) => continue,
                None => {
                    let hint = shapes.shape_hint(self.hints, &name.value);
                    let message = format!(
                        "`{}` is not a shape of this spec; `generation.types` is keyed by shape name{hint}",
                        name.value
                    );
                    self.at("generation_types", name, &path, message);
                    continue;
                }
            };
            let out = settings.shapes.entry(name.value.clone()).or_default();
            let t = &entry.value;
            if let Some(replace) = &t.replace {
                self.replacement(t, replace, &path, out);
            }
            if let Some(rust) = &t.rust_name {
                self.type_rename(shapes, &name.value, rust, &path.key("rust_name"));
            }
            if let Some(derives) = &t.derives {
                self.derives(derives, is_enum, &path.key("derives"), out);
            }
            if let Some(attributes) = &t.attributes {
                self.attributes(attributes, &path.key("attributes"), out);
            }
            if let Some(members) = &t.members {
                self.member_renames(shapes, &name.value, members, is_enum, &path);
            }
        }
        settings
    }

    /// `replace`: a Rust type, and no other setting beside it (nothing is generated).
    fn replacement(
        &mut self,
        t: &TypeSettings,
        replace: &Spanned<String>,
        path: &SpecPath<'_>,
        out: &mut ShapeSettings,
    ) {
        let rpath = path.key("replace");
        match syn::parse_str::<syn::Type>(&replace.value) {
            Ok(ty @ syn::Type::Path(_)) => {
                out.extra.replace = Some(ty.to_token_stream().to_string());
            }
            Ok(_) | Err(_) => {
                let message = format!(
                    "`{}` is not a Rust type path (`my_crate::Labels`, `std::collections::BTreeMap<String, String>`)",
                    replace.value
                );
                self.at("generation_replace", replace, &rpath, message);
            }
        }
        let others = [
            ("rust_name", t.rust_name.is_some()),
            ("derives", t.derives.is_some()),
            ("attributes", t.attributes.is_some()),
            ("members", t.members.is_some()),
        ];
        for (key, set) in others {
            if set {
                let message = format!(
                    "`{key}` has nothing to apply to: with `replace`, no type is generated for this shape"
                );
                self.at("generation_replace", replace, &path.key(key), message);
            }
        }
    }

    /// `rust_name`: an UpperCamelCase type name no other generated type has.
    fn type_rename(
        &mut self,
        shapes: &mut Shapes,
        shape: &str,
        rust: &Spanned<String>,
        path: &SpecPath<'_>,
    ) {
        let message = match name_fault(&rust.value, Case::UpperCamel) {
            Some(NameFault::Invalid(problem)) => Some(format!("the Rust type name: {problem}")),
            Some(NameFault::WrongCase(right)) => Some(format!(
                "the Rust type name `{}` is not UpperCamelCase (try `{right}`)",
                rust.value
            )),
            None if names::RESERVED_TYPES.contains(&rust.value.as_str()) => Some(format!(
                "`{}` would shadow the standard type of that name in generated code",
                rust.value
            )),
            None if rust.value == shape => None,
            None => shapes
                .types
                .take(&rust.value, || format!("shape `{shape}`, renamed"))
                .err()
                .map(|other| format!("the Rust type name `{}` collides with {other}", rust.value)),
        };
        match message {
            Some(message) => self.at("generation_rust_name", rust, path, message),
            None => {
                shapes.rust.insert(shape.to_owned(), rust.value.clone());
            }
        }
    }

    /// `derives`: Rust paths, each once, none that crspec derives or writes itself.
    fn derives(
        &mut self,
        derives: &Spanned<Vec<Spanned<String>>>,
        is_enum: bool,
        path: &SpecPath<'_>,
        out: &mut ShapeSettings,
    ) {
        let mut seen = BTreeMap::new();
        for (i, d) in derives.value.iter().enumerate() {
            let dpath = path.index(i);
            let Ok(parsed) = syn::parse_str::<syn::Path>(&d.value) else {
                let message = format!(
                    "`{}` is not a Rust path; a derive is written as in `#[derive(..)]` (`Hash`, `schemars::JsonSchema`)",
                    d.value
                );
                self.at("generation_derives", d, &dpath, message);
                continue;
            };
            let name = last_segment(&parsed);
            let generated: &[&str] = if is_enum {
                &ENUM_DERIVES
            } else {
                &STRUCT_DERIVES
            };
            let message = if seen.insert(name.clone(), i).is_some() {
                Some(format!("`{name}` is listed twice"))
            } else if name == "Serialize" || name == "Deserialize" {
                Some(format!(
                    "crspec writes `{name}` for every generated type (members by wire name, unknown enum values kept); it cannot be derived as well"
                ))
            } else if generated.contains(&name.as_str()) {
                Some(format!(
                    "every generated {} derives `{name}` already",
                    if is_enum { "enum" } else { "structure" }
                ))
            } else if is_enum && (name == "Default" || name == "Copy") {
                Some(format!(
                    "an enum cannot derive `{name}`: {}",
                    if name == "Default" {
                        "it has no value to be its default"
                    } else {
                        "its `Unknown` variant holds a `String`"
                    }
                ))
            } else {
                None
            };
            match message {
                Some(message) => self.at("generation_derives", d, &dpath, message),
                None => {
                    out.extra.derives.push(parsed.to_token_stream().to_string());
                    out.derives.push((name, i));
                }
            }
        }
    }

    /// `attributes`: outer attributes, not `derive` (see `derives`), `non_exhaustive` (every
    /// generated type is) or `serde` (crspec writes the serde impls: nothing reads it).
    fn attributes(
        &mut self,
        attributes: &Spanned<Vec<Spanned<String>>>,
        path: &SpecPath<'_>,
        out: &mut ShapeSettings,
    ) {
        for (i, a) in attributes.value.iter().enumerate() {
            let apath = path.index(i);
            let parsed = syn::Attribute::parse_outer.parse_str(&a.value);
            let message = match &parsed {
                Err(e) => Some(format!(
                    "`{}` is not an outer attribute (`#[doc(alias = \"image\")]`): {e}",
                    a.value
                )),
                Ok(list) if list.is_empty() => {
                    Some("an attribute is written `#[...]`; this one is empty".to_owned())
                }
                Ok(list) => list.iter().find_map(|attr| refused_attribute(&attr.meta)),
            };
            match (message, parsed) {
                (None, Ok(list)) => {
                    for attr in list {
                        out.extra
                            .attributes
                            .push(attr.to_token_stream().to_string());
                    }
                }
                (Some(message), _) => self.at("generation_attributes", a, &apath, message),
                (None, Err(_)) => {}
            }
        }
    }

    /// `members`: of a structure, by member key, none renamed in the member too.
    fn member_renames(
        &mut self,
        shapes: &mut Shapes,
        shape: &str,
        members: &Spanned<crate::spec::Entries<Spanned<crate::spec::MemberSettings>>>,
        is_enum: bool,
        path: &SpecPath<'_>,
    ) {
        let mpath = path.key("members");
        if is_enum {
            self.at(
                "generation_types",
                members,
                &mpath,
                "`members` belongs to structures; this shape is an enum (its values' Rust names are `name` on each value)",
            );
            return;
        }
        let spec = self.spec;
        let defined = shapes
            .definition(spec, shape)
            .and_then(|(_, s)| s.value.members.as_ref());
        let keys: Vec<&str> = defined
            .iter()
            .flat_map(|m| m.value.iter().map(|(k, _)| k.value.as_str()))
            .collect();
        let mut candidates: Option<Candidates> = None;
        for (key, setting) in members.value.iter() {
            let kpath = mpath.key(&key.value);
            let own = defined.and_then(|m| m.value.get(&key.value));
            match own {
                None => {
                    let set = candidates
                        .get_or_insert_with(|| self.hints.candidates(keys.iter().copied()));
                    let hint = self.hints.did_you_mean(&key.value, set);
                    let message = format!(
                        "`{}` is not a member of `{shape}`; members are named by their keys{hint}",
                        key.value
                    );
                    self.at("generation_types", key, &kpath, message);
                }
                Some(m) if m.value.rust_name.is_some() => {
                    let message = format!(
                        "`{}` has a `rust_name` of its own in `shapes.{shape}`; rename it in one place",
                        key.value
                    );
                    self.at(
                        "generation_types",
                        &setting.value.rust_name,
                        &kpath.key("rust_name"),
                        message,
                    );
                }
                Some(_) => {
                    shapes.member_rust.insert(
                        (shape.to_owned(), key.value.clone()),
                        setting.value.rust_name.clone(),
                    );
                }
            }
        }
    }

    /// Rule: a standard derive of the settings (`Eq`, `Hash`, `PartialOrd`, `Ord`, `Default`,
    /// `Copy`) is only added where every member's type implements the trait; `Eq` or
    /// `Default` where the generator derives it already is listed twice.
    pub(super) fn derive_support(
        &mut self,
        settings: &Settings,
        structs: &[Struct],
        enums: &[Enum],
        shape_names: &[String],
    ) {
        let spec = self.spec;
        let Some(types) = type_settings(spec) else {
            return;
        };
        let generation_path = ROOT.key("generation");
        let types_path = generation_path.key("types");
        // What each structure derives, generated and added.
        let added: Vec<&[(String, usize)]> = shape_names
            .iter()
            .map(|shape| {
                settings
                    .shapes
                    .get(shape)
                    .map_or(&[][..], |set| set.derives.as_slice())
            })
            .collect();
        let has = |id: StructId, t: Std| -> bool {
            let s = &structs[id.0];
            match t {
                Std::Eq if s.eq => true,
                Std::Default if s.default => true,
                _ => added[id.0].iter().any(|(name, _)| name == t.name()),
            }
        };
        let ids: HashMap<&str, usize> = shape_names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        for (key, entry) in types.iter() {
            let Some(list) = &entry.value.derives else {
                continue;
            };
            let Some(&id) = ids.get(key.value.as_str()) else {
                continue; // an enum: every standard derive it can have, it has
            };
            let s = &structs[id];
            let type_path = types_path.key(&key.value);
            let dpath = type_path.key("derives");
            for (name, i) in added[id] {
                let Some(t) = Std::of(name) else { continue };
                let generated = match t {
                    Std::Eq => s.eq,
                    Std::Default => s.default,
                    _ => false,
                };
                // `Ord: Eq + PartialOrd`; the other standard traits need only what every
                // structure derives (`PartialEq`, `Clone`).
                let lacks_super = (t == Std::Ord)
                    .then(|| {
                        [Std::Eq, Std::PartialOrd]
                            .into_iter()
                            .find(|&sup| !has(StructId(id), sup))
                    })
                    .flatten();
                let message = if generated {
                    Some(format!("`{}` derives `{name}` already", s.name))
                } else if let Some(sup) = lacks_super {
                    Some(format!(
                        "`Ord` needs `{}` on the type too; add it to `derives`",
                        sup.name()
                    ))
                } else {
                    // `Option<T>` implements each trait when `T` does, and `Default` always.
                    s.fields
                        .iter()
                        .filter(|f| f.required || t != Std::Default)
                        .find_map(|f| {
                            let missing = lacks(&f.ty, t, &has, structs, enums)?;
                            Some(format!(
                                "`{name}` needs every member to implement it, and `{}` is {missing}",
                                f.key
                            ))
                        })
                };
                if let Some(message) = message {
                    self.at(
                        "generation_derives",
                        &list.value[*i],
                        &dpath.index(*i),
                        message,
                    );
                }
            }
        }
    }

    /// Rule: a replaced shape is one the generated code only holds and passes to serde: no
    /// operation's input or output, nothing reachable from an input (it would need
    /// validators), nothing pagination or a summary reads, and no map key.
    pub(super) fn replace_uses(&mut self, module: &Module, shape_names: &ShapeNames<'_>) {
        let replaced_struct = |id: StructId| module.structure(id).extra.replace.is_some();
        let replaced_enum = |id: EnumId| module.enumeration(id).extra.replace.is_some();
        let mut why: BTreeMap<(bool, usize), String> = BTreeMap::new();
        let mut note = |key: (bool, usize), reason: String| {
            why.entry(key).or_insert(reason);
        };
        for op in &module.operations {
            for (id, role) in [(op.input, "input"), (op.output, "output")] {
                if replaced_struct(id) {
                    note(
                        (false, id.0),
                        format!("it is the {role} of operation `{}`", op.wire),
                    );
                }
            }
            let mut refs = Vec::new();
            if let Some(p) = &op.pagination {
                refs.push(p.items);
                refs.extend(p.paging.fields());
            }
            if let Some(s) = &op.summary {
                refs.extend(s.fields());
            }
            for r in refs {
                if replaced_struct(r.structure) {
                    note(
                        (false, r.structure.0),
                        format!(
                            "the pagination or summary of `{}` reads its members",
                            op.wire
                        ),
                    );
                }
                let mut inner = &module.field(r).ty;
                while let Ty::List(t) = inner {
                    inner = t;
                }
                match inner {
                    Ty::Struct(id) if replaced_struct(*id) => note(
                        (false, id.0),
                        format!(
                            "the pagination or summary of `{}` reads its values",
                            op.wire
                        ),
                    ),
                    Ty::Enum(id) if replaced_enum(*id) => note(
                        (true, id.0),
                        format!(
                            "the pagination or summary of `{}` reads its values",
                            op.wire
                        ),
                    ),
                    _ => {}
                }
            }
        }
        for s in &module.structs {
            for f in &s.fields {
                let mut stack = vec![&f.ty];
                while let Some(ty) = stack.pop() {
                    match ty {
                        Ty::List(t) => stack.push(t),
                        Ty::Map(k, v) => {
                            if let Ty::Enum(id) = **k
                                && replaced_enum(id)
                            {
                                note(
                                    (true, id.0),
                                    format!(
                                        "it keys the map `{}` of `{}` (a map keyed by an enum has a slot per value)",
                                        f.key, s.name
                                    ),
                                );
                            }
                            stack.push(v);
                        }
                        Ty::Struct(id) if s.validated && replaced_struct(*id) => {
                            note(
                                (false, id.0),
                                format!(
                                    "`{}` holds it and is part of a request, which is validated (a replaced type has no validators)",
                                    s.name
                                ),
                            );
                        }
                        Ty::Enum(id) if s.validated && replaced_enum(*id) => {
                            note(
                                (true, id.0),
                                format!(
                                    "`{}` holds it and is part of a request, which is validated (a replaced type has no validators)",
                                    s.name
                                ),
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
        for ((is_enum, index), reason) in why {
            let shape = if is_enum {
                &shape_names.enums[index]
            } else {
                &shape_names.structs[index]
            };
            if let Some(replace) = replace_setting(self.spec, shape) {
                let generation_path = ROOT.key("generation");
                let types_path = generation_path.key("types");
                let key_path = types_path.key(shape);
                let path = key_path.key("replace");
                let message = format!("`{shape}` cannot be replaced: {reason}");
                self.at("generation_replace", replace, &path, message);
            }
        }
    }
}

/// Why the attribute `meta` cannot be added to a generated type, if it cannot: one that
/// clashes with what crspec generates, or that would take the type away from the code that
/// uses it (`cfg`) or make every such use warn (`deprecated`). The attributes inside a
/// `cfg_attr` are held to the same rules.
fn refused_attribute(meta: &syn::Meta) -> Option<String> {
    use syn::punctuated::Punctuated;

    let name = meta.path().get_ident()?.to_string();
    let why = match name.as_str() {
        "derive" => "derives are listed in `derives`, not as an attribute",
        "non_exhaustive" => "every generated type is `#[non_exhaustive]` already",
        "serde" => {
            "crspec writes the serde impls of generated types itself; no derive reads a `#[serde]` attribute"
        }
        "cfg" => {
            "the generated code uses the type wherever its shape is used; it cannot be compiled out"
        }
        "deprecated" => "the generated code uses the type itself, so every use would warn",
        "cfg_attr" => {
            let syn::Meta::List(list) = meta else {
                return None;
            };
            let parts = list
                .parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
                .ok()?;
            return parts.iter().skip(1).find_map(refused_attribute);
        }
        _ => return None,
    };
    Some(why.to_owned())
}

/// The `generation.types` of `spec`, if it has any.
fn type_settings(spec: &crate::spec::Spec) -> Option<&crate::spec::Entries<Spanned<TypeSettings>>> {
    Some(&spec.generation.as_ref()?.value.types.as_ref()?.value)
}

/// The `replace` setting of `shape`.
fn replace_setting<'s>(spec: &'s crate::spec::Spec, shape: &str) -> Option<&'s Spanned<String>> {
    type_settings(spec)?.get(shape)?.value.replace.as_ref()
}

/// The shape names of a module's structures and enums, by id.
pub(super) struct ShapeNames<'a> {
    pub(super) structs: &'a [String],
    pub(super) enums: &'a [String],
}

/// Why a replaced type, `path`, counts as not implementing `t`.
fn unseen(path: &str, t: Std) -> String {
    format!(
        "`{}`, a type of yours, which crspec cannot see implements `{}`",
        readable(path),
        t.name()
    )
}

/// Why a value of type `ty` does not implement `t` (`a double`, `structure ImageDetail, which
/// does not derive Hash`), or `None` when it does.
fn lacks(
    ty: &Ty,
    t: Std,
    has: &impl Fn(StructId, Std) -> bool,
    structs: &[Struct],
    enums: &[Enum],
) -> Option<String> {
    let plain = |what: &str, ok: bool| {
        (!ok).then(|| format!("{what}, which does not implement `{}`", t.name()))
    };
    match ty {
        Ty::String | Ty::SharedString | Ty::ShortString => plain("a string", t != Std::Copy),
        Ty::Digest => plain("a digest", !matches!(t, Std::Default | Std::Copy)),
        Ty::Integer | Ty::Long | Ty::Boolean => None,
        Ty::Double => plain(
            "a double",
            matches!(t, Std::PartialOrd | Std::Default | Std::Copy),
        ),
        Ty::Timestamp(crate::ir::TsFormat::Text) => {
            plain("a text timestamp", !matches!(t, Std::Default | Std::Copy))
        }
        Ty::Timestamp(_) => plain("a timestamp", t != Std::Default),
        Ty::List(item) => match t {
            Std::Copy => plain("a list", false),
            Std::Default => None,
            _ => lacks(item, t, has, structs, enums).map(|why| format!("a list of {why}")),
        },
        Ty::Map(k, v) => {
            let enum_keyed = matches!(**k, Ty::Enum(_));
            match t {
                Std::Copy => plain("a map", false),
                Std::Default => None,
                Std::PartialOrd | Std::Ord if enum_keyed => plain("a map keyed by an enum", false),
                _ => lacks(k, t, has, structs, enums)
                    .or_else(|| lacks(v, t, has, structs, enums))
                    .map(|why| format!("a map with {why}")),
            }
        }
        Ty::Struct(id) => {
            let s = &structs[id.0];
            if let Some(path) = &s.extra.replace {
                return Some(unseen(path, t));
            }
            (!has(*id, t)).then(|| {
                format!(
                    "`{}`, which does not derive `{}` (add it to that type's `derives`)",
                    s.name,
                    t.name()
                )
            })
        }
        Ty::Enum(id) => {
            let e = &enums[id.0];
            if let Some(path) = &e.extra.replace {
                return Some(unseen(path, t));
            }
            plain(
                &format!("the enum `{}`", e.name),
                !matches!(t, Std::Default | Std::Copy),
            )
        }
    }
}
