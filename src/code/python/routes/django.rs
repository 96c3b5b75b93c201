//! Routes declared with Django and Django REST framework.
//!
//! URL confs (`urlpatterns`) are walked from the root conf (`ROOT_URLCONF`, and every
//! conf no other conf includes) through `include()` chains, so each route carries its
//! full prefix. A `path()` names a function view, a class-based view (`.as_view()`) or
//! an include; DRF routers expand their registered viewsets into actions (`list`,
//! `retrieve`, ..., `@action`s) where `router.urls` is mounted. Names are resolved
//! through the imports of each file, then by name across the project. Evidence comes
//! from decorators, class attributes (followed through base classes defined in the
//! project) and the `REST_FRAMEWORK` defaults in settings.

use std::collections::{HashMap, HashSet};

use crate::code::tree::Node;
use rayon::prelude::*;

use super::{join_paths, normalise_path};
use crate::code::python::facts::{dotted, text, value_of};
use crate::code::python::{is_test_path, ParsedFile};
use crate::finding::Location;
use crate::model::code::{CodeModel, Evidence, Framework, Route, Value};
use crate::model::Method;
use crate::source::{SharedSource, Span};

/// Include chains, nested lists, and wrapped views deeper than this are not followed.
const MAX_INCLUDE_DEPTH: usize = 16;
/// Base classes followed from a view class.
const MAX_BASE_DEPTH: usize = 12;
/// Re-exports followed when resolving a name.
const MAX_RESOLVE_DEPTH: usize = 8;
/// `if`/`try`/`with` blocks looked into at module level.
const MAX_BLOCK_DEPTH: usize = 6;
/// Nodes visited in one handler body.
const MAX_BODY_NODES: usize = 50_000;
/// URL confs of health-check libraries (django-health-check, django-watchman).
const HEALTH_URL_MODULES: &[&str] = &["health_check.urls", "watchman.urls"];
/// Steps taken to build a URL pattern out of constants (each name, part and import).
const MAX_CONSTANT_DEPTH: usize = 12;

/// Django decorators that require a logged-in user, beside those named `*_required`
/// (`login_required`, `permission_required`, `staff_member_required`, a project's own
/// `group_required`).
const AUTH_DECORATORS: &[&str] = &["user_passes_test"];

/// Handler methods of class-based views.
const HANDLERS: [(&str, Method); 5] = [
    ("get", Method::Get),
    ("post", Method::Post),
    ("put", Method::Put),
    ("patch", Method::Patch),
    ("delete", Method::Delete),
];

/// Router actions of a viewset: name, method, whether on the detail path.
const STANDARD_ACTIONS: [(&str, Method, bool); 6] = [
    ("list", Method::Get, false),
    ("create", Method::Post, false),
    ("retrieve", Method::Get, true),
    ("update", Method::Put, true),
    ("partial_update", Method::Patch, true),
    ("destroy", Method::Delete, true),
];

/// Generic views whose GET lists a collection.
const LIST_BASES: &[&str] = &[
    "ListAPIView",
    "ListCreateAPIView",
    "ListView",
    "ListModelMixin",
];

/// Third-party packages: a name imported from one of them is never a project class.
const EXTERNAL_PACKAGES: &[&str] = &[
    "django",
    "rest_framework",
    "rest_framework_simplejwt",
    "django_filters",
    "django_ratelimit",
    "ratelimit",
    "knox",
    "dj_rest_auth",
    "allauth",
];

/// The methods a generic view (Django or DRF, or a well-known third-party one) serves.
fn generic_methods(base: &str) -> &'static [Method] {
    match base {
        "ListAPIView" | "RetrieveAPIView" | "ListView" | "DetailView" | "TemplateView"
        | "RedirectView" | "ArchiveIndexView" | "YearArchiveView" | "MonthArchiveView"
        | "WeekArchiveView" | "DayArchiveView" | "TodayArchiveView" | "DateDetailView" => {
            &[Method::Get]
        }
        "CreateAPIView"
        | "ObtainAuthToken"
        | "TokenObtainPairView"
        | "TokenRefreshView"
        | "TokenVerifyView"
        | "TokenObtainSlidingView"
        | "TokenRefreshSlidingView"
        | "TokenBlacklistView"
        | "LogoutView"
        // django-oauth-toolkit and django-rest-framework-jwt.
        | "TokenView"
        | "RevokeTokenView"
        | "ObtainJSONWebToken"
        | "RefreshJSONWebToken"
        | "VerifyJSONWebToken"
        | "obtain_jwt_token"
        | "refresh_jwt_token"
        | "verify_jwt_token" => &[Method::Post],
        "AuthorizationView" | "IntrospectTokenView" => &[Method::Get, Method::Post],
        "ListCreateAPIView" => &[Method::Get, Method::Post],
        "UpdateAPIView" => &[Method::Put, Method::Patch],
        "DestroyAPIView" => &[Method::Delete],
        "RetrieveUpdateAPIView" => &[Method::Get, Method::Put, Method::Patch],
        "RetrieveDestroyAPIView" => &[Method::Get, Method::Delete],
        "RetrieveUpdateDestroyAPIView" => {
            &[Method::Get, Method::Put, Method::Patch, Method::Delete]
        }
        "CreateView" | "UpdateView" | "FormView" | "DeleteView" | "LoginView"
        // Django's password views and formtools' wizards are forms too.
        | "PasswordResetView"
        | "PasswordResetConfirmView"
        | "PasswordChangeView"
        | "SessionWizardView"
        | "CookieWizardView"
        | "NamedUrlSessionWizardView" => &[Method::Get, Method::Post],
        // django-rest-knox.
        "LogoutAllView" => &[Method::Post],
        _ => &[],
    }
}

/// Views that exist to log in or obtain a token: public by design.
fn is_login_view(name: &str) -> bool {
    matches!(
        name,
        "LoginView"
            | "ObtainAuthToken"
            | "obtain_auth_token"
            | "TokenObtainPairView"
            | "TokenRefreshView"
            | "TokenVerifyView"
            | "TokenObtainSlidingView"
            | "TokenRefreshSlidingView"
            | "TokenView"
            | "RevokeTokenView"
            | "AuthorizationView"
            | "ObtainJSONWebToken"
            | "RefreshJSONWebToken"
            | "VerifyJSONWebToken"
            | "obtain_jwt_token"
            | "refresh_jwt_token"
            | "verify_jwt_token"
    )
}

/// Base class names that make a class a DRF view.
fn is_drf_base(name: &str) -> bool {
    name.ends_with("APIView")
        || name.ends_with("ViewSet")
        || name.ends_with("ModelMixin")
        || name == "ViewSetMixin"
        || name == "ObtainAuthToken"
        || (name.starts_with("Token") && name.ends_with("View"))
}

/// Django's access mixins, and `AccessMixin`, on which a project builds its own
/// (`class ConditionalLoginRequiredMixin(AccessMixin)` that checks the user in `dispatch`).
fn is_auth_mixin(name: &str) -> bool {
    name.ends_with("RequiredMixin") || name == "UserPassesTestMixin" || name == "AccessMixin"
}

/// The viewset actions a base class brings. Libraries build on DRF's model viewsets
/// under their own names (`rest_framework_bulk`'s `BulkModelViewSet`), which keep the
/// suffix.
fn base_actions(base: &str) -> &'static [&'static str] {
    let base = if base.ends_with("ReadOnlyModelViewSet") {
        "ReadOnlyModelViewSet"
    } else if base.ends_with("ModelViewSet") {
        "ModelViewSet"
    } else {
        base
    };
    match base {
        "ModelViewSet" => &[
            "list",
            "create",
            "retrieve",
            "update",
            "partial_update",
            "destroy",
        ],
        "ReadOnlyModelViewSet" => &["list", "retrieve"],
        "ListModelMixin" => &["list"],
        "CreateModelMixin" => &["create"],
        "RetrieveModelMixin" => &["retrieve"],
        "UpdateModelMixin" => &["update", "partial_update"],
        "DestroyModelMixin" => &["destroy"],
        _ => &[],
    }
}

fn last(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

fn loc(source: &SharedSource, node: Node) -> Location {
    Location::new(source, Span::new(node.start_byte(), node.end_byte()))
}

fn string_of(source: &SharedSource, node: Node) -> Option<String> {
    match value_of(source, node, 0) {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

fn named_children(node: Node) -> Vec<Node> {
    node.named_children()
        .filter(|n| n.kind() != "comment")
        .collect()
}

/// `myapp/urls.py` → `myapp.urls` (the handler module, as the path reads).
fn module_of(path: &str) -> String {
    path.strip_suffix(".py").unwrap_or(path).replace('/', ".")
}

/// HTTP methods named by a list of strings, `["GET", "post"]`, or of constants named
/// after them, `[POST]` (`from common.const.http import POST`).
fn methods_of(source: &SharedSource, node: Node) -> Vec<Method> {
    let mut methods = Vec::new();
    if let Value::List(items) = value_of(source, node, 0) {
        for item in items {
            let name = match &item {
                Value::Name(dotted) => Some(last(dotted)),
                other => other.as_str(),
            };
            if let Some(m) = name.and_then(|s| Method::from_key(&s.to_ascii_lowercase())) {
                if !methods.contains(&m) {
                    methods.push(m);
                }
            }
        }
    }
    methods
}

/// Positional and keyword arguments of a call, as nodes.
struct CallArgs<'a> {
    positional: Vec<Node<'a>>,
    keywords: Vec<(String, Node<'a>)>,
}

impl<'a> CallArgs<'a> {
    fn of(source: &SharedSource, call: Node<'a>) -> Self {
        let mut args = CallArgs {
            positional: Vec::new(),
            keywords: Vec::new(),
        };
        let Some(list) = call
            .field("arguments")
            .filter(|a| a.kind() == "argument_list")
        else {
            return args;
        };
        for child in named_children(list) {
            if child.kind() == "keyword_argument" {
                if let (Some(name), Some(value)) = (child.field("name"), child.field("value")) {
                    args.keywords.push((text(source, name).to_string(), value));
                }
            } else {
                args.positional.push(child);
            }
        }
        args
    }

    fn keyword(&self, name: &str) -> Option<Node<'a>> {
        self.keywords
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
    }

    /// The argument given by keyword, else the positional one at `index`.
    fn get(&self, index: usize, keyword: &str) -> Option<Node<'a>> {
        self.keyword(keyword)
            .or_else(|| self.positional.get(index).copied())
    }
}

/// Statements at module level, looking into `if`/`try`/`with` blocks
/// (`if settings.DEBUG: urlpatterns += [...]`).
fn top_level_statements<'a>(node: Node<'a>, depth: usize, out: &mut Vec<Node<'a>>) {
    for child in named_children(node) {
        match child.kind() {
            "if_statement" | "try_statement" | "with_statement" | "elif_clause" | "else_clause"
            | "except_clause" | "finally_clause" | "block"
                if depth < MAX_BLOCK_DEPTH =>
            {
                top_level_statements(child, depth + 1, out)
            }
            _ => out.push(child),
        }
    }
}

/// What one file defines at module level.
struct FileIndex<'a> {
    source: &'a SharedSource,
    /// Dotted module for resolving imports (`pkg` for `pkg/__init__.py`).
    module: String,
    is_package: bool,
    is_test: bool,
    /// Local name → absolute dotted name it was imported as.
    imports: HashMap<String, String>,
    wildcards: Vec<String>,
    classes: HashMap<String, Node<'a>>,
    functions: HashMap<String, Node<'a>>,
    /// Names bound to `DefaultRouter()` / `SimpleRouter()` / `...Router()`.
    routers: HashSet<String>,
    /// `receiver.register(...)` calls, receiver as written.
    registrations: Vec<(String, Node<'a>)>,
    /// Module-level names and every value given to them (`=`, `+=`, `.append()`,
    /// `.extend()`), in order.
    values: HashMap<String, Vec<Node<'a>>>,
}

impl<'a> FileIndex<'a> {
    fn build(file: &'a ParsedFile) -> Self {
        let source = &file.source;
        let handler_module = module_of(&source.path);
        let is_package = handler_module == "__init__" || handler_module.ends_with(".__init__");
        let module = handler_module
            .strip_suffix("__init__")
            .map_or(handler_module.as_str(), |m| m.trim_end_matches('.'))
            .to_string();
        let mut index = FileIndex {
            source,
            module,
            is_package,
            is_test: is_test_path(&source.path),
            imports: HashMap::new(),
            wildcards: Vec::new(),
            classes: HashMap::new(),
            functions: HashMap::new(),
            routers: HashSet::new(),
            registrations: Vec::new(),
            values: HashMap::new(),
        };
        let mut statements = Vec::new();
        top_level_statements(file.tree.root_node(), 0, &mut statements);
        for statement in statements {
            match statement.kind() {
                "import_statement" | "import_from_statement" => index.add_import(statement),
                "class_definition" | "function_definition" => index.add_definition(statement),
                "decorated_definition" => {
                    if let Some(definition) = statement.field("definition") {
                        index.add_definition(definition);
                    }
                }
                "expression_statement" => {
                    for child in named_children(statement) {
                        index.add_expression(child);
                    }
                }
                _ => {}
            }
        }
        index
    }

    fn add_definition(&mut self, node: Node<'a>) {
        let Some(name) = node.field("name") else {
            return;
        };
        let name = text(self.source, name).to_string();
        match node.kind() {
            "class_definition" => {
                self.classes.insert(name, node);
            }
            "function_definition" => {
                self.functions.insert(name, node);
            }
            _ => {}
        }
    }

