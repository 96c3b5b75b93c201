//! The API model: endpoints and the documents that declare them, each fact with the
//! location it came from. OpenAPI documents fill it today; framework extraction from
//! source code fills the same structures.

use crate::finding::{Anchor, Location};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    pub fn from_key(key: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.key() == key)
    }

    /// The lower-case key OpenAPI uses for the method.
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
        }
    }

    pub fn upper(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    pub fn is_write(self) -> bool {
        matches!(
            self,
            Method::Post | Method::Put | Method::Patch | Method::Delete
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

impl SpecVersion {
    pub fn label(self) -> &'static str {
        match self {
            SpecVersion::Swagger2 => "Swagger 2.0",
            SpecVersion::OpenApi30 => "OpenAPI 3.0",
            SpecVersion::OpenApi31 => "OpenAPI 3.1",
        }
    }
}

#[derive(Debug, Default)]
pub struct ApiModel {
    pub documents: Vec<SpecDocument>,
    pub endpoints: Vec<Endpoint>,
}

impl ApiModel {
    pub fn endpoints_of(&self, doc: usize) -> impl Iterator<Item = &Endpoint> {
        self.endpoints
            .iter()
            .filter(move |e| e.origin == Origin::Spec { document: doc })
    }
}

/// One OpenAPI/Swagger document and its document-wide facts.
#[derive(Debug)]
pub struct SpecDocument {
    pub version: SpecVersion,
    /// The `openapi:`/`swagger:` key: where document-wide findings point when there is
    /// no better place.
    pub root: Location,
    /// The `paths:` key, where findings about the API as a whole point.
    pub paths: Option<Location>,
    pub servers: Vec<Server>,
    pub security_schemes: Vec<SecurityScheme>,
    /// Top-level `security`, if declared.
    pub global_security: Option<SecurityDecl>,
    /// Request fields with no size or range bound, each object schema once.
    pub unbounded_inputs: Vec<UnboundedObject>,
    pub unbounded_params: Vec<UnboundedParam>,
}

impl SpecDocument {
    pub fn anchor(&self, pointer: impl Into<String>) -> Option<Anchor> {
        Some(Anchor {
            document: self.root.file.path.clone(),
            pointer: pointer.into(),
        })
    }

    pub fn where_findings_go(&self) -> &Location {
        self.paths.as_ref().unwrap_or(&self.root)
    }
}

#[derive(Debug, Clone)]
pub struct Server {
    pub url: String,
    pub location: Location,
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    HttpBasic,
    Http(String),
    ApiKey { location: String },
    OAuth2,
    OpenIdConnect,
    MutualTls,
    Other(String),
}

#[derive(Debug, Clone)]
pub struct SecurityScheme {
    pub name: String,
    pub kind: SchemeKind,
    pub location: Location,
    pub pointer: String,
}

/// A `security` list: alternatives, each naming the schemes that must all hold.
#[derive(Debug, Clone)]
pub struct SecurityDecl {
    pub requirements: Vec<Requirement>,
    pub location: Location,
}

impl SecurityDecl {
    /// `security: []`, or an alternative `{}` that lets anonymous callers in.
    pub fn allows_anonymous(&self) -> bool {
        self.requirements.is_empty() || self.requirements.iter().any(|r| r.schemes.is_empty())
    }
}

#[derive(Debug, Clone)]
pub struct Requirement {
    pub schemes: Vec<SchemeUse>,
}

#[derive(Debug, Clone)]
pub struct SchemeUse {
    pub name: String,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Spec { document: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    Query,
    Path,
    Header,
    Cookie,
    Body,
    FormData,
    Other,
}

impl ParamIn {
    pub fn parse(s: &str) -> ParamIn {
        match s {
            "query" => ParamIn::Query,
            "path" => ParamIn::Path,
            "header" => ParamIn::Header,
            "cookie" => ParamIn::Cookie,
            "body" => ParamIn::Body,
            "formData" => ParamIn::FormData,
            _ => ParamIn::Other,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub location_in: ParamIn,
    pub location: Location,
    pub pointer: String,
    /// The declared type, after `$ref`s (`integer`, `string`, ...).
    pub schema_type: Option<String>,
    pub has_maximum: bool,
    pub has_enum: bool,
}

/// The shape of a response body, as far as list detection needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyShape {
    None,
    Array,
    /// An object wrapping exactly one array property.
    Wrapped {
        property: String,
        siblings: Vec<String>,
    },
    Object,
    Other,
}

#[derive(Debug, Clone)]
pub struct Response {
    /// As written: `200`, `2XX`, `default`.
    pub code: String,
    pub location: Location,
    pub pointer: String,
    /// A schema is declared for the body.
    pub has_body: bool,
    pub media_types: Vec<String>,
    pub body: BodyShape,
    /// What identifies the body schema when comparing error responses: the `$ref`
    /// target's name, or the sorted property names of an inline schema.
    pub schema_identity: Option<String>,
    pub headers: Vec<String>,
}

impl Response {
    pub fn numeric(&self) -> Option<u16> {
        self.code.parse().ok()
    }

    /// The status class digit, for `200` and `2XX` alike; `None` for `default`.
    pub fn class(&self) -> Option<u8> {
        let first = self.code.chars().next()?;
        let rest_ok = self.code.len() == 3
            && self.code[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == 'X' || c == 'x');
        if rest_ok && ('1'..='5').contains(&first) {
            Some(first as u8 - b'0')
        } else {
            None
        }
    }
}

#[derive(Debug, Clone)]
pub struct Endpoint {
    pub origin: Origin,
    pub method: Method,
    /// The path template with the document's own parameter names: `/users/{id}`.
    pub path: String,
    /// The operation key (`get:`) or the route declaration.
    pub location: Location,
    pub path_location: Location,
    pub anchor: Option<Anchor>,
    pub operation_id: Option<(String, Location)>,
    pub has_summary: bool,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<Location>,
    pub responses: Vec<Response>,
    /// The security that applies: the operation's own, else the document's.
    pub security: Option<SecurityDecl>,
    pub security_is_own: bool,
    pub servers: Vec<Server>,
}

impl Endpoint {
    pub fn pointer(&self) -> &str {
        self.anchor
            .as_ref()
            .map(|a| a.pointer.as_str())
            .unwrap_or("")
    }

    pub fn anchor_at(&self, suffix: &str) -> Option<Anchor> {
        self.anchor.as_ref().map(|a| Anchor {
            document: a.document.clone(),
            pointer: format!("{}{}", a.pointer, suffix),
        })
    }

    pub fn display(&self) -> String {
        format!("{} {}", self.method.upper(), self.path)
    }

    pub fn success_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.class() == Some(2))
    }
}

#[derive(Debug, Clone)]
pub struct UnboundedField {
    pub name: String,
    /// What bound is missing, e.g. "string without maxLength".
    pub missing: &'static str,
}

/// An object schema in a request whose fields take unbounded input.
#[derive(Debug, Clone)]
pub struct UnboundedObject {
    pub location: Location,
    pub pointer: String,
    pub fields: Vec<UnboundedField>,
}

#[derive(Debug, Clone)]
pub struct UnboundedParam {
    pub name: String,
    pub missing: &'static str,
    pub location: Location,
    pub pointer: String,
}
