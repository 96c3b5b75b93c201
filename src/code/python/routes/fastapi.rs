//! Routes declared with FastAPI: `@app.get(...)` and friends on `FastAPI()` and
//! `APIRouter()` objects, `api_route`, `add_api_route`, with router prefixes resolved
//! through `include_router` (and `mount`) chains across files, and the evidence rules
//! need: dependencies that authenticate, rate limit or paginate, query parameters,
//! declared status codes, collection responses.
//!
//! The first half of this file is a small cross-file index of Python names (imports,
//! module-level objects, functions, classes, constants) that `flask.rs` shares.

use rayon::prelude::*;
use std::collections::HashSet;

use rustc_hash::FxHashMap;

use crate::code::tree::Node;

use super::{join_paths, normalise_path};
use crate::code::python::facts::{dotted, text};
use crate::code::python::ParsedFile;
use crate::finding::Location;
use crate::model::code::{CodeModel, Evidence, Framework, Route, Value};
use crate::model::Method;
use crate::source::{SharedSource, Span};

/// How far import chains, include chains, dependency chains and nested expressions are
/// followed.
const MAX_DEPTH: usize = 12;
/// Mount points computed for one router at most (a router included in many places).
const MAX_MOUNTS: usize = 64;
/// Expansions of the include graph per router.
const MOUNT_BUDGET: usize = 4096;

// ---------------------------------------------------------------------------------
// Shared index of names across files (used by flask.rs too).
// ---------------------------------------------------------------------------------

/// What an imported name stands for, with module names made absolute.
enum Binding {
    /// `import a.b as x`: the module `a.b`.
    Module(String),
    /// `from a.b import x`: the attribute (or submodule) `x` of `a.b`.
    From(String, String),
}

#[derive(Default)]
struct Symbols<'a> {
    imports: FxHashMap<String, Binding>,
    /// `from m import *`.
    stars: Vec<String>,
    /// Absolute names of every module the file imports from.
    imported_modules: Vec<String>,
    objects: FxHashMap<String, usize>,
    functions: FxHashMap<String, usize>,
    classes: FxHashMap<String, usize>,
    /// Module-level assignments: name → right-hand side.
    values: FxHashMap<String, Node<'a>>,
    /// Assignments anywhere in the file whose value is a call (first one per name).
    assigned_calls: FxHashMap<String, Node<'a>>,
}

impl Symbols<'_> {
    /// Whether the file binds `name` at its top: an object, a value, an import or a
    /// function.
    fn binds(&self, name: &str) -> bool {
        self.objects.contains_key(name)
            || self.values.contains_key(name)
            || self.imports.contains_key(name)
            || self.functions.contains_key(name)
    }
}

/// What scanning one file needs from the index: read-only, so files scan in parallel.
struct ScanEnv<'i, 'a> {
    modules: &'i [String],
    functions_by_pos: &'i FxHashMap<(usize, usize), usize>,
    model: &'a CodeModel,
}

impl<'a> ScanEnv<'_, 'a> {
    fn function_index(&self, file: usize, def: Node) -> Option<usize> {
        let name = def.field("name")?;
        self.functions_by_pos
            .get(&(file, name.start_byte()))
            .copied()
    }

    fn index_file(
        &self,
        file: usize,
        parsed: &'a ParsedFile,
        package: bool,
        constructors: &[&str],
    ) -> FileScan<'a> {
        let source = &parsed.source;
        let module = self.modules.get(file).cloned().unwrap_or_default();
        let mut s = Symbols::default();
        let mut objects: Vec<Object<'a>> = Vec::new();
        let mut found_classes: Vec<Class<'a>> = Vec::new();
        let mut calls: Vec<MethodCall<'a>> = Vec::new();
        let mut decorated: Vec<(usize, Node<'a>)> = Vec::new();
        let root = parsed.tree.root_node();
        let mut classes = Vec::new();
        let mut parameters = Vec::new();
        // `api = ApiExt()` where this file defines `class ApiExt(Api)`.
        let mut built_by_class: Vec<(String, String, Node<'a>)> = Vec::new();
        root.visit(|node| {
            match node.kind() {
                "import_statement" => {
                    for name in node.children_by_field_name("name") {
                        if name.kind() == "aliased_import" {
                            let (Some(m), Some(alias)) = (name.field("name"), name.field("alias"))
                            else {
                                continue;
                            };
                            let m = text(source, m).to_string();
                            s.imported_modules.push(m.clone());
                            s.imports
                                .insert(text(source, alias).to_string(), Binding::Module(m));
                        } else {
                            let m = text(source, name).to_string();
                            let first = m.split('.').next().unwrap_or(&m).to_string();
                            s.imported_modules.push(m);
                            s.imports.insert(first.clone(), Binding::Module(first));
                        }
                    }
                    return false;
                }
                "import_from_statement" => {
                    let Some(m) = node.field("module_name") else {
                        return false;
                    };
                    let m = absolute(&module, package, text(source, m));
                    s.imported_modules.push(m.clone());
                    let mut any = false;
                    for name in node.children_by_field_name("name") {
                        any = true;
                        let (name_node, alias) = if name.kind() == "aliased_import" {
                            (name.field("name"), name.field("alias"))
                        } else {
                            (Some(name), Some(name))
                        };
                        let (Some(name_node), Some(alias)) = (name_node, alias) else {
                            continue;
                        };
                        s.imports.insert(
                            text(source, alias).to_string(),
                            Binding::From(m.clone(), text(source, name_node).to_string()),
                        );
                    }
                    if !any {
                        s.stars.push(m);
                    }
                    return false;
                }
                "assignment" => {
                    if let (Some(left), Some(right)) = (node.field("left"), node.field("right")) {
                        if left.kind() == "identifier" {
                            let name = text(source, left).to_string();
                            if right.kind() == "call" {
                                let mut constructor =
                                    last_segment(&callee(source, right)).to_string();
                                // A project's own subclass (`UserAPIRouter(APIRouter)`)
                                // builds the same kind of object.
                                // Generic names (`Api`, `Namespace`) only as written:
                                // `GithubApi()`, `SimpleNamespace()` are no framework's.
                                if let Some(base) = constructors.iter().find(|c| {
                                    constructor.ends_with(*c)
                                        && (constructor.len() == c.len()
                                            || !matches!(**c, "Api" | "Namespace" | "namespace"))
                                }) {
                                    constructor = base.to_string();
                                }
                                if constructors.contains(&constructor.as_str())
                                    && !s.objects.contains_key(&name)
                                {
                                    objects.push(Object {
                                        file,
                                        constructor,
                                        call: right,
                                    });
                                    s.objects.insert(name.clone(), objects.len() - 1);
                                } else {
                                    built_by_class.push((name.clone(), constructor, right));
                                }
                                s.assigned_calls.entry(name.clone()).or_insert(right);
                            }
                            let module_level = node
                                .parent()
                                .filter(|p| p.kind() == "expression_statement")
                                .and_then(|p| p.parent())
                                .is_some_and(|p| p.kind() == "module");
                            if module_level {
                                s.values.insert(name, right);
                            }
                        }
                    }
                }
                "function_definition" => {
                    if let Some(idx) = self.function_index(file, node) {
                        if let Some(f) = self.model.functions.get(idx) {
                            if f.class.is_none() {
                                s.functions.entry(f.name.clone()).or_insert(idx);
                            }
                        }
                    }
                    parameters.extend(framework_parameters(source, node, constructors));
                }
                "class_definition" => classes.push(node),
                "call" => {
                    if let Some((object, method)) = method_call(source, node) {
                        calls.push(MethodCall {
                            file,
                            call: node,
                            object,
                            method,
                        });
                    }
                }
                "decorated_definition" => decorated.push((file, node)),
                _ => {}
            }
            true
        });
        let mut built_elsewhere = Vec::new();
        for (name, class, call) in built_by_class {
            if s.objects.contains_key(&name) {
                continue;
            }
            let defined_here: Vec<Node> = classes
                .iter()
                .copied()
                .filter(|c| c.field("name").is_some_and(|n| text(source, n) == class))
                .collect();
            let base = defined_here
                .iter()
                .filter_map(|c| c.field("superclasses"))
                .flat_map(|bases| bases.named_children())
                .map(|b| dotted(source, b))
                .find_map(|b| constructors.iter().find(|c| last_segment(&b) == **c));
            if let Some(base) = base {
                objects.push(Object {
                    file,
                    constructor: base.to_string(),
                    call,
                });
                s.objects.insert(name, objects.len() - 1);
            } else if defined_here.is_empty()
                && class.starts_with(|c: char| c.is_ascii_uppercase())
                && at_module_level(call)
            {
                built_elsewhere.push((name, call));
            }
        }
        // `def configure(app: FastAPI): app.include_router(...)`: the parameter is an app
        // whose routers the function mounts. Names are file-wide here, so a parameter
        // counts only where the file binds the name to nothing else.
        for (name, constructor, parameter) in parameters {
            if !s.binds(&name) {
                objects.push(Object {
                    file,
                    constructor,
                    call: parameter,
                });
                s.objects.insert(name, objects.len() - 1);
            }
        }
        // `def configure_routes(app): app.include_router(...)`: an untyped parameter
        // that mounts routers is an app all the same.
        for c in &calls {
            let constructor = match c.method {
                "include_router" | "mount" => "FastAPI",
                "register_blueprint" => "Flask",
                _ => continue,
            };
            if !constructors.contains(&constructor) || c.object.kind() != "identifier" {
                continue;
            }
            let name = text(source, c.object);
            if s.binds(name) {
                continue;
            }
            if let Some(parameter) = enclosing_parameter(source, c.call, name) {
                objects.push(Object {
                    file,
                    constructor: constructor.to_string(),
                    call: parameter,
                });
                s.objects.insert(name.to_string(), objects.len() - 1);
            }
        }
        for node in classes {
            let Some(name) = node.field("name") else {
                continue;
            };
            let name = text(source, name).to_string();
            let mut methods = Vec::new();
            if let Some(body) = node.field("body") {
                for child in body.named_children() {
                    let def = match child.kind() {
                        "function_definition" => Some(child),
                        "decorated_definition" => child
                            .field("definition")
                            .filter(|d| d.kind() == "function_definition"),
                        _ => None,
                    };
                    let Some(def) = def else { continue };
                    let (Some(method), Some(idx)) =
                        (def.field("name"), self.function_index(file, def))
                    else {
                        continue;
                    };
                    methods.push((text(source, method).to_string(), idx, def));
                }
            }
            found_classes.push(Class {
                file,
                node,
                methods,
            });
            s.classes.entry(name).or_insert(found_classes.len() - 1);
        }
        FileScan {
            symbols: s,
            objects,
            classes: found_classes,
            calls,
            decorated,
            built_elsewhere,
        }
    }
}

/// Whether `value` is the right-hand side of a module-level assignment.
fn at_module_level(value: Node) -> bool {
    value
        .parent()
        .filter(|a| a.kind() == "assignment")
        .and_then(|a| a.parent())
        .filter(|e| e.kind() == "expression_statement")
        .and_then(|e| e.parent())
        .is_some_and(|m| m.kind() == "module")
}

/// The parameters of a function typed as a framework object (`app: FastAPI`,
/// `bp: Blueprint`): name, the type's last segment, and the parameter node (which, unlike
/// a constructor call, has no arguments).
fn framework_parameters<'a>(
    source: &SharedSource,
    def: Node<'a>,
    constructors: &[&str],
) -> Vec<(String, String, Node<'a>)> {
    let mut out = Vec::new();
    let Some(parameters) = def.field("parameters") else {
        return out;
    };
    for parameter in parameters.named_children() {
        if !matches!(
            parameter.kind(),
            "typed_parameter" | "typed_default_parameter"
        ) {
            continue;
        }
        let Some(name) = parameter_name(parameter) else {
            continue;
        };
        let Some(annotation) = parameter
            .field("type")
            .and_then(|t| t.named_child(0))
            .filter(|t| matches!(t.kind(), "identifier" | "attribute"))
        else {
            continue;
        };
        let written = dotted(source, annotation);
        let constructor = last_segment(&written);
        if constructors.contains(&constructor) {
            out.push((
                text(source, name).to_string(),
                constructor.to_string(),
                parameter,
            ));
        }
    }
    out
}

/// A parameter's name: `app` in `app`, `app: FastAPI`, `app=None`, `app: FastAPI = x`.
pub(super) fn parameter_name(parameter: Node) -> Option<Node> {
    match parameter.kind() {
        "identifier" => Some(parameter),
        "default_parameter" | "typed_default_parameter" => parameter.field("name"),
        "typed_parameter" => parameter
            .named_children()
            .find(|c| c.kind() == "identifier"),
        _ => None,
    }
}

/// The parameter `name` of the function a node is in, if it has one.
fn enclosing_parameter<'a>(source: &SharedSource, node: Node<'a>, name: &str) -> Option<Node<'a>> {
    let mut current = node.parent();
    while let Some(n) = current {
        if n.kind() == "function_definition" {
            return n
                .field("parameters")?
                .named_children()
                .find(|p| parameter_name(*p).is_some_and(|i| text(source, i) == name));
        }
        current = n.parent();
    }
    None
}

