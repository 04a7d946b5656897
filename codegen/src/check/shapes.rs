//! Shapes: their names and kinds, which structures are requests (and get builders), their
//! contents, recursion, and which traits each structure can derive.

use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap, VecDeque};

use super::generation::{Settings, ShapeNames};
use super::members::Patterns;
use super::types::{Kind, PRIMITIVES, ShapeType, parse_type};
use super::words::{Candidates, Case, Hints, NameFault, Taken, name_fault};
use super::{Checker, ROOT, docs_of};
use crate::diag::Diagnostic;
use crate::ir::{Enum, EnumId, EnumValue, Pattern, Struct, StructId, Ty};
use crate::names;
use crate::spec::{Shape, Spanned};

/// The shapes by name, as the later passes see them.
pub(super) struct Shapes {
    /// What each name stands for (the first definition of a name).
    pub(super) kinds: HashMap<String, Kind>,
    /// Where each name is first defined: its index in the spec's `shapes`.
    pub(super) defined_at: HashMap<String, usize>,
    /// Structure names, by [`StructId`].
    pub(super) structs: Vec<String>,
    /// Enum names, by [`EnumId`].
    pub(super) enums: Vec<String>,
    /// Every generated type name, with what made it.
    pub(super) types: Taken,
    /// Structures reachable from an operation's input (they get builders), by name.
    pub(super) validated: BTreeSet<String>,
    /// The values of each shape that has `values`, by shape name.
    pub(super) enum_values: HashMap<String, Vec<String>>,
    /// The Rust type names that differ from the shape names (`generation.types.*.rust_name`).
    pub(super) rust: HashMap<String, String>,
    /// Members' Rust names set in `generation.types.*.members`, by shape name and member key.
    pub(super) member_rust: HashMap<(String, String), Spanned<String>>,
    /// The shape names as hint candidates, prepared at the first unknown shape.
    names: OnceCell<Candidates>,
    /// The primitives and shape names as hint candidates, prepared at the first unknown type.
    type_names: OnceCell<Candidates>,
}

impl Shapes {
    /// The shape names by id, for reports on the finished module.
    pub(super) fn by_id(&self) -> ShapeNames<'_> {
        ShapeNames {
            structs: &self.structs,
            enums: &self.enums,
        }
    }

    /// The Rust type name of the shape `name`.
    pub(super) fn rust_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.rust.get(name).map_or(name, String::as_str)
    }

    /// The structure named `name`, if it is one.
    pub(super) fn structure(&self, name: &str) -> Option<StructId> {
        match self.kinds.get(name) {
            Some(Kind::Structure(id)) => Some(*id),
            _ => None,
        }
    }

    /// The (first) definition of the shape `name` in `spec`: its key and the shape.
    pub(super) fn definition<'s>(
        &self,
        spec: &'s crate::spec::Spec,
        name: &str,
    ) -> Option<&'s (crate::spec::Spanned<String>, crate::spec::Spanned<Shape>)> {
        spec.shapes.value.0.get(*self.defined_at.get(name)?)
    }

    /// The hint for a shape name that names no shape.
    pub(super) fn shape_hint(&self, hints: &mut Hints, name: &str) -> String {
        let set = self
            .names
            .get_or_init(|| hints.candidates(self.kinds.keys().map(String::as_str)));
        hints.did_you_mean(name, set)
    }

    /// The primitive or shape name closest to `name`, a type name that names neither.
    pub(super) fn closest_type(&self, hints: &mut Hints, name: &str) -> Option<&str> {
        let set = self.type_names.get_or_init(|| {
            let names = self.kinds.keys().map(String::as_str);
            hints.candidates(PRIMITIVES.iter().copied().chain(names))
        });
        hints.closest(name, set)
    }
}

/// What the shape pass built: structures and enums in spec order, and the patterns of the
/// validators.
pub(super) struct Contents {
    pub(super) structs: Vec<(StructId, Struct)>,
    pub(super) enums: Vec<(EnumId, Enum)>,
    pub(super) patterns: Patterns,
    /// Where each structure is in `structs`, by [`StructId`] (the first one built of an id).
    built: Vec<Option<usize>>,
}

impl Contents {
    /// The structure `id`, if it was built (it was not when it has problems).
    pub(super) fn structure(&self, id: StructId) -> Option<&Struct> {
        let at = (*self.built.get(id.0)?)?;
        self.structs.get(at).map(|(_, s)| s)
    }

