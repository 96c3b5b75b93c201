//! One OpenAPI document (Swagger 2.0, OpenAPI 3.0, 3.1) into API-model facts.
//! Differences between versions end here; rules see one model.

use std::collections::HashSet;
use std::sync::Arc;

use super::refs::{escape_token, NodeRef, Resolver};
use super::yaml::NodeKind;
use super::{parse_error, DocStore, DocumentFacts, ParsedFile};
use crate::finding::{Anchor, Location, Related};
use crate::model::*;
use crate::suppress::{Scope, Suppression};

const IGNORE_KEY: &str = "x-archlint-ignore";
const MAX_SCHEMA_DEPTH: usize = 32;
const MAX_LISTED_PROBLEMS: usize = 10;

/// Reads one root document. `None` when the file is not an OpenAPI document at all.
pub fn analyse_document(
    store: &DocStore,
    file: &Arc<ParsedFile>,
    doc_index: usize,
) -> Option<DocumentFacts> {
    let tree = match &file.tree {
        Ok(t) => t,
        // A file that does not parse is only ours to report if it clearly meant to be
        // a document; a broken YAML file that merely mentions "openapi" is not.
        Err(_) if !super::clearly_a_spec(&file.source.text) => return None,
        Err(e) => {
            let mut facts = DocumentFacts::default();
            facts.problems.push(parse_error(
                Location::new(&file.source, e.span),
                e.message.clone(),
            ));
            return Some(facts);
        }
    };
    let root = NodeRef::new(file, tree.root?)?;
    let (version_key, version_text) = ["openapi", "swagger"]
        .into_iter()
        .find_map(|k| root.get(k).map(|v| (k, v)))?;
    let version_loc = root.key_location(version_key)?;
    let raw_version = version_text.tree().as_str(version_text.id)?.trim();
    // `openapi: {enabled: true}` or `swagger: true` in an app's settings is not a spec.
    if !raw_version.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let version = match (version_key, raw_version) {
        ("swagger", v) if v == "2.0" || v == "2" => SpecVersion::Swagger2,
        ("openapi", v) if v.starts_with("3.0") => SpecVersion::OpenApi30,
        // 3.2 only adds to 3.1; it is read as 3.1.
        ("openapi", v) if v.starts_with("3.1") || v.starts_with("3.2") => SpecVersion::OpenApi31,
        _ => {
            let mut facts = DocumentFacts::default();
            facts.problems.push(
                parse_error(
                    version_text.location(),
                    format!("`{version_key}: {raw_version}` is not a version archlint reads (Swagger 2.0, OpenAPI 3.0, 3.1); the document was not analysed"),
                )
                .label("unsupported version"),
            );
            return Some(facts);
        }
    };
    let mut n = Normalizer {
        r: Resolver::new(store),
        version,
        doc_path: file.source.path.clone(),
        doc_index,
        problems: Vec::new(),
        suppressions: Vec::new(),
        seen_inputs: HashSet::new(),
        seen_leaves: HashSet::new(),
        root_produces: root
            .get("produces")
            .map(|p| string_list(&p))
            .unwrap_or_default(),
        unbounded_inputs: Vec::new(),
        unbounded_params: Vec::new(),
    };
    Some(n.run(&root, version_loc))
}

struct Normalizer<'s> {
    r: Resolver<'s>,
    version: SpecVersion,
    doc_path: String,
    doc_index: usize,
    /// Structural problems (wrong types); reported together as one parse error.
    problems: Vec<(String, Location)>,
    suppressions: Vec<Suppression>,
    seen_inputs: HashSet<(usize, u32)>,
    /// Shared schemas already reported as unbounded leaves.
    seen_leaves: HashSet<(usize, u32)>,
    /// Swagger 2.0's document-wide `produces`, the default for every operation.
    root_produces: Vec<String>,
    unbounded_inputs: Vec<UnboundedObject>,
    unbounded_params: Vec<UnboundedParam>,
}

