//! Structural validation of OpenAPI 3.0 documents against the `openapiv3` crate's
//! typed model. archlint's own model is built from the span-preserving tree for every
//! version; this adds the 3.0 schema's type checks (a `required: yes`, an unknown
//! parameter location) and points at the smallest piece that does not conform.

use openapiv3::{
    OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme,
};
use serde::de::DeserializeOwned;

use super::tree_de::NodeDeserializer;
use super::yaml::{NodeId, Tree};
use crate::finding::{Finding, Location};
use crate::source::{SharedSource, Span};

/// One `archlint/parse-error` for the first place where the document departs from
/// the OpenAPI 3.0 structure, or `None` when it conforms.
pub fn check_openapi_30(tree: &Tree, root: NodeId, source: &SharedSource) -> Option<Finding> {
    if has_referenced_operations(tree, root) {
        return None;
    }
    let whole = mismatch::<OpenAPI>(tree, root)?;
    // openapiv3 flattens extensions into every struct, which stops serde's path at the
    // first level; narrowing down piece by piece finds the exact node.
    let (span, message) = narrow(tree, root).unwrap_or_else(|| {
        let top = whole.path.split('.').next().unwrap_or("");
        let span = tree
            .get_entry(root, top)
            .map(|e| e.key_span)
            .unwrap_or_else(|| tree.span(root));
        (span, whole.describe())
    });
    Some(
        super::parse_error(
            Location::new(source, span),
            format!("the document does not match the OpenAPI 3.0 structure: {message}; archlint checked what it could read"),
        )
        .label("not OpenAPI 3.0"),
    )
}

struct Mismatch {
    path: String,
    message: String,
}

impl Mismatch {
    fn describe(&self) -> String {
        if self.path == "." {
            self.message.clone()
        } else {
            format!("at `{}`: {}", self.path, self.message)
        }
    }
}

fn mismatch<T: DeserializeOwned>(tree: &Tree, id: NodeId) -> Option<Mismatch> {
    serde_path_to_error::deserialize::<_, T>(NodeDeserializer { tree, id })
        .err()
        .map(|e| Mismatch {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The deepest piece (operation, parameter, response, component) that fails alone.
fn narrow(tree: &Tree, root: NodeId) -> Option<(Span, String)> {
    if let Some(paths) = tree.get(root, "paths") {
        for item in tree
            .entries(paths)
            .iter()
            .filter(|e| !e.key.starts_with("x-"))
        {
            let Some(m) = mismatch::<ReferenceOr<PathItem>>(tree, item.value) else {
                continue;
            };
            for op in tree
                .entries(item.value)
                .iter()
                .filter(|e| METHODS.contains(&e.key.as_str()))
            {
                if let Some(m) = mismatch::<Operation>(tree, op.value) {
                    return Some(
                        narrow_operation(tree, op.value).unwrap_or((op.key_span, m.describe())),
                    );
                }
            }
            return Some((item.key_span, m.describe()));
        }
    }
    let components = tree.get(root, "components")?;
    for section in tree.entries(components) {
        for entry in tree.entries(section.value) {
            let failed = match section.key.as_str() {
                "schemas" => mismatch::<ReferenceOr<Schema>>(tree, entry.value),
                "parameters" => mismatch::<ReferenceOr<Parameter>>(tree, entry.value),
                "responses" => mismatch::<ReferenceOr<Response>>(tree, entry.value),
                "requestBodies" => mismatch::<ReferenceOr<RequestBody>>(tree, entry.value),
                "securitySchemes" => mismatch::<ReferenceOr<SecurityScheme>>(tree, entry.value),
                _ => None,
            };
            if let Some(m) = failed {
                return Some((entry.key_span, m.describe()));
            }
        }
    }
    None
}

/// Multi-file documents often write `get: {$ref: ...}`: not 3.0, but accepted by the
/// tools their owners use, and archlint's own model follows them.
fn has_referenced_operations(tree: &Tree, root: NodeId) -> bool {
    tree.get(root, "paths").is_some_and(|paths| {
        tree.entries(paths).iter().any(|item| {
            tree.entries(item.value).iter().any(|op| {
                METHODS.contains(&op.key.as_str()) && tree.get(op.value, "$ref").is_some()
            })
        })
    })
}

fn narrow_operation(tree: &Tree, op: NodeId) -> Option<(Span, String)> {
    if let Some(params) = tree.get(op, "parameters") {
        for &p in tree.items(params) {
            if let Some(m) = mismatch::<ReferenceOr<Parameter>>(tree, p) {
                return Some((tree.span(p), m.describe()));
            }
        }
    }
    if let Some(body) = tree.get_entry(op, "requestBody") {
        if let Some(m) = mismatch::<ReferenceOr<RequestBody>>(tree, body.value) {
            return Some((body.key_span, m.describe()));
        }
    }
    if let Some(responses) = tree.get(op, "responses") {
        for r in tree
            .entries(responses)
            .iter()
            .filter(|e| !e.key.starts_with("x-"))
        {
            if let Some(m) = mismatch::<ReferenceOr<Response>>(tree, r.value) {
                return Some((r.key_span, m.describe()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn check(text: &str) -> Option<String> {
        let source = Arc::new(SourceFile::new(
            "o.yaml".into(),
            PathBuf::from("o.yaml"),
            text.into(),
        ));
        let tree = super::super::yaml::parse(&source).unwrap();
        check_openapi_30(&tree, tree.root.unwrap(), &source).map(|f| {
            let at = source.line_col(f.location.span.start);
            format!("{}:{} {}", at.line, at.column, f.message)
        })
    }

    #[test]
    fn a_conforming_document_passes() {
        let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1.2/users:\n    get:\n      parameters:\n        - {name: limit, in: query, schema: {type: integer, maximum: 100}}\n      responses:\n        '200': {description: ok}\n";
        assert_eq!(check(doc), None);
    }

    #[test]
    fn a_wrong_type_is_located() {
        let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1.2/users:\n    get:\n      parameters:\n        - {name: limit, in: querystring}\n      responses:\n        '200': {description: ok}\n";
        let found = check(doc).unwrap();
        assert!(found.starts_with("7:11"), "{found}");
        assert!(found.contains("querystring"), "{found}");
    }
}
