//! sec/hardcoded-secret: a credential written into the source.

use crate::finding::Finding;
use crate::model::code::Value;
use crate::rules::common::{in_test_code, is_developer_only_class, is_developer_only_file};
use crate::rules::Context;

const ID: &str = "sec/hardcoded-secret";

/// Whether a name is the secret itself (`JWT_SECRET`, `db_password`, `API_KEY`), not
/// something about it (`PASSWORD_RESET_TIMEOUT`, `TOKEN_URL`, `SECRET_KEY_FALLBACKS`).
pub fn is_secret_name(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    let words: Vec<&str> = last.split(['_', '-']).filter(|w| !w.is_empty()).collect();
    let Some((&final_word, rest)) = words.split_last() else {
        return false;
    };
    let previous = rest.last().copied().unwrap_or("");
    // `update_password`, `reset_secret`: a setting about what to do with the secret.
    if matches!(
        previous,
        "update"
            | "reset"
            | "change"
            | "forgot"
            | "require"
            | "requires"
            | "rotate"
            | "expire"
            | "generate"
            | "send"
            | "show"
            | "use"
            | "allow"
            | "enable"
            | "disable"
    ) {
        return false;
    }
    match final_word {
        "secret" | "password" | "passwd" | "pwd" | "passphrase" | "apikey" | "secretkey" => true,
        "key" => matches!(
            previous,
            "secret" | "api" | "private" | "access" | "signing" | "encryption" | "master"
        ),
        "token" => matches!(
            previous,
            "access"
                | "auth"
                | "api"
                | "bot"
                | "refresh"
                | "bearer"
                | "github"
                | "slack"
                | "personal"
        ),
        _ => false,
    }
}

/// Strings that are obviously not a real secret.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    v.len() < 8
        || v.starts_with('<')
        // A mask or a note in brackets: `"[REDACTED]"`, `"(hidden)"`.
        || (v.starts_with('[') && v.ends_with(']'))
        || (v.starts_with('(') && v.ends_with(')'))
        || v.starts_with("${")
        || v.starts_with('{')
        || v.starts_with('%')
        || lower.contains("change")
        || lower.contains("example")
        || lower.contains("placeholder")
        || lower.contains("your")
        || lower.contains("dummy")
        || lower.contains("xxxx")
        || lower.starts_with("test")
        || lower.contains("replace")
        || lower.contains("fake")
        // Replaced when the app is built or deployed: `"__POSTHOG_API_KEY__"`.
        || (v.len() > 4 && v.starts_with("__") && v.ends_with("__"))
        // Prose: a message about the secret (`"Set API key to use Exa."`), not one.
        || (v.split_whitespace().count() >= 5
            && (v.contains("://") || v.contains(". ") || v.ends_with(['.', '!', '?'])))
        || v.chars().all(|c| c == v.chars().next().unwrap_or(' '))
        || is_not_credential_shaped(v)
}

/// Values whose shape says what they are, and it is not a credential: a URL without
/// credentials in it (`"https://slack.com/api/oauth.v2.access"` as `ACCESS_TOKEN`'s
/// endpoint), a dotted import path (`"auth.backends.PasswordBackend"`), a template or
/// sentinel with a `{...}` slot (`"#{empty}#"`).
fn is_not_credential_shaped(v: &str) -> bool {
    let url = (v.starts_with("http://") || v.starts_with("https://")) && !v.contains('@');
    let identifier = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let import_path = v.split('.').count() >= 3 && v.split('.').all(identifier);
    let slot = v.find('{').is_some_and(|open| v[open..].contains('}'));
    // A path (`ENCRYPTION_KEY = "/cryptography/encryption/key"`, a route or a file).
    let path = v.starts_with('/') && v[1..].contains('/') && !v.contains(char::is_whitespace);
    url || import_path || slot || path
}

/// A value that spells its own name, or the end of it, is a label, not a secret: enum
/// members (`PASSWORD = "PASSWORD"`, `INVALID_PASSWORD = "invalid_password"`), form
/// fields (`password="password"`) and message constants
/// (`ERROR_MSG_BAD_PASSPHRASE = "BAD_PASSPHRASE"`,
/// `OUTPUT_CONTAINS_PRIVATE_KEY = "Contains private key"`).
fn names_itself(name: &str, value: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let last = name.rsplit('.').next().unwrap_or(name);
    let letters = |words: &[String]| words.concat();
    let (name_words, value_words) = (words(last), words(value));
    // A sentence about the secret (`errors["password"] = "Password is required"`): it
    // names what it is about and says something of it. A phrase that only names it
    // (`SECRET = "super secret jwt secret"`) is a weak secret, still a secret.
    const SAYS: &[&str] = &[
        "is",
        "are",
        "must",
        "required",
        "invalid",
        "missing",
        "incorrect",
        "wrong",
        "enter",
        "please",
        "not",
        "empty",
        "expired",
    ];
    let message = value.trim().contains(char::is_whitespace)
        && value_words
            .iter()
            .any(|w| w.len() >= 4 && name_words.contains(w))
        && value_words.iter().any(|w| SAYS.contains(&w.as_str()));
    !value_words.is_empty()
        && (letters(&name_words) == letters(&value_words)
            || name_words.ends_with(&value_words)
            || message)
}

