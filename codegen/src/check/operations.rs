//! Errors and operations.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::paging::PagingDraft;
use super::shapes::Shapes;
use super::types::{Kind, TypeExpr, parse_type};
use super::words::Keyword;
use super::words::{Candidates, Case, NameFault, Taken, name_fault};
use super::{Checker, ROOT, docs_of};
use crate::diag::Diagnostic;
use crate::ir::{ErrorCode, Location, Method, Operation, Struct, StructId, Summary};
use crate::names;
use crate::spec::{Entries, Member, Num, Spanned};

/// An operation whose contents were checked, before its members are bound to the IR.
pub(super) struct OperationDraft {
    wire: String,
    rust: String,
    docs: String,
    method: Method,
    path: String,
    input: String,
    output: String,
    errors: Vec<ErrorCode>,
    paging: Option<PagingDraft>,
}

impl Checker<'_> {
    /// Rule: an operation's name becomes an UpperCamelCase Rust type name, and its marker type
    /// and `{Name}Error` enum collide with no other generated type; each is defined once, and
    /// a spec has at least one. The Rust name of each operation, `None` where it has none.
    pub(super) fn operation_names(&mut self, shapes: &mut Shapes) -> Vec<Option<String>> {
        let spec = self.spec;
        let ops_path = ROOT.key("operations");
        let mut out: Vec<Option<String>> = Vec::new();
        let mut wires = BTreeSet::new();
        for (name, _) in spec.operations.value.iter() {
            let path = ops_path.key(&name.value);
            let rust = names::type_name(&name.value);
            if let Some(problem) = names::problem(&rust) {
                let message = format!("{problem}; operation names become Rust type names");
                self.at("operation_names", name, &path, message);
                out.push(None);
                continue;
            }
            for (generated, what) in [
                (rust.clone(), "the operation's marker type"),
                (format!("{rust}Error"), "the operation's error enum"),
            ] {
                if let Err(other) = shapes.types.take(&generated, || {
                    format!("the {what} of operation `{}`", name.value)
                }) {
                    let message = format!("{what} `{generated}` collides with {other}");
                    self.at("operation_names", name, &path, message);
                }
            }
            if !wires.insert(name.value.clone()) {
                let message = format!("operation `{}` is defined twice", name.value);
                self.at("operation_names", name, &path, message);
            }
            out.push(Some(rust));
        }
        if out.iter().all(Option::is_none) {
            self.at(
                "operation_names",
                &spec.operations,
                &ops_path,
                "a spec needs at least one operation",
            );
        }
        out
    }

    /// Rule: an error's key is its code; its variant name (`name`, else the code in
    /// UpperCamelCase) is an identifier of its own other than `Unknown`; its status is an
    /// HTTP status; it is defined once.
    pub(super) fn error_codes(&mut self) -> BTreeMap<String, ErrorCode> {
        let mut errors: BTreeMap<String, ErrorCode> = BTreeMap::new();
        let Some(defs) = &self.spec.errors else {
            return errors;
        };
        let errors_path = ROOT.key("errors");
        let mut variants = Taken::default();
        for (code, def) in defs.value.iter() {
            let path = errors_path.key(&code.value);
            self.source_key(def.value.source.as_ref(), &path);
            if code.value.trim().is_empty() {
                self.at(
                    "error_codes",
                    code,
                    &errors_path,
                    "an error needs a code: the key is the code exactly as the provider sends it",
                );
                continue;
            }
            let variant = def
                .value
                .name
                .as_ref()
                .map_or_else(|| names::type_name(&code.value), |n| n.value.clone());
            let name_at: &Spanned<String> = def.value.name.as_ref().unwrap_or(code);
            match name_fault(&variant, Case::UpperCamel) {
                Some(NameFault::Invalid(problem)) => self.at("error_codes", 
                    name_at,
                    &path,
                    format!("{problem}; set `name` to the Rust variant name"),
                ),
                Some(NameFault::WrongCase(right)) => self.at("error_codes", 
                    name_at,
                    &path,
                    format!("the variant name `{variant}` is not UpperCamelCase (try `{right}`)"),
                ),
                None if variant == "Unknown" => self.at("error_codes", code, &path, "`Unknown` is the variant for undocumented codes; set `name` to another variant name"),
                None => {
                    if let Err(other) = variants.take(&variant, || code.value.clone()) {
                        let message = format!("the variant name `{variant}` collides with that of error `{other}`; set `name`");
                        self.at("error_codes", code, &path, message);
                    }
                }
            }
            if errors.contains_key(&code.value) {
                self.at(
                    "error_codes",
                    code,
                    &path,
                    format!("error `{}` is defined twice", code.value),
                );
            }
            let http_status = def.value.http_status.as_ref().and_then(|s| match s.value {
                Num::Int(n) if (100..=599).contains(&n) => u16::try_from(n).ok(),
                other => {
                    let message = format!("{other} is not an HTTP status (100..=599)");
                    self.at("error_codes", s, &path.key("http_status"), message);
                    None
                }
            });
            errors.insert(
                code.value.clone(),
                ErrorCode {
                    code: code.value.clone(),
                    variant,
                    http_status,
                    retryable: def.value.retryable.as_ref().is_some_and(|r| r.value),
                    docs: docs_of(def.value.docs.as_ref()),
                },
            );
        }
        errors
    }

    /// Rule: an operation has a known HTTP method, structures as input and output, an input
    /// of its own (the input gets the operation's `to_http` and its `Call` and `Paginated`
    /// impls, which one type cannot have twice), a path template that matches its input's path
    /// members, errors declared under `errors` and listed once, and pagination that fits its
    /// input and output.
    pub(super) fn operations(
        &mut self,
        shapes: &Shapes,
        rust_names: &[Option<String>],
        errors: &BTreeMap<String, ErrorCode>,
    ) -> Vec<OperationDraft> {
        let spec = self.spec;
        let ops_path = ROOT.key("operations");
        let mut drafts = Vec::new();
        // The error codes as hint candidates, prepared at the first unknown one.
        let mut error_names: Option<Candidates> = None;
        // The operation of each input structure.
        let mut input_of: BTreeMap<&str, &str> = BTreeMap::new();
        // The outputs whose member locations were checked.
        let mut outputs_seen: BTreeSet<&str> = BTreeSet::new();
        for ((name, op), rust) in spec.operations.value.iter().zip(rust_names) {
            let path = ops_path.key(&name.value);
            let op = &op.value;
            self.source_key(op.source.as_ref(), &path);
            let method = self.keyword::<Method>(&op.method, &path.key("method"));
            for (role, shape) in [("input", &op.input), ("output", &op.output)] {
                let rpath = path.key(role);
                match shapes.kinds.get(&shape.value) {
                    Some(Kind::Structure(_) | Kind::Broken) => {}
                    Some(Kind::Enum(_)) => self.at(
                        "operation_shapes",
                        shape,
                        &rpath,
                        format!(
                            "`{}` is an enum; an operation's {role} is a structure",
                            shape.value
                        ),
                    ),
                    None => {
                        let hint = shapes.shape_hint(self.hints, &shape.value);
                        self.at(
                            "operation_shapes",
                            shape,
                            &rpath,
                            format!("unknown shape `{}`{hint}", shape.value),
                        );
                    }
                }
            }
            if shapes.structure(&op.input.value).is_some()
                && let Some(other) = input_of.insert(&op.input.value, &name.value)
            {
                let message = format!(
                    "`{}` is already the input of operation `{other}`; an input structure \
                     belongs to one operation (it gets the operation's `to_http` and `Call` \
                     impl): give this operation a structure of its own",
                    op.input.value
                );
                self.at("operation_shapes", &op.input, &path.key("input"), message);
                // Keep the first operation as the owner.
                input_of.insert(&op.input.value, other);
            }
            let members = |name: &str| {
                shapes
                    .definition(spec, name)
                    .and_then(|(_, s)| s.value.members.as_ref())
                    .map(|m| &m.value)
            };
            let (input, output) = (members(&op.input.value), members(&op.output.value));
            if let Some(output) = output
                && outputs_seen.insert(&op.output.value)
            {
                self.output_locations(&op.output.value, output);
            }
            if let Some(input) = input {
                self.input_locations(&op.input.value, input);
            }
            self.path_template(&op.path, &path.key("path"), input);
            let op_errors =
                self.operation_errors(op.errors.as_ref(), &path, errors, &mut error_names);
            let paging = op
                .pagination
                .as_ref()
                .and_then(|p| self.pagination(shapes, p, &path.key("pagination"), input, output));
            drafts.push(OperationDraft {
                wire: name.value.clone(),
                rust: rust.clone().unwrap_or_default(),
                docs: docs_of(op.docs.as_ref()),
                method: method.unwrap_or(Method::Get),
                path: op.path.value.clone(),
                input: op.input.value.clone(),
                output: op.output.value.clone(),
                errors: op_errors,
                paging,
            });
        }
        drafts
    }

    /// Rule: an output member is read from the body or from a response header (`location:
    /// header`, the header's name as its `wire_name`), never from the query or the path; a
    /// header member is a string (`string`, `short_string`, `shared_string`, `digest`) or an
    /// integer (`integer`, `long`), which is what a header's text converts to.
    fn output_locations(&mut self, name: &str, members: &Entries<Spanned<Member>>) {
        let shapes = ROOT.key("shapes");
        let shape = shapes.key(name);
        let mpath = shape.key("members");
        let place = |m: &Member| {
            m.location
                .as_ref()
                .map_or(Some(Location::Body), |l| Location::parse(&l.value))
        };
        // Rule: an output has at most one payload member (the whole body), and beside it only
        // header members (the body has no room for others); a payload needs a protocol without
        // an envelope.
        let payload = members
            .iter()
            .find(|(_, m)| place(&m.value) == Some(Location::Payload));
        if let Some((payload_key, payload_member)) = payload {
            for (key, m) in members.iter() {
                let member = mpath.key(&key.value);
                let message = match place(&m.value) {
                    Some(Location::Payload) if key.value != payload_key.value => format!(
                        "`{}` is already the payload (the whole body) of `{name}`; an output \
                         has one",
                        payload_key.value
                    ),
                    Some(Location::Body) => format!(
                        "`{}` is the payload of `{name}`, the whole body, so `{}` has no place \
                         in it: read it from a header (`location: header`) or leave out the \
                         payload",
                        payload_key.value, key.value
                    ),
                    _ => continue,
                };
                match &m.value.location {
                    Some(l) => self.at("output_locations", l, &member.key("location"), message),
                    None => self.at("output_locations", key, &member, message),
                }
            }
            let enveloped = self
                .spec
                .protocol
                .value
                .response
                .as_ref()
                .is_some_and(|r| r.value.envelope.is_some());
            if enveloped && let Some(l) = &payload_member.value.location {
                let message = format!(
                    "`{}` is the whole response body, and the protocol wraps every output in \
                     an envelope: a payload needs a protocol without `response.envelope`",
                    payload_key.value
                );
                self.at(
                    "output_locations",
                    l,
                    &mpath.key(&payload_key.value).key("location"),
                    message,
                );
            }
        }
        for (key, m) in members.iter() {
            let Some(l) = &m.value.location else { continue };
            let member = mpath.key(&key.value);
            let ty = &m.value.ty.value;
            // What the place holds, when the member's type is not one of it.
            let holds = match Location::parse(&l.value) {
                Some(Location::Payload) => match parse_type(ty) {
                    Ok(TypeExpr::List(_) | TypeExpr::Map(..)) => continue,
                    Ok(TypeExpr::Named(n))
                        if self
                            .spec
                            .shapes
                            .value
                            .get(&n)
                            .is_some_and(|s| s.value.kind.value == "structure") =>
                    {
                        continue;
                    }
                    Ok(_) => {
                        "is the whole response body, a JSON array or object: a list, a map \
                              or a structure"
                    }
                    // Reported on the member.
                    Err(_) => continue,
                },
                Some(Location::Header) => match parse_type(ty) {
                    Ok(TypeExpr::Named(n))
                        if matches!(
                            n.as_str(),
                            "string"
                                | "short_string"
                                | "shared_string"
                                | "digest"
                                | "integer"
                                | "long"
                        ) =>
                    {
                        continue;
                    }
                    Ok(_) => "is read from a response header, which holds a string or an integer",
                    Err(_) => continue,
                },
                Some(place @ (Location::Query | Location::Path)) => {
                    let message = format!(
                        "`{name}` is the output of an operation, and an output member is read \
                         from the body or a response header, never from the {}",
                        place.as_str()
                    );
                    self.at("output_locations", l, &member.key("location"), message);
                    continue;
                }
                _ => continue,
            };
            let message = format!("`{}` {holds}, not a `{ty}`", key.value);
            self.at(
                "output_locations",
                &m.value.ty,
                &member.key("type"),
                message,
            );
        }
    }

    /// Rule: a request member is never the payload: `payload` is for the whole body of a
    /// response.
    fn input_locations(&mut self, name: &str, members: &Entries<Spanned<Member>>) {
        let shapes = ROOT.key("shapes");
        let shape = shapes.key(name);
        let mpath = shape.key("members");
        for (key, m) in members.iter() {
            if let Some(l) = &m.value.location
                && Location::parse(&l.value) == Some(Location::Payload)
            {
                let message = format!(
                    "`{name}` is the input of an operation, and `payload` (the whole body) is \
                     for outputs: a request member travels in the body, query, path or a header"
                );
                self.at(
                    "input_locations",
                    l,
                    &mpath.key(&key.value).key("location"),
                    message,
                );
            }
        }
    }

    /// Rule: an operation's errors are declared under `errors`, each listed once.
    fn operation_errors(
        &mut self,
        list: Option<&Spanned<Vec<Spanned<String>>>>,
        path: &super::SpecPath<'_>,
        errors: &BTreeMap<String, ErrorCode>,
        error_names: &mut Option<Candidates>,
    ) -> Vec<ErrorCode> {
        let mut out = Vec::new();
        let Some(list) = list else {
            return out;
        };
        let errors_path = path.key("errors");
        let mut seen = BTreeSet::new();
        for (i, code) in list.value.iter().enumerate() {
            let epath = errors_path.index(i);
            if !seen.insert(code.value.clone()) {
                self.at(
                    "operation_errors",
                    code,
                    &epath,
                    format!("error `{}` is listed twice", code.value),
                );
                continue;
            }
            match errors.get(&code.value) {
                Some(e) => out.push(e.clone()),
                None => {
                    let set = error_names.get_or_insert_with(|| {
                        self.hints.candidates(errors.keys().map(String::as_str))
                    });
                    let hint = self.hints.did_you_mean(&code.value, set);
                    let message = format!(
                        "error `{}` is not declared under `errors`{hint}",
                        code.value
                    );
                    self.at("operation_errors", code, &epath, message);
                }
            }
        }
        out
    }

    /// The operations of a spec without problems, their members bound to the structures.
    pub(super) fn finish_operations(
        &self,
        shapes: &Shapes,
        structs: &[Struct],
        drafts: Vec<OperationDraft>,
        summaries: Vec<Option<Summary>>,
    ) -> Result<Vec<Operation>, Vec<Diagnostic>> {
        let mut operations = Vec::new();
        for (draft, summary) in drafts.into_iter().zip(summaries) {
            let id = |name: &str| -> Result<StructId, Vec<Diagnostic>> {
                shapes
                    .structure(name)
                    .ok_or_else(|| self.internal("an operation's shape is not a structure"))
            };
            let (input, output) = (id(&draft.input)?, id(&draft.output)?);
            let pagination = match draft.paging {
                Some(p) => Some(
                    p.bind(structs, input, output)
                        .ok_or_else(|| self.internal("a pagination member was not found"))?,
                ),
                None => None,
            };
            let path = wire_path(&draft.path, &structs[input.0]);
            operations.push(Operation {
                wire: draft.wire,
                rust: draft.rust,
                docs: draft.docs,
                method: draft.method,
                path,
                input,
                output,
                errors: draft.errors,
                pagination,
                summary,
            });
        }
        Ok(operations)
    }
}

/// The path template `template` (placeholders named by the keys of `input`'s path members, as
/// the spec writes it) with each placeholder named by the member's wire name instead: the runtime
/// puts each path member's value in place of `{wire name}`.
fn wire_path(template: &str, input: &Struct) -> String {
    let wires: HashMap<&str, &str> = input
        .fields
        .iter()
        .filter(|f| f.location == Location::Path)
        .map(|f| (f.key.as_str(), f.wire.as_str()))
        .collect();
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        out.push_str(&rest[..=open]);
        out.push_str(wires.get(name).copied().unwrap_or(name));
        out.push('}');
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}
