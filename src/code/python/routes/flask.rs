//! Routes declared with Flask: `@app.route(...)`, `@bp.get(...)` and friends on
//! `Flask()` and `Blueprint()` objects, `add_url_rule` with view functions or
//! `MethodView.as_view(...)`, blueprint prefixes resolved through `register_blueprint`
//! chains across files (a `url_prefix` given at registration replaces the blueprint's
//! own), Flask-RESTful and flask-restx resources on an `Api` or a namespace, and the
//! evidence rules need: auth decorators and `before_request` guards, rate limits,
//! pagination, query parameters read from `request.args`, collections.

use std::collections::HashSet;

use crate::code::tree::Node;

use super::fastapi::{
    applied_to, argument, callee, collection_in_body, decorator_guards, decorators, handler_module,
    is_pagination_param, kwarg, last_segment, looks_like_auth, looks_like_guard,
    looks_like_rate_limit, looks_public, paginate_calls, positional, status_of, BodyCollection,
    Index, MethodCall, Target,
};
use super::{join_paths, normalise_path};
use crate::code::python::facts::{dotted, text};
use crate::code::python::ParsedFile;
use crate::model::code::{CodeModel, Evidence, Framework, Route};
use crate::model::Method;

const MAX_DEPTH: usize = 12;
const MAX_MOUNTS: usize = 64;
/// Expansions of the registration graph per blueprint.
const MOUNT_BUDGET: usize = 4096;

/// `Limiter` objects are indexed too, for their `default_limits`.
const CONSTRUCTORS: &[&str] = &[
    "Flask",
    "APIFlask",
    "Blueprint",
    "APIBlueprint",
    "Limiter",
    "Api",
    "Namespace",
    "namespace",
];
/// Constructors of whole applications, which serve the routes registered on them.
const APPS: &[&str] = &["Flask", "APIFlask"];

const FRAMEWORK_OBJECTS: &[&str] = &[
    "Flask",
    "APIFlask",
    "Blueprint",
    "APIBlueprint",
    "Api",
    "Namespace",
    "namespace",
];
/// Flask-RESTful's and flask-restx's `Api`, and flask-restx's namespaces (made with
/// `Namespace(...)` or `api.namespace(...)`), on which resources are routed.
const RESOURCE_OBJECTS: &[&str] = &["Api", "Namespace", "namespace"];
const ROUTE_ATTRS: &[&str] = &["route", "get", "post", "put", "patch", "delete"];
/// Methods a `MethodView` answers by defining a method of that name.
const VIEW_METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];

struct Edge {
    parent: usize,
    child: usize,
    /// `url_prefix=` at registration, replacing the blueprint's own.
    prefix: Option<String>,
}

#[derive(Clone, Default)]
struct Mount {
    prefix: String,
    auth: Vec<Evidence>,
    rate_limit: Vec<Evidence>,
    /// The `Flask()` object the mount ends at, if it is built in the code.
    app: Option<usize>,
}

/// A method of a class-based view: model index, file, definition.
type ViewMethod<'a> = (usize, usize, Node<'a>);

#[derive(Clone)]
enum View<'a> {
    /// A view function: model index when known, its file and definition.
    Function(Option<usize>, usize, Node<'a>),
    /// A class-based view (index into the index's classes).
    Class(usize),
    Unknown(String),
}

/// A route before prefixes are applied.
struct Decl<'a> {
    file: usize,
    location: Node<'a>,
    object: Option<usize>,
    rule: String,
    /// `None`: the view's default (GET for a function, the defined methods for a class).
    methods: Option<Vec<Method>>,
    view: View<'a>,
}

/// What one handler function says.
#[derive(Default)]
struct HandlerFacts {
    function: Option<usize>,
    handler: String,
    is_async: bool,
    auth: Vec<Evidence>,
    public: Option<Evidence>,
    rate_limit: Vec<Evidence>,
    pagination: Vec<Evidence>,
    query_params: Vec<String>,
    collection: Option<BodyCollection>,
    declared_status: Option<u16>,
}

struct Flask<'a> {
    index: Index<'a>,
    own_prefix: Vec<Option<String>>,
    guards: Vec<Vec<Evidence>>,
    limits: Vec<Vec<Evidence>>,
    edges: Vec<Edge>,
    mount_cache: std::cell::RefCell<std::collections::HashMap<usize, Vec<Mount>>>,
}

/// The files indexed for Flask (in parallel), when the project imports it or an
/// extension.
pub(super) fn index<'a>(files: &'a [ParsedFile], model: &'a CodeModel) -> Option<Index<'a>> {
    if !model.imports_any(&[
        "flask",
        "apiflask",
        "flask_smorest",
        "flask_restful",
        "flask_restx",
    ]) {
        return None;
    }
    Some(Index::build(files, model, CONSTRUCTORS))
}

/// The routes across the indexed files: a serial walk of blueprints and their
/// registrations.
pub(super) fn resolve(index: Index<'_>) -> Vec<Route> {
    let count = index.objects.len();
    let mut flask = Flask {
        index,
        own_prefix: Vec::new(),
        guards: vec![Vec::new(); count],
        limits: vec![Vec::new(); count],
        edges: Vec::new(),
        mount_cache: Default::default(),
    };
    flask.objects();
    flask.guards();
    flask.default_limits();
    flask.edges();
    let mut routes = Vec::new();
    for decl in flask.decls() {
        flask.routes(&decl, &mut routes);
    }
    routes
}

impl<'a> Flask<'a> {
    fn is_framework_object(&self, object: usize) -> bool {
        self.index
            .objects
            .get(object)
            .is_some_and(|o| FRAMEWORK_OBJECTS.contains(&o.constructor.as_str()))
    }

    /// A rule as written, or passed through a helper of the project's that decorates it
    /// (`org_scoped_rule("/login")` adds an optional organisation prefix): the rule it
    /// is given is the route's own part.
    fn rule_text(&self, file: usize, rule: Node<'a>) -> Option<String> {
        if let Some(text) = self.index.const_str(file, rule) {
            return Some(text);
        }
        if rule.kind() != "call" || rule.field("function")?.kind() != "identifier" {
            return None;
        }
        let arguments = rule.field("arguments")?;
        let mut args = arguments.named_children();
        let only = args.next().filter(|_| args.next().is_none())?;
        self.index
            .const_str(file, only)
            .filter(|r| r.starts_with('/'))
    }

    /// A Flask object by expression, if it is one.
    fn flask_object(&self, file: usize, node: Node<'a>) -> Option<usize> {
        self.index
            .object_of(file, node)
            .filter(|&o| self.is_framework_object(o))
    }

    fn objects(&mut self) {
        self.own_prefix = self
            .index
            .objects
            .iter()
            .map(|o| {
                let source = self.index.source(o.file)?;
                match o.constructor.as_str() {
                    "Api" => kwarg(source, o.call, "prefix")
                        .and_then(|p| self.index.const_str(o.file, p)),
                    // A namespace's path defaults to its name.
                    "Namespace" | "namespace" => match kwarg(source, o.call, "path") {
                        Some(path) => self.index.const_str(o.file, path),
                        None => argument(source, o.call, 0, "name")
                            .and_then(|n| self.index.const_str(o.file, n))
                            .map(|name| format!("/{name}")),
                    },
                    _ => kwarg(source, o.call, "url_prefix")
                        .and_then(|p| self.index.const_str(o.file, p)),
                }
            })
            .collect();
    }

