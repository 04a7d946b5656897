//! Checks a loaded spec and builds the IR; every problem is reported, not only the first.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diag::Diagnostic;
use crate::ir::{
    Enum, ErrorIr, ExclusiveIr, Field, Module, OperationIr, PaginationIr, PatternIr, ProtocolIr,
    SourceIr, Struct, TsFormat, Ty,
};
use crate::names;
use crate::pattern;
use crate::spec::{Bounds, Entries, Member, Num, Scalar, Shape, Spanned, Spec};

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

struct Ctx<'a> {
    file: &'a str,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn at<T>(&mut self, value: &Spanned<T>, path: &str, message: impl Into<String>) {
        let location = value.referenced;
        let span = location.span();
        let span = span
            .byte_offset()
            .zip(span.byte_len())
            .and_then(|(o, l)| Some((usize::try_from(o).ok()?, usize::try_from(l).ok()?)));
        self.diags.push(Diagnostic {
            file: self.file.to_owned(),
            line: location.line().max(1),
            column: location.column().max(1),
            span,
            path: path.to_owned(),
            message: message.into(),
        });
    }
}

/// A type expression before shape names are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TypeExpr {
    Named(String),
    List(Box<TypeExpr>),
    Map(Box<TypeExpr>, Box<TypeExpr>),
}

fn parse_type(text: &str) -> Result<TypeExpr, String> {
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

fn is_string_like(ty: &Ty) -> bool {
    matches!(ty, Ty::String | Ty::SharedString | Ty::ShortString)
}

fn is_number(ty: &Ty) -> bool {
    matches!(ty, Ty::Integer | Ty::Long | Ty::Double)
}

/// `2..=5`, `at least 2`, `at most 5`.
fn bounds_text<T: std::fmt::Display>(lo: Option<T>, hi: Option<T>) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{lo}..={hi}"),
        (Some(lo), None) => format!("at least {lo}"),
        (None, Some(hi)) => format!("at most {hi}"),
        (None, None) => "unbounded".into(),
    }
}

/// `a string`, `an integer`, `a structure ImageDetail`.
fn a_type(ty: &Ty) -> String {
    let label = type_label(ty);
    let article = if label.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {label}")
}

fn type_label(ty: &Ty) -> String {
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
        Ty::List(t) => format!("list<{}>", type_expr(t)),
        Ty::Map(k, v) => format!("map<{}, {}>", type_expr(k), type_expr(v)),
        Ty::Struct(n) => format!("structure {n}"),
        Ty::Enum(n) => format!("enum {n}"),
    }
}

/// A type as a spec writes it (`list<ImageIdentifier>`).
fn type_expr(ty: &Ty) -> String {
    match ty {
        Ty::Struct(n) | Ty::Enum(n) => n.clone(),
        other => type_label(other),
    }
}

fn docs_of(docs: Option<&Spanned<String>>) -> String {
    docs.map(|d| d.value.trim().to_owned()).unwrap_or_default()
}

/// The kinds of shapes, by name, for resolving type expressions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Structure,
    Enum,
    /// A shape whose `type` is wrong (already reported): references to it report nothing more.
    Broken,
}

