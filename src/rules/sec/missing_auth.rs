//! sec/missing-auth: operations that anyone can call, on paths that are not public.

use crate::finding::{Finding, Level};
use crate::model::path::{is_capability_url, segments};
use crate::model::Endpoint;
use crate::rules::Context;

const ID: &str = "sec/missing-auth";

const SENSITIVE: &[&str] = &[
    "admin",
    "debug",
    "internal",
    "config",
    "env",
    "metrics",
    "actuator",
    "management",
    "superuser",
];

fn sensitive_segment(path: &str) -> Option<&str> {
    segments(path).find(|s| {
        let lower = s.to_ascii_lowercase();
        SENSITIVE.contains(&lower.as_str()) || (s.starts_with('_') && s.len() > 1)
    })
}

fn is_anonymous(e: &Endpoint) -> bool {
    e.security.as_ref().is_none_or(|s| s.allows_anonymous())
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = check_spec(ctx);
    out.extend(check_code(ctx));
    out
}

fn check_spec(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    let public = |path: &str| ctx.settings.is_public_path(path);
    let mut out = Vec::new();
    for (doc_index, doc) in api.documents.iter().enumerate() {
        let endpoints: Vec<&Endpoint> = api.endpoints_of(doc_index).collect();
        if endpoints.is_empty() {
            continue;
        }
        let guarded: Vec<&&Endpoint> = endpoints.iter().filter(|e| !public(&e.path)).collect();
        if guarded.is_empty() {
            continue;
        }
        // No authentication anywhere: say it once; it may live in a gateway.
        if guarded.iter().all(|e| is_anonymous(e)) {
            // A global `security` with a `{}` alternative makes authentication optional
            // on purpose: say that, where it is written.
            let optional = doc
                .global_security
                .as_ref()
                .filter(|s| !s.requirements.is_empty() && s.allows_anonymous());
            let location = optional
                .map(|s| s.location.clone())
                .unwrap_or_else(|| doc.where_findings_go().clone());
            let message = if optional.is_some() {
                format!(
                    "the top-level `security` lets anonymous callers in (a `{{}}` alternative), and no operation requires more ({} non-public operations)",
                    guarded.len()
                )
            } else if doc.security_schemes.is_empty() {
                format!(
                    "the document declares no authentication at all ({} non-public operations)",
                    guarded.len()
                )
            } else {
                format!(
                    "security schemes are defined but no operation requires one ({} non-public operations)",
                    guarded.len()
                )
            };
            out.push(
                Finding::new(ID, location, message)
                    .label("no authentication")
                    .help("declare a security scheme and a top-level `security` requirement; if a gateway authenticates, suppress this with the reason")
                    .anchor(doc.anchor("/paths")),
            );
            continue;
        }
        for e in endpoints.into_iter().filter(|e| is_anonymous(e)) {
            if public(&e.path) || is_capability_url(&e.path) {
                continue;
            }
            let sensitive = sensitive_segment(&e.path);
            // A read the operation itself opens (`security: []`, or a `{}` alternative
            // beside a scheme: optional authentication) is public on purpose, as
            // `AllowAny` is in code; a write or a sensitive path is still reported.
            if e.security_is_own
                && e.security.is_some()
                && !e.method.is_write()
                && sensitive.is_none()
            {
                continue;
            }
            let level = if sensitive.is_some() || e.method.is_write() {
                Level::Error
            } else {
                Level::Warning
            };
            let how = match &e.security {
                Some(s) if s.requirements.is_empty() => "turns authentication off (`security: []`)",
                Some(_) => "allows anonymous access (`{}` in `security`)",
                None => "declares no `security`, and the document has no global requirement",
            };
            let mut message = format!("{} {how}", e.display());
            if let Some(seg) = sensitive {
                message.push_str(&format!("; `{seg}` paths must never be public"));
            }
            let mut f = Finding::new(ID, e.location.clone(), message)
                .label("unauthenticated")
                .level(level)
                .help("require a security scheme on this operation, or add the path to `policy.public-paths` if it is meant to be public")
                .anchor(e.anchor.clone());
            if let Some(s) = e.security.as_ref().filter(|_| e.security_is_own) {
                f = f.related(s.location.clone(), "security declared here");
            }
            out.push(f);
        }
    }
    out
}

