//! Syntax errors: tree-sitter recovers and keeps the rest of the tree, so a file with an
//! error still yields its other facts; the first error is reported so the user knows
//! what was not read.

use tree_sitter::{Node, Tree};

use crate::finding::Finding;
use crate::source::{SharedSource, Span};

fn find_error(node: Node) -> Option<Node> {
    if !node.has_error() {
        return None;
    }
    if node.is_error() || node.is_missing() {
        return Some(node);
    }
    let mut cursor = node.walk();
    let children: Vec<Node> = node.children(&mut cursor).collect();
    children.into_iter().find_map(find_error)
}

pub fn first_error(source: &SharedSource, tree: &Tree) -> Option<Finding> {
    let node = find_error(tree.root_node())?;
    let start = node.start_byte();
    // Underline the first line of the unreadable part only.
    let end = source.text[start..node.end_byte().max(start)]
        .find('\n')
        .map_or(node.end_byte(), |i| start + i)
        .max(start);
    let what = if node.is_missing() {
        format!("missing `{}`", node.kind())
    } else {
        "invalid syntax".to_string()
    };
    Some(super::problem(
        source,
        Span::new(start, end),
        format!("{what}: this part of the file could not be read as Python; facts from the rest of the file are still used"),
    ))
}