    /// Adds the structure `id`.
    fn push_structure(&mut self, id: StructId, s: Struct) {
        if self.built.len() <= id.0 {
            self.built.resize(id.0 + 1, None);
        }
        self.built[id.0].get_or_insert(self.structs.len());
        self.structs.push((id, s));
    }
}

impl Checker<'_> {
    /// Rule: a shape is a `structure` or an `enum`, defined once, named in UpperCamelCase,
    /// and not named like a standard type the generated code uses.
    pub(super) fn shape_names(&mut self) -> Shapes {
        let spec = self.spec;
        let mut shapes = Shapes {
            kinds: HashMap::new(),
            defined_at: HashMap::new(),
            structs: Vec::new(),
            enums: Vec::new(),
            types: Taken::default(),
            validated: BTreeSet::new(),
            enum_values: spec
                .shapes
                .value
                .iter()
                .filter_map(|(name, shape)| {
                    let values = shape.value.values.as_ref()?;
                    let values = values.value.iter().map(|(v, _)| v.value.clone());
                    Some((name.value.clone(), values.collect()))
                })
                .collect(),
            rust: HashMap::new(),
            member_rust: HashMap::new(),
            names: OnceCell::new(),
            type_names: OnceCell::new(),
        };
        let shapes_path = ROOT.key("shapes");
        for (at, (name, shape)) in spec.shapes.value.iter().enumerate() {
            let path = shapes_path.key(&name.value);
            let kind = self.keyword::<ShapeType>(&shape.value.kind, &path.key("type"));
            let message = match name_fault(&name.value, Case::UpperCamel) {
                Some(NameFault::Invalid(problem)) => {
                    Some(format!("{problem}; shape names are Rust type names"))
                }
                Some(NameFault::WrongCase(right))
                    if !name.value.starts_with(|c: char| c.is_ascii_uppercase()) =>
                {
                    Some(format!(
                        "shape names are Rust type names and start with an upper-case letter (try `{right}`)"
                    ))
                }
                Some(NameFault::WrongCase(right)) => Some(format!(
                    "shape names are UpperCamelCase Rust type names (try `{right}`)"
                )),
                None if names::RESERVED_TYPES.contains(&name.value.as_str()) => Some(format!(
                    "`{}` would shadow the standard type of that name in generated code; rename the shape",
                    name.value
                )),
                None => None,
            };
            if let Some(message) = message {
                self.at("shape_names", name, &path, message);
            }
            if shapes.kinds.contains_key(&name.value) {
                self.at(
                    "shape_names",
                    name,
                    &path,
                    format!("shape `{}` is defined twice", name.value),
                );
                continue;
            }
            let kind = match kind {
                Some(ShapeType::Structure) => {
                    shapes.structs.push(name.value.clone());
                    Kind::Structure(StructId(shapes.structs.len() - 1))
                }
                Some(ShapeType::Enum) => {
                    shapes.enums.push(name.value.clone());
                    Kind::Enum(EnumId(shapes.enums.len() - 1))
                }
                None => Kind::Broken,
            };
            shapes.kinds.insert(name.value.clone(), kind);
            shapes.defined_at.insert(name.value.clone(), at);
            // The first name of a module's types: it cannot be taken.
            let _ = shapes
                .types
                .take(&name.value, || format!("shape `{}`", name.value));
        }
        shapes
    }

    /// Rule: the structures reachable from an operation's input are requests: they get
    /// validators.
    pub(super) fn request_shapes(&mut self, shapes: &mut Shapes) {
        let spec = self.spec;
        let mut stack: Vec<String> = spec
            .operations
            .value
            .iter()
            .map(|(_, op)| op.value.input.value.clone())
            .collect();
        while let Some(name) = stack.pop() {
            if shapes.structure(&name).is_none() || !shapes.validated.insert(name.clone()) {
                continue;
            }
            if let Some((_, shape)) = shapes.definition(spec, &name)
                && let Some(members) = &shape.value.members
            {
                for (_, m) in members.value.iter() {
                    if let Ok(expr) = parse_type(&m.value.ty.value) {
                        expr.collect_named(&mut stack);
                    }
                }
            }
        }
    }

    /// Rule: every structure that is generated (not replaced) gets a builder,
    /// `{RustName}Builder`, whose name must be free.
    pub(super) fn builder_names(&mut self, shapes: &mut Shapes, settings: &Settings) {
        let spec = self.spec;
        let shapes_path = ROOT.key("shapes");
        for name in shapes.structs.clone() {
            if settings
                .shapes
                .get(&name)
                .is_some_and(|s| s.extra.replace.is_some())
            {
                continue;
            }
            let builder = format!("{}Builder", shapes.rust_name(&name));
            if let Err(other) = shapes
                .types
                .take(&builder, || format!("the builder of shape `{name}`"))
                && let Some((key, _)) = shapes
                    .defined_at
                    .get(&name)
                    .and_then(|&at| spec.shapes.value.0.get(at))
            {
                let message =
                    format!("the builder `{builder}` of this structure collides with {other}");
                self.at("builder_names", key, &shapes_path.key(&name), message);
            }
        }
    }

    /// Checks every shape's contents (structures: members, constraints, groups; enums:
    /// values), then that no structure contains itself.
    pub(super) fn shape_contents(&mut self, shapes: &Shapes) -> Contents {
        let spec = self.spec;
        let mut contents = Contents {
            structs: Vec::new(),
            enums: Vec::new(),
            patterns: Patterns::default(),
            built: vec![None; shapes.structs.len()],
        };
        let shapes_path = ROOT.key("shapes");
        for (name, shape) in spec.shapes.value.iter() {
            let path = shapes_path.key(&name.value);
            self.source_key(shape.value.source.as_ref(), &path);
            match shapes.kinds.get(&name.value) {
                Some(Kind::Structure(id)) => {
                    let validated = shapes.validated.contains(&name.value);
                    if let Some(s) = self.structure(
                        &name.value,
                        &shape.value,
                        &path,
                        shapes,
                        validated,
                        &mut contents.patterns,
                    ) {
                        contents.push_structure(*id, s);
                    }
                }
                Some(Kind::Enum(id)) => {
                    if let Some(e) = self.enumeration(&name.value, &shape.value, &path) {
                        contents.enums.push((*id, e));
                    }
                }
                Some(Kind::Broken) | None => {}
            }
        }
        self.recursion(shapes, &contents);
        contents
    }

    /// Rule: an enum has `values` (and no `members` or `exclusive`), each listed once, each
    /// with an UpperCamelCase variant name of its own other than `Unknown`.
    fn enumeration(
        &mut self,
        name: &str,
        shape: &Shape,
        path: &super::SpecPath<'_>,
    ) -> Option<Enum> {
        if let Some(m) = &shape.members {
            self.at(
                "enumeration",
                m,
                &path.key("members"),
                "`members` belongs to structures; this shape is an enum",
            );
        }
        if let Some(x) = &shape.exclusive {
            self.at(
                "enumeration",
                x,
                &path.key("exclusive"),
                "`exclusive` belongs to structures; this shape is an enum",
            );
        }
        let Some(values) = &shape.values else {
            self.at("enumeration", &shape.kind, path, "an enum needs `values`");
            return None;
        };
        let values_path = path.key("values");
        if values.value.0.is_empty() {
            self.at(
                "enumeration",
                values,
                &values_path,
                "an enum needs at least one value",
            );
        }
        let before = self.reported();
        let mut out = Vec::new();
        let mut variants = Taken::default();
        let mut wires = BTreeSet::new();
        for (value, def) in values.value.iter() {
            let vpath = values_path.key(&value.value);
            self.source_key(def.value.source.as_ref(), &vpath);
            if !wires.insert(value.value.clone()) {
                self.at(
                    "enumeration",
                    value,
                    &vpath,
                    format!("value `{}` is listed twice", value.value),
                );
                continue;
            }
            let variant = def
                .value
                .name
                .as_ref()
                .map_or_else(|| names::type_name(&value.value), |n| n.value.clone());
            let at = def.value.name.as_ref().unwrap_or(value);
            let message = match name_fault(&variant, Case::UpperCamel) {
                Some(NameFault::Invalid(problem)) => {
                    Some(format!("the variant name: {problem}; set `name`"))
                }
                Some(NameFault::WrongCase(right)) => Some(format!(
                    "the variant name `{variant}` is not UpperCamelCase (try `{right}`)"
                )),
                None if variant == "Unknown" => Some("`Unknown` is the variant for values the spec does not list; set `name` to another variant name".to_owned()),
                None => variants
                    .take(&variant, || value.value.clone())
                    .err()
                    .map(|other| format!("values `{other}` and `{}` both become the variant `{variant}`; set `name` on one of them", value.value)),
            };
            if let Some(message) = message {
                self.at("enumeration", at, &vpath, message);
            }
            out.push(EnumValue {
                wire: value.value.clone(),
                variant,
                docs: docs_of(def.value.docs.as_ref()),
            });
        }
        (self.reported() == before).then(|| Enum {
            name: name.to_owned(),
            docs: docs_of(shape.docs.as_ref()),
            values: out,
            extra: crate::ir::Extra::default(),
        })
    }

    /// Rule: a structure that contains itself without a list or a map keyed by `string` in
    /// between has no finite size. A map keyed by an enum (`EnumMap`) holds a slot per known
    /// key in place, so it is no indirection.
    ///
    /// Such a structure lies on a cycle of members held in place: it is in a strongly
    /// connected component of more than one structure, or contains itself. One pass finds
    /// every component, in time linear in structures and members.
    fn recursion(&mut self, shapes: &Shapes, contents: &Contents) {
        /// The structures a value of type `ty` holds in place.
        fn in_place(ty: &Ty, out: &mut Vec<usize>) {
            match ty {
                Ty::Struct(to) => out.push(to.0),
                Ty::Map(key, value) if matches!(**key, Ty::Enum(_)) => in_place(value, out),
                _ => {}
            }
        }
        let direct = |id: StructId| -> Vec<usize> {
            let mut out = Vec::new();
            if let Some(s) = contents.structure(id) {
                for f in &s.fields {
                    in_place(&f.ty, &mut out);
                }
            }
            out
        };
        let edges: Vec<Vec<usize>> = (0..shapes.structs.len())
            .map(|i| direct(StructId(i)))
            .collect();
        let on_cycle = on_cycles(&edges);
        let shapes_path = ROOT.key("shapes");
        for (id, s) in &contents.structs {
            if on_cycle[id.0]
                && let Some((key, _)) = shapes.definition(self.spec, &s.name)
            {
                self.at("infinite_size", key, &shapes_path.key(&s.name), format!("structure `{}` contains itself without a list or a map keyed by `string` in between, so it has no finite size", s.name));
            }
        }
    }

    /// The structures, enums and patterns of a spec without problems, each type with its
    /// Rust name and the additions of the `generation` settings, each structure with the
    /// traits it can derive. The settings' standard derives are checked here, once those are
    /// known.
    pub(super) fn finish_shapes(
        &mut self,
        shapes: &Shapes,
        contents: Contents,
        settings: &mut Settings,
    ) -> Result<Finished, Vec<Diagnostic>> {
        let mut structs: Vec<Option<Struct>> = shapes.structs.iter().map(|_| None).collect();
        for (id, s) in contents.structs {
            structs[id.0] = Some(s);
        }
        let mut enums: Vec<Option<Enum>> = shapes.enums.iter().map(|_| None).collect();
        for (id, e) in contents.enums {
            enums[id.0] = Some(e);
        }
        let (Some(mut structs), Some(mut enums)) = (
            structs.into_iter().collect::<Option<Vec<_>>>(),
            enums.into_iter().collect::<Option<Vec<_>>>(),
        ) else {
            return Err(self.internal("a shape without problems was not built"));
        };
        for (s, shape) in structs.iter_mut().zip(&shapes.structs) {
            s.name = shapes.rust_name(shape).to_owned();
            if let Some(set) = settings.shapes.get_mut(shape) {
                s.extra = std::mem::take(&mut set.extra);
            }
        }
        for (e, shape) in enums.iter_mut().zip(&shapes.enums) {
            e.name = shapes.rust_name(shape).to_owned();
            if let Some(set) = settings.shapes.get_mut(shape) {
                e.extra = std::mem::take(&mut set.extra);
            }
        }
        let replaced_enums: Vec<bool> = enums.iter().map(|e| e.extra.replace.is_some()).collect();
        derive_flags(&mut structs, &replaced_enums);
        self.derive_support(settings, &structs, &enums, &shapes.structs);
        Ok(Finished {
            structs,
            enums,
            patterns: contents.patterns.list,
        })
    }
}