fn is_write(method: crate::model::Method) -> bool {
    use crate::model::Method;
    matches!(
        method,
        Method::Post | Method::Put | Method::Patch | Method::Delete
    )
}

/// Handlers whose name says they run an authentication flow (`register`, `login`,
/// `reset_password`, `refresh_token`): public by nature, wherever they are mounted. For
/// a method of a class (`RegisterViewSet.create`, `OAuth2Callback.post`), the class's
/// name says it as well as the method's.
fn is_auth_flow_handler(handler: &str) -> bool {
    let mut segments = handler.rsplit('.');
    let last = segments.next().unwrap_or(handler);
    let class = segments
        .next()
        .filter(|c| c.starts_with(|ch: char| ch.is_ascii_uppercase()));
    std::iter::once(last).chain(class).any(names_auth_flow)
}

/// Parts of a name that say it runs an authentication flow.
const AUTH_FLOW_PARTS: &[&str] = &[
    "register",
    "registration",
    "signup",
    "sign_up",
    "login",
    "logout",
    "signout",
    "sign_out",
    "signin",
    "sign_in",
    "magic",
    "mfa",
    "2fa",
    "two_factor",
    "twofactor",
    "passkey",
    "emailcheck",
    "email_check",
    "password",
    "forgot",
    "token",
    "verify_email",
    "verification_email",
    "email_verification",
    "confirm",
    "oauth",
    "callback",
    "webhook",
];

/// Words that say it, matched whole because they are short (`sso` is in `lesson`):
/// single sign-on (`saml_acs`, `oidc_authorized`, `openid_login`), and an LTI launch.
const AUTH_FLOW_WORDS: &[&str] = &["sso", "saml", "acs", "oidc", "openid", "authorized", "lti"];

fn names_auth_flow(name: &str) -> bool {
    // `RegisterView`, `PasswordResetRequest`: as snake case, so the parts match.
    let words = crate::model::naming::words(name);
    let snake = words.join("_");
    let flat = name.to_ascii_lowercase();
    AUTH_FLOW_PARTS
        .iter()
        .any(|p| snake.contains(p) || flat.contains(p))
        || words.iter().any(|w| AUTH_FLOW_WORDS.contains(&w.as_str()))
        // A first-run setup wizard (`def setup()`, `InitDBView`) runs before any
        // account exists.
        || snake == "setup"
        || flat.replace('_', "").starts_with("initdb")
}

/// A module named for authentication: a folder or file stem `auth`, `authentication`,
/// `login`, `oauth`, `oauth2`, `saml`, `sso`, `oidc` or `openid` (`alerta/auth/github.py`,
/// `app/views/login.py`).
fn is_auth_module(path: &str) -> bool {
    const WORDS: &[&str] = &[
        "auth",
        "authentication",
        "login",
        "oauth",
        "oauth2",
        "saml",
        "sso",
        "oidc",
        "openid",
    ];
    path.split('/').any(|part| {
        let stem = part.strip_suffix(".py").unwrap_or(part);
        WORDS.contains(&stem.to_ascii_lowercase().as_str())
    })
}

/// Views a library provides that are open by design, by the module they come from:
/// django-allauth's sign-in, sign-up and MFA pages, Django's redirects, static files and
/// language switch, and the API schema and its browsers.
const OPEN_LIBRARY_VIEWS: &[&str] = &[
    "allauth.",
    "django.views.generic.RedirectView.",
    "django.views.generic.base.RedirectView.",
    "django.views.static.",
    "django.views.i18n.",
    "django.contrib.staticfiles.",
    "drf_spectacular.views.",
    "drf_yasg.",
    "rest_framework.schemas.",
];

fn is_open_library_view(handler: &str) -> bool {
    OPEN_LIBRARY_VIEWS.iter().any(|m| handler.starts_with(m))
}