/// Checks `spec` (read from `file`) and builds its IR.
///
/// # Errors
///
/// Every problem found, each with its place.
#[allow(clippy::too_many_lines)]
pub fn check(file: &str, spec: &Spec) -> Result<Module, Vec<Diagnostic>> {
    let mut cx = Ctx {
        file,
        diags: Vec::new(),
    };

    if spec.crspec.value != Num::Int(1) {
        cx.at(
            &spec.crspec,
            "crspec",
            format!(
                "unsupported format version {}; this generator reads version 1",
                spec.crspec.value
            ),
        );
    }

    // provider
    let provider = &spec.provider.value;
    if let Some(problem) = names::problem(&provider.id.value) {
        cx.at(
            &provider.id,
            "provider.id",
            format!("{problem}; the id is the Rust module name"),
        );
    } else if provider.id.value != names::field_name(&provider.id.value) {
        cx.at(
            &provider.id,
            "provider.id",
            format!(
                "`{}` is not snake_case; the id is the Rust module name (try `{}`)",
                provider.id.value,
                names::field_name(&provider.id.value)
            ),
        );
    }
    if provider.name.value.trim().is_empty() {
        cx.at(&provider.name, "provider.name", "the provider needs a name");
    }
    let mut sources = Vec::new();
    let mut source_ids = BTreeSet::new();
    for (id, source) in provider.sources.value.iter() {
        let path = format!("provider.sources.{}", id.value);
        if !source_ids.insert(id.value.clone()) {
            cx.at(id, &path, format!("source `{}` is listed twice", id.value));
        }
        if source.value.location.value.trim().is_empty() {
            cx.at(
                &source.value.location,
                &format!("{path}.location"),
                "a source needs a location",
            );
        }
        sources.push(SourceIr {
            id: id.value.clone(),
            title: source.value.title.value.trim().to_owned(),
            location: source.value.location.value.trim().to_owned(),
        });
    }
    if sources.is_empty() {
        cx.at(
            &provider.sources,
            "provider.sources",
            "list at least one source document",
        );
    }
    let check_source = |cx: &mut Ctx<'_>, source: Option<&Spanned<String>>, path: &str| {
        if let Some(s) = source
            && !source_ids.contains(&s.value)
        {
            let hint = names::closest(&s.value, source_ids.iter().map(String::as_str))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            cx.at(
                s,
                &format!("{path}.source"),
                format!(
                    "unknown source `{}`; sources are listed in provider.sources{hint}",
                    s.value
                ),
            );
        }
    };
    if !source_ids.contains(&provider.default_source.value) {
        cx.at(
            &provider.default_source,
            "provider.default_source",
            format!(
                "unknown source `{}`; sources are listed in provider.sources{}",
                provider.default_source.value,
                names::closest(
                    &provider.default_source.value,
                    source_ids.iter().map(String::as_str)
                )
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default()
            ),
        );
    }

    // protocol
    let protocol = check_protocol(&mut cx, spec);
    let default_ts = protocol.1;
    let protocol = protocol.0;

    // shapes: names and kinds first, so that type expressions can be resolved.
    let mut kinds: HashMap<String, Kind> = HashMap::new();
    let mut type_names: BTreeMap<String, String> = BTreeMap::new(); // generated type -> what made it
    for (name, shape) in spec.shapes.value.iter() {
        let path = format!("shapes.{}", name.value);
        let kind = match shape.value.kind.value.as_str() {
            "structure" => Some(Kind::Structure),
            "enum" => Some(Kind::Enum),
            other => {
                cx.at(
                    &shape.value.kind,
                    &format!("{path}.type"),
                    format!("unknown shape type `{other}`; a shape is a `structure` or an `enum`"),
                );
                None
            }
        };
        if let Some(problem) = names::problem(&name.value) {
            cx.at(
                name,
                &path,
                format!("{problem}; shape names are Rust type names"),
            );
        } else if !name.value.starts_with(|c: char| c.is_ascii_uppercase()) {
            cx.at(
                name,
                &path,
                format!(
                    "shape names are Rust type names and start with an upper-case letter (try `{}`)",
                    names::type_name(&name.value)
                ),
            );
        } else if name.value != names::type_name(&name.value) {
            cx.at(
                name,
                &path,
                format!(
                    "shape names are UpperCamelCase Rust type names (try `{}`)",
                    names::type_name(&name.value)
                ),
            );
        } else if names::RESERVED_TYPES.contains(&name.value.as_str()) {
            cx.at(
                name,
                &path,
                format!("`{}` would shadow the standard type of that name in generated code; rename the shape", name.value),
            );
        }
        if kinds.contains_key(&name.value) {
            cx.at(
                name,
                &path,
                format!("shape `{}` is defined twice", name.value),
            );
        } else {
            kinds.insert(name.value.clone(), kind.unwrap_or(Kind::Broken));
            type_names.insert(name.value.clone(), format!("shape `{}`", name.value));
        }
    }

    // operations: names
    let mut op_names: Vec<(String, String)> = Vec::new();
    for (name, _) in spec.operations.value.iter() {
        let rust = names::type_name(&name.value);
        let path = format!("operations.{}", name.value);
        if let Some(problem) = names::problem(&rust) {
            cx.at(
                name,
                &path,
                format!("{problem}; operation names become Rust type names"),
            );
            continue;
        }
        for (generated, what) in [
            (rust.clone(), "the operation's marker type"),
            (format!("{rust}Error"), "the operation's error enum"),
        ] {
            if let Some(other) = type_names.get(&generated) {
                cx.at(
                    name,
                    &path,
                    format!("{what} `{generated}` collides with {other}"),
                );
            } else {
                type_names.insert(
                    generated,
                    format!("the {what} of operation `{}`", name.value),
                );
            }
        }
        if op_names.iter().any(|(w, _)| *w == name.value) {
            cx.at(
                name,
                &path,
                format!("operation `{}` is defined twice", name.value),
            );
        }
        op_names.push((name.value.clone(), rust));
    }
    if op_names.is_empty() {
        cx.at(
            &spec.operations,
            "operations",
            "a spec needs at least one operation",
        );
    }

    // which structures are reachable from operation inputs (they get builders)
    let mut validated: BTreeSet<String> = BTreeSet::new();
    {
        let mut stack: Vec<String> = spec
            .operations
            .value
            .iter()
            .map(|(_, op)| op.value.input.value.clone())
            .collect();
        while let Some(name) = stack.pop() {
            if kinds.get(&name) != Some(&Kind::Structure) || !validated.insert(name.clone()) {
                continue;
            }
            if let Some(shape) = spec.shapes.value.get(&name)
                && let Some(members) = &shape.value.members
            {
                for (_, m) in members.value.iter() {
                    if let Ok(expr) = parse_type(&m.value.ty.value) {
                        collect_named(&expr, &mut stack);
                    }
                }
            }
        }
    }
    for name in &validated {
        let builder = format!("{name}Builder");
        if let Some(other) = type_names.get(&builder) {
            if let Some((key, _)) = spec.shapes.value.iter().find(|(k, _)| &k.value == name) {
                let key = key.clone();
                cx.at(
                    &key,
                    &format!("shapes.{name}"),
                    format!("the builder `{builder}` of this request shape collides with {other}"),
                );
            }
        } else {
            type_names.insert(builder, format!("the builder of shape `{name}`"));
        }
    }

    // shapes: contents
    let enum_values: HashMap<String, Vec<String>> = spec
        .shapes
        .value
        .iter()
        .filter_map(|(name, shape)| {
            let values = shape.value.values.as_ref()?;
            Some((
                name.value.clone(),
                values.value.iter().map(|(v, _)| v.value.clone()).collect(),
            ))
        })
        .collect();
    let mut patterns: Vec<PatternIr> = Vec::new();
    let mut structs = Vec::new();
    let mut enums = Vec::new();
    for (name, shape) in spec.shapes.value.iter() {
        let path = format!("shapes.{}", name.value);
        check_source(&mut cx, shape.value.source.as_ref(), &path);
        match kinds.get(&name.value) {
            Some(Kind::Structure) => {
                if let Some(s) = check_structure(
                    &mut cx,
                    &name.value,
                    &shape.value,
                    &path,
                    &kinds,
                    &enum_values,
                    default_ts,
                    validated.contains(&name.value),
                    &mut patterns,
                    &check_source,
                ) {
                    structs.push(s);
                }
            }
            Some(Kind::Enum) => {
                if let Some(e) =
                    check_enum(&mut cx, &name.value, &shape.value, &path, &check_source)
                {
                    enums.push(e);
                }
            }
            Some(Kind::Broken) | None => {}
        }
    }
    check_recursion(&mut cx, spec, &structs);
    derive_flags(&mut structs);

    // errors
    let mut errors: BTreeMap<String, ErrorIr> = BTreeMap::new();
    if let Some(defs) = &spec.errors {
        let mut variants: HashMap<String, String> = HashMap::new();
        for (code, def) in defs.value.iter() {
            let path = format!("errors.{}", code.value);
            check_source(&mut cx, def.value.source.as_ref(), &path);
            if code.value.trim().is_empty() {
                cx.at(
                    code,
                    "errors",
                    "an error needs a code: the key is the code exactly as the provider sends it",
                );
                continue;
            }
            let variant = def
                .value
                .name
                .as_ref()
                .map_or_else(|| names::type_name(&code.value), |n| n.value.clone());
            if let Some(problem) = names::problem(&variant) {
                let at: &Spanned<String> = def.value.name.as_ref().unwrap_or(code);
                cx.at(
                    at,
                    &path,
                    format!("{problem}; set `name` to the Rust variant name"),
                );
            } else if variant != names::type_name(&variant) {
                let at: &Spanned<String> = def.value.name.as_ref().unwrap_or(code);
                cx.at(
                    at,
                    &path,
                    format!(
                        "the variant name `{variant}` is not UpperCamelCase (try `{}`)",
                        names::type_name(&variant)
                    ),
                );
            } else if variant == "Unknown" {
                cx.at(code, &path, "`Unknown` is the variant for undocumented codes; set `name` to another variant name");
            } else if let Some(other) = variants.get(&variant) {
                cx.at(code, &path, format!("the variant name `{variant}` collides with that of error `{other}`; set `name`"));
            } else {
                variants.insert(variant.clone(), code.value.clone());
            }
            if errors.contains_key(&code.value) {
                cx.at(
                    code,
                    &path,
                    format!("error `{}` is defined twice", code.value),
                );
            }
            let http_status = def.value.http_status.as_ref().and_then(|s| match s.value {
                Num::Int(n) if (100..=599).contains(&n) => u16::try_from(n).ok(),
                other => {
                    cx.at(
                        s,
                        &format!("{path}.http_status"),
                        format!("{other} is not an HTTP status (100..=599)"),
                    );
                    None
                }
            });
            errors.insert(
                code.value.clone(),
                ErrorIr {
                    code: code.value.clone(),
                    variant,
                    http_status,
                    retryable: def.value.retryable.as_ref().is_some_and(|r| r.value),
                    docs: docs_of(def.value.docs.as_ref()),
                },
            );
        }
    }

    // operations: contents
    let mut operations = Vec::new();
    for ((name, op), (_, rust)) in spec.operations.value.iter().zip(&op_names) {
        let path = format!("operations.{}", name.value);
        let op = &op.value;
        check_source(&mut cx, op.source.as_ref(), &path);
        let method = op.method.value.to_ascii_uppercase();
        if !["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"].contains(&method.as_str()) {
            cx.at(
                &op.method,
                &format!("{path}.method"),
                format!(
                    "`{}` is not an HTTP method (GET, POST, PUT, DELETE, PATCH, HEAD)",
                    op.method.value
                ),
            );
        }
        for (role, shape) in [("input", &op.input), ("output", &op.output)] {
            match kinds.get(&shape.value) {
                Some(Kind::Structure | Kind::Broken) => {}
                Some(Kind::Enum) => cx.at(
                    shape,
                    &format!("{path}.{role}"),
                    format!(
                        "`{}` is an enum; an operation's {role} is a structure",
                        shape.value
                    ),
                ),
                None => {
                    let hint = names::closest(&shape.value, kinds.keys().map(String::as_str))
                        .map(|c| format!(" (did you mean `{c}`?)"))
                        .unwrap_or_default();
                    cx.at(
                        shape,
                        &format!("{path}.{role}"),
                        format!("unknown shape `{}`{hint}", shape.value),
                    );
                }
            }
        }
        let input = spec
            .shapes
            .value
            .get(&op.input.value)
            .and_then(|s| s.value.members.as_ref());
        let output = spec
            .shapes
            .value
            .get(&op.output.value)
            .and_then(|s| s.value.members.as_ref());
        check_path_template(
            &mut cx,
            &op.path,
            &format!("{path}.path"),
            input.map(|m| &m.value),
        );

        let mut op_errors = Vec::new();
        if let Some(list) = &op.errors {
            let mut seen = BTreeSet::new();
            for (i, code) in list.value.iter().enumerate() {
                let epath = format!("{path}.errors[{i}]");
                if !seen.insert(code.value.clone()) {
                    cx.at(
                        code,
                        &epath,
                        format!("error `{}` is listed twice", code.value),
                    );
                    continue;
                }
                match errors.get(&code.value) {
                    Some(e) => op_errors.push(e.clone()),
                    None => {
                        let hint = names::closest(&code.value, errors.keys().map(String::as_str))
                            .map(|c| format!(" (did you mean `{c}`?)"))
                            .unwrap_or_default();
                        cx.at(
                            code,
                            &epath,
                            format!(
                                "error `{}` is not declared under `errors`{hint}",
                                code.value
                            ),
                        );
                    }
                }
            }
        }
        let pagination = op.pagination.as_ref().and_then(|p| {
            check_pagination(
                &mut cx,
                &spec.shapes.value,
                p,
                &format!("{path}.pagination"),
                input.map(|m| &m.value),
                output.map(|m| &m.value),
            )
        });
        operations.push(OperationIr {
            wire: name.value.clone(),
            rust: rust.clone(),
            docs: docs_of(op.docs.as_ref()),
            method,
            path: op.path.value.clone(),
            input: op.input.value.clone(),
            output: op.output.value.clone(),
            errors: op_errors,
            pagination,
            summary: None,
        });
    }
    for ((name, op), ir) in spec.operations.value.iter().zip(operations.iter_mut()) {
        if let Some(summary) = &op.value.summary {
            let path = format!("operations.{}.summary", name.value);
            ir.summary = check_summary(&mut cx, &structs, &op.value, &summary.value, &path);
        }
    }

    if !cx.diags.is_empty() {
        cx.diags.sort_by_key(|d| (d.line, d.column));
        return Err(cx.diags);
    }
    Ok(Module {
        file: file.to_owned(),
        id: provider.id.value.clone(),
        name: provider.name.value.trim().to_owned(),
        api_version: provider.api_version.value.clone(),
        docs: docs_of(provider.docs.as_ref()),
        sources,
        protocol,
        structs,
        enums,
        operations,
        patterns,
    })
}

