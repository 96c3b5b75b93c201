//! Facts extracted from source code, language-neutral so that Python, JavaScript and
//! Rust extraction fill the same structures and rules never look at syntax: calls with
//! their arguments, assignments of constants, functions, imports, and the routes web
//! frameworks declare.

use crate::finding::Location;
use crate::model::Method;
use crate::source::SharedSource;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
}

#[derive(Debug, Clone)]
pub struct CodeFile {
    pub source: SharedSource,
    pub language: Language,
    /// Test code (`tests/`, `test_*.py`, `conftest.py`): secrets and prints there are
    /// not findings.
    pub is_test: bool,
}

/// What an argument or assigned value is, as far as rules need to know.
#[derive(Debug, Clone)]
pub enum Value {
    /// A string with no dynamic part (adjacent literals joined).
    Str(String),
    /// Text built from constant and non-constant parts: an f-string with expressions,
    /// `%` or `.format()` applied to a string, `+` with a string. `constant` is the
    /// literal text, for telling SQL from other strings.
    Interpolated {
        constant: String,
        /// The source text of each non-constant part (`user_id`, `int(limit)`,
        /// `Model.__tablename__`), so rules can tell a table name from a request value.
        parts: Vec<String>,
    },
    Bool(bool),
    Number(String),
    None,
    /// A bare or dotted name: `settings.DEBUG`, `user_id`.
    Name(String),
    /// The result of a call, by callee: `os.environ.get`, `Depends`.
    Call {
        callee: String,
        args: Vec<Arg>,
    },
    List(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    /// One element of another value: `pair[0]`, or `sql` in `sql, params = f()`
    /// (element 0 of `f()`).
    Element {
        of: Box<Value>,
        index: usize,
    },
    Other,
}

impl Value {
    pub fn is_true(&self) -> bool {
        matches!(self, Value::Bool(true))
    }

    pub fn is_false(&self) -> bool {
        matches!(self, Value::Bool(false))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Arg {
    /// `timeout` in `timeout=5`; `None` for a positional argument; `**` and `*` for
    /// spread arguments.
    pub keyword: Option<String>,
    pub value: Value,
    pub location: Location,
}

/// The last segment of a dotted name: `Column` for `sa.Column`.
pub fn last_segment(dotted: &str) -> &str {
    dotted.rsplit('.').next().unwrap_or(dotted)
}

/// The keyword argument `name` among a call's arguments.
pub fn keyword_arg<'a>(args: &'a [Arg], name: &str) -> Option<&'a Arg> {
    args.iter().find(|a| a.keyword.as_deref() == Some(name))
}

#[derive(Debug, Clone)]
pub struct Call {
    /// The callee as written, dotted: `requests.get`, `cursor.execute`, `print`,
    /// `db.session.query(User).all` (a call in the chain keeps only its callee).
    pub callee: String,
    pub args: Vec<Arg>,
    /// The whole call expression.
    pub location: Location,
    /// Index into [`CodeModel::functions`] of the innermost enclosing function.
    pub function: Option<usize>,
    /// The callees of the iterables of the enclosing `for` loops, innermost first
    /// (`None` for a loop over something that is not a call result).
    pub loops: Vec<Option<String>>,
    /// The condition of the innermost enclosing `if` or `elif` branch in the same
    /// function, as written (`url.startswith("mysql")`); in an `else` branch, the
    /// negated condition of its `if` (`not (url.startswith("mysql"))`).
    pub guard: Option<std::sync::Arc<str>>,
}

impl Call {
    pub fn keyword(&self, name: &str) -> Option<&Arg> {
        keyword_arg(&self.args, name)
    }

    pub fn positional(&self, index: usize) -> Option<&Arg> {
        self.args.iter().filter(|a| a.keyword.is_none()).nth(index)
    }

