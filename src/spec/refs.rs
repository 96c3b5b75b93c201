//! `$ref` resolution: local pointers and relative files, never the network, and safe
//! against cycles.

use std::collections::HashSet;
use std::sync::Arc;

use super::yaml::{NodeId, Tree};
use super::{parse_error_at, DocStore, ParsedFile};
use crate::finding::{Finding, Location};
use crate::source::{SharedSource, Span};

/// A node in some parsed file.
#[derive(Clone)]
pub struct NodeRef {
    pub file: Arc<ParsedFile>,
    pub id: NodeId,
}

impl NodeRef {
    /// Only constructed for files whose tree parsed.
    pub fn new(file: &Arc<ParsedFile>, id: NodeId) -> Option<NodeRef> {
        file.tree.as_ref().ok()?;
        Some(NodeRef {
            file: file.clone(),
            id,
        })
    }

    pub fn tree(&self) -> &Tree {
        match &self.file.tree {
            Ok(t) => t,
            Err(_) => unreachable_tree(),
        }
    }

    pub fn source(&self) -> &SharedSource {
        &self.file.source
    }

    pub fn span(&self) -> Span {
        self.tree().span(self.id)
    }

    pub fn location(&self) -> Location {
        Location::new(self.source(), self.span())
    }

    pub fn at(&self, id: NodeId) -> NodeRef {
        NodeRef {
            file: self.file.clone(),
            id,
        }
    }

    pub fn get(&self, key: &str) -> Option<NodeRef> {
        self.tree().get(self.id, key).map(|id| self.at(id))
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.tree().get_str(self.id, key)
    }

    pub fn key_location(&self, key: &str) -> Option<Location> {
        self.tree()
            .get_entry(self.id, key)
            .map(|e| Location::new(self.source(), e.key_span))
    }

    pub fn identity(&self) -> (usize, NodeId) {
        (Arc::as_ptr(&self.file) as usize, self.id)
    }
}

fn unreachable_tree() -> &'static Tree {
    // NodeRef::new refuses files without a tree; an empty tree keeps this total.
    static EMPTY: std::sync::OnceLock<Tree> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Tree::default)
}

const MAX_HOPS: usize = 64;

pub struct Resolver<'s> {
    store: &'s DocStore,
    pub problems: Vec<Finding>,
    reported: HashSet<(String, Span)>,
}

impl<'s> Resolver<'s> {
    pub fn new(store: &'s DocStore) -> Self {
        Resolver {
            store,
            problems: Vec::new(),
            reported: HashSet::new(),
        }
    }

    fn problem(&mut self, at: &NodeRef, span: Span, message: String) {
        if self.reported.insert((at.source().path.clone(), span)) {
            self.problems
                .push(parse_error_at(at.source(), span, message).label("unresolved `$ref`"));
        }
    }

    /// Follows `$ref` chains to the node they name. A broken reference is reported
    /// once and yields `None`; a node without `$ref` is returned as it is.
    pub fn resolve(&mut self, node: &NodeRef) -> Option<NodeRef> {
        let mut current = node.clone();
        let mut seen = HashSet::new();
        for _ in 0..MAX_HOPS {
            let Some(ref_node) = current.get("$ref") else {
                return Some(current);
            };
            let Some(target) = ref_node.tree().as_str(ref_node.id).map(str::to_owned) else {
                // `$ref` as a property name inside `properties` is not a reference.
                return Some(current);
            };
            if !seen.insert(current.identity()) {
                self.problem(
                    &ref_node,
                    ref_node.span(),
                    format!("`$ref: {target}` is part of a reference cycle"),
                );
                return None;
            }
            match self.follow(&current, &target) {
                Ok(next) => current = next,
                Err(message) => {
                    self.problem(&ref_node, ref_node.span(), message);
                    return None;
                }
            }
        }
        self.problem(
            node,
            node.span(),
            format!("`$ref` chain longer than {MAX_HOPS} hops"),
        );
        None
    }

    /// Follows one `$ref` hop (for telling aliases apart); `None` when broken.
    pub fn step(&mut self, node: &NodeRef) -> Option<NodeRef> {
        let target = node.str("$ref")?.to_owned();
        match self.follow(node, &target) {
            Ok(next) => Some(next),
            Err(message) => {
                let at = node
                    .get("$ref")
                    .map(|r| r.span())
                    .unwrap_or_else(|| node.span());
                self.problem(node, at, message);
                None
            }
        }
    }

    fn follow(&mut self, from: &NodeRef, target: &str) -> Result<NodeRef, String> {
        if is_remote(target) {
            return Err(format!(
                "remote `$ref: {target}` was not fetched (archlint never uses the network); what it points at was not checked"
            ));
        }
        let (file_part, pointer) = match target.split_once('#') {
            Some((f, p)) => (f, p),
            None => (target, ""),
        };
        let file = if file_part.is_empty() {
            from.file.clone()
        } else {
            let base = from
                .source()
                .abs_path
                .parent()
                .map(|p| p.to_path_buf())
                .unwrap_or_default();
            let decoded = percent_decode(file_part);
            let loaded = self.store.load(&base.join(&decoded)).map_err(|why| {
                format!("`$ref: {target}` names a file that cannot be used: {why}")
            })?;
            if let Err(e) = &loaded.tree {
                return Err(format!(
                    "`$ref: {target}` names a file that does not parse: {} (at {})",
                    e.message, loaded.source.path
                ));
            }
            loaded
        };
        let tree = file.tree.as_ref().map_err(|e| e.message.clone())?;
        let Some(root) = tree.root else {
            return Err(format!("`$ref: {target}` names an empty file"));
        };
        let mut id = root;
        for raw in pointer.split('/').skip(1) {
            let token = unescape_token(raw);
            let next = match tree.as_seq(id) {
                Some(items) => token
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i).copied()),
                None => tree.get(id, &token),
            };
            id = next
                .ok_or_else(|| format!("`$ref: {target}` points at nothing: no `{token}` there"))?;
        }
        Ok(NodeRef { file, id })
    }
}

pub fn is_remote(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

fn unescape_token(raw: &str) -> String {
    percent_decode(raw).replace("~1", "/").replace("~0", "~")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Escapes one JSON-pointer token.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_round_trip() {
        assert_eq!(escape_token("/users/{id}"), "~1users~1{id}");
        assert_eq!(unescape_token("~1users~1%7Bid%7D"), "/users/{id}");
        assert_eq!(unescape_token("a~0b"), "a~b");
    }

    #[test]
    fn percent_decoding_leaves_malformed_escapes() {
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("a%zz"), "a%zz");
        assert_eq!(percent_decode("%20"), " ");
    }
}
