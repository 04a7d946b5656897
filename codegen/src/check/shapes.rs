//! Shapes: their names and kinds, which structures are requests (and get builders), their
//! contents, recursion, and which traits each structure can derive.

use std::collections::{BTreeSet, HashMap};

use super::types::{Kind, ShapeType, parse_type};
use super::words::{Case, NameFault, Taken, did_you_mean, name_fault};
use super::{Checker, ROOT, docs_of};
use crate::diag::Diagnostic;
use crate::ir::{Enum, EnumId, EnumValue, Pattern, Struct, StructId, Ty};
use crate::names;
use crate::spec::Shape;

/// The shapes by name, as the later passes see them.
pub(super) struct Shapes {
    /// What each name stands for (the first definition of a name).
    pub(super) kinds: HashMap<String, Kind>,
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
}

impl Shapes {
    /// The structure named `name`, if it is one.
    pub(super) fn structure(&self, name: &str) -> Option<StructId> {
        match self.kinds.get(name) {
            Some(Kind::Structure(id)) => Some(*id),
            _ => None,
        }
    }
}

/// What the shape pass built: structures and enums in spec order, and the patterns of the
/// validators.
pub(super) struct Contents {
    pub(super) structs: Vec<(StructId, Struct)>,
    pub(super) enums: Vec<(EnumId, Enum)>,
    pub(super) patterns: Vec<Pattern>,
}

impl Contents {
    /// The structure `id`, if it was built (it was not when it has problems).
    pub(super) fn structure(&self, id: StructId) -> Option<&Struct> {
        self.structs.iter().find(|(i, _)| *i == id).map(|(_, s)| s)
    }
}

impl Checker<'_> {
    /// Rule: a shape is a `structure` or an `enum`, defined once, named in UpperCamelCase,
    /// and not named like a standard type the generated code uses.
    pub(super) fn shape_names(&mut self) -> Shapes {
        let spec = self.spec;
        let mut shapes = Shapes {
            kinds: HashMap::new(),
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
        };
        let shapes_path = ROOT.key("shapes");
        for (name, shape) in spec.shapes.value.iter() {
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
                self.at(name, &path, message);
            }
            if shapes.kinds.contains_key(&name.value) {
                self.at(
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
            // The first name of a module's types: it cannot be taken.
            let _ = shapes
                .types
                .take(&name.value, || format!("shape `{}`", name.value));
        }
        shapes
    }

    /// Rule: the structures reachable from an operation's input are requests: each gets a
    /// builder, `{Name}Builder`, whose name must be free.
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
            if let Some(shape) = spec.shapes.value.get(&name)
                && let Some(members) = &shape.value.members
            {
                for (_, m) in members.value.iter() {
                    if let Ok(expr) = parse_type(&m.value.ty.value) {
                        expr.collect_named(&mut stack);
                    }
                }
            }
        }
        let shapes_path = ROOT.key("shapes");
        for name in &shapes.validated {
            let builder = format!("{name}Builder");
            if let Err(other) = shapes
                .types
                .take(&builder, || format!("the builder of shape `{name}`"))
                && let Some((key, _)) = spec.shapes.value.iter().find(|(k, _)| &k.value == name)
            {
                let message =
                    format!("the builder `{builder}` of this request shape collides with {other}");
                self.at(key, &shapes_path.key(name), message);
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
            patterns: Vec::new(),
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
                        contents.structs.push((*id, s));
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
        self.recursion(&contents);
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
                m,
                &path.key("members"),
                "`members` belongs to structures; this shape is an enum",
            );
        }
        if let Some(x) = &shape.exclusive {
            self.at(
                x,
                &path.key("exclusive"),
                "`exclusive` belongs to structures; this shape is an enum",
            );
        }
        let Some(values) = &shape.values else {
            self.at(&shape.kind, path, "an enum needs `values`");
            return None;
        };
        let values_path = path.key("values");
        if values.value.0.is_empty() {
            self.at(values, &values_path, "an enum needs at least one value");
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
                self.at(at, &vpath, message);
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
        })
    }

    /// Rule: a structure that contains itself without a list or map in between has no finite
    /// size.
    fn recursion(&mut self, contents: &Contents) {
        fn direct(ty: &Ty) -> Option<StructId> {
            match ty {
                Ty::Struct(id) => Some(*id),
                _ => None,
            }
        }
        let spec = self.spec;
        let shapes_path = ROOT.key("shapes");
        for (id, s) in &contents.structs {
            let mut stack: Vec<StructId> = s.fields.iter().filter_map(|f| direct(&f.ty)).collect();
            let mut seen = BTreeSet::new();
            while let Some(n) = stack.pop() {
                if n == *id {
                    if let Some((key, _)) =
                        spec.shapes.value.iter().find(|(k, _)| k.value == s.name)
                    {
                        self.at(key, &shapes_path.key(&s.name), format!("structure `{}` contains itself without a list or map in between, so it has no finite size", s.name));
                    }
                    break;
                }
                if seen.insert(n)
                    && let Some(inner) = contents.structure(n)
                {
                    stack.extend(inner.fields.iter().filter_map(|f| direct(&f.ty)));
                }
            }
        }
    }

    /// The structures, enums and patterns of a spec without problems, each structure with
    /// the traits it can derive.
    pub(super) fn finish_shapes(
        &self,
        shapes: &Shapes,
        contents: Contents,
    ) -> Result<Finished, Vec<Diagnostic>> {
        let mut structs: Vec<Option<Struct>> = shapes.structs.iter().map(|_| None).collect();
        for (id, s) in contents.structs {
            structs[id.0] = Some(s);
        }
        let mut enums: Vec<Option<Enum>> = shapes.enums.iter().map(|_| None).collect();
        for (id, e) in contents.enums {
            enums[id.0] = Some(e);
        }
        let (Some(mut structs), Some(enums)) = (
            structs.into_iter().collect::<Option<Vec<_>>>(),
            enums.into_iter().collect::<Option<Vec<_>>>(),
        ) else {
            return Err(self.internal("a shape without problems was not built"));
        };
        derive_flags(&mut structs);
        Ok(Finished {
            structs,
            enums,
            patterns: contents.patterns,
        })
    }
}

