//! A compact, owned copy of a tree-sitter syntax tree.
//!
//! Extraction reads each tree several times (facts, then the route index, then route
//! building across files), and route building needs the trees of many files at once.
//! Tree-sitter's own trees cost about ten times more memory per node than this copy,
//! keeping them slows the parser down (it cannot reuse freed memory), and every step
//! through them is a call into C. The copy is one flat array in source order: a node is
//! an index, its subtree the indices up to `subtree_end`, so walks are plain loops.
//! It is made in one pass right after parsing (`tree_copy.c`, which reads tree-sitter's
//! subtrees directly), and the tree-sitter tree is dropped.

use std::fmt;
use std::ops::Range;

/// Node kind and field names of a grammar, resolved once.
pub struct Grammar {
    kinds: Vec<&'static str>,
    named: Vec<bool>,
    /// Tokens that are not words (`(`, `,`, `:`): unless they fill a field (`+` as a
    /// binary operator's `operator`), no extraction looks at them, and they are a third
    /// of all nodes.
    punctuation: Vec<bool>,
    /// Looked up on every field access, millions of times a run: by length, then by
    /// the name packed into integers, so a lookup is a few compares and no call. Names
    /// of more than 16 bytes have no packed form and are compared as text.
    fields: Vec<Vec<FieldName>>,
}

/// A field's name, its packed form, and its id.
type FieldName = (&'static str, Option<(u64, u64)>, u16);

/// A name of up to 16 bytes as two integers.
fn packed(name: &str) -> Option<(u64, u64)> {
    let bytes = name.as_bytes();
    if bytes.len() > 16 {
        return None;
    }
    let mut padded = [0u8; 16];
    padded[..bytes.len()].copy_from_slice(bytes);
    let (low, high) = padded.split_at(8);
    Some((
        u64::from_le_bytes(low.try_into().ok()?),
        u64::from_le_bytes(high.try_into().ok()?),
    ))
}

/// Tree-sitter's id for `ERROR` nodes (outside the grammar's own table).
const ERROR_KIND: u16 = u16::MAX;
const NO_PARENT: u32 = u32::MAX;

impl Grammar {
    pub fn new(language: &tree_sitter::Language) -> Self {
        let count = language.node_kind_count();
        let kinds = (0..count)
            .map(|id| language.node_kind_for_id(id as u16).unwrap_or(""))
            .collect();
        let named = (0..count)
            .map(|id| language.node_kind_is_named(id as u16))
            .collect();
        let punctuation = (0..count)
            .map(|id| {
                let kind = language.node_kind_for_id(id as u16).unwrap_or("");
                !language.node_kind_is_named(id as u16)
                    && !kind.is_empty()
                    && !kind.chars().any(char::is_alphanumeric)
            })
            .collect();
        let mut fields: Vec<Vec<FieldName>> = Vec::new();
        for id in 1..=language.field_count() as u16 {
            let Some(name) = language.field_name_for_id(id) else {
                continue;
            };
            if fields.len() <= name.len() {
                fields.resize(name.len() + 1, Vec::new());
            }
            fields[name.len()].push((name, packed(name), id));
        }
        Grammar {
            kinds,
            named,
            punctuation,
            fields,
        }
    }

    fn kind_name(&self, id: u16) -> &'static str {
        match self.kinds.get(id as usize) {
            Some(name) => name,
            None if id == ERROR_KIND => "ERROR",
            None => "",
        }
    }

    fn field_id(&self, name: &str) -> Option<u16> {
        let candidates = self.fields.get(name.len())?;
        let key = packed(name);
        candidates
            .iter()
            .find(|&&(text, packed, _)| match key {
                Some(_) => packed == key,
                None => text == name,
            })
            .map(|&(_, _, id)| id)
    }
}

/// A node as `tree_copy.c` writes it.
#[derive(Clone, Copy)]
#[repr(C)]
struct Raw {
    start: u32,
    end: u32,
    parent: u32,
    /// One past the last node of this node's subtree.
    subtree_end: u32,
    kind: u16,
    /// The field this node fills in its parent; 0 for none.
    field: u16,
}

