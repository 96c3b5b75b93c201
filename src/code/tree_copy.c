// Copies a tree-sitter tree into archlint's flat node array (src/code/tree.rs).
//
// Tree-sitter's public cursor finds each next sibling by climbing back through the
// grammar's hidden rules and re-deriving its position, several hundred instructions a
// step; on a large Python tree that cost more than everything archlint does with the
// nodes afterwards. This walk reads the subtrees directly, once each, with an explicit
// stack (no recursion: machine-made code can nest thousands of levels deep). It uses
// tree-sitter's internal headers, from the very crate version that is linked, and
// gives the nodes, kinds, fields and byte ranges that the cursor gives; the tests in
// tree.rs compare the two on every fixture.

#include <stdbool.h>
#include <stdint.h>

#include "tree_sitter/api.h"
#include "./alloc.h"
#include "./array.h"
#include "./language.h"
#include "./subtree.h"
#include "./tree.h"

// Must match `Raw` in tree.rs (#[repr(C)]).
typedef struct {
  uint32_t start;
  uint32_t end;
  uint32_t parent;
  uint32_t subtree_end;
  uint16_t kind;
  uint16_t field;
} ArchlintNode;

#define ARCHLINT_NO_PARENT UINT32_MAX

// A node whose children are being walked. Hidden nodes (the grammar's `_rules` and
// repetitions) get a frame too, but their children attach to the visible node above.
typedef struct {
  Subtree subtree;
  uint32_t child_index;
  uint32_t structural_index;
  // Byte offset where the previous child ended (the first child starts with its
  // parent, its padding being the parent's).
  uint32_t position;
  const TSSymbol *alias_sequence;
  const TSFieldMapEntry *fields;
  const TSFieldMapEntry *fields_end;
  // The visible node the children attach to.
  uint32_t parent;
  // A hidden node's field passes to those of its children that have none of their own.
  uint16_t inherited_field;
  // Set for a visible node: its subtree ends when the frame is done.
  bool visible;
} Frame;

typedef Array(Frame) FrameStack;

static Frame frame_for(
  const TSLanguage *language,
  Subtree subtree,
  uint32_t start,
  uint32_t parent,
  uint16_t inherited_field,
  bool visible
) {
  uint16_t production_id = subtree.ptr->production_id;
  Frame frame = {
    .subtree = subtree,
    .child_index = 0,
    .structural_index = 0,
    .position = start,
    .alias_sequence = ts_language_alias_sequence(language, production_id),
    .fields = NULL,
    .fields_end = NULL,
    .parent = parent,
    .inherited_field = inherited_field,
    .visible = visible,
  };
  ts_language_field_map(language, production_id, &frame.fields, &frame.fields_end);
  return frame;
}

// Copies the tree under `root` into `out`, which has room for `capacity` nodes (the
// root's descendant count is enough). Nodes whose kind is marked in `punctuation`
// (indexed by kind, `kind_count` entries) and that fill no field are left out, with
// their subtrees. Returns the number of nodes written, or UINT32_MAX when `out` was
// too small.
uint32_t archlint_copy_tree(
  TSNode root,
  const bool *punctuation,
  uint32_t kind_count,
  ArchlintNode *out,
  uint32_t capacity
) {
  if (capacity == 0) return UINT32_MAX;
  const TSLanguage *language = root.tree->language;
  Subtree root_subtree = *(const Subtree *)root.id;
  uint32_t root_start = ts_node_start_byte(root);
  out[0] = (ArchlintNode) {
    .start = root_start,
    .end = root_start + ts_subtree_size(root_subtree).bytes,
    .parent = ARCHLINT_NO_PARENT,
    .subtree_end = 1,
    .kind = ts_node_symbol(root),
    .field = 0,
  };
  uint32_t length = 1;
  if (ts_subtree_child_count(root_subtree) == 0) return length;

  FrameStack stack = array_new();
  array_push(&stack, frame_for(language, root_subtree, root_start, 0, 0, true));
  while (stack.size > 0) {
    Frame *frame = array_back(&stack);
    if (frame->child_index == frame->subtree.ptr->child_count) {
      if (frame->visible) out[frame->parent].subtree_end = length;
      stack.size--;
      continue;
    }
    Subtree child = ts_subtree_children(frame->subtree)[frame->child_index];
    if (frame->child_index > 0) frame->position += ts_subtree_padding(child).bytes;
    uint32_t start = frame->position;
    frame->position += ts_subtree_size(child).bytes;
    frame->child_index++;

    // Mirrors ts_tree_cursor_child_iterator_next (visibility, aliases) and
    // ts_tree_cursor_current_field_id (fields, inherited through hidden nodes up to
    // an extra).
    bool extra = ts_subtree_extra(child);
    bool visible = ts_subtree_visible(child);
    TSSymbol alias = 0;
    uint16_t field = 0;
    if (!extra) {
      if (frame->alias_sequence) alias = frame->alias_sequence[frame->structural_index];
      visible |= alias != 0;
      for (const TSFieldMapEntry *entry = frame->fields; entry < frame->fields_end; entry++) {
        if (!entry->inherited && entry->child_index == frame->structural_index) {
          field = entry->field_id;
          break;
        }
      }
      if (field == 0) field = frame->inherited_field;
      frame->structural_index++;
    }
    uint32_t parent = frame->parent;
    bool has_children = ts_subtree_child_count(child) > 0;

    if (!visible) {
      if (has_children) {
        array_push(&stack, frame_for(language, child, start, parent, field, false));
      }
      continue;
    }
    // ts_language_public_symbol, which is not inline.
    TSSymbol symbol = alias ? alias : ts_subtree_symbol(child);
    TSSymbol kind = symbol == ts_builtin_sym_error ? symbol : language->public_symbol_map[symbol];
    if (field == 0 && kind < kind_count && punctuation[kind]) continue;
    if (length == capacity) {
      array_delete(&stack);
      return UINT32_MAX;
    }
    uint32_t id = length++;
    out[id] = (ArchlintNode) {
      .start = start,
      .end = start + ts_subtree_size(child).bytes,
      .parent = parent,
      .subtree_end = id + 1,
      .kind = kind,
      .field = field,
    };
    if (has_children) {
      array_push(&stack, frame_for(language, child, start, id, 0, true));
    }
  }
  array_delete(&stack);
  return length;
}