    /// `@bp.before_request` / `bp.before_request(f)` functions that authenticate.
    fn guards(&mut self) {
        let mut found: Vec<(usize, Evidence)> = Vec::new();
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
                if !matches!(
                    last_segment(&decorator),
                    "before_request" | "before_app_request"
                ) {
                    continue;
                }
                let Some(object) = node
                    .named_child(0)
                    .filter(|e| e.kind() == "attribute")
                    .and_then(|e| e.field("object"))
                    .and_then(|o| self.flask_object(file, o))
                else {
                    continue;
                };
                if looks_like_guard(&self.index, file, def, name) {
                    found.extend(self.index.evidence(file, node, name).map(|e| (object, e)));
                }
            }
        }
        for MethodCall {
            file, call, object, ..
        } in self
            .index
            .calls_to(&["before_request", "before_app_request"])
        {
            let Some(object) = self.flask_object(file, object) else {
                continue;
            };
            let Some(f) = positional(call, 0) else {
                continue;
            };
            let Some(Target::Function(idx)) = self.index.resolve(file, f) else {
                continue;
            };
            let Some((ffile, def)) = self.index.function_node(idx) else {
                continue;
            };
            let name = self
                .index
                .model
                .functions
                .get(idx)
                .map_or(String::new(), |f| f.name.clone());
            if looks_like_guard(&self.index, ffile, def, &name) {
                found.extend(self.index.evidence(file, call, name).map(|e| (object, e)));
            }
        }
        // `Api(app, decorators=[login_required])`, `Namespace("x", decorators=[...])`:
        // applied to every resource routed on them.
        for (id, o) in self.index.objects.iter().enumerate() {
            if !RESOURCE_OBJECTS.contains(&o.constructor.as_str()) {
                continue;
            }
            let Some(source) = self.index.source(o.file) else {
                continue;
            };
            let Some(list) = kwarg(source, o.call, "decorators") else {
                continue;
            };
            for element in list.named_children() {
                let name = decorator_name(source, element);
                if looks_like_auth(&name) {
                    found.extend(self.index.evidence(o.file, element, name).map(|e| (id, e)));
                }
            }
        }
        for (object, evidence) in found {
            if let Some(list) = self.guards.get_mut(object) {
                list.push(evidence);
            }
        }
    }

    /// Flask-Limiter's `Limiter(..., app=app, default_limits=[...])`, or the same limiter
    /// attached with `limiter.init_app(app)`: every route of the app is limited.
    fn default_limits(&mut self) {
        let mut found: Vec<(usize, Evidence)> = Vec::new();
        for (id, o) in self.index.objects.iter().enumerate() {
            if o.constructor != "Limiter" {
                continue;
            }
            let Some(source) = self.index.source(o.file) else {
                continue;
            };
            let Some(defaults) = kwarg(source, o.call, "default_limits") else {
                continue;
            };
            let Some(evidence) = defaults
                .parent()
                .and_then(|kw| self.index.evidence(o.file, kw, "default_limits"))
            else {
                continue;
            };
            let mut apps: Vec<usize> = kwarg(source, o.call, "app")
                .or_else(|| positional(o.call, 0))
                .and_then(|a| self.flask_object(o.file, a))
                .into_iter()
                .collect();
            for MethodCall {
                file, call, object, ..
            } in self.index.calls_to(&["init_app"])
            {
                if self.index.object_of(file, object) != Some(id) {
                    continue;
                }
                apps.extend(
                    argument(self.index.source(file).unwrap_or(source), call, 0, "app")
                        .and_then(|a| self.flask_object(file, a)),
                );
            }
            for app in apps {
                found.push((app, evidence.clone()));
            }
        }
        for (object, evidence) in found {
            if let Some(list) = self.limits.get_mut(object) {
                list.push(evidence);
            }
        }
    }

    /// `parent.register_blueprint(child, url_prefix=...)`.
    fn edges(&mut self) {
        let mut edges = Vec::new();
        for MethodCall {
            file, call, object, ..
        } in self.index.calls_to(&["register_blueprint"])
        {
            let Some(source) = self.index.source(file) else {
                continue;
            };
            let Some(parent) = self.flask_object(file, object) else {
                continue;
            };
            let Some(child) = argument(source, call, 0, "blueprint") else {
                continue;
            };
            let prefix =
                kwarg(source, call, "url_prefix").and_then(|p| self.index.const_str(file, p));
            for child in self.blueprints_of(file, child) {
                if child != parent {
                    edges.push(Edge {
                        parent,
                        child,
                        prefix: prefix.clone(),
                    });
                }
            }
        }
        self.resource_edges(&mut edges);
        self.edges = edges;
    }

    /// The blueprints an expression stands for: one object, or, for the variable of a
    /// `for` loop over a list of them (`for bp in BLUEPRINTS: app.register_blueprint(bp)`),
    /// each of the list's.
    fn blueprints_of(&self, file: usize, node: Node<'a>) -> Vec<usize> {
        if let Some(o) = self.flask_object(file, node) {
            return vec![o];
        }
        let Some(source) = self.index.source(file) else {
            return Vec::new();
        };
        if node.kind() != "identifier" {
            return Vec::new();
        }
        let name = text(source, node);
        let mut current = node.parent();
        while let Some(n) = current {
            if n.kind() == "function_definition" || n.kind() == "class_definition" {
                break;
            }
            let loops_over_it = n.kind() == "for_statement"
                && n.field("left").is_some_and(|l| text(source, l) == name);
            if !loops_over_it {
                current = n.parent();
                continue;
            }
            let Some(iterable) = n.field("right") else {
                break;
            };
            let (list_file, list) = match iterable.kind() {
                "list" | "tuple" => (file, iterable),
                _ => match self.index.resolve(file, iterable) {
                    Some(Target::Value(vfile, value))
                        if matches!(value.kind(), "list" | "tuple") =>
                    {
                        (vfile, value)
                    }
                    _ => break,
                },
            };
            return list
                .named_children()
                .filter_map(|element| self.flask_object(list_file, element))
                .collect();
        }
        Vec::new()
    }

    /// Flask-RESTful and flask-restx: `Api(app_or_blueprint)` or `api.init_app(...)`
    /// puts an `Api` on an app; `api.add_namespace(ns, "/path")` and
    /// `ns = api.namespace("name")` put a namespace on an `Api`.
    fn resource_edges(&self, edges: &mut Vec<Edge>) {
        let is = |object: usize, kinds: &[&str]| {
            self.index
                .objects
                .get(object)
                .is_some_and(|o| kinds.contains(&o.constructor.as_str()))
        };
        for (child, o) in self.index.objects.iter().enumerate() {
            let Some(source) = self.index.source(o.file) else {
                continue;
            };
            let parent = match o.constructor.as_str() {
                "Api" if !o.is_parameter() => kwarg(source, o.call, "app")
                    .or_else(|| positional(o.call, 0))
                    .and_then(|a| self.flask_object(o.file, a)),
                "namespace" => o
                    .call
                    .field("function")
                    .and_then(|f| f.field("object"))
                    .and_then(|api| self.flask_object(o.file, api))
                    .filter(|&api| is(api, &["Api"])),
                _ => None,
            };
            if let Some(parent) = parent.filter(|&p| p != child) {
                edges.push(Edge {
                    parent,
                    child,
                    prefix: None,
                });
            }
        }
        for MethodCall {
            file,
            call,
            object,
            method,
        } in self.index.calls_to(&["init_app", "add_namespace"])
        {
            let Some(source) = self.index.source(file) else {
                continue;
            };
            let Some(api) = self
                .flask_object(file, object)
                .filter(|&api| is(api, &["Api"]))
            else {
                continue;
            };
            let edge = if method == "init_app" {
                argument(source, call, 0, "app")
                    .and_then(|a| self.flask_object(file, a))
                    .map(|app| (app, api, None))
            } else {
                argument(source, call, 0, "ns")
                    .and_then(|n| self.flask_object(file, n))
                    .filter(|&ns| is(ns, &["Namespace", "namespace"]))
                    .map(|ns| {
                        let path = argument(source, call, 1, "path")
                            .and_then(|p| self.index.const_str(file, p));
                        (api, ns, path)
                    })
            };
            if let Some((parent, child, prefix)) = edge.filter(|(p, c, _)| p != c) {
                edges.push(Edge {
                    parent,
                    child,
                    prefix,
                });
            }
        }
    }

    /// `object.attr(...)`: the object expression and the attribute.
    /// Where the routes of `object` end up: one mount per chain of registrations.
    fn mounts_of(&self, object: usize) -> Vec<Mount> {
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
    fn mounts(&self, object: usize, visiting: &mut Vec<usize>, budget: &mut usize) -> Vec<Mount> {
        let own_prefix = self.own_prefix.get(object).cloned().flatten();
        let own_auth = self.guards.get(object).cloned().unwrap_or_default();
        let own_limits = self.limits.get(object).cloned().unwrap_or_default();
        let parents: Vec<&Edge> = self.edges.iter().filter(|e| e.child == object).collect();
        if parents.is_empty() || visiting.len() > MAX_DEPTH || visiting.contains(&object) {
            let app = self.index.built_app(object, APPS);
            return vec![Mount {
                prefix: own_prefix.unwrap_or_default(),
                auth: own_auth,
                rate_limit: own_limits,
                app,
            }];
        }
        visiting.push(object);
        let mut out = Vec::new();
        for edge in parents {
            let prefix = edge
                .prefix
                .clone()
                .or_else(|| own_prefix.clone())
                .unwrap_or_default();
            if out.len() >= MAX_MOUNTS || *budget == 0 {
                break;
            }
            *budget -= 1;
            for parent in self.mounts(edge.parent, visiting, budget) {
                if out.len() >= MAX_MOUNTS {
                    break;
                }
                let mut auth = parent.auth;
                auth.extend(own_auth.iter().cloned());
                let mut rate_limit = parent.rate_limit;
                rate_limit.extend(own_limits.iter().cloned());
                out.push(Mount {
                    prefix: join_paths(&parent.prefix, &prefix),
                    auth,
                    rate_limit,
                    app: parent.app,
                });
            }
        }
        visiting.pop();
        out
    }

    /// The object a route decorator or `add_url_rule` is called on: `Some(Some(o))` for
    /// a known Flask object, `Some(None)` for an unknown one in a file that uses Flask
    /// (and not FastAPI), `None` when it is not Flask's.
    fn route_object(&self, file: usize, object: Node<'a>) -> Option<Option<usize>> {
        if let Some(o) = self.index.object_of(file, object) {
            return self.is_framework_object(o).then_some(Some(o));
        }
        if matches!(
            self.index.resolve(file, object),
            Some(Target::Function(_) | Target::Class(_) | Target::Object(_))
        ) {
            return None;
        }
        (self
            .index
            .imports_any(file, &["flask", "apiflask", "flask_smorest"])
            && !self.index.imports_any(file, &["fastapi"]))
        .then_some(None)
    }

    fn decls(&self) -> Vec<Decl<'a>> {
        let mut out = Vec::new();
        for &(file, decorated) in &self.index.decorated {
            let Some(source) = self.index.source(file) else {
                continue;
            };
            let Some(definition) = decorated.field("definition") else {
                continue;
            };
            let view = match definition.kind() {
                "function_definition" => View::Function(
                    self.index.function_index(file, definition),
                    file,
                    definition,
                ),
                "class_definition" => match self.index.class_index(file, definition) {
                    Some(c) => View::Class(c),
                    None => continue,
                },
                _ => continue,
            };
            for decorator in decorated.named_children() {
                if decorator.kind() != "decorator" {
                    continue;
                }
                let Some(call) = decorator.named_child(0).filter(|c| c.kind() == "call") else {
                    continue;
                };
                let Some((object, attr)) = self.index.method_call(file, call) else {
                    continue;
                };
                if !ROUTE_ATTRS.contains(&attr) {
                    continue;
                }
                let object = if matches!(view, View::Class(_)) {
                    // Classes are routed by known objects only (flask-smorest).
                    match self.flask_object(file, object) {
                        Some(o) => Some(o),
                        None => continue,
                    }
                } else {
                    match self.route_object(file, object) {
                        Some(o) => o,
                        None => continue,
                    }
                };
                let Some(rule) =
                    argument(source, call, 0, "rule").and_then(|r| self.rule_text(file, r))
                else {
                    continue;
                };
                let methods = self.route_methods(file, call, attr);
                // flask-restx routes a resource on every URL given: `@ns.route("/a", "/b")`.
                let mut rules = vec![rule];
                if matches!(view, View::Class(_)) {
                    rules.extend(
                        (1..)
                            .map_while(|i| positional(call, i))
                            .filter_map(|u| self.index.const_str(file, u)),
                    );
                }
                for rule in rules {
                    out.push(Decl {
                        file,
                        location: decorator,
                        object,
                        rule,
                        methods: methods.clone(),
                        view: view.clone(),
                    });
                }
            }
        }
        self.resource_decls(&mut out);
        // `app.route("/ping")(ping)`: the decorator applied by hand.
        for &MethodCall {
            file,
            call,
            object,
            method,
        } in &self.index.calls
        {
            if !ROUTE_ATTRS.contains(&method) {
                continue;
            }
            let Some(applied) = applied_to(call) else {
                continue;
            };
            let Some(source) = self.index.source(file) else {
                continue;
            };
            // Only on a known app or blueprint, and with a URL: `config.get("KEY")(data)`
            // is no route.
            let Some(object) = self.flask_object(file, object) else {
                continue;
            };
            let (Some(rule), Some(view)) = (
                argument(source, call, 0, "rule")
                    .and_then(|r| self.index.const_str(file, r))
                    .filter(|r| r.starts_with('/')),
                positional(applied, 0),
            ) else {
                continue;
            };
            let methods = self.route_methods(file, call, method);
            out.push(Decl {
                file,
                location: applied,
                object: Some(object),
                rule,
                methods,
                view: self.view_of(file, view),
            });
        }
        for MethodCall {
            file, call, object, ..
        } in self.index.calls_to(&["add_url_rule"])
        {
            let Some(source) = self.index.source(file) else {
                continue;
            };
            let Some(object) = self.route_object(file, object) else {
                continue;
            };
            let Some(rule) =
                argument(source, call, 0, "rule").and_then(|r| self.rule_text(file, r))
            else {
                continue;
            };
            let Some(view) = argument(source, call, 2, "view_func") else {
                continue;
            };
            let view = self.view_of(file, view);
            let methods = kwarg(source, call, "methods").map(|m| self.index.methods_of(file, m));
            out.push(Decl {
                file,
                location: call,
                object,
                rule,
                methods,
                view,
            });
        }
        out
    }

    /// The methods a route call declares: `methods=[...]` of `route(...)`, the verb of
    /// `get(...)`, `post(...)`, ...; `None` for the view's default.
    fn route_methods(&self, file: usize, call: Node<'a>, attr: &str) -> Option<Vec<Method>> {
        if attr == "route" {
            let source = self.index.source(file)?;
            kwarg(source, call, "methods").map(|m| self.index.methods_of(file, m))
        } else {
            Method::from_key(attr).map(|m| vec![m])
        }
    }

    /// `api.add_resource(UserResource, "/users/<id>", "/u/<id>")`, and a project's own
    /// wrapper of it on an `Api` subclass (`api.add_org_resource(...)`): one route per
    /// URL, the resource's methods as for a `MethodView`.
    fn resource_decls(&self, out: &mut Vec<Decl<'a>>) {
        let adds_resource =
            |m: &str| m == "add_resource" || (m.starts_with("add_") && m.ends_with("_resource"));
        for &MethodCall {
            file,
            call,
            object,
            method,
        } in &self.index.calls
        {
            if !adds_resource(method) {
                continue;
            }
            let Some(source) = self.index.source(file) else {
                continue;
            };
            let Some(object) = self.flask_object(file, object).filter(|&o| {
                self.index
                    .objects
                    .get(o)
                    .is_some_and(|o| RESOURCE_OBJECTS.contains(&o.constructor.as_str()))
            }) else {
                continue;
            };
            let Some(resource) = positional(call, 0) else {
                continue;
            };
            let view = match self.index.resolve(file, resource) {
                Some(Target::Class(c)) => View::Class(c),
                _ => View::Unknown(dotted(source, resource)),
            };
            for index in 1.. {
                let Some(url) = positional(call, index) else {
                    break;
                };
                let Some(rule) = self.index.const_str(file, url) else {
                    continue;
                };
                out.push(Decl {
                    file,
                    location: call,
                    object: Some(object),
                    rule,
                    methods: None,
                    view: view.clone(),
                });
            }
        }
    }

    /// What `view_func=` names: a function, `UserAPI.as_view("users")`, or a name
    /// assigned such a call.
    fn view_of(&self, file: usize, view: Node<'a>) -> View<'a> {
        let Some(source) = self.index.source(file) else {
            return View::Unknown(String::new());
        };
        let unknown = || View::Unknown(dotted(source, view));
        let as_view_class = |file: usize, call: Node<'a>| -> Option<usize> {
            let function = call.field("function").filter(|f| f.kind() == "attribute")?;
            let attr = function.field("attribute")?;
            if self.index.source(file).map(|s| text(s, attr)) != Some("as_view") {
                return None;
            }
            match self.index.resolve(file, function.field("object")?)? {
                Target::Class(c) => Some(c),
                _ => None,
            }
        };
        match view.kind() {
            "call" => as_view_class(file, view).map_or_else(unknown, View::Class),
            "identifier" | "attribute" => match self.index.resolve(file, view) {
                Some(Target::Function(idx)) => match self.index.function_node(idx) {
                    Some((ffile, def)) => View::Function(Some(idx), ffile, def),
                    None => unknown(),
                },
                Some(Target::Value(vfile, value)) if value.kind() == "call" => {
                    as_view_class(vfile, value).map_or_else(unknown, View::Class)
                }
                _ => self
                    .index
                    .assigned_call(file, text(source, view))
                    .and_then(|call| as_view_class(file, call))
                    .map_or_else(unknown, View::Class),
            },
            _ => unknown(),
        }
    }

    /// A class's methods (name, model index, file, definition), the class's own first,
    /// then those of its scanned base classes.
    fn class_methods(&self, class: usize) -> Vec<(String, usize, usize, Node<'a>)> {
        let mut out: Vec<(String, usize, usize, Node<'a>)> = Vec::new();
        let mut seen = HashSet::new();
        let mut queue = vec![class];
        while let Some(c) = queue.pop() {
            if !seen.insert(c) || seen.len() > 8 {
                continue;
            }
            let Some(info) = self.index.classes.get(c) else {
                continue;
            };
            for (name, idx, def) in &info.methods {
                if !out.iter().any(|(n, ..)| n == name) {
                    out.push((name.clone(), *idx, info.file, *def));
                }
            }
            queue.extend(self.bases(c));
        }
        out
    }

    fn bases(&self, class: usize) -> Vec<usize> {
        let Some(info) = self.index.classes.get(class) else {
            return Vec::new();
        };
        let Some(superclasses) = info.node.field("superclasses") else {
            return Vec::new();
        };
        let nodes: Vec<Node> = superclasses.named_children().collect();
        nodes
            .into_iter()
            .filter_map(|n| match self.index.resolve(info.file, n) {
                Some(Target::Class(b)) => Some(b),
                _ => None,
            })
            .rev()
            .collect()
    }

    /// The class attribute `name` (`decorators = [...]`, `methods = [...]`), from the
    /// class or its scanned bases.
    fn class_attr(&self, class: usize, name: &str) -> Option<(usize, Node<'a>)> {
        let mut seen = HashSet::new();
        let mut queue = vec![class];
        while let Some(c) = queue.pop() {
            if !seen.insert(c) || seen.len() > 8 {
                continue;
            }
            let info = self.index.classes.get(c)?;
            let source = self.index.source(info.file)?;
            if let Some(body) = info.node.field("body") {
                for statement in body.named_children() {
                    let Some(assignment) = statement.named_child(0).filter(|a| {
                        statement.kind() == "expression_statement" && a.kind() == "assignment"
                    }) else {
                        continue;
                    };
                    let (Some(left), Some(right)) =
                        (assignment.field("left"), assignment.field("right"))
                    else {
                        continue;
                    };
                    if text(source, left) == name {
                        return Some((info.file, right));
                    }
                }
            }
            queue.extend(self.bases(c));
        }
        None
    }

    /// The (method, handler function) pairs of a class-based view.
    fn class_routes(
        &self,
        class: usize,
        methods: Option<&Vec<Method>>,
    ) -> Vec<(Method, ViewMethod<'a>)> {
        let defined = self.class_methods(class);
        let find = |name: &str| {
            defined
                .iter()
                .find(|(n, ..)| n == name)
                .map(|(_, idx, file, def)| (*idx, *file, *def))
        };
        let dispatch = find("dispatch_request");
        let declared: Option<Vec<Method>> = methods.cloned().or_else(|| {
            let (file, node) = self.class_attr(class, "methods")?;
            let m = self.index.methods_of(file, node);
            (!m.is_empty()).then_some(m)
        });
        match declared {
            Some(list) => list
                .into_iter()
                .filter_map(|m| {
                    let handler = find(m.key()).or(dispatch);
                    handler.map(|h| (m, h))
                })
                .collect(),
            None => {
                let own: Vec<_> = VIEW_METHODS
                    .iter()
                    .filter_map(|v| Some((Method::from_key(v)?, find(v)?)))
                    .collect();
                if own.is_empty() {
                    dispatch.map(|h| (Method::Get, h)).into_iter().collect()
                } else {
                    own
                }
            }
        }
    }

    /// The decorators a class attribute's value lists, with the file of each:
    /// `[login_required]`, `Base.decorators + [limiter.limit(...)]`, and Flask-RESTful's
    /// `{"get": [...], "post": [...]}` (of which only `method`'s list).
    fn listed_decorators(
        &self,
        file: usize,
        value: Node<'a>,
        method: Method,
        depth: usize,
        out: &mut Vec<(usize, Node<'a>)>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        match value.kind() {
            "list" | "tuple" => out.extend(value.named_children().map(|e| (file, e))),
            // By method: only the method's own list applies to it.
            "dictionary" => {
                for pair in value.named_children() {
                    let key = pair
                        .field("key")
                        .and_then(|k| self.index.const_str(file, k))
                        .map(|k| k.to_ascii_lowercase());
                    if key.as_deref() != Some(method.key()) {
                        continue;
                    }
                    if let Some(list) = pair.field("value") {
                        self.listed_decorators(file, list, method, depth + 1, out);
                    }
                }
            }
            "binary_operator" => {
                for side in [value.field("left"), value.field("right")]
                    .into_iter()
                    .flatten()
                {
                    self.listed_decorators(file, side, method, depth + 1, out);
                }
            }
            "parenthesized_expression" => {
                if let Some(inner) = value.named_child(0) {
                    self.listed_decorators(file, inner, method, depth + 1, out);
                }
            }
            // `BaseResource.decorators`: the base class's list of that name.
            "attribute" => {
                let Some(Target::Class(base)) = value
                    .field("object")
                    .and_then(|o| self.index.resolve(file, o))
                else {
                    return;
                };
                let Some(source) = self.index.source(file) else {
                    return;
                };
                let Some(written) = value.field("attribute").map(|a| text(source, a)) else {
                    return;
                };
                if let Some((base_file, list)) = self.class_attr(base, written) {
                    self.listed_decorators(base_file, list, method, depth + 1, out);
                }
            }
            _ => {}
        }
    }

    /// Evidence from a class's `decorators = [...]` (and flask-restful's
    /// `method_decorators`).
    fn class_decorators(&self, class: usize, method: Method) -> (Vec<Evidence>, Vec<Evidence>) {
        let mut auth = Vec::new();
        let mut rate = Vec::new();
        for attr in ["decorators", "method_decorators"] {
            let Some((file, list)) = self.class_attr(class, attr) else {
                continue;
            };
            let mut elements = Vec::new();
            self.listed_decorators(file, list, method, 0, &mut elements);
            for (file, element) in elements {
                let Some(source) = self.index.source(file) else {
                    continue;
                };
                let name = decorator_name(source, element);
                if looks_like_rate_limit(&name) {
                    rate.extend(self.index.evidence(file, element, name));
                } else if looks_like_auth(&name) {
                    auth.extend(self.index.evidence(file, element, name));
                }
            }
        }
        (auth, rate)
    }

    /// Whether a decorator (`@registered_only`, `@roles(...)`) is one of the project's
    /// whose wrapper turns away callers who are not logged in.
    fn guarding_decorator(&self, file: usize, decorator: Node<'a>) -> bool {
        // The `decorator` node holds the expression: a name, or a call of a factory.
        let expression = match decorator.kind() {
            "decorator" => decorator.named_child(0),
            _ => Some(decorator),
        };
        let target = match expression {
            Some(e) if e.kind() == "call" => e.field("function"),
            other => other,
        };
        let Some(Target::Function(idx)) = target.and_then(|t| self.index.resolve(file, t)) else {
            return false;
        };
        let Some((ffile, def)) = self.index.function_node(idx) else {
            return false;
        };
        if decorator_guards(&self.index, ffile, def) {
            return true;
        }
        // A decorator made by a decorator factory (`@permissions_wrapper def owner(...)`):
        // the factory's wrapper is what guards.
        let Some(source) = self.index.source(ffile) else {
            return false;
        };
        decorators(source, def).into_iter().any(|(_, node)| {
            let factory = node
                .named_child(0)
                .map(|e| {
                    if e.kind() == "call" {
                        e.field("function")
                    } else {
                        Some(e)
                    }
                })
                .and_then(|e| e);
            match factory.and_then(|f| self.index.resolve(ffile, f)) {
                Some(Target::Function(f)) => self
                    .index
                    .function_node(f)
                    .is_some_and(|(wfile, wdef)| decorator_guards(&self.index, wfile, wdef)),
                _ => false,
            }
        })
    }

    /// What a view function's decorators and body say.
    fn handler_facts(&self, idx: Option<usize>, file: usize, def: Node<'a>) -> HandlerFacts {
        let mut facts = HandlerFacts {
            function: idx,
            is_async: def.child(0).is_some_and(|c| c.kind() == "async"),
            ..Default::default()
        };
        let Some(source) = self.index.source(file) else {
            return facts;
        };
        facts.handler = idx
            .and_then(|i| self.index.handler_name(i))
            .unwrap_or_else(|| {
                let name = def.field("name").map_or("", |n| text(source, n));
                format!("{}.{name}", handler_module(&source.path))
            });
        for (name, node) in decorators(source, def) {
            if ROUTE_ATTRS.contains(&last_segment(&name)) {
                continue;
            }
            if looks_like_rate_limit(&name) {
                facts
                    .rate_limit
                    .extend(self.index.evidence(file, node, name));
            } else if looks_public(&name) {
                if facts.public.is_none() {
                    facts.public = self.index.evidence(file, node, name);
                }
            } else if looks_like_auth(&name) || self.guarding_decorator(file, node) {
                facts.auth.extend(self.index.evidence(file, node, name));
            }
        }
        // `request.args.get("page")`, `request.args["page"]`.
        if let Some(body) = def.field("body") {
            body.visit(|n| match n.kind() {
                "function_definition" | "class_definition" | "lambda" | "decorated_definition" => {
                    false
                }
                "call" | "subscript" => {
                    let key = if n.kind() == "call" {
                        let name = callee(source, n);
                        let reads_args = matches!(
                            name.as_str(),
                            "request.args.get"
                                | "request.args.getlist"
                                | "request.values.get"
                                | "request.values.getlist"
                        );
                        reads_args.then(|| positional(n, 0)).flatten()
                    } else {
                        let value = n.field("value");
                        let reads_args = value.is_some_and(|v| {
                            matches!(
                                dotted(source, v).as_str(),
                                "request.args" | "request.values"
                            )
                        });
                        reads_args.then(|| n.field("subscript")).flatten()
                    };
                    if let Some(name) = key.and_then(|k| self.index.const_str(file, k)) {
                        if is_pagination_param(&name) {
                            facts
                                .pagination
                                .extend(self.index.evidence(file, n, name.clone()));
                        }
                        if !facts.query_params.contains(&name) {
                            facts.query_params.push(name);
                        }
                    }
                    true
                }
                _ => true,
            });
        }
        facts
            .pagination
            .extend(paginate_calls(&self.index, file, def));
        facts.collection = collection_in_body(&self.index, file, def);
        facts.declared_status = returned_status(source, def);
        facts
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
        // (method, facts) pairs for this declaration.
        let mut handlers: Vec<(Method, HandlerFacts)> = Vec::new();
        match &decl.view {
            View::Function(idx, file, def) => {
                let methods = decl
                    .methods
                    .clone()
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| vec![Method::Get]);
                for m in methods {
                    handlers.push((m, self.handler_facts(*idx, *file, *def)));
                }
            }
            View::Class(c) => {
                let methods = decl.methods.as_ref().filter(|m| !m.is_empty());
                // A resource on several URLs serves on each only the methods that can
                // take its variables (`get(self, uuid)` is not a route of `/watches`).
                let rule = super::normalise_path(&decl.rule);
                let fits = |file: usize, def: Node<'a>| {
                    self.index
                        .source(file)
                        .is_none_or(|s| super::signature_fits(s, def, &rule, 1))
                };
                for (m, (idx, file, def)) in self
                    .class_routes(*c, methods)
                    .into_iter()
                    .filter(|(_, (_, file, def))| fits(*file, *def))
                {
                    let (auth, rate) = self.class_decorators(*c, m);
                    let mut facts = self.handler_facts(Some(idx), file, def);
                    facts.auth.splice(0..0, auth.iter().cloned());
                    facts.rate_limit.splice(0..0, rate.iter().cloned());
                    handlers.push((m, facts));
                }
            }
            View::Unknown(name) => {
                let methods = decl
                    .methods
                    .clone()
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| vec![Method::Get]);
                let handler = if name.contains('.') {
                    name.clone()
                } else {
                    format!("{}.{name}", handler_module(&source.path))
                };
                for m in methods {
                    handlers.push((
                        m,
                        HandlerFacts {
                            handler: handler.clone(),
                            ..Default::default()
                        },
                    ));
                }
            }
        }
        for mount in &mounts {
            let path = normalise_path(&join_paths(&mount.prefix, &decl.rule));
            for (method, facts) in &handlers {
                let mut auth = mount.auth.clone();
                auth.extend(facts.auth.iter().cloned());
                let mut rate_limit = mount.rate_limit.clone();
                rate_limit.extend(facts.rate_limit.iter().cloned());
                out.push(Route {
                    framework: Framework::Flask,
                    method: *method,
                    path: path.clone(),
                    handler: facts.handler.clone(),
                    location: location.clone(),
                    function: facts.function,
                    declared_status: facts.declared_status,
                    auth,
                    public: facts.public.clone(),
                    rate_limit,
                    pagination: facts.pagination.clone(),
                    query_params: facts.query_params.clone(),
                    collection: facts.collection.as_ref().and_then(|c| c.for_path(&path)),
                    is_async: facts.is_async,
                    app: mount.app.and_then(|o| self.index.app_key(o)),
                });
            }
        }
    }
}