fn ptr(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_token(token))
}

impl Normalizer<'_> {
    fn problem(&mut self, at: &NodeRef, message: String) {
        self.problems.push((message, at.location()));
    }

    fn anchor(&self, pointer: &str) -> Option<Anchor> {
        Some(Anchor {
            document: self.doc_path.clone(),
            pointer: pointer.to_string(),
        })
    }

    /// A child that must be a mapping; anything else is a structural problem.
    fn expect_map(&mut self, node: &NodeRef, what: &str) -> Option<NodeRef> {
        let resolved = self.r.resolve(node)?;
        match &resolved.tree().node(resolved.id).kind {
            NodeKind::Map(_) => Some(resolved),
            _ if resolved.tree().is_null(resolved.id) => None,
            _ => {
                let kind = resolved.tree().kind_name(resolved.id);
                self.problem(&resolved, format!("{what} must be a mapping, found {kind}"));
                None
            }
        }
    }

    fn expect_seq(&mut self, node: &NodeRef, what: &str) -> Vec<NodeRef> {
        let Some(resolved) = self.r.resolve(node) else {
            return Vec::new();
        };
        match resolved.tree().as_seq(resolved.id) {
            Some(items) => items.iter().map(|&i| resolved.at(i)).collect(),
            None if resolved.tree().is_null(resolved.id) => Vec::new(),
            None => {
                let kind = resolved.tree().kind_name(resolved.id);
                self.problem(&resolved, format!("{what} must be a list, found {kind}"));
                Vec::new()
            }
        }
    }

    fn run(&mut self, root: &NodeRef, version_loc: Location) -> DocumentFacts {
        self.collect_suppressions(root, "");
        let servers = self.document_servers(root);
        let security_schemes = self.security_schemes(root);
        let global_security = root
            .get("security")
            .and_then(|s| self.security(&s, root.key_location("security")));
        let paths_loc = root.key_location("paths");
        let mut endpoints = Vec::new();
        if let Some(paths_node) = root.get("paths") {
            if let Some(paths) = self.expect_map(&paths_node, "`paths`") {
                for entry in paths.tree().entries(paths.id) {
                    if !entry.key.starts_with('/') {
                        continue;
                    }
                    let path_ptr = ptr("/paths", &entry.key);
                    let path_loc = Location::new(paths.source(), entry.key_span);
                    let item = paths.at(entry.value);
                    self.path_item(
                        &entry.key,
                        &path_ptr,
                        path_loc,
                        &item,
                        &global_security,
                        &mut endpoints,
                    );
                }
            }
        } else if self.version != SpecVersion::OpenApi31 {
            self.problems
                .push(("the document has no `paths`".into(), version_loc.clone()));
        }
        let document = SpecDocument {
            version: self.version,
            root: version_loc,
            paths: paths_loc,
            servers,
            security_schemes,
            global_security,
            unbounded_inputs: std::mem::take(&mut self.unbounded_inputs),
            unbounded_params: std::mem::take(&mut self.unbounded_params),
        };
        let mut problems = std::mem::take(&mut self.r.problems);
        if let Some((first, at)) = self.problems.first().cloned() {
            let count = self.problems.len();
            let mut finding = parse_error(
                at,
                if count == 1 {
                    format!("invalid {} document: {first}; the rest was checked", self.version.label())
                } else {
                    format!(
                        "invalid {} document: {count} structural problems, the first: {first}; the rest was checked",
                        self.version.label()
                    )
                },
            )
            .label("wrong type");
            for (message, location) in self.problems.iter().skip(1).take(MAX_LISTED_PROBLEMS) {
                finding.related.push(Related {
                    location: location.clone(),
                    message: message.clone(),
                });
            }
            problems.push(finding);
        } else if self.version == SpecVersion::OpenApi30 && problems.is_empty() {
            problems.extend(super::validate::check_openapi_30(
                root.tree(),
                root.id,
                root.source(),
            ));
        }
        DocumentFacts {
            document: Some(document),
            endpoints,
            suppressions: std::mem::take(&mut self.suppressions),
            problems,
        }
    }

    fn collect_suppressions(&mut self, node: &NodeRef, pointer: &str) {
        let Some(value) = node.get(IGNORE_KEY) else {
            return;
        };
        let mut add = |target: &str, reason: Option<String>, location: Location| {
            self.suppressions.push(Suppression {
                target: target.trim().to_string(),
                reason,
                location,
                scope: Scope::Pointer {
                    document: self.doc_path.clone(),
                    prefix: pointer.to_string(),
                },
            });
        };
        let tree = value.tree();
        let reason_of = |id| tree.as_str(id).map(str::to_owned);
        match &tree.node(value.id).kind {
            NodeKind::Scalar { value: v, .. } => add(v, None, value.location()),
            NodeKind::Seq(items) => {
                for &item in items {
                    match &tree.node(item).kind {
                        NodeKind::Scalar { value: v, .. } => {
                            add(v, None, Location::new(value.source(), tree.span(item)))
                        }
                        NodeKind::Map(m) => {
                            for e in &m.entries {
                                add(
                                    &e.key,
                                    reason_of(e.value),
                                    Location::new(value.source(), e.key_span),
                                )
                            }
                        }
                        NodeKind::Seq(_) => {}
                    }
                }
            }
            NodeKind::Map(m) => {
                for e in &m.entries {
                    add(
                        &e.key,
                        reason_of(e.value),
                        Location::new(value.source(), e.key_span),
                    )
                }
            }
        }
    }

    fn document_servers(&mut self, root: &NodeRef) -> Vec<Server> {
        if self.version == SpecVersion::Swagger2 {
            return self.swagger_servers(root);
        }
        match root.get("servers") {
            Some(s) => self.servers(&s, "/servers"),
            None => Vec::new(),
        }
    }

    fn servers(&mut self, node: &NodeRef, pointer: &str) -> Vec<Server> {
        let mut out = Vec::new();
        for (i, server) in self.expect_seq(node, "`servers`").into_iter().enumerate() {
            let Some(server) = self.r.resolve(&server) else {
                continue;
            };
            if let Some(url) = server.get("url") {
                if let Some(text) = url.tree().as_str(url.id) {
                    out.push(Server {
                        url: substitute_variables(text, &server),
                        location: url.location(),
                        pointer: format!("{pointer}/{i}/url"),
                    });
                }
            }
        }
        out
    }

    /// Swagger 2.0 spreads the base URL over `schemes`, `host` and `basePath`.
    fn swagger_servers(&mut self, root: &NodeRef) -> Vec<Server> {
        let host = root.str("host").map(str::to_owned);
        let base_path = root.str("basePath").unwrap_or("").to_string();
        let mut out = Vec::new();
        if let (Some(host), Some(schemes)) = (&host, root.get("schemes")) {
            for (i, scheme) in schemes.tree().items(schemes.id).iter().enumerate() {
                if let Some(s) = schemes.tree().as_str(*scheme) {
                    out.push(Server {
                        url: format!("{}://{host}{base_path}", s.to_ascii_lowercase()),
                        location: Location::new(schemes.source(), schemes.tree().span(*scheme)),
                        pointer: format!("/schemes/{i}"),
                    });
                }
            }
        }
        if out.is_empty() {
            let (key, pointer) = if root.get("basePath").is_some() {
                ("basePath", "/basePath")
            } else {
                ("host", "/host")
            };
            if let Some(location) = root.key_location(key) {
                let url = match &host {
                    Some(h) => format!("//{h}{base_path}"),
                    None => base_path.clone(),
                };
                out.push(Server {
                    url,
                    location,
                    pointer: pointer.into(),
                });
            }
        }
        out
    }

    fn security_schemes(&mut self, root: &NodeRef) -> Vec<SecurityScheme> {
        let (container, base) = match self.version {
            SpecVersion::Swagger2 => (
                root.get("securityDefinitions"),
                "/securityDefinitions".to_string(),
            ),
            _ => (
                root.get("components")
                    .and_then(|c| c.get("securitySchemes")),
                "/components/securitySchemes".to_string(),
            ),
        };
        let Some(container) = container.and_then(|c| self.expect_map(&c, "security schemes"))
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in container.tree().entries(container.id) {
            let Some(scheme) = self.r.resolve(&container.at(entry.value)) else {
                continue;
            };
            let kind_text = scheme.str("type").unwrap_or("").to_string();
            let kind = match kind_text.as_str() {
                "basic" => SchemeKind::HttpBasic,
                "http" => {
                    let s = scheme.str("scheme").unwrap_or("").to_ascii_lowercase();
                    if s == "basic" {
                        SchemeKind::HttpBasic
                    } else {
                        SchemeKind::Http(s)
                    }
                }
                "apiKey" => SchemeKind::ApiKey {
                    location: scheme.str("in").unwrap_or("").to_string(),
                },
                "oauth2" => SchemeKind::OAuth2,
                "openIdConnect" => SchemeKind::OpenIdConnect,
                "mutualTLS" => SchemeKind::MutualTls,
                other => SchemeKind::Other(other.to_string()),
            };
            out.push(SecurityScheme {
                name: entry.key.clone(),
                kind,
                location: Location::new(container.source(), entry.key_span),
                pointer: ptr(&base, &entry.key),
            });
        }
        out
    }

    fn security(&mut self, node: &NodeRef, location: Option<Location>) -> Option<SecurityDecl> {
        let location = location?;
        let mut requirements = Vec::new();
        for item in self.expect_seq(node, "`security`") {
            let Some(item) = self.expect_map(&item, "a security requirement") else {
                // `- null`, written as `- {}` by some generators: anonymous access.
                requirements.push(Requirement {
                    schemes: Vec::new(),
                });
                continue;
            };
            let schemes = item
                .tree()
                .entries(item.id)
                .iter()
                .map(|e| SchemeUse {
                    name: e.key.clone(),
                    location: Location::new(item.source(), e.key_span),
                })
                .collect();
            requirements.push(Requirement { schemes });
        }
        Some(SecurityDecl {
            requirements,
            location,
        })
    }

    fn path_item(
        &mut self,
        path: &str,
        path_ptr: &str,
        path_loc: Location,
        item: &NodeRef,
        global_security: &Option<SecurityDecl>,
        endpoints: &mut Vec<Endpoint>,
    ) {
        let Some(item) = self.expect_map(item, &format!("path item `{path}`")) else {
            return;
        };
        self.collect_suppressions(&item, path_ptr);
        let shared_params = match item.get("parameters") {
            Some(p) => self.parameters(&p, &format!("{path_ptr}/parameters")),
            None => Vec::new(),
        };
        let path_servers = match item.get("servers") {
            Some(s) => self.servers(&s, &format!("{path_ptr}/servers")),
            None => Vec::new(),
        };
        for entry in item.tree().entries(item.id) {
            let Some(method) = Method::from_key(&entry.key) else {
                continue;
            };
            let op_ptr = ptr(path_ptr, &entry.key);
            let op_loc = Location::new(item.source(), entry.key_span);
            let Some(op) = self.expect_map(
                &item.at(entry.value),
                &format!("operation `{} {path}`", method.upper()),
            ) else {
                continue;
            };
            self.collect_suppressions(&op, &op_ptr);
            let endpoint = self.operation(
                method,
                path,
                &op_ptr,
                op_loc,
                path_loc.clone(),
                &op,
                &shared_params,
                &path_servers,
                global_security,
            );
            endpoints.push(endpoint);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        method: Method,
        path: &str,
        op_ptr: &str,
        location: Location,
        path_location: Location,
        op: &NodeRef,
        shared_params: &[Parameter],
        path_servers: &[Server],
        global_security: &Option<SecurityDecl>,
    ) -> Endpoint {
        let mut parameters: Vec<Parameter> = match op.get("parameters") {
            Some(p) => self.parameters(&p, &format!("{op_ptr}/parameters")),
            None => Vec::new(),
        };
        for shared in shared_params {
            if !parameters
                .iter()
                .any(|p| p.name == shared.name && p.location_in == shared.location_in)
            {
                parameters.push(shared.clone());
            }
        }
        let mut request_body = parameters
            .iter()
            .find(|p| matches!(p.location_in, ParamIn::Body | ParamIn::FormData))
            .map(|p| p.location.clone());
        if self.version != SpecVersion::Swagger2 {
            if let Some(body) = op.get("requestBody") {
                if let Some(body) = self.expect_map(&body, "`requestBody`") {
                    request_body = op.key_location("requestBody");
                    self.request_body_inputs(&body, &format!("{op_ptr}/requestBody"));
                }
            }
        }
        let responses = match op.get("responses") {
            Some(r) => self.responses(&r, &format!("{op_ptr}/responses"), op),
            None => Vec::new(),
        };
        let (security, security_is_own) = match op.get("security") {
            Some(s) => (self.security(&s, op.key_location("security")), true),
            None => (global_security.clone(), false),
        };
        let servers = match op.get("servers") {
            Some(s) => self.servers(&s, &format!("{op_ptr}/servers")),
            None => path_servers.to_vec(),
        };
        let operation_id = op.get("operationId").and_then(|id| {
            let text = id.tree().as_str(id.id)?.to_string();
            Some((text, id.location()))
        });
        let has_summary = ["summary", "description"]
            .iter()
            .any(|k| op.str(k).is_some_and(|s| !s.trim().is_empty()));
        Endpoint {
            origin: Origin::Spec {
                document: self.doc_index,
            },
            method,
            path: path.to_string(),
            location,
            path_location,
            anchor: self.anchor(op_ptr),
            operation_id,
            has_summary,
            parameters,
            request_body,
            responses,
            security,
            security_is_own,
            servers,
        }
    }

    fn parameters(&mut self, node: &NodeRef, pointer: &str) -> Vec<Parameter> {
        let mut out = Vec::new();
        for (i, item) in self
            .expect_seq(node, "`parameters`")
            .into_iter()
            .enumerate()
        {
            let item_ptr = format!("{pointer}/{i}");
            let Some(param) = self.expect_map(&item, "a parameter") else {
                continue;
            };
            let (Some(name), Some(location_in)) = (param.str("name"), param.str("in")) else {
                self.problem(&param, "a parameter needs `name` and `in`".into());
                continue;
            };
            let name = name.to_string();
            let location_in = ParamIn::parse(location_in);
            // 2.0 keeps type and bounds on the parameter itself; 3.x in `schema`.
            let schema = match param.get("schema") {
                Some(s) => self.r.resolve(&s),
                None => Some(param.clone()),
            };
            let schema_type = schema.as_ref().and_then(schema_type);
            let has_maximum = schema.as_ref().is_some_and(has_upper_bound);
            let has_enum = schema
                .as_ref()
                .is_some_and(|s| s.get("enum").is_some() || s.get("const").is_some());
            let location = param
                .key_location("name")
                .unwrap_or_else(|| param.location());
            if location_in == ParamIn::Body {
                if let Some(s) = &schema {
                    self.walk_input_schema(s, &format!("{item_ptr}/schema"), 0);
                }
            } else if matches!(location_in, ParamIn::Query | ParamIn::FormData) {
                if let Some(s) = &schema {
                    self.check_param_bound(&name, s, &location, &item_ptr, &param);
                }
            }
            out.push(Parameter {
                name,
                location_in,
                location,
                pointer: item_ptr,
                schema_type,
                has_maximum,
                has_enum,
            });
        }
        out
    }

    fn check_param_bound(
        &mut self,
        name: &str,
        schema: &NodeRef,
        location: &Location,
        pointer: &str,
        param: &NodeRef,
    ) {
        if !self.seen_inputs.insert(param.identity()) {
            return;
        }
        if let Some(missing) = missing_bound(schema).filter(|m| !is_identifier(name, m)) {
            self.unbounded_params.push(UnboundedParam {
                name: name.to_string(),
                missing,
                location: location.clone(),
                pointer: pointer.to_string(),
            });
        }
    }

    fn request_body_inputs(&mut self, body: &NodeRef, pointer: &str) {
        let Some(content) = body.get("content") else {
            return;
        };
        let Some(content) = self.expect_map(&content, "`content`") else {
            return;
        };
        for entry in content.tree().entries(content.id) {
            let Some(media) = self.r.resolve(&content.at(entry.value)) else {
                continue;
            };
            if let Some(schema) = media.get("schema") {
                let p = format!("{}/schema", ptr(&format!("{pointer}/content"), &entry.key));
                self.walk_input_schema(&schema, &p, 0);
            }
        }
    }

    /// Records request fields that accept unbounded input, each object schema once.
    fn walk_input_schema(&mut self, schema: &NodeRef, pointer: &str, depth: usize) {
        if depth > MAX_SCHEMA_DEPTH {
            return;
        }
        let Some(schema) = self.r.resolve(schema) else {
            return;
        };
        if schema.tree().as_map(schema.id).is_none() || !self.seen_inputs.insert(schema.identity())
        {
            return;
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = schema.get(key) {
                for (i, member) in schema
                    .tree()
                    .items(list.id)
                    .to_vec()
                    .into_iter()
                    .enumerate()
                {
                    self.walk_input_schema(
                        &schema.at(member),
                        &format!("{pointer}/{key}/{i}"),
                        depth + 1,
                    );
                }
            }
        }
        if let Some(items) = schema.get("items") {
            self.walk_input_schema(&items, &format!("{pointer}/items"), depth + 1);
        }
        let Some(props) = schema.get("properties") else {
            return;
        };
        let mut fields = Vec::new();
        let mut first_location = None;
        for entry in props.tree().entries(props.id) {
            let prop_ptr = ptr(&format!("{pointer}/properties"), &entry.key);
            let Some(prop) = self.r.resolve(&props.at(entry.value)) else {
                continue;
            };
            if prop.str("readOnly") == Some("true") {
                continue;
            }
            let target = props.at(entry.value).str("$ref").map(str::to_owned);
            match (missing_bound(&prop), target) {
                (Some(missing), _) if is_identifier(&entry.key, missing) => {}
                // The bound belongs on the shared schema the property names: report it
                // there, once, however many request objects use it.
                (Some(missing), Some(target)) => {
                    if self.seen_leaves.insert(prop.identity()) {
                        let name = target.rsplit('/').next().unwrap_or(&target).to_string();
                        let pointer = target
                            .split_once('#')
                            .map(|(_, p)| p)
                            .unwrap_or("")
                            .to_string();
                        self.unbounded_inputs.push(UnboundedObject {
                            location: prop.key_location("type").unwrap_or_else(|| prop.location()),
                            pointer,
                            fields: vec![UnboundedField { name, missing }],
                        });
                    }
                }
                (Some(missing), None) => {
                    first_location
                        .get_or_insert_with(|| Location::new(props.source(), entry.key_span));
                    fields.push(UnboundedField {
                        name: entry.key.clone(),
                        missing,
                    });
                }
                (None, _) => {}
            }
            if ["properties", "items", "allOf", "oneOf", "anyOf"]
                .iter()
                .any(|k| prop.get(k).is_some())
            {
                self.walk_input_schema(&prop, &prop_ptr, depth + 1);
            }
        }
        if let Some(location) = first_location {
            self.unbounded_inputs.push(UnboundedObject {
                location,
                pointer: pointer.to_string(),
                fields,
            });
        }
    }

    fn responses(&mut self, node: &NodeRef, pointer: &str, op: &NodeRef) -> Vec<Response> {
        let Some(map) = self.expect_map(node, "`responses`") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in map.tree().entries(map.id) {
            if entry.key.starts_with("x-") {
                continue;
            }
            let location = Location::new(map.source(), entry.key_span);
            let resp_ptr = ptr(pointer, &entry.key);
            let Some(resp) =
                self.expect_map(&map.at(entry.value), &format!("response `{}`", entry.key))
            else {
                out.push(Response {
                    code: entry.key.clone(),
                    location,
                    pointer: resp_ptr,
                    has_body: false,
                    media_types: Vec::new(),
                    body: BodyShape::None,
                    schema_identity: None,
                    headers: Vec::new(),
                });
                continue;
            };
            let (media_types, schema) = self.response_schema(&resp, op);
            let headers = resp
                .get("headers")
                .map(|h| {
                    h.tree()
                        .entries(h.id)
                        .iter()
                        .map(|e| e.key.clone())
                        .collect()
                })
                .unwrap_or_default();
            let schema_identity = schema.as_ref().and_then(|s| self.schema_identity(s));
            let body = match &schema {
                Some(s) => self.body_shape(s),
                None => BodyShape::None,
            };
            out.push(Response {
                code: entry.key.clone(),
                location,
                pointer: resp_ptr,
                has_body: schema.is_some(),
                media_types,
                body,
                schema_identity,
                headers,
            });
        }
        out
    }

    /// The media types and the (unresolved) schema node of a response body, preferring JSON.
    fn response_schema(&mut self, resp: &NodeRef, op: &NodeRef) -> (Vec<String>, Option<NodeRef>) {
        if self.version == SpecVersion::Swagger2 {
            // A response without a schema has no body, whatever `produces` says.
            let Some(schema) = resp.get("schema") else {
                return (Vec::new(), None);
            };
            let produces = match op.get("produces") {
                Some(p) => string_list(&p),
                None => self.root_produces.clone(),
            };
            return (produces, Some(schema));
        }
        let Some(content) = resp.get("content").and_then(|c| self.r.resolve(&c)) else {
            return (Vec::new(), None);
        };
        let entries = content.tree().entries(content.id);
        let media_types: Vec<String> = entries.iter().map(|e| e.key.clone()).collect();
        let pick = entries
            .iter()
            .find(|e| e.key.contains("json"))
            .or_else(|| entries.first());
        let schema = pick
            .and_then(|e| self.r.resolve(&content.at(e.value)))
            .and_then(|m| m.get("schema"));
        (media_types, schema)
    }

    fn schema_identity(&mut self, schema: &NodeRef) -> Option<String> {
        // A schema that is only a `$ref` to another is an alias: the last name counts.
        let mut current = schema.clone();
        let mut name = None;
        for _ in 0..8 {
            let Some(target) = current.str("$ref").map(str::to_owned) else {
                break;
            };
            name = Some(target.rsplit('/').next().unwrap_or(&target).to_string());
            match self.r.step(&current) {
                Some(next) => current = next,
                None => break,
            }
        }
        if name.is_some() {
            return name;
        }
        let resolved = self.r.resolve(schema)?;
        let props = resolved.get("properties")?;
        let mut names: Vec<&str> = props
            .tree()
            .entries(props.id)
            .iter()
            .map(|e| e.key.as_str())
            .collect();
        names.sort_unstable();
        Some(format!("{{{}}}", names.join(", ")))
    }

    fn body_shape(&mut self, schema: &NodeRef) -> BodyShape {
        let Some(schema) = self.r.resolve(schema) else {
            return BodyShape::Other;
        };
        if self.is_array(&schema) {
            return BodyShape::Array;
        }
        let mut props: Vec<(String, NodeRef)> = Vec::new();
        self.gather_properties(&schema, &mut props, 0);
        if props.is_empty() {
            return BodyShape::Other;
        }
        let arrays: Vec<&String> = props
            .iter()
            .filter(|(_, p)| self.r.resolve(p).is_some_and(|p| self.is_array(&p)))
            .map(|(name, _)| name)
            .collect();
        if arrays.len() == 1 {
            let property = arrays[0].clone();
            let siblings = props
                .iter()
                .filter(|(n, _)| *n != property)
                .map(|(n, _)| n.clone())
                .collect();
            BodyShape::Wrapped { property, siblings }
        } else {
            BodyShape::Object
        }
    }

    /// Properties of an object schema, including those its `allOf` members contribute.
    fn gather_properties(
        &mut self,
        schema: &NodeRef,
        out: &mut Vec<(String, NodeRef)>,
        depth: usize,
    ) {
        if depth > 8 {
            return;
        }
        if let Some(props) = schema.get("properties") {
            for e in props.tree().entries(props.id) {
                out.push((e.key.clone(), props.at(e.value)));
            }
        }
        if let Some(all) = schema.get("allOf") {
            for &member in all.tree().items(all.id) {
                if let Some(m) = self.r.resolve(&all.at(member)) {
                    self.gather_properties(&m, out, depth + 1);
                }
            }
        }
    }

    fn is_array(&self, schema: &NodeRef) -> bool {
        match schema_type(schema).as_deref() {
            Some(t) => t == "array",
            None => schema.get("items").is_some() && schema.get("properties").is_none(),
        }
    }
}