extern "C" {
    fn archlint_copy_tree(
        root: tree_sitter::ffi::TSNode,
        punctuation: *const bool,
        kind_count: u32,
        out: *mut Raw,
        capacity: u32,
    ) -> u32;
}

pub struct Tree {
    nodes: Vec<Raw>,
    grammar: &'static Grammar,
}

impl Tree {
    /// Copies a tree-sitter tree in source order: every node but punctuation that fills
    /// no field. The walk is in C (`tree_copy.c`), on tree-sitter's own subtrees.
    pub fn copy(tree: &tree_sitter::Tree, grammar: &'static Grammar) -> Self {
        let root = tree.root_node();
        // Every visible node at most, so the walk never runs out of room.
        let capacity = root.descendant_count().max(1);
        let mut nodes: Vec<Raw> = Vec::with_capacity(capacity);
        // SAFETY: `root` belongs to `tree`, which outlives the call; `nodes` has room
        // for `capacity` nodes of the layout the C side writes (`Raw` is repr(C)), and
        // the walk writes at most that many, returning how many it wrote.
        let written = unsafe {
            archlint_copy_tree(
                root.into_raw(),
                grammar.punctuation.as_ptr(),
                grammar.punctuation.len() as u32,
                nodes.as_mut_ptr(),
                u32::try_from(capacity).unwrap_or(u32::MAX),
            )
        };
        if written == u32::MAX {
            // Cannot happen (the copy keeps a subset of the visible nodes that
            // `descendant_count` counts); should it, the file reads as empty rather
            // than taking the run down.
            nodes.push(Raw {
                start: 0,
                end: 0,
                parent: NO_PARENT,
                subtree_end: 1,
                kind: root.kind_id(),
                field: 0,
            });
        } else {
            // SAFETY: the walk initialised the first `written` nodes.
            unsafe { nodes.set_len(written as usize) };
        }
        nodes.shrink_to_fit();
        Tree { nodes, grammar }
    }

    pub fn root_node(&self) -> Node<'_> {
        Node { tree: self, id: 0 }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    fn raw(&self, id: u32) -> &Raw {
        &self.nodes[id as usize]
    }
}

/// A node of a [`Tree`]: cheap to copy, and equal only to itself.
#[derive(Clone, Copy)]
pub struct Node<'t> {
    tree: &'t Tree,
    id: u32,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && std::ptr::eq(self.tree, other.tree)
    }
}

impl Eq for Node<'_> {}

impl std::hash::Hash for Node<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
        (self.tree as *const Tree).hash(state);
    }
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}", self.kind(), self.byte_range())
    }
}