/// Files a browser or a crawler fetches before anyone logs in: a web app's scripts,
/// styles and icons, its manifest and service worker, and the well-known files at the
/// root of a site.
const PUBLIC_FILE_SUFFIXES: &[&str] = &[
    ".js",
    ".mjs",
    ".css",
    ".map",
    ".ico",
    ".png",
    ".svg",
    ".webmanifest",
];
const PUBLIC_FILES: &[&str] = &[
    "robots.txt",
    "sitemap.xml",
    "manifest.json",
    "security.txt",
    "humans.txt",
    "browserconfig.xml",
];

/// Whether the path's last segment names such a file (`/service-worker.js`,
/// `/manifest/{user}.webmanifest`, `/robots.txt`); a data export (`/orders.json`,
/// `/report.csv`) is not one.
fn names_public_file(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    PUBLIC_FILES.contains(&last.as_str())
        || PUBLIC_FILE_SUFFIXES
            .iter()
            .any(|suffix| last.len() > suffix.len() && last.ends_with(suffix))
}

/// Whether a path segment names a provider's webhook receiver (`/api/v1/gitlab-hook`,
/// `/stripe_webhook`): the provider calls it, and it proves itself with a signature or
/// a shared secret that the handler checks, not with a user's login. A bare `webhooks`
/// segment is not one: `POST /workspaces/{slug}/webhooks` is where users manage theirs.
fn names_provider_hook(path: &str) -> bool {
    segments(path).any(|segment| {
        let lower = segment.to_ascii_lowercase();
        ["-hook", "_hook", "-webhook", "_webhook"]
            .iter()
            .any(|suffix| lower.len() > suffix.len() && lower.ends_with(suffix))
    })
}

/// Calls whose result holds no data of the service: a file sent as is
/// (`FileResponse`, Flask's `send_file` and `send_from_directory`) or a redirect
/// (`redirect`, `RedirectResponse`, `HttpResponseRedirect`).
const NO_DATA_RESPONSES: &[&str] = &[
    "FileResponse",
    "send_file",
    "send_from_directory",
    "redirect",
    "RedirectResponse",
    "HttpResponseRedirect",
];

/// Functions whose every `return` sends a file, a redirect or a literal: the shell and
/// assets of a web UI (an SPA's `index.html` fallback), which the browser loads before
/// anyone has logged in, entry points that send visitors on (`/admin` to the dashboard
/// or to the login page), and fixed answers (an API index listing its versions).
fn functions_serving_no_data(
    code: &crate::model::code::CodeModel,
) -> std::collections::HashSet<usize> {
    use crate::model::code::{last_segment, Value};
    use std::collections::HashMap;
    // A fixed answer holds no data of the service either:
    // `return '[{"url": "/api/v1"}]', 200`. An empty one (`return []`, `return None`)
    // is more likely a stub for data yet to come, and is judged.
    fn literal(value: &Value) -> bool {
        match value {
            Value::Str(_) | Value::Number(_) | Value::Bool(_) => true,
            Value::List(items) => !items.is_empty() && items.iter().all(literal),
            Value::Dict(pairs) => {
                !pairs.is_empty() && pairs.iter().all(|(k, v)| literal(k) && literal(v))
            }
            _ => false,
        }
    }
    let no_data = |value: &Value| {
        literal(value)
            || matches!(value, Value::Call { callee, .. }
                if NO_DATA_RESPONSES.contains(&last_segment(callee)))
    };
    // `response = RedirectResponse(url)` then `return response`: every value the name
    // is given in the function holds no data.
    let mut assigned: HashMap<(usize, &str), bool> = HashMap::new();
    for a in code.assignments.iter() {
        if let Some(function) = a.function {
            *assigned
                .entry((function, a.target.as_str()))
                .or_insert(true) &= no_data(&a.value);
        }
    }
    // Per function: (returns that hold no data, all returns).
    let mut counts: HashMap<usize, (usize, usize)> = HashMap::new();
    for r in code.returns.iter() {
        let Some(function) = r.function else { continue };
        let holds_no_data = no_data(&r.value)
            || matches!(&r.value, Value::Name(name)
                if assigned.get(&(function, name.as_str())) == Some(&true));
        let entry = counts.entry(function).or_default();
        entry.0 += usize::from(holds_no_data);
        entry.1 += 1;
    }
    counts
        .into_iter()
        .filter(|(_, (without_data, all))| without_data == all)
        .map(|(function, _)| function)
        .collect()
}

