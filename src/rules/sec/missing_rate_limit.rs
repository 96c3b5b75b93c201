//! sec/missing-rate-limit: an API that documents no rate limiting, and auth
//! operations without a 429.

use crate::finding::Finding;
use crate::model::code::{last_segment, Value};
use crate::model::path::{is_param, segments};
use crate::model::{Endpoint, Method, Response};
use crate::rules::Context;

const ID: &str = "sec/missing-rate-limit";

const AUTH_WORDS: &[&str] = &[
    "login",
    "signin",
    "sign-in",
    "token",
    "signup",
    "sign-up",
    "register",
    "otp",
    "mfa",
    "2fa",
    "password",
    "reset-password",
    "forgot-password",
    "password-reset",
    "verify",
    "session",
    "sessions",
    "tokens",
    "auth",
    "authenticate",
];

/// Words of a step where a caller proves who they are or creates an account: worth
/// guessing at, or spamming, even by a caller who is signed in. Without one of them, an
/// authentication word on a route that requires a signed-in caller names something the
/// caller manages (`POST /api/tokens` makes an API token, `POST /chat/sessions` a chat),
/// which a guesser cannot reach.
const CREDENTIAL_WORDS: &[&str] = &[
    "login",
    "signin",
    "signup",
    "register",
    "otp",
    "mfa",
    "2fa",
    "verify",
    "reset",
    "forgot",
    "recover",
    "challenge",
];

/// Signing out guesses nothing: `/logout`, `/auth/sign-out`.
fn signs_out(path: &str) -> bool {
    segments(path).last().is_some_and(|s| {
        matches!(
            s.to_ascii_lowercase().replace(['-', '_'], "").as_str(),
            "logout" | "signout" | "logoff"
        )
    })
}

/// Whether a segment before the first parameter is a credential word, or has one as
/// one of its `-` or `_` separated parts (`email-otp`, `forgot_password`, `sign-in`); or
/// the path is OAuth's token endpoint (`/oauth2/token`, django-oauth-toolkit's
/// `/o/token`), which takes client secrets and authorization codes.
fn guesses_credentials(path: &str) -> bool {
    let literal: Vec<String> = segments(path)
        .take_while(|s| !is_param(s))
        .map(str::to_ascii_lowercase)
        .collect();
    let oauth_token = literal
        .windows(2)
        .any(|w| matches!(w[0].as_str(), "oauth" | "oauth2" | "o") && w[1] == "token");
    oauth_token
        || literal.iter().any(|segment| {
            let joined = segment.replace(['-', '_'], "");
            CREDENTIAL_WORDS.contains(&joined.as_str())
                || segment
                    .split(['-', '_'])
                    .any(|part| CREDENTIAL_WORDS.contains(&part))
        })
}

fn declares_limit(r: &Response) -> bool {
    r.numeric() == Some(429)
        || r.headers.iter().any(|h| {
            let h = h.to_ascii_lowercase();
            h.contains("ratelimit") || h.contains("rate-limit") || h == "retry-after"
        })
}

/// A POST to an authentication word that is not below a resource:
/// `/auth/login`, `/sessions`; not `/conferences/{id}/sessions`.
fn is_auth_operation(e: &Endpoint) -> bool {
    e.method == Method::Post
        && segments(&e.path)
            .take_while(|s| !is_param(s))
            .any(|s| AUTH_WORDS.contains(&s.to_ascii_lowercase().as_str()))
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = check_spec(ctx);
    out.extend(check_code(ctx));
    out
}

fn check_spec(ctx: &Context) -> Vec<Finding> {
    let api = &ctx.project.api;
    let mut out = Vec::new();
    for (doc_index, doc) in api.documents.iter().enumerate() {
        let endpoints: Vec<&Endpoint> = api.endpoints_of(doc_index).collect();
        if endpoints.is_empty() {
            continue;
        }
        if !endpoints
            .iter()
            .any(|e| e.responses.iter().any(declares_limit))
        {
            let auth = endpoints.iter().filter(|e| is_auth_operation(e)).count();
            let mut message =
                String::from("no operation declares a 429 response or rate-limit headers");
            if auth > 0 {
                message.push_str(&format!(", including {auth} authentication operation(s)"));
            }
            out.push(
                Finding::new(ID, doc.where_findings_go().clone(), message)
                    .label("no rate limiting documented")
                    .help("rate-limit the API and document it: a 429 response with `Retry-After` and `RateLimit` headers")
                    .anchor(doc.anchor("/paths")),
            );
            continue;
        }
        for e in endpoints.into_iter().filter(|e| is_auth_operation(e)) {
            if !e.responses.iter().any(declares_limit) {
                out.push(
                    Finding::new(ID, e.location.clone(), format!("{} is an authentication operation without a 429 response", e.display()))
                        .label("auth operation without rate limit")
                        .help("limit attempts per account and per client, and declare 429 with `Retry-After`")
                        .anchor(e.anchor.clone()),
                );
            }
        }
    }
    out
}