fn string_list(node: &NodeRef) -> Vec<String> {
    let tree = node.tree();
    tree.items(node.id)
        .iter()
        .filter_map(|&i| tree.as_str(i).map(str::to_owned))
        .collect()
}

/// The schema's type; for 3.1 `type: [string, "null"]`, the non-null one.
fn schema_type(schema: &NodeRef) -> Option<String> {
    let node = schema.get("type")?;
    let tree = node.tree();
    if let Some(s) = tree.as_str(node.id) {
        return Some(s.to_string());
    }
    tree.items(node.id)
        .iter()
        .filter_map(|&i| tree.as_str(i))
        .find(|t| *t != "null")
        .map(str::to_owned)
}

/// A server URL with its `{variables}` replaced by their defaults.
fn substitute_variables(url: &str, server: &NodeRef) -> String {
    let Some(vars) = server.get("variables") else {
        return url.to_string();
    };
    let mut out = url.to_string();
    for e in vars.tree().entries(vars.id) {
        if let Some(default) = vars.tree().get_str(e.value, "default") {
            out = out.replace(&format!("{{{}}}", e.key), default);
        }
    }
    out
}

/// `maximum`, or a numeric `exclusiveMaximum` (in 3.0 and 2.0 it is only a boolean
/// modifier of `maximum`).
fn has_upper_bound(schema: &NodeRef) -> bool {
    schema.get("maximum").is_some()
        || schema
            .str("exclusiveMaximum")
            .is_some_and(|v| v.parse::<f64>().is_ok())
}

/// Integer identifiers (`id`, `user_id`, `petId`) are bounded by their type; a
/// `maximum` on them would say nothing.
fn is_identifier(name: &str, missing: &str) -> bool {
    missing.starts_with("integer")
        && (name.eq_ignore_ascii_case("id")
            || name.ends_with("_id")
            || name.ends_with("Id")
            || name.ends_with("ID"))
}

fn missing_bound(schema: &NodeRef) -> Option<&'static str> {
    let has = |k: &str| schema.get(k).is_some();
    if has("enum") || has("const") {
        return None;
    }
    match schema_type(schema)?.as_str() {
        "string" if !(has("maxLength") || has("pattern") || has("format")) => {
            Some("string without maxLength")
        }
        "array" if !has("maxItems") => Some("array without maxItems"),
        "integer" if !has_upper_bound(schema) => Some("integer without maximum"),
        _ => None,
    }
}
