//! Field access by id. `Node::child_by_field_name` looks the name up among all of the
//! grammar's field names on every call; over millions of nodes that string search
//! costs more than the lookup itself, so ids are resolved once.

use std::collections::HashMap;
use std::sync::OnceLock;

use tree_sitter::Node;

fn ids() -> &'static HashMap<&'static str, std::num::NonZeroU16> {
    static IDS: OnceLock<HashMap<&'static str, std::num::NonZeroU16>> = OnceLock::new();
    IDS.get_or_init(|| {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        (1..=language.field_count() as u16)
            .filter_map(|id| {
                let name = language.field_name_for_id(id)?;
                Some((name, std::num::NonZeroU16::new(id)?))
            })
            .collect()
    })
}

pub trait FieldExt<'t> {
    /// The child in field `name`, like `child_by_field_name`.
    fn field(&self, name: &str) -> Option<Node<'t>>;
}

impl<'t> FieldExt<'t> for Node<'t> {
    fn field(&self, name: &str) -> Option<Node<'t>> {
        let id = ids().get(name)?;
        self.child_by_field_id(id.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_resolve_like_the_name_lookup() {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        let tree = parser.parse("f(x, y=1)\n", None).unwrap();
        let call = tree
            .root_node()
            .named_child(0)
            .unwrap()
            .named_child(0)
            .unwrap();
        assert_eq!(call.kind(), "call");
        assert_eq!(call.field("function"), call.child_by_field_name("function"));
        assert_eq!(
            call.field("arguments"),
            call.child_by_field_name("arguments")
        );
        assert_eq!(call.field("no_such_field"), None);
    }
}