impl<'t> Node<'t> {
    fn raw(&self) -> &'t Raw {
        self.tree.raw(self.id)
    }

    fn at(&self, id: u32) -> Node<'t> {
        Node {
            tree: self.tree,
            id,
        }
    }

    /// The node's position in its tree, in source order: an index for per-node tables.
    pub fn index(&self) -> usize {
        self.id as usize
    }

    pub fn kind(&self) -> &'static str {
        self.tree.grammar.kind_name(self.raw().kind)
    }

    pub fn kind_id(&self) -> u16 {
        self.raw().kind
    }

    pub fn is_named(&self) -> bool {
        let kind = self.raw().kind;
        kind == ERROR_KIND || self.tree.grammar.named.get(kind as usize) == Some(&true)
    }

    pub fn start_byte(&self) -> usize {
        self.raw().start as usize
    }

    pub fn end_byte(&self) -> usize {
        self.raw().end as usize
    }

    pub fn byte_range(&self) -> Range<usize> {
        self.start_byte()..self.end_byte()
    }

    pub fn parent(&self) -> Option<Node<'t>> {
        let parent = self.raw().parent;
        (parent != NO_PARENT).then(|| self.at(parent))
    }

    /// Direct children, named or not, in source order.
    pub fn children(&self) -> Children<'t> {
        Children {
            tree: self.tree,
            next: self.id + 1,
            end: self.raw().subtree_end,
        }
    }

    pub fn named_children(&self) -> impl Iterator<Item = Node<'t>> + 't {
        self.children().filter(Node::is_named)
    }

    pub fn child(&self, index: usize) -> Option<Node<'t>> {
        self.children().nth(index)
    }

    pub fn named_child(&self, index: usize) -> Option<Node<'t>> {
        self.named_children().nth(index)
    }

    pub fn named_child_count(&self) -> usize {
        self.named_children().count()
    }

    /// The first child in field `name`, like tree-sitter's `child_by_field_name`.
    pub fn field(&self, name: &str) -> Option<Node<'t>> {
        let id = self.tree.grammar.field_id(name)?;
        self.children().find(|c| c.raw().field == id)
    }

    /// Every child in field `name`.
    pub fn children_by_field_name(&self, name: &str) -> impl Iterator<Item = Node<'t>> + 't {
        let id = self.tree.grammar.field_id(name).unwrap_or(0);
        self.children()
            .filter(move |c| id != 0 && c.raw().field == id)
    }

    /// The smallest node below this one (or this one) that spans `start..end`.
    pub fn descendant_for_byte_range(&self, start: usize, end: usize) -> Option<Node<'t>> {
        let spans = |n: &Node| n.start_byte() <= start && end <= n.end_byte();
        if !spans(self) {
            return None;
        }
        let mut node = *self;
        while let Some(child) = node.children().find(spans) {
            node = child;
        }
        Some(node)
    }

    /// Calls `f` on this node and every node below it, in source order; `f` returns
    /// whether to go into the node's children.
    pub fn visit(&self, mut f: impl FnMut(Node<'t>) -> bool) {
        let mut id = self.id;
        let end = self.raw().subtree_end;
        while id < end {
            let node = self.at(id);
            id = if f(node) {
                id + 1
            } else {
                node.raw().subtree_end
            };
        }
    }
}

/// The direct children of a node: each next child starts where the previous subtree
/// ends.
pub struct Children<'t> {
    tree: &'t Tree,
    next: u32,
    end: u32,
}