/// Routes in code: evidence-based. A route without authentication where its siblings
/// have some is reported, naming what they use; when no route shows any, the open
/// writes are reported once.
/// Routes are judged per application: a second service in the repository (a telemetry
/// receiver, a setup wizard) is not measured against the main one's protection. Routes
/// whose application is not known (Django's, those on untraced objects) belong to the
/// largest application, or are the main service themselves when they outnumber it. A
/// second application that shows no authentication at all is a separate service open
/// by design, or one archlint cannot judge: nothing of it is reported.
fn check_code(ctx: &Context) -> Vec<Finding> {
    use std::collections::BTreeMap;

    use crate::model::code::Route;

    let mut apps: BTreeMap<&str, Vec<&Route>> = BTreeMap::new();
    let mut unknown: Vec<&Route> = Vec::new();
    for r in &ctx.project.code.routes {
        match &r.app {
            Some(app) => apps.entry(app.as_str()).or_default().push(r),
            None => unknown.push(r),
        }
    }
    let main = apps
        .iter()
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0)))
        .filter(|(_, routes)| routes.len() >= unknown.len())
        .map(|(app, _)| *app);
    let mut groups: Vec<(Vec<&Route>, bool)> = Vec::new();
    for (app, mut routes) in apps {
        let is_main = Some(app) == main;
        if is_main {
            routes.append(&mut unknown);
            routes.sort_by_key(|r| (r.location.path(), r.location.span.start));
        }
        groups.push((routes, is_main));
    }
    if !unknown.is_empty() {
        groups.push((unknown, true));
    }
    let no_data_functions = functions_serving_no_data(&ctx.project.code);
    groups
        .iter()
        .flat_map(|(routes, is_main)| check_app(ctx, routes, *is_main, &no_data_functions))
        .collect()
}