/// What one file contributes to the index; object and class numbers are the file's own
/// until the scans are merged.
struct FileScan<'a> {
    symbols: Symbols<'a>,
    objects: Vec<Object<'a>>,
    classes: Vec<Class<'a>>,
    calls: Vec<MethodCall<'a>>,
    decorated: Vec<(usize, Node<'a>)>,
    /// Names bound to an instance of a class the file does not define
    /// (`router = PrefectRouter(prefix="/flows")`), and the call: the class may be a
    /// framework class's subclass in another module.
    built_elsewhere: Vec<(String, Node<'a>)>,
}

/// A dependency built to let requests through without it: `HTTPBearer(auto_error=False)`.
fn optional_call(source: &SharedSource, node: Node) -> bool {
    node.kind() == "call"
        && [
            ("required", "False"),
            ("auto_error", "False"),
            ("optional", "True"),
        ]
        .iter()
        .any(|(k, v)| kwarg(source, node, k).is_some_and(|a| text(source, a) == *v))
}

/// `object.method(...)`: the object and the method's name.
fn method_call<'a>(source: &'a SharedSource, call: Node<'a>) -> Option<(Node<'a>, &'a str)> {
    let function = call.field("function").filter(|f| f.kind() == "attribute")?;
    Some((
        function.field("object")?,
        text(source, function.field("attribute")?),
    ))
}

/// `object.method(...)`, read once when the file is indexed: the loops over every call
/// of the project look at the method name first.
#[derive(Clone, Copy)]
pub(super) struct MethodCall<'a> {
    pub file: usize,
    pub call: Node<'a>,
    pub object: Node<'a>,
    pub method: &'a str,
}

/// A framework object created by a constructor call: `app = FastAPI()`.
pub(super) struct Object<'a> {
    pub file: usize,
    /// The constructor's last segment: `FastAPI`, `APIRouter`, `Flask`, `Blueprint`.
    pub constructor: String,
    pub call: Node<'a>,
}

impl Object<'_> {
    /// An object a function receives (`app: FastAPI`) rather than builds.
    pub fn is_parameter(&self) -> bool {
        self.call.kind() != "call"
    }
}

pub(super) struct Class<'a> {
    pub file: usize,
    pub node: Node<'a>,
    /// Methods defined in the class body: name, index in the model, definition.
    pub methods: Vec<(String, usize, Node<'a>)>,
}

/// What a name refers to.
#[derive(Clone)]
pub(super) enum Target<'a> {
    /// A module by absolute name, and its file when it was scanned.
    Module(String, Option<usize>),
    Object(usize),
    /// Index into the model's functions.
    Function(usize),
    Class(usize),
    /// A module-level assignment: the file and the assigned expression.
    Value(usize, Node<'a>),
}

pub(super) struct Index<'a> {
    pub files: &'a [ParsedFile],
    pub model: &'a CodeModel,
    modules: Vec<String>,
    by_last: FxHashMap<String, Vec<usize>>,
    symbols: Vec<Symbols<'a>>,
    functions_by_pos: FxHashMap<(usize, usize), usize>,
    file_by_path: FxHashMap<&'a str, usize>,
    /// String constants by the last segment of their name, `None` when they disagree.
    constants: FxHashMap<String, Option<String>>,
    /// Names already looked up; `None` while one is being looked up (cycles).
    /// Per file, so that a name is looked up as `&str`, without building a key.
    lookup_cache: std::cell::RefCell<Vec<FxHashMap<String, Option<Target<'a>>>>>,
    classes_by_pos: FxHashMap<(usize, usize), usize>,
    pub objects: Vec<Object<'a>>,
    pub classes: Vec<Class<'a>>,
    /// Method calls `x.y(...)` anywhere.
    pub calls: Vec<MethodCall<'a>>,
    /// `decorated_definition` nodes anywhere, with their file.
    pub decorated: Vec<(usize, Node<'a>)>,
}

/// `app/api/routes/users.py` → (`app.api.routes.users`, false); `__init__.py` names
/// its package.
fn module_name(path: &str) -> (String, bool) {
    let stem = path
        .strip_suffix(".py")
        .or_else(|| path.strip_suffix(".pyi"))
        .unwrap_or(path);
    let mut parts: Vec<&str> = stem
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let package = parts.last() == Some(&"__init__");
    if package {
        parts.pop();
    }
    (parts.join("."), package)
}

/// The module part of a handler name: the file path without `.py`, `/` → `.`.
pub(super) fn handler_module(path: &str) -> String {
    let module = path.strip_suffix(".py").unwrap_or(path);
    // A package's `__init__.py` is imported by the package's name.
    let module = module.strip_suffix("/__init__").unwrap_or(module);
    module.replace('/', ".")
}

/// Makes `..api.deps` absolute from the module `module` (a package or not).
fn absolute(module: &str, package: bool, written: &str) -> String {
    let rest = written.trim_start_matches('.');
    let dots = written.len() - rest.len();
    if dots == 0 {
        return rest.to_string();
    }
    let mut parts: Vec<&str> = module.split('.').filter(|s| !s.is_empty()).collect();
    if !package {
        parts.pop();
    }
    for _ in 1..dots {
        parts.pop();
    }
    if !rest.is_empty() {
        parts.push(rest);
    }
    parts.join(".")
}

/// The argument list of a call.
pub(super) fn arguments(call: Node) -> Option<Node> {
    call.field("arguments")
        .filter(|a| a.kind() == "argument_list")
}

/// The value of keyword argument `name` of a call.
pub(super) fn kwarg<'a>(source: &SharedSource, call: Node<'a>, name: &str) -> Option<Node<'a>> {
    let args = arguments(call)?;
    let found = args
        .named_children()
        .filter(|c| c.kind() == "keyword_argument")
        .find(|c| c.field("name").is_some_and(|n| text(source, n) == name));
    found.and_then(|k| k.field("value"))
}

/// The whole `name=value` keyword argument node.
fn kwarg_node<'a>(source: &SharedSource, call: Node<'a>, name: &str) -> Option<Node<'a>> {
    kwarg(source, call, name).and_then(|v| v.parent())
}

/// The call that applies what `call` returns, as a decorator applied by hand:
/// `app.get("/page")(serve_page)` for `app.get("/page")`.
pub(super) fn applied_to(call: Node) -> Option<Node> {
    call.parent()
        .filter(|p| p.kind() == "call" && p.field("function") == Some(call))
}

/// Positional argument `index` of a call (none after a `*args`).
pub(super) fn positional(call: Node, index: usize) -> Option<Node> {
    let args = arguments(call)?;
    let mut seen = 0;
    for child in args.named_children() {
        match child.kind() {
            "keyword_argument" | "comment" | "dictionary_splat" => continue,
            "list_splat" => return None,
            _ => {
                if seen == index {
                    return Some(child);
                }
                seen += 1;
            }
        }
    }
    None
}

/// Positional argument `index`, or the keyword argument `name`.
pub(super) fn argument<'a>(
    source: &SharedSource,
    call: Node<'a>,
    index: usize,
    name: &str,
) -> Option<Node<'a>> {
    positional(call, index).or_else(|| kwarg(source, call, name))
}

/// The last segment of a dotted name.
pub(super) fn last_segment(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// The callee of a call, dotted; empty for anything else.
pub(super) fn callee(source: &SharedSource, node: Node) -> String {
    if node.kind() != "call" {
        return String::new();
    }
    node.field("function")
        .map(|f| dotted(source, f))
        .unwrap_or_default()
}

/// The calls in a function's body, nested functions, classes and lambdas excluded.
pub(super) fn body_calls<'a>(def: Node<'a>) -> Vec<Node<'a>> {
    let mut out = Vec::new();
    let Some(body) = def.field("body") else {
        return out;
    };
    body.visit(|n| match n.kind() {
        "function_definition" | "class_definition" | "lambda" | "decorated_definition" => false,
        "call" => {
            out.push(n);
            true
        }
        _ => true,
    });
    out
}

/// Source text with runs of whitespace collapsed, cut to a readable length.
pub(super) fn short_text(source: &SharedSource, node: Node) -> String {
    let collapsed = text(source, node)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if collapsed.chars().count() > 80 {
        let cut: String = collapsed.chars().take(77).collect();
        format!("{cut}...")
    } else {
        collapsed
    }
}

/// A call chain written compactly: `db.query(User).all()`, with long argument lists
/// shown as `(...)`: `db.execute(...).fetchall()`.
pub(super) fn call_name(source: &SharedSource, node: Node) -> String {
    fn render(source: &SharedSource, node: Node, depth: usize, out: &mut String) {
        if depth > MAX_DEPTH * 2 {
            out.push_str("...");
            return;
        }
        match node.kind() {
            "call" => {
                if let Some(f) = node.field("function") {
                    render(source, f, depth + 1, out);
                }
                let args = node.field("arguments").map_or("()", |a| text(source, a));
                if args.len() <= 24 && !args.contains('\n') {
                    out.push_str(args);
                } else {
                    out.push_str("(...)");
                }
            }
            "attribute" => {
                if let Some(o) = node.field("object") {
                    render(source, o, depth + 1, out);
                }
                out.push('.');
                if let Some(a) = node.field("attribute") {
                    out.push_str(text(source, a));
                }
            }
            _ => out.push_str(&short_text(source, node)),
        }
    }
    let mut out = String::new();
    render(source, node, 0, &mut out);
    out
}