const LIMITER_MODULES: &[&str] = &[
    "slowapi",
    "flask_limiter",
    "django_ratelimit",
    "ratelimit",
    "fastapi_limiter",
    "limits",
];

/// Django apps that lock an account or a client out after failed logins, whatever view
/// the login goes through (they hook Django's authentication).
const LOCKOUT_APPS: &[&str] = &["axes", "defender"];

/// Whether the Django settings install a login lockout: the app, its middleware or its
/// authentication backend named in `INSTALLED_APPS`, `MIDDLEWARE` or
/// `AUTHENTICATION_BACKENDS`.
fn has_login_lockout(code: &crate::model::code::CodeModel) -> bool {
    let names_lockout = |value: &Value| match value {
        Value::Str(s) => LOCKOUT_APPS
            .iter()
            .any(|app| s == app || s.starts_with(&format!("{app}."))),
        _ => false,
    };
    code.assignments.iter().any(|a| {
        matches!(
            last_segment(&a.target),
            "INSTALLED_APPS" | "MIDDLEWARE" | "AUTHENTICATION_BACKENDS"
        ) && match &a.value {
            Value::List(items) => items.iter().any(names_lockout),
            value => names_lockout(value),
        }
    })
}

/// Routes in code: no limiter anywhere in the project, or an authentication route the
/// limiter does not cover.
fn check_code(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let Some(first) = code.routes.first() else {
        return Vec::new();
    };
    // Test code exercises limits (`test_login_rate_limit_error`); it limits nothing.
    let shipped = |at: &crate::finding::Location| !crate::rules::common::in_test_code(code, at);
    let imported = code.imports.iter().any(|i| {
        LIMITER_MODULES
            .iter()
            .any(|m| i.module == *m || i.module.starts_with(&format!("{m}.")))
            && shipped(&i.location)
    });
    let any_evidence = code.routes.iter().any(|r| !r.rate_limit.is_empty());
    // A limiter of the project's own (`TokenBucket`, `check_rate_limit`).
    let limits = |name: &str| {
        let name = name.to_ascii_lowercase();
        // A wrapper that backs off from someone else's limit
        // (`wrap_aws_rate_limited_call`) limits nobody.
        let backs_off = name.contains("rate_limited") || name.contains("ratelimited");
        !backs_off
            && [
                "ratelimit",
                "rate_limit",
                "throttle",
                "tokenbucket",
                "token_bucket",
            ]
            .iter()
            .any(|w| name.contains(w))
    };
    let own = code.functions.iter().any(|f| {
        (limits(&f.name) || f.class.as_deref().is_some_and(limits)) && shipped(&f.location)
    });
    if !imported && !any_evidence && !own {
        return vec![Finding::new(
            ID,
            first.location.clone(),
            format!(
                "none of the {} routes is rate limited, and no rate limiter (slowapi, flask-limiter, django-ratelimit, DRF throttles) is used",
                code.routes.len()
            ),
        )
        .label("no rate limiting")
        .help("add a limiter with a default limit, and stricter limits on login, signup and password reset; or suppress this with a reason if a gateway limits requests")];
    }
    // A limiter of the project's own cannot be followed to the routes it guards.
    if !imported && !any_evidence {
        return Vec::new();
    }
    // Limiters with default limits cover every route; a login lockout covers the
    // routes where passwords are guessed.
    let defaults = code
        .calls
        .iter()
        .any(|c| c.method() == "Limiter" && c.keyword("default_limits").is_some());
    if defaults || has_login_lockout(code) {
        return Vec::new();
    }
    code.routes
        .iter()
        .filter(|r| {
            r.method == Method::Post
                && r.rate_limit.is_empty()
                && !signs_out(&r.path)
                && segments(&r.path)
                    .take_while(|s| !is_param(s))
                    .any(|s| AUTH_WORDS.contains(&s.to_ascii_lowercase().as_str()))
                && (r.auth.is_empty() || guesses_credentials(&r.path))
        })
        .map(|r| {
            Finding::new(
                ID,
                r.location.clone(),
                format!("{} {} authenticates callers but has no rate limit: passwords and codes can be guessed at full speed", r.method.upper(), r.path),
            )
            .label("auth route without a limit")
            .help("limit it per account and per client (`@limiter.limit(\"5/minute\")`, a DRF throttle)")
        })
        .collect()
}