impl<'t> Iterator for Children<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        if self.next >= self.end {
            return None;
        }
        let node = Node {
            tree: self.tree,
            id: self.next,
        };
        self.next = node.raw().subtree_end;
        Some(node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn grammar() -> &'static Grammar {
        static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
        GRAMMAR.get_or_init(|| Grammar::new(&tree_sitter_python::LANGUAGE.into()))
    }

    fn parse(text: &str) -> (tree_sitter::Tree, Tree) {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        let tree = parser.parse(text, None).unwrap();
        let copy = Tree::copy(&tree, grammar());
        (tree, copy)
    }

    /// Every node of the copy answers like the tree-sitter node it was copied from.
    fn assert_same(original: tree_sitter::Node, copy: Node) {
        assert_eq!(original.kind(), copy.kind());
        assert_eq!(original.kind_id(), copy.kind_id());
        assert_eq!(original.is_named(), copy.is_named());
        assert_eq!(original.byte_range(), copy.byte_range());
        assert_eq!(original.named_child_count(), copy.named_child_count());
        assert_eq!(
            original.child_by_field_name("operator").map(|n| n.kind()),
            copy.field("operator").map(|n| n.kind())
        );
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        for id in 1..=language.field_count() as u16 {
            let name = language.field_name_for_id(id).unwrap();
            assert_eq!(
                original.child_by_field_name(name).map(|n| n.byte_range()),
                copy.field(name).map(|n| n.byte_range()),
                "field {name} of {}",
                copy.kind()
            );
            let mut cursor = original.walk();
            let originals: Vec<_> = original
                .children_by_field_name(name, &mut cursor)
                .map(|n| n.byte_range())
                .collect();
            let copies: Vec<_> = copy
                .children_by_field_name(name)
                .map(|n| n.byte_range())
                .collect();
            assert_eq!(originals, copies, "children in field {name}");
        }
        // The copy leaves out punctuation that fills no field.
        let mut children = Vec::new();
        let mut cursor = original.walk();
        if cursor.goto_first_child() {
            loop {
                let node = cursor.node();
                let word = node.kind().chars().any(char::is_alphanumeric);
                if node.is_named() || word || cursor.field_id().is_some() {
                    children.push(node);
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        let copies: Vec<_> = copy.children().collect();
        assert_eq!(children.len(), copies.len(), "children of {}", copy.kind());
        for (o, c) in children.into_iter().zip(copies) {
            assert_eq!(c.parent(), Some(copy));
            assert_same(o, c);
        }
    }

    #[test]
    fn the_copy_has_the_shape_of_the_original() {
        let (tree, copy) = parse(
            "import a.b as c\nfrom .x import (y, z as w)\n\n@app.get('/items/{id}', status_code=201)\nasync def f(id: int, q: str = None, *args, **kw):\n    # archlint-ignore[x]\n    for i in db.query(X).all():\n        print(f\"{i!r} and {{}}\", [j for j in i if j == 1], 'x' % i + 'y')\n    return {'a': 1, **kw}\n\nclass C(Base):\n    x: int = 1\n    def m(self): pass\n",
        );
        assert_same(tree.root_node(), copy.root_node());
        let mut kinds = Vec::new();
        copy.root_node().visit(|n| {
            kinds.push(n.kind());
            true
        });
        assert_eq!(kinds.len(), copy.len());
        for kept in ["async", "def", "+", "%", "=="] {
            assert!(kinds.contains(&kept), "{kept} in {kinds:?}");
        }
        for dropped in ["(", ",", ":", "."] {
            assert!(!kinds.contains(&dropped), "{dropped} in {kinds:?}");
        }
        assert_eq!(copy.root_node().parent(), None);
    }

    #[test]
    fn broken_code_is_copied_with_its_error_nodes() {
        let (tree, copy) =
            parse("def f(:\n    return\nprint(1)))\n@app.post('/y')\ndef g(): pass\n");
        assert!(tree.root_node().has_error());
        assert_same(tree.root_node(), copy.root_node());
        let mut kinds = Vec::new();
        copy.root_node().visit(|n| {
            kinds.push(n.kind());
            true
        });
        assert!(kinds.contains(&"ERROR"), "{kinds:?}");
    }

    #[test]
    fn visit_skips_the_children_it_is_told_to_skip() {
        let (_, copy) = parse("def f():\n    g()\nh()\n");
        let mut calls = Vec::new();
        copy.root_node().visit(|n| {
            if n.kind() == "call" {
                calls.push(n.start_byte());
            }
            n.kind() != "function_definition"
        });
        assert_eq!(calls, vec![17]);
        let mut all = 0;
        copy.root_node().visit(|_| {
            all += 1;
            true
        });
        assert_eq!(all, copy.len());
    }

    #[test]
    fn every_fixture_is_copied_with_its_fields() {
        // Fields are only asked for below kinds that have some: a kind wrongly taken as
        // fieldless would lose its children's fields, on some file among these.
        let mut files = 0;
        for entry in ignore::WalkBuilder::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
            .build()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "py"))
        {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let (tree, copy) = parse(&text);
            assert_same(tree.root_node(), copy.root_node());
            files += 1;
        }
        assert!(files > 50, "{files} fixture files");
    }

    #[test]
    fn a_machine_made_chain_thousands_of_levels_deep_is_copied_whole() {
        // 50,000 nested binary operators: a recursive walk would need megabytes of
        // stack on a thread that has two.
        let terms = 50_000;
        let text = format!("x = {}1\n", "1 + ".repeat(terms));
        let (_, copy) = parse(&text);
        let mut operators = 0;
        let mut deepest = copy.root_node();
        copy.root_node().visit(|n| {
            if n.kind() == "binary_operator" {
                operators += 1;
                deepest = n;
            }
            true
        });
        assert_eq!(operators, terms);
        assert_eq!(deepest.byte_range(), 4..9, "the innermost `1 + 1`");
        let mut depth = 0;
        let mut node = deepest;
        while let Some(parent) = node.parent() {
            depth += 1;
            node = parent;
        }
        assert!(depth > terms, "{depth}");
        assert_eq!(copy.root_node().children().count(), 1);
    }

    #[test]
    fn an_empty_file_is_a_module_alone() {
        let (_, copy) = parse("");
        assert_eq!(copy.len(), 1);
        assert_eq!(copy.root_node().kind(), "module");
        assert_eq!(copy.root_node().children().count(), 0);
    }
}