fn collect_named(expr: &TypeExpr, out: &mut Vec<String>) {
    match expr {
        TypeExpr::Named(n) => out.push(n.clone()),
        TypeExpr::List(t) => collect_named(t, out),
        TypeExpr::Map(k, v) => {
            collect_named(k, out);
            collect_named(v, out);
        }
    }
}

fn check_protocol(cx: &mut Ctx<'_>, spec: &Spec) -> (ProtocolIr, TsFormat) {
    let p = &spec.protocol.value;
    let endpoint = &p.endpoint;
    if !(endpoint.value.starts_with("https://") || endpoint.value.starts_with("http://")) {
        cx.at(
            endpoint,
            "protocol.endpoint",
            "the endpoint is a URL starting with https:// or http://",
        );
    }
    check_placeholders(cx, endpoint, "protocol.endpoint", &["region"]);
    let json_body = match p.body.value.as_str() {
        "json" => true,
        "none" => false,
        other => {
            cx.at(
                &p.body,
                "protocol.body",
                format!("unknown body kind `{other}`; expected `json` or `none`"),
            );
            false
        }
    };
    if json_body && p.content_type.is_none() {
        cx.at(&p.body, "protocol", "a JSON body needs a `content_type`");
    }
    let mut headers = Vec::new();
    for (name, value) in p.headers.iter() {
        let path = format!("protocol.headers.{}", name.value);
        if name.value.is_empty()
            || !name
                .value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_!#$%&'*+.^`|~".contains(&b))
        {
            cx.at(
                name,
                &path,
                format!("`{}` is not an HTTP header name", name.value),
            );
        }
        check_placeholders(cx, value, &path, &["operation", "api_version", "region"]);
        headers.push((name.value.clone(), value.value.clone()));
    }
    let ts = parse_ts_format(cx, &p.timestamp_format, "protocol.timestamp_format")
        .unwrap_or(TsFormat::Text);
    let (envelope, request_id) = match &p.response {
        Some(r) => {
            let request_id = r.value.request_id.as_ref().and_then(|rid| {
                match (&rid.value.header, &rid.value.body) {
                    (Some(h), None) => Some((true, h.value.clone())),
                    (None, Some(b)) => Some((false, b.value.clone())),
                    _ => {
                        cx.at(
                            rid,
                            "protocol.response.request_id",
                            "give exactly one of `header` and `body`",
                        );
                        None
                    }
                }
            });
            (
                r.value.envelope.as_ref().map(|e| e.value.clone()),
                request_id,
            )
        }
        None => (None, None),
    };
    let e = &p.errors.value;
    let errors_always = match e.status.value.as_str() {
        "non_2xx" => false,
        "always" => true,
        other => {
            cx.at(
                &e.status,
                "protocol.errors.status",
                format!("unknown error status rule `{other}`; expected `non_2xx` or `always`"),
            );
            false
        }
    };
    if e.code.value.trim().is_empty() {
        cx.at(
            &e.code,
            "protocol.errors.code",
            "give the dotted path of the error code in the body",
        );
    }
    (
        ProtocolIr {
            endpoint: endpoint.value.clone(),
            json_body,
            content_type: p.content_type.as_ref().map(|c| c.value.clone()),
            headers,
            envelope,
            request_id,
            errors_always,
            error_code: e.code.value.clone(),
            error_message: e
                .message
                .as_ref()
                .map(|m| m.value.0.iter().map(|s| s.value.clone()).collect())
                .unwrap_or_default(),
            strip_namespace: e.strip_namespace.as_ref().is_some_and(|s| s.value),
        },
        ts,
    )
}