impl<'a> Index<'a> {
    /// Indexes every file; `constructors` are the callee names (last segment) whose
    /// results are framework objects.
    pub fn build(files: &'a [ParsedFile], model: &'a CodeModel, constructors: &[&str]) -> Self {
        let file_by_path: FxHashMap<&'a str, usize> = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.source.path.as_str(), i))
            .collect();
        let mut functions_by_pos = FxHashMap::default();
        for (i, f) in model.functions.iter().enumerate() {
            if let Some(&file) = file_by_path.get(f.location.path()) {
                functions_by_pos
                    .entry((file, f.location.span.start))
                    .or_insert(i);
            }
        }
        let mut modules = Vec::new();
        let mut packages = Vec::new();
        let mut by_last: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, f) in files.iter().enumerate() {
            let (module, package) = module_name(&f.source.path);
            if !module.is_empty() {
                by_last
                    .entry(last_segment(&module).to_string())
                    .or_default()
                    .push(i);
            }
            modules.push(module);
            packages.push(package);
        }
        let mut constants: FxHashMap<String, Option<String>> = FxHashMap::default();
        for a in &model.assignments {
            if let Value::Str(s) = &a.value {
                let key = last_segment(&a.target).to_string();
                match constants.get(&key) {
                    None => {
                        constants.insert(key, Some(s.clone()));
                    }
                    Some(Some(existing)) if existing != s => {
                        constants.insert(key, None);
                    }
                    Some(_) => {}
                }
            }
        }
        let mut index = Index {
            files,
            model,
            modules,
            by_last,
            symbols: Vec::new(),
            functions_by_pos,
            file_by_path,
            constants,
            lookup_cache: std::cell::RefCell::new(vec![FxHashMap::default(); files.len()]),
            classes_by_pos: FxHashMap::default(),
            objects: Vec::new(),
            classes: Vec::new(),
            calls: Vec::new(),
            decorated: Vec::new(),
        };
        // Files are scanned in parallel, each into its own lists; the lists are then
        // concatenated and the file-local object and class numbers shifted.
        let scans: Vec<FileScan<'a>> = {
            let shared = ScanEnv {
                modules: &index.modules,
                functions_by_pos: &index.functions_by_pos,
                model,
            };
            let shared = &shared;
            files
                .par_iter()
                .enumerate()
                .map(|(i, f)| {
                    let package = packages.get(i).copied().unwrap_or(false);
                    shared.index_file(i, f, package, constructors)
                })
                .collect()
        };
        let mut built_elsewhere = Vec::new();
        for (file, mut scan) in scans.into_iter().enumerate() {
            built_elsewhere.extend(scan.built_elsewhere.drain(..).map(|(n, c)| (file, n, c)));
            let object_base = index.objects.len();
            let class_base = index.classes.len();
            for value in scan.symbols.objects.values_mut() {
                *value += object_base;
            }
            for value in scan.symbols.classes.values_mut() {
                *value += class_base;
            }
            for (i, class) in scan.classes.iter().enumerate() {
                index
                    .classes_by_pos
                    .insert((file, class.node.start_byte()), class_base + i);
            }
            index.objects.extend(scan.objects);
            index.classes.extend(scan.classes);
            index.calls.extend(scan.calls);
            index.decorated.extend(scan.decorated);
            index.symbols.push(scan.symbols);
        }
        index.add_instances_of_subclasses(built_elsewhere, constructors);
        index
    }

    /// `router = PrefectRouter(prefix="/flows")` where `class PrefectRouter(APIRouter)`
    /// lives in another module: the instance is the framework object its base makes.
    fn add_instances_of_subclasses(
        &mut self,
        built: Vec<(usize, String, Node<'a>)>,
        constructors: &[&str],
    ) {
        for (file, name, call) in built {
            let Some(base) = call
                .field("function")
                .and_then(|f| self.framework_base(file, f, constructors, 0))
            else {
                continue;
            };
            let Some(symbols) = self.symbols.get_mut(file) else {
                continue;
            };
            if symbols.objects.contains_key(&name) {
                continue;
            }
            symbols.objects.insert(name, self.objects.len());
            self.objects.push(Object {
                file,
                constructor: base,
                call,
            });
        }
    }

    /// The framework constructor a class expression derives from, following the
    /// project's own classes a few levels up.
    fn framework_base(
        &self,
        file: usize,
        class: Node<'a>,
        constructors: &[&str],
        depth: usize,
    ) -> Option<String> {
        if depth > 3 {
            return None;
        }
        let Some(Target::Class(index)) = self.resolve(file, class) else {
            return None;
        };
        let class = self.classes.get(index)?;
        let source = self.source(class.file)?;
        let bases = class.node.field("superclasses")?;
        bases.named_children().find_map(|b| {
            let written = dotted(source, b);
            constructors
                .iter()
                .find(|c| last_segment(&written) == **c)
                .map(|c| c.to_string())
                .or_else(|| self.framework_base(class.file, b, constructors, depth + 1))
        })
    }

    /// The method calls `x.m(...)` whose method is one of `methods`.
    pub fn calls_to<'s>(
        &'s self,
        methods: &'s [&str],
    ) -> impl Iterator<Item = MethodCall<'a>> + 's {
        self.calls
            .iter()
            .filter(move |c| methods.contains(&c.method))
            .copied()
    }

    /// `object.method(...)`: the object and the method's name.
    pub fn method_call(&self, file: usize, call: Node<'a>) -> Option<(Node<'a>, &'a str)> {
        method_call(self.source(file)?, call)
    }

    pub fn source(&self, file: usize) -> Option<&'a SharedSource> {
        self.files.get(file).map(|f| &f.source)
    }

    /// `object`, when it is an application built in the code by one of the
    /// constructors `apps` (not one a function receives): the root of its mount chain
    /// names the application its routes belong to.
    pub fn built_app(&self, object: usize, apps: &[&str]) -> Option<usize> {
        self.objects
            .get(object)
            .filter(|o| apps.contains(&o.constructor.as_str()) && !o.is_parameter())
            .map(|_| object)
    }

    /// Where object `object` is built, as [`Route::app`] names an application.
    pub fn app_key(&self, object: usize) -> Option<String> {
        let o = self.objects.get(object)?;
        Some(format!(
            "{}@{}",
            self.source(o.file)?.path,
            o.call.start_byte()
        ))
    }

    pub fn location(&self, file: usize, node: Node) -> Option<Location> {
        self.source(file)
            .map(|s| Location::new(s, Span::new(node.start_byte(), node.end_byte())))
    }

    pub fn evidence(&self, file: usize, node: Node, name: impl Into<String>) -> Option<Evidence> {
        Some(Evidence {
            name: name.into(),
            location: self.location(file, node)?,
        })
    }

    /// Whether the file imports from a module whose first segment is one of `roots`.
    pub fn imports_any(&self, file: usize, roots: &[&str]) -> bool {
        self.symbols.get(file).is_some_and(|s| {
            s.imported_modules
                .iter()
                .any(|m| roots.contains(&m.split('.').next().unwrap_or(m)))
        })
    }

    /// The index in [`Index::classes`] of a `class_definition` node.
    pub fn class_index(&self, file: usize, node: Node) -> Option<usize> {
        self.classes_by_pos.get(&(file, node.start_byte())).copied()
    }

    /// The model index of a `function_definition` node.
    pub fn function_index(&self, file: usize, def: Node) -> Option<usize> {
        let name = def.field("name")?;
        self.functions_by_pos
            .get(&(file, name.start_byte()))
            .copied()
    }

    /// The file and `function_definition` node of a model function.
    pub fn function_node(&self, idx: usize) -> Option<(usize, Node<'a>)> {
        let f = self.model.functions.get(idx)?;
        let file = *self.file_by_path.get(f.location.path())?;
        let root = self.files.get(file)?.tree.root_node();
        let name = root.descendant_for_byte_range(f.location.span.start, f.location.span.end)?;
        let def = name
            .parent()
            .filter(|p| p.kind() == "function_definition")?;
        Some((file, def))
    }

    /// `module.function` or `module.Class.method` for a model function.
    pub fn handler_name(&self, idx: usize) -> Option<String> {
        let f = self.model.functions.get(idx)?;
        let module = handler_module(f.location.path());
        Some(match &f.class {
            Some(class) => format!("{module}.{class}.{}", f.name),
            None => format!("{module}.{}", f.name),
        })
    }

    /// The scanned file of an absolute module name: an exact match, else the file whose
    /// module name ends with it (the scan root may sit above the import root), nearest
    /// to the importing file.
    fn find_module(&self, name: &str, from: usize) -> Option<usize> {
        if name.is_empty() {
            return None;
        }
        let candidates = self.by_last.get(last_segment(name))?;
        let suffix = format!(".{name}");
        let from_path = self.source(from).map_or("", |s| s.path.as_str());
        candidates
            .iter()
            .copied()
            .filter_map(|i| {
                let module = self.modules.get(i)?;
                let exact = module == name;
                if !exact && !module.ends_with(&suffix) {
                    return None;
                }
                let path = self.source(i)?.path.as_str();
                let common = path
                    .split('/')
                    .zip(from_path.split('/'))
                    .take_while(|(a, b)| a == b)
                    .count();
                Some(((exact, common, std::cmp::Reverse(path)), i))
            })
            .max_by(|a, b| a.0.cmp(&b.0))
            .map(|(_, i)| i)
    }

    fn module_target(&self, module: &str, from: usize) -> Target<'a> {
        Target::Module(module.to_string(), self.find_module(module, from))
    }

    /// What `name` means at the top of `file`.
    fn lookup(&self, file: usize, name: &str, depth: usize) -> Option<Target<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let cached = |cache: &Vec<FxHashMap<String, Option<Target<'a>>>>| {
            cache.get(file).and_then(|names| names.get(name)).cloned()
        };
        if let Some(known) = cached(&self.lookup_cache.borrow()) {
            return known;
        }
        let remember = |found: Option<Target<'a>>| {
            if let Some(names) = self.lookup_cache.borrow_mut().get_mut(file) {
                names.insert(name.to_string(), found);
            }
        };
        remember(None);
        let found = self.lookup_uncached(file, name, depth);
        remember(found.clone());
        found
    }

    fn lookup_uncached(&self, file: usize, name: &str, depth: usize) -> Option<Target<'a>> {
        let s = self.symbols.get(file)?;
        if let Some(&o) = s.objects.get(name) {
            return Some(Target::Object(o));
        }
        if let Some(&f) = s.functions.get(name) {
            return Some(Target::Function(f));
        }
        if let Some(&c) = s.classes.get(name) {
            return Some(Target::Class(c));
        }
        if let Some(&v) = s.values.get(name) {
            return Some(Target::Value(file, v));
        }
        if let Some(binding) = s.imports.get(name) {
            return match binding {
                Binding::Module(m) => Some(self.module_target(m, file)),
                Binding::From(m, attr) => {
                    self.member(&self.module_target(m, file), attr, file, depth + 1)
                }
            };
        }
        s.stars.iter().find_map(|m| {
            self.member(&self.module_target(m, file), name, file, depth + 1)
                .filter(|t| !matches!(t, Target::Module(_, None)))
        })
    }

    /// `of.name`, for modules.
    fn member(&self, of: &Target<'a>, name: &str, from: usize, depth: usize) -> Option<Target<'a>> {
        let Target::Module(module, file) = of else {
            return None;
        };
        if let Some(t) = file.and_then(|f| self.lookup(f, name, depth)) {
            return Some(t);
        }
        let sub = if module.is_empty() {
            name.to_string()
        } else {
            format!("{module}.{name}")
        };
        let sub_file = self.find_module(&sub, from);
        (sub_file.is_some() || file.is_none()).then_some(Target::Module(sub, sub_file))
    }

    /// What an identifier or attribute expression in `file` refers to.
    pub fn resolve(&self, file: usize, node: Node<'a>) -> Option<Target<'a>> {
        self.resolve_at(file, node, 0)
    }

    fn resolve_at(&self, file: usize, node: Node<'a>, depth: usize) -> Option<Target<'a>> {
        if depth > MAX_DEPTH * 2 {
            return None;
        }
        let source = self.source(file)?;
        match node.kind() {
            "identifier" => self.lookup(file, text(source, node), 0),
            "attribute" => {
                let object = node.field("object")?;
                let attr = node.field("attribute")?;
                let base = self.resolve_at(file, object, depth + 1)?;
                self.member(&base, text(source, attr), file, 0)
            }
            "parenthesized_expression" | "type" => {
                self.resolve_at(file, node.named_child(0)?, depth + 1)
            }
            _ => None,
        }
    }

    /// The framework object an expression stands for: a name bound to a constructor
    /// call, or a call of a factory function that returns one.
    pub fn object_of(&self, file: usize, node: Node<'a>) -> Option<usize> {
        // `app.register_blueprint(tags.construct_blueprint(store), url_prefix="/tags")`:
        // a factory's result used at once is what the factory returns, as when it is
        // first bound to a name.
        let target = match node.kind() {
            "call" => Target::Value(file, node),
            _ => self.resolve(file, node)?,
        };
        match target {
            Target::Object(o) => Some(o),
            Target::Value(vfile, value) if value.kind() == "call" => {
                let function = value.field("function")?;
                let Target::Function(idx) = self.resolve(vfile, function)? else {
                    return None;
                };
                let (ffile, def) = self.function_node(idx)?;
                let source = self.source(ffile)?;
                let mut found = None;
                def.visit(|n| {
                    if found.is_some() {
                        return false;
                    }
                    if n.kind() == "return_statement" {
                        if let Some(v) = n.named_child(0).filter(|v| v.kind() == "identifier") {
                            // A factory that returns its parameter returns the caller's
                            // argument, which differs from call to call.
                            found = self
                                .symbols
                                .get(ffile)
                                .and_then(|s| s.objects.get(text(source, v)))
                                .copied()
                                .filter(|&o| {
                                    self.objects.get(o).is_some_and(|o| !o.is_parameter())
                                });
                        }
                        return false;
                    }
                    true
                });
                found
            }
            _ => None,
        }
    }

    /// The call assigned to `name` anywhere in `file` (`view = UserAPI.as_view("u")`).
    pub fn assigned_call(&self, file: usize, name: &str) -> Option<Node<'a>> {
        self.symbols.get(file)?.assigned_calls.get(name).copied()
    }

    /// The constant text of a string expression: literals, f-strings and `+` whose
    /// parts are constants, names of string constants (`settings.API_V1_STR`).
    pub fn const_str(&self, file: usize, node: Node<'a>) -> Option<String> {
        self.const_str_at(file, node, 0)
    }

    fn const_str_at(&self, file: usize, node: Node<'a>, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        let source = self.source(file)?;
        match node.kind() {
            "string" => {
                let mut out = String::new();
                let mut format = false;
                for child in node.named_children() {
                    match child.kind() {
                        "string_start" => {
                            format = text(source, child)
                                .chars()
                                .take_while(|c| *c != '"' && *c != '\'')
                                .any(|c| c == 'f' || c == 'F');
                        }
                        "string_content" => {
                            let raw = text(source, child);
                            if format {
                                out.push_str(&raw.replace("{{", "{").replace("}}", "}"));
                            } else {
                                out.push_str(raw);
                            }
                        }
                        "interpolation" => {
                            let expr = child.field("expression")?;
                            out.push_str(&self.const_str_at(file, expr, depth + 1)?);
                        }
                        _ => {}
                    }
                }
                Some(out)
            }
            "concatenated_string" => {
                let mut out = String::new();
                for child in node.named_children() {
                    out.push_str(&self.const_str_at(file, child, depth + 1)?);
                }
                Some(out)
            }
            "binary_operator" => {
                let op = node.field("operator")?;
                if text(source, op) != "+" {
                    return None;
                }
                let left = self.const_str_at(file, node.field("left")?, depth + 1)?;
                let right = self.const_str_at(file, node.field("right")?, depth + 1)?;
                Some(left + &right)
            }
            "parenthesized_expression" => self.const_str_at(file, node.named_child(0)?, depth + 1),
            // `f"/api/{API_VERSION}"` with `API_VERSION = 1`.
            "integer" => Some(text(source, node).to_string()),
            "identifier" | "attribute" => {
                if let Some(Target::Value(vfile, value)) = self.resolve(file, node) {
                    if let Some(s) = self.const_str_at(vfile, value, depth + 1) {
                        return Some(s);
                    }
                }
                let name = dotted(source, node);
                self.constants
                    .get(last_segment(&name))
                    .and_then(|v| v.clone())
            }
            _ => None,
        }
    }

    /// Method names in a list of strings (`methods=["GET", "POST"]`).
    pub fn methods_of(&self, file: usize, node: Node<'a>) -> Vec<Method> {
        let mut out = Vec::new();
        if !matches!(node.kind(), "list" | "tuple" | "set") {
            return out;
        }
        for child in node.named_children() {
            if let Some(m) = self
                .const_str(file, child)
                .and_then(|s| Method::from_key(&s.trim().to_ascii_lowercase()))
            {
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------
// Name heuristics shared with flask.rs.
// ---------------------------------------------------------------------------------

const AUTH_WORDS: &[&str] = &[
    "auth",
    "user",
    "current",
    "login",
    "token",
    "jwt",
    "permission",
    "verify",
    "api_key",
    "apikey",
    "oauth",
    "scope",
    "admin",
    "principal",
    "credential",
    "security",
    "role",
    // Authorization checks as dependencies: `Depends(OrgPolicyGuard(...))`.
    "guard",
    "policy",
];

const PUBLIC_WORDS: &[&str] = &[
    "public",
    "allow_any",
    "allowany",
    "anonymous",
    "no_auth",
    "noauth",
    "skip_auth",
    "auth_exempt",
    "login_exempt",
    "unauthenticated",
    "permit_all",
];

/// Whether a dependency or decorator name looks like authentication. Database sessions
/// and repositories (`get_db`, `get_session`, `get_user_db`) do not count.
pub(super) fn looks_like_auth(name: &str) -> bool {
    // A user named in a lookup (`get_profile_by_username`) is no current user.
    let lower = last_segment(name)
        .to_ascii_lowercase()
        .replace("username", "")
        .replace("user_id", "")
        .replace("userid", "");
    if looks_public(&lower) {
        return false;
    }
    // Databases, repositories, and login forms (`OAuth2PasswordRequestForm`).
    if ["db", "database", "repositor"]
        .iter()
        .any(|w| lower.contains(w))
        || lower.ends_with("form")
    {
        return false;
    }
    if AUTH_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // A session alone is usually the database's: only checked sessions count.
    lower.contains("session")
        && ["verify", "check", "require", "valid", "cookie"]
            .iter()
            .any(|w| lower.contains(w))
}

/// Whether a decorator name marks a route as deliberately public.
pub(super) fn looks_public(name: &str) -> bool {
    let lower = last_segment(name).to_ascii_lowercase();
    PUBLIC_WORDS.iter().any(|w| lower.contains(w))
}

/// Whether a decorator (dotted, without arguments) is a rate limit: `limiter.limit`,
/// `limiter.shared_limit`, `@throttle`, `@rate_limit`.
pub(super) fn looks_like_rate_limit(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let last = last_segment(&lower);
    if last.contains("exempt") {
        return false;
    }
    ((last == "limit" || last == "shared_limit") && lower.contains("limit") && lower != "limit")
        || ["ratelimit", "rate_limit", "throttl"]
            .iter()
            .any(|w| last.contains(w))
}

/// Whether a function run before every request (`before_request`, an HTTP middleware)
/// enforces authentication: by its name, or by what its body does (verifies a JWT,
/// aborts with 401 or 403).
pub(super) fn looks_like_guard(index: &Index, file: usize, def: Node, name: &str) -> bool {
    const WORDS: &[&str] = &[
        "auth",
        "login",
        "token",
        "jwt",
        "permission",
        "credential",
        "api_key",
        "apikey",
        "oauth",
        "verify",
        "guard",
    ];
    let lower = last_segment(name).to_ascii_lowercase();
    if looks_public(&lower) {
        return false;
    }
    if WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    let Some(source) = index.source(file) else {
        return false;
    };
    // `@auth.login_required` on the hook itself guards every request it runs before.
    if decorators(source, def)
        .iter()
        .any(|(name, _)| looks_like_auth(name))
    {
        return true;
    }
    body_calls(def).into_iter().any(|c| {
        let name = callee(source, c);
        let last = last_segment(&name).to_ascii_lowercase();
        aborts_unauthorized(source, c)
            || ["verify_jwt", "authenticate", "check_auth", "require_auth"]
                .iter()
                .any(|w| last.contains(w))
    })
}

/// `abort(401)` or `abort(403)`.
fn aborts_unauthorized(source: &SharedSource, call: Node) -> bool {
    last_segment(&callee(source, call)).eq_ignore_ascii_case("abort")
        && positional(call, 0).is_some_and(|a| matches!(text(source, a), "401" | "403"))
}

/// A project decorator that guards what it wraps: its body, or the wrapper it defines,
/// aborts with 401 or 403 or sends the caller to log in (`redirect(url_for("auth.login"))`).
pub(super) fn decorator_guards(index: &Index, file: usize, def: Node) -> bool {
    let Some(source) = index.source(file) else {
        return false;
    };
    let mut guards = false;
    def.visit(|n| {
        if guards {
            return false;
        }
        if n.kind() == "call" {
            guards = aborts_unauthorized(source, n)
                || (last_segment(&callee(source, n)) == "redirect"
                    && text(source, n).to_ascii_lowercase().contains("login"));
        }
        true
    });
    guards
}

/// Query parameters that page through a collection.
pub(super) fn is_pagination_param(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "limit"
            | "offset"
            | "page"
            | "per_page"
            | "perpage"
            | "page_size"
            | "pagesize"
            | "size"
            | "cursor"
            | "skip"
            | "take"
            | "after"
            | "before"
            | "page_number"
            | "start"
    )
}

/// A collection a handler's body loads: `.all()` or `.fetchall()`, and whether it is
/// what the handler returns.
#[derive(Clone)]
pub(super) struct BodyCollection {
    pub evidence: Evidence,
    pub returned: bool,
}

impl BodyCollection {
    /// The route's collection, if this is one: on a path that ends in a parameter
    /// (`/teams/{team_id}`) the route reads one item, and a list its handler loads but
    /// does not return is for that item's page.
    pub fn for_path(&self, path: &str) -> Option<Evidence> {
        (self.returned || !crate::model::path::ends_with_param(path)).then(|| self.evidence.clone())
    }
}

/// `.all()` / `.fetchall()` in a handler's body, preferring one in a `return`.
pub(super) fn collection_in_body(index: &Index, file: usize, def: Node) -> Option<BodyCollection> {
    let source = index.source(file)?;
    let calls = body_calls(def);
    let parameters: Vec<&str> = def
        .field("parameters")
        .map(|p| {
            p.named_children()
                .filter_map(parameter_name)
                .map(|n| text(source, n))
                .collect()
        })
        .unwrap_or_default();
    // A query capped before it runs (`.limit(100).all()`, `.limit(SYNC_LIMIT)`,
    // `.slice(0, 20)`) is bounded, like a `LIMIT`; a limit the request chooses
    // (`.limit(limit)` with a `limit` parameter) is paging, judged as such.
    let capped_by_code = |chain: Node| {
        let mut node = Some(chain);
        while let Some(call) = node.filter(|n| n.kind() == "call") {
            let function = call.field("function");
            let method = function
                .and_then(|f| f.field("attribute"))
                .map(|a| text(source, a));
            if matches!(method, Some("limit" | "slice")) {
                let from_request = arguments(call).is_some_and(|args| {
                    args.named_children()
                        .any(|a| parameters.contains(&text(source, a)))
                });
                return !from_request;
            }
            node = function.and_then(|f| f.field("object"));
        }
        false
    };
    let is_all = |c: &Node| {
        let Some(function) = c.field("function") else {
            return false;
        };
        let capped = function.field("object").is_some_and(&capped_by_code);
        function.kind() == "attribute"
            && function
                .field("attribute")
                .is_some_and(|a| matches!(text(source, a), "all" | "fetchall"))
            && arguments(*c).is_some_and(|a| a.named_child_count() == 0)
            && !capped
    };
    let in_return = |c: &Node| {
        let mut p = c.parent();
        while let Some(n) = p {
            match n.kind() {
                "return_statement" => return true,
                "block" | "function_definition" => return false,
                _ => p = n.parent(),
            }
        }
        false
    };
    // Rows loaded into a set, a dict or a count serve a lookup, not the response:
    // `ids = {c.id for c in Challenge.query.with_entities(Challenge.id).all()}`.
    let feeds_lookup = |c: &Node, counts_only: bool| {
        let mut p = c.parent();
        while let Some(n) = p {
            match n.kind() {
                "set_comprehension" | "dictionary_comprehension" if !counts_only => return true,
                "call" => {
                    let name = n.field("function").map_or("", |f| text(source, f));
                    let counts = matches!(name, "len" | "sum" | "max" | "min" | "any");
                    let collects = matches!(name, "set" | "frozenset" | "dict");
                    if counts || (collects && !counts_only) {
                        return true;
                    }
                    p = n.parent();
                }
                // Inside a container or a named argument, the rows are data again:
                // `dict(items=[i.to_json() for i in Item.query.all()])`.
                "keyword_argument" | "pair" | "list" | "list_comprehension" | "dictionary" => {
                    return false
                }
                "block" | "function_definition" | "expression_statement" | "return_statement" => {
                    return false
                }
                _ => p = n.parent(),
            }
        }
        false
    };
    // `if request.method == "POST":` in a view that answers both: what that branch
    // loads is not what a GET lists.
    let in_write_branch = |c: &Node| {
        let (mut child, mut p) = (*c, c.parent());
        while let Some(n) = p {
            if n.kind() == "function_definition" {
                return false;
            }
            let branch = matches!(n.kind(), "if_statement" | "elif_clause")
                && n.field("consequence") == Some(child);
            let writes = branch
                && n.field("condition").is_some_and(|cond| {
                    let text = text(source, cond);
                    text.contains("method")
                        && ["POST", "PUT", "PATCH", "DELETE"]
                            .iter()
                            .any(|m| text.contains(m))
                });
            if writes {
                return true;
            }
            (child, p) = (n, n.parent());
        }
        false
    };
    let returned = calls
        .iter()
        .filter(|c| !in_write_branch(c))
        .find(|c| is_all(c) && in_return(c) && !feeds_lookup(c, true));
    // `for d in Domain.query.all(): if d.name == host: return "good"`: rows searched
    // in a loop that builds nothing (no `append`, `yield`, `+=` or item assignment)
    // are a lookup, not the response.
    let searched_in_loop = |c: &Node| {
        let Some(the_loop) = c
            .parent()
            .filter(|p| p.kind() == "for_statement" && p.field("right") == Some(*c))
        else {
            return false;
        };
        let Some(body) = the_loop.field("body") else {
            return false;
        };
        let mut builds = false;
        body.visit(|n| {
            builds |= match n.kind() {
                "yield" | "augmented_assignment" => true,
                "assignment" => n.field("left").is_some_and(|l| l.kind() == "subscript"),
                "call" => n
                    .field("function")
                    .and_then(|f| f.field("attribute"))
                    .is_some_and(|a| matches!(text(source, a), "append" | "extend" | "add")),
                _ => false,
            };
            !builds
        });
        !builds
    };
    let (chosen, returned) = match returned {
        Some(returned) => (returned, true),
        None => (
            calls.iter().find(|c| {
                is_all(c)
                    && !in_return(c)
                    && !feeds_lookup(c, false)
                    && !in_write_branch(c)
                    && !searched_in_loop(c)
            })?,
            false,
        ),
    };
    Some(BodyCollection {
        evidence: index.evidence(file, *chosen, call_name(source, *chosen))?,
        returned,
    })
}

/// `paginate(...)` / `.paginate(...)` calls in a handler's body.
pub(super) fn paginate_calls(index: &Index, file: usize, def: Node) -> Vec<Evidence> {
    let Some(source) = index.source(file) else {
        return Vec::new();
    };
    body_calls(def)
        .into_iter()
        .filter_map(|c| {
            let name = callee(source, c);
            (last_segment(&name) == "paginate")
                .then(|| index.evidence(file, c, name))
                .flatten()
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// FastAPI.
// ---------------------------------------------------------------------------------

const CONSTRUCTORS: &[&str] = &["FastAPI", "APIRouter"];
const VERBS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "trace",
];

/// A `Depends(...)` or `Security(...)`.
#[derive(Clone)]
struct Dep<'a> {
    /// The dependency as written: `get_current_user`, `deps.get_db`, `RateLimiter`.
    name: String,
    location: Location,
    security: bool,
    /// Built with `required=False` or `auto_error=False`: authentication that lets
    /// anonymous requests through.
    optional: bool,
    /// The file the dependency expression is in, and the expression (for following it
    /// to its definition).
    file: usize,
    target: Option<Node<'a>>,
}

#[derive(Clone, Copy, Default)]
struct DepKind {
    auth: bool,
    rate_limit: bool,
    pagination: bool,
}

#[derive(Clone, Default)]
struct Mount<'a> {
    prefix: String,
    deps: Vec<Dep<'a>>,
    /// Authentication and rate limiting by middleware.
    auth: Vec<Evidence>,
    rate_limit: Vec<Evidence>,
    /// The `FastAPI()` object the mount ends at, if it is built in the code.
    app: Option<usize>,
}

struct Edge<'a> {
    parent: usize,
    child: usize,
    prefix: String,
    deps: Vec<Dep<'a>>,
}

/// A route before prefixes are applied.
struct Decl<'a> {
    file: usize,
    location: Node<'a>,
    object: Option<usize>,
    path: String,
    methods: Vec<Method>,
    /// The decorator's or `add_api_route`'s call, for its keyword arguments.
    call: Node<'a>,
    handler: Handler<'a>,
}

enum Handler<'a> {
    /// A function definition: the model index when known, its file and node.
    Function(Option<usize>, usize, Node<'a>),
    /// An endpoint that could not be found, as written.
    Unknown(String),
}

/// What a handler's parameters say.
#[derive(Default)]
struct Params<'a> {
    deps: Vec<Dep<'a>>,
    query: Vec<(String, Location)>,
}

struct FastApi<'a> {
    index: Index<'a>,
    prefixes: Vec<String>,
    own_deps: Vec<Vec<Dep<'a>>>,
    own_auth: Vec<Vec<Evidence>>,
    own_rate: Vec<Vec<Evidence>>,
    edges: Vec<Edge<'a>>,
    dep_cache: std::cell::RefCell<FxHashMap<usize, DepKind>>,
    mount_cache: std::cell::RefCell<FxHashMap<usize, Vec<Mount<'a>>>>,
}

