//! One pass over a Python syntax tree: functions, calls (with arguments and the loops
//! around them), assignments, imports and suppression comments. Iterative, so deeply
//! nested code cannot exhaust the stack.

use std::cell::OnceCell;

use crate::code::tree::{Node, Tree};

use crate::finding::Location;
use crate::model::code::{Arg, Assignment, Call, Function, Import, Return, Value};
use crate::source::{SharedSource, Span};

/// Values nested deeper than this are `Value::Other`: rules never need more.
const MAX_VALUE_DEPTH: usize = 24;

#[derive(Debug)]
pub struct SuppressionComment {
    pub rule: String,
    pub reason: Option<String>,
    pub location: Location,
    /// The lines it covers: its own line when it trails code, else the next line.
    pub covers: Span,
}

#[derive(Debug, Default)]
pub struct FileFacts {
    /// Function indices in calls and assignments are local to the file.
    pub functions: Vec<Function>,
    pub calls: Vec<Call>,
    pub assignments: Vec<Assignment>,
    pub returns: Vec<Return>,
    pub imports: Vec<Import>,
    pub suppressions: Vec<SuppressionComment>,
}

/// Which children of a node run in another context than the node itself: a loop's
/// body (once per item), a branch's body (under its condition).
/// Node and context numbers are `u32`: this is kept for every node of a file, and
/// half the width is half the memory written per node.
#[derive(Clone, Copy, Default)]
enum Body {
    #[default]
    Same,
    /// One child (by node index) in a context: a `for` statement's body, an
    /// `if`/`elif`/`else` branch's block.
    Child(u32, u32),
    /// Everything in a comprehension but its `for ... in` clauses.
    AllButClauses(u32),
}

/// What a node's children are visited in: the node's own context for its children,
/// and where some of them differ.
#[derive(Clone, Copy, Default)]
struct ChildContext {
    context: u32,
    body: Body,
}

/// The context a node is visited in.
#[derive(Clone, Default)]
struct Context {
    function: Option<usize>,
    class: Option<String>,
    loops: Vec<Option<String>>,
    guard: Option<std::sync::Arc<str>>,
}

pub fn text<'a>(source: &'a SharedSource, node: Node) -> &'a str {
    source.text.get(node.byte_range()).unwrap_or("")
}

fn location(source: &SharedSource, node: Node) -> Location {
    Location::new(source, Span::new(node.start_byte(), node.end_byte()))
}

/// The segments of a dotted name, last first: on the stack for the usual few.
struct Segments<'s> {
    few: [&'s str; 8],
    many: Vec<&'s str>,
    count: usize,
}

impl<'s> Segments<'s> {
    fn push(&mut self, part: &'s str) {
        if let Some(slot) = self.few.get_mut(self.count) {
            *slot = part;
        } else {
            if self.many.is_empty() {
                self.many.extend_from_slice(&self.few);
            }
            self.many.push(part);
        }
        self.count += 1;
    }

    fn as_slice(&self) -> &[&'s str] {
        match self.few.get(..self.count) {
            Some(few) => few,
            None => &self.many,
        }
    }
}

/// `a.b.c` for names and attributes; a call in the chain contributes its callee.
pub fn dotted(source: &SharedSource, node: Node) -> String {
    // Called for every callee and name: segments are slices of the source, so that the
    // name is the one allocation.
    const MAX_SEGMENTS: usize = 64;
    let k = kinds();
    let mut parts = Segments {
        few: [""; 8],
        many: Vec::new(),
        count: 0,
    };
    let mut current = Some(node);
    while let Some(n) = current {
        if parts.count == MAX_SEGMENTS {
            break;
        }
        let kind = n.kind_id();
        current = None;
        if kind == k.identifier {
            parts.push(text(source, n));
        } else if kind == k.attribute {
            if let Some(attr) = n.field("attribute") {
                parts.push(text(source, attr));
            }
            current = n.field("object");
        } else if kind == k.call {
            current = n.field("function");
        } else if kind == k.subscript {
            current = n.field("value");
        } else if kind == k.parenthesized_expression {
            current = n.named_child(0);
        } else {
            parts.push("?");
        }
    }
    let parts = parts.as_slice();
    let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, part) in parts.iter().rev().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(part);
    }
    out
}