fn check_placeholders(cx: &mut Ctx<'_>, value: &Spanned<String>, path: &str, allowed: &[&str]) {
    let mut rest = value.value.as_str();
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            cx.at(value, path, "`{` is not closed with `}`");
            return;
        };
        let name = &after[..close];
        if !allowed.contains(&name) {
            cx.at(
                value,
                path,
                format!(
                    "unknown placeholder `{{{name}}}`; allowed here: {}",
                    allowed
                        .iter()
                        .map(|a| format!("{{{a}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        rest = &after[close + 1..];
    }
}

fn check_path_template(
    cx: &mut Ctx<'_>,
    template: &Spanned<String>,
    path: &str,
    input: Option<&Entries<Spanned<Member>>>,
) {
    if !template.value.starts_with('/') {
        cx.at(template, path, "the path starts with `/`");
    }
    let mut named = BTreeSet::new();
    let mut rest = template.value.as_str();
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            cx.at(template, path, "`{` is not closed with `}`");
            return;
        };
        let name = &after[..close];
        named.insert(name.to_owned());
        if let Some(input) = input {
            match input.get(name) {
                Some(m) if m.value.location.as_ref().is_some_and(|l| l.value == "path") => {}
                Some(_) => cx.at(
                    template,
                    path,
                    format!(
                        "`{{{name}}}` names input member `{name}`, which needs `location: path`"
                    ),
                ),
                None => cx.at(
                    template,
                    path,
                    format!("`{{{name}}}` names no member of the input"),
                ),
            }
        }
        rest = &after[close + 1..];
    }
    if let Some(input) = input {
        for (key, m) in input.iter() {
            if let Some(l) = &m.value.location
                && l.value == "path"
                && !named.contains(&key.value)
            {
                cx.at(
                    l,
                    path,
                    format!(
                        "member `{}` travels in the path, but the path has no `{{{}}}`",
                        key.value, key.value
                    ),
                );
            }
        }
    }
}

fn parse_ts_format(cx: &mut Ctx<'_>, value: &Spanned<String>, path: &str) -> Option<TsFormat> {
    match value.value.as_str() {
        "epoch_seconds" => Some(TsFormat::EpochSeconds),
        "rfc3339" => Some(TsFormat::Rfc3339),
        "text" => Some(TsFormat::Text),
        other => {
            cx.at(value, path, format!("unknown timestamp format `{other}`; expected `epoch_seconds`, `rfc3339` or `text`"));
            None
        }
    }
}

fn resolve(expr: &TypeExpr, kinds: &HashMap<String, Kind>, ts: TsFormat) -> Result<Ty, String> {
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
            "timestamp" => Ty::Timestamp(ts),
            "list" | "map" => return Err(format!("`{n}` needs its item types: `{n}<...>`")),
            other => match kinds.get(other) {
                Some(Kind::Structure) => Ty::Struct(other.to_owned()),
                Some(Kind::Enum) => Ty::Enum(other.to_owned()),
                // Already reported where the shape is defined.
                Some(Kind::Broken) => return Err(String::new()),
                None => {
                    let candidates = PRIMITIVES
                        .iter()
                        .copied()
                        .chain(kinds.keys().map(String::as_str));
                    let hint = names::closest(other, candidates)
                        .map(|c| format!("; did you mean `{c}`?"))
                        .unwrap_or_else(|| "; expected a primitive (string, shared_string, short_string, digest, integer, long, double, boolean, timestamp), list<T>, map<K, V> or a shape name".into());
                    return Err(format!("unknown type `{other}`{hint}"));
                }
            },
        },
        TypeExpr::List(t) => Ty::List(Box::new(resolve(t, kinds, ts)?)),
        TypeExpr::Map(k, v) => {
            let key = resolve(k, kinds, ts)?;
            if !matches!(key, Ty::String | Ty::Enum(_)) {
                return Err(format!(
                    "map keys are `string` or an enum, not {}",
                    type_label(&key)
                ));
            }
            Ty::Map(Box::new(key), Box::new(resolve(v, kinds, ts)?))
        }
    })
}

type SourceCheck<'s> = dyn Fn(&mut Ctx<'_>, Option<&Spanned<String>>, &str) + 's;