/// The files indexed for FastAPI (in parallel), when the project imports it.
pub(super) fn index<'a>(files: &'a [ParsedFile], model: &'a CodeModel) -> Option<Index<'a>> {
    if !model.imports_any(&["fastapi"]) {
        return None;
    }
    Some(crate::timings::time("fastapi: index", || {
        Index::build(files, model, CONSTRUCTORS)
    }))
}

/// The routes across the indexed files: a serial walk of routers and their mounts.
pub(super) fn resolve(index: Index<'_>) -> Vec<Route> {
    let mut fastapi = FastApi {
        index,
        prefixes: Vec::new(),
        own_deps: Vec::new(),
        own_auth: Vec::new(),
        own_rate: Vec::new(),
        edges: Vec::new(),
        dep_cache: Default::default(),
        mount_cache: Default::default(),
    };
    crate::timings::time("fastapi: objects", || fastapi.objects());
    crate::timings::time("fastapi: edges", || fastapi.edges());
    let decls = crate::timings::time("fastapi: decls", || fastapi.decls());
    let mut routes = Vec::new();
    crate::timings::time("fastapi: routes", || {
        for decl in &decls {
            fastapi.routes(decl, &mut routes);
        }
    });
    routes
}

impl<'a> FastApi<'a> {
    /// Each object's own prefix and dependencies.
    fn objects(&mut self) {
        let mut prefixes = Vec::new();
        let mut own_deps = Vec::new();
        for o in &self.index.objects {
            let source = self.index.source(o.file);
            let prefix = source
                .and_then(|s| kwarg(s, o.call, "prefix"))
                .and_then(|p| self.index.const_str(o.file, p))
                .unwrap_or_default();
            let deps = source
                .and_then(|s| kwarg(s, o.call, "dependencies"))
                .map(|d| self.depends_in(o.file, d, None))
                .unwrap_or_default();
            prefixes.push(prefix);
            own_deps.push(deps);
        }
        self.prefixes = prefixes;
        self.own_deps = own_deps;
        self.middleware();
    }

