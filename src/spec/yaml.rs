//! A span-preserving YAML/JSON tree built from libyaml events.
//!
//! libyaml is the lineage PyYAML and Go's yaml read with, so documents their owners'
//! own stacks accept are analysed rather than rejected as "invalid indentation".
//! Nodes live in an arena: aliases share the anchored node instead of copying it,
//! so an alias bomb costs nothing to build, and dropping a deeply nested tree does
//! not recurse.

use std::collections::HashMap;

use libyaml_safer::{EventData, Parser, ScalarStyle};

use crate::source::{SourceFile, Span};

pub type NodeId = u32;

/// Nesting deeper than this is refused: no real document needs it, and every walker
/// downstream may then recurse without guarding its stack.
pub const MAX_DEPTH: usize = 256;

/// How many nodes the aliases of a document may expand to before it is refused as an
/// alias bomb. Real documents with anchors stay far below this.
pub const MAX_EXPANDED_NODES: u64 = 5_000_000;

#[derive(Debug)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: NodeId,
}

#[derive(Debug, Default)]
pub struct Map {
    pub entries: Vec<Entry>,
    index: Option<HashMap<String, usize>>,
}

const INDEX_THRESHOLD: usize = 12;

impl Map {
    fn finish(&mut self) {
        if self.entries.len() > INDEX_THRESHOLD {
            let mut index = HashMap::with_capacity(self.entries.len());
            for (i, e) in self.entries.iter().enumerate() {
                // The first occurrence of a duplicated key wins, as it does below.
                index.entry(e.key.clone()).or_insert(i);
            }
            self.index = Some(index);
        }
    }

    pub fn get_entry(&self, key: &str) -> Option<&Entry> {
        match &self.index {
            Some(index) => index.get(key).map(|&i| &self.entries[i]),
            None => self.entries.iter().find(|e| e.key == key),
        }
    }
}

#[derive(Debug)]
pub enum NodeKind {
    Scalar { value: String, plain: bool },
    Seq(Vec<NodeId>),
    Map(Map),
}

#[derive(Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct Tree {
    nodes: Vec<Node>,
    pub root: Option<NodeId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub span: Span,
}