#[allow(clippy::too_many_arguments, clippy::too_many_lines)]
fn check_structure(
    cx: &mut Ctx<'_>,
    name: &str,
    shape: &Shape,
    path: &str,
    kinds: &HashMap<String, Kind>,
    enum_values: &HashMap<String, Vec<String>>,
    default_ts: TsFormat,
    validated: bool,
    patterns: &mut Vec<PatternIr>,
    check_source: &SourceCheck<'_>,
) -> Option<Struct> {
    if let Some(values) = &shape.values {
        cx.at(
            values,
            &format!("{path}.values"),
            "`values` belongs to enums; this shape is a structure",
        );
    }
    let Some(members) = &shape.members else {
        cx.at(
            &shape.kind,
            path,
            "a structure needs `members` (write `members: {}` for none)",
        );
        return None;
    };
    let before = cx.diags.len();
    let mut fields: Vec<Field> = Vec::new();
    let mut rust_names: HashMap<String, String> = HashMap::new();
    let mut wire_names: BTreeSet<String> = BTreeSet::new();
    for (key, member) in members.value.iter() {
        let mpath = format!("{path}.members.{}", key.value);
        let m = &member.value;
        check_source(cx, m.source.as_ref(), &mpath);
        let wire = m
            .wire_name
            .as_ref()
            .map_or_else(|| key.value.clone(), |w| w.value.clone());
        if key.value.is_empty() {
            cx.at(key, &mpath, "a member needs a name");
            continue;
        }
        if !wire_names.insert(wire.clone()) {
            cx.at(key, &mpath, format!("member `{wire}` is defined twice"));
            continue;
        }
        let rust = m
            .rust_name
            .as_ref()
            .map_or_else(|| names::field_name(&key.value), |r| r.value.clone());
        let name_at: &Spanned<String> = m.rust_name.as_ref().unwrap_or(key);
        if let Some(problem) = names::problem(&rust) {
            let hint = if m.rust_name.is_some() {
                ""
            } else {
                "; set `rust_name` to the Rust field name"
            };
            cx.at(
                name_at,
                &mpath,
                format!("the Rust field name: {problem}{hint}"),
            );
        } else if rust != names::field_name(&rust) {
            cx.at(
                name_at,
                &mpath,
                format!(
                    "the Rust field name `{rust}` is not snake_case (try `{}`)",
                    names::field_name(&rust)
                ),
            );
        } else if validated && ["build", "validate_at"].contains(&rust.as_str()) {
            cx.at(name_at, &mpath, format!("the builder setter `{rust}` would collide with the builder's own `{rust}` method; set `rust_name`"));
        } else if let Some(other) = rust_names.get(&rust) {
            cx.at(
                name_at,
                &mpath,
                format!("`{}` and `{other}` both become the Rust field `{rust}`; set `rust_name` on one of them", key.value),
            );
        } else {
            rust_names.insert(rust.clone(), key.value.clone());
        }

        let ts = match &m.format {
            Some(f) => parse_ts_format(cx, f, &format!("{mpath}.format")).unwrap_or(default_ts),
            None => default_ts,
        };
        let ty = match parse_type(&m.ty.value).and_then(|e| resolve(&e, kinds, ts)) {
            Ok(ty) => ty,
            Err(e) => {
                if !e.is_empty() {
                    cx.at(&m.ty, &format!("{mpath}.type"), e);
                }
                continue;
            }
        };
        if m.format.is_some() && !matches!(ty, Ty::Timestamp(_)) {
            cx.at(
                m.format.as_ref().map_or(&m.ty, |f| f),
                &format!("{mpath}.format"),
                format!("`format` is for timestamps; this member is {}", a_type(&ty)),
            );
        }
        let must_be_set = m.required.as_ref().is_some_and(|r| r.value);
        let nullable = m.nullable.as_ref().is_some_and(|n| n.value);
        let location = m.location.as_ref().map(|l| {
            if !["body", "query", "path", "header"].contains(&l.value.as_str()) {
                cx.at(
                    l,
                    &format!("{mpath}.location"),
                    format!(
                        "unknown location `{}`; expected body, query, path or header",
                        l.value
                    ),
                );
            } else if l.value == "path" && !must_be_set {
                cx.at(
                    l,
                    &format!("{mpath}.location"),
                    "a path parameter must be `required: true`",
                );
            }
            l.value.clone()
        });

        let length = bounds_u64(cx, m.length.as_ref(), &format!("{mpath}.length"), "length");
        let items = bounds_u64(cx, m.items.as_ref(), &format!("{mpath}.items"), "items");
        let range = m
            .range
            .as_ref()
            .map(|r| check_range(cx, r, &format!("{mpath}.range"), &ty));
        if let Some(l) = &m.length
            && !is_string_like(&ty)
        {
            cx.at(
                l,
                &format!("{mpath}.length"),
                format!("`length` is for strings; this member is {}", a_type(&ty)),
            );
        }
        if let Some(i) = &m.items
            && !matches!(ty, Ty::List(_))
        {
            cx.at(
                i,
                &format!("{mpath}.items"),
                format!("`items` is for lists; this member is {}", a_type(&ty)),
            );
        }
        if let Some(r) = &m.range
            && !is_number(&ty)
        {
            cx.at(
                r,
                &format!("{mpath}.range"),
                format!("`range` is for numbers; this member is {}", a_type(&ty)),
            );
        }
        let mut pattern_index = None;
        let mut tables = None;
        if let Some(p) = &m.pattern {
            if !is_string_like(&ty) {
                cx.at(
                    p,
                    &format!("{mpath}.pattern"),
                    format!("`pattern` is for strings; this member is {}", a_type(&ty)),
                );
            } else {
                match pattern::compile(&p.value) {
                    Err(e) => cx.at(
                        p,
                        &format!("{mpath}.pattern"),
                        format!("the pattern does not compile: {e}"),
                    ),
                    Ok(t) => {
                        if validated {
                            let index = patterns
                                .iter()
                                .position(|q| q.source == p.value)
                                .unwrap_or_else(|| {
                                    let base = format!(
                                        "{}_{}",
                                        names::const_name(name),
                                        names::const_name(&rust)
                                    );
                                    // `Foo.barBaz` and `FooBar.baz` give the same base name.
                                    let mut unique = base.clone();
                                    let mut n = 2;
                                    while patterns.iter().any(|q| q.name == unique) {
                                        unique = format!("{base}_{n}");
                                        n += 1;
                                    }
                                    patterns.push(PatternIr {
                                        source: p.value.clone(),
                                        name: unique,
                                        tables: t.clone(),
                                    });
                                    patterns.len() - 1
                                });
                            pattern_index = Some(index);
                        }
                        tables = Some(t);
                    }
                }
            }
        }
        if let Some(d) = &m.default {
            check_default(
                cx,
                d,
                &format!("{mpath}.default"),
                &ty,
                &Rules {
                    length,
                    range: range.flatten(),
                    tables: tables.as_ref(),
                },
                enum_values,
            );
        }
        fields.push(Field {
            wire,
            rust,
            ty,
            required: must_be_set && !nullable,
            must_be_set,
            docs: docs_of(m.docs.as_ref()),
            default: m.default.as_ref().map(|d| d.value.clone()),
            length,
            range: range.flatten(),
            items,
            pattern: pattern_index,
            location,
        });
    }
    let mut exclusive = Vec::new();
    if let Some(groups) = &shape.exclusive {
        for (i, group) in groups.value.iter().enumerate() {
            let gpath = format!("{path}.exclusive[{i}]");
            let list = &group.value.members;
            if list.value.len() < 2 {
                cx.at(
                    list,
                    &format!("{gpath}.members"),
                    "an exclusive group names at least two members",
                );
            }
            let mut seen = BTreeSet::new();
            for m in &list.value {
                if !seen.insert(m.value.clone()) {
                    cx.at(
                        m,
                        &format!("{gpath}.members"),
                        format!("`{}` is named twice", m.value),
                    );
                } else if !wire_names.contains(&m.value) {
                    let hint = names::closest(&m.value, wire_names.iter().map(String::as_str))
                        .map(|c| format!(" (did you mean `{c}`?)"))
                        .unwrap_or_default();
                    cx.at(
                        m,
                        &format!("{gpath}.members"),
                        format!("`{}` is not a member of `{name}`{hint}", m.value),
                    );
                } else if fields.iter().any(|f| f.wire == m.value && f.must_be_set) {
                    cx.at(m, &format!("{gpath}.members"), format!("`{}` is required, so it is always set and excludes every other member of the group", m.value));
                }
            }
            exclusive.push(ExclusiveIr {
                members: list.value.iter().map(|m| m.value.clone()).collect(),
                docs: docs_of(group.value.docs.as_ref()),
            });
        }
    }
    if cx.diags.len() > before {
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
    })
}

fn bounds_u64(
    cx: &mut Ctx<'_>,
    bounds: Option<&Spanned<Bounds>>,
    path: &str,
    what: &str,
) -> Option<(Option<u64>, Option<u64>)> {
    let bounds = bounds?;
    let one = |cx: &mut Ctx<'_>, b: Option<&Spanned<Num>>, key: &str| -> Option<u64> {
        let b = b?;
        match b.value {
            Num::Int(n) if n >= 0 => u64::try_from(n).ok(),
            other => {
                cx.at(
                    b,
                    &format!("{path}.{key}"),
                    format!("{what} bounds are whole numbers of at least 0, not {other}"),
                );
                None
            }
        }
    };
    let min = one(cx, bounds.value.min.as_ref(), "min");
    let max = one(cx, bounds.value.max.as_ref(), "max");
    if bounds.value.min.is_none() && bounds.value.max.is_none() {
        cx.at(bounds, path, "give `min`, `max` or both");
    }
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > hi
    {
        cx.at(bounds, path, format!("min {lo} is greater than max {hi}"));
    }
    Some((min, max))
}