    /// `@app.middleware("http")` functions that authenticate, and
    /// `app.add_middleware(AuthenticationMiddleware | SlowAPIMiddleware, ...)`.
    fn middleware(&mut self) {
        let count = self.index.objects.len();
        let mut auth: Vec<Vec<Evidence>> = vec![Vec::new(); count];
        let mut rate: Vec<Vec<Evidence>> = vec![Vec::new(); count];
        for &(file, decorated) in &self.index.decorated {
            let Some(source) = self.index.source(file) else {
                continue;
            };
            let Some(def) = decorated
                .field("definition")
                .filter(|d| d.kind() == "function_definition")
            else {
                continue;
            };
            let name = def.field("name").map_or("", |n| text(source, n));
            for (decorator, node) in decorators(source, def) {
                let Some(object) = node
                    .named_child(0)
                    .filter(|c| c.kind() == "call")
                    .and_then(|c| c.field("function"))
                    .filter(|f| f.kind() == "attribute")
                    .and_then(|f| f.field("object"))
                else {
                    continue;
                };
                if last_segment(&decorator) != "middleware"
                    || !looks_like_guard(&self.index, file, def, name)
                {
                    continue;
                }
                if let (Some(o), Some(e)) = (
                    self.index.object_of(file, object),
                    self.index.evidence(file, node, name),
                ) {
                    if let Some(list) = auth.get_mut(o) {
                        list.push(e);
                    }
                }
            }
        }
        for MethodCall {
            file, call, object, ..
        } in self.index.calls_to(&["add_middleware"])
        {
            let Some(source) = self.index.source(file) else {
                continue;
            };
            let Some(middleware) = argument(source, call, 0, "middleware_class") else {
                continue;
            };
            let name = dotted(source, middleware);
            let lower = last_segment(&name).to_ascii_lowercase();
            let list = if lower.contains("auth") {
                &mut auth
            } else if ["slowapi", "ratelimit", "rate_limit", "limiter", "throttl"]
                .iter()
                .any(|w| lower.contains(w))
            {
                &mut rate
            } else {
                continue;
            };
            if let (Some(o), Some(e)) = (
                self.index.object_of(file, object),
                self.index.evidence(file, call, name),
            ) {
                if let Some(l) = list.get_mut(o) {
                    l.push(e);
                }
            }
        }
        self.own_auth = auth;
        self.own_rate = rate;
    }

    /// `parent.include_router(child, prefix=..., dependencies=[...])` and
    /// `app.mount("/path", sub_app)`.
    fn edges(&mut self) {
        let mut edges = Vec::new();
        for MethodCall {
            file,
            call,
            object,
            method: attr,
        } in self.index.calls_to(&["include_router", "mount"])
        {
            let Some(source) = self.index.source(file) else {
                continue;
            };
            let (child, prefix) = match attr {
                "include_router" => (
                    argument(source, call, 0, "router"),
                    kwarg(source, call, "prefix"),
                ),
                "mount" => (
                    argument(source, call, 1, "app"),
                    argument(source, call, 0, "path"),
                ),
                _ => continue,
            };
            let Some(parent) = self.index.object_of(file, object) else {
                continue;
            };
            let Some(child) = child.and_then(|c| self.index.object_of(file, c)) else {
                continue;
            };
            if child == parent {
                continue;
            }
            let prefix = prefix
                .and_then(|p| self.index.const_str(file, p))
                .unwrap_or_default();
            let deps = kwarg(source, call, "dependencies")
                .map(|d| self.depends_in(file, d, None))
                .unwrap_or_default();
            edges.push(Edge {
                parent,
                child,
                prefix,
                deps,
            });
        }
        self.edges = edges;
    }