fn string_parts(
    source: &SharedSource,
    node: Node,
    constant: &mut String,
    parts: &mut Vec<String>,
) -> bool {
    let mut dynamic = false;
    for child in node.named_children() {
        match child.kind() {
            "string_content" | "escape_sequence" => constant.push_str(text(source, child)),
            "interpolation" => {
                dynamic = true;
                if let Some(expression) = child.named_child(0) {
                    parts.push(text(source, expression).to_string());
                }
            }
            "string" => dynamic |= string_parts(source, child, constant, parts),
            _ => {}
        }
    }
    dynamic
}

/// Collects into a vector no larger than its items. Facts are kept for the whole run
/// and most lists hold one or two items, where a growing vector reserves four: that
/// slack was a third of the model's memory.
fn exact<T>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = items.collect();
    out.shrink_to_fit();
    out
}

/// The source text of the non-constant operands of a `%` or `+`: a tuple's items.
fn operand_parts(source: &SharedSource, node: Node) -> Vec<String> {
    match node.kind() {
        "tuple" | "parenthesized_expression" => {
            exact(node.named_children().map(|n| text(source, n).to_string()))
        }
        _ => vec![text(source, node).to_string()],
    }
}

fn is_stringish(node: Node) -> bool {
    matches!(node.kind(), "string" | "concatenated_string")
}

pub fn value_of(source: &SharedSource, node: Node, depth: usize) -> Value {
    if depth > MAX_VALUE_DEPTH {
        return Value::Other;
    }
    let child_value = |n: Node| value_of(source, n, depth + 1);
    match node.kind() {
        "string" | "concatenated_string" => {
            let mut constant = String::new();
            let mut parts = Vec::new();
            if string_parts(source, node, &mut constant, &mut parts) {
                Value::Interpolated { constant, parts }
            } else {
                Value::Str(constant)
            }
        }
        "binary_operator" => {
            let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
                return Value::Other;
            };
            let operator = node.field("operator").map_or("", |o| text(source, o));
            let (l, r) = (child_value(left), child_value(right));
            let constant_of = |v: &Value| match v {
                Value::Str(s) | Value::Interpolated { constant: s, .. } => Some(s.clone()),
                _ => None,
            };
            let parts_of = |v: &Value, n: Node| match v {
                Value::Str(_) => Vec::new(),
                Value::Interpolated { parts, .. } => parts.clone(),
                _ => operand_parts(source, n),
            };
            match operator {
                "%" if is_stringish(left) || matches!(l, Value::Interpolated { .. }) => {
                    match (&l, &r) {
                        (Value::Str(s), Value::Str(_) | Value::Number(_)) => Value::Str(s.clone()),
                        _ => Value::Interpolated {
                            constant: constant_of(&l).unwrap_or_default(),
                            parts: [parts_of(&l, left), parts_of(&r, right)].concat(),
                        },
                    }
                }
                "+" if constant_of(&l).is_some() || constant_of(&r).is_some() => match (&l, &r) {
                    (Value::Str(a), Value::Str(b)) => Value::Str(format!("{a}{b}")),
                    _ => Value::Interpolated {
                        constant: format!(
                            "{}{}",
                            constant_of(&l).unwrap_or_default(),
                            constant_of(&r).unwrap_or_default()
                        ),
                        parts: [parts_of(&l, left), parts_of(&r, right)].concat(),
                    },
                },
                _ => Value::Other,
            }
        }
        "call" => {
            let Some(function) = node.field("function") else {
                return Value::Other;
            };
            // `"... {}".format(x)` builds text like an f-string.
            if function.kind() == "attribute" {
                let object = function.field("object");
                let attr = function.field("attribute").map_or("", |a| text(source, a));
                if attr == "format" {
                    if let Some(object) = object.filter(|o| is_stringish(*o)) {
                        let mut constant = String::new();
                        let mut parts = Vec::new();
                        string_parts(source, object, &mut constant, &mut parts);
                        if let Some(arguments) = node.field("arguments") {
                            // `where=where_sql` puts the value in, not the keyword.
                            parts.extend(arguments.named_children().map(|a| {
                                let value = (a.kind() == "keyword_argument")
                                    .then(|| a.field("value"))
                                    .flatten()
                                    .unwrap_or(a);
                                text(source, value).to_string()
                            }));
                        }
                        return Value::Interpolated { constant, parts };
                    }
                }
            }
            Value::Call {
                callee: dotted(source, function),
                args: node
                    .field("arguments")
                    .map(|a| args_of(source, a, depth + 1))
                    .unwrap_or_default(),
            }
        }
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "none" => Value::None,
        "integer" | "float" => Value::Number(text(source, node).to_string()),
        "identifier" | "attribute" => Value::Name(dotted(source, node)),
        "list" | "tuple" | "set" => Value::List(exact(node.named_children().map(child_value))),
        "dictionary" => Value::Dict(exact(
            node.named_children()
                .filter(|c| c.kind() == "pair")
                .filter_map(|pair| {
                    let key = pair.field("key")?;
                    let value = pair.field("value")?;
                    Some((child_value(key), child_value(value)))
                }),
        )),
        "parenthesized_expression" => node.named_child(0).map_or(Value::Other, child_value),
        "subscript" => {
            let index = node
                .field("subscript")
                .filter(|s| s.kind() == "integer")
                .and_then(|s| text(source, s).parse().ok());
            match (node.field("value"), index) {
                (Some(of), Some(index)) => Value::Element {
                    of: Box::new(child_value(of)),
                    index,
                },
                _ => Value::Other,
            }
        }
        _ => Value::Other,
    }
}