fn check_range(
    cx: &mut Ctx<'_>,
    bounds: &Spanned<Bounds>,
    path: &str,
    ty: &Ty,
) -> Option<(Option<Num>, Option<Num>)> {
    let (lo_limit, hi_limit) = match ty {
        Ty::Integer => (i128::from(i32::MIN), i128::from(i32::MAX)),
        Ty::Long => (i128::from(i64::MIN), i128::from(i64::MAX)),
        _ => (i128::MIN, i128::MAX),
    };
    let mut ok = true;
    for (key, b) in [("min", &bounds.value.min), ("max", &bounds.value.max)] {
        if let Some(b) = b {
            match (ty, b.value) {
                (Ty::Integer | Ty::Long, Num::Int(n)) if n < lo_limit || n > hi_limit => {
                    cx.at(
                        b,
                        &format!("{path}.{key}"),
                        format!("{n} does not fit {}", a_type(ty)),
                    );
                    ok = false;
                }
                (Ty::Integer | Ty::Long, Num::Float(f)) => {
                    cx.at(
                        b,
                        &format!("{path}.{key}"),
                        format!("{f:?} is not a whole number; this member is {}", a_type(ty)),
                    );
                    ok = false;
                }
                (_, Num::Float(f)) if !f.is_finite() => {
                    cx.at(b, &format!("{path}.{key}"), "bounds are finite numbers");
                    ok = false;
                }
                _ => {}
            }
        }
    }
    if bounds.value.min.is_none() && bounds.value.max.is_none() {
        cx.at(bounds, path, "give `min`, `max` or both");
    }
    let min = bounds.value.min.as_ref().map(|b| b.value);
    let max = bounds.value.max.as_ref().map(|b| b.value);
    if let (Some(lo), Some(hi)) = (min, max)
        && lo.as_f64() > hi.as_f64()
    {
        cx.at(bounds, path, format!("min {lo} is greater than max {hi}"));
        ok = false;
    }
    ok.then_some((min, max))
}

/// A member's own constraints, which its default must satisfy.
struct Rules<'a> {
    length: Option<(Option<u64>, Option<u64>)>,
    range: Option<(Option<Num>, Option<Num>)>,
    tables: Option<&'a pattern::Tables>,
}

fn check_default(
    cx: &mut Ctx<'_>,
    default: &Spanned<Scalar>,
    path: &str,
    ty: &Ty,
    rules: &Rules<'_>,
    enum_values: &HashMap<String, Vec<String>>,
) {
    let Rules {
        length,
        range,
        tables,
    } = *rules;
    match (ty, &default.value) {
        (Ty::String, Scalar::Str(s)) => {
            let n = s.chars().count() as u64;
            if let Some((lo, hi)) = length
                && (lo.is_some_and(|lo| n < lo) || hi.is_some_and(|hi| n > hi))
            {
                cx.at(
                    default,
                    path,
                    format!(
                        "the default {s:?} has length {n}, outside the member's length ({})",
                        bounds_text(lo, hi)
                    ),
                );
            }
            if let Some(t) = tables
                && !t.is_full_match(s)
            {
                cx.at(
                    default,
                    path,
                    format!("the default {s:?} does not match the member's pattern"),
                );
            }
        }
        (Ty::Enum(name), Scalar::Str(s)) => {
            if let Some(values) = enum_values.get(name)
                && !values.iter().any(|v| v == s)
            {
                cx.at(
                    default,
                    path,
                    format!(
                        "the default {s:?} is not a value of enum {name} ({})",
                        values.join(", ")
                    ),
                );
            }
        }
        (Ty::Boolean, Scalar::Bool(_)) => {}
        (Ty::Integer | Ty::Long, Scalar::Num(Num::Int(_))) | (Ty::Double, Scalar::Num(_)) => {
            let Scalar::Num(n) = default.value else {
                return;
            };
            let (lo_limit, hi_limit) = if *ty == Ty::Integer {
                (i128::from(i32::MIN), i128::from(i32::MAX))
            } else {
                (i128::from(i64::MIN), i128::from(i64::MAX))
            };
            if let Num::Int(i) = n
                && *ty != Ty::Double
                && (i < lo_limit || i > hi_limit)
            {
                cx.at(
                    default,
                    path,
                    format!("the default {i} does not fit {}", a_type(ty)),
                );
                return;
            }
            if let Some((lo, hi)) = range
                && (lo.is_some_and(|lo| n.as_f64() < lo.as_f64())
                    || hi.is_some_and(|hi| n.as_f64() > hi.as_f64()))
            {
                let lo = lo.map(|l| l.to_string()).unwrap_or_default();
                let hi = hi.map(|h| h.to_string()).unwrap_or_default();
                cx.at(
                    default,
                    path,
                    format!("the default {n} is outside the member's range {lo}..={hi}"),
                );
            }
        }
        (Ty::SharedString | Ty::ShortString | Ty::Digest, _) => cx.at(
            default,
            path,
            format!(
                "a {} member takes no default (defaults are for strings, numbers, booleans and enums)",
                type_label(ty)
            ),
        ),
        (ty, value) => cx.at(
            default,
            path,
            format!(
                "the default {value} is not a value of the member's type ({})",
                type_label(ty)
            ),
        ),
    }
}

