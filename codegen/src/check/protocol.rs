//! `protocol`, the placeholders of templates, and operations' path templates.

use std::collections::BTreeSet;

use super::words::{ErrorsAlways, JsonBody, Keyword};
use super::{Checker, ROOT, SpecPath};
use crate::ir::{Location, Protocol, RequestIdAt, Signing, SigningScheme, TsFormat};
use crate::spec::{Entries, Member, Spanned};

impl Checker<'_> {
    /// Rule: the endpoint is an http(s) URL template with `{region}` at most; the body kind,
    /// error status rule and timestamp format are known words; a JSON body has a content type;
    /// header names are tokens and header values (the content type, and the operation names
    /// and API version they expand) have no control character, which no HTTP request can
    /// carry; the request id is in a header or the body, not both.
    pub(super) fn protocol(&mut self) -> Protocol {
        let p = &self.spec.protocol.value;
        let path = ROOT.key("protocol");
        let endpoint = &p.endpoint;
        let endpoint_path = path.key("endpoint");
        if !(endpoint.value.starts_with("https://") || endpoint.value.starts_with("http://")) {
            self.at(
                "protocol",
                endpoint,
                &endpoint_path,
                "the endpoint is a URL starting with https:// or http://",
            );
        }
        self.placeholders(endpoint, &endpoint_path, &["region"]);
        let mut region_endpoints = Vec::new();
        let overrides = path.key("region_endpoints");
        for (prefix, template) in p.region_endpoints.iter() {
            let tpath = overrides.key(&prefix.value);
            let ok_prefix = !prefix.value.is_empty()
                && prefix
                    .value
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok_prefix {
                self.at(
                    "protocol",
                    prefix,
                    &tpath,
                    format!(
                        "`{}` is not the start of a region name (a-z, 0-9 and `-`)",
                        prefix.value
                    ),
                );
            }
            if !(template.value.starts_with("https://") || template.value.starts_with("http://")) {
                self.at(
                    "protocol",
                    template,
                    &tpath,
                    "the endpoint is a URL starting with https:// or http://",
                );
            }
            self.placeholders(template, &tpath, &["region"]);
            region_endpoints.push((prefix.value.clone(), template.value.clone()));
        }
        let json_body = self
            .keyword::<JsonBody>(&p.body, &path.key("body"))
            .is_some_and(|b| b.0);
        if json_body && p.content_type.is_none() {
            self.at(
                "protocol",
                &p.body,
                &path,
                "a JSON body needs a `content_type`",
            );
        }
        let headers_path = path.key("headers");
        let mut headers = Vec::new();
        for (name, value) in p.headers.iter() {
            let hpath = headers_path.key(&name.value);
            if !is_header_name(&name.value) {
                self.at(
                    "protocol",
                    name,
                    &hpath,
                    format!("`{}` is not an HTTP header name", name.value),
                );
            }
            self.placeholders(value, &hpath, &["operation", "api_version", "region"]);
            self.header_value(value, &hpath, "this header value");
            headers.push((name.value.clone(), value.value.clone()));
        }
        self.expanded_header_values();
        if let Some(c) = &p.content_type {
            self.header_value(c, &path.key("content_type"), "the content type");
        }
        // Absent: only timestamp members with a `format` of their own are allowed. Unknown:
        // reported here, and `text` stands in so that its members are not reported again.
        self.default_ts = p.timestamp_format.as_ref().map(|f| {
            self.keyword::<TsFormat>(f, &path.key("timestamp_format"))
                .unwrap_or(TsFormat::Text)
        });
        let (envelope, request_id) = match &p.response {
            Some(r) => (
                r.value.envelope.as_ref().map(|e| e.value.clone()),
                r.value.request_id.as_ref().and_then(|rid| {
                    match (&rid.value.header, &rid.value.body) {
                        (Some(h), None) => Some(RequestIdAt::Header(h.value.clone())),
                        (None, Some(b)) => Some(RequestIdAt::Body(b.value.clone())),
                        _ => {
                            let response = path.key("response");
                            self.at(
                                "protocol",
                                rid,
                                &response.key("request_id"),
                                "give exactly one of `header` and `body`",
                            );
                            None
                        }
                    }
                }),
            ),
            None => (None, None),
        };
        let e = &p.errors.value;
        let errors_path = path.key("errors");
        let errors_always = self
            .keyword::<ErrorsAlways>(&e.status, &errors_path.key("status"))
            .is_some_and(|a| a.0);
        if e.code.value.trim().is_empty() {
            self.at(
                "protocol",
                &e.code,
                &errors_path.key("code"),
                "give the dotted path of the error code in the body",
            );
        }
        let signing = self.signing(p.signing.as_ref(), &path.key("signing"));
        Protocol {
            endpoint: endpoint.value.clone(),
            region_endpoints,
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
            signing,
        }
    }

    /// Rule: a signing scheme other than `none` and `basic` names the service it signs for (a
    /// token of `a-z`, `0-9`, `-` and `_`), and those two name none.
    fn signing(
        &mut self,
        signing: Option<&Spanned<crate::spec::Signing>>,
        path: &SpecPath<'_>,
    ) -> Signing {
        let Some(signing) = signing else {
            return Signing::None;
        };
        let s = &signing.value;
        let Some(scheme) = self.keyword::<SigningScheme>(&s.scheme, &path.key("scheme")) else {
            return Signing::None;
        };
        let service = match (&s.service, scheme) {
            (Some(service), SigningScheme::None | SigningScheme::Basic) => {
                self.at(
                    "signing",
                    service,
                    &path.key("service"),
                    format!(
                        "the scheme `{}` signs for no service: remove `service`",
                        s.scheme.value
                    ),
                );
                return Signing::None;
            }
            (None, SigningScheme::None) => return Signing::None,
            (None, SigningScheme::Basic) => return Signing::Basic,
            (None, _) => {
                self.at(
                    "signing",
                    signing,
                    path,
                    format!(
                        "the scheme `{}` signs for a service: add `service`, the name in the \
                         credential scope (`ecr`, `tcr`, ...)",
                        s.scheme.value
                    ),
                );
                return Signing::None;
            }
            (Some(service), _) => {
                let ok = !service.value.is_empty()
                    && service.value.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                    });
                if !ok {
                    self.at(
                        "signing",
                        service,
                        &path.key("service"),
                        format!(
                            "`{}` is not a service name: use a-z, 0-9, `-` and `_`",
                            service.value
                        ),
                    );
                }
                service.value.clone()
            }
        };
        match scheme {
            SigningScheme::SigV4 => Signing::SigV4 { service },
            SigningScheme::Tc3 => Signing::Tc3 { service },
            SigningScheme::JdCloud2 => Signing::JdCloud {
                version: 2,
                service,
            },
            SigningScheme::JdCloud3 => Signing::JdCloud {
                version: 3,
                service,
            },
            SigningScheme::None => Signing::None,
            SigningScheme::Basic => Signing::Basic,
        }
    }

    /// Rule: `value` (`what`, for the message) can be an HTTP header value.
    fn header_value(&mut self, value: &Spanned<String>, path: &SpecPath<'_>, what: &str) {
        if let Some(c) = header_value_fault(&value.value) {
            let message = format!(
                "{what} contains {}, which no HTTP header value can carry (every request would \
                 fail)",
                char_name(c)
            );
            self.at("header_value", value, path, message);
        }
    }

    /// Rule: what `{api_version}` and `{operation}` expand to in a header can be a header value.
    fn expanded_header_values(&mut self) {
        let spec = self.spec;
        let uses = |placeholder: &str| {
            spec.protocol
                .value
                .headers
                .iter()
                .any(|(_, v)| v.value.contains(placeholder))
        };
        if uses("{api_version}") {
            let version = &spec.provider.value.api_version;
            let path = ROOT.key("provider");
            self.header_value(
                version,
                &path.key("api_version"),
                "the API version, which `{api_version}` puts in a header,",
            );
        }
        if uses("{operation}") {
            let ops = ROOT.key("operations");
            for (name, _) in spec.operations.value.iter() {
                self.header_value(
                    name,
                    &ops.key(&name.value),
                    "the operation name, which `{operation}` puts in a header,",
                );
            }
        }
    }

    /// Reads a word of the closed vocabulary `K`; an unknown word is reported with the words
    /// that are known.
    pub(super) fn keyword<K: Keyword>(
        &mut self,
        value: &Spanned<String>,
        path: &SpecPath<'_>,
    ) -> Option<K> {
        let word = K::parse(&value.value);
        if word.is_none() {
            self.at("unknown_keyword", value, path, K::unknown(&value.value));
        }
        word
    }

    /// Rule: every `{name}` of a template is closed and one of `allowed`.
    fn placeholders(&mut self, value: &Spanned<String>, path: &SpecPath<'_>, allowed: &[&str]) {
        let mut rest = value.value.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                self.at("placeholders", value, path, "`{` is not closed with `}`");
                return;
            };
            let name = &after[..close];
            if !allowed.contains(&name) {
                let allowed: Vec<String> = allowed.iter().map(|a| format!("{{{a}}}")).collect();
                self.at(
                    "placeholders",
                    value,
                    path,
                    format!(
                        "unknown placeholder `{{{name}}}`; allowed here: {}",
                        allowed.join(", ")
                    ),
                );
            }
            rest = &after[close + 1..];
        }
    }

    /// Rule: an operation's path starts with `/`, each `{name}` (or greedy `{name+}`) names an
    /// input member that travels in the path, and each such member has its `{name}`.
    pub(super) fn path_template(
        &mut self,
        template: &Spanned<String>,
        path: &SpecPath<'_>,
        input: Option<&Entries<Spanned<Member>>>,
    ) {
        if !template.value.starts_with('/') {
            self.at("path_template", template, path, "the path starts with `/`");
        }
        let in_path = |m: &Spanned<Member>| {
            m.value
                .location
                .as_ref()
                .is_some_and(|l| Location::parse(&l.value) == Some(Location::Path))
        };
        let mut named = BTreeSet::new();
        let mut rest = template.value.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                self.at(
                    "path_template",
                    template,
                    path,
                    "`{` is not closed with `}`",
                );
                return;
            };
            // `{name+}`: the member's `/` stays a path separator (a greedy label).
            let written = &after[..close];
            let name = written.strip_suffix('+').unwrap_or(written);
            named.insert(name.to_owned());
            if let Some(input) = input {
                match input.get(name) {
                    Some(m) if in_path(m) => {}
                    Some(_) => self.at(
                        "path_template",
                        template,
                        path,
                        format!(
                            "`{{{written}}}` names input member `{name}`, which needs `location: path`"
                        ),
                    ),
                    None => self.at(
                        "path_template",
                        template,
                        path,
                        format!("`{{{written}}}` names no member of the input"),
                    ),
                }
            }
            rest = &after[close + 1..];
        }
        for (key, m) in input.into_iter().flat_map(Entries::iter) {
            if let Some(l) = &m.value.location
                && in_path(m)
                && !named.contains(&key.value)
            {
                self.at(
                    "path_template",
                    l,
                    path,
                    format!(
                        "member `{}` travels in the path, but the path has no `{{{}}}` (or greedy \
                         `{{{}+}}`)",
                        key.value, key.value, key.value
                    ),
                );
            }
        }
    }
}

/// The first character of `value` that no HTTP header value can carry: a control character
/// other than tab (RFC 9110 field values; what the `http` crate refuses).
pub(super) fn header_value_fault(value: &str) -> Option<char> {
    value.chars().find(|&c| c.is_ascii_control() && c != '\t')
}

/// A character for a message: `CR`, `LF`, or its code point.
pub(super) fn char_name(c: char) -> String {
    match c {
        '\r' => "a carriage return (CR)".to_owned(),
        '\n' => "a line feed (LF)".to_owned(),
        c => format!("the control character U+{:04X}", u32::from(c)),
    }
}

/// An HTTP header name: a non-empty token (RFC 9110).
pub(super) fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_!#$%&'*+.^`|~".contains(&b))
}