    /// The last segment of the callee: `execute` for `cursor.execute`.
    pub fn method(&self) -> &str {
        last_segment(&self.callee)
    }
}

#[derive(Debug, Clone)]
pub struct Assignment {
    /// The assigned name, dotted as written: `SECRET_KEY`, `app.config.SECRET_KEY`,
    /// or `app.config["SECRET_KEY"]` as `app.config.SECRET_KEY`. `with x() as name:`
    /// is one too, valued `x()`.
    pub target: String,
    pub value: Value,
    pub location: Location,
    pub value_location: Location,
    pub function: Option<usize>,
    /// The class whose body holds the assignment (class attributes, ORM columns).
    pub class: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Function {
    pub name: String,
    /// The enclosing class, for methods.
    pub class: Option<String>,
    pub is_async: bool,
    /// The name in the `def` line.
    pub location: Location,
    /// The whole definition, decorators included.
    pub span: Location,
    /// Decorators as written without `@` and arguments: `app.get`, `login_required`.
    pub decorators: Vec<String>,
    /// Parameter names, in order.
    pub params: Vec<String>,
}

/// A `return` and what it returns.
#[derive(Debug, Clone)]
pub struct Return {
    pub value: Value,
    pub location: Location,
    pub function: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Import {
    /// The module: `slowapi`, `flask_limiter.util`.
    pub module: String,
    /// The imported names (`Limiter`), empty for `import module`.
    pub names: Vec<String>,
    pub location: Location,
}

/// One piece of evidence on a route: the decorator, dependency or class attribute that
/// shows authentication, rate limiting or pagination.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Evidence {
    pub name: String,
    #[serde(serialize_with = "crate::model::schema::serialize_location")]
    pub location: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    Fastapi,
    Flask,
    Django,
    DjangoRest,
}

impl Framework {
    pub fn name(self) -> &'static str {
        match self {
            Framework::Fastapi => "FastAPI",
            Framework::Flask => "Flask",
            Framework::Django => "Django",
            Framework::DjangoRest => "Django REST framework",
        }
    }
}

/// An endpoint a web framework declares in code.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Route {
    pub framework: Framework,
    #[serde(serialize_with = "serialize_method")]
    pub method: Method,
    /// The full path template with prefixes resolved, parameters as `{name}`.
    pub path: String,
    /// The handler: `module.function` or `module.Class.method`.
    pub handler: String,
    /// Where the route is declared (the decorator, the `path()` or `register()` call).
    #[serde(serialize_with = "crate::model::schema::serialize_location")]
    pub location: Location,
    /// The handler function, when it was found: index into [`CodeModel::functions`].
    #[serde(skip)]
    pub function: Option<usize>,
    /// `status_code=201` and the like.
    pub declared_status: Option<u16>,
    pub auth: Vec<Evidence>,
    /// Explicitly public: `AllowAny`, `permission_classes = []`, `@public`.
    pub public: Option<Evidence>,
    pub rate_limit: Vec<Evidence>,
    pub pagination: Vec<Evidence>,
    /// Query parameters the handler takes.
    pub query_params: Vec<String>,
    /// Why the handler is thought to return a whole collection (`.all()`,
    /// `response_model=list[...]`, a `ListAPIView`).
    pub collection: Option<Evidence>,
    pub is_async: bool,
    /// The application the route is served by, when its registrations lead to one
    /// built in the code (`app = FastAPI()`, `app = Flask(__name__)`): the place it is
    /// built, as `path@offset`. A repository may hold several services (an API beside
    /// a telemetry receiver or a setup wizard), and each is judged on its own.
    #[serde(skip)]
    pub app: Option<String>,
}

fn serialize_method<S: serde::Serializer>(method: &Method, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(method.upper())
}

/// Facts of one kind, kept in the vectors each file's extraction produced: joining them
/// into one would copy the largest part of the model once more, on fresh memory.
#[derive(Debug)]
pub struct PerFile<T> {
    files: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for PerFile<T> {
    fn default() -> Self {
        PerFile {
            files: Vec::new(),
            len: 0,
        }
    }
}

impl<T> PerFile<T> {
    pub fn push_file(&mut self, items: Vec<T>) {
        self.len += items.len();
        if !items.is_empty() {
            self.files.push(items);
        }
    }

    /// Every fact, file by file in the order the files were added.
    pub fn iter(&self) -> std::iter::Flatten<std::slice::Iter<'_, Vec<T>>> {
        self.files.iter().flatten()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// The facts of each file that has some, with the file's position among them.
    fn files(&self) -> impl Iterator<Item = (usize, &[T])> {
        self.files.iter().map(Vec::as_slice).enumerate()
    }