fn check_enum(
    cx: &mut Ctx<'_>,
    name: &str,
    shape: &Shape,
    path: &str,
    check_source: &SourceCheck<'_>,
) -> Option<Enum> {
    if let Some(m) = &shape.members {
        cx.at(
            m,
            &format!("{path}.members"),
            "`members` belongs to structures; this shape is an enum",
        );
    }
    if let Some(x) = &shape.exclusive {
        cx.at(
            x,
            &format!("{path}.exclusive"),
            "`exclusive` belongs to structures; this shape is an enum",
        );
    }
    let Some(values) = &shape.values else {
        cx.at(&shape.kind, path, "an enum needs `values`");
        return None;
    };
    if values.value.0.is_empty() {
        cx.at(
            values,
            &format!("{path}.values"),
            "an enum needs at least one value",
        );
    }
    let before = cx.diags.len();
    let mut out = Vec::new();
    let mut variants: HashMap<String, String> = HashMap::new();
    let mut wires = BTreeSet::new();
    for (value, def) in values.value.iter() {
        let vpath = format!("{path}.values.{}", value.value);
        check_source(cx, def.value.source.as_ref(), &vpath);
        if !wires.insert(value.value.clone()) {
            cx.at(
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
        let at: &Spanned<String> = def.value.name.as_ref().unwrap_or(value);
        if let Some(problem) = names::problem(&variant) {
            cx.at(
                at,
                &vpath,
                format!("the variant name: {problem}; set `name`"),
            );
        } else if variant != names::type_name(&variant) {
            cx.at(
                at,
                &vpath,
                format!(
                    "the variant name `{variant}` is not UpperCamelCase (try `{}`)",
                    names::type_name(&variant)
                ),
            );
        } else if variant == "Unknown" {
            cx.at(at, &vpath, "`Unknown` is the variant for values the spec does not list; set `name` to another variant name");
        } else if let Some(other) = variants.get(&variant) {
            cx.at(at, &vpath, format!("values `{other}` and `{}` both become the variant `{variant}`; set `name` on one of them", value.value));
        } else {
            variants.insert(variant.clone(), value.value.clone());
        }
        out.push((
            value.value.clone(),
            variant,
            docs_of(def.value.docs.as_ref()),
        ));
    }
    (cx.diags.len() == before).then(|| Enum {
        name: name.to_owned(),
        docs: docs_of(shape.docs.as_ref()),
        values: out,
    })
}

/// A structure that contains itself without a list or map in between has no finite size.
fn check_recursion(cx: &mut Ctx<'_>, spec: &Spec, structs: &[Struct]) {
    let by_name: HashMap<&str, &Struct> = structs.iter().map(|s| (s.name.as_str(), s)).collect();
    fn direct(ty: &Ty) -> Option<&str> {
        match ty {
            Ty::Struct(n) => Some(n),
            _ => None,
        }
    }
    for s in structs {
        let mut stack: Vec<&str> = s.fields.iter().filter_map(|f| direct(&f.ty)).collect();
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == s.name {
                if let Some((key, _)) = spec.shapes.value.iter().find(|(k, _)| k.value == s.name) {
                    cx.at(key, &format!("shapes.{}", s.name), format!("structure `{}` contains itself without a list or map in between, so it has no finite size", s.name));
                }
                break;
            }
            if seen.insert(n)
                && let Some(inner) = by_name.get(n)
            {
                stack.extend(inner.fields.iter().filter_map(|f| direct(&f.ty)));
            }
        }
    }
}

/// Which structures can derive `Default` (every field has one) and `Eq` (no `f64` inside).
fn derive_flags(structs: &mut [Struct]) {
    fn has_default(ty: &Ty, ok: &BTreeSet<String>) -> bool {
        match ty {
            Ty::Timestamp(_) | Ty::Enum(_) | Ty::Digest => false,
            Ty::Struct(n) => ok.contains(n),
            _ => true,
        }
    }
    fn has_eq(ty: &Ty, ok: &BTreeSet<String>) -> bool {
        match ty {
            Ty::Double => false,
            Ty::List(t) => has_eq(t, ok),
            Ty::Map(k, v) => has_eq(k, ok) && has_eq(v, ok),
            Ty::Struct(n) => ok.contains(n),
            _ => true,
        }
    }
    // Greatest fixpoints: assume every structure qualifies, then drop those that do not.
    let mut default: BTreeSet<String> = structs.iter().map(|s| s.name.clone()).collect();
    let mut eq = default.clone();
    loop {
        let before = (default.len(), eq.len());
        for s in structs.iter() {
            if !s
                .fields
                .iter()
                .all(|f| !f.required || has_default(&f.ty, &default))
            {
                default.remove(&s.name);
            }
            if !s.fields.iter().all(|f| has_eq(&f.ty, &eq)) {
                eq.remove(&s.name);
            }
        }
        if (default.len(), eq.len()) == before {
            break;
        }
    }
    for s in structs {
        s.default = default.contains(&s.name);
        s.eq = eq.contains(&s.name);
    }
}

fn check_pagination(
    cx: &mut Ctx<'_>,
    shapes: &Entries<Spanned<Shape>>,
    p: &Spanned<crate::spec::Pagination>,
    path: &str,
    input: Option<&Entries<Spanned<Member>>>,
    output: Option<&Entries<Spanned<Member>>>,
) -> Option<PaginationIr> {
    let v = &p.value;
    let style = v.style.value.as_str();
    let (uses, first_default): (&[&str], i64) = match style {
        "token" => (&["input_token", "output_token", "page_size"], 0),
        "page_number" => (&["page", "page_size", "first", "total_count"], 1),
        "offset_limit" => (
            &["offset", "page_size", "first", "offset_unit", "total_count"],
            0,
        ),
        "marker" => (&["marker", "marker_from", "page_size"], 0),
        other => {
            cx.at(&v.style, &format!("{path}.style"), format!("unknown pagination style `{other}`; expected `token`, `page_number`, `offset_limit` or `marker`"));
            return None;
        }
    };
    let before = cx.diags.len();
    let keys: [(&str, Option<&Spanned<String>>); 9] = [
        ("marker", v.marker.as_ref()),
        ("marker_from", v.marker_from.as_ref()),
        ("page_size", v.page_size.as_ref()),
        ("input_token", v.input_token.as_ref()),
        ("output_token", v.output_token.as_ref()),
        ("page", v.page.as_ref()),
        ("offset", v.offset.as_ref()),
        ("offset_unit", v.offset_unit.as_ref()),
        ("total_count", v.total_count.as_ref()),
    ];
    for (key, value) in keys {
        if let Some(value) = value
            && !uses.contains(&key)
        {
            cx.at(
                value,
                &format!("{path}.{key}"),
                format!("`{key}` does not belong to pagination style `{style}`"),
            );
        }
    }
    if let Some(f) = &v.first
        && !uses.contains(&"first")
    {
        cx.at(
            f,
            &format!("{path}.first"),
            format!("`first` does not belong to pagination style `{style}`"),
        );
    }
    let need = |cx: &mut Ctx<'_>, key: &str, value: Option<&Spanned<String>>| {
        if value.is_none() {
            cx.at(p, path, format!("pagination style `{style}` needs `{key}`"));
        }
    };
    match style {
        "token" => {
            need(cx, "input_token", v.input_token.as_ref());
            need(cx, "output_token", v.output_token.as_ref());
        }
        "page_number" => need(cx, "page", v.page.as_ref()),
        "marker" => {
            need(cx, "marker", v.marker.as_ref());
            need(cx, "marker_from", v.marker_from.as_ref());
        }
        _ => need(cx, "offset", v.offset.as_ref()),
    }
    let member = |cx: &mut Ctx<'_>,
                  key: &str,
                  value: Option<&Spanned<String>>,
                  side: Option<&Entries<Spanned<Member>>>,
                  which: &str,
                  want: &dyn Fn(&str) -> bool,
                  kind: &str| {
        let (Some(value), Some(side)) = (value, side) else {
            return;
        };
        match side.get(&value.value) {
            None => {
                let hint = names::closest(&value.value, side.iter().map(|(k, _)| k.value.as_str()))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                cx.at(
                    value,
                    &format!("{path}.{key}"),
                    format!(
                        "`{}` is not a member of the operation's {which}{hint}",
                        value.value
                    ),
                );
            }
            Some(m) => {
                let ty = m.value.ty.value.replace(' ', "");
                if !want(&ty) {
                    cx.at(
                        value,
                        &format!("{path}.{key}"),
                        format!(
                            "`{}` is a `{}`; `{key}` needs {kind}",
                            value.value, m.value.ty.value
                        ),
                    );
                }
            }
        }
    };
    // The members of one item of the page (for `marker_from`).
    let item_members = output
        .and_then(|o| o.get(&v.items.value))
        .and_then(|m| {
            let ty = m.value.ty.value.replace(' ', "");
            let name = ty.strip_prefix("list<")?.strip_suffix('>')?.to_owned();
            shapes.get(&name)?.value.members.as_ref()
        })
        .map(|m| &m.value);
    let int = |t: &str| t == "integer" || t == "long";
    let string = |t: &str| t == "string";
    let list = |t: &str| t.starts_with("list<");
    member(
        cx,
        "items",
        Some(&v.items),
        output,
        "output",
        &list,
        "a list",
    );
    member(
        cx,
        "page_size",
        v.page_size.as_ref(),
        input,
        "input",
        &int,
        "an integer",
    );
    member(
        cx,
        "input_token",
        v.input_token.as_ref(),
        input,
        "input",
        &string,
        "a string",
    );
    member(
        cx,
        "output_token",
        v.output_token.as_ref(),
        output,
        "output",
        &string,
        "a string",
    );
    member(
        cx,
        "page",
        v.page.as_ref(),
        input,
        "input",
        &int,
        "an integer",
    );
    member(
        cx,
        "offset",
        v.offset.as_ref(),
        input,
        "input",
        &int,
        "an integer",
    );
    member(
        cx,
        "total_count",
        v.total_count.as_ref(),
        output,
        "output",
        &int,
        "an integer",
    );
    member(
        cx,
        "marker",
        v.marker.as_ref(),
        input,
        "input",
        &string,
        "a string",
    );
    member(
        cx,
        "marker_from",
        v.marker_from.as_ref(),
        item_members,
        "page items",
        &string,
        "a string",
    );
    let offset_in_pages = match v.offset_unit.as_ref().map(|u| u.value.as_str()) {
        None | Some("item") => false,
        Some("page") => true,
        Some(other) => {
            if let Some(u) = &v.offset_unit {
                cx.at(
                    u,
                    &format!("{path}.offset_unit"),
                    format!("unknown offset unit `{other}`; expected `item` or `page`"),
                );
            }
            false
        }
    };
    let first = match v.first.as_ref() {
        None => first_default,
        Some(f) => match f.value {
            Num::Int(n) if (0..=i128::from(i32::MAX)).contains(&n) => i64::try_from(n).unwrap_or(0),
            other => {
                cx.at(
                    f,
                    &format!("{path}.first"),
                    format!("`first` is a whole number of at least 0, not {other}"),
                );
                0
            }
        },
    };
    (cx.diags.len() == before).then(|| PaginationIr {
        style: style.to_owned(),
        items: v.items.value.clone(),
        page_size: v.page_size.as_ref().map(|s| s.value.clone()),
        cursor_in: v
            .input_token
            .as_ref()
            .or(v.page.as_ref())
            .or(v.offset.as_ref())
            .or(v.marker.as_ref())
            .map(|s| s.value.clone()),
        cursor_out: v
            .output_token
            .as_ref()
            .or(v.marker_from.as_ref())
            .map(|s| s.value.clone()),
        first,
        offset_in_pages,
        total_count: v.total_count.as_ref().map(|s| s.value.clone()),
    })
}