    /// Where the routes of `object` end up: one mount per chain of includes.
    fn mounts_of(&self, object: usize) -> Vec<Mount<'a>> {
        if let Some(known) = self.mount_cache.borrow().get(&object) {
            return known.clone();
        }
        let mut budget = MOUNT_BUDGET;
        let mounts = self.mounts(object, &mut Vec::new(), &mut budget);
        self.mount_cache.borrow_mut().insert(object, mounts.clone());
        mounts
    }

    /// Where the routes of `object` end up, given the objects being expanded and a
    /// budget of expansions (include graphs can branch a lot).
    fn mounts(
        &self,
        object: usize,
        visiting: &mut Vec<usize>,
        budget: &mut usize,
    ) -> Vec<Mount<'a>> {
        let own = Mount {
            prefix: self.prefixes.get(object).cloned().unwrap_or_default(),
            deps: self.own_deps.get(object).cloned().unwrap_or_default(),
            auth: self.own_auth.get(object).cloned().unwrap_or_default(),
            rate_limit: self.own_rate.get(object).cloned().unwrap_or_default(),
            app: None,
        };
        let parents: Vec<&Edge> = self.edges.iter().filter(|e| e.child == object).collect();
        if parents.is_empty() || visiting.len() > MAX_DEPTH || visiting.contains(&object) {
            let app = self.index.built_app(object, &["FastAPI"]);
            return vec![Mount { app, ..own }];
        }
        visiting.push(object);
        let mut out = Vec::new();
        for edge in parents {
            if out.len() >= MAX_MOUNTS || *budget == 0 {
                break;
            }
            *budget -= 1;
            for parent in self.mounts(edge.parent, visiting, budget) {
                if out.len() >= MAX_MOUNTS {
                    break;
                }
                let mut deps = parent.deps;
                deps.extend(edge.deps.iter().cloned());
                deps.extend(own.deps.iter().cloned());
                let mut auth = parent.auth;
                auth.extend(own.auth.iter().cloned());
                let mut rate_limit = parent.rate_limit;
                rate_limit.extend(own.rate_limit.iter().cloned());
                out.push(Mount {
                    prefix: join_paths(&join_paths(&parent.prefix, &edge.prefix), &own.prefix),
                    deps,
                    auth,
                    rate_limit,
                    app: parent.app,
                });
            }
        }
        visiting.pop();
        out
    }

    /// The object a route decorator or `add_api_route` is called on: `Some(Some(o))`
    /// for a known FastAPI object, `Some(None)` for an unknown one in a file that uses
    /// FastAPI (and not Flask), `None` when it is not FastAPI's.
    fn route_object(&self, file: usize, object: Node<'a>) -> Option<Option<usize>> {
        if let Some(o) = self.index.object_of(file, object) {
            return self
                .index
                .objects
                .get(o)
                .filter(|obj| CONSTRUCTORS.contains(&obj.constructor.as_str()))
                .map(|_| Some(o));
        }
        if matches!(
            self.index.resolve(file, object),
            Some(Target::Function(_) | Target::Class(_) | Target::Object(_))
        ) {
            return None;
        }
        (self.index.imports_any(file, &["fastapi"])
            && !self.index.imports_any(file, &["flask", "apiflask"]))
        .then_some(None)
    }

    fn decls(&self) -> Vec<Decl<'a>> {
        let mut out = Vec::new();
        for &(file, decorated) in &self.index.decorated {
            let Some(source) = self.index.source(file) else {
                continue;
            };
            let Some(def) = decorated
                .field("definition")
                .filter(|d| d.kind() == "function_definition")
            else {
                continue;
            };
            for decorator in decorated.named_children() {
                if decorator.kind() != "decorator" {
                    continue;
                }
                let Some(call) = decorator.named_child(0).filter(|c| c.kind() == "call") else {
                    continue;
                };
                let Some(function) = call.field("function").filter(|f| f.kind() == "attribute")
                else {
                    continue;
                };
                let (Some(object), Some(attr)) =
                    (function.field("object"), function.field("attribute"))
                else {
                    continue;
                };
                let attr = text(source, attr);
                let methods = if VERBS.contains(&attr) {
                    Method::from_key(attr).into_iter().collect()
                } else if attr == "api_route" {
                    self.methods_kw(file, call)
                } else {
                    continue;
                };
                let Some(object) = self.route_object(file, object) else {
                    continue;
                };
                let Some(path) =
                    argument(source, call, 0, "path").and_then(|p| self.index.const_str(file, p))
                else {
                    continue;
                };
                out.push(Decl {
                    file,
                    location: decorator,
                    object,
                    path,
                    methods,
                    call,
                    handler: Handler::Function(self.index.function_index(file, def), file, def),
                });
            }
        }
        for MethodCall {
            file, call, object, ..
        } in self.index.calls_to(&["add_api_route", "add_route"])
        {
            let Some(source) = self.index.source(file) else {
                continue;
            };
            let Some(object) = self.route_object(file, object) else {
                continue;
            };
            let Some(path) =
                argument(source, call, 0, "path").and_then(|p| self.index.const_str(file, p))
            else {
                continue;
            };
            let Some(endpoint) = argument(source, call, 1, "endpoint") else {
                continue;
            };
            let handler = self.endpoint(file, source, endpoint);
            out.push(Decl {
                file,
                location: call,
                object,
                path,
                methods: self.methods_kw(file, call),
                call,
                handler,
            });
        }
        // `app.get("/g/{slug}")(serve_page)`: the decorator applied by hand.
        for MethodCall {
            file,
            call,
            object,
            method,
        } in self
            .index
            .calls
            .iter()
            .copied()
            .filter(|c| VERBS.contains(&c.method) || c.method == "api_route")
        {
            let Some(applied) = applied_to(call) else {
                continue;
            };
            let Some(source) = self.index.source(file) else {
                continue;
            };
            // Only on an app or router built in the code: `config.get("x")(default)` is
            // a call like any other.
            let Some(Some(object)) = self.route_object(file, object) else {
                continue;
            };
            let Some(path) =
                argument(source, call, 0, "path").and_then(|p| self.index.const_str(file, p))
            else {
                continue;
            };
            let Some(endpoint) = positional(applied, 0) else {
                continue;
            };
            let handler = self.endpoint(file, source, endpoint);
            let methods = match Method::from_key(method) {
                Some(verb) => vec![verb],
                None => self.methods_kw(file, call),
            };
            out.push(Decl {
                file,
                location: applied,
                object: Some(object),
                path,
                methods,
                call,
                handler,
            });
        }
        out
    }

    /// The function an endpoint expression names, or the expression as written.
    fn endpoint(&self, file: usize, source: &SharedSource, endpoint: Node<'a>) -> Handler<'a> {
        match self.index.resolve(file, endpoint) {
            Some(Target::Function(idx)) => match self.index.function_node(idx) {
                Some((ffile, def)) => Handler::Function(Some(idx), ffile, def),
                None => Handler::Unknown(dotted(source, endpoint)),
            },
            _ => Handler::Unknown(dotted(source, endpoint)),
        }
    }

    /// `methods=[...]`, GET when absent.
    fn methods_kw(&self, file: usize, call: Node<'a>) -> Vec<Method> {
        let methods = self
            .index
            .source(file)
            .and_then(|s| kwarg(s, call, "methods"))
            .map(|m| self.index.methods_of(file, m))
            .unwrap_or_default();
        if methods.is_empty() {
            vec![Method::Get]
        } else {
            methods
        }
    }

    /// Every `Depends(...)`/`Security(...)` in an expression. `annotation` names the
    /// dependency of a bare `Depends()` (the parameter's type).
    fn depends_in(
        &self,
        file: usize,
        node: Node<'a>,
        annotation: Option<Node<'a>>,
    ) -> Vec<Dep<'a>> {
        let mut out = Vec::new();
        let Some(source) = self.index.source(file) else {
            return out;
        };
        node.visit(|n| {
            if n.kind() != "call" {
                return true;
            }
            let name = callee(source, n);
            let last = last_segment(&name);
            if last != "Depends" && last != "Security" {
                return true;
            }
            let target = argument(source, n, 0, "dependency").or(annotation);
            let name = match target {
                Some(t) if t.kind() == "call" => callee(source, t),
                Some(t) => dotted(source, type_base(source, t)),
                None => last.to_string(),
            };
            let optional = target.is_some_and(|t| optional_call(source, t));
            if let Some(location) = self.index.location(file, n) {
                out.push(Dep {
                    name,
                    location,
                    optional,
                    security: last == "Security",
                    file,
                    target: target.map(|t| type_base(source, t)),
                });
            }
            false
        });
        out
    }

    /// A handler's (or dependency's) parameters: dependencies and query parameters.
    fn params(&self, file: usize, def: Node<'a>, path_params: &HashSet<String>) -> Params<'a> {
        let mut out = Params::default();
        let Some(source) = self.index.source(file) else {
            return out;
        };
        let Some(parameters) = def.field("parameters") else {
            return out;
        };
        for p in parameters.named_children() {
            let (name, annotation, default) = match p.kind() {
                "identifier" => (Some(p), None, None),
                "typed_parameter" => (
                    p.named_child(0).filter(|n| n.kind() == "identifier"),
                    p.field("type"),
                    None,
                ),
                "default_parameter" | "typed_default_parameter" => {
                    (p.field("name"), p.field("type"), p.field("value"))
                }
                _ => continue,
            };
            let Some(name) = name.map(|n| text(source, n).to_string()) else {
                continue;
            };
            if matches!(name.as_str(), "self" | "cls" | "request" | "response") {
                continue;
            }
            let mut deps = Vec::new();
            if let Some(d) = default {
                deps.extend(self.depends_in(file, d, annotation));
            }
            if let Some(a) = annotation {
                deps.extend(self.depends_in(file, a, Some(a)));
                deps.extend(self.alias_deps(file, a, p));
            }
            if !deps.is_empty() {
                out.deps.extend(deps);
                continue;
            }
            if path_params.contains(&name) {
                continue;
            }
            if self.is_query(file, annotation, default) {
                if let Some(location) = self.index.location(file, p) {
                    out.query.push((name, location));
                }
            }
        }
        out
    }

    /// `user: CurrentUser` where `CurrentUser = Annotated[User, Depends(...)]`: the
    /// alias's dependencies, located at the parameter.
    fn alias_deps(&self, file: usize, annotation: Node<'a>, param: Node<'a>) -> Vec<Dep<'a>> {
        let annotation = match annotation.kind() {
            "type" => match annotation.named_child(0) {
                Some(a) => a,
                None => return Vec::new(),
            },
            _ => annotation,
        };
        if !matches!(annotation.kind(), "identifier" | "attribute") {
            return Vec::new();
        }
        let Some(Target::Value(vfile, value)) = self.index.resolve(file, annotation) else {
            return Vec::new();
        };
        let Some(location) = self.index.location(file, param) else {
            return Vec::new();
        };
        self.depends_in(vfile, value, None)
            .into_iter()
            .map(|mut d| {
                d.location = location.clone();
                d
            })
            .collect()
    }

    /// Whether a parameter that is neither a dependency nor a path parameter is a query
    /// parameter.
    fn is_query(
        &self,
        file: usize,
        annotation: Option<Node<'a>>,
        default: Option<Node<'a>>,
    ) -> bool {
        let Some(source) = self.index.source(file) else {
            return false;
        };
        const NOT_QUERY: &[&str] = &["Path", "Body", "Form", "File", "Header", "Cookie"];
        // `Annotated[int, Query()]` and friends decide first.
        if let Some(a) = annotation {
            let mut marker = None;
            a.visit(|n| {
                if marker.is_none() && n.kind() == "call" {
                    let name = callee(source, n);
                    let last = last_segment(&name);
                    if last == "Query" || NOT_QUERY.contains(&last) {
                        marker = Some(last == "Query");
                    }
                }
                marker.is_none()
            });
            if let Some(q) = marker {
                return q;
            }
        }
        match default {
            Some(d) if d.kind() == "call" => {
                let name = callee(source, d);
                last_segment(&name) == "Query"
            }
            Some(_) => annotation.is_none_or(|a| !is_container_type(source, a)),
            None => annotation.is_none_or(|a| is_scalar_type(source, a)),
        }
    }

    /// What a dependency does, following it into its definition when its name says
    /// nothing (a dependency that itself depends on the current user authenticates).
    fn classify(&self, dep: &Dep<'a>, depth: usize) -> DepKind {
        let last = last_segment(&dep.name).to_ascii_lowercase();
        let mut kind = DepKind::default();
        if ["ratelimit", "rate_limit", "limiter", "throttl"]
            .iter()
            .any(|w| last.contains(w))
        {
            kind.rate_limit = true;
            return kind;
        }
        if last.contains("pagina")
            || (last.ends_with("params")
                && (last == "params"
                    || ["page", "limit", "offset", "cursor"]
                        .iter()
                        .any(|w| last.contains(w))))
        {
            kind.pagination = true;
            return kind;
        }
        if dep.optional {
            return kind;
        }
        if dep.security || looks_like_auth(&dep.name) {
            kind.auth = true;
            return kind;
        }
        if depth > MAX_DEPTH / 2 {
            return kind;
        }
        let Some(target) = dep.target else {
            return kind;
        };
        let (target, factory) = match target.kind() {
            "call" => match target.field("function") {
                Some(f) => (f, true),
                None => return kind,
            },
            _ => (target, false),
        };
        let idx = match self.index.resolve(dep.file, target) {
            // `Depends(parse_filters(PaymentFilters))`: the dependency is the function
            // the factory returns, and its parameters are the request's.
            Some(Target::Function(idx)) if factory => self.returned_function(idx).unwrap_or(idx),
            Some(Target::Function(idx)) => idx,
            // `guard = Authenticator(...)`, then `Depends(guard)`: the instance is what
            // its constructor makes it.
            Some(Target::Value(file, value)) if value.kind() == "call" => {
                let Some(source) = self.index.source(file) else {
                    return kind;
                };
                let instance = Dep {
                    name: callee(source, value),
                    optional: dep.optional || optional_call(source, value),
                    file,
                    target: Some(value),
                    ..dep.clone()
                };
                return self.classify(&instance, depth + 1);
            }
            _ => return kind,
        };
        if let Some(known) = self.dep_cache.borrow().get(&idx) {
            return *known;
        }
        // Guard against cycles while this one is being worked out.
        self.dep_cache.borrow_mut().insert(idx, DepKind::default());
        if let Some((file, def)) = self.index.function_node(idx) {
            let params = self.params(file, def, &HashSet::new());
            for inner in &params.deps {
                let k = self.classify(inner, depth + 1);
                kind.auth |= k.auth;
                kind.rate_limit |= k.rate_limit;
                kind.pagination |= k.pagination;
            }
            kind.pagination |= params.query.iter().any(|(n, _)| is_pagination_param(n));
        }
        self.dep_cache.borrow_mut().insert(idx, kind);
        kind
    }

    /// The function a dependency factory defines in its body and returns
    /// (`def dependency(limit: int = 20): ...` then `return dependency`).
    fn returned_function(&self, factory: usize) -> Option<usize> {
        let (file, def) = self.index.function_node(factory)?;
        let source = self.index.source(file)?;
        let body = def.field("body")?;
        let returned = body
            .children()
            .filter(|s| s.kind() == "return_statement")
            .find_map(|r| r.named_children().find(|v| v.kind() == "identifier"))
            .map(|name| text(source, name))?;
        body.children()
            .map(|s| match s.kind() {
                "decorated_definition" => s.field("definition").unwrap_or(s),
                _ => s,
            })
            .filter(|s| s.kind() == "function_definition")
            .find(|s| s.field("name").is_some_and(|n| text(source, n) == returned))
            .and_then(|nested| self.index.function_index(file, nested))
    }

    fn routes(&self, decl: &Decl<'a>, out: &mut Vec<Route>) {
        let Some(source) = self.index.source(decl.file) else {
            return;
        };
        let Some(location) = self.index.location(decl.file, decl.location) else {
            return;
        };
        let mounts = match decl.object {
            Some(o) => self.mounts_of(o),
            None => vec![Mount::default()],
        };
        let paths: Vec<(String, &Mount)> = mounts
            .iter()
            .map(|m| (normalise_path(&join_paths(&m.prefix, &decl.path)), m))
            .collect();
        let path_params: HashSet<String> =
            paths.iter().flat_map(|(p, _)| path_parameters(p)).collect();

        // What the route itself declares.
        let mut route_deps = kwarg(source, decl.call, "dependencies")
            .map(|d| self.depends_in(decl.file, d, None))
            .unwrap_or_default();
        let mut query = Vec::new();
        let mut rate_limit = Vec::new();
        let mut decorated_auth = Vec::new();
        let mut pagination = Vec::new();
        let mut public = None;
        let mut collection = None;
        let mut body_collection: Option<BodyCollection> = None;
        let mut is_async = false;
        let mut function = None;
        let handler_name;
        let declared_status =
            kwarg(source, decl.call, "status_code").and_then(|s| status_of(source, s));
        let response_model = kwarg_node(source, decl.call, "response_model");
        if let Some(rm) = response_model {
            let (c, p) =
                self.response_shape(decl.file, rm, kwarg(source, decl.call, "response_model"));
            collection = c;
            pagination.extend(p);
        }
        match &decl.handler {
            Handler::Function(idx, hfile, def) => {
                function = *idx;
                is_async = def.child(0).is_some_and(|c| c.kind() == "async");
                handler_name = idx
                    .and_then(|i| self.index.handler_name(i))
                    .unwrap_or_else(|| {
                        let name = def
                            .field("name")
                            .and_then(|n| self.index.source(*hfile).map(|s| text(s, n)))
                            .unwrap_or_default();
                        format!(
                            "{}.{name}",
                            self.index
                                .source(*hfile)
                                .map_or(String::new(), |s| handler_module(&s.path))
                        )
                    });
                let params = self.params(*hfile, *def, &path_params);
                route_deps.extend(params.deps);
                for (name, loc) in params.query {
                    if is_pagination_param(&name) {
                        pagination.push(Evidence {
                            name: name.clone(),
                            location: loc,
                        });
                    }
                    query.push(name);
                }
                if response_model.is_none() {
                    if let Some(rt) = def.field("return_type") {
                        let (c, p) = self.response_shape(*hfile, rt, Some(rt));
                        collection = c;
                        pagination.extend(p);
                    }
                }
                if collection.is_none() {
                    body_collection = collection_in_body(&self.index, *hfile, *def);
                }
                pagination.extend(paginate_calls(&self.index, *hfile, *def));
                if let Some(hsource) = self.index.source(*hfile) {
                    for (name, node) in decorators(hsource, *def) {
                        if looks_like_rate_limit(&name) {
                            rate_limit.extend(self.index.evidence(*hfile, node, name));
                        } else if looks_public(&name) {
                            if public.is_none() {
                                public = self.index.evidence(*hfile, node, name);
                            }
                        } else if looks_like_auth(&name) || last_segment(&name) == "requires" {
                            // Starlette's `@requires("authenticated")`, a project's
                            // `@login_required`.
                            decorated_auth.extend(self.index.evidence(*hfile, node, name));
                        }
                    }
                }
            }
            Handler::Unknown(name) => {
                handler_name = if name.contains('.') {
                    name.clone()
                } else {
                    format!("{}.{name}", handler_module(&source.path))
                };
            }
        }

        for (path, mount) in paths {
            let mut auth = mount.auth.clone();
            auth.extend(decorated_auth.iter().cloned());
            let mut rate = mount.rate_limit.clone();
            rate.extend(rate_limit.iter().cloned());
            let mut pages = pagination.clone();
            let mut public = public.clone();
            for dep in mount.deps.iter().chain(route_deps.iter()) {
                let kind = self.classify(dep, 0);
                let evidence = Evidence {
                    name: dep.name.clone(),
                    location: dep.location.clone(),
                };
                // `APIRouter(dependencies=[Depends(check_public)])`: open on purpose.
                let public_word = last_segment(&dep.name)
                    .to_ascii_lowercase()
                    .split('_')
                    .any(|w| w == "public");
                if public_word && !kind.auth {
                    public.get_or_insert(evidence);
                    continue;
                }
                if kind.rate_limit {
                    rate.push(evidence);
                } else if kind.pagination && !kind.auth {
                    pages.push(evidence);
                } else if kind.auth {
                    if kind.pagination {
                        pages.push(evidence.clone());
                    }
                    auth.push(evidence);
                }
            }
            for &method in &decl.methods {
                out.push(Route {
                    framework: Framework::Fastapi,
                    method,
                    path: path.clone(),
                    handler: handler_name.clone(),
                    location: location.clone(),
                    function,
                    declared_status,
                    auth: auth.clone(),
                    public: public.clone(),
                    rate_limit: rate.clone(),
                    pagination: pages.clone(),
                    query_params: query.clone(),
                    collection: collection
                        .clone()
                        .or_else(|| body_collection.as_ref()?.for_path(&path)),
                    is_async,
                    app: mount.app.and_then(|o| self.index.app_key(o)),
                });
            }
        }
    }

    /// `list[User]` makes a collection, `Page[User]` a paginated one. `at` is where the
    /// evidence points.
    fn response_shape(
        &self,
        file: usize,
        at: Node<'a>,
        ty: Option<Node<'a>>,
    ) -> (Option<Evidence>, Option<Evidence>) {
        let (Some(source), Some(ty)) = (self.index.source(file), ty) else {
            return (None, None);
        };
        let mut node = ty;
        // Unwrap `Optional[...]` and the `type` wrapper.
        for _ in 0..8 {
            let inner = if node.kind() == "type" {
                node.named_child(0)
            } else if type_name(source, node) == "Optional" {
                type_args(node).into_iter().next()
            } else {
                None
            };
            match inner {
                Some(i) => node = i,
                None => break,
            }
        }
        let base = type_name(source, node);
        if base.is_empty() || !matches!(node.kind(), "subscript" | "generic_type") {
            return (None, None);
        }
        let lower = base.to_ascii_lowercase();
        let name = short_text(source, ty);
        if lower.contains("page") || lower.contains("pagina") {
            return (None, self.index.evidence(file, at, name));
        }
        if matches!(
            base.as_str(),
            "list"
                | "List"
                | "Sequence"
                | "set"
                | "Set"
                | "frozenset"
                | "FrozenSet"
                | "tuple"
                | "Tuple"
                | "Iterable"
        ) {
            return (self.index.evidence(file, at, name), None);
        }
        (None, None)
    }
}