    fn add_expression(&mut self, node: Node<'a>) {
        let source = self.source;
        match node.kind() {
            "assignment" | "augmented_assignment" => {
                let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
                    return;
                };
                if left.kind() != "identifier" {
                    return;
                }
                if node.kind() == "augmented_assignment"
                    && node
                        .field("operator")
                        .is_none_or(|o| text(source, o) != "+=")
                {
                    return;
                }
                let name = text(source, left).to_string();
                if right.kind() == "call" {
                    let callee = right
                        .field("function")
                        .map(|f| dotted(source, f))
                        .unwrap_or_default();
                    let short = last(&callee);
                    if short.ends_with("Router")
                        && !short.starts_with("Nested")
                        && short != "APIRouter"
                    {
                        self.routers.insert(name.clone());
                    }
                }
                self.values.entry(name).or_default().push(right);
            }
            "call" => {
                let Some(function) = node.field("function").filter(|f| f.kind() == "attribute")
                else {
                    return;
                };
                let (Some(object), Some(attribute)) =
                    (function.field("object"), function.field("attribute"))
                else {
                    return;
                };
                match text(source, attribute) {
                    "register" => self.registrations.push((dotted(source, object), node)),
                    "append" | "extend" if object.kind() == "identifier" => {
                        let args = CallArgs::of(source, node);
                        if let Some(first) = args.positional.first() {
                            self.values
                                .entry(text(source, object).to_string())
                                .or_default()
                                .push(*first);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn add_import(&mut self, node: Node<'a>) {
        let source = self.source;
        let names: Vec<Node> = node.children_by_field_name("name").collect();
        if node.kind() == "import_statement" {
            for name in names {
                if name.kind() == "aliased_import" {
                    if let (Some(n), Some(alias)) = (name.field("name"), name.field("alias")) {
                        self.imports
                            .insert(text(source, alias).to_string(), text(source, n).to_string());
                    }
                } else {
                    let full = text(source, name);
                    let head = full.split('.').next().unwrap_or(full).to_string();
                    self.imports.insert(head.clone(), head);
                }
            }
            return;
        }
        let Some(module_node) = node.field("module_name") else {
            return;
        };
        let module = self.absolute(text(source, module_node));
        if node.named_children().any(|c| c.kind() == "wildcard_import") {
            self.wildcards.push(module.clone());
        }
        for name in names {
            let (local, imported) = if name.kind() == "aliased_import" {
                let (Some(n), Some(alias)) = (name.field("name"), name.field("alias")) else {
                    continue;
                };
                (text(source, alias), text(source, n))
            } else {
                (text(source, name), text(source, name))
            };
            let target = if module.is_empty() {
                imported.to_string()
            } else {
                format!("{module}.{imported}")
            };
            self.imports.insert(local.to_string(), target);
        }
    }

    /// The absolute module of a possibly relative one (`.views`, `..core`).
    fn absolute(&self, module: &str) -> String {
        let rest = module.trim_start_matches('.');
        let dots = module.len() - rest.len();
        if dots == 0 {
            return module.to_string();
        }
        let mut package: Vec<&str> = self.module.split('.').filter(|s| !s.is_empty()).collect();
        if !self.is_package {
            package.pop();
        }
        for _ in 1..dots {
            package.pop();
        }
        if !rest.is_empty() {
            package.push(rest);
        }
        package.join(".")
    }
}

/// A name resolved to what defines it.
#[derive(Clone)]
enum Def<'a> {
    Class(usize, Node<'a>),
    Function(usize, Node<'a>),
    Router(usize, String),
    Value(usize, String),
    Module(usize),
}

/// What a URL pattern points to.
#[derive(Clone)]
enum Target<'a> {
    /// A view expression: `views.detail`, `views.List.as_view()`.
    View(Node<'a>),
    /// `include("app.urls")`.
    Module(String),
    /// A name standing for patterns: `router.urls`, `api_patterns`, `views.urlpatterns`.
    Ref(String),
    /// The argument of `include(...)` to expand: a list, a name, a tuple's first item.
    Include(Node<'a>),
}

#[derive(Clone)]
struct Entry<'a> {
    file: usize,
    pattern: String,
    /// The `path()` / `re_path()` / `url()` call.
    call: Option<Node<'a>>,
    target: Target<'a>,
}

/// Permission evidence: auth classes, or explicitly public.
#[derive(Clone, Default)]
struct Perm {
    auth: Vec<Evidence>,
    public: Option<Evidence>,
}

/// `@action(...)` on a viewset method.
#[derive(Clone)]
struct Action {
    detail: bool,
    methods: Vec<Method>,
    url_path: Option<String>,
    permission: Option<Perm>,
    throttle: Option<Vec<Evidence>>,
}

/// What the decorators on a function or class say.
#[derive(Clone, Default)]
struct Decorators {
    /// `@require_http_methods`, `@require_POST`, `@api_view([...])`.
    methods: Option<Vec<Method>>,
    api_view: bool,
    auth: Vec<Evidence>,
    login_not_required: bool,
    permission: Option<Perm>,
    throttle: Option<Vec<Evidence>>,
    rate_limit: Vec<Evidence>,
    action: Option<Action>,
    /// `@set_password.mapping.delete`: (action method name, method).
    mapping: Option<(String, Method)>,
}

/// Facts read from a handler body.
#[derive(Default)]
struct Body {
    /// Methods compared with `request.method`.
    methods: Vec<Method>,
    status: Option<u16>,
    query_params: Vec<String>,
    collection: Option<Evidence>,
    /// A paginator called on the rows: DRF's `self.paginate_queryset(...)`, Django's
    /// `Paginator(...)`, a project's own `self.paginate(...)`.
    pagination: Option<Evidence>,
    /// A branch on who the caller is: `if not request.user.is_superuser: return
    /// redirect(...)`, `if self.request.user.is_anonymous: return Response({})`,
    /// `if not has_group_permission(request.user, ["guest"]): ...`.
    user_check: Option<Evidence>,
}

/// What a condition on `request.user` asks, when it asks who the caller is.
fn user_check_in(condition: &str) -> Option<&'static str> {
    if !condition.contains("request.user") {
        return None;
    }
    [
        "is_authenticated",
        "is_anonymous",
        "is_superuser",
        "is_staff",
        "perm",
    ]
    .into_iter()
    .find(|asked| condition.contains(asked))
}

/// Whether a call's last segment names paging: `paginate`, `paginate_queryset`,
/// `Paginator`, `get_paginated_response`.
fn pages(callee_last: &str) -> bool {
    callee_last.to_ascii_lowercase().contains("paginat")
}

/// Project-wide settings.
#[derive(Default)]
struct Defaults {
    /// `DEFAULT_PERMISSION_CLASSES`, when configured.
    permission: Option<Perm>,
    throttle: Vec<Evidence>,
    pagination: Option<Evidence>,
    /// Django 5.1 `LoginRequiredMiddleware`.
    login_middleware: Option<Evidence>,
}

struct MethodDef<'a> {
    name: String,
    file: usize,
    node: Node<'a>,
}

/// A view class with what it inherits from the project classes it extends.
struct ClassView<'a> {
    file: usize,
    name: String,
    node: Node<'a>,
    /// Methods, the class's own first, then its bases' in order.
    methods: Vec<MethodDef<'a>>,
    /// Class attributes, nearest definition wins: name → (file, value).
    attrs: HashMap<String, (usize, Node<'a>)>,
    /// Bases not defined in the project, by last name segment: (name, file, node).
    bases: Vec<(String, usize, Node<'a>)>,
    /// Class decorator expressions.
    decorators: Vec<(usize, Node<'a>)>,
}

impl<'a> ClassView<'a> {
    fn method(&self, name: &str) -> Option<&MethodDef<'a>> {
        self.methods.iter().find(|m| m.name == name)
    }

    fn attr(&self, name: &str) -> Option<(usize, Node<'a>)> {
        self.attrs.get(name).copied()
    }

    fn has_base(&self, test: impl Fn(&str) -> bool) -> bool {
        self.bases.iter().any(|(b, _, _)| test(b))
    }

    fn is_drf(&self) -> bool {
        self.has_base(is_drf_base)
    }

    /// The list base that makes its GET a collection.
    fn list_base(&self) -> Option<String> {
        self.bases
            .iter()
            .map(|(b, _, _)| b)
            .find(|b| LIST_BASES.contains(&b.as_str()))
            .cloned()
    }
}

/// Where a route is declared and its full path.
struct Site<'s> {
    path: &'s str,
    location: &'s Location,
}

#[derive(Default)]
struct Walk {
    out: Vec<Route>,
    visited: HashSet<usize>,
    mounted: HashSet<(usize, String)>,
}

type Registrations<'a> = HashMap<(usize, String), Vec<(usize, Node<'a>)>>;

pub(super) struct Project<'a> {
    files: &'a [ParsedFile],
    model: &'a CodeModel,
    /// Any source, returned for an out-of-range file index (never expected).
    first: &'a SharedSource,
    index: Vec<FileIndex<'a>>,
    /// File indices sorted by path.
    order: Vec<usize>,
    /// (file, start of the name) → index in `model.functions`.
    functions: HashMap<(usize, usize), usize>,
    registrations: Registrations<'a>,
    defaults: Defaults,
    root_urlconf: Option<usize>,
}

/// The files indexed for Django (in parallel) with their URL confs, when the project
/// imports Django or DRF and declares URL patterns.
pub(super) fn index<'a>(files: &'a [ParsedFile], model: &'a CodeModel) -> Option<Project<'a>> {
    if !model.imports_any(&["django", "rest_framework"]) {
        return None;
    }
    Project::new(files, model)
}

/// The routes of the URL confs, includes followed.
pub(super) fn resolve(project: Project<'_>) -> Vec<Route> {
    project.routes()
}

impl<'a> Project<'a> {
    fn new(files: &'a [ParsedFile], model: &'a CodeModel) -> Option<Self> {
        let first = &files.first()?.source;
        let index: Vec<FileIndex<'a>> = files.par_iter().map(FileIndex::build).collect();
        if index
            .iter()
            .all(|f| !f.values.contains_key("urlpatterns") && f.registrations.is_empty())
        {
            return None;
        }
        let mut order: Vec<usize> = (0..files.len()).collect();
        order.sort_by(|a, b| {
            let path = |i: &usize| files.get(*i).map(|f| f.source.path.as_str());
            path(a).cmp(&path(b))
        });
        let mut functions = HashMap::new();
        for (fi, file) in files.iter().enumerate() {
            let end = files
                .get(fi + 1)
                .map_or(model.functions.len(), |f| f.first_function);
            let own = model.functions.get(file.first_function..end).unwrap_or(&[]);
            for (offset, function) in own.iter().enumerate() {
                if function.location.path() == file.source.path {
                    functions.insert(
                        (fi, function.location.span.start),
                        file.first_function + offset,
                    );
                }
            }
        }
        let mut project = Project {
            files,
            model,
            first,
            index,
            order,
            functions,
            registrations: HashMap::new(),
            defaults: Defaults::default(),
            root_urlconf: None,
        };
        project.read_settings();
        let mut registrations: Registrations<'a> = HashMap::new();
        for &fi in &project.order {
            let Some(index) = project.index.get(fi) else {
                continue;
            };
            for (receiver, call) in &index.registrations {
                if let Some(Def::Router(rf, name)) = project.resolve(fi, receiver, true) {
                    registrations
                        .entry((rf, name))
                        .or_default()
                        .push((fi, *call));
                }
            }
        }
        project.registrations = registrations;
        Some(project)
    }

    fn src(&self, file: usize) -> &'a SharedSource {
        self.files.get(file).map_or(self.first, |f| &f.source)
    }

    fn evidence(&self, file: usize, name: impl Into<String>, node: Node) -> Evidence {
        Evidence {
            name: name.into(),
            location: loc(self.src(file), node),
        }
    }

    fn fn_index(&self, file: usize, definition: Node) -> Option<usize> {
        let name = definition.field("name")?;
        self.functions.get(&(file, name.start_byte())).copied()
    }

    fn handler_module(&self, file: usize) -> String {
        super::fastapi::handler_module(&self.src(file).path)
    }

    // ---- settings ----------------------------------------------------------------

    /// A setting given in a settings class (django-configurations:
    /// `class Base(Configuration): REST_FRAMEWORK = {...}`), in a settings module.
    fn settings_class_value(&self, file: usize, name: &str) -> Option<Node<'a>> {
        let index = self.index.get(file)?;
        if !index.source.path.contains("settings") {
            return None;
        }
        let source = index.source;
        let mut classes: Vec<&Node<'a>> = index.classes.values().collect();
        // The first class in the file: the base the others extend.
        classes.sort_by_key(|c| c.start_byte());
        classes.into_iter().find_map(|class| {
            class.field("body")?.named_children().find_map(|statement| {
                let assignment = statement.named_child(0)?;
                let left = assignment.field("left")?;
                (assignment.kind() == "assignment"
                    && left.kind() == "identifier"
                    && text(source, left) == name)
                    .then(|| assignment.field("right"))
                    .flatten()
            })
        })
    }

    fn read_settings(&mut self) {
        let mut defaults = Defaults::default();
        let mut rest_framework = false;
        let mut root = None;
        for &fi in &self.order {
            let Some(index) = self.index.get(fi) else {
                continue;
            };
            if index.is_test {
                continue;
            }
            let source = index.source;
            if root.is_none() {
                root = index
                    .values
                    .get("ROOT_URLCONF")
                    .and_then(|v| v.iter().find_map(|n| string_of(source, *n)))
                    .or_else(|| {
                        self.settings_class_value(fi, "ROOT_URLCONF")
                            .and_then(|n| string_of(source, n))
                    });
            }
            if !rest_framework {
                if let Some(dict) = index
                    .values
                    .get("REST_FRAMEWORK")
                    .and_then(|v| v.iter().find(|n| n.kind() == "dictionary").copied())
                    .or_else(|| {
                        self.settings_class_value(fi, "REST_FRAMEWORK")
                            .filter(|n| n.kind() == "dictionary")
                    })
                {
                    rest_framework = true;
                    self.read_rest_framework(fi, dict, &mut defaults);
                }
            }
            if defaults.login_middleware.is_none() {
                for value in index.values.get("MIDDLEWARE").into_iter().flatten() {
                    for item in named_children(*value) {
                        if string_of(source, item)
                            .is_some_and(|s| s.ends_with("LoginRequiredMiddleware"))
                        {
                            defaults.login_middleware =
                                Some(self.evidence(fi, "LoginRequiredMiddleware", item));
                        }
                    }
                }
            }
        }
        self.root_urlconf = root.and_then(|r| self.find_module(&r));
        self.defaults = defaults;
    }

    fn read_rest_framework(&self, file: usize, dict: Node, defaults: &mut Defaults) {
        let source = self.src(file);
        let mut pagination = None;
        let mut page_size = false;
        let mut paginate_by = None;
        for pair in named_children(dict)
            .into_iter()
            .filter(|p| p.kind() == "pair")
        {
            let (Some(key), Some(value)) = (
                pair.field("key").and_then(|k| string_of(source, k)),
                pair.field("value"),
            ) else {
                continue;
            };
            let classes = || -> Vec<(String, Node)> {
                named_children(value)
                    .into_iter()
                    .filter_map(|item| {
                        string_of(source, item).map(|s| (last(&s).to_string(), item))
                    })
                    .collect()
            };
            match key.as_str() {
                "DEFAULT_PERMISSION_CLASSES" => {
                    let mut perm = Perm::default();
                    let items = classes();
                    if items.is_empty() && matches!(value.kind(), "list" | "tuple") {
                        perm.public =
                            Some(self.evidence(file, "DEFAULT_PERMISSION_CLASSES = []", value));
                    }
                    for (name, node) in items {
                        if name == "AllowAny" {
                            perm.public = Some(self.evidence(file, name, node));
                        } else {
                            perm.auth.push(self.evidence(file, name, node));
                        }
                    }
                    if !perm.auth.is_empty() {
                        perm.public = None;
                    }
                    defaults.permission = Some(perm);
                }
                "DEFAULT_THROTTLE_CLASSES" => {
                    defaults.throttle = classes()
                        .into_iter()
                        .map(|(name, node)| self.evidence(file, name, node))
                        .collect();
                }
                "DEFAULT_PAGINATION_CLASS" => {
                    pagination = string_of(source, value).map(|s| (s, value));
                }
                "PAGE_SIZE" => page_size = value.kind() != "none",
                // Before DRF 3.1, `PAGINATE_BY` alone turned pagination on everywhere
                // (and frameworks built on that DRF still read it).
                "PAGINATE_BY" if value.kind() == "integer" => {
                    paginate_by = Some(self.evidence(file, "PAGINATE_BY", value));
                }
                _ => {}
            }
        }
        // DRF's own paginators page nothing without PAGE_SIZE; a custom one may set
        // its page size itself.
        if let Some((class, node)) = pagination {
            if page_size || !class.starts_with("rest_framework.") {
                defaults.pagination = Some(self.evidence(file, last(&class), node));
            }
        } else {
            defaults.pagination = paginate_by;
        }
    }