/// The named types of a spec without problems, indexed by their ids.
pub(super) struct Finished {
    pub(super) structs: Vec<Struct>,
    pub(super) enums: Vec<Enum>,
    pub(super) patterns: Vec<Pattern>,
}

/// Which nodes of the graph `edges` (node → the nodes it points to) lie on a cycle: those of a
/// strongly connected component of more than one node, and those pointing to themselves.
/// Tarjan's algorithm, with an explicit stack (a chain of structures is as deep as it is long).
fn on_cycles(edges: &[Vec<usize>]) -> Vec<bool> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut out = vec![false; n];
    let mut next = 0;
    // (node, how many of its edges were followed)
    let mut walk: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        walk.push((root, 0));
        while let Some(top) = walk.last_mut() {
            let node = top.0;
            if index[node] == UNSEEN {
                index[node] = next;
                low[node] = next;
                next += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&to) = edges[node].get(top.1) {
                top.1 += 1;
                if to >= n {
                    continue;
                }
                if index[to] == UNSEEN {
                    walk.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(index[to]);
                }
                continue;
            }
            walk.pop();
            if let Some(&(parent, _)) = walk.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                let cyclic = component.len() > 1 || edges[node].contains(&node);
                for member in component {
                    out[member] = cyclic;
                }
            }
        }
    }
    out
}