/// The decorators of a definition: dotted name without arguments, and node.
pub(super) fn decorators<'a>(source: &SharedSource, def: Node<'a>) -> Vec<(String, Node<'a>)> {
    let Some(parent) = def.parent().filter(|p| p.kind() == "decorated_definition") else {
        return Vec::new();
    };
    parent
        .named_children()
        .filter(|c| c.kind() == "decorator")
        .filter_map(|d| Some((dotted(source, d.named_child(0)?), d)))
        .collect()
}

/// `{name}` parameters in a normalised path.
fn path_parameters(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// For a type expression `Annotated[User, ...]`, `User`; otherwise the expression
/// itself, without its `type` wrapper.
fn type_base<'a>(source: &SharedSource, node: Node<'a>) -> Node<'a> {
    let node = if node.kind() == "type" {
        node.named_child(0).unwrap_or(node)
    } else {
        node
    };
    if type_name(source, node) == "Annotated" {
        if let Some(first) = type_args(node).first() {
            return match first.kind() {
                "type" => first.named_child(0).unwrap_or(*first),
                _ => *first,
            };
        }
    }
    node
}

/// The base name of a (generic) type: `list` in `list[int]`, `List` in `typing.List[X]`.
fn type_name(source: &SharedSource, node: Node) -> String {
    let node = if node.kind() == "type" {
        match node.named_child(0) {
            Some(n) => n,
            None => return String::new(),
        }
    } else {
        node
    };
    let base = match node.kind() {
        "subscript" => node.field("value"),
        "generic_type" => node.named_child(0),
        _ => Some(node),
    };
    base.map(|b| last_segment(&dotted(source, b)).to_string())
        .unwrap_or_default()
}

/// The arguments of a generic type: `[int]` in `list[int]`.
fn type_args(node: Node) -> Vec<Node> {
    let mut out = Vec::new();
    match node.kind() {
        "subscript" => {
            out.extend(node.children_by_field_name("subscript"));
        }
        "generic_type" => {
            for child in node.named_children() {
                if child.kind() == "type_parameter" {
                    out.extend(child.named_children());
                }
            }
        }
        _ => {}
    }
    out
}

const SCALARS: &[&str] = &[
    "int",
    "str",
    "bool",
    "float",
    "bytes",
    "UUID",
    "Decimal",
    "date",
    "datetime",
    "time",
    "timedelta",
    "EmailStr",
    "Literal",
    "PositiveInt",
    "NonNegativeInt",
    "conint",
    "constr",
];

/// Whether an annotation is a scalar (or an optional scalar): FastAPI reads such
/// parameters from the query string.
fn is_scalar_type(source: &SharedSource, annotation: Node) -> bool {
    let raw: String = text(source, annotation)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut inner = raw.as_str();
    for wrapper in ["Optional[", "typing.Optional[", "Union[", "typing.Union["] {
        if let Some(rest) = inner
            .strip_prefix(wrapper)
            .and_then(|r| r.strip_suffix(']'))
        {
            inner = rest;
            break;
        }
    }
    inner
        .split(['|', ','])
        .filter(|part| *part != "None")
        .all(|part| {
            let base = part.split('[').next().unwrap_or(part);
            SCALARS.contains(&last_segment(base))
        })
}

/// Whether an annotation is a container or mapping (a body, unless `Query()` says so).
fn is_container_type(source: &SharedSource, annotation: Node) -> bool {
    let raw = text(source, annotation).trim_start_matches("Optional[");
    let base = raw.split('[').next().unwrap_or(raw).trim();
    matches!(
        last_segment(base),
        "list" | "List" | "dict" | "Dict" | "set" | "Set" | "tuple" | "Tuple" | "Sequence"
    )
}