/// What a tuple assignment binds: `user, password = "admin", "s3cret"` pairs each name
/// with its value; `sql, params = f()` binds each name to an element of one value. Names
/// after a starred one (`first, *rest, last`) are left out: their position is unknown.
fn unpacked(
    source: &SharedSource,
    left: Node,
    right: Node,
    function: Option<usize>,
    class: Option<String>,
) -> Vec<Assignment> {
    if !matches!(
        left.kind(),
        "pattern_list" | "tuple_pattern" | "list_pattern"
    ) {
        return Vec::new();
    }
    let values: Option<Vec<Node>> =
        (right.kind() == "expression_list").then(|| right.named_children().collect());
    let whole = OnceCell::new();
    left.named_children()
        .take_while(|n| n.kind() != "list_splat_pattern")
        .enumerate()
        .filter(|(_, n)| n.kind() == "identifier")
        .map(|(index, name)| {
            let (value, value_node) = match &values {
                Some(values) => match values.get(index) {
                    Some(&v) => (value_of(source, v, 0), v),
                    None => (Value::Other, right),
                },
                None => (
                    Value::Element {
                        of: Box::new(whole.get_or_init(|| value_of(source, right, 0)).clone()),
                        index,
                    },
                    right,
                ),
            };
            Assignment {
                target: text(source, name).to_string(),
                value,
                location: location(source, name),
                value_location: location(source, value_node),
                function,
                class: class.clone(),
            }
        })
        .collect()
}

pub fn args_of(source: &SharedSource, arguments: Node, depth: usize) -> Vec<Arg> {
    exact(
        arguments
            .named_children()
            .filter(|c| c.kind() != "comment")
            .map(|child| {
                // `**payload`: the keyword is `**`, the value what is spread.
                if matches!(child.kind(), "dictionary_splat" | "list_splat") {
                    let marker = if child.kind() == "dictionary_splat" {
                        "**"
                    } else {
                        "*"
                    };
                    return Arg {
                        keyword: Some(marker.to_string()),
                        value: child
                            .named_child(0)
                            .map_or(Value::Other, |v| value_of(source, v, depth)),
                        location: location(source, child),
                    };
                }
                if child.kind() == "keyword_argument" {
                    let keyword = child.field("name").map(|n| text(source, n).to_string());
                    let value = child
                        .field("value")
                        .map_or(Value::Other, |v| value_of(source, v, depth));
                    Arg {
                        keyword,
                        value,
                        location: location(source, child),
                    }
                } else {
                    Arg {
                        keyword: None,
                        value: value_of(source, child, depth),
                        location: location(source, child),
                    }
                }
            }),
    )
}

fn assignment_target(source: &SharedSource, node: Node) -> Option<String> {
    match node.kind() {
        "identifier" | "attribute" => Some(dotted(source, node)),
        "subscript" => {
            let value = node.field("value")?;
            let key = node.field("subscript")?;
            let key = match value_of(source, key, 0) {
                Value::Str(s) => s,
                _ => return None,
            };
            Some(format!("{}.{key}", dotted(source, value)))
        }
        _ => None,
    }
}