/// Checks `operations.X.summary` against the generated structures: every named member exists
/// where it should and has a type the summary field can take.
fn check_summary(
    cx: &mut Ctx<'_>,
    structs: &[Struct],
    op: &crate::spec::Operation,
    summary: &crate::spec::Summary,
    path: &str,
) -> Option<crate::ir::SummaryIr> {
    use crate::ir::{SummaryIr, SummarySource};
    let find = |name: &str| structs.iter().find(|s| s.name == name);
    let output = find(&op.output.value)?;
    let input = find(&op.input.value)?;
    let Some(items) = output.fields.iter().find(|f| f.wire == summary.items.value) else {
        cx.at(
            &summary.items,
            &format!("{path}.items"),
            format!(
                "`{}` is not a member of `{}`",
                summary.items.value, output.name
            ),
        );
        return None;
    };
    let item = match &items.ty {
        Ty::List(inner) => match &**inner {
            Ty::Struct(n) => find(n),
            _ => None,
        },
        _ => None,
    };
    let Some(item) = item else {
        cx.at(
            &summary.items,
            &format!("{path}.items"),
            format!("`{}` is not a list of structures", summary.items.value),
        );
        return None;
    };
    let before = cx.diags.len();
    let pick = |cx: &mut Ctx<'_>,
                key: &str,
                value: Option<&Spanned<String>>,
                from: &Struct,
                want: &dyn Fn(&Ty) -> bool,
                kind: &str|
     -> Option<Field> {
        let value = value?;
        let key_path = format!("{path}.{key}");
        match from.fields.iter().find(|f| f.wire == value.value) {
            None => {
                cx.at(
                    value,
                    &key_path,
                    format!("`{}` is not a member of `{}`", value.value, from.name),
                );
                None
            }
            Some(f) if !want(&f.ty) => {
                cx.at(
                    value,
                    &key_path,
                    format!("`{}` of `{}` is not {kind}", value.value, from.name),
                );
                None
            }
            Some(f) => Some(f.clone()),
        }
    };
    let string = |t: &Ty| matches!(t, Ty::String | Ty::Digest);
    let media = |t: &Ty| matches!(t, Ty::String | Ty::Enum(_));
    let name = |t: &Ty| matches!(t, Ty::String | Ty::SharedString);
    let tags = |t: &Ty| match t {
        Ty::List(item) => matches!(**item, Ty::String | Ty::ShortString),
        t => matches!(t, Ty::String | Ty::ShortString),
    };
    let number = |t: &Ty| matches!(t, Ty::Integer | Ty::Long | Ty::Double);
    let time = |t: &Ty| matches!(t, Ty::Timestamp(_));
    let digest = pick(
        cx,
        "digest",
        summary.digest.as_ref(),
        item,
        &string,
        "a string or a digest",
    );
    let tag_list = pick(
        cx,
        "tags",
        summary.tags.as_ref(),
        item,
        &tags,
        "a string, a short_string or a list of either",
    );
    let size = pick(cx, "size", summary.size.as_ref(), item, &number, "a number");
    let pushed_at = pick(
        cx,
        "pushed_at",
        summary.pushed_at.as_ref(),
        item,
        &time,
        "a timestamp",
    );
    let media_type = pick(
        cx,
        "media_type",
        summary.media_type.as_ref(),
        item,
        &media,
        "a string or an enum",
    );
    let either = |cx: &mut Ctx<'_>,
                  key: &str,
                  own: Option<&Spanned<String>>,
                  from_input: Option<&Spanned<String>>| {
        if let (Some(_), Some(other)) = (own, from_input) {
            cx.at(
                other,
                &format!("{path}.{key}_from_input"),
                format!("`{key}` and `{key}_from_input` are exclusive"),
            );
            return None;
        }
        if let Some(f) = pick(cx, key, own, item, &name, "a string") {
            return Some(SummarySource::Item(f));
        }
        pick(
            cx,
            &format!("{key}_from_input"),
            from_input,
            input,
            &name,
            "a string",
        )
        .map(SummarySource::Input)
    };
    let registry = either(
        cx,
        "registry",
        summary.registry.as_ref(),
        summary.registry_from_input.as_ref(),
    );
    let repository = either(
        cx,
        "repository",
        summary.repository.as_ref(),
        summary.repository_from_input.as_ref(),
    );
    let unit = match summary.size_unit.as_ref().map(|u| u.value.as_str()) {
        None | Some("bytes") => 1,
        Some("kB") => 1_000,
        Some("MB") => 1_000_000,
        Some("KiB") => 1_024,
        Some("MiB") => 1_048_576,
        Some(other) => {
            if let Some(u) = &summary.size_unit {
                cx.at(
                    u,
                    &format!("{path}.size_unit"),
                    format!(
                        "unknown size unit `{other}`; expected `bytes`, `kB`, `MB`, `KiB` or `MiB`"
                    ),
                );
            }
            1
        }
    };
    if cx.diags.len() > before {
        return None;
    }
    Some(SummaryIr {
        items: items.clone(),
        digest: digest.map(SummarySource::Item),
        tags: tag_list.map(SummarySource::Item),
        size: size.map(|f| (SummarySource::Item(f), unit)),
        pushed_at: pushed_at.map(SummarySource::Item),
        media_type: media_type.map(|f| {
            (
                SummarySource::Item(f),
                summary.media_type_prefix.as_ref().map(|p| p.value.clone()),
            )
        }),
        registry,
        repository,
    })
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
