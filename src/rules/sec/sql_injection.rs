//! sec/sql-injection: SQL text built from non-constant parts reaches an execute call.

use crate::code::embedded_sql::is_sql_sink;
use crate::finding::{Finding, Location};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::code::{last_segment, Assignment, Call, Value};
use crate::rules::common::looks_like_sql;
use crate::rules::Context;

const ID: &str = "sec/sql-injection";

/// Parts that cannot carry a request's value into the SQL: table and column names
/// from the ORM (`Model.__tablename__`, `_meta.db_table`), numbers forced with
/// `int(...)`, constants in capitals, placeholder lists built with `join`, and values
/// passed whole through a quoting function.
fn is_safe_part(part: &str) -> bool {
    let p = part.trim();
    let last = p.rsplit('.').next().unwrap_or(p);
    quoted(p)
        || p.contains("__tablename__")
        || p.contains("db_table")
        || p.contains("table_name")
        || p.starts_with("int(")
        || p.starts_with("len(")
        || p.contains("placeholder")
        || (p.contains(".join(") && !p.contains("request"))
        || (last
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
            && last.chars().any(|c| c.is_ascii_uppercase()))
}

/// A part that is one call to a function that quotes or escapes its argument for SQL:
/// `connection.ops.quote_name(column)`, `quote_ident(name)`, `conn.escape(value)`,
/// psycopg's `sql.Identifier(name)` and `sql.Literal(value)`, a project's
/// `identifier(name)` or `literal_string(value)`. Quoting is the job of those functions;
/// whether they do it well is theirs to test.
fn quoted(part: &str) -> bool {
    let Some(open) = part.find('(') else {
        return false;
    };
    let callee = &part[..open];
    let name_chars = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    if callee.is_empty() || !callee.chars().all(name_chars) || !part.ends_with(')') {
        return false;
    }
    // The call's own parenthesis must be the one that closes the part: not
    // `quote(a) + b(c)`.
    let mut depth = 0usize;
    for (i, c) in part.char_indices().skip_while(|&(i, _)| i < open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 && i + 1 != part.len() {
                    return false;
                }
            }
            _ => {}
        }
    }
    let function = last_segment(callee).to_ascii_lowercase();
    function.contains("quote")
        || function.contains("escape")
        || matches!(
            function.as_str(),
            "identifier" | "literal" | "literal_string" | "ident"
        )
}

/// SQL that Django's query compiler wrote: `sql, params = queryset.query.sql_with_params()`,
/// or element 0 of `where.as_sql(compiler, connection)`. Its values travel separately as
/// parameters, so putting the text into a larger query injects nothing.
fn is_compiled_sql<'v>(value: &Value, earlier: impl Fn(&str) -> Option<&'v Value>) -> bool {
    let compiler = |v: &Value| {
        matches!(v, Value::Call { callee, .. }
            if matches!(last_segment(callee), "as_sql" | "sql_with_params"))
    };
    match value {
        Value::Element { of, index: 0 } => match of.as_ref() {
            Value::Name(name) => earlier(name).is_some_and(compiler),
            of => compiler(of),
        },
        _ => false,
    }
}

/// Where the variables a call's SQL is built from were last assigned before the call.
struct Scope<'a, 'b> {
    assigned: &'b Assigned<'a>,
    function: Option<usize>,
    before: usize,
}

impl<'a> Scope<'a, '_> {
    fn earlier(&self, name: &str) -> Option<&'a Value> {
        self.earlier_assignment(name).map(|a| &a.value)
    }

    fn earlier_assignment(&self, name: &str) -> Option<&'a Assignment> {
        self.assigned
            .get(&(self.function?, name))?
            .iter()
            .rev()
            .find(|a| a.location.span.start < self.before)
            .copied()
    }

    fn is_safe(&self, part: &str) -> bool {
        is_safe_part(part)
            || self
                .earlier(part.trim())
                .is_some_and(|v| is_compiled_sql(v, |name| self.earlier(name)))
    }

    fn all_safe(&self, parts: &[String]) -> bool {
        !parts.is_empty() && parts.iter().all(|p| self.is_safe(p))
    }
}

/// `# noqa: S608` (ruff/bandit) or `# nosec` on the first line of `at` or inside it:
/// the author has already reviewed this one.
fn reviewed(at: &Location) -> bool {
    let line = at.file.line_text(at.span.start);
    // Code spanning lines carries the comment where its string ends.
    let text = at.file.slice(at.span);
    [line, text]
        .iter()
        .any(|t| t.contains("noqa: S608") || t.contains("nosec"))
}

/// How the SQL of a call's first argument was built, when it was built from parts.
/// Assignments in functions by (function, name), in source order: what `execute(sql)`
/// looks `sql` up in.
type Assigned<'a> = FxHashMap<(usize, &'a str), Vec<&'a Assignment>>;

fn built_sql<'a>(assigned: &Assigned<'a>, call: &Call, value: &'a Value) -> Option<&'static str> {
    let scope = Scope {
        assigned,
        function: call.function,
        before: call.location.span.start,
    };
    match value {
        Value::Interpolated { constant, parts }
            if looks_like_sql(constant) && !scope.all_safe(parts) =>
        {
            Some("formatting")
        }
        // `sql = f"..."` earlier in the same function, then `execute(sql)`.
        Value::Name(name) => {
            let assignment = scope.earlier_assignment(name)?;
            match &assignment.value {
                Value::Interpolated { constant, parts }
                    if looks_like_sql(constant)
                        && !scope.all_safe(parts)
                        && !reviewed(&assignment.location)
                        && !reviewed(&assignment.value_location) =>
                {
                    Some("formatting (in a variable assigned earlier)")
                }
                _ => None,
            }
        }
        _ => None,
    }
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let sinks: Vec<&Call> = code
        .calls_named(crate::code::embedded_sql::SQL_SINK_METHODS)
        .into_iter()
        .filter(|c| {
            is_sql_sink(c)
                && !crate::code::embedded_sql::is_migration_path(c.location.path())
                && !crate::rules::common::in_test_code(code, &c.location)
                && !reviewed(&c.location)
        })
        .collect();
    // Only the functions that run SQL have their assignments looked up.
    let with_sinks: FxHashSet<usize> = sinks.iter().filter_map(|c| c.function).collect();
    let mut assigned: Assigned = FxHashMap::default();
    for a in &code.assignments {
        if let Some(f) = a.function.filter(|f| with_sinks.contains(f)) {
            assigned.entry((f, a.target.as_str())).or_default().push(a);
        }
    }
    let mut out = Vec::new();
    for call in sinks {
        let Some(arg) = call.positional(0) else {
            continue;
        };
        let Some(how) = built_sql(&assigned, call, &arg.value) else {
            continue;
        };
        out.push(
            Finding::new(
                ID,
                arg.location.clone(),
                format!(
                    "SQL text built by string {how} reaches `{}`: a value that reaches it from a request can change the query",
                    call.callee
                ),
            )
            .label("SQL built from non-constant parts")
            .help("pass the values as parameters (`execute(\"... WHERE id = %s\", (user_id,))`, SQLAlchemy `text(\"... :id\")` with bound parameters); build only identifiers from an allow-list"),
        );
    }
    out
}