/// Key formats whose presence alone is enough.
fn known_format(value: &str) -> Option<&'static str> {
    let v = value.trim();
    let alnum = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric());
    if v.len() == 20 && v.starts_with("AKIA") && alnum(v) {
        return Some("an AWS access key id");
    }
    if (v.starts_with("ghp_") || v.starts_with("github_pat_")) && v.len() >= 36 {
        return Some("a GitHub token");
    }
    if ["xoxb-", "xoxp-", "xoxa-", "xoxs-"]
        .iter()
        .any(|p| v.starts_with(p))
        && v.len() > 20
    {
        return Some("a Slack token");
    }
    // A key has a body after its header (`-----BEGIN RSA PRIVATE KEY-----`,
    // `-----BEGIN PGP PRIVATE KEY BLOCK-----`); the header alone is a marker to search for.
    if let Some(header_end) = v
        .find("PRIVATE KEY")
        .filter(|_| v.contains("-----BEGIN"))
        .and_then(|at| {
            v[at..]
                .find("-----")
                .map(|dashes| at + dashes + "-----".len())
        })
    {
        let rest = &v[header_end..];
        let body = rest[..rest.find("-----END").unwrap_or(rest.len())]
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '/')
            .count();
        if body >= 40 {
            return Some("a private key");
        }
    }
    None
}

/// Files that only developers, CI or seed scripts load, and lines the author has
/// already reviewed (`# noqa: S105`, `# nosec`).
fn exempt(location: &crate::finding::Location) -> bool {
    let line = location.file.line_text(location.span.start);
    is_developer_only_file(location.path()) || line.contains("noqa: S10") || line.contains("nosec")
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let code = &ctx.project.code;
    let mut out = Vec::new();
    let mut report = |location: &crate::finding::Location, what: String| {
        out.push(
            Finding::new(ID, location.clone(), what)
                .label("secret in the source")
                .help("read it from the environment or a secret manager (`os.environ[\"JWT_SECRET\"]`), and rotate it: it is in the repository's history"),
        );
    };
    // The cheap tests on the value come first: the exemptions read the file's line.
    let skipped =
        |location: &crate::finding::Location| in_test_code(code, location) || exempt(location);
    for a in &code.assignments {
        let Value::Str(value) = &a.value else {
            continue;
        };
        let message = if let Some(format) = known_format(value) {
            format!("{format} is written into the source")
        } else if is_secret_name(&a.target)
            && !is_placeholder(value)
            && !names_itself(&a.target, value)
        {
            format!("`{}` is set to a literal secret", a.target)
        } else {
            continue;
        };
        // A settings class for tests or developer machines (`TestingConfig`) is
        // skipped like a settings file for them.
        let developer_class = a.class.as_deref().is_some_and(is_developer_only_class);
        if !skipped(&a.location) && !developer_class {
            report(&a.value_location, message);
        }
    }
    for call in &code.calls {
        for arg in &call.args {
            let Value::Str(value) = &arg.value else {
                continue;
            };
            let named = arg.keyword.as_deref().is_some_and(|k| {
                is_secret_name(k) && !is_placeholder(value) && !names_itself(k, value)
            });
            let message = if let Some(format) = known_format(value) {
                format!("{format} is written into the source")
            } else if named {
                format!(
                    "`{}` is passed a literal secret in `{}`",
                    arg.keyword.as_deref().unwrap_or(""),
                    call.callee
                )
            } else {
                continue;
            };
            if !skipped(&call.location) {
                report(&arg.location, message);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_are_the_secret_not_its_settings() {
        for yes in [
            "SECRET_KEY",
            "JWT_SECRET",
            "db_password",
            "API_KEY",
            "settings.STRIPE_SECRET_KEY",
            "GITHUB_TOKEN",
            "access_token",
            "new_password",
            "confirm_password",
        ] {
            assert!(is_secret_name(yes), "{yes}");
        }
        for no in [
            "PASSWORD_RESET_TIMEOUT",
            "TOKEN_URL",
            "SECRET_KEY_FALLBACKS",
            "password_field",
            "key",
            "token",
            "sort_key",
            "update_password",
            "ROTATE_SECRET",
        ] {
            assert!(!is_secret_name(no), "{no}");
        }
    }

    #[test]
    fn placeholders_and_key_formats() {
        assert!(is_placeholder("changeme"));
        assert!(is_placeholder("<your-secret>"));
        assert!(!is_placeholder("s3cr3t-Pr0duction-v4lue"));
        assert_eq!(
            known_format("AKIAIOSFODNN7EXAMPLE"),
            Some("an AWS access key id")
        );
        assert_eq!(known_format("hello"), None);
        // The header alone is no key.
        assert_eq!(known_format("-----BEGIN PRIVATE KEY-----"), None);
        let key = format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----",
            "MIIEowIBAAKCAQEA1b2c3d4e5f6g7h8i9j0".repeat(3)
        );
        assert_eq!(known_format(&key), Some("a private key"));
        // A message about a secret is not one.
        assert!(is_placeholder(
            "Set API key to use Exa. Get API key from https://dashboard.exa.ai"
        ));
        assert!(!is_placeholder("correct horse battery staple zebra"));
        // Shapes that are not credentials.
        assert!(is_placeholder("https://slack.com/api/oauth.v2.access"));
        assert!(!is_placeholder("https://admin:s3cr3t-v4lue@db.internal"));
        assert!(is_placeholder(
            "authentication.backends.oidc.OIDCAuthPasswordBackend"
        ));
        assert!(is_placeholder("#{empty}#"));
        assert!(is_placeholder("/cryptography/encryption/key"));
        assert!(!is_placeholder("/Zk9q2Lm8Xw4Tb7Rf"));
        assert!(!is_placeholder("kq8.Zr1.x9Lp-2mWq"));
        let pgp = format!(
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{}\n-----END PGP PRIVATE KEY BLOCK-----",
            "lQOYBF1234567890abcdefghijklmnopqrstuvwxyz".repeat(2)
        );
        assert_eq!(known_format(&pgp), Some("a private key"));
        assert_eq!(
            known_format("-----BEGIN PRIVATE KEY----- starts a key"),
            None
        );
    }
}