    // ---- name resolution -----------------------------------------------------------

    fn find_module(&self, name: &str) -> Option<usize> {
        let name = name.trim_matches('.');
        if name.is_empty() {
            return None;
        }
        let suffix = format!(".{name}");
        self.index
            .iter()
            .enumerate()
            .filter(|(_, f)| f.module == name || f.module.ends_with(&suffix))
            .min_by(|(_, a), (_, b)| {
                (a.is_test, a.module.len(), a.source.path.as_str()).cmp(&(
                    b.is_test,
                    b.module.len(),
                    b.source.path.as_str(),
                ))
            })
            .map(|(i, _)| i)
    }

    fn local(&self, file: usize, name: &str) -> Option<Def<'a>> {
        let index = self.index.get(file)?;
        if let Some(node) = index.classes.get(name) {
            Some(Def::Class(file, *node))
        } else if let Some(node) = index.functions.get(name) {
            Some(Def::Function(file, *node))
        } else if index.routers.contains(name) {
            Some(Def::Router(file, name.to_string()))
        } else if index.values.contains_key(name) {
            Some(Def::Value(file, name.to_string()))
        } else {
            None
        }
    }

    /// A class, function or router of that name anywhere in the project, the one
    /// nearest to `file` first.
    /// A definition found by its bare name when imports could not be followed: in the
    /// module the reference named (`views.MediaList` imported as `files.views`: a
    /// module of that package), else nearest to the referring file.
    fn by_name(&self, file: usize, name: &str, module_hint: Option<&str>) -> Option<Def<'a>> {
        let from = self.src(file).path.as_str();
        let in_hinted_module = |module: &str| {
            module_hint
                .is_some_and(|hint| module == hint || module.starts_with(&format!("{hint}.")))
        };
        let common = |path: &str| {
            from.split('/')
                .zip(path.split('/'))
                .take_while(|(a, b)| a == b)
                .count()
        };
        self.index
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                !f.is_test
                    && (f.classes.contains_key(name)
                        || f.functions.contains_key(name)
                        || f.routers.contains(name))
            })
            .max_by(|(_, a), (_, b)| {
                in_hinted_module(&a.module)
                    .cmp(&in_hinted_module(&b.module))
                    .then_with(|| common(&a.source.path).cmp(&common(&b.source.path)))
                    .then_with(|| b.source.path.cmp(&a.source.path))
            })
            .and_then(|(i, _)| self.local(i, name))
    }

    fn resolve(&self, file: usize, reference: &str, fallback: bool) -> Option<Def<'a>> {
        self.resolve_at(file, reference, fallback, 0)
    }

    fn resolve_at(
        &self,
        file: usize,
        reference: &str,
        fallback: bool,
        depth: usize,
    ) -> Option<Def<'a>> {
        if depth > MAX_RESOLVE_DEPTH || reference.is_empty() {
            return None;
        }
        let index = self.index.get(file)?;
        let (head, rest) = reference.split_once('.').unwrap_or((reference, ""));
        let imported = index.imports.get(head);
        let found = if rest.is_empty() {
            self.local(file, head)
                .or_else(|| imported.and_then(|t| self.qualified(t, depth + 1)))
                .or_else(|| {
                    index.wildcards.iter().find_map(|w| {
                        let m = self.find_module(w)?;
                        self.local(m, head)
                    })
                })
        } else {
            imported.and_then(|t| self.qualified(&format!("{t}.{rest}"), depth + 1))
        };
        let external = imported.is_some_and(|t| {
            EXTERNAL_PACKAGES.contains(&t.split('.').next().unwrap_or(t.as_str()))
        });
        found.or_else(|| {
            // `views.MediaList` with `views` imported as `files.views`: look there first.
            let hint = imported.map(|t| match rest.rsplit_once('.') {
                Some((inner, _)) => format!("{t}.{inner}"),
                None if rest.is_empty() => {
                    t.rsplit_once('.').map_or(t.clone(), |(m, _)| m.to_string())
                }
                None => t.clone(),
            });
            (fallback && !external)
                .then(|| self.by_name(file, last(reference), hint.as_deref()))
                .flatten()
        })
    }

    /// An absolute dotted name: a module, or a name defined (or re-exported) in one.
    fn qualified(&self, name: &str, depth: usize) -> Option<Def<'a>> {
        if depth > MAX_RESOLVE_DEPTH {
            return None;
        }
        if let Some(m) = self.find_module(name) {
            return Some(Def::Module(m));
        }
        let (module, item) = name.rsplit_once('.')?;
        let m = self.find_module(module)?;
        self.local(m, item)
            .or_else(|| self.resolve_at(m, item, false, depth + 1))
    }

    /// What a name standing for URL patterns is: a router (`router.urls`), a list of
    /// patterns, or a URL conf module.
    fn resolve_patterns(&self, file: usize, reference: &str) -> Option<Def<'a>> {
        let strict = self.resolve(file, reference, false);
        if matches!(
            strict,
            Some(Def::Router(..) | Def::Value(..) | Def::Module(_))
        ) {
            return strict;
        }
        match reference.strip_suffix(".urls") {
            Some(base) => self.resolve(file, base, true),
            None => self.resolve(file, reference, true),
        }
    }

    // ---- URL confs -----------------------------------------------------------------

    fn list_entries(&self, file: usize, name: &str) -> Vec<Entry<'a>> {
        let mut out = Vec::new();
        if let Some(values) = self.index.get(file).and_then(|f| f.values.get(name)) {
            for value in values {
                self.entries(file, *value, &mut out, 0);
            }
        }
        out
    }

    fn entries(&self, file: usize, node: Node<'a>, out: &mut Vec<Entry<'a>>, depth: usize) {
        if depth > MAX_INCLUDE_DEPTH {
            return;
        }
        let source = self.src(file);
        let reference = |target| Entry {
            file,
            pattern: String::new(),
            call: None,
            target,
        };
        match node.kind() {
            "list" | "tuple" => {
                for child in named_children(node) {
                    self.entries(file, child, out, depth + 1);
                }
            }
            "list_splat" | "parenthesized_expression" => {
                if let Some(inner) = node.named_child(0) {
                    self.entries(file, inner, out, depth + 1);
                }
            }
            "binary_operator" => {
                for side in ["left", "right"] {
                    if let Some(child) = node.field(side) {
                        self.entries(file, child, out, depth + 1);
                    }
                }
            }
            "identifier" | "attribute" => out.push(reference(Target::Ref(dotted(source, node)))),
            "string" | "concatenated_string" => {
                if let Some(module) = string_of(source, node) {
                    // The string is where a route of a module that is not read is
                    // declared.
                    out.push(Entry {
                        call: Some(node),
                        ..reference(Target::Module(module))
                    });
                }
            }
            "call" => {
                if let Some(entry) = self.entry_of_call(file, node) {
                    out.push(entry);
                    return;
                }
                let callee = node
                    .field("function")
                    .map(|f| dotted(source, f))
                    .unwrap_or_default();
                if matches!(last(&callee), "static" | "staticfiles_urlpatterns") {
                    return;
                }
                // `format_suffix_patterns(urlpatterns)`, `i18n_patterns(...)`.
                let before = out.len();
                for arg in CallArgs::of(source, node).positional {
                    self.entries(file, arg, out, depth + 1);
                }
                // `i18n_patterns` serves its patterns below a language prefix (`/en/...`).
                if last(&callee) == "i18n_patterns" {
                    for entry in out.iter_mut().skip(before) {
                        entry.pattern = format!("<language>/{}", entry.pattern);
                    }
                }
            }
            _ => {}
        }
    }

    /// `path(...)`, `re_path(...)`, `url(...)`.
    /// A URL pattern built from string constants: an f-string or `.format()` that puts
    /// a module's regular expression into the path
    /// (`rf"^api/v1/media/{friendly_token}$"`, `r"^v{}/".format(API_VERSION)`), or a
    /// concatenation. Nothing when a part is not a constant of the project.
    fn pattern_text(&self, file: usize, node: Node<'a>, depth: usize) -> Option<String> {
        if depth > MAX_CONSTANT_DEPTH {
            return None;
        }
        let source = self.src(file);
        match node.kind() {
            "string" if !node.children().any(|p| p.kind() == "interpolation") => {
                string_of(source, node)
            }
            "string" => {
                let mut out = String::new();
                for part in node.children() {
                    match part.kind() {
                        "string_content" => out.push_str(text(source, part)),
                        "interpolation" => {
                            let expression = part.field("expression")?;
                            out.push_str(&self.constant_text(file, expression, depth + 1)?);
                        }
                        _ => {}
                    }
                }
                Some(out)
            }
            "concatenated_string" => node
                .named_children()
                .map(|part| self.pattern_text(file, part, depth + 1))
                .collect(),
            "binary_operator"
                if node
                    .field("operator")
                    .is_some_and(|o| text(source, o) == "+") =>
            {
                let left = self.pattern_text(file, node.field("left")?, depth + 1)?;
                let right = self.pattern_text(file, node.field("right")?, depth + 1)?;
                Some(left + &right)
            }
            "call" => {
                // `"^v{}/".format(API_VERSION)`: positional `{}` slots only.
                let function = node.field("function")?;
                if function.kind() != "attribute"
                    || text(source, function.field("attribute")?) != "format"
                {
                    return None;
                }
                let template = self.pattern_text(file, function.field("object")?, depth + 1)?;
                let mut values = CallArgs::of(source, node).positional.into_iter();
                let mut out = String::new();
                let mut rest = template.as_str();
                while let Some(at) = rest.find("{}") {
                    out.push_str(&rest[..at]);
                    out.push_str(&self.constant_text(file, values.next()?, depth + 1)?);
                    rest = &rest[at + 2..];
                }
                out.push_str(rest);
                Some(out)
            }
            "identifier" | "attribute" => self.constant_text(file, node, depth + 1),
            _ => None,
        }
    }

    /// The text of a constant: a literal, or a name bound once at module level, here or
    /// in the module it is imported from.
    fn constant_text(&self, file: usize, node: Node<'a>, depth: usize) -> Option<String> {
        if depth > MAX_CONSTANT_DEPTH {
            return None;
        }
        let source = self.src(file);
        match node.kind() {
            "string" | "concatenated_string" | "binary_operator" | "call" => {
                self.pattern_text(file, node, depth + 1)
            }
            "integer" => Some(text(source, node).to_string()),
            "identifier" => {
                let name = text(source, node);
                let index = self.index.get(file)?;
                match index.values.get(name).map(Vec::as_slice) {
                    Some([value]) => self.constant_text(file, *value, depth + 1),
                    Some(_) => None,
                    None => {
                        let imported = index.imports.get(name)?;
                        let (module, name) = imported.rsplit_once('.')?;
                        match self.find_module(module) {
                            Some(from) => {
                                let value = match self.index.get(from)?.values.get(name)?.as_slice()
                                {
                                    [value] => *value,
                                    _ => return None,
                                };
                                self.constant_text(from, value, depth + 1)
                            }
                            // A module of constants that imports nothing from Django has no
                            // tree here: its facts still hold its string constants.
                            None => self.string_constant(module, name),
                        }
                    }
                }
            }
            _ => None,
        }
    }

    /// The string a module binds `name` to at its top, from the facts: one value, or
    /// nothing.
    fn string_constant(&self, module: &str, name: &str) -> Option<String> {
        let stem = module.trim_matches('.').replace('.', "/");
        let (file, package) = (format!("{stem}.py"), format!("{stem}/__init__.py"));
        let in_module = |path: &str| {
            [&file, &package]
                .iter()
                .any(|f| path == f.as_str() || path.ends_with(&format!("/{f}")))
        };
        let mut values = self.model.assignments.iter().filter(|a| {
            a.function.is_none()
                && a.class.is_none()
                && a.target == name
                && in_module(a.location.path())
        });
        match (values.next(), values.next()) {
            (Some(a), None) => match &a.value {
                Value::Str(s) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    fn entry_of_call(&self, file: usize, call: Node<'a>) -> Option<Entry<'a>> {
        let source = self.src(file);
        let callee = dotted(source, call.field("function")?);
        if !matches!(last(&callee), "path" | "re_path" | "url") {
            return None;
        }
        let args = CallArgs::of(source, call);
        let pattern = args
            .get(0, "route")
            .or_else(|| args.keyword("regex"))
            .map(|n| match value_of(source, n, 0) {
                Value::Str(s) => s,
                // Built from parts: filled in when they are constants, else the literal
                // parts alone.
                other => self.pattern_text(file, n, 0).unwrap_or(match other {
                    Value::Interpolated { constant, .. } => constant,
                    _ => String::new(),
                }),
            })
            .unwrap_or_default();
        let view = args.get(1, "view")?;
        let target = match view.kind() {
            "call" => {
                let callee = view
                    .field("function")
                    .map(|f| dotted(source, f))
                    .unwrap_or_default();
                if last(&callee) == "include" {
                    let arg = CallArgs::of(source, view).get(0, "arg").unwrap_or(view);
                    let arg = match arg.kind() {
                        // `include(("app.urls", "app"))`: the patterns come first.
                        "tuple" => arg.named_child(0).unwrap_or(arg),
                        _ => arg,
                    };
                    Target::Include(arg)
                } else {
                    Target::View(view)
                }
            }
            "attribute" if dotted(source, view).ends_with(".urls") => Target::Include(view),
            "tuple" | "list" => Target::Include(view.named_child(0).unwrap_or(view)),
            _ => Target::View(view),
        };
        Some(Entry {
            file,
            pattern,
            call: Some(call),
            target,
        })
    }

    /// The URL conf modules other confs include.
    fn collect_includes(
        &self,
        conf: usize,
        entries: &[Entry<'a>],
        out: &mut HashSet<usize>,
        depth: usize,
    ) {
        if depth > MAX_INCLUDE_DEPTH {
            return;
        }
        for entry in entries {
            let included = match &entry.target {
                Target::Module(name) => self.find_module(name),
                Target::Ref(reference) => match self.resolve_patterns(entry.file, reference) {
                    Some(Def::Module(m)) => Some(m),
                    Some(Def::Value(f, name)) if name == "urlpatterns" => Some(f),
                    // `urlpatterns = reduce(add, groups)`, `groups = [api_urls, ...]`:
                    // what the lists include is included too.
                    Some(Def::Value(f, name)) => {
                        let sub = self.list_entries(f, &name);
                        self.collect_includes(conf, &sub, out, depth + 1);
                        None
                    }
                    _ => None,
                },
                Target::Include(node) => {
                    let mut sub = Vec::new();
                    self.entries(entry.file, *node, &mut sub, 0);
                    self.collect_includes(conf, &sub, out, depth + 1);
                    None
                }
                Target::View(_) => None,
            };
            if let Some(m) = included.filter(|m| *m != conf) {
                out.insert(m);
            }
        }
    }

    fn routes(&self) -> Vec<Route> {
        let confs: Vec<usize> = self
            .order
            .iter()
            .copied()
            .filter(|fi| {
                self.index
                    .get(*fi)
                    .is_some_and(|f| !f.is_test && f.values.contains_key("urlpatterns"))
            })
            .collect();
        let mut included = HashSet::new();
        for &conf in &confs {
            let entries = self.list_entries(conf, "urlpatterns");
            self.collect_includes(conf, &entries, &mut included, 0);
        }
        let mut roots: Vec<usize> = self.root_urlconf.into_iter().collect();
        roots.extend(
            confs
                .iter()
                .copied()
                .filter(|c| !included.contains(c) && Some(*c) != self.root_urlconf),
        );
        // Confs only reachable through a cycle are walked last, as roots.
        roots.extend(confs.iter().copied());
        let mut walk = Walk::default();
        for root in roots {
            if !walk.visited.contains(&root) {
                self.walk_list(root, "urlpatterns", "", &mut Vec::new(), 0, &mut walk);
            }
        }
        // Routers whose URLs are never mounted still serve their routes somewhere.
        let mut unmounted: Vec<&(usize, String)> = self
            .registrations
            .keys()
            .filter(|k| !walk.mounted.contains(*k))
            .collect();
        unmounted.sort_by(|a, b| {
            (self.src(a.0).path.as_str(), &a.1).cmp(&(self.src(b.0).path.as_str(), &b.1))
        });
        for key in unmounted {
            self.router_routes(key, "", &mut walk);
        }
        let mut seen = HashSet::new();
        walk.out.retain(|r| {
            seen.insert((
                r.method,
                r.path.clone(),
                r.handler.clone(),
                r.location.path().to_string(),
                r.location.span.start,
            ))
        });
        walk.out
    }

    fn walk_list(
        &self,
        file: usize,
        name: &str,
        prefix: &str,
        chain: &mut Vec<(usize, String)>,
        depth: usize,
        walk: &mut Walk,
    ) {
        let key = (file, name.to_string());
        if chain.contains(&key) || depth > MAX_INCLUDE_DEPTH {
            return;
        }
        if name == "urlpatterns" {
            walk.visited.insert(file);
        }
        let entries = self.list_entries(file, name);
        chain.push(key);
        self.walk(&entries, prefix, chain, depth + 1, walk);
        chain.pop();
    }

    fn walk(
        &self,
        entries: &[Entry<'a>],
        prefix: &str,
        chain: &mut Vec<(usize, String)>,
        depth: usize,
        walk: &mut Walk,
    ) {
        if depth > MAX_INCLUDE_DEPTH {
            return;
        }
        for entry in entries {
            let path = join_paths(prefix, &normalise_path(&entry.pattern));
            match &entry.target {
                Target::View(view) => {
                    if let Some(call) = entry.call {
                        let location = loc(self.src(entry.file), call);
                        let site = Site {
                            path: &path,
                            location: &location,
                        };
                        self.view_routes(entry.file, *view, &site, walk);
                    }
                }
                Target::Module(name) => {
                    if let Some(m) = self.find_module(name) {
                        self.walk_list(m, "urlpatterns", &path, chain, depth, walk);
                    } else if let (true, Some(call)) =
                        (HEALTH_URL_MODULES.contains(&name.as_str()), entry.call)
                    {
                        // A health-check library's URLs, not read: its probe answers GET
                        // where they are included.
                        let location = loc(self.src(entry.file), call);
                        let site = Site {
                            path: &path,
                            location: &location,
                        };
                        walk.out.push(self.route(
                            Framework::Django,
                            Method::Get,
                            &site,
                            name.clone(),
                            None,
                        ));
                    }
                }
                Target::Ref(reference) => match self.resolve_patterns(entry.file, reference) {
                    Some(Def::Router(f, name)) => {
                        let key = (f, name);
                        walk.mounted.insert(key.clone());
                        self.router_routes(&key, &path, walk);
                    }
                    Some(Def::Value(f, name)) => {
                        self.walk_list(f, &name, &path, chain, depth, walk)
                    }
                    Some(Def::Module(m)) => {
                        self.walk_list(m, "urlpatterns", &path, chain, depth, walk)
                    }
                    _ => {}
                },
                Target::Include(node) => {
                    let mut sub = Vec::new();
                    self.entries(entry.file, *node, &mut sub, 0);
                    self.walk(&sub, &path, chain, depth + 1, walk);
                }
            }
        }
    }

    // ---- views ---------------------------------------------------------------------

    fn route(
        &self,
        framework: Framework,
        method: Method,
        site: &Site,
        handler: String,
        function: Option<usize>,
    ) -> Route {
        Route {
            framework,
            method,
            path: site.path.to_string(),
            handler,
            location: site.location.clone(),
            function,
            declared_status: None,
            auth: Vec::new(),
            public: None,
            rate_limit: Vec::new(),
            pagination: Vec::new(),
            query_params: Vec::new(),
            collection: None,
            is_async: self.model.function(function).is_some_and(|f| f.is_async),
            // A Django project is one application.
            app: None,
        }
    }

    /// The routes of one `path()` view expression.
    fn view_routes(&self, file: usize, view: Node<'a>, site: &Site, walk: &mut Walk) {
        let source = self.src(file);
        let start = walk.out.len();
        // Views wrapped in decorators: `login_required(views.profile)`.
        let mut wrap = Decorators::default();
        // `incident_list = IncidentViewSet.as_view({"get": "list"})` at module level,
        // then `path("incidents/", incident_list)`: the call is the view.
        let view = match view.kind() {
            "identifier" => self
                .index
                .get(file)
                .and_then(
                    |index| match index.values.get(text(source, view)).map(Vec::as_slice) {
                        Some([value]) if value.kind() == "call" => Some(*value),
                        _ => None,
                    },
                )
                .unwrap_or(view),
            _ => view,
        };
        let mut node = view;
        let mut class_ref = None;
        let mut allowed: Option<Vec<Method>> = None;
        for _ in 0..MAX_BLOCK_DEPTH {
            if node.kind() != "call" {
                break;
            }
            let Some(function) = node.field("function") else {
                break;
            };
            let args = CallArgs::of(source, node);
            if function.kind() == "attribute"
                && function
                    .field("attribute")
                    .is_some_and(|a| text(source, a) == "as_view")
            {
                class_ref = function
                    .field("object")
                    .map(|o| (o, args.positional.first().copied()));
                // `as_view(http_method_names=["patch", "delete"])`: the view answers only
                // these here.
                if let Some(names) = args.keyword("http_method_names") {
                    allowed = self.method_names(file, names);
                }
                // `as_view(login_required=True)` sets the class attribute a mixin checks.
                for (name, value) in &args.keywords {
                    let on = text(source, *value) != "False" && text(source, *value) != "None";
                    if on && matches!(name.as_str(), "login_required" | "permission_required") {
                        wrap.auth
                            .push(self.evidence(file, format!("as_view({name}=...)"), *value));
                    }
                }
                break;
            }
            let Some(first) = args.positional.first().copied() else {
                break;
            };
            self.apply_decorator(file, node, &mut wrap, 0);
            node = first;
        }
        let (reference_node, mapping) = class_ref.unwrap_or((node, None));
        let mapping = mapping.map(|m| self.constant_dict(file, m));
        let reference = dotted(source, reference_node);
        match self.resolve(file, &reference, true) {
            Some(Def::Class(f, class)) => {
                // The action map is read where it is written, not in the class's file.
                self.class_routes(f, class, mapping.map(|m| (file, m)), site, walk)
            }
            Some(Def::Function(f, function)) if class_ref.is_none() => {
                self.function_routes(f, function, site, walk)
            }
            _ => self.unresolved_routes(file, &reference, mapping, class_ref.is_some(), site, walk),
        }
        if let Some(allowed) = allowed {
            let answered: Vec<Route> = walk
                .out
                .drain(start..)
                .filter(|r| allowed.contains(&r.method))
                .collect();
            walk.out.extend(answered);
        }
        for route in walk.out.iter_mut().skip(start) {
            route.auth.extend(wrap.auth.iter().cloned());
            route.rate_limit.extend(wrap.rate_limit.iter().cloned());
            if !route.auth.is_empty() {
                route.public = None;
            }
        }
    }

    /// A view defined outside the project: `LoginView.as_view()`, `obtain_auth_token`.
    fn unresolved_routes(
        &self,
        file: usize,
        reference: &str,
        mapping: Option<Node<'a>>,
        is_class: bool,
        site: &Site,
        walk: &mut Walk,
    ) {
        if reference.is_empty() || reference.contains('?') {
            return;
        }
        let short = last(reference);
        let (head, rest) = reference.split_once('.').unwrap_or((reference, ""));
        let qualified = match self.index.get(file).and_then(|f| f.imports.get(head)) {
            Some(target) if rest.is_empty() => target.clone(),
            Some(target) => format!("{target}.{rest}"),
            None => reference.to_string(),
        };
        let framework = if is_drf_base(short) || short == "obtain_auth_token" {
            Framework::DjangoRest
        } else {
            Framework::Django
        };
        let mut plan: Vec<(Method, String)> = Vec::new();
        if let Some(dict) = mapping.filter(|m| m.kind() == "dictionary") {
            plan = self.mapping_of(file, dict);
        } else {
            let generic = generic_methods(short);
            let methods: &[Method] = if !generic.is_empty() {
                generic
            } else if short == "obtain_auth_token" {
                &[Method::Post]
            } else {
                &[Method::Get]
            };
            plan.extend(methods.iter().map(|m| (*m, m.key().to_string())));
        }
        for (method, action) in plan {
            let handler = if is_class {
                format!("{qualified}.{action}")
            } else {
                qualified.clone()
            };
            let mut route = self.route(framework, method, site, handler, None);
            if is_login_view(short) {
                route.public = Some(Evidence {
                    name: short.to_string(),
                    location: site.location.clone(),
                });
            }
            walk.out.push(route);
        }
    }

    /// `as_view({"get": "list", "post": "create"})` → (method, action).
    fn mapping_of(&self, file: usize, dict: Node) -> Vec<(Method, String)> {
        let source = self.src(file);
        named_children(dict)
            .into_iter()
            .filter(|p| p.kind() == "pair")
            .filter_map(|pair| {
                let key = string_of(source, pair.field("key")?)?;
                let action = string_of(source, pair.field("value")?)?;
                Some((Method::from_key(&key.to_ascii_lowercase())?, action))
            })
            .collect()
    }

    fn function_routes(&self, file: usize, definition: Node<'a>, site: &Site, walk: &mut Walk) {
        let source = self.src(file);
        let decorators = self.decorators_of(file, definition);
        let body = self.body_facts(file, definition);
        let methods = decorators.methods.clone().unwrap_or_else(|| {
            let mut methods = vec![Method::Get];
            for m in &body.methods {
                if !methods.contains(m) {
                    methods.push(*m);
                }
            }
            methods
        });
        let drf = decorators.api_view;
        let framework = if drf {
            Framework::DjangoRest
        } else {
            Framework::Django
        };
        let name = definition.field("name").map_or("", |n| text(source, n));
        let handler = format!("{}.{name}", self.handler_module(file));
        let function = self.fn_index(file, definition);
        for method in methods {
            let mut route = self.route(framework, method, site, handler.clone(), function);
            route.auth.extend(decorators.auth.iter().cloned());
            route
                .rate_limit
                .extend(decorators.rate_limit.iter().cloned());
            if drf {
                let perm = decorators
                    .permission
                    .clone()
                    .or_else(|| self.defaults.permission.clone());
                apply_perm(&mut route, perm);
                route.rate_limit.extend(
                    decorators
                        .throttle
                        .clone()
                        .unwrap_or_else(|| self.defaults.throttle.clone()),
                );
            } else if !decorators.login_not_required {
                route.auth.extend(self.defaults.login_middleware.clone());
            }
            if let Some(check) = &body.user_check {
                route.auth.push(check.clone());
                route.public = None;
            }
            route.declared_status = body.status;
            route.query_params = body.query_params.clone();
            route.collection = body.collection.clone();
            route.pagination.extend(body.pagination.clone());
            walk.out.push(route);
        }
    }

    /// A class-based view mounted with `path()`.
    /// `as_view(LIST_ACTIONS)` with `LIST_ACTIONS = {"get": "list"}` bound once at
    /// module level: the dictionary; any other node as it is.
    fn constant_dict(&self, file: usize, node: Node<'a>) -> Node<'a> {
        if node.kind() != "identifier" {
            return node;
        }
        let source = self.src(file);
        self.index
            .get(file)
            .and_then(
                |index| match index.values.get(text(source, node)).map(Vec::as_slice) {
                    Some([value]) if value.kind() == "dictionary" => Some(*value),
                    _ => None,
                },
            )
            .unwrap_or(node)
    }

    /// A class-based view mounted with `path()`; `mapping` is a viewset's action map
    /// (`as_view({"get": "list"})`) and the file it is written in.
    fn class_routes(
        &self,
        file: usize,
        class: Node<'a>,
        mapping: Option<(usize, Node<'a>)>,
        site: &Site,
        walk: &mut Walk,
    ) {
        let view = self.class_view(file, class);
        let drf = view.is_drf();
        let framework = if drf {
            Framework::DjangoRest
        } else {
            Framework::Django
        };
        let list_base = view.list_base();
        // (method, handler method name, collection evidence name)
        let mut plan: Vec<(Method, String, Option<String>)> = Vec::new();
        if let Some((mapping_file, dict)) = mapping.filter(|(_, m)| m.kind() == "dictionary") {
            for (method, action) in self.mapping_of(mapping_file, dict) {
                let list = (action == "list").then(|| "list".to_string());
                plan.push((method, action, list));
            }
        } else {
            for (name, method) in HANDLERS {
                if view.method(name).is_some()
                    || view.has_base(|b| generic_methods(b).contains(&method))
                {
                    let list = list_base.clone().filter(|_| method == Method::Get);
                    plan.push((method, name.to_string(), list));
                }
            }
            if plan.is_empty() {
                plan.push((Method::Get, "get".to_string(), None));
            }
            // `http_method_names = ["get", "post"]` on the class: Django refuses the rest.
            if let Some(allowed) = view
                .attr("http_method_names")
                .and_then(|(file, names)| self.method_names(file, names))
            {
                plan.retain(|(method, _, _)| allowed.contains(method));
            }
            // A view mounted on several paths serves on each only the methods whose
            // signature fits its parameters: Django passes them by name, so
            // `get(self, request)` on `admins/<pk>/` and `delete(self, request, pk)` on
            // `admins/` would fail.
            plan.retain(|(_, name, _)| {
                view.method(name)
                    .is_none_or(|def| self.fits_path(def, site.path))
            });
        }
        let module = self.handler_module(view.file);
        for (method, name, list) in plan {
            let def = view.method(&name);
            let function = def.and_then(|d| self.fn_index(d.file, d.node));
            let handler = format!("{module}.{}.{name}", view.name);
            let mut route = self.route(framework, method, site, handler, function);
            self.class_evidence(&mut route, &view, def, None, list, drf);
            walk.out.push(route);
        }
    }

    /// A class and what it inherits from project classes.
    fn class_view(&self, file: usize, class: Node<'a>) -> ClassView<'a> {
        let name = class
            .field("name")
            .map_or("", |n| text(self.src(file), n))
            .to_string();
        let mut view = ClassView {
            file,
            name,
            node: class,
            methods: Vec::new(),
            attrs: HashMap::new(),
            bases: Vec::new(),
            decorators: Vec::new(),
        };
        let mut visited = HashSet::new();
        self.collect_class(file, class, &mut view, &mut visited, 0);
        view
    }

    fn collect_class(
        &self,
        file: usize,
        class: Node<'a>,
        view: &mut ClassView<'a>,
        visited: &mut HashSet<(usize, usize)>,
        depth: usize,
    ) {
        if depth > MAX_BASE_DEPTH || !visited.insert((file, class.start_byte())) {
            return;
        }
        let source = self.src(file);
        if let Some(parent) = class
            .parent()
            .filter(|p| p.kind() == "decorated_definition")
        {
            for decorator in named_children(parent)
                .into_iter()
                .filter(|c| c.kind() == "decorator")
            {
                if let Some(expr) = decorator.named_child(0) {
                    view.decorators.push((file, expr));
                }
            }
        }
        if let Some(body) = class.field("body") {
            for statement in named_children(body) {
                let definition = match statement.kind() {
                    "function_definition" => Some(statement),
                    "decorated_definition" => statement
                        .field("definition")
                        .filter(|d| d.kind() == "function_definition"),
                    _ => None,
                };
                if let Some(definition) = definition {
                    if let Some(name) = definition.field("name") {
                        let name = text(source, name).to_string();
                        if view.method(&name).is_none() {
                            view.methods.push(MethodDef {
                                name,
                                file,
                                node: definition,
                            });
                        }
                    }
                    continue;
                }
                if statement.kind() != "expression_statement" {
                    continue;
                }
                for child in named_children(statement) {
                    if child.kind() != "assignment" {
                        continue;
                    }
                    if let (Some(left), Some(right)) = (
                        child.field("left").filter(|l| l.kind() == "identifier"),
                        child.field("right"),
                    ) {
                        view.attrs
                            .entry(text(source, left).to_string())
                            .or_insert((file, right));
                    }
                }
            }
        }
        if let Some(superclasses) = class.field("superclasses") {
            for base in named_children(superclasses) {
                if base.kind() == "keyword_argument" {
                    continue;
                }
                let name = dotted(source, base);
                match self.resolve(file, &name, true) {
                    Some(Def::Class(f, node)) if !visited.contains(&(f, node.start_byte())) => {
                        self.collect_class(f, node, view, visited, depth + 1)
                    }
                    _ => view.bases.push((last(&name).to_string(), file, base)),
                }
            }
        }
    }

    /// Evidence for one route served by a class: its decorators, mixins, class
    /// attributes and the project defaults.
    fn class_evidence(
        &self,
        route: &mut Route,
        view: &ClassView<'a>,
        def: Option<&MethodDef<'a>>,
        action: Option<&Action>,
        list: Option<String>,
        drf: bool,
    ) {
        let method_decorators = def
            .map(|d| self.decorators_of(d.file, d.node))
            .unwrap_or_default();
        let mut class_decorators = Decorators::default();
        for (f, expr) in &view.decorators {
            self.apply_decorator(*f, *expr, &mut class_decorators, 0);
        }
        route.auth.extend(method_decorators.auth.iter().cloned());
        route.auth.extend(class_decorators.auth.iter().cloned());
        for (base, f, node) in &view.bases {
            if is_auth_mixin(base) {
                route.auth.push(self.evidence(*f, base.clone(), *node));
            }
        }
        route
            .rate_limit
            .extend(method_decorators.rate_limit.iter().cloned());
        route
            .rate_limit
            .extend(class_decorators.rate_limit.iter().cloned());
        if drf {
            let perm = action
                .and_then(|a| a.permission.clone())
                .or_else(|| {
                    view.attr("permission_classes")
                        .map(|(f, n)| self.perm_of(f, n, 0))
                })
                .or_else(|| {
                    view.method("get_permissions").map(|m| Perm {
                        auth: vec![self.evidence(
                            m.file,
                            "get_permissions",
                            m.node.field("name").unwrap_or(m.node),
                        )],
                        public: None,
                    })
                })
                .or_else(|| self.defaults.permission.clone());
            apply_perm(route, perm);
            let throttle = action
                .and_then(|a| a.throttle.clone())
                .or_else(|| {
                    view.attr("throttle_classes")
                        .map(|(f, n)| self.class_names(f, n))
                })
                .unwrap_or_else(|| self.defaults.throttle.clone());
            route.rate_limit.extend(throttle);
            if list.is_some() {
                match view.attr("pagination_class") {
                    Some((_, n)) if n.kind() == "none" => {}
                    Some((f, n)) => {
                        let name = dotted(self.src(f), n);
                        route.pagination.push(self.evidence(f, last(&name), n));
                    }
                    None => route.pagination.extend(self.defaults.pagination.clone()),
                }
            }
        } else {
            // DRF's attributes do nothing on a plain view, but `permission_classes = []`
            // there still says it is open on purpose.
            if let Some(public) = view
                .attr("permission_classes")
                .map(|(f, n)| self.perm_of(f, n, 0))
                .filter(|p| p.auth.is_empty())
                .and_then(|p| p.public)
            {
                route.public.get_or_insert(public);
            }
            if list.is_some() {
                if let Some((f, n)) = view.attr("paginate_by").filter(|(_, n)| n.kind() != "none") {
                    route.pagination.push(self.evidence(f, "paginate_by", n));
                } else if let Some(method) = view.method("get_paginate_by") {
                    // A project base that reads the page size from its settings.
                    let at = method.node.field("name").unwrap_or(method.node);
                    route
                        .pagination
                        .push(self.evidence(method.file, "get_paginate_by", at));
                }
            }
            if !method_decorators.login_not_required && !class_decorators.login_not_required {
                route.auth.extend(self.defaults.login_middleware.clone());
            }
        }
        if !route.auth.is_empty() {
            route.public = None;
        }
        if let Some(name) = list {
            let at = view.node.field("name").unwrap_or(view.node);
            route.collection = Some(self.evidence(view.file, name, at));
        }
        // A view the project names public (`TournamentPublicHomeView`, a
        // `PublicTournamentPageMixin` base) is open on purpose, as `AllowAny` says.
        if route.auth.is_empty() && route.public.is_none() {
            let says_public = |name: &str| {
                crate::model::naming::words(name)
                    .iter()
                    .any(|w| w == "public")
            };
            if says_public(&view.name) || view.bases.iter().any(|(b, _, _)| says_public(b)) {
                let at = view.node.field("name").unwrap_or(view.node);
                route.public = Some(self.evidence(view.file, view.name.clone(), at));
            }
        }
        // `dispatch()` runs before every handler of the view: a check on the caller
        // there guards them all (often the dispatch of the access mixin already found).
        if let Some(check) = view
            .method("dispatch")
            .filter(|_| route.auth.is_empty())
            .and_then(|d| self.body_facts(d.file, d.node).user_check)
        {
            route.auth.push(check);
            route.public = None;
        }
        if let Some(def) = def {
            let body = self.body_facts(def.file, def.node);
            if let Some(check) = body.user_check {
                route.auth.push(check);
                route.public = None;
            }
            route.declared_status = body.status;
            route.query_params = body.query_params;
            route.pagination.extend(body.pagination);
            if route.collection.is_none() && !self.reads_one_item(def, &route.path) {
                route.collection = body.collection;
            }
        }
    }

    /// The methods a list of names gives: `["patch", "delete"]`; nothing when the list
    /// is not written out (a name, a concatenation).
    fn method_names(&self, file: usize, list: Node<'a>) -> Option<Vec<Method>> {
        if !matches!(list.kind(), "list" | "tuple") {
            return None;
        }
        let source = self.src(file);
        Some(
            list.named_children()
                .filter_map(|item| string_of(source, item))
                .filter_map(|name| Method::from_key(&name.to_ascii_lowercase()))
                .collect(),
        )
    }

    /// Whether a handler method's signature fits `path`'s parameters (after `self` and
    /// `request`); see [`super::signature_fits`].
    fn fits_path(&self, def: &MethodDef<'a>, path: &str) -> bool {
        super::signature_fits(self.src(def.file), def.node, path, 2)
    }

    /// A view routed both at `/labels` and at `/labels/{pk}` with
    /// `def get(self, request, pk=None)` lists without `pk` and reads one item with it:
    /// on the path that ends with `pk`, the list its body builds is not what it returns.
    fn reads_one_item(&self, def: &MethodDef<'a>, path: &str) -> bool {
        let Some(last) = crate::model::path::segments(path).last() else {
            return false;
        };
        let Some(name) = last.strip_prefix('{').and_then(|l| l.strip_suffix('}')) else {
            return false;
        };
        let source = self.src(def.file);
        def.node.field("parameters").is_some_and(|params| {
            params.named_children().any(|p| {
                matches!(p.kind(), "default_parameter" | "typed_default_parameter")
                    && p.field("name").is_some_and(|n| text(source, n) == name)
                    && p.field("value").is_some_and(|v| v.kind() == "none")
            })
        })
    }

    // ---- routers -------------------------------------------------------------------

    fn router_routes(&self, key: &(usize, String), prefix: &str, walk: &mut Walk) {
        let Some(registrations) = self.registrations.get(key) else {
            return;
        };
        for &(file, call) in registrations {
            let source = self.src(file);
            let args = CallArgs::of(source, call);
            let register_prefix = args
                .get(0, "prefix")
                .and_then(|n| string_of(source, n))
                .unwrap_or_default();
            let Some(viewset) = args.get(1, "viewset") else {
                continue;
            };
            let base = join_paths(prefix, &normalise_path(&register_prefix));
            let location = loc(source, call);
            if let Some(Def::Class(f, class)) = self.resolve(file, &dotted(source, viewset), true) {
                self.viewset_routes(f, class, &base, &location, walk);
            }
        }
    }

    fn viewset_routes(
        &self,
        file: usize,
        class: Node<'a>,
        base: &str,
        location: &Location,
        walk: &mut Walk,
    ) {
        let view = self.class_view(file, class);
        let module = self.handler_module(view.file);
        let mut actions: Vec<&str> = Vec::new();
        for (b, _, _) in &view.bases {
            actions.extend(base_actions(b));
        }
        let lookup = ["lookup_url_kwarg", "lookup_field"]
            .iter()
            .find_map(|a| {
                let (f, n) = view.attr(a)?;
                string_of(self.src(f), n)
            })
            .unwrap_or_else(|| "pk".to_string());
        let detail_base = join_paths(base, &format!("{{{lookup}}}"));
        for (name, method, detail) in STANDARD_ACTIONS {
            if !actions.contains(&name) && view.method(name).is_none() {
                continue;
            }
            let path = if detail { detail_base.as_str() } else { base };
            let site = Site { path, location };
            let def = view.method(name);
            let function = def.and_then(|d| self.fn_index(d.file, d.node));
            let handler = format!("{module}.{}.{name}", view.name);
            let mut route = self.route(Framework::DjangoRest, method, &site, handler, function);
            let list = (name == "list").then(|| "list".to_string());
            self.class_evidence(&mut route, &view, def, None, list, true);
            walk.out.push(route);
        }
        // Extra actions, then the methods mapped onto them.
        let mut extra: HashMap<String, (String, Action)> = HashMap::new();
        let mut mapped = Vec::new();
        for def in &view.methods {
            let decorators = self.decorators_of(def.file, def.node);
            if let Some((action_name, method)) = decorators.mapping {
                mapped.push((def, action_name, method));
            }
            let Some(action) = decorators.action else {
                continue;
            };
            let url = action.url_path.clone().unwrap_or_else(|| def.name.clone());
            let parent = if action.detail {
                detail_base.as_str()
            } else {
                base
            };
            let path = join_paths(parent, &normalise_path(&url));
            let function = self.fn_index(def.file, def.node);
            for method in &action.methods {
                let site = Site {
                    path: &path,
                    location,
                };
                let handler = format!("{module}.{}.{}", view.name, def.name);
                let mut route =
                    self.route(Framework::DjangoRest, *method, &site, handler, function);
                self.class_evidence(&mut route, &view, Some(def), Some(&action), None, true);
                walk.out.push(route);
            }
            extra.insert(def.name.clone(), (path, action));
        }
        for (def, action_name, method) in mapped {
            let Some((path, action)) = extra.get(&action_name) else {
                continue;
            };
            let site = Site { path, location };
            let handler = format!("{module}.{}.{}", view.name, def.name);
            let function = self.fn_index(def.file, def.node);
            let mut route = self.route(Framework::DjangoRest, method, &site, handler, function);
            self.class_evidence(&mut route, &view, Some(def), Some(action), None, true);
            walk.out.push(route);
        }
    }

    // ---- decorators and evidence ---------------------------------------------------

    fn decorators_of(&self, file: usize, definition: Node<'a>) -> Decorators {
        let mut decorators = Decorators::default();
        if let Some(parent) = definition
            .parent()
            .filter(|p| p.kind() == "decorated_definition")
        {
            for decorator in named_children(parent)
                .into_iter()
                .filter(|c| c.kind() == "decorator")
            {
                if let Some(expr) = decorator.named_child(0) {
                    self.apply_decorator(file, expr, &mut decorators, 0);
                }
            }
        }
        decorators
    }

    fn apply_decorator(&self, file: usize, expr: Node<'a>, out: &mut Decorators, depth: usize) {
        if depth > 4 {
            return;
        }
        let source = self.src(file);
        let name = dotted(source, expr);
        let short = last(&name);
        let args = (expr.kind() == "call").then(|| CallArgs::of(source, expr));
        let first = args.as_ref().and_then(|a| a.positional.first().copied());
        match short {
            "require_http_methods" => out.methods = first.map(|n| methods_of(source, n)),
            "require_GET" | "require_safe" => out.methods = Some(vec![Method::Get]),
            "require_POST" => out.methods = Some(vec![Method::Post]),
            "api_view" => {
                out.api_view = true;
                let methods = args
                    .as_ref()
                    .and_then(|a| a.get(0, "http_method_names"))
                    .map(|n| methods_of(source, n))
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| vec![Method::Get]);
                out.methods = Some(methods);
            }
            "login_not_required" => out.login_not_required = true,
            "permission_classes" => out.permission = first.map(|n| self.perm_of(file, n, 0)),
            "throttle_classes" => out.throttle = first.map(|n| self.class_names(file, n)),
            "ratelimit" => out.rate_limit.push(self.evidence(file, "ratelimit", expr)),
            "method_decorator" => {
                if let Some(arg) = first {
                    if matches!(arg.kind(), "list" | "tuple") {
                        for item in named_children(arg) {
                            self.apply_decorator(file, item, out, depth + 1);
                        }
                    } else {
                        self.apply_decorator(file, arg, out, depth + 1);
                    }
                }
            }
            "action" => {
                if let Some(args) = &args {
                    out.action = Some(self.action_of(file, args));
                } else {
                    out.action = Some(Action {
                        detail: false,
                        methods: vec![Method::Get],
                        url_path: None,
                        permission: None,
                        throttle: None,
                    });
                }
            }
            s if AUTH_DECORATORS.contains(&s) || s.ends_with("_required") => {
                out.auth.push(self.evidence(file, s, expr))
            }
            _ => {
                if let Some((action, method)) = name.split_once(".mapping.") {
                    if let Some(m) = Method::from_key(&method.to_ascii_lowercase()) {
                        out.mapping = Some((last(action).to_string(), m));
                    }
                }
            }
        }
    }

    fn action_of(&self, file: usize, args: &CallArgs<'a>) -> Action {
        let source = self.src(file);
        let methods = args
            .keyword("methods")
            .map(|n| methods_of(source, n))
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| vec![Method::Get]);
        Action {
            detail: args
                .keyword("detail")
                .is_some_and(|n| matches!(value_of(source, n, 0), Value::Bool(true))),
            methods,
            url_path: args.keyword("url_path").and_then(|n| string_of(source, n)),
            permission: args
                .keyword("permission_classes")
                .map(|n| self.perm_of(file, n, 0)),
            throttle: args
                .keyword("throttle_classes")
                .map(|n| self.class_names(file, n)),
        }
    }

    /// `[IsAuthenticated]`, `(IsAuthenticated & IsOwner,)`, `[AllowAny]`, `[]`.
    fn perm_of(&self, file: usize, node: Node<'a>, depth: usize) -> Perm {
        let source = self.src(file);
        let mut perm = Perm::default();
        match node.kind() {
            "list" | "tuple" => {
                let items = named_children(node);
                if items.is_empty() {
                    perm.public = Some(self.evidence(file, "permission_classes = []", node));
                }
                for item in items {
                    let mut names = Vec::new();
                    let mut either = false;
                    collect_names(source, item, &mut names, &mut either, 0);
                    let allow_any = names.iter().find(|(n, _)| n == "AllowAny");
                    match allow_any {
                        Some((name, at)) if either || names.len() == 1 => {
                            perm.public = Some(self.evidence(file, name.clone(), *at));
                        }
                        _ => {
                            for (name, at) in names.into_iter().filter(|(n, _)| n != "AllowAny") {
                                perm.auth.push(self.evidence(file, name, at));
                            }
                        }
                    }
                }
            }
            "binary_operator" => {
                for side in ["left", "right"] {
                    if let Some(child) = node.field(side) {
                        let part = self.perm_of(file, child, depth + 1);
                        perm.auth.extend(part.auth);
                        perm.public = perm.public.or(part.public);
                    }
                }
            }
            "parenthesized_expression" => {
                if let Some(inner) = node.named_child(0) {
                    return self.perm_of(file, inner, depth + 1);
                }
            }
            "identifier" | "attribute" => {
                let name = dotted(source, node);
                let value = (node.kind() == "identifier" && depth < 4)
                    .then(|| {
                        self.index
                            .get(file)
                            .and_then(|f| f.values.get(&name))
                            .and_then(|v| v.last().copied())
                    })
                    .flatten();
                if let Some(value) = value {
                    return self.perm_of(file, value, depth + 1);
                }
                if name.ends_with("DEFAULT_PERMISSION_CLASSES") {
                    return self.defaults.permission.clone().unwrap_or_default();
                }
                perm.auth.push(self.evidence(file, last(&name), node));
            }
            _ => {}
        }
        if !perm.auth.is_empty() {
            perm.public = None;
        }
        perm
    }

    /// Class names in a list (throttle classes): `[UserRateThrottle]`.
    fn class_names(&self, file: usize, node: Node<'a>) -> Vec<Evidence> {
        let source = self.src(file);
        let items = if matches!(node.kind(), "list" | "tuple") {
            named_children(node)
        } else {
            vec![node]
        };
        let mut out = Vec::new();
        for item in items {
            let mut names = Vec::new();
            collect_names(source, item, &mut names, &mut false, 0);
            out.extend(names.into_iter().map(|(n, at)| self.evidence(file, n, at)));
        }
        out
    }

    // ---- handler bodies ------------------------------------------------------------

    fn body_facts(&self, file: usize, definition: Node<'a>) -> Body {
        let source = self.src(file);
        let mut facts = Body::default();
        let Some(body) = definition.field("body") else {
            return facts;
        };
        let mut many = None;
        let mut sliced = false;
        let mut queryset = false;
        let mut returned = None;
        let mut stack = vec![(body, false)];
        let mut visited = 0;
        while let Some((node, in_return)) = stack.pop() {
            visited += 1;
            if visited > MAX_BODY_NODES {
                break;
            }
            let in_return = in_return || node.kind() == "return_statement";
            match node.kind() {
                "if_statement" | "elif_clause" if facts.user_check.is_none() => {
                    // The branch must end the request (`return`, `raise`): setting the
                    // user's language when they are logged in guards nothing.
                    let leaves = node.field("consequence").is_some_and(|branch| {
                        let mut leaves = false;
                        branch.visit(|n| {
                            leaves |= matches!(n.kind(), "return_statement" | "raise_statement");
                            !leaves
                        });
                        leaves
                    });
                    if let Some(condition) = node.field("condition").filter(|_| leaves) {
                        if let Some(asked) = user_check_in(text(source, condition)) {
                            let name = if asked == "perm" {
                                "permission check on request.user".to_string()
                            } else {
                                format!("request.user.{asked} check")
                            };
                            facts.user_check = Some(self.evidence(file, name, condition));
                        }
                    }
                }
                "comparison_operator" if text(source, node).contains("method") => {
                    let mut inner = vec![node];
                    while let Some(n) = inner.pop() {
                        if n.kind() == "string" {
                            if let Some(m) = string_of(source, n)
                                .and_then(|s| Method::from_key(&s.to_ascii_lowercase()))
                            {
                                if !facts.methods.contains(&m) {
                                    facts.methods.push(m);
                                }
                            }
                        } else if inner.len() < 64 {
                            inner.extend(named_children(n));
                        }
                    }
                }
                "call" => {
                    let callee = node
                        .field("function")
                        .map(|f| dotted(source, f))
                        .unwrap_or_default();
                    let short = last(&callee);
                    let args = CallArgs::of(source, node);
                    if facts.status.is_none()
                        && matches!(short, "Response" | "JsonResponse" | "HttpResponse")
                    {
                        facts.status = args
                            .keyword("status")
                            .and_then(|s| status_of(text(source, s)))
                            .filter(|s| (200..300).contains(s));
                    }
                    if callee.ends_with("query_params.get")
                        || callee.ends_with("query_params.getlist")
                        || callee.ends_with("GET.get")
                        || callee.ends_with("GET.getlist")
                    {
                        if let Some(name) =
                            args.positional.first().and_then(|n| string_of(source, *n))
                        {
                            if !facts.query_params.contains(&name) {
                                facts.query_params.push(name);
                            }
                        }
                    }
                    if facts.pagination.is_none() && pages(short) {
                        facts.pagination = Some(self.evidence(file, callee.clone(), node));
                    }
                    if many.is_none() && args.keyword("many").is_some_and(|n| n.kind() == "true") {
                        many = Some(self.evidence(file, format!("{short}(many=True)"), node));
                    }
                    let is_queryset = (callee.contains("objects")
                        && matches!(short, "all" | "filter" | "exclude" | "order_by" | "values"))
                        || matches!(short, "get_queryset" | "filter_queryset");
                    if is_queryset {
                        queryset = true;
                        if in_return && returned.is_none() {
                            returned = Some(self.evidence(file, callee.clone(), node));
                        }
                    }
                }
                "subscript" => {
                    // `queryset[:50]` caps the rows, as `LIMIT` would.
                    if node
                        .children_by_field_name("subscript")
                        .any(|s| s.kind() == "slice")
                    {
                        sliced = true;
                    }
                    let value = node
                        .field("value")
                        .map(|v| dotted(source, v))
                        .unwrap_or_default();
                    if value.ends_with("query_params") || value.ends_with("GET") {
                        if let Some(name) =
                            node.field("subscript").and_then(|s| string_of(source, s))
                        {
                            if !facts.query_params.contains(&name) {
                                facts.query_params.push(name);
                            }
                        }
                    }
                }
                _ => {}
            }
            let children: Vec<Node> = node.named_children().collect();
            stack.extend(children.into_iter().rev().map(|c| (c, in_return)));
        }
        facts.collection = many.filter(|_| queryset).or(returned).filter(|_| !sliced);
        facts
    }
}

/// Sets auth or public evidence from permission classes.
fn apply_perm(route: &mut Route, perm: Option<Perm>) {
    if let Some(perm) = perm {
        route.auth.extend(perm.auth);
        if route.auth.is_empty() {
            route.public = perm.public;
        }
    }
}

/// Class names in a permission expression: `IsAuthenticated & (IsOwner | IsAdmin)`.
/// `either` is set when an `|` combines them.
fn collect_names<'a>(
    source: &SharedSource,
    node: Node<'a>,
    out: &mut Vec<(String, Node<'a>)>,
    either: &mut bool,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    match node.kind() {
        "identifier" | "attribute" => out.push((last(&dotted(source, node)).to_string(), node)),
        "call" => {
            if let Some(function) = node.field("function") {
                out.push((last(&dotted(source, function)).to_string(), node));
            }
        }
        "string" => {
            if let Some(s) = string_of(source, node) {
                out.push((last(&s).to_string(), node));
            }
        }
        "binary_operator"
        | "boolean_operator"
        | "unary_operator"
        | "not_operator"
        | "parenthesized_expression" => {
            if node
                .field("operator")
                .is_some_and(|o| matches!(text(source, o), "|" | "or"))
            {
                *either = true;
            }
            for child in named_children(node) {
                collect_names(source, child, out, either, depth + 1);
            }
        }
        _ => {}
    }
}

/// `status.HTTP_201_CREATED` → 201, `201` → 201.
fn status_of(expr: &str) -> Option<u16> {
    if let Some(at) = expr.find("HTTP_") {
        return expr.get(at + 5..at + 8)?.parse().ok();
    }
    expr.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use crate::code::python::routes::test_support::{find, method_paths, names, routes_of};
    use crate::model::code::{Framework, Route};
    use crate::model::Method;

    fn routes(files: &[(&str, &str)]) -> Vec<Route> {
        routes_of(files, &[Framework::Django, Framework::DjangoRest])
    }

    fn summary(routes: &[Route]) -> Vec<String> {
        let mut lines: Vec<String> = routes
            .iter()
            .map(|r| format!("{} {} {}", r.method.upper(), r.path, r.handler))
            .collect();
        lines.sort();
        lines
    }

    const SETTINGS: &str = r#"
ROOT_URLCONF = "project.urls"
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
}
"#;

    const ROOT_URLS: &str = r#"
from django.urls import include, path, re_path
from shop import views as shop_views

urlpatterns = [
    path("api/", include("shop.urls")),
    re_path(r"^legacy/(?P<year>[0-9]{4})/$", shop_views.archive),
]
"#;

    const SHOP_URLS: &str = r#"
from django.urls import include, path
from rest_framework.routers import DefaultRouter
from . import views

router = DefaultRouter()
router.register(r"users", views.UserViewSet, basename="user")
router.register(r"tags", views.TagViewSet)

urlpatterns = [
    path("orders/", views.OrderList.as_view(), name="orders"),
    path("orders/<int:pk>/", views.OrderDetail.as_view()),
    path("login/", views.LoginView.as_view()),
    path("ping/", views.ping),
    path("contact/", views.contact),
    path("", include(router.urls)),
]
"#;

    const SHOP_VIEWS: &str = r#"
from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView


class UserViewSet(viewsets.ModelViewSet):
    lookup_field = "username"
    throttle_classes = []

    @action(detail=True, methods=["post"], url_path="set-password")
    def set_password(self, request, username=None):
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=False)
    def recent(self, request):
        return Response([])


class TagViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAdminUser]
    pagination_class = None


class BaseList(generics.ListAPIView):
    permission_classes = [AllowAny]


class OrderList(BaseList):
    async def post(self, request):
        return Response({}, status=status.HTTP_201_CREATED)


class OrderDetail(generics.RetrieveUpdateDestroyAPIView):
    pass


class LoginView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        return Response({})


@api_view(["GET", "POST"])
@permission_classes([AllowAny])
def ping(request):
    return Response({})


@login_required
def contact(request):
    if request.method == "POST":
        pass
    return render(request, "contact.html")


@require_http_methods(["GET"])
def archive(request, year):
    return render(request, "archive.html")
"#;

    fn shop() -> Vec<Route> {
        routes(&[
            ("project/settings.py", SETTINGS),
            ("project/urls.py", ROOT_URLS),
            ("shop/urls.py", SHOP_URLS),
            ("shop/views.py", SHOP_VIEWS),
        ])
    }

    #[test]
    fn paths_resolve_through_include_chains() {
        let routes = shop();
        assert_eq!(
            summary(&routes),
            vec![
                "DELETE /api/orders/{pk} shop.views.OrderDetail.delete",
                "DELETE /api/users/{username} shop.views.UserViewSet.destroy",
                "GET /api/contact shop.views.contact",
                "GET /api/orders shop.views.OrderList.get",
                "GET /api/orders/{pk} shop.views.OrderDetail.get",
                "GET /api/ping shop.views.ping",
                "GET /api/tags shop.views.TagViewSet.list",
                "GET /api/users shop.views.UserViewSet.list",
                "GET /api/users/recent shop.views.UserViewSet.recent",
                "GET /api/users/{username} shop.views.UserViewSet.retrieve",
                "GET /legacy/{year} shop.views.archive",
                "PATCH /api/orders/{pk} shop.views.OrderDetail.patch",
                "PATCH /api/users/{username} shop.views.UserViewSet.partial_update",
                "POST /api/contact shop.views.contact",
                "POST /api/login shop.views.LoginView.post",
                "POST /api/orders shop.views.OrderList.post",
                "POST /api/ping shop.views.ping",
                "POST /api/users shop.views.UserViewSet.create",
                "POST /api/users/{username}/set-password shop.views.UserViewSet.set_password",
                "PUT /api/orders/{pk} shop.views.OrderDetail.put",
                "PUT /api/users/{username} shop.views.UserViewSet.update",
            ]
        );
        let archive = find(&routes, Method::Get, "/legacy/{year}");
        assert_eq!(archive.framework, Framework::Django);
        assert!(archive.function.is_some());
        let set_password = find(&routes, Method::Post, "/api/users/{username}/set-password");
        assert!(set_password.location.path().ends_with("shop/urls.py"));
        assert!(set_password.function.is_some());
        assert_eq!(set_password.framework, Framework::DjangoRest);
        let orders = find(&routes, Method::Post, "/api/orders");
        assert!(orders.is_async);
        assert_eq!(orders.declared_status, Some(201));
    }

    #[test]
    fn evidence_from_attributes_and_defaults() {
        let routes = shop();
        // Defaults from REST_FRAMEWORK, located in settings.
        let detail = find(&routes, Method::Get, "/api/orders/{pk}");
        assert_eq!(names(&detail.auth), ["IsAuthenticated"]);
        assert!(detail.auth[0].location.path().ends_with("settings.py"));
        assert_eq!(names(&detail.rate_limit), ["UserRateThrottle"]);
        assert!(detail.pagination.is_empty());
        assert!(detail.collection.is_none());

        // `throttle_classes = []` removes the default throttle; list is paginated.
        let users = find(&routes, Method::Get, "/api/users");
        assert_eq!(names(&users.auth), ["IsAuthenticated"]);
        assert!(users.rate_limit.is_empty());
        assert_eq!(names(&users.pagination), ["PageNumberPagination"]);
        assert!(users.collection.is_some());
        assert!(find(&routes, Method::Get, "/api/users/{username}")
            .pagination
            .is_empty());

        // Class attribute; `pagination_class = None`.
        let tags = find(&routes, Method::Get, "/api/tags");
        assert_eq!(names(&tags.auth), ["IsAdminUser"]);
        assert!(tags.auth[0].location.path().ends_with("views.py"));
        assert!(tags.pagination.is_empty());
        assert!(tags.collection.is_some());

        // AllowAny inherited from a project base class.
        let orders = find(&routes, Method::Get, "/api/orders");
        assert!(orders.auth.is_empty());
        assert_eq!(
            orders.public.as_ref().map(|e| e.name.as_str()),
            Some("AllowAny")
        );
        assert_eq!(
            orders.collection.as_ref().map(|e| e.name.as_str()),
            Some("ListAPIView")
        );
        assert_eq!(names(&orders.pagination), ["PageNumberPagination"]);

        let login = find(&routes, Method::Post, "/api/login");
        assert!(login.auth.is_empty());
        assert!(login.public.is_some());

        let ping = find(&routes, Method::Post, "/api/ping");
        assert!(ping.auth.is_empty());
        assert!(ping.public.is_some());
        assert_eq!(ping.framework, Framework::DjangoRest);

        let contact = find(&routes, Method::Post, "/api/contact");
        assert_eq!(names(&contact.auth), ["login_required"]);
        assert_eq!(contact.framework, Framework::Django);
        assert!(contact.rate_limit.is_empty());
    }

    #[test]
    fn a_project_mixin_built_on_access_mixin_is_auth() {
        let routes = routes(&[
            (
                "src/config/urls.py",
                r#"
from django.urls import path
from inventory.views import DeviceEdit, Home

urlpatterns = [
    path("", Home.as_view()),
    path("devices/<int:pk>/edit/", DeviceEdit.as_view()),
]
"#,
            ),
            (
                "src/inventory/mixins.py",
                r#"
from django.conf import settings
from django.contrib.auth.mixins import AccessMixin


class LoginWhenConfiguredMixin(AccessMixin):
    def dispatch(self, request, *args, **kwargs):
        if settings.LOGIN_REQUIRED and not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class DevicePermissionMixin(LoginWhenConfiguredMixin):
    pass
"#,
            ),
            (
                "src/inventory/views.py",
                r#"
from django.views import View
from .mixins import DevicePermissionMixin, LoginWhenConfiguredMixin


class Home(LoginWhenConfiguredMixin, View):
    def get(self, request):
        pass


class DeviceEdit(DevicePermissionMixin, View):
    def post(self, request, pk):
        pass
"#,
            ),
        ]);
        for (method, path) in [(Method::Get, "/"), (Method::Post, "/devices/{pk}/edit")] {
            let route = find(&routes, method, path);
            assert_eq!(names(&route.auth), ["AccessMixin"], "{path}");
            assert!(route.auth[0]
                .location
                .path()
                .ends_with("inventory/mixins.py"));
        }
    }

    #[test]
    fn decorators_named_like_login_required_are_authentication() {
        let routes = routes(&[
            (
                "config/urls.py",
                r#"
from django.urls import path
from recipes import views

urlpatterns = [path("export/", views.export), path("about/", views.about)]
"#,
            ),
            (
                "recipes/views.py",
                r#"
from recipes.permissions import group_required
from django.views.decorators.http import require_http_methods


@group_required("user")
def export(request):
    return HttpResponse()


@require_http_methods(["GET"])
def about(request):
    return HttpResponse()
"#,
            ),
        ]);
        assert_eq!(
            names(&find(&routes, Method::Get, "/export").auth),
            ["group_required"]
        );
        assert!(find(&routes, Method::Get, "/about").auth.is_empty());
    }

    #[test]
    fn a_list_view_paged_by_its_base_class_is_paginated() {
        let routes = routes(&[
            (
                "config/urls.py",
                r#"
from django.urls import path
from tags.views import TagList, LabelList

urlpatterns = [path("tags/", TagList.as_view()), path("labels/", LabelList.as_view())]
"#,
            ),
            (
                "tags/views.py",
                r#"
from django.conf import settings
from django.views.generic import ListView


class PagedListView(ListView):
    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE


class TagList(PagedListView):
    model = Tag


class LabelList(ListView):
    model = Label
"#,
            ),
        ]);
        let tags = find(&routes, Method::Get, "/tags");
        assert_eq!(names(&tags.pagination), ["get_paginate_by"]);
        assert!(tags.collection.is_some());
        let labels = find(&routes, Method::Get, "/labels");
        assert!(labels.pagination.is_empty());
        assert!(labels.collection.is_some());
    }

    #[test]
    fn confs_without_root_urlconf_and_router_urls_appended() {
        let routes = routes(&[
            (
                "src/config/urls.py",
                r#"
from django.urls import include, path
from blog.urls import api_patterns

urlpatterns = [
    path("blog/", include(("blog.urls", "blog"), namespace="blog")),
    path("v2/", include(api_patterns)),
]
"#,
            ),
            (
                "src/blog/urls.py",
                r#"
from django.urls import path
from rest_framework import routers
from .views import PostList, PostViewSet, PostUpdate, stats
from .views import ArchiveView

router = routers.SimpleRouter()
router.register("posts", PostViewSet)

api_patterns = [
    path("stats/", stats),
]

urlpatterns = [
    path("", PostList.as_view()),
    path("<slug:slug>/edit/", PostUpdate.as_view()),
    path("archive/", ArchiveView.as_view()),
]
urlpatterns += router.urls
"#,
            ),
            (
                "src/blog/views.py",
                r#"
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView, UpdateView
from rest_framework.viewsets import ReadOnlyModelViewSet
from rest_framework.decorators import action, throttle_classes, api_view
from ratelimit.decorators import ratelimit
from .base import AuditedView


class PostList(ListView):
    paginate_by = 10


class PostUpdate(LoginRequiredMixin, UpdateView):
    def get(self, request, slug):
        return super().get(request, slug)


class ArchiveView(AuditedView):
    pass


class PostViewSet(ReadOnlyModelViewSet):
    lookup_url_kwarg = "post_id"

    @action(detail=True, methods=["post", "delete"], permission_classes=[])
    def like(self, request, post_id=None):
        pass


@ratelimit(key="ip", rate="5/m")
def stats(request):
    q = request.GET.get("q")
    return JsonResponse(list(Post.objects.filter(title=q).values()))
"#,
            ),
            (
                "src/blog/base.py",
                r#"
from django.contrib.auth.decorators import login_required
from django.utils.decorators import method_decorator
from django.views import View

@method_decorator(login_required, name="dispatch")
class AuditedView(View):
    def get(self, request):
        pass

    def delete(self, request):
        pass
"#,
            ),
        ]);
        assert_eq!(
            summary(&routes),
            vec![
                "DELETE /blog/archive src.blog.views.ArchiveView.delete",
                "DELETE /blog/posts/{post_id}/like src.blog.views.PostViewSet.like",
                "GET /blog src.blog.views.PostList.get",
                "GET /blog/archive src.blog.views.ArchiveView.get",
                "GET /blog/posts src.blog.views.PostViewSet.list",
                "GET /blog/posts/{post_id} src.blog.views.PostViewSet.retrieve",
                "GET /blog/{slug}/edit src.blog.views.PostUpdate.get",
                "GET /v2/stats src.blog.views.stats",
                "POST /blog/posts/{post_id}/like src.blog.views.PostViewSet.like",
                "POST /blog/{slug}/edit src.blog.views.PostUpdate.post",
            ]
        );
        let list = find(&routes, Method::Get, "/blog");
        assert_eq!(names(&list.pagination), ["paginate_by"]);
        assert!(list.collection.is_some());
        assert!(list.auth.is_empty());
        let edit = find(&routes, Method::Post, "/blog/{slug}/edit");
        assert_eq!(names(&edit.auth), ["LoginRequiredMixin"]);
        assert!(edit.function.is_none());
        assert!(find(&routes, Method::Get, "/blog/{slug}/edit")
            .function
            .is_some());
        let archive = find(&routes, Method::Delete, "/blog/archive");
        assert!(archive.function.is_some());
        assert_eq!(names(&archive.auth), ["login_required"]);
        assert!(archive.location.path().ends_with("blog/urls.py"));
        let like = find(&routes, Method::Post, "/blog/posts/{post_id}/like");
        assert!(like.public.is_some());
        assert!(like.auth.is_empty());
        // No REST_FRAMEWORK defaults: nothing inherited.
        let posts = find(&routes, Method::Get, "/blog/posts");
        assert!(posts.auth.is_empty() && posts.public.is_none());
        assert!(posts.pagination.is_empty());
        let stats = find(&routes, Method::Get, "/v2/stats");
        assert_eq!(names(&stats.rate_limit), ["ratelimit"]);
        assert_eq!(stats.query_params, ["q"]);
        assert!(stats.collection.is_some());
    }

    #[test]
    fn paginate_by_in_old_drf_settings_pages_every_list() {
        let routes = routes(&[
            (
                "settings.py",
                r#"
ROOT_URLCONF = "urls"
REST_FRAMEWORK = {"PAGINATE_BY": 30, "PAGINATE_BY_PARAM": "page_size"}
"#,
            ),
            (
                "urls.py",
                r#"
from rest_framework.routers import DefaultRouter
from views import ItemViewSet
router = DefaultRouter()
router.register("items", ItemViewSet)
urlpatterns = router.urls
"#,
            ),
            (
                "views.py",
                r#"
from rest_framework import viewsets
class ItemViewSet(viewsets.ModelViewSet):
    queryset = Item.objects.all()
"#,
            ),
        ]);
        let list = find(&routes, Method::Get, "/items");
        assert_eq!(names(&list.pagination), ["PAGINATE_BY"]);
    }

    #[test]
    fn a_paginator_called_in_the_handler_pages_the_list() {
        let routes = routes(&[
            (
                "urls.py",
                r#"
from django.urls import path
from views import StateList, LabelList, page_of_tags, RecentLabels
urlpatterns = [
    path("states/", StateList.as_view()),
    path("labels/", LabelList.as_view()),
    path("labels/<int:pk>/", LabelList.as_view()),
    path("tags/", page_of_tags),
    path("recent/", RecentLabels.as_view()),
]
"#,
            ),
            (
                "views.py",
                r#"
from django.core.paginator import Paginator
from rest_framework.views import APIView
from rest_framework.response import Response
class StateList(APIView):
    def get(self, request):
        return self.paginate(
            request=request,
            queryset=State.objects.filter(project=request.project),
            on_results=lambda states: StateSerializer(states, many=True).data,
        )
class LabelList(APIView):
    def get(self, request, pk=None):
        if pk is None:
            labels = Label.objects.filter(project=request.project)
            return Response(LabelSerializer(labels, many=True).data)
        return Response(LabelSerializer(Label.objects.get(pk=pk)).data)
class RecentLabels(APIView):
    def get(self, request):
        labels = Label.objects.order_by("-created")[:50]
        return Response(LabelSerializer(labels, many=True).data)
def page_of_tags(request):
    paginator = Paginator(Tag.objects.all(), 25)
    return render(request, "tags.html", {"page": paginator.get_page(request.GET.get("page"))})
"#,
            ),
        ]);
        // One view for the list and for one label.
        let label = find(&routes, Method::Get, "/labels/{pk}");
        assert!(label.collection.is_none(), "{:?}", label.collection);
        let recent = find(&routes, Method::Get, "/recent");
        assert!(recent.collection.is_none(), "{:?}", recent.collection);
        let states = find(&routes, Method::Get, "/states");
        assert_eq!(names(&states.pagination), ["self.paginate"]);
        let labels = find(&routes, Method::Get, "/labels");
        assert!(labels.pagination.is_empty());
        assert!(labels.collection.is_some());
        assert_eq!(
            names(&find(&routes, Method::Get, "/tags").pagination),
            ["Paginator"]
        );
    }

    #[test]
    fn a_librarys_model_viewset_brings_the_standard_actions() {
        let routes = routes(&[
            ("settings.py", "ROOT_URLCONF = \"urls\"\n"),
            (
                "urls.py",
                r#"
from rest_framework.routers import DefaultRouter
from views import AssetViewSet, LogViewSet
router = DefaultRouter()
router.register("assets", AssetViewSet)
router.register("logs", LogViewSet)
urlpatterns = router.urls
"#,
            ),
            (
                "views.py",
                r#"
from rest_framework.decorators import action
from rest_framework_bulk import BulkModelViewSet
from common.const.http import POST
from common.viewsets import AuditReadOnlyModelViewSet
class OrgBulkModelViewSet(BulkModelViewSet):
    pass
class AssetViewSet(OrgBulkModelViewSet):
    queryset = Asset.objects.all()
    @action(detail=False, methods=[POST], url_path="sync")
    def sync(self, request):
        return None
class LogViewSet(AuditReadOnlyModelViewSet):
    queryset = Log.objects.all()
"#,
            ),
        ]);
        let all = method_paths(&routes);
        assert_eq!(
            all,
            [
                "DELETE /assets/{pk}",
                "GET /assets",
                "GET /assets/{pk}",
                "GET /logs",
                "GET /logs/{pk}",
                "PATCH /assets/{pk}",
                "POST /assets",
                // The method is a constant named after it.
                "POST /assets/sync",
                "PUT /assets/{pk}",
            ]
        );
    }

    #[test]
    fn include_cycles_and_unmounted_routers_terminate() {
        let routes = routes(&[
            (
                "a/urls.py",
                r#"
from django.urls import include, path, url
urlpatterns = [path("b/", include("b.urls")), url(r"^x/$", "a.views.x")]
"#,
            ),
            (
                "b/urls.py",
                r#"
from django.urls import include, path
from . import views
urlpatterns = [path("a/", include("a.urls")), path("y/", views.y)]
"#,
            ),
            (
                "b/views.py",
                r#"
from rest_framework.routers import DefaultRouter
from rest_framework.viewsets import ViewSet
from django.contrib.auth.views import LoginView

def y(request):
    if request.method in ("PUT", "DELETE"):
        pass

class Things(ViewSet):
    def list(self, request):
        pass

    def destroy(self, request, pk=None):
        pass

router = DefaultRouter()
router.register(r"things", Things)
"#,
            ),
        ]);
        let lines = summary(&routes);
        assert!(lines.contains(&"GET /things b.views.Things.list".to_string()));
        assert!(lines.contains(&"DELETE /things/{pk} b.views.Things.destroy".to_string()));
        // The cycle a → b → a is walked once from each conf at most.
        assert!(lines
            .iter()
            .any(|l| l.starts_with("PUT ") && l.ends_with("b.views.y")));
        assert!(lines.len() < 20, "{lines:#?}");
    }

    #[test]
    fn a_view_serves_only_the_methods_its_signatures_and_http_method_names_allow() {
        let routes = routes(&[
            ("project/settings.py", "ROOT_URLCONF = \"project.urls\"\n"),
            (
                "project/urls.py",
                r#"
from django.conf.urls.i18n import i18n_patterns
from django.urls import path
from app.views import (
    ActivateView, AdminEndpoint, AssetEndpoint, ExportView, FavoriteEndpoint, IssueEndpoint,
    IncidentViewSet,
)

incident_list = IncidentViewSet.as_view({"get": "list", "post": "create"})

urlpatterns = [
    path("admins/", AdminEndpoint.as_view()),
    path("admins/<uuid:pk>/", AdminEndpoint.as_view()),
    path("<str:slug>/favorites/", FavoriteEndpoint.as_view()),
    path("<str:slug>/favorites/<uuid:favorite_id>/", FavoriteEndpoint.as_view()),
    path("issues/<str:project>-<int:sequence>/", IssueEndpoint.as_view()),
    path("assets/", AssetEndpoint.as_view(http_method_names=["post"])),
    path("assets/<uuid:asset_id>/", AssetEndpoint.as_view(http_method_names=["patch", "delete"])),
    path("exports/", ExportView.as_view()),
    path("incidents/", incident_list),
]
urlpatterns += i18n_patterns(path("users/<int:pk>/activate/", ActivateView.as_view()))
"#,
            ),
            (
                "app/views.py",
                r#"
from django.views import View
from rest_framework.views import APIView
from rest_framework.viewsets import ModelViewSet

class AdminEndpoint(APIView):
    def get(self, request):
        pass

    def post(self, request):
        pass

    def delete(self, request, pk):
        pass

class FavoriteEndpoint(APIView):
    def get(self, request, slug):
        pass

    def patch(self, request, slug: str, favorite_id: str):
        pass

    def delete(self, request, *args, **kwargs):
        pass

class IssueEndpoint(APIView):
    def get(self, request, project, sequence):
        pass

class ActivateView(View):
    def post(self, request, pk):
        pass

class AssetEndpoint(APIView):
    def post(self, request, **kwargs):
        pass

    def patch(self, request, **kwargs):
        pass

    def delete(self, request, **kwargs):
        pass

class IncidentViewSet(ModelViewSet):
    pass

class ExportView(View):
    http_method_names = ["get"]

    def get(self, request):
        pass

    def post(self, request):
        pass
"#,
            ),
        ]);
        assert_eq!(
            find(&routes, Method::Post, "/incidents").handler,
            "app.views.IncidentViewSet.create"
        );
        assert_eq!(
            method_paths(&routes),
            [
                "DELETE /admins/{pk}",
                "DELETE /assets/{asset_id}",
                "DELETE /{slug}/favorites",
                "DELETE /{slug}/favorites/{favorite_id}",
                "GET /admins",
                "GET /exports",
                "GET /incidents",
                "GET /issues/{project}-{sequence}",
                "GET /{slug}/favorites",
                "PATCH /assets/{asset_id}",
                "PATCH /{slug}/favorites/{favorite_id}",
                "POST /admins",
                "POST /assets",
                "POST /incidents",
                "POST /{language}/users/{pk}/activate",
            ]
        );
    }

    #[test]
    fn a_view_found_by_name_is_looked_for_first_in_the_module_the_reference_names() {
        let routes = routes(&[
            ("project/settings.py", "ROOT_URLCONF = \"files.urls\"\n"),
            (
                "files/urls.py",
                "from django.urls import path\nfrom . import views\n\nurlpatterns = [path(\"media/\", views.MediaList.as_view())]\n",
            ),
            ("files/views/__init__.py", "from .media import *  # noqa\n"),
            (
                "files/views/media.py",
                "from rest_framework.views import APIView\n\nclass MediaList(APIView):\n    def get(self, request):\n        pass\n\n    def post(self, request):\n        pass\n",
            ),
            (
                "files/management_views.py",
                "from rest_framework.views import APIView\n\nclass MediaList(APIView):\n    def get(self, request):\n        pass\n\n    def delete(self, request):\n        pass\n",
            ),
        ]);
        assert_eq!(method_paths(&routes), ["GET /media", "POST /media"]);
        assert_eq!(
            find(&routes, Method::Post, "/media").handler,
            "files.views.media.MediaList.post"
        );
    }

    #[test]
    fn a_conf_included_through_lists_of_lists_is_not_also_a_root() {
        let routes = routes(&[
            (
                "proj/urls.py",
                r#"
from functools import reduce
from operator import add
from django.urls import include, path
from app import views

basic_urls = [path("", views.home)]
api_urls = [path("api/v2/", include("app.api.urls"))]
groups = [basic_urls, api_urls]
urlpatterns = reduce(add, groups)
"#,
            ),
            (
                "app/views.py",
                "def home(request):\n    pass\n\ndef build(request):\n    pass\n",
            ),
            (
                "app/api/urls.py",
                "from django.urls import path\nfrom app import views\n\nurlpatterns = [path(\"build/\", views.build)]\n",
            ),
        ]);
        assert_eq!(method_paths(&routes), ["GET /", "GET /api/v2/build"]);
    }

    #[test]
    fn settings_given_in_a_settings_class_are_read() {
        let routes = routes(&[
            (
                "project/settings.py",
                r#"
from configurations import Configuration

class Base(Configuration):
    ROOT_URLCONF = "project.urls"
    REST_FRAMEWORK = {
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
        "PAGE_SIZE": 50,
    }

class Production(Base):
    DEBUG = False
"#,
            ),
            (
                "project/urls.py",
                "from django.urls import path\nfrom app.views import Projects\n\nurlpatterns = [path(\"projects/\", Projects.as_view())]\n",
            ),
            (
                "app/views.py",
                "from rest_framework.generics import ListAPIView\n\nclass Projects(ListAPIView):\n    pass\n",
            ),
        ]);
        let list = find(&routes, Method::Get, "/projects");
        assert_eq!(names(&list.auth), ["IsAuthenticated"]);
        assert_eq!(names(&list.pagination), ["LimitOffsetPagination"]);
    }

    #[test]
    fn patterns_built_from_the_projects_constants_are_filled_in() {
        let routes = routes(&[
            ("project/settings.py", "ROOT_URLCONF = \"project.urls\"\n"),
            (
                "project/literals.py",
                "API_VERSION = \"4\"\nfriendly_token = r\"(?P<friendly_token>[\\w]*)\"\n",
            ),
            (
                "project/urls.py",
                r#"
from django.urls import re_path
from project.literals import API_VERSION, friendly_token
from app import views

slug = "(?P<slug>[-\w]+)"

urlpatterns = [
    re_path(rf"^api/v1/media/{friendly_token}/share$", views.share),
    re_path(r"^v{}/project$".format(API_VERSION), views.project),
    re_path(r"^tags/" + slug + "$", views.tag),
    re_path(rf"^users/{unknown}/$", views.user),
]
"#,
            ),
            (
                "app/views.py",
                "def share(request, friendly_token):\n    pass\n\ndef project(request):\n    pass\n\ndef tag(request, slug):\n    pass\n\ndef user(request, **kwargs):\n    pass\n",
            ),
        ]);
        assert_eq!(
            method_paths(&routes),
            [
                "GET /api/v1/media/{friendly_token}/share",
                "GET /tags/{slug}",
                "GET /users",
                "GET /v4/project",
            ]
        );
    }

    #[test]
    fn a_branch_on_who_the_caller_is_is_authentication_evidence() {
        let routes = routes(&[
            ("project/settings.py", "ROOT_URLCONF = \"project.urls\"\n"),
            (
                "project/urls.py",
                r#"
from django.urls import path
from app import views

urlpatterns = [
    path("system/", views.system),
    path("recipes/<int:pk>/pdf/", views.recipe_pdf),
    path("notifications/", views.Notifications.as_view()),
    path("uploads/", views.Uploads.as_view()),
    path("scores/", views.TournamentPublicScores.as_view()),
    path("about/", views.about),
    path("i18n/<str:lang>/", views.switch_language),
]
"#,
            ),
            (
                "app/views.py",
                r#"
from django.shortcuts import redirect, render
from django.views import View

def system(request):
    if not request.user.is_superuser:
        return redirect("index")
    return render(request, "system.html")

def recipe_pdf(request, pk):
    if share_link_valid(pk, request.GET.get("share")) or has_group_permission(request.user, ["guest"]):
        return render(request, "pdf.html")
    return redirect("index")

class Notifications(View):
    def get(self, request):
        if self.request.user.is_anonymous:
            return JsonResponse({})
        return JsonResponse({"items": list(Notification.objects.filter(user=request.user))})

class TournamentPublicScores(View):
    def get(self, request):
        return JsonResponse({})

class Uploads(View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        return JsonResponse({})

def about(request):
    if request.user.language:
        activate(request.user.language)
    return render(request, "about.html")

def switch_language(request, lang):
    response = redirect(request.META.get("HTTP_REFERER", "/"))
    if request.user.is_authenticated:
        request.user.lang = lang
    return response
"#,
            ),
        ]);
        assert_eq!(
            names(&find(&routes, Method::Get, "/system").auth),
            ["request.user.is_superuser check"]
        );
        assert_eq!(
            names(&find(&routes, Method::Get, "/recipes/{pk}/pdf").auth),
            ["permission check on request.user"]
        );
        assert_eq!(
            names(&find(&routes, Method::Get, "/notifications").auth),
            ["request.user.is_anonymous check"]
        );
        assert_eq!(
            names(&find(&routes, Method::Post, "/uploads").auth),
            ["request.user.is_authenticated check"]
        );
        // Named public by the project: open on purpose.
        let scores = find(&routes, Method::Get, "/scores");
        assert_eq!(
            scores.public.as_ref().map(|p| p.name.as_str()),
            Some("TournamentPublicScores")
        );
        assert!(find(&routes, Method::Get, "/about").public.is_none());
        // Reading the user's preferences is not asking who they are, and a branch that
        // lets the request go on guards nothing.
        assert!(find(&routes, Method::Get, "/about").auth.is_empty());
        assert!(find(&routes, Method::Get, "/i18n/{lang}").auth.is_empty());
    }

    #[test]
    fn function_views_as_routed_by_method_checks_and_decorator_wrappers() {
        let routes = routes(&[
            (
                "project/settings.py",
                r#"
ROOT_URLCONF = "project.urls"
MIDDLEWARE = ["django.contrib.auth.middleware.LoginRequiredMiddleware"]
"#,
            ),
            (
                "project/urls.py",
                r#"
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework_jwt.views import obtain_jwt_token
from oauth2_provider.views import AuthorizationView, TokenView
from app import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view()),
    path("token/", obtain_auth_token),
    path("jwt/", obtain_jwt_token),
    path("o/token/", TokenView.as_view()),
    path("o/authorize/", AuthorizationView.as_view()),
    path("password-reset/", auth_views.PasswordResetView.as_view()),
    path("register/", views.Registration.as_view()),
    path("profile/", login_required(views.profile)),
    path("open/", views.open_page),
]
"#,
            ),
            (
                "app/views.py",
                r#"
from django.contrib.auth.decorators import login_not_required
from django.views.decorators.http import require_POST
from formtools.wizard.views import SessionWizardView

@require_POST
def profile(request):
    pass

@login_not_required
def open_page(request):
    pass

class Registration(SessionWizardView):
    form_list = [AccountForm, ProfileForm]
"#,
            ),
        ]);
        let login = find(&routes, Method::Post, "/login");
        assert_eq!(login.handler, "django.contrib.auth.views.LoginView.post");
        assert!(login.public.is_some());
        let token = find(&routes, Method::Post, "/token");
        assert_eq!(token.framework, Framework::DjangoRest);
        assert!(token.public.is_some());
        // Library token and consent views answer POST, and are open by design.
        for (method, path) in [
            (Method::Post, "/jwt"),
            (Method::Post, "/o/token"),
            (Method::Get, "/o/authorize"),
            (Method::Post, "/o/authorize"),
        ] {
            assert!(find(&routes, method, path).public.is_some(), "{path}");
        }
        assert!(!routes
            .iter()
            .any(|r| r.method == Method::Get && ["/jwt", "/o/token"].contains(&r.path.as_str())));
        // Library form views answer the form's POST too, subclassed or not.
        find(&routes, Method::Post, "/password-reset");
        find(&routes, Method::Post, "/register");
        let profile = find(&routes, Method::Post, "/profile");
        assert_eq!(
            names(&profile.auth),
            ["LoginRequiredMiddleware", "login_required"]
        );
        assert!(!routes
            .iter()
            .any(|r| r.path == "/profile" && r.method == Method::Get));
        let open = find(&routes, Method::Get, "/open");
        assert!(open.auth.is_empty());
    }
    #[test]
    fn fixture_app() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/python/django");
        let files = [
            "project/settings.py",
            "project/urls.py",
            "api/models.py",
            "api/urls.py",
            "api/views.py",
        ];
        let texts: Vec<(String, String)> = files
            .iter()
            .map(|f| {
                let text = std::fs::read_to_string(root.join(f))
                    .unwrap_or_else(|e| panic!("reading {f}: {e}"));
                (f.to_string(), text)
            })
            .collect();
        let pairs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let routes = routes(&pairs);
        assert_eq!(
            summary(&routes),
            vec![
                "DELETE /api/orders/{pk} api.views.OrderViewSet.destroy",
                "GET /api/audit api.views.AuditLog.get",
                "GET /api/orders api.views.OrderViewSet.list",
                "GET /api/orders/{pk} api.views.OrderViewSet.retrieve",
                "PATCH /api/orders/{pk} api.views.OrderViewSet.partial_update",
                "POST /api/login api.views.LoginView.post",
                "POST /api/orders api.views.OrderViewSet.create",
                "POST /api/orders/{pk}/mark-paid api.views.OrderViewSet.mark_paid",
                "POST /api/orders/{pk}/refund api.views.refund_order",
                "PUT /api/orders/{pk} api.views.OrderViewSet.update",
            ]
        );
        let refund = find(&routes, Method::Post, "/api/orders/{pk}/refund");
        assert!(refund.auth.is_empty() && refund.public.is_some());
        assert_eq!(refund.declared_status, Some(202));
        let login = find(&routes, Method::Post, "/api/login");
        assert!(login.auth.is_empty() && login.public.is_some());
        let orders = find(&routes, Method::Get, "/api/orders");
        assert_eq!(names(&orders.auth), ["IsAuthenticated"]);
        assert_eq!(names(&orders.pagination), ["PageNumberPagination"]);
        let audit = find(&routes, Method::Get, "/api/audit");
        assert_eq!(names(&audit.auth), ["IsAuthenticated"]);
        assert!(audit.pagination.is_empty());
        assert!(audit.collection.is_some());
        assert!(audit.function.is_none());
    }
}
