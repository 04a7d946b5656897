//! A structure's members: names, types, locations and constraints, and its exclusive groups.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::constraints::Rules;
use super::protocol::is_header_name;
use super::shapes::Shapes;
use super::types::{TypeNames, is_number, is_string_like, parse_type, resolve};
use super::words::{Candidates, Case, NameFault, Taken, name_fault};
use super::{Checker, SpecPath, docs_of};
use crate::ir::{Exclusive, Field, Location, Pattern, PatternId, Struct, TsFormat, Ty};
use crate::names;
use crate::pattern::{self, Tables};
use crate::spec::{Member, Shape, Spanned};

/// The module's own items in the namespace of pattern statics (values): its constants and the
/// list of its patterns. A pattern static is never named like one of them (`Api.version` would
/// suggest `API_VERSION`); it takes the next free suffix instead.
const MODULE_VALUES: [&str; 5] = [
    "PROVIDER",
    "API_VERSION",
    "ENDPOINT",
    "PROTOCOL",
    "PATTERNS",
];

/// The patterns of a module: one static per distinct pattern of a request, named after its
/// first member; and every pattern compiled so far, each compiled once however many members
/// share it.
#[derive(Debug)]
pub(super) struct Patterns {
    /// The statics, in the order they were added.
    pub(super) list: Vec<Pattern>,
    /// Each static's index in `list`, by pattern.
    by_source: HashMap<String, usize>,
    /// The names of the statics.
    names: HashSet<String>,
    /// For each base name taken, the next suffix to try (`_2` first).
    next_suffix: HashMap<String, usize>,
    /// Every pattern compiled, with what it compiled to.
    compiled: HashMap<String, Result<Tables, String>>,
}

impl Default for Patterns {
    fn default() -> Self {
        Patterns {
            list: Vec::new(),
            by_source: HashMap::new(),
            names: MODULE_VALUES.iter().map(|n| (*n).to_owned()).collect(),
            next_suffix: HashMap::new(),
            compiled: HashMap::new(),
        }
    }
}

impl Patterns {
    /// The tables of `source` ([`pattern::compile`]), compiled at its first use.
    fn compile(&mut self, source: &str) -> Result<Tables, String> {
        if let Some(done) = self.compiled.get(source) {
            return done.clone();
        }
        let done = pattern::compile(source);
        self.compiled.insert(source.to_owned(), done.clone());
        done
    }

    /// The index of the static of `source`, added (named `base`, or `base_2`, `base_3`, ...:
    /// the first name free) when it is the pattern's first use.
    fn add(&mut self, source: &str, base: impl FnOnce() -> String, tables: &Tables) -> usize {
        if let Some(&index) = self.by_source.get(source) {
            return index;
        }
        // `Foo.barBaz` and `FooBar.baz` give the same base name. Names are never given back,
        // so the suffixes tried before for a base stay taken and the search resumes after them.
        let base = base();
        let mut unique = base.clone();
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(2);
        if self.names.contains(&unique) {
            unique = format!("{base}_{n}");
            n += 1;
            while self.names.contains(&unique) {
                unique = format!("{base}_{n}");
                n += 1;
            }
        }
        self.next_suffix.insert(base, n);
        self.names.insert(unique.clone());
        self.list.push(Pattern {
            source: source.to_owned(),
            name: unique,
            tables: tables.clone(),
        });
        self.by_source
            .insert(source.to_owned(), self.list.len() - 1);
        self.list.len() - 1
    }
}

/// The hint for a member named by the wire name `wire` of the member `key`: members are named by
/// their keys (in exclusive groups, pagination and summaries).
pub(super) fn wire_name_hint(wire: &str, key: &str) -> String {
    format!(" (`{wire}` is the wire name of `{key}`: name members by their keys)")
}

/// What the members of one structure share while they are checked.
struct Members<'a> {
    /// The structure's name.
    name: &'a str,
    /// The structure is a request: it gets a builder and its patterns are emitted.
    validated: bool,
    shapes: &'a Shapes,
    /// The module's patterns so far.
    patterns: &'a mut Patterns,
    /// Rust field names taken so far.
    rust_names: Taken,
    /// Wire names taken so far.
    wire_names: BTreeSet<String>,
}