impl Tree {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn span(&self, id: NodeId) -> Span {
        self.node(id).span
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn as_map(&self, id: NodeId) -> Option<&Map> {
        match &self.node(id).kind {
            NodeKind::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self, id: NodeId) -> Option<&[NodeId]> {
        match &self.node(id).kind {
            NodeKind::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_str(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// A scalar that YAML would read as null (`~`, `null`, or nothing at all).
    pub fn is_null(&self, id: NodeId) -> bool {
        matches!(&self.node(id).kind, NodeKind::Scalar { value, plain: true }
            if value.is_empty() || value == "~" || value.eq_ignore_ascii_case("null"))
    }

    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.as_map(id)?.get_entry(key).map(|e| e.value)
    }

    pub fn get_entry(&self, id: NodeId, key: &str) -> Option<&Entry> {
        self.as_map(id)?.get_entry(key)
    }

    pub fn get_str(&self, id: NodeId, key: &str) -> Option<&str> {
        self.get(id, key).and_then(|v| self.as_str(v))
    }

    pub fn entries(&self, id: NodeId) -> &[Entry] {
        self.as_map(id).map(|m| m.entries.as_slice()).unwrap_or(&[])
    }

    pub fn items(&self, id: NodeId) -> &[NodeId] {
        self.as_seq(id).unwrap_or(&[])
    }

    pub fn kind_name(&self, id: NodeId) -> &'static str {
        match &self.node(id).kind {
            NodeKind::Scalar { .. } if self.is_null(id) => "null",
            NodeKind::Scalar { .. } => "a scalar",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

enum Frame {
    Seq {
        id: NodeId,
        anchor: Option<String>,
        items: Vec<NodeId>,
    },
    Map {
        id: NodeId,
        anchor: Option<String>,
        map: Map,
        pending_key: Option<(String, Span)>,
    },
}

struct Builder {
    nodes: Vec<Node>,
    expanded: Vec<u64>,
    anchors: HashMap<String, NodeId>,
    stack: Vec<Frame>,
    root: Option<NodeId>,
}

fn mark_offset(source: &SourceFile, mark: libyaml_safer::Mark) -> usize {
    // libyaml counts `index` in bytes; trust it unless it disagrees with the file.
    let index = mark.index as usize;
    if index <= source.text.len() && source.text.is_char_boundary(index) {
        index
    } else {
        source.offset_of(mark.line as usize, mark.column as usize)
    }
}

impl Builder {
    fn alloc(&mut self, kind: NodeKind, span: Span) -> NodeId {
        self.nodes.push(Node { kind, span });
        self.expanded.push(1);
        (self.nodes.len() - 1) as NodeId
    }

    fn err(&self, message: impl Into<String>, at: usize) -> YamlError {
        YamlError {
            message: message.into(),
            span: Span::new(at, at + 1),
        }
    }

    fn register_anchor(&mut self, anchor: Option<String>, id: NodeId) {
        if let Some(a) = anchor {
            self.anchors.insert(a, id);
        }
    }

    /// Hands a finished node (or an alias to one) to its parent.
    fn attach(&mut self, id: NodeId, at: usize) -> Result<(), YamlError> {
        let size = self.expanded[id as usize];
        match self.stack.last_mut() {
            None => {
                self.root = Some(id);
                Ok(())
            }
            Some(Frame::Seq {
                items, id: parent, ..
            }) => {
                items.push(id);
                let parent = *parent as usize;
                self.expanded[parent] = self.expanded[parent].saturating_add(size);
                self.check_budget(parent, at)
            }
            Some(Frame::Map {
                map,
                pending_key,
                id: parent,
                ..
            }) => {
                let parent = *parent as usize;
                match pending_key.take() {
                    None => {
                        let key = match &self.nodes[id as usize].kind {
                            NodeKind::Scalar { value, .. } => value.clone(),
                            _ => String::from("<complex key>"),
                        };
                        *pending_key = Some((key, self.nodes[id as usize].span));
                    }
                    Some((key, key_span)) => {
                        map.entries.push(Entry {
                            key,
                            key_span,
                            value: id,
                        });
                        self.expanded[parent] = self.expanded[parent].saturating_add(size);
                    }
                }
                self.check_budget(parent, at)
            }
        }
    }

    fn check_budget(&self, id: usize, at: usize) -> Result<(), YamlError> {
        if self.expanded[id] > MAX_EXPANDED_NODES {
            Err(self.err(
                format!(
                    "YAML aliases expand to more than {MAX_EXPANDED_NODES} nodes (an alias bomb?); the document was not analysed"
                ),
                at,
            ))
        } else {
            Ok(())
        }
    }

    fn push_frame(&mut self, frame: Frame, at: usize) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.err(
                format!("nested deeper than {MAX_DEPTH} levels; the document was not analysed"),
                at,
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    /// `<<: *base` merge keys, as PyYAML applies them: keys already present win.
    fn apply_merge_keys(&self, map: &mut Map) {
        if !map.entries.iter().any(|e| e.key == "<<") {
            return;
        }
        let mut merged = Vec::new();
        let mut own = Vec::new();
        for entry in std::mem::take(&mut map.entries) {
            if entry.key == "<<" {
                merged.push(entry.value);
            } else {
                own.push(entry);
            }
        }
        let mut sources = Vec::new();
        for value in merged {
            match &self.nodes[value as usize].kind {
                NodeKind::Map(_) => sources.push(value),
                NodeKind::Seq(items) => sources.extend(items.iter().copied()),
                NodeKind::Scalar { .. } => {}
            }
        }
        for source in sources {
            if let NodeKind::Map(m) = &self.nodes[source as usize].kind {
                for e in &m.entries {
                    if !own.iter().any(|o| o.key == e.key) {
                        own.push(Entry {
                            key: e.key.clone(),
                            key_span: e.key_span,
                            value: e.value,
                        });
                    }
                }
            }
        }
        map.entries = own;
    }
}

/// Parses the first YAML document of a file (JSON is read as YAML).
pub fn parse(source: &SourceFile) -> Result<Tree, YamlError> {
    // libyaml-safer 0.3 panics on a block scalar that ends the file without a line
    // break; a final newline changes no offset of the text itself.
    let owned;
    let text = if source.text.ends_with('\n') {
        source.text.as_str()
    } else {
        owned = format!("{}\n", source.text);
        owned.as_str()
    };
    let mut input = text.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    let mut b = Builder {
        nodes: Vec::new(),
        expanded: Vec::new(),
        anchors: HashMap::new(),
        stack: Vec::new(),
        root: None,
    };
    loop {
        let event = match parser.parse() {
            Ok(e) => e,
            Err(e) => {
                let at = e
                    .problem_mark()
                    .map(|m| mark_offset(source, m))
                    .unwrap_or(0);
                let mut message = e.problem().to_string();
                if let Some(ctx) = e.context() {
                    message = format!("{message} ({ctx})");
                }
                return Err(b.err(format!("invalid YAML: {message}"), at));
            }
        };
        let start = mark_offset(source, event.start_mark);
        let end = mark_offset(source, event.end_mark);
        match event.data {
            EventData::StreamStart { .. } | EventData::DocumentStart { .. } => {}
            EventData::DocumentEnd { .. } | EventData::StreamEnd => break,
            EventData::Alias { anchor } => {
                let Some(&target) = b.anchors.get(&anchor) else {
                    return Err(b.err(format!("alias `*{anchor}` names no earlier anchor"), start));
                };
                b.attach(target, start)?;
            }
            EventData::Scalar {
                anchor,
                value,
                style,
                ..
            } => {
                let plain = style == ScalarStyle::Plain;
                let id = b.alloc(NodeKind::Scalar { value, plain }, Span::new(start, end));
                b.register_anchor(anchor, id);
                b.attach(id, start)?;
            }
            EventData::SequenceStart { anchor, .. } => {
                let id = b.alloc(NodeKind::Seq(Vec::new()), Span::new(start, end));
                b.push_frame(
                    Frame::Seq {
                        id,
                        anchor,
                        items: Vec::new(),
                    },
                    start,
                )?;
            }
            EventData::MappingStart { anchor, .. } => {
                let id = b.alloc(NodeKind::Map(Map::default()), Span::new(start, end));
                b.push_frame(
                    Frame::Map {
                        id,
                        anchor,
                        map: Map::default(),
                        pending_key: None,
                    },
                    start,
                )?;
            }
            EventData::SequenceEnd | EventData::MappingEnd => {
                let Some(frame) = b.stack.pop() else {
                    return Err(b.err("unbalanced YAML collection", start));
                };
                let (id, anchor, kind) = match frame {
                    Frame::Seq { id, anchor, items } => (id, anchor, NodeKind::Seq(items)),
                    Frame::Map {
                        id,
                        anchor,
                        mut map,
                        ..
                    } => {
                        b.apply_merge_keys(&mut map);
                        map.finish();
                        (id, anchor, NodeKind::Map(map))
                    }
                };
                let node = &mut b.nodes[id as usize];
                node.kind = kind;
                node.span = Span::new(node.span.start, end.max(node.span.start));
                b.register_anchor(anchor, id);
                b.attach(id, start)?;
            }
        }
    }
    Ok(Tree {
        nodes: b.nodes,
        root: b.root,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn parse_str(text: &str) -> Result<(SourceFile, Tree), YamlError> {
        let f = SourceFile::new("t.yaml".into(), PathBuf::from("t.yaml"), text.into());
        let t = parse(&f)?;
        Ok((f, t))
    }

    #[test]
    fn keys_keep_their_spans() {
        let (f, t) = parse_str("paths:\n  /users:\n    get: {}\n").unwrap();
        let root = t.root.unwrap();
        let paths = t.get(root, "paths").unwrap();
        let users = t.get_entry(paths, "/users").unwrap();
        assert_eq!(f.slice(users.key_span), "/users");
        let get = t.get_entry(users.value, "get").unwrap();
        assert_eq!(f.line_col(get.key_span.start).line, 3);
        assert_eq!(f.line_col(get.key_span.start).column, 5);
    }

    #[test]
    fn json_with_tabs_and_escaped_slash_is_read() {
        let (_, t) = parse_str("{\n\t\"openapi\": \"3.0.0\",\n\t\"x\": \"a\\/b\"\n}").unwrap();
        let root = t.root.unwrap();
        assert_eq!(t.get_str(root, "openapi"), Some("3.0.0"));
        assert_eq!(t.get_str(root, "x"), Some("a/b"));
    }

    #[test]
    fn merge_keys_are_applied_and_own_keys_win() {
        let (_, t) = parse_str("base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\n").unwrap();
        let x = t.get(t.root.unwrap(), "x").unwrap();
        assert_eq!(t.get_str(x, "a"), Some("1"));
        assert_eq!(t.get_str(x, "b"), Some("3"));
        assert!(t.get(x, "<<").is_none());
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        let err = parse_str(&text).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_str(&text).unwrap_err();
        assert!(err.message.contains("nested deeper"), "{}", err.message);
    }

    #[test]
    fn unknown_alias_is_an_error() {
        assert!(parse_str("a: *nope\n").is_err());
    }

    #[test]
    fn large_maps_are_indexed_and_find_first_duplicate() {
        let mut text = String::new();
        for i in 0..50 {
            text.push_str(&format!("k{i}: {i}\n"));
        }
        text.push_str("k7: dup\n");
        let (_, t) = parse_str(&text).unwrap();
        assert_eq!(t.get_str(t.root.unwrap(), "k7"), Some("7"));
        assert_eq!(t.get_str(t.root.unwrap(), "k49"), Some("49"));
    }
}