fn param_names(source: &SharedSource, parameters: Node) -> Vec<String> {
    exact(parameters.named_children().filter_map(|p| {
        match p.kind() {
            "identifier" => Some(text(source, p).to_string()),
            "typed_parameter" => p
                .named_child(0)
                .filter(|n| n.kind() == "identifier")
                .map(|n| text(source, n).to_string()),
            "default_parameter" | "typed_default_parameter" => {
                p.field("name").map(|n| text(source, n).to_string())
            }
            _ => None,
        }
    }))
}

fn decorators(source: &SharedSource, definition: Node) -> Vec<String> {
    let Some(parent) = definition
        .parent()
        .filter(|p| p.kind() == "decorated_definition")
    else {
        return Vec::new();
    };
    exact(
        parent
            .named_children()
            .filter(|c| c.kind() == "decorator")
            .filter_map(|d| d.named_child(0))
            .map(|expr| dotted(source, expr)),
    )
}

fn function_of(source: &SharedSource, node: Node, class: Option<String>) -> Function {
    let is_async = node.child(0).is_some_and(|c| c.kind() == "async");
    let name_node = node.field("name");
    let span_node = node
        .parent()
        .filter(|p| p.kind() == "decorated_definition")
        .unwrap_or(node);
    Function {
        name: name_node.map_or(String::new(), |n| text(source, n).to_string()),
        class,
        is_async,
        location: location(source, name_node.unwrap_or(node)),
        span: location(source, span_node),
        decorators: decorators(source, node),
        params: node
            .field("parameters")
            .map(|p| param_names(source, p))
            .unwrap_or_default(),
    }
}

fn import_of(source: &SharedSource, node: Node) -> Vec<Import> {
    let names: Vec<String> = exact(node.children_by_field_name("name").map(|n| {
        match n.kind() {
            "aliased_import" => n
                .field("name")
                .map_or(String::new(), |m| text(source, m).to_string()),
            _ => text(source, n).to_string(),
        }
    }));
    if node.kind() == "import_from_statement" {
        let module = node
            .field("module_name")
            .map_or(String::new(), |m| text(source, m).to_string());
        vec![Import {
            module,
            names,
            location: location(source, node),
        }]
    } else {
        names
            .into_iter()
            .map(|module| Import {
                module,
                names: Vec::new(),
                location: location(source, node),
            })
            .collect()
    }
}

fn suppression(source: &SharedSource, node: Node) -> Vec<SuppressionComment> {
    const MARKER: &str = "archlint-ignore[";
    let comment = text(source, node);
    let Some(at) = comment.find(MARKER) else {
        return Vec::new();
    };
    let rest = &comment[at + MARKER.len()..];
    let Some((ids, after)) = rest.split_once(']') else {
        return Vec::new();
    };
    let reason = after
        .trim_start()
        .strip_prefix(':')
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    let line_start = source.text[..node.start_byte()]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let trailing = !source.text[line_start..node.start_byte()].trim().is_empty();
    let covers = if trailing {
        let end = source.text[node.end_byte()..]
            .find('\n')
            .map_or(source.text.len(), |i| node.end_byte() + i);
        Span::new(line_start, end)
    } else {
        let next_start = source.text[node.end_byte()..]
            .find('\n')
            .map_or(source.text.len(), |i| node.end_byte() + i + 1);
        let next_end = source.text[next_start..]
            .find('\n')
            .map_or(source.text.len(), |i| next_start + i);
        Span::new(next_start, next_end)
    };
    ids.split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(|id| SuppressionComment {
            rule: id.to_string(),
            reason: reason.clone(),
            location: location(source, node),
            covers,
        })
        .collect()
}

/// Node kind ids of the kinds the walk looks at: comparing numbers, not the C strings
/// `Node::kind` returns, matters on a walk over every node of every file.
struct Kinds {
    function_definition: u16,
    class_definition: u16,
    call: u16,
    assignment: u16,
    import_statement: u16,
    import_from_statement: u16,
    comment: u16,
    return_statement: u16,
    for_statement: u16,
    for_in_clause: u16,
    comprehensions: [u16; 4],
    if_statement: u16,
    elif_clause: u16,
    else_clause: u16,
    with_item: u16,
    identifier: u16,
    attribute: u16,
    subscript: u16,
    parenthesized_expression: u16,
}