/// Which structures can derive `Default` (every required field has one) and `Eq` (no `f64`
/// inside).
///
/// Both are greatest fixpoints: a structure qualifies unless one of its own fields rules it
/// out, or it contains a structure that does not qualify. The structures ruled out by their own
/// fields are found first; each then rules out the structures that contain it, through the
/// reversed "contains" edges, each structure once: linear in structures and members.
fn derive_flags(structs: &mut [Struct], replaced_enums: &[bool]) {
    /// `ty`'s own verdict (`Some(false)` rules the structure out) and the structures it
    /// depends on, pushed onto `on`.
    fn default_of(ty: &Ty, on: &mut Vec<usize>) -> bool {
        match ty {
            Ty::Timestamp(_) | Ty::Enum(_) | Ty::Digest => false,
            Ty::Struct(id) => {
                on.push(id.0);
                true
            }
            _ => true,
        }
    }
    fn eq_of(ty: &Ty, on: &mut Vec<usize>, replaced_enums: &[bool]) -> bool {
        match ty {
            Ty::Double => false,
            // A type of the user's: whether it is `Eq` is not known.
            Ty::Enum(id) => !replaced_enums.get(id.0).copied().unwrap_or(false),
            Ty::List(t) => eq_of(t, on, replaced_enums),
            Ty::Map(k, v) => {
                // Both sides: a dependency on either is a dependency of the structure.
                let key = eq_of(k, on, replaced_enums);
                eq_of(v, on, replaced_enums) && key
            }
            Ty::Struct(id) => {
                on.push(id.0);
                true
            }
            _ => true,
        }
    }
    let n = structs.len();
    // A structure replaced by a type of the user's: whether it is `Default` or `Eq` is not
    // known, so the structures that hold one derive neither.
    let mut default: Vec<bool> = structs.iter().map(|s| s.extra.replace.is_none()).collect();
    let mut eq = default.clone();
    // contained_in[j]: the structures with a field that needs j (for Default, for Eq).
    let mut default_in: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut eq_in: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut on = Vec::new();
    for (i, s) in structs.iter().enumerate() {
        for f in s.fields.iter().filter(|f| f.required) {
            on.clear();
            default[i] &= default_of(&f.ty, &mut on);
            for &j in &on {
                if let Some(list) = default_in.get_mut(j) {
                    list.push(i);
                }
            }
        }
        for f in &s.fields {
            on.clear();
            eq[i] &= eq_of(&f.ty, &mut on, replaced_enums);
            for &j in &on {
                if let Some(list) = eq_in.get_mut(j) {
                    list.push(i);
                }
            }
        }
    }
    for (flags, contained_in) in [(&mut default, &default_in), (&mut eq, &eq_in)] {
        let mut queue: VecDeque<usize> = (0..n).filter(|&i| !flags[i]).collect();
        while let Some(j) = queue.pop_front() {
            for &i in &contained_in[j] {
                if flags[i] {
                    flags[i] = false;
                    queue.push_back(i);
                }
            }
        }
    }
    for (i, s) in structs.iter_mut().enumerate() {
        s.default = default[i];
        s.eq = eq[i];
    }
}