fn check_app(
    ctx: &Context,
    routes: &[&crate::model::code::Route],
    is_main: bool,
    no_data_functions: &std::collections::HashSet<usize>,
) -> Vec<Finding> {
    use std::collections::BTreeMap;

    use crate::finding::Level;
    use crate::model::code::Route;
    use crate::model::path::is_infrastructure;

    let code = &ctx.project.code;
    let markers = &ctx.policy().auth_markers;
    // `policy.auth-markers`: the project's own decorators that authenticate.
    let marked = |r: &Route| {
        code.function(r.function).is_some_and(|f| {
            f.decorators.iter().any(|d| {
                let last = d.rsplit('.').next().unwrap_or(d);
                markers.iter().any(|m| m == d || m == last)
            })
        })
    };
    let authenticated = |r: &Route| !r.auth.is_empty() || marked(r);
    let candidates: Vec<&Route> = routes
        .iter()
        .copied()
        .filter(|r| {
            // Marked public on purpose: believed for reads; a write opened that way on
            // a path the policy does not call public is still reported.
            (r.public.is_none() || is_write(r.method))
                // A CORS preflight (`OPTIONS`) must be answered without credentials, and
                // `HEAD` is its `GET` without the body.
                && !matches!(r.method, crate::model::Method::Options | crate::model::Method::Head)
                && !ctx.settings.is_public_path(&r.path)
                && !is_infrastructure(&r.path)
        })
        .collect();
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    for r in routes {
        for e in &r.auth {
            *used.entry(e.name.as_str()).or_insert(0) += 1;
        }
        if r.auth.is_empty() && marked(r) {
            for d in code
                .function(r.function)
                .map_or(&[][..], |f| f.decorators.as_slice())
            {
                if markers
                    .iter()
                    .any(|m| m == d || m == d.rsplit('.').next().unwrap_or(d))
                {
                    *used.entry(d.as_str()).or_insert(0) += 1;
                }
            }
        }
    }
    // Files of authentication flows (`auth/github.py`, `login.py`, `saml.py`) in which
    // no route shows authentication: the sign-in, sign-up and recovery steps, open by
    // design whatever their handlers are called.
    let mut authenticated_in_file: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::new();
    for r in routes {
        *authenticated_in_file.entry(r.location.path()).or_default() +=
            usize::from(authenticated(r));
    }
    let in_open_auth_module = |r: &Route| {
        is_auth_module(r.location.path())
            && authenticated_in_file.get(r.location.path()) == Some(&0)
    };
    let open: Vec<&&Route> = candidates
        .iter()
        // Like authentication flows, capability URLs and routes that serve only files or
        // redirects are open on purpose; all still count in the coverage below.
        .filter(|r| {
            // Only where no parameter names a record: `GET /invoices/{id}/download`
            // sends someone's file, `GET /delete/{id}` may act before it redirects. A
            // catch-all path (`/{rest_of_path}`) is the UI's.
            let names_no_record = segments(&r.path)
                .filter(|s| crate::model::path::is_param(s))
                .all(|s| s.to_ascii_lowercase().contains("path"));
            let serves_no_data = r.method == crate::model::Method::Get
                && names_no_record
                && r.function.is_some_and(|f| no_data_functions.contains(&f));
            let public_file = r.method == crate::model::Method::Get && names_public_file(&r.path);
            let provider_hook =
                r.method == crate::model::Method::Post && names_provider_hook(&r.path);
            !(authenticated(r)
                || provider_hook
                || in_open_auth_module(r)
                || is_auth_flow_handler(&r.handler)
                || is_open_library_view(&r.handler)
                || is_capability_url(&r.path)
                || serves_no_data
                || public_file)
        })
        .collect();
    let with_auth = routes.iter().filter(|r| authenticated(r)).count();
    // Evidence is only as good as archlint's view of the code: when most routes show
    // none, the service protects them in a way archlint does not see (a router
    // subclass, a base controller, a check in the body), and naming "the others" would
    // be noise. Reads are judged only where nearly every route shows authentication.
    let coverage = with_auth as f64 / candidates.len().max(1) as f64;
    if with_auth > 0 && coverage < 0.5 {
        return Vec::new();
    }
    let judge_reads = coverage >= 0.8;
    // A read is judged against its siblings in the same file too: a file of pages or
    // of a public catalogue beside a protected API is public by design, while one
    // open read among protected ones is the mistake this rule is for.
    let mut per_file: std::collections::HashMap<&str, (usize, usize)> =
        std::collections::HashMap::new();
    for r in &candidates {
        let entry = per_file.entry(r.location.path()).or_default();
        entry.0 += usize::from(authenticated(r));
        entry.1 += 1;
    }
    let siblings_protected = |r: &Route| {
        per_file
            .get(r.location.path())
            .is_some_and(|&(with, all)| 2 * with > all)
    };
    if with_auth == 0 {
        if !is_main {
            return Vec::new();
        }
        let writes: Vec<&&&Route> = open.iter().filter(|r| is_write(r.method)).collect();
        let Some(first) = writes.first() else {
            return Vec::new();
        };
        let listed: Vec<String> = writes
            .iter()
            .take(5)
            .map(|r| format!("{} {}", r.method.upper(), r.path))
            .collect();
        return vec![Finding::new(
            ID,
            first.location.clone(),
            format!(
                "none of the {} routes shows authentication (no auth dependency, decorator or permission class), and {} of them {}: {}{}",
                routes.len(),
                writes.len(),
                if writes.len() == 1 { "writes" } else { "write" },
                listed.join(", "),
                if writes.len() > 5 { ", ..." } else { "" }
            ),
        )
        .label("open write")
        .help("protect the routes (a `Depends(get_current_user)`, `@login_required`, `permission_classes`); if a gateway authenticates, say so by suppressing this with a reason")];
    }
    let mut common: Vec<(&str, usize)> = used.into_iter().collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let evidence = common
        .iter()
        .take(2)
        .map(|(name, _)| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(" or ");
    open.iter()
        .filter(|r| is_write(r.method) || (judge_reads && siblings_protected(r)))
        .map(|r| {
            let level = if is_write(r.method) { Level::Error } else { Level::Warning };
            let how = match &r.public {
                Some(public) => format!("is explicitly open to anyone (`{}`)", public.name),
                None => "shows no authentication".to_string(),
            };
            let opened = r.public.as_ref().map(|p| p.location.clone());
            let finding = Finding::new(
                ID,
                r.location.clone(),
                format!(
                    "{} {} {how}, while {with_auth} of the {} routes use {evidence}",
                    r.method.upper(),
                    r.path,
                    routes.len()
                ),
            )
            .level(level)
            .label("no authentication")
            .help(format!("add the same protection as its siblings ({evidence}); if the route is public on purpose, add its path to `policy.public-paths` or suppress this with a reason"));
            match opened {
                Some(at) => finding.related(at, "opened to anyone here"),
                None => finding,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_files_are_known_by_their_name() {
        for path in [
            "/service-worker.js",
            "/static/app.min.css",
            "/manifest/{user_id}.webmanifest",
            "/robots.txt",
            "/manifest.json",
            "/favicon.ico",
        ] {
            assert!(super::names_public_file(path), "{path}");
        }
        for path in [
            "/api/orders.json",
            "/reports/{id}/export.csv",
            "/js",
            "/.js",
            "/",
        ] {
            assert!(!super::names_public_file(path), "{path}");
        }
    }

    #[test]
    fn provider_webhooks_are_known_by_a_hook_segment_named_for_the_provider() {
        for path in [
            "/api/v1/gitlab-hook",
            "/hooks/stripe_webhook",
            "/bitbucket-hook/{project_id}",
        ] {
            assert!(names_provider_hook(path), "{path}");
        }
        for path in [
            "/api/workspaces/{slug}/webhooks",
            "/webhooks/{id}",
            "/hook",
            "/-hook",
            "/api/hooks",
        ] {
            assert!(!names_provider_hook(path), "{path}");
        }
    }

    #[test]
    fn auth_flows_are_named_by_their_function_or_their_views_class() {
        assert!(is_auth_flow_handler("app.auth.login"));
        assert!(is_auth_flow_handler("lemur.auth.views.OAuth2.post"));
        assert!(is_auth_flow_handler("app.views.PasswordReset.get"));
        assert!(is_auth_flow_handler("auth.views.SignOutAuthEndpoint.post"));
        assert!(is_auth_flow_handler(
            "auth.views.MagicGenerateEndpoint.post"
        ));
        assert!(is_auth_flow_handler("auth.views.EmailCheckEndpoint.post"));
        assert!(is_auth_flow_handler("app.views.setup"));
        assert!(is_auth_flow_handler("auth.api.MFAChallengeVerifyApi.post"));
        assert!(is_auth_flow_handler(
            "auth.passkey.views.PasskeyAuthView.post"
        ));
        assert!(is_auth_flow_handler("users.views.RegisterViewSet.create"));
        assert!(is_auth_flow_handler(
            "users.views.registration.RegistrationRequest.post"
        ));
        assert!(is_auth_flow_handler("alerta.auth.basic.forgot"));
        assert!(is_auth_flow_handler("app.views.LogInView.post"));
        assert!(is_auth_flow_handler("app.auth.saml_acs"));
        assert!(is_auth_flow_handler("app.auth.oidc_authorized"));
        assert!(is_auth_flow_handler("app.sso.SSOLogin.post"));
        assert!(is_auth_flow_handler("tcms.core.views.InitDBView.post"));
        assert!(!is_auth_flow_handler("school.views.lesson_plan"));
        assert!(!is_auth_flow_handler(
            "registry.views.RegistryViewSet.create"
        ));
        assert!(!is_auth_flow_handler("app.views.initial_data"));
        assert!(!is_auth_flow_handler("app.views.setup_billing"));
        assert!(!is_auth_flow_handler("app.views.Certificates.post"));
        assert!(!is_auth_flow_handler("app.orders.post"));
    }
}