/// `status_code=201`, `status.HTTP_201_CREATED`, `HTTPStatus.CREATED`.
pub(super) fn status_of(source: &SharedSource, node: Node) -> Option<u16> {
    match node.kind() {
        "integer" => text(source, node).parse().ok(),
        "identifier" | "attribute" => {
            let name = dotted(source, node);
            let last = last_segment(&name);
            if let Some(rest) = last.strip_prefix("HTTP_") {
                return rest.split('_').next().and_then(|n| n.parse().ok());
            }
            Some(match last {
                "OK" => 200,
                "CREATED" => 201,
                "ACCEPTED" => 202,
                "NO_CONTENT" => 204,
                "MOVED_PERMANENTLY" => 301,
                "FOUND" => 302,
                "SEE_OTHER" => 303,
                "TEMPORARY_REDIRECT" => 307,
                _ => return None,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::python::routes::test_support::{find, method_paths, names, routes_of};

    fn load(files: &[(&str, &str)]) -> Vec<Route> {
        routes_of(files, &[Framework::Fastapi])
    }

    const MAIN: &str = r#"
from fastapi import FastAPI, Depends
from app.api.routes import users
from .api.routes.items import router as items_router
from app.api.deps import verify_api_key

app = FastAPI(dependencies=[Depends(verify_api_key)])
app.include_router(users.router, prefix="/api/v1")
app.include_router(items_router, prefix="/api/v1", tags=["items"])

@app.get("/health")
def health():
    return {"ok": True}
"#;

    const USERS: &str = r#"
from typing import Annotated, List
from fastapi import APIRouter, Depends, Query, status
from app.api.deps import get_current_user, get_db

router = APIRouter(prefix="/users", dependencies=[Depends(get_current_user)])

@router.get("/", response_model=List[User])
async def list_users(db = Depends(get_db), skip: int = 0, limit: int = Query(100), q: str | None = None):
    return db.query(User).offset(skip).limit(limit).all()

@router.post("/", status_code=status.HTTP_201_CREATED)
def create_user(body: UserIn, db = Depends(get_db)):
    return body

@router.api_route("/{user_id}", methods=["GET", "PUT"])
def user(user_id: int, verbose: bool = False):
    return {}

@router.delete("/{user_id:int}", status_code=204)
def delete_user(user_id: int):
    pass
"#;

    const ITEMS: &str = r#"
from fastapi import APIRouter, Depends, Security
from app.api.deps import get_db, CurrentUser

router = APIRouter(prefix="/items")

@router.get("")
def list_items(db = Depends(get_db)):
    items = db.query(Item).all()
    return items

@router.post("")
def create_item(user: CurrentUser):
    return {}

@router.put("/{id}")
def update_item(id: int, user = Security(get_principal, scopes=["items"])):
    return {}

def reindex():
    return {}

router.add_api_route("/reindex", reindex, methods=["POST"])
"#;

    const DEPS: &str = r#"
from typing import Annotated
from fastapi import Depends

def get_db():
    yield None

def get_current_user(token: str = Depends(oauth2_scheme)):
    return None

def verify_api_key():
    pass

CurrentUser = Annotated[User, Depends(get_current_user)]
"#;

    fn app() -> Vec<Route> {
        load(&[
            ("app/main.py", MAIN),
            ("app/api/__init__.py", ""),
            ("app/api/routes/__init__.py", ""),
            ("app/api/routes/users.py", USERS),
            ("app/api/routes/items.py", ITEMS),
            ("app/api/deps.py", DEPS),
        ])
    }

    #[test]
    fn prefixes_resolve_across_files() {
        let routes = app();
        let all = method_paths(&routes);
        assert_eq!(
            all,
            [
                "DELETE /api/v1/users/{user_id}",
                "GET /api/v1/items",
                "GET /api/v1/users",
                "GET /api/v1/users/{user_id}",
                "GET /health",
                "POST /api/v1/items",
                "POST /api/v1/items/reindex",
                "POST /api/v1/users",
                "PUT /api/v1/items/{id}",
                "PUT /api/v1/users/{user_id}",
            ]
        );
        let list = find(&routes, Method::Get, "/api/v1/users");
        assert_eq!(list.handler, "app.api.routes.users.list_users");
        assert!(list.is_async);
        assert!(list.function.is_some());
        let reindex = find(&routes, Method::Post, "/api/v1/items/reindex");
        assert_eq!(reindex.handler, "app.api.routes.items.reindex");
        assert!(reindex.function.is_some());
        assert_eq!(reindex.location.path(), "app/api/routes/items.py");
    }

    #[test]
    fn auth_evidence_from_routers_apps_and_parameters() {
        let routes = app();
        let users = find(&routes, Method::Get, "/api/v1/users");
        assert_eq!(names(&users.auth), ["verify_api_key", "get_current_user"]);
        // `verify_api_key` is declared on the app, in main.py.
        assert_eq!(users.auth[0].location.path(), "app/main.py");
        let items = find(&routes, Method::Get, "/api/v1/items");
        assert_eq!(names(&items.auth), ["verify_api_key"]);
        let create = find(&routes, Method::Post, "/api/v1/items");
        assert_eq!(names(&create.auth), ["verify_api_key", "get_current_user"]);
        // The alias's dependency points at the parameter in the handler.
        assert_eq!(create.auth[1].location.path(), "app/api/routes/items.py");
        let update = find(&routes, Method::Put, "/api/v1/items/{id}");
        assert_eq!(names(&update.auth), ["verify_api_key", "get_principal"]);
    }

    #[test]
    fn a_router_subclass_from_another_module_keeps_its_prefix() {
        let routes = load(&[
            (
                "app/utilities/server.py",
                r#"
from fastapi import APIRouter, FastAPI
class ProjectRouter(APIRouter):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
class TracedRouter(ProjectRouter):
    pass
class Settings:
    pass
"#,
            ),
            (
                "app/api/flows.py",
                r#"
from app.utilities.server import ProjectRouter, Settings
router: ProjectRouter = ProjectRouter(prefix="/flows")
settings = Settings()
@router.get("/{id}")
def read_flow(id: int):
    ...
"#,
            ),
            (
                "app/api/runs.py",
                r#"
from app.utilities import server
router = server.TracedRouter(prefix="/runs")
@router.post("/")
def create_run():
    ...
"#,
            ),
            (
                "app/main.py",
                r#"
from fastapi import FastAPI
from app.api import flows, runs
app = FastAPI()
app.include_router(flows.router, prefix="/api")
app.include_router(runs.router, prefix="/api")
"#,
            ),
        ]);
        let all = method_paths(&routes);
        assert_eq!(all, ["GET /api/flows/{id}", "POST /api/runs"]);
    }

    #[test]
    fn dependencies_that_are_instances_and_guards_count_as_auth() {
        let routes = load(&[
            (
                "app/benefit/auth.py",
                r#"
from typing import Annotated
from fastapi import Depends
from app.authn import Authenticator
_BenefitsWrite = Authenticator(scopes={"benefits:write"})
BenefitsWrite = Annotated[object, Depends(_BenefitsWrite)]
_Optional = Authenticator(auto_error=False)
MaybeUser = Annotated[object, Depends(_Optional)]
"#,
            ),
            (
                "app/benefit/endpoints.py",
                r#"
from fastapi import APIRouter, Depends
from app.authz import OrgPolicyGuard
from . import auth
router = APIRouter(prefix="/benefits")
@router.post("/")
def create(subject: auth.BenefitsWrite):
    ...
@router.delete("/{id}")
def delete(id: int, authz=Depends(OrgPolicyGuard(can_manage))):
    ...
@router.get("/")
def listing(subject: auth.MaybeUser):
    ...
"#,
            ),
        ]);
        assert_eq!(
            names(&find(&routes, Method::Post, "/benefits").auth),
            ["_BenefitsWrite"]
        );
        assert_eq!(
            names(&find(&routes, Method::Delete, "/benefits/{id}").auth),
            ["OrgPolicyGuard"]
        );
        // An instance made not to require credentials is no authentication.
        assert!(find(&routes, Method::Get, "/benefits").auth.is_empty());
    }

    #[test]
    fn status_query_pagination_and_collections() {
        let routes = app();
        let list = find(&routes, Method::Get, "/api/v1/users");
        assert_eq!(list.query_params, ["skip", "limit", "q"]);
        assert_eq!(names(&list.pagination), ["skip", "limit"]);
        assert_eq!(
            list.collection.as_ref().map(|c| c.name.as_str()),
            Some("List[User]")
        );
        assert_eq!(list.declared_status, None);
        let create = find(&routes, Method::Post, "/api/v1/users");
        assert_eq!(create.declared_status, Some(201));
        assert!(create.query_params.is_empty());
        let delete = find(&routes, Method::Delete, "/api/v1/users/{user_id}");
        assert_eq!(delete.declared_status, Some(204));
        assert!(delete.query_params.is_empty());
        let user = find(&routes, Method::Get, "/api/v1/users/{user_id}");
        assert_eq!(user.query_params, ["verbose"]);
        let items = find(&routes, Method::Get, "/api/v1/items");
        assert_eq!(
            items.collection.as_ref().map(|c| c.name.as_str()),
            Some("db.query(Item).all()")
        );
        assert!(items.pagination.is_empty());
        assert!(items.query_params.is_empty());
    }

    #[test]
    fn nested_routers_and_unmounted_ones() {
        let routes = load(&[
            (
                "api/main.py",
                r#"
from fastapi import FastAPI
from api.v1 import api_router
app = FastAPI()
app.include_router(api_router, prefix="/api")
# Included twice by mistake: still one route each.
app.include_router(api_router, prefix="/api")
"#,
            ),
            (
                "api/v1/__init__.py",
                r#"
from fastapi import APIRouter
from . import orders
api_router = APIRouter(prefix="/v1")
api_router.include_router(orders.router, prefix="/orders")
"#,
            ),
            (
                "api/v1/orders.py",
                r#"
from fastapi import APIRouter
router = APIRouter()
orphan = APIRouter(prefix="/orphan")

@router.get("/{order_id}")
def get_order(order_id: str):
    ...

@orphan.get("/x")
def x():
    ...
"#,
            ),
        ]);
        find(&routes, Method::Get, "/api/v1/orders/{order_id}");
        find(&routes, Method::Get, "/orphan/x");
        assert_eq!(routes.len(), 2);
    }

    #[test]
    fn rate_limits_and_pagination_dependencies() {
        let routes = load(&[(
            "svc.py",
            r#"
from fastapi import FastAPI, Depends, Request
from fastapi_limiter.depends import RateLimiter
from fastapi_pagination import Page, Params
from slowapi import Limiter

app = FastAPI()
limiter = Limiter(key_func=get_remote_address)

@app.get("/a", dependencies=[Depends(RateLimiter(times=2, seconds=5))])
def a():
    ...

@app.get("/b")
@limiter.limit("5/minute")
async def b(request: Request):
    ...

@app.get("/c", response_model=Page[Item])
def c(params: Params = Depends()):
    return paginate(items, params)

def parse_filters(model):
    def dependency(request: Request, limit: int | None = None, offset: int | None = None):
        return Filters(model, limit=limit, offset=offset)
    return dependency

def parse_sort(model):
    def dependency(sortby: str | None = None):
        return sortby
    return dependency

@app.get("/payments")
def payments(filters: Filters = Depends(parse_filters(Payment))):
    return db.fetchall(filters)

@app.get("/wallets")
def wallets(sort: str = Depends(parse_sort(Wallet))):
    return db.fetchall(sort)
"#,
        )]);
        let payments = find(&routes, Method::Get, "/payments");
        assert_eq!(names(&payments.pagination), ["parse_filters"]);
        assert!(find(&routes, Method::Get, "/wallets").pagination.is_empty());
        let a = find(&routes, Method::Get, "/a");
        assert_eq!(names(&a.rate_limit), ["RateLimiter"]);
        assert!(a.auth.is_empty());
        let b = find(&routes, Method::Get, "/b");
        assert_eq!(names(&b.rate_limit), ["limiter.limit"]);
        assert!(b.query_params.is_empty());
        let c = find(&routes, Method::Get, "/c");
        assert_eq!(names(&c.pagination), ["Page[Item]", "paginate", "Params"]);
        assert!(c.collection.is_none());
    }

    #[test]
    fn dependencies_are_followed_into_their_definitions() {
        let routes = load(&[(
            "svc.py",
            r#"
from fastapi import FastAPI, Depends
app = FastAPI()

def get_session():
    ...

def owned_item(item_id: int, me = Depends(get_current_user)):
    ...

@app.get("/items/{item_id}")
def read(item_id: int, item = Depends(owned_item), session = Depends(get_session)):
    ...
"#,
        )]);
        let read = find(&routes, Method::Get, "/items/{item_id}");
        assert_eq!(names(&read.auth), ["owned_item"]);
    }

    #[test]
    fn a_route_decorator_applied_by_hand_declares_a_route() {
        let routes = load(&[
            (
                "app/main.py",
                r#"
from fastapi import FastAPI
from app.spa import serve_recipe
app = FastAPI()
router = APIRouter(prefix="/api")

async def serve_index():
    ...

app.get("/g/{group}/r/{slug}", include_in_schema=False)(serve_recipe)
router.api_route("/ping", methods=["GET", "HEAD"])(serve_index)
app.include_router(router)
settings = config.get("settings")(defaults)
"#,
            ),
            (
                "app/spa.py",
                "from fastapi.responses import HTMLResponse\n\nasync def serve_recipe(group: str, slug: str):\n    return HTMLResponse(page)\n",
            ),
        ]);
        assert_eq!(
            method_paths(&routes),
            ["GET /api/ping", "GET /g/{group}/r/{slug}", "HEAD /api/ping"]
        );
        assert_eq!(
            find(&routes, Method::Get, "/g/{group}/r/{slug}").handler,
            "app.spa.serve_recipe"
        );
    }

    #[test]
    fn unrelated_decorators_make_no_routes() {
        let routes = load(&[(
            "app/tasks.py",
            r#"
import pytest
from fastapi import FastAPI
app = FastAPI()

@pytest.fixture
def client():
    ...

@app.exception_handler(404)
def not_found(request, exc):
    ...

@app.on_event("startup")
def startup():
    ...

@app.middleware("http")
async def mw(request, call_next):
    ...

@celery.task
def job():
    ...

@cache.get
def cached():
    ...
"#,
        )]);
        assert!(routes.is_empty(), "{routes:?}");
    }

    /// The Python files of a fixture directory, paths relative to it.
    fn fixture(dir: &str) -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut out = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{d:?}: {e}"));
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|x| x == "py") {
                    let rel = path
                        .strip_prefix(&root)
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                        .unwrap_or_default();
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    out.push((rel, text));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn fixture_app() {
        let files = fixture("fixtures/python/fastapi");
        let pairs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let routes = load(&pairs);
        let mut all: Vec<String> = routes
            .iter()
            .map(|r| format!("{} {} {}", r.method.upper(), r.path, r.handler))
            .collect();
        all.sort();
        assert_eq!(
            all,
            [
                "DELETE /api/v1/items/{item_id} api.routes.items.delete_item",
                "GET /api/v1/items api.routes.items.list_items",
                "GET /api/v1/users api.routes.users.list_users",
                "GET /api/v1/users/{user_id} api.routes.users.get_user",
                "GET /health main.health",
                "POST /api/v1/items api.routes.items.create_item",
                "POST /api/v1/users api.routes.users.create_user",
            ]
        );
        let health = find(&routes, Method::Get, "/health");
        assert!(health.auth.is_empty() && health.is_async);
        let users = find(&routes, Method::Get, "/api/v1/users");
        assert_eq!(names(&users.auth), ["get_current_user"]);
        assert!(users.pagination.is_empty() && users.collection.is_some());
        let created = find(&routes, Method::Post, "/api/v1/users");
        assert_eq!(created.declared_status, Some(201));
        let items = find(&routes, Method::Get, "/api/v1/items");
        assert!(items.auth.is_empty());
        assert_eq!(names(&items.pagination), ["skip", "limit"]);
        assert_eq!(
            items.collection.as_ref().map(|c| c.name.as_str()),
            Some("db.query(Item).offset(skip).limit(limit).all()")
        );
        let create_item = find(&routes, Method::Post, "/api/v1/items");
        assert_eq!(names(&create_item.auth), ["get_current_user"]);
        assert_eq!(create_item.declared_status, None);
        let delete = find(&routes, Method::Delete, "/api/v1/items/{item_id}");
        assert!(delete.auth.is_empty());
        assert_eq!(delete.declared_status, Some(204));
    }

    #[test]
    fn middleware_optional_auth_and_login_forms() {
        let routes = load(&[
            (
                "svc/main.py",
                r#"
from fastapi import FastAPI
from .admin import router as admin_router
from .public import api

app = FastAPI()
app.mount("/internal", api)
app.include_router(admin_router)

@app.middleware("http")
async def check_api_key(request, call_next):
    return await call_next(request)
"#,
            ),
            (
                "svc/admin.py",
                r#"
from fastapi import APIRouter
router = APIRouter(prefix="/admin")

@router.get("/stats")
def stats():
    ...
"#,
            ),
            ("svc/public.py", public_source()),
        ]);
        // The app's HTTP middleware runs for its routers and mounted applications.
        assert_eq!(
            names(&find(&routes, Method::Get, "/admin/stats").auth),
            ["check_api_key"]
        );
        let login = find(&routes, Method::Post, "/internal/login");
        assert_eq!(names(&login.auth), ["check_api_key"]);
        // Login forms, optional users and users looked up by name are no
        // authentication.
        let alone = load(&[("public.py", public_source())]);
        assert!(find(&alone, Method::Post, "/login").auth.is_empty());
        assert!(find(&alone, Method::Get, "/feed").auth.is_empty());
        assert!(find(&alone, Method::Get, "/profiles/{username}")
            .auth
            .is_empty());
    }

    fn public_source() -> &'static str {
        r#"
from fastapi import FastAPI, Depends
from fastapi.security import OAuth2PasswordRequestForm
api = FastAPI()

@api.post("/login")
def login(form: OAuth2PasswordRequestForm = Depends()):
    ...

@api.get("/feed")
def feed(user = Depends(get_current_user_authorizer(required=False))):
    ...

@api.get("/profiles/{username}")
def profile(profile = Depends(get_profile_by_username)):
    ...
"#
    }

    #[test]
    fn cycles_lattices_and_broken_code_terminate() {
        let mut lattice = String::from("from fastapi import FastAPI, APIRouter\napp = FastAPI()\n");
        for level in 0..14 {
            for i in 0..3 {
                lattice.push_str(&format!("r{level}_{i} = APIRouter(prefix=\"/l{level}\")\n"));
                for j in 0..3 {
                    if level == 0 {
                        lattice.push_str(&format!("app.include_router(r0_{i})\n"));
                        break;
                    }
                    lattice.push_str(&format!(
                        "r{}_{j}.include_router(r{level}_{i})\n",
                        level - 1
                    ));
                }
            }
        }
        lattice.push_str("@r13_0.get(\"/leaf\")\ndef leaf():\n    ...\n");
        let deep = format!(
            "@{}.get(\"/deep\")\ndef deep():\n    ...\n",
            vec!["x"; 3000].join(".")
        );
        let start = std::time::Instant::now();
        let routes = load(&[
            ("lattice.py", &lattice),
            (
                "a.py",
                "from fastapi import APIRouter\nfrom b import *\nfrom c import *\nrouter = APIRouter()\nrouter.include_router(other)\nother = APIRouter()\nother.include_router(router)\n@router.get(PATH)\ndef a():\n    ...\n@other.get('/o')\ndef o():\n    ...\n",
            ),
            ("b.py", "from a import *\nfrom c import *\n"),
            ("c.py", "from a import *\nfrom b import *\n"),
            ("deep.py", &format!("from fastapi import FastAPI\n{deep}")),
            (
                "broken.py",
                "from fastapi import FastAPI\napp = FastAPI()\n@app.get(\"/x\"\ndef f(:\n    return\n@app.post('/y')\ndef g(): pass\n",
            ),
        ]);
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
        let leaves = routes
            .iter()
            .filter(|r| r.handler == "lattice.leaf")
            .count();
        assert!((1..=MAX_MOUNTS).contains(&leaves), "{leaves}");
        assert!(routes.iter().any(|r| r.handler == "a.o"));
        assert!(routes.iter().any(|r| r.path == "/deep"));
    }

    #[test]
    fn settings_prefixes_and_fstrings() {
        let routes = load(&[
            (
                "core/config.py",
                r#"
class Settings:
    API_V1_STR: str = "/api/v1"
settings = Settings()
"#,
            ),
            (
                "main.py",
                r#"
from fastapi import FastAPI, APIRouter
from core.config import settings
BASE = "/things"
app = FastAPI()
router = APIRouter()
@router.get(f"{BASE}/{{thing_id}}")
def thing(thing_id: int):
    ...
app.include_router(router, prefix=settings.API_V1_STR)
"#,
            ),
        ]);
        find(&routes, Method::Get, "/api/v1/things/{thing_id}");
    }
}