    fn get(&self, file: u32, index: u32) -> Option<&T> {
        self.files.get(file as usize)?.get(index as usize)
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<'a, T> IntoIterator for &'a PerFile<T> {
    type Item = &'a T;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<T>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Everything extracted from source files.
#[derive(Debug, Default)]
pub struct CodeModel {
    pub files: Vec<CodeFile>,
    /// Index into `files` by path; rules ask per call, so it must not be a scan.
    pub file_index: rustc_hash::FxHashMap<String, usize>,
    pub functions: Vec<Function>,
    pub calls: PerFile<Call>,
    pub assignments: PerFile<Assignment>,
    pub returns: PerFile<Return>,
    pub imports: Vec<Import>,
    pub routes: Vec<Route>,
    /// Calls by the last segment of their callee, as positions in `calls`; made when a
    /// rule first asks.
    calls_by_method: std::sync::OnceLock<rustc_hash::FxHashMap<String, Vec<(u32, u32)>>>,
}

impl CodeModel {
    /// The calls whose callee ends in one of `methods` (`execute` matches
    /// `cursor.execute` and `execute`), in the order of `calls`. Most rules want a few
    /// names among a hundred thousand calls: this reads only those.
    pub fn calls_named(&self, methods: &[&str]) -> Vec<&Call> {
        let index = self.calls_by_method.get_or_init(|| {
            let mut index: rustc_hash::FxHashMap<String, Vec<(u32, u32)>> = Default::default();
            for (file, calls) in self.calls.files() {
                for (i, call) in calls.iter().enumerate() {
                    let at = (file as u32, i as u32);
                    match index.get_mut(call.method()) {
                        Some(list) => list.push(at),
                        None => {
                            index.insert(call.method().to_string(), vec![at]);
                        }
                    }
                }
            }
            index
        });
        let mut positions: Vec<(u32, u32)> = methods
            .iter()
            .filter_map(|m| index.get(*m))
            .flatten()
            .copied()
            .collect();
        positions.sort_unstable();
        positions.dedup();
        positions
            .into_iter()
            .filter_map(|(file, i)| self.calls.get(file, i))
            .collect()
    }

    /// The calls whose callee is exactly one of `callees` (`requests.get`), in order.
    pub fn calls_exactly(&self, callees: &[&str]) -> Vec<&Call> {
        let methods: Vec<&str> = callees.iter().map(|c| last_segment(c)).collect();
        let mut calls = self.calls_named(&methods);
        calls.retain(|c| callees.contains(&c.callee.as_str()));
        calls
    }

    pub fn function(&self, index: Option<usize>) -> Option<&Function> {
        index.and_then(|i| self.functions.get(i))
    }

    pub fn file(&self, path: &str) -> Option<&CodeFile> {
        self.file_index.get(path).and_then(|&i| self.files.get(i))
    }

    /// Whether any file imports from one of these top-level packages (`fastapi` matches
    /// `fastapi.security` too).
    pub fn imports_any(&self, packages: &[&str]) -> bool {
        self.imports.iter().any(|i| {
            let root = i.module.split('.').next().unwrap_or(&i.module);
            packages.contains(&root)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};

    fn call(source: &SharedSource, callee: &str, at: usize) -> Call {
        Call {
            callee: callee.to_string(),
            args: Vec::new(),
            location: Location::new(source, Span::new(at, at + 1)),
            function: None,
            loops: Vec::new(),
            guard: None,
        }
    }

    #[test]
    fn calls_are_found_by_method_and_by_callee_in_source_order() {
        let a = std::sync::Arc::new(SourceFile::new("a.py".into(), "a.py".into(), "x".repeat(9)));
        let b = std::sync::Arc::new(SourceFile::new("b.py".into(), "b.py".into(), "x".repeat(9)));
        let mut model = CodeModel::default();
        model.calls.push_file(vec![
            call(&a, "cursor.execute", 0),
            call(&a, "requests.get", 1),
            call(&a, "print", 2),
            call(&a, "execute", 3),
        ]);
        model.calls.push_file(Vec::new());
        model
            .calls
            .push_file(vec![call(&b, "requests.get", 0), call(&b, "cache.get", 1)]);
        let found = |calls: Vec<&Call>| -> Vec<(String, String)> {
            calls
                .iter()
                .map(|c| (c.location.path().to_string(), c.callee.clone()))
                .collect()
        };
        let pair = |path: &str, callee: &str| (path.to_string(), callee.to_string());
        assert_eq!(
            found(model.calls_named(&["get", "execute"])),
            vec![
                pair("a.py", "cursor.execute"),
                pair("a.py", "requests.get"),
                pair("a.py", "execute"),
                pair("b.py", "requests.get"),
                pair("b.py", "cache.get"),
            ]
        );
        assert_eq!(
            found(model.calls_exactly(&["requests.get", "print"])),
            vec![
                pair("a.py", "requests.get"),
                pair("a.py", "print"),
                pair("b.py", "requests.get"),
            ]
        );
        assert!(model.calls_named(&["missing"]).is_empty());
    }
}