/// The named types of a spec without problems, indexed by their ids.
pub(super) struct Finished {
    pub(super) structs: Vec<Struct>,
    pub(super) enums: Vec<Enum>,
    pub(super) patterns: Vec<Pattern>,
}

/// The hint for a shape name that names no shape.
pub(super) fn shape_hint(name: &str, shapes: &Shapes) -> String {
    did_you_mean(name, shapes.kinds.keys().map(String::as_str))
}

/// Which structures can derive `Default` (every required field has one) and `Eq` (no `f64`
/// inside).
fn derive_flags(structs: &mut [Struct]) {
    fn has_default(ty: &Ty, ok: &[bool]) -> bool {
        match ty {
            Ty::Timestamp(_) | Ty::Enum(_) | Ty::Digest => false,
            Ty::Struct(id) => ok[id.0],
            _ => true,
        }
    }
    fn has_eq(ty: &Ty, ok: &[bool]) -> bool {
        match ty {
            Ty::Double => false,
            Ty::List(t) => has_eq(t, ok),
            Ty::Map(k, v) => has_eq(k, ok) && has_eq(v, ok),
            Ty::Struct(id) => ok[id.0],
            _ => true,
        }
    }
    // Greatest fixpoints: assume every structure qualifies, then drop those that do not.
    let mut default = vec![true; structs.len()];
    let mut eq = vec![true; structs.len()];
    loop {
        let mut changed = false;
        for (i, s) in structs.iter().enumerate() {
            if default[i]
                && !s
                    .fields
                    .iter()
                    .all(|f| !f.required || has_default(&f.ty, &default))
            {
                default[i] = false;
                changed = true;
            }
            if eq[i] && !s.fields.iter().all(|f| has_eq(&f.ty, &eq)) {
                eq[i] = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (i, s) in structs.iter_mut().enumerate() {
        s.default = default[i];
        s.eq = eq[i];
    }
}
