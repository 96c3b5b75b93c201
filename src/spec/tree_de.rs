//! A serde `Deserializer` reading straight from the span-preserving tree, so typed
//! validation needs no intermediate `serde_json::Value` copy of the document.

use serde::de::value::{Error, MapAccessDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use super::yaml::{NodeId, NodeKind, Tree};

#[derive(Clone, Copy)]
pub struct NodeDeserializer<'t> {
    pub tree: &'t Tree,
    pub id: NodeId,
}

enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

/// YAML 1.2 core-schema resolution of a plain scalar; quoted scalars are strings.
fn resolve(value: &str, plain: bool) -> Scalar<'_> {
    if !plain {
        return Scalar::Str(value);
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "true" | "True" | "TRUE" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" => return Scalar::Bool(false),
        _ => {}
    }
    if let Ok(i) = value.parse::<i64>() {
        return Scalar::Int(i);
    }
    if value.contains(['.', 'e', 'E']) && value.chars().any(|c| c.is_ascii_digit()) {
        if let Ok(f) = value.parse::<f64>() {
            return Scalar::Float(f);
        }
    }
    Scalar::Str(value)
}

impl<'de, 't> de::Deserializer<'de> for NodeDeserializer<'t> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.tree.node(self.id).kind {
            NodeKind::Scalar { value, plain } => match resolve(value, *plain) {
                Scalar::Null => visitor.visit_unit(),
                Scalar::Bool(b) => visitor.visit_bool(b),
                Scalar::Int(i) => visitor.visit_i64(i),
                Scalar::Float(f) => visitor.visit_f64(f),
                Scalar::Str(s) => visitor.visit_str(s),
            },
            NodeKind::Seq(items) => visitor.visit_seq(SeqAccess {
                tree: self.tree,
                items: items.iter(),
            }),
            NodeKind::Map(m) => visitor.visit_map(MapAccess {
                tree: self.tree,
                entries: m.entries.iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.tree.is_null(self.id) {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.tree.node(self.id).kind {
            NodeKind::Scalar { value, .. } => {
                let s: StrDeserializer<Error> = value.as_str().into_deserializer();
                visitor.visit_enum(s)
            }
            NodeKind::Map(m) => visitor.visit_enum(MapAccessDeserializer::new(MapAccess {
                tree: self.tree,
                entries: m.entries.iter(),
                value: None,
            })),
            NodeKind::Seq(_) => Err(de::Error::custom("expected an enum, found a list")),
        }
    }

    /// A plain scalar where a string is expected is that string (`version: 1.0`).
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.tree.node(self.id).kind {
            NodeKind::Scalar { value, .. } => visitor.visit_str(value),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes
        byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct SeqAccess<'t> {
    tree: &'t Tree,
    items: std::slice::Iter<'t, NodeId>,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some(&id) => seed
                .deserialize(NodeDeserializer {
                    tree: self.tree,
                    id,
                })
                .map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapAccess<'t> {
    tree: &'t Tree,
    entries: std::slice::Iter<'t, super::yaml::Entry>,
    value: Option<NodeId>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some(e) => {
                self.value = Some(e.value);
                let key: StrDeserializer<Error> = e.key.as_str().into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let id = self
            .value
            .take()
            .ok_or_else(|| <Error as de::Error>::custom("a value without a key"))?;
        seed.deserialize(NodeDeserializer {
            tree: self.tree,
            id,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}