impl Checker<'_> {
    /// Rule: a structure has `members` (and no `values`); see [`Checker::member`] and
    /// [`Checker::exclusive_groups`] for the rules of each.
    pub(super) fn structure(
        &mut self,
        name: &str,
        shape: &Shape,
        path: &SpecPath<'_>,
        shapes: &Shapes,
        validated: bool,
        patterns: &mut Patterns,
    ) -> Option<Struct> {
        if let Some(values) = &shape.values {
            self.at(
                "structure",
                values,
                &path.key("values"),
                "`values` belongs to enums; this shape is a structure",
            );
        }
        let Some(members) = &shape.members else {
            self.at(
                "structure",
                &shape.kind,
                path,
                "a structure needs `members` (write `members: {}` for none)",
            );
            return None;
        };
        let before = self.reported();
        let mut cx = Members {
            name,
            validated,
            shapes,
            patterns,
            rust_names: Taken::default(),
            wire_names: BTreeSet::new(),
        };
        let members_path = path.key("members");
        let mut fields: Vec<Field> = Vec::new();
        for (key, member) in members.value.iter() {
            let mpath = members_path.key(&key.value);
            if let Some(field) = self.member(&mut cx, key, &member.value, &mpath) {
                fields.push(field);
            }
        }
        let keys: BTreeSet<&str> = members
            .value
            .iter()
            .map(|(k, _)| k.value.as_str())
            .collect();
        let exclusive = self.exclusive_groups(shape, path, name, &keys, &fields);
        if self.reported() > before {
            return None;
        }
        Some(Struct {
            name: name.to_owned(),
            docs: docs_of(shape.docs.as_ref()),
            fields,
            exclusive,
            validated,
            default: false,
            eq: false,
            extra: crate::ir::Extra::default(),
        })
    }

    /// Rule: a member has a name and a wire name of its own, a snake_case Rust name of its own
    /// that no builder method has, a type that resolves, and constraints that fit its type.
    fn member(
        &mut self,
        cx: &mut Members<'_>,
        key: &Spanned<String>,
        m: &Member,
        mpath: &SpecPath<'_>,
    ) -> Option<Field> {
        self.source_key(m.source.as_ref(), mpath);
        let wire = m
            .wire_name
            .as_ref()
            .map_or_else(|| key.value.clone(), |w| w.value.clone());
        if key.value.is_empty() {
            self.at("member", key, mpath, "a member needs a name");
            return None;
        }
        if !cx.wire_names.insert(wire.clone()) {
            self.at(
                "member",
                key,
                mpath,
                format!("member `{wire}` is defined twice"),
            );
            return None;
        }
        // A Rust name from the `generation` settings, else the member's own, else the key's.
        let renamed = cx
            .shapes
            .member_rust
            .get(&(cx.name.to_owned(), key.value.clone()));
        let explicit = renamed.or(m.rust_name.as_ref());
        let rust = explicit.map_or_else(|| names::field_name(&key.value), |r| r.value.clone());
        self.field_name(cx, key, explicit, &rust, mpath);

        let ts = match &m.format {
            Some(f) => Some(
                self.keyword::<TsFormat>(f, &mpath.key("format"))
                    .unwrap_or(TsFormat::Text),
            ),
            None => self.default_ts,
        };
        let ty = match parse_type(&m.ty.value).and_then(|e| resolve(&e, cx.shapes, ts, self.hints))
        {
            Ok(ty) => ty,
            Err(e) => {
                if !e.is_empty() {
                    self.at("member", &m.ty, &mpath.key("type"), e);
                }
                return None;
            }
        };
        let names = TypeNames(cx.shapes);
        if m.format.is_some() && !matches!(ty, Ty::Timestamp(_)) {
            self.at(
                "member",
                m.format.as_ref().map_or(&m.ty, |f| f),
                &mpath.key("format"),
                format!(
                    "`format` is for timestamps; this member is {}",
                    names.a(&ty)
                ),
            );
        }
        let must_be_set = m.required.as_ref().is_some_and(|r| r.value);
        let nullable = m.nullable.as_ref().is_some_and(|n| n.value);
        let location = m.location.as_ref().map_or(Location::Body, |l| {
            let lpath = mpath.key("location");
            let location = self.keyword::<Location>(l, &lpath);
            if location == Some(Location::Path) && !must_be_set {
                self.at(
                    "member",
                    l,
                    &lpath,
                    "a path parameter must be `required: true`",
                );
            }
            location.unwrap_or(Location::Body)
        });
        self.wire_name_in_place(key, m, &wire, location, mpath);

        let length = self.bounds_u64(m.length.as_ref(), &mpath.key("length"), "length");
        let items = self.bounds_u64(m.items.as_ref(), &mpath.key("items"), "items");
        let range = m
            .range
            .as_ref()
            .map(|r| self.range(r, &mpath.key("range"), &ty, &names));
        for (key, given, fits, what) in [
            ("length", m.length.is_some(), is_string_like(&ty), "strings"),
            (
                "items",
                m.items.is_some(),
                matches!(ty, Ty::List(_)),
                "lists",
            ),
            ("range", m.range.is_some(), is_number(&ty), "numbers"),
        ] {
            if given && !fits {
                let at = match key {
                    "length" => m.length.as_ref(),
                    "items" => m.items.as_ref(),
                    _ => m.range.as_ref(),
                };
                if let Some(at) = at {
                    let message = format!("`{key}` is for {what}; this member is {}", names.a(&ty));
                    self.at("member", at, &mpath.key(key), message);
                }
            }
        }
        let (pattern, tables) = match &m.pattern {
            Some(p) => self.member_pattern(cx, p, &rust, &ty, &names, &mpath.key("pattern")),
            None => (None, None),
        };
        if let Some(d) = &m.default {
            let rules = Rules {
                length,
                range: range.flatten(),
                tables: tables.as_ref(),
            };
            self.default_value(d, &mpath.key("default"), &ty, &rules, cx.shapes);
        }
        Some(Field {
            key: key.value.clone(),
            wire,
            rust,
            ty,
            required: must_be_set && !nullable,
            must_be_set,
            docs: docs_of(m.docs.as_ref()),
            default: m.default.as_ref().map(|d| (&d.value).into()),
            length,
            range: range.flatten(),
            items,
            pattern,
            location,
        })
    }

    /// Rule: the wire name of a member in a header is an HTTP header name (it is the header's
    /// name), and that of a member in the path has no `{` or `}` (the request's path template
    /// names it in braces).
    fn wire_name_in_place(
        &mut self,
        key: &Spanned<String>,
        m: &Member,
        wire: &str,
        location: Location,
        mpath: &SpecPath<'_>,
    ) {
        let at = m.wire_name.as_ref().unwrap_or(key);
        let message = match location {
            Location::Header if !is_header_name(wire) => format!(
                "`{wire}` is not an HTTP header name, and a member with `location: header` \
                 travels in the header of its wire name: set `wire_name` to the header's name \
                 (letters, digits and !#$%&'*+-.^_`|~)"
            ),
            Location::Path if wire.contains(['{', '}']) => format!(
                "the wire name `{wire}` of a path member names its placeholder in the request's \
                 path template, and cannot contain `{{` or `}}`"
            ),
            _ => return,
        };
        self.at("wire_name_in_place", at, mpath, message);
    }

    /// Rule: a member's Rust name is a snake_case identifier, not `build` (the builder's own
    /// method) nor, in a request, `validate_at`, and no other member's.
    fn field_name(
        &mut self,
        cx: &mut Members<'_>,
        key: &Spanned<String>,
        explicit: Option<&Spanned<String>>,
        rust: &str,
        mpath: &SpecPath<'_>,
    ) {
        let name_at = explicit.unwrap_or(key);
        let message = match name_fault(rust, Case::Snake) {
            Some(NameFault::Invalid(problem)) => {
                let hint = if explicit.is_some() {
                    ""
                } else {
                    "; set `rust_name` to the Rust field name"
                };
                Some(format!("the Rust field name: {problem}{hint}"))
            }
            Some(NameFault::WrongCase(right)) => Some(format!(
                "the Rust field name `{rust}` is not snake_case (try `{right}`)"
            )),
            None if rust == "build" || (cx.validated && rust == "validate_at") => Some(format!(
                "the builder setter `{rust}` would collide with the builder's own `{rust}` method; set `rust_name`"
            )),
            None => cx.rust_names.take(rust, || key.value.clone()).err().map(|other| {
                format!(
                    "`{}` and `{other}` both become the Rust field `{rust}`; set `rust_name` on one of them",
                    key.value
                )
            }),
        };
        if let Some(message) = message {
            self.at("member_rust_name", name_at, mpath, message);
        }
    }

    /// Rule: a pattern is for strings and compiles. A request's pattern becomes a static of
    /// the module (one per distinct pattern, named after its first member).
    fn member_pattern(
        &mut self,
        cx: &mut Members<'_>,
        p: &Spanned<String>,
        rust: &str,
        ty: &Ty,
        names: &TypeNames<'_>,
        path: &SpecPath<'_>,
    ) -> (Option<PatternId>, Option<Tables>) {
        if !is_string_like(ty) {
            let message = format!("`pattern` is for strings; this member is {}", names.a(ty));
            self.at("member_pattern", p, path, message);
            return (None, None);
        }
        let tables = match cx.patterns.compile(&p.value) {
            Err(e) => {
                self.at(
                    "member_pattern",
                    p,
                    path,
                    format!("the pattern does not compile: {e}"),
                );
                return (None, None);
            }
            Ok(t) => t,
        };
        if !cx.validated {
            return (None, Some(tables));
        }
        let base = || format!("{}_{}", names::const_name(cx.name), names::const_name(rust));
        let index = cx.patterns.add(&p.value, base, &tables);
        (Some(PatternId(index)), Some(tables))
    }

    /// Rule: an exclusive group names at least two members of the structure by their keys
    /// (as pagination and summaries do, whatever their wire names), each once, none of them
    /// required.
    fn exclusive_groups(
        &mut self,
        shape: &Shape,
        path: &SpecPath<'_>,
        name: &str,
        keys: &BTreeSet<&str>,
        fields: &[Field],
    ) -> Vec<Exclusive> {
        let mut exclusive = Vec::new();
        let Some(groups) = &shape.exclusive else {
            return exclusive;
        };
        let groups_path = path.key("exclusive");
        // The members as hint candidates, prepared at the first unknown one.
        let mut candidates: Option<Candidates> = None;
        // The keys by wire name, built at the first member not found.
        let mut by_wire: Option<HashMap<&str, &str>> = None;
        for (i, group) in groups.value.iter().enumerate() {
            let gpath = groups_path.index(i);
            let mpath = gpath.key("members");
            let list = &group.value.members;
            if list.value.len() < 2 {
                self.at(
                    "exclusive_groups",
                    list,
                    &mpath,
                    "an exclusive group names at least two members",
                );
            }
            let mut seen = BTreeSet::new();
            let mut members = Vec::new();
            for m in &list.value {
                let field = fields.iter().position(|f| f.key == m.value);
                if !seen.insert(m.value.clone()) {
                    self.at(
                        "exclusive_groups",
                        m,
                        &mpath,
                        format!("`{}` is named twice", m.value),
                    );
                } else if !keys.contains(m.value.as_str()) {
                    let by_wire = by_wire.get_or_insert_with(|| {
                        shape
                            .members
                            .iter()
                            .flat_map(|m| m.value.iter())
                            .filter_map(|(k, m)| {
                                Some((m.value.wire_name.as_ref()?.value.as_str(), k.value.as_str()))
                            })
                            .collect()
                    });
                    let hint = match by_wire.get(m.value.as_str()) {
                        Some(key) => wire_name_hint(&m.value, key),
                        None => {
                            let set = candidates
                                .get_or_insert_with(|| self.hints.candidates(keys.iter().copied()));
                            self.hints.did_you_mean(&m.value, set)
                        }
                    };
                    self.at(
                        "exclusive_groups",
                        m,
                        &mpath,
                        format!("`{}` is not a member of `{name}`{hint}", m.value),
                    );
                } else if field.is_some_and(|i| fields[i].must_be_set) {
                    self.at("exclusive_groups", m, &mpath, format!("`{}` is required, so it is always set and excludes every other member of the group", m.value));
                }
                members.extend(field);
            }
            exclusive.push(Exclusive {
                members,
                docs: docs_of(group.value.docs.as_ref()),
            });
        }
        exclusive
    }
}
