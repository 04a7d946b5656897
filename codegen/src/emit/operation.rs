//! Operations: the marker type with the operation's place on the wire and `parse_response`,
//! the error enum, `to_http` on the input, and the provider's `PROTOCOL`.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{code, doc_attrs};
use super::{Sink, TypeItems, ident, paging, summary};
use crate::ir::{ErrorCode, Location, Module, Operation, RequestIdAt, Signing, Ty};

/// The module's `PROTOCOL` constant.
pub(super) fn protocol_const(m: &Module) -> TokenStream {
    let p = &m.protocol;
    let endpoint = &p.endpoint;
    let region_endpoints = p.region_endpoints.iter().map(|(k, v)| quote!((#k, #v)));
    let api_version = &m.api_version;
    let json_body = p.json_body;
    let content_type = match &p.content_type {
        Some(c) => quote!(Some(#c)),
        None => quote!(None),
    };
    let headers = p.headers.iter().map(|(n, v)| quote!((#n, #v)));
    let envelope = match &p.envelope {
        Some(e) => quote!(Some(#e)),
        None => quote!(None),
    };
    let request_id = match &p.request_id {
        Some(RequestIdAt::Header(h)) => {
            quote!(Some(::crspec_runtime::wire::RequestIdAt::Header(#h)))
        }
        Some(RequestIdAt::Body(b)) => quote!(Some(::crspec_runtime::wire::RequestIdAt::Body(#b))),
        None => quote!(None),
    };
    let errors_always = p.errors_always;
    let error_code = &p.error_code;
    let error_message = &p.error_message;
    let strip_namespace = p.strip_namespace;
    let signing = match &p.signing {
        Signing::None => quote!(::crspec_runtime::wire::Signing::None),
        Signing::Basic => quote!(::crspec_runtime::wire::Signing::Basic),
        Signing::SigV4 { service } => {
            quote!(::crspec_runtime::wire::Signing::SigV4 { service: #service })
        }
        Signing::Tc3 { service } => {
            quote!(::crspec_runtime::wire::Signing::Tc3 { service: #service })
        }
        Signing::JdCloud { version, service } => {
            quote!(::crspec_runtime::wire::Signing::JdCloud { version: #version, service: #service })
        }
    };
    quote! {
        /// The provider's wire protocol, as the spec describes it.
        pub const PROTOCOL: ::crspec_runtime::wire::Protocol = ::crspec_runtime::wire::Protocol {
            endpoint: #endpoint,
            region_endpoints: &[#(#region_endpoints),*],
            api_version: #api_version,
            json_body: #json_body,
            content_type: #content_type,
            headers: &[#(#headers),*],
            envelope: #envelope,
            request_id: #request_id,
            errors_always: #errors_always,
            error_code: #error_code,
            error_message: &[#(#error_message),*],
            strip_namespace: #strip_namespace,
            signing: #signing,
        };
    }
}

/// Everything of `op`: its marker type and error enum, and what it adds to its input.
pub(super) fn operation(m: &Module, op: &Operation, sink: &mut Sink) {
    let error = format_ident!("{}Error", op.rust);
    let mut items = TypeItems::new(&op.rust);
    items.definition = marker(m, op, &error);
    items.inherent.extend(place(op));
    if let Some(p) = &op.pagination {
        items.inherent.extend(paging::constants(m, p));
    }
    items.inherent.extend(wire(m, op, &error));
    if let Some(s) = &op.summary {
        items.inherent.extend(summary::summaries(m, op, s));
    }
    items.companions.extend(error_enum(op, &error));
    sink.operations.push(items);

    let input = sink.structure(op.input);
    input.inherent.extend(to_http(op));
    input.traits.extend(call(m, op, &error));
    if let Some(p) = &op.pagination {
        input.traits.extend(paging::paginated(m, op, p));
    }
}

/// `Call` for the input of `op` (and `Summarize` when the operation has a summary): what a
/// client needs to send it and read the answer.
fn call(m: &Module, op: &Operation, error: &Ident) -> TokenStream {
    let input = ident(&m.structure(op.input).name);
    let output = ident(&m.structure(op.output).name);
    let marker = ident(&op.rust);
    let summarize = op.summary.is_some().then(|| {
        quote! {
            impl ::crspec_runtime::wire::Summarize for #input {
                fn summaries(&self, output: &#output) -> Vec<::crspec_runtime::ImageSummary> {
                    #marker::summaries(self, output)
                }
            }
        }
    });
    quote! {
        impl ::crspec_runtime::wire::Call for #input {
            type Output = #output;
            type Error = #error;
            const PROTOCOL: &'static ::crspec_runtime::wire::Protocol = &PROTOCOL;
            const OPERATION: &'static ::crspec_runtime::wire::Operation = &#marker::WIRE;
            fn to_http(
                &self,
                endpoint: &::crspec_runtime::wire::Endpoint,
            ) -> Result<::crspec_runtime::http::Request<Vec<u8>>, ::crspec_runtime::wire::RequestError> {
                #input::to_http(self, endpoint)
            }
            fn parse<__B: AsRef<[u8]>>(
                response: &::crspec_runtime::http::Response<__B>,
                limits: &::crspec_runtime::wire::Limits,
            ) -> Result<::crspec_runtime::wire::Reply<#output>, ::crspec_runtime::wire::ResponseError<#error>> {
                #marker::parse_response_with(response, limits)
            }
        }
        #summarize
    }
}

fn marker(m: &Module, op: &Operation, error: &Ident) -> TokenStream {
    let marker = ident(&op.rust);
    let docs = doc_attrs(
        &op.docs,
        &[format!(
            "Input: [`{}`]. Output: [`{}`]. Errors: [`{error}`].",
            m.structure(op.input).name,
            m.structure(op.output).name
        )],
    );
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct #marker;
    }
}

/// `NAME`, `METHOD` and `PATH`.
fn place(op: &Operation) -> TokenStream {
    let wire = &op.wire;
    let method = op.method.as_str();
    let path = &op.path;
    quote! {
        /// The operation's name on the wire.
        pub const NAME: &'static str = #wire;
        /// The HTTP method.
        pub const METHOD: &'static str = #method;
        /// The path template; `{name}` is the input member of wire name `name`.
        pub const PATH: &'static str = #path;
    }
}

/// `WIRE` and `parse_response`.
fn wire(m: &Module, op: &Operation, error: &Ident) -> TokenStream {
    let output = ident(&m.structure(op.output).name);
    let name = &op.wire;
    let method = op.method.as_str();
    let path = &op.path;
    let members = m.structure(op.input).fields.iter().filter_map(|f| {
        let location = match f.location {
            // The checker keeps payload members out of inputs.
            Location::Body | Location::Payload => return None,
            Location::Query => quote!(Query),
            Location::Path => quote!(Path),
            Location::Header => quote!(Header),
        };
        let wire = &f.wire;
        Some(quote!((#wire, ::crspec_runtime::wire::Location::#location)))
    });
    // Output members read from response headers, and how each is written there.
    let header_members: Vec<TokenStream> = m
        .structure(op.output)
        .fields
        .iter()
        .filter(|f| f.location == Location::Header)
        .map(|f| {
            let wire = &f.wire;
            let kind = if matches!(f.ty, Ty::Integer | Ty::Long) {
                quote!(Integer)
            } else {
                quote!(Text)
            };
            quote!((#wire, ::crspec_runtime::wire::HeaderKind::#kind))
        })
        .collect();
    let payload = m
        .structure(op.output)
        .fields
        .iter()
        .find(|f| f.location == Location::Payload)
        .map(|f| &f.wire);
    let parse_with = if header_members.is_empty() && payload.is_none() {
        quote!(::crspec_runtime::wire::parse_response_with(
            &PROTOCOL, response, limits
        ))
    } else {
        let payload = match payload {
            Some(wire) => quote!(Some(#wire)),
            None => quote!(None),
        };
        quote! {
            ::crspec_runtime::wire::parse_response_in_parts(
                &PROTOCOL,
                &[#(#header_members),*],
                #payload,
                response,
                limits,
            )
        }
    };
    let parse_doc = format!(
        " The typed output of a response to [`{}`], its typed error, or a decode error that \
         says what was expected and where.",
        op.rust
    );
    quote! {
        /// The operation's place on the wire.
        pub const WIRE: ::crspec_runtime::wire::Operation = ::crspec_runtime::wire::Operation {
            name: #name,
            method: #method,
            path: #path,
            members: &[#(#members),*],
        };

        #[doc = #parse_doc]
        /// Reads within [`::crspec_runtime::wire::Limits::DEFAULT`].
        ///
        /// # Errors
        ///
        /// [`::crspec_runtime::wire::ResponseError::Service`] for an error response,
        /// [`::crspec_runtime::wire::ResponseError::Decode`] for a body the provider does not send,
        /// [`::crspec_runtime::wire::ResponseError::TooLarge`] for a body over a limit.
        pub fn parse_response<__B: AsRef<[u8]>>(
            response: &::crspec_runtime::http::Response<__B>,
        ) -> Result<::crspec_runtime::wire::Reply<#output>, ::crspec_runtime::wire::ResponseError<#error>> {
            Self::parse_response_with(response, &::crspec_runtime::wire::Limits::DEFAULT)
        }

        /// [`Self::parse_response`] within `limits` rather than the default ones.
        ///
        /// # Errors
        ///
        /// As [`Self::parse_response`].
        pub fn parse_response_with<__B: AsRef<[u8]>>(
            response: &::crspec_runtime::http::Response<__B>,
            limits: &::crspec_runtime::wire::Limits,
        ) -> Result<::crspec_runtime::wire::Reply<#output>, ::crspec_runtime::wire::ResponseError<#error>> {
            #parse_with
        }
    }
}

/// `to_http` of the input of `op`.
fn to_http(op: &Operation) -> TokenStream {
    let marker = ident(&op.rust);
    let doc = format!(
        " The HTTP request of [`{}`] for this input, as the provider documents it (method, URL, \
         headers, body), ready to sign and send. Validates first.",
        op.rust
    );
    quote! {
        #[doc = #doc]
        ///
        /// # Errors
        ///
        /// Every violated constraint, or a region or value that makes no valid HTTP request.
        pub fn to_http(
            &self,
            endpoint: &::crspec_runtime::wire::Endpoint,
        ) -> Result<::crspec_runtime::http::Request<Vec<u8>>, ::crspec_runtime::wire::RequestError> {
            self.validate()?;
            ::crspec_runtime::wire::build_request(&PROTOCOL, &#marker::WIRE, endpoint, self)
        }
    }
}

/// The error enum of `op`: a variant per documented code, `Unknown` for any other.
fn error_enum(op: &Operation, error: &Ident) -> TokenStream {
    let doc = format!(
        " The errors of [`{}`]: one variant per error the spec documents, and `Unknown` for any other code.",
        op.rust
    );
    let variants = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let mut facts = vec![format!("Code {}.", code(&e.code))];
        if let Some(s) = e.http_status {
            facts.push(format!("HTTP status {s}."));
        }
        facts.push(
            if e.retryable {
                "Retryable."
            } else {
                "Not retryable."
            }
            .to_owned(),
        );
        let d = doc_attrs(&e.docs, &[facts.join(" ")]);
        quote!(#d #v(::crspec_runtime::ErrorDetails),)
    });
    let methods = error_methods(op, error);
    // Without documented codes, `Unknown` is the only variant and a refutable pattern on it
    // would be irrefutable (a lint under `deny(warnings)`).
    let set_status = if op.errors.is_empty() {
        quote! {
            let Self::Unknown(unknown) = &mut error;
            unknown.http_status = http_status;
        }
    } else {
        quote! {
            if let Self::Unknown(unknown) = &mut error {
                unknown.http_status = http_status;
            }
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #error {
            #(#variants)*
            /// An error code this spec does not document, kept as the provider sent it.
            Unknown(::crspec_runtime::UnknownError),
        }

        #methods

        impl ::core::fmt::Display for #error {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.code())?;
                if let Some(message) = self.message() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
        }

        impl ::std::error::Error for #error {}

        impl ::crspec_runtime::wire::OperationError for #error {
            fn from_wire(
                code: &str,
                http_status: Option<u16>,
                details: ::crspec_runtime::ErrorDetails,
            ) -> Self {
                let mut error = Self::from_code(code, details);
                #set_status
                error
            }
            fn is_retryable(&self) -> bool {
                #error::is_retryable(self)
            }
            fn details(&self) -> &::crspec_runtime::ErrorDetails {
                #error::details(self)
            }
        }
    }
}

/// The inherent methods of the error enum of `op`: its codes, and what the spec says of each.
fn error_methods(op: &Operation, error: &Ident) -> TokenStream {
    let codes: Vec<&String> = op.errors.iter().map(|e| &e.code).collect();
    let idents: Vec<Ident> = op.errors.iter().map(|e| ident(&e.variant)).collect();
    let status_arms = group_arms(&op.errors, |e| match e.http_status {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    });
    let retryable: Vec<Ident> = op
        .errors
        .iter()
        .filter(|e| e.retryable)
        .map(|e| ident(&e.variant))
        .collect();
    let is_retryable = if retryable.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(Self::#retryable(_))|*))
    };
    let details_arm = if idents.is_empty() {
        TokenStream::new()
    } else {
        quote!(#(Self::#idents(details))|* => details,)
    };
    let unknown = |code: TokenStream| {
        quote! {
            Self::Unknown(::crspec_runtime::UnknownError {
                code: #code.to_owned(),
                http_status: None,
                details,
            })
        }
    };
    // Without documented codes, a `match` would have its catch-all arm only (clippy:
    // `match_single_binding`).
    let from_code = if codes.is_empty() {
        unknown(quote!(code))
    } else {
        let other = unknown(quote!(other));
        quote! {
            match code {
                #(#codes => Self::#idents(details),)*
                other => #other,
            }
        }
    };
    quote! {
        impl #error {
            /// Every code the spec documents for this operation.
            pub const CODES: &'static [&'static str] = &[#(#codes),*];

            /// The error for `code` as the provider sent it; a code the spec does not document
            /// becomes `Unknown`, keeping the code.
            pub fn from_code(code: &str, details: ::crspec_runtime::ErrorDetails) -> Self {
                #from_code
            }

            /// The code, exactly as the provider sends it.
            pub fn code(&self) -> &str {
                match self {
                    #(Self::#idents(_) => #codes,)*
                    Self::Unknown(error) => &error.code,
                }
            }

            /// The category of a dotted code (`InternalError.DbError` → `InternalError`); a
            /// code without a dot is its own category.
            pub fn category(&self) -> &str {
                ::crspec_runtime::error_category(self.code())
            }

            /// The HTTP status the spec documents for this error, if any.
            pub fn http_status(&self) -> Option<u16> {
                match self {
                    #status_arms
                    Self::Unknown(error) => error.http_status,
                }
            }

            /// `true` when the spec says that retrying the same request may succeed.
            pub fn is_retryable(&self) -> bool {
                #is_retryable
            }

            /// The message and request id that came with the error.
            pub fn details(&self) -> &::crspec_runtime::ErrorDetails {
                match self {
                    #details_arm
                    Self::Unknown(error) => &error.details,
                }
            }

            /// The provider's message, if it sent one.
            pub fn message(&self) -> Option<&str> {
                self.details().message.as_deref()
            }
        }
    }
}

/// Match arms `A(_) | B(_) => value,` grouped by equal values, in first-appearance order.
fn group_arms(errors: &[ErrorCode], value: impl Fn(&ErrorCode) -> TokenStream) -> TokenStream {
    let mut groups: Vec<(String, TokenStream, Vec<Ident>)> = Vec::new();
    for e in errors {
        let v = value(e);
        let key = v.to_string();
        match groups.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, idents)) => idents.push(ident(&e.variant)),
            None => groups.push((key, v, vec![ident(&e.variant)])),
        }
    }
    let arms = groups
        .into_iter()
        .map(|(_, v, idents)| quote!(#(Self::#idents(_))|* => #v,));
    quote!(#(#arms)*)
}