fn kinds() -> &'static Kinds {
    static KINDS: std::sync::OnceLock<Kinds> = std::sync::OnceLock::new();
    KINDS.get_or_init(|| {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        let id = |kind: &str| language.id_for_node_kind(kind, true);
        Kinds {
            function_definition: id("function_definition"),
            class_definition: id("class_definition"),
            call: id("call"),
            assignment: id("assignment"),
            import_statement: id("import_statement"),
            import_from_statement: id("import_from_statement"),
            comment: id("comment"),
            return_statement: id("return_statement"),
            for_statement: id("for_statement"),
            for_in_clause: id("for_in_clause"),
            if_statement: id("if_statement"),
            elif_clause: id("elif_clause"),
            else_clause: id("else_clause"),
            with_item: id("with_item"),
            identifier: id("identifier"),
            attribute: id("attribute"),
            subscript: id("subscript"),
            parenthesized_expression: id("parenthesized_expression"),
            comprehensions: [
                id("list_comprehension"),
                id("set_comprehension"),
                id("dictionary_comprehension"),
                id("generator_expression"),
            ],
        }
    })
}

pub fn extract(source: &SharedSource, tree: &Tree) -> FileFacts {
    let k = kinds();
    let mut facts = FileFacts::default();
    // Contexts live in an arena and nodes carry an index into it: a new context is made
    // only where one starts (a function, a class, a loop body), not per node.
    let mut contexts: Vec<Context> = vec![Context::default()];
    // Nodes are visited in source order, each after its parent: what a node's children
    // are visited in is recorded by node, and a child reads it from its parent.
    let mut children: Vec<ChildContext> = vec![ChildContext::default(); tree.len()];
    tree.root_node().visit(|node| {
        let ctx_id = match node.parent() {
            None => 0,
            Some(parent) => {
                let of_parent = children[parent.index()];
                (match of_parent.body {
                    Body::Child(body, inner) if body as usize == node.index() => inner,
                    Body::AllButClauses(inner) if node.kind_id() != k.for_in_clause => inner,
                    _ => of_parent.context,
                }) as usize
            }
        };
        let kind = node.kind_id();
        let mut child_ctx = ctx_id;
        match kind {
            _ if kind == k.function_definition => {
                let class = contexts.get(ctx_id).and_then(|c| c.class.clone());
                facts.functions.push(function_of(source, node, class));
                contexts.push(Context {
                    function: Some(facts.functions.len() - 1),
                    class: None,
                    loops: Vec::new(),
                    guard: None,
                });
                child_ctx = contexts.len() - 1;
            }
            _ if kind == k.class_definition => {
                let mut inner = contexts.get(ctx_id).cloned().unwrap_or_default();
                inner.class = node.field("name").map(|n| text(source, n).to_string());
                contexts.push(inner);
                child_ctx = contexts.len() - 1;
            }
            _ if kind == k.call => {
                if let Some(function) = node.field("function") {
                    let ctx = contexts.get(ctx_id);
                    facts.calls.push(Call {
                        callee: dotted(source, function),
                        args: node
                            .field("arguments")
                            .filter(|a| a.kind() == "argument_list")
                            .map(|a| args_of(source, a, 0))
                            .unwrap_or_default(),
                        location: location(source, node),
                        function: ctx.and_then(|c| c.function),
                        loops: ctx.map(|c| c.loops.clone()).unwrap_or_default(),
                        guard: ctx.and_then(|c| c.guard.clone()),
                    });
                }
            }
            _ if kind == k.assignment => {
                if let (Some(left), Some(right)) = (node.field("left"), node.field("right")) {
                    let function = contexts.get(ctx_id).and_then(|c| c.function);
                    let class = contexts
                        .get(ctx_id)
                        .filter(|c| c.function.is_none())
                        .and_then(|c| c.class.clone());
                    if let Some(target) = assignment_target(source, left) {
                        facts.assignments.push(Assignment {
                            target,
                            value: value_of(source, right, 0),
                            location: location(source, left),
                            value_location: location(source, right),
                            function,
                            class,
                        });
                    } else {
                        facts
                            .assignments
                            .extend(unpacked(source, left, right, function, class));
                    }
                }
            }
            // `with op.batch_alter_table("t") as batch_op:` binds `batch_op` as an
            // assignment would; the calls made on it are read through that binding.
            _ if kind == k.with_item => {
                let bound = node
                    .field("value")
                    .filter(|v| v.kind() == "as_pattern")
                    .and_then(|p| Some((p.named_child(0)?, p.field("alias")?)));
                if let Some((value, alias)) = bound {
                    let target = text(source, alias);
                    if !target.is_empty() && target.chars().all(|c| c.is_alphanumeric() || c == '_')
                    {
                        let ctx = contexts.get(ctx_id);
                        facts.assignments.push(Assignment {
                            target: target.to_string(),
                            value: value_of(source, value, 0),
                            location: location(source, alias),
                            value_location: location(source, value),
                            function: ctx.and_then(|c| c.function),
                            class: ctx
                                .filter(|c| c.function.is_none())
                                .and_then(|c| c.class.clone()),
                        });
                    }
                }
            }
            _ if kind == k.import_statement || kind == k.import_from_statement => {
                facts.imports.extend(import_of(source, node));
            }
            _ if kind == k.comment => facts.suppressions.extend(suppression(source, node)),
            _ if kind == k.return_statement => {
                if let Some(value) = node.named_child(0) {
                    facts.returns.push(Return {
                        value: value_of(source, value, 0),
                        location: location(source, node),
                        function: contexts.get(ctx_id).and_then(|c| c.function),
                    });
                }
            }
            _ => {}
        }
        children[node.index()].context = child_ctx as u32;
        // A branch's block runs under its condition.
        let branch = if kind == k.if_statement || kind == k.elif_clause {
            node.field("condition")
                .map(|c| text(source, c).to_string())
                .zip(node.field("consequence"))
        } else if kind == k.else_clause {
            node.parent()
                .and_then(|p| p.field("condition"))
                .map(|c| format!("not ({})", text(source, c)))
                .zip(node.field("body"))
        } else {
            None
        };
        if let Some((condition, block)) = branch {
            let mut inner = contexts.get(child_ctx).cloned().unwrap_or_default();
            inner.guard = Some(condition.into());
            contexts.push(inner);
            children[node.index()].body =
                Body::Child(block.index() as u32, (contexts.len() - 1) as u32);
        }
        // The body of a loop (or comprehension) runs once per item of its iterable.
        let comprehension = k.comprehensions.contains(&kind);
        let iterable = if kind == k.for_statement {
            node.field("right")
        } else if comprehension {
            node.named_children()
                .find(|c| c.kind_id() == k.for_in_clause)
                .and_then(|c| c.field("right"))
        } else {
            None
        };
        if let Some(iterable) = iterable {
            let mut inner = contexts.get(child_ctx).cloned().unwrap_or_default();
            let callee = (iterable.kind() == "call")
                .then(|| iterable.field("function"))
                .flatten()
                .map(|f| dotted(source, f));
            inner.loops.insert(0, callee);
            contexts.push(inner);
            let inner = (contexts.len() - 1) as u32;
            children[node.index()].body = if comprehension {
                Body::AllButClauses(inner)
            } else {
                node.field("body")
                    .map_or(Body::Same, |b| Body::Child(b.index() as u32, inner))
            };
        }
        true
    });
    // Functions were found in visiting order, which is source order. The facts are
    // kept to the end of the run: no room for more.
    facts.functions.shrink_to_fit();
    facts.calls.shrink_to_fit();
    facts.assignments.shrink_to_fit();
    facts.returns.shrink_to_fit();
    facts.imports.shrink_to_fit();
    facts
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::source::SourceFile;

    fn callees(code: &str) -> Vec<String> {
        let source = Arc::new(SourceFile::new(
            "app.py".into(),
            "app.py".into(),
            code.into(),
        ));
        let (tree, _) = super::super::parse(&source).expect("parses");
        super::extract(&source, &tree)
            .calls
            .into_iter()
            .map(|c| c.callee)
            .collect()
    }

    #[test]
    fn callees_keep_every_segment_however_many() {
        assert_eq!(
            callees("a.b.c.d.e.f.g.h.i.j.k()\n(x).y[0].z()\nf()\n"),
            ["a.b.c.d.e.f.g.h.i.j.k", "x.y.z", "f"]
        );
        assert_eq!(
            callees("db.query(User).filter(x).all()\n")[0],
            "db.query.filter.all"
        );
    }
}