/// A listed decorator as written, without its arguments: `login_required`,
/// `limiter.limit` for `limiter.limit("5/minute")`.
fn decorator_name(source: &crate::source::SharedSource, element: Node) -> String {
    match element.kind() {
        "call" => callee(source, element),
        _ => dotted(source, element),
    }
}

/// `return jsonify(user), 201` as the function's last statement.
fn returned_status(source: &crate::source::SharedSource, def: Node) -> Option<u16> {
    let body = def.field("body")?;
    let last = body
        .named_children()
        .filter(|c| c.kind() != "comment")
        .last()?;
    if last.kind() != "return_statement" {
        return None;
    }
    let value = last.named_child(0)?;
    if !matches!(value.kind(), "expression_list" | "tuple") || value.named_child_count() < 2 {
        return None;
    }
    status_of(source, value.named_child(1)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::python::routes::test_support::{find, method_paths, names, routes_of};

    fn load(files: &[(&str, &str)]) -> Vec<Route> {
        routes_of(files, &[Framework::Flask])
    }

    fn listing(routes: &[Route]) -> Vec<String> {
        method_paths(routes)
    }

    const INIT: &str = r#"
from flask import Flask
from flask_limiter import Limiter

limiter = Limiter(key_func=lambda: "x", default_limits=["100 per hour"])

def create_app():
    app = Flask(__name__)
    from .users import bp as users_bp
    from app import admin
    app.register_blueprint(users_bp, url_prefix="/api/users")
    app.register_blueprint(admin.bp)
    limiter.init_app(app)

    @app.route("/health")
    def health():
        return "ok"

    @app.errorhandler(404)
    def not_found(e):
        return "missing", 404

    @app.before_request
    def log_request():
        pass

    return app
"#;

    const USERS: &str = r#"
from flask import Blueprint, request, jsonify
from flask_login import login_required
from flask.views import MethodView
from .extensions import limiter

bp = Blueprint("users", __name__, url_prefix="/users")

@bp.route("/", methods=["GET", "POST"])
@login_required
def users():
    page = request.args.get("page", 1, type=int)
    q = request.args["q"]
    return jsonify([u.to_dict() for u in User.query.paginate(page=page)])

@bp.get("/<int:user_id>")
@login_required
@limiter.limit("10/minute")
def get_user(user_id):
    return jsonify(User.query.get(user_id))

@bp.post("/<int:user_id>/reset")
def reset(user_id):
    return jsonify({}), 201

@bp.route("/all")
@auth.login_required
async def everyone():
    return jsonify(User.query.all())

class TokenAPI(MethodView):
    decorators = [jwt_required()]

    def get(self):
        return {}

    def delete(self):
        return {}, 204

bp.add_url_rule("/tokens", view_func=TokenAPI.as_view("tokens"))
"#;

    const ADMIN: &str = r#"
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
reports = Blueprint("reports", __name__, url_prefix="/reports")
bp.register_blueprint(reports)

@bp.before_request
def require_admin_login():
    pass

@bp.route("/stats")
def stats():
    return {}

@reports.route("/daily", methods=("GET", "delete"))
def daily():
    return {}

def index():
    return {}

bp.add_url_rule("/", "index", index)
"#;

    fn app() -> Vec<Route> {
        load(&[
            ("app/__init__.py", INIT),
            ("app/users.py", USERS),
            ("app/admin.py", ADMIN),
        ])
    }

    #[test]
    fn a_resource_on_two_urls_serves_on_each_the_methods_that_take_its_variables() {
        let routes = routes_of(
            &[(
                "app.py",
                r#"
from flask import Flask
from flask_restful import Api, Resource

app = Flask(__name__)
api = Api(app)

class Watch(Resource):
    def get(self, uuid):
        pass

    def put(self, uuid):
        pass

    def post(self):
        pass

class Tags(Resource):
    def get(self, **kwargs):
        pass

class Challenges(Resource):
    # The decorator passes `query_args`; the URL has no variable.
    @validate_args({"category": str})
    def get(self, query_args):
        pass

class Items(Resource):
    # Decorated, but `item_id` is the URL's to give.
    @admins_only
    def delete(self, item_id):
        pass

api.add_resource(Watch, "/api/watch", "/api/watch/<string:uuid>")
api.add_resource(Tags, "/api/tags", "/api/tags/<tag>")
api.add_resource(Challenges, "/api/challenges")
api.add_resource(Items, "/api/items", "/api/items/<int:item_id>")
"#,
            )],
            &[Framework::Flask],
        );
        assert_eq!(
            method_paths(&routes),
            [
                "DELETE /api/items/{item_id}",
                "GET /api/challenges",
                "GET /api/tags",
                "GET /api/tags/{tag}",
                "GET /api/watch/{uuid}",
                "POST /api/watch",
                "PUT /api/watch/{uuid}",
            ]
        );
    }

    #[test]
    fn a_blueprint_a_factory_returns_takes_the_prefix_it_is_registered_with() {
        let routes = routes_of(
            &[
                (
                    "app/__init__.py",
                    "from flask import Flask\nfrom app import tags\n\napp = Flask(__name__)\napp.register_blueprint(tags.construct_blueprint(None), url_prefix=\"/tags\")\n",
                ),
                (
                    "app/tags/__init__.py",
                    "from flask import Blueprint\n\ndef construct_blueprint(datastore):\n    bp = Blueprint(\"tags\", __name__)\n\n    @bp.route(\"/list\")\n    def overview():\n        return \"x\"\n\n    return bp\n",
                ),
            ],
            &[Framework::Flask],
        );
        assert_eq!(method_paths(&routes), ["GET /tags/list"]);
    }

    #[test]
    fn blueprints_resolve_across_files() {
        let routes = app();
        assert_eq!(
            listing(&routes),
            [
                "DELETE /admin/reports/daily",
                "DELETE /api/users/tokens",
                "GET /admin",
                "GET /admin/reports/daily",
                "GET /admin/stats",
                "GET /api/users",
                "GET /api/users/all",
                "GET /api/users/tokens",
                "GET /api/users/{user_id}",
                "GET /health",
                "POST /api/users",
                "POST /api/users/{user_id}/reset",
            ]
        );
        let get_user = find(&routes, Method::Get, "/api/users/{user_id}");
        assert_eq!(get_user.handler, "app.users.get_user");
        assert!(get_user.function.is_some());
        let tokens = find(&routes, Method::Delete, "/api/users/tokens");
        assert_eq!(tokens.handler, "app.users.TokenAPI.delete");
        assert!(tokens.function.is_some());
        assert_eq!(tokens.location.path(), "app/users.py");
        let index = find(&routes, Method::Get, "/admin");
        assert_eq!(index.handler, "app.admin.index");
        assert_eq!(find(&routes, Method::Get, "/health").handler, "app.health");
    }

    #[test]
    fn auth_from_decorators_views_and_guards() {
        let routes = app();
        assert_eq!(
            names(&find(&routes, Method::Post, "/api/users").auth),
            ["login_required"]
        );
        assert_eq!(
            names(&find(&routes, Method::Get, "/api/users/all").auth),
            ["auth.login_required"]
        );
        assert!(find(&routes, Method::Post, "/api/users/{user_id}/reset")
            .auth
            .is_empty());
        assert_eq!(
            names(&find(&routes, Method::Get, "/api/users/tokens").auth),
            ["jwt_required"]
        );
        // The admin blueprint's guard covers its nested blueprint too.
        assert_eq!(
            names(&find(&routes, Method::Get, "/admin/stats").auth),
            ["require_admin_login"]
        );
        assert_eq!(
            names(&find(&routes, Method::Delete, "/admin/reports/daily").auth),
            ["require_admin_login"]
        );
        // `log_request` is no guard.
        assert!(find(&routes, Method::Get, "/health").auth.is_empty());
    }

    #[test]
    fn a_project_decorator_whose_wrapper_turns_callers_away_is_auth() {
        let routes = load(&[
            (
                "app/decorators.py",
                r#"
import functools
from flask import abort, redirect, url_for

def registered_only(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        if not current_user():
            return redirect(url_for("auth.login"))
        return f(*args, **kwargs)
    return wrapper

def captains_only(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        if not is_captain():
            abort(403)
        return f(*args, **kwargs)
    return wrapper

def cached(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        return CACHE.get(f.__name__) or f(*args, **kwargs)
    return wrapper
"#,
            ),
            (
                "app/views.py",
                r#"
from flask import Flask
from .decorators import cached, captains_only, registered_only

app = Flask(__name__)

@app.route("/teams/new", methods=["POST"])
@registered_only
def new_team():
    return {}

@app.route("/teams/mine", methods=["DELETE"])
@captains_only
def disband():
    return {}

@app.route("/scoreboard")
@cached
def scoreboard():
    return {}
"#,
            ),
        ]);
        assert_eq!(
            names(&find(&routes, Method::Post, "/teams/new").auth),
            ["registered_only"]
        );
        assert_eq!(
            names(&find(&routes, Method::Delete, "/teams/mine").auth),
            ["captains_only"]
        );
        assert!(find(&routes, Method::Get, "/scoreboard").auth.is_empty());
    }

    #[test]
    fn a_rule_passed_through_a_project_helper_is_the_routes_path() {
        let routes = load(&[(
            "app.py",
            r#"
from flask import Blueprint

routes = Blueprint("redash", __name__)

def org_scoped_rule(rule):
    return "/<org_slug>" + rule

@routes.route(org_scoped_rule("/login"), methods=["GET", "POST"])
def login():
    return ""

@routes.route(make_rule(PREFIX, "/x"))
def two_arguments():
    return ""
"#,
        )]);
        assert_eq!(method_paths(&routes), ["GET /login", "POST /login"]);
    }

    #[test]
    fn a_detail_route_that_loads_a_list_for_its_page_is_no_collection() {
        let routes = load(&[(
            "app.py",
            r#"
from flask import Flask, render_template

app = Flask(__name__)

@app.route("/teams/<int:team_id>")
def team(team_id):
    team = Team.query.get(team_id)
    members = Member.query.filter_by(team_id=team_id).all()
    return render_template("team.html", team=team, members=members)

@app.route("/teams/<int:team_id>/members")
def members(team_id):
    return {"members": [m.name for m in Member.query.all()]}

@app.route("/regions/<region>")
def region_teams(region):
    return jsonify(Team.query.filter_by(region=region).all())
"#,
        )]);
        assert!(find(&routes, Method::Get, "/teams/{team_id}")
            .collection
            .is_none());
        // Not a detail route: the last segment is no parameter.
        assert!(find(&routes, Method::Get, "/teams/{team_id}/members")
            .collection
            .is_some());
        // A detail-shaped path whose handler returns the list still lists.
        assert!(find(&routes, Method::Get, "/regions/{region}")
            .collection
            .is_some());
    }

    #[test]
    fn a_decorator_made_by_a_guarding_factory_is_auth() {
        let routes = load(&[
            (
                "access.py",
                r#"
import flask

def permissions_wrapper(handler):
    def decorator(*dargs):
        def inner(function):
            def wrapper(*args, **kwargs):
                if not handler(args, kwargs, *dargs):
                    flask.abort(403)
                return function(*args, **kwargs)
            return wrapper
        return inner
    return decorator

@permissions_wrapper
def owner(args, kwargs, model, key):
    return True

def cached(function):
    return function
"#,
            ),
            (
                "views.py",
                r#"
from flask import Blueprint
from . import access

bp = Blueprint("ui", __name__)

@bp.route("/fetch/list")
@access.owner("User", "user_email")
def fetch_list():
    return ""

@bp.route("/about")
@access.cached
def about():
    return ""
"#,
            ),
        ]);
        assert_eq!(
            names(&find(&routes, Method::Get, "/fetch/list").auth),
            ["access.owner"]
        );
        assert!(find(&routes, Method::Get, "/about").auth.is_empty());
    }

    #[test]
    fn blueprints_registered_in_a_loop_get_the_prefix() {
        let routes = load(&[(
            "app.py",
            r#"
from flask import Blueprint, Flask

app = Flask(__name__)
sso = Blueprint("sso", __name__)
export = Blueprint("export", __name__)

@sso.route("/auth/login")
def login():
    return ""

@export.route("/export/items")
def export_items():
    return ""

BLUEPRINTS = [sso, export]
for bp in BLUEPRINTS:
    app.register_blueprint(bp, url_prefix="/api/1")
"#,
        )]);
        find(&routes, Method::Get, "/api/1/auth/login");
        find(&routes, Method::Get, "/api/1/export/items");
    }

    #[test]
    fn a_route_decorator_applied_by_hand_routes_its_view() {
        let routes = load(&[(
            "app.py",
            r#"
from flask import Flask

app = Flask(__name__)

def ping():
    return ""

app.route("/ping")(ping)
app.route("/items", methods=["POST"])(ping)
app.config.get("VALIDATE")(ping)
"#,
        )]);
        assert_eq!(find(&routes, Method::Get, "/ping").handler, "app.ping");
        find(&routes, Method::Post, "/items");
        assert_eq!(routes.len(), 2);
    }

    #[test]
    fn a_prefix_built_from_a_numeric_constant_is_resolved() {
        let routes = load(&[(
            "app.py",
            r#"
from flask import Blueprint, Flask

API_VERSION = 1
app = Flask(__name__)
bp = Blueprint("certificates", __name__)

@bp.route("/certificates")
def certificates():
    return {}

app.register_blueprint(bp, url_prefix=f"/api/{API_VERSION}")
"#,
        )]);
        find(&routes, Method::Get, "/api/1/certificates");
    }

    #[test]
    fn rows_loaded_for_a_lookup_are_not_the_listed_collection() {
        let routes = load(&[(
            "app.py",
            r#"
from flask import Flask

app = Flask(__name__)

@app.route("/challenges")
def challenges():
    known = {c.id for c in Challenge.query.with_entities(Challenge.id).all()}
    total = len(Solve.query.all())
    return {"known": len(known), "total": total}

@app.route("/invite", methods=["GET", "POST"])
def invite():
    if request.method == "POST":
        for user in User.query.all():
            user.send_invite()
        return redirect("/")
    return render_template("invite.html")

@app.route("/members", methods=["GET", "POST"])
def members():
    if request.method == "POST":
        return redirect("/")
    else:
        return jsonify(Member.query.all())

@app.route("/counts")
def counts():
    return {"items": len(Item.query.all())}

@app.route("/things")
def things():
    data = dict(items=[t.to_json() for t in Thing.query.all()])
    return data

@app.route("/teams")
def teams():
    ids = set(Team.query.all())
    rows = Team.query.order_by(Team.name).all()
    return {"teams": [t.name for t in rows], "count": len(ids)}
"#,
        )]);
        assert!(find(&routes, Method::Get, "/challenges")
            .collection
            .is_none());
        assert!(find(&routes, Method::Get, "/counts").collection.is_none());
        // Rows a POST branch loads are not what the GET lists; the other branch's are.
        assert!(find(&routes, Method::Get, "/invite").collection.is_none());
        assert!(find(&routes, Method::Get, "/members").collection.is_some());
        assert!(find(&routes, Method::Get, "/things").collection.is_some());
        let teams = find(&routes, Method::Get, "/teams");
        assert_eq!(
            teams.collection.as_ref().map(|c| c.name.as_str()),
            Some("Team.query.order_by(Team.name).all()")
        );
    }

    #[test]
    fn limits_pagination_status_and_collections() {
        let routes = app();
        let get_user = find(&routes, Method::Get, "/api/users/{user_id}");
        assert_eq!(
            names(&get_user.rate_limit),
            ["default_limits", "limiter.limit"]
        );
        let users = find(&routes, Method::Get, "/api/users");
        assert_eq!(users.query_params, ["page", "q"]);
        assert_eq!(names(&users.pagination), ["page", "User.query.paginate"]);
        assert!(users.collection.is_none());
        let everyone = find(&routes, Method::Get, "/api/users/all");
        assert_eq!(
            everyone.collection.as_ref().map(|c| c.name.as_str()),
            Some("User.query.all()")
        );
        assert!(everyone.is_async);
        assert!(everyone.pagination.is_empty());
        assert_eq!(
            find(&routes, Method::Post, "/api/users/{user_id}/reset").declared_status,
            Some(201)
        );
        assert_eq!(
            find(&routes, Method::Delete, "/api/users/tokens").declared_status,
            Some(204)
        );
        assert_eq!(find(&routes, Method::Get, "/health").declared_status, None);
    }

    #[test]
    fn fixture_app() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/python/flask");
        let files = [
            "shop/__init__.py",
            "shop/customers.py",
            "shop/extensions.py",
            "shop/models.py",
            "shop/orders.py",
        ];
        let texts: Vec<(&str, String)> = files
            .iter()
            .map(|f| {
                let text = std::fs::read_to_string(root.join(f))
                    .unwrap_or_else(|e| panic!("reading {f}: {e}"));
                (*f, text)
            })
            .collect();
        let pairs: Vec<(&str, &str)> = texts.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let routes = load(&pairs);
        let mut all: Vec<String> = routes
            .iter()
            .map(|r| format!("{} {} {}", r.method.upper(), r.path, r.handler))
            .collect();
        all.sort();
        assert_eq!(
            all,
            [
                "GET /api/customers shop.customers.list_customers",
                "GET /api/customers/{customer_id} shop.customers.CustomerAPI.get",
                "GET /health shop.health",
                "GET /orders shop.orders.list_orders",
                "PATCH /api/customers/{customer_id} shop.customers.CustomerAPI.patch",
                "POST /orders shop.orders.create_order",
                "POST /orders/{order_id}/cancel shop.orders.cancel_order",
            ]
        );
        for (method, path) in [
            (Method::Get, "/api/customers"),
            (Method::Get, "/api/customers/{customer_id}"),
            (Method::Patch, "/api/customers/{customer_id}"),
            (Method::Get, "/orders"),
            (Method::Post, "/orders"),
        ] {
            assert_eq!(names(&find(&routes, method, path).auth), ["login_required"]);
        }
        assert!(find(&routes, Method::Post, "/orders/{order_id}/cancel")
            .auth
            .is_empty());
        let orders = find(&routes, Method::Get, "/orders");
        assert_eq!(
            names(&orders.pagination),
            ["page", "Order.query.filter_by.paginate"]
        );
        let customers = find(&routes, Method::Get, "/api/customers");
        assert!(customers.pagination.is_empty());
        assert_eq!(
            customers.collection.as_ref().map(|c| c.name.as_str()),
            Some("Customer.query.all()")
        );
        assert_eq!(
            find(&routes, Method::Post, "/orders").declared_status,
            Some(201)
        );
    }

    #[test]
    fn unrelated_decorators_make_no_routes() {
        let routes = load(&[(
            "app.py",
            r#"
import pytest
from flask import Flask
app = Flask(__name__)

@pytest.fixture
def client():
    return app.test_client()

@app.errorhandler(404)
def not_found(e):
    return "no", 404

@app.before_request
def before():
    pass

@app.teardown_appcontext
def teardown(exc):
    pass

@celery.task
def job():
    pass

@app.cli.command("seed")
def seed():
    pass
"#,
        )]);
        assert!(routes.is_empty(), "{:?}", listing(&routes));
    }

    #[test]
    fn module_level_app_and_class_routes() {
        let routes = load(&[
            (
                "wsgi.py",
                r#"
from flask import Flask
from flask_smorest import Api, Blueprint
from flask.views import MethodView
from views import ItemAPI, BaseAPI

def make():
    app = Flask(__name__)
    return app

app = make()
blp = Blueprint("pets", __name__, url_prefix="/pets")

@app.route("/")
def home():
    return "hi"

@blp.route("/<pet_id>")
class Pet(MethodView):
    @login_required
    def get(self, pet_id):
        return {}

    def put(self, pet_id):
        return {}

item_view = ItemAPI.as_view("item")
app.add_url_rule("/items/<int:id>", view_func=item_view, methods=["GET", "PATCH"])
app.add_url_rule("/other", view_func=missing_view)
"#,
            ),
            (
                "views.py",
                r#"
from flask.views import MethodView

class BaseAPI(MethodView):
    decorators = [token_required]

    def get(self, id):
        return {}

class ItemAPI(BaseAPI):
    def patch(self, id):
        return {}
"#,
            ),
        ]);
        assert_eq!(
            listing(&routes),
            [
                "GET /",
                "GET /items/{id}",
                "GET /other",
                "GET /pets/{pet_id}",
                "PATCH /items/{id}",
                "PUT /pets/{pet_id}",
            ]
        );
        let pet = find(&routes, Method::Get, "/pets/{pet_id}");
        assert_eq!(pet.handler, "wsgi.Pet.get");
        assert_eq!(names(&pet.auth), ["login_required"]);
        assert!(find(&routes, Method::Put, "/pets/{pet_id}").auth.is_empty());
        let get_item = find(&routes, Method::Get, "/items/{id}");
        assert_eq!(get_item.handler, "views.BaseAPI.get");
        assert_eq!(names(&get_item.auth), ["token_required"]);
        assert_eq!(
            find(&routes, Method::Patch, "/items/{id}").handler,
            "views.ItemAPI.patch"
        );
        let other = find(&routes, Method::Get, "/other");
        assert_eq!(other.handler, "wsgi.missing_view");
        assert!(other.function.is_none());
    }
}
