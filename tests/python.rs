//! Python end to end: the route inventory of each framework's fixture app, the findings
//! on each app, syntax errors, and `# archlint-ignore` comments.

mod common;

use std::path::Path;

use common::{archlint, fixture, messages, positions, rules_of, run, write};

fn routes_of(app: &str) -> String {
    let o = archlint(&["routes", "."], &fixture(app));
    assert_eq!(o.status.code(), Some(0));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn fastapi_routes_resolve_router_prefixes_and_dependencies() {
    insta::assert_snapshot!("routes_fastapi", routes_of("python/fastapi"));
}

#[test]
fn flask_routes_resolve_blueprints_and_method_views() {
    insta::assert_snapshot!("routes_flask", routes_of("python/flask"));
}

#[test]
fn django_routes_resolve_includes_routers_and_settings_defaults() {
    insta::assert_snapshot!("routes_django", routes_of("python/django"));
}

#[test]
fn routes_json_carries_the_evidence() {
    let o = archlint(
        &["routes", ".", "--format", "json"],
        &fixture("python/django"),
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let routes = json["routes"].as_array().unwrap();
    let refund = routes
        .iter()
        .find(|r| r["path"] == "/api/orders/{pk}/refund")
        .expect("the refund route");
    assert_eq!(refund["method"], "POST");
    assert_eq!(refund["framework"], "django-rest");
    assert_eq!(refund["public"]["name"], "AllowAny");
    let list = routes
        .iter()
        .find(|r| r["path"] == "/api/orders" && r["method"] == "GET")
        .unwrap();
    assert_eq!(list["auth"][0]["name"], "IsAuthenticated");
    assert_eq!(list["auth"][0]["location"]["path"], "project/settings.py");
}

fn findings(app: &str) -> Vec<String> {
    positions(&run(&fixture(app), &[]))
}

#[test]
fn each_framework_app_gets_the_findings_an_architect_would_give() {
    assert_eq!(
        findings("python/fastapi"),
        [
            "api/routes/items.py:9:1 sec/missing-rate-limit warning",
            "api/routes/items.py:14:1 api/create-status warning",
            "api/routes/items.py:16:17 sec/mass-assignment info",
            "api/routes/items.py:23:1 sec/missing-auth error",
            "api/routes/users.py:9:1 api/list-pagination warning",
            "api/routes/users.py:17:17 sec/mass-assignment info",
        ]
    );
    assert_eq!(
        findings("python/flask"),
        [
            "shop/__init__.py:18:5 sec/missing-rate-limit warning",
            "shop/customers.py:11:1 api/list-pagination warning",
            "shop/orders.py:21:45 sec/mass-assignment info",
            "shop/orders.py:28:1 sec/missing-auth error",
        ]
    );
    let django = findings("python/django");
    assert!(
        django.contains(&"api/urls.py:11:5 sec/missing-auth error".to_string()),
        "{django:?}"
    );
    assert!(
        django.contains(&"api/urls.py:12:5 api/list-pagination warning".to_string()),
        "{django:?}"
    );
}

#[test]
fn each_framework_app_has_a_clean_variant_that_stays_silent() {
    for app in [
        "python/fastapi-clean",
        "python/flask-clean",
        "python/django-clean",
    ] {
        let found = findings(app);
        assert!(found.is_empty(), "{app}: {found:?}");
        // ... while still declaring the same routes as the app with the problems.
        let routes = routes_of(app);
        assert!(routes.lines().count() > 8, "{app}: {routes}");
    }
}

const APP: &str = "from fastapi import FastAPI, Depends
import requests

app = FastAPI()


@app.get(\"/health\")
def health():
    return {\"ok\": True}


@app.get(\"/rates\")
def rates(user=Depends(get_current_user)):
    return requests.get(\"https://rates.example.com\")
";

#[test]
fn a_syntax_error_is_reported_and_the_rest_of_the_file_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let broken = APP.replace("return {\"ok\": True}", "return {\"ok\": True\n    if if");
    write(dir.path(), "app.py", &broken);
    let outcome = run(dir.path(), &["perf/missing-timeout", "archlint"]);
    let found = positions(&outcome);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("app.py:9:") && p.contains("archlint/parse-error")),
        "{found:?}"
    );
    assert!(
        found.contains(&"app.py:15:12 perf/missing-timeout warning".to_string()),
        "the call after the error is still read: {found:?}"
    );
    let o = archlint(&["routes", "."], dir.path());
    assert!(String::from_utf8_lossy(&o.stdout).contains("/rates"));
}

#[test]
fn ignore_comments_cover_their_line_or_the_next_and_stale_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let select = ["perf/missing-timeout", "archlint"];
    write(
        dir.path(),
        "app.py",
        &APP.replace(
            "    return requests.get(\"https://rates.example.com\")",
            "    # archlint-ignore[perf/missing-timeout]: the proxy times out after 5 s\n    return requests.get(\"https://rates.example.com\")",
        ),
    );
    assert!(run(dir.path(), &select).findings.is_empty());
    write(
        dir.path(),
        "app.py",
        &APP.replace(
            "    return requests.get(\"https://rates.example.com\")",
            "    return requests.get(\"https://rates.example.com\")  # archlint-ignore[perf/missing-timeout]",
        ),
    );
    assert!(run(dir.path(), &select).findings.is_empty());
    write(
        dir.path(),
        "app.py",
        &APP.replace(
            "def health():",
            "def health():  # archlint-ignore[perf/missing-timeout]: nothing here",
        ),
    );
    let found = positions(&run(dir.path(), &select));
    assert_eq!(
        found,
        [
            "app.py:8:16 archlint/unused-suppression info",
            "app.py:14:12 perf/missing-timeout warning"
        ]
    );
}

#[test]
fn missing_auth_stays_quiet_when_most_routes_show_no_evidence() {
    // Four of five routes are protected some way archlint cannot see (a router
    // subclass, say): naming the one visible dependency as "what the others use" would
    // be noise.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "from fastapi import FastAPI, Depends\napp = FastAPI()\n\n@app.get(\"/a\")\ndef a(user=Depends(get_current_user)):\n    return 1\n\n@app.post(\"/b\")\ndef b():\n    return 1\n\n@app.post(\"/c\")\ndef c():\n    return 1\n\n@app.delete(\"/d\")\ndef d():\n    return 1\n\n@app.put(\"/e\")\ndef e():\n    return 1\n",
    );
    assert!(run(dir.path(), &["sec/missing-auth"]).findings.is_empty());
}

#[test]
fn sql_built_from_table_names_or_reviewed_lines_is_not_injection() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "repo.py",
        "def f(cursor, user_id, limit):\n    cursor.execute(f\"SELECT id FROM {User.__tablename__} WHERE id = :id\")\n    cursor.execute(f\"SELECT id FROM users LIMIT {int(limit)}\")\n    cursor.execute(f\"SELECT id FROM users WHERE name = '{user_id}'\")  # noqa: S608\n    cursor.execute(f\"SELECT id FROM users WHERE id = {user_id}\")\n    cursor.execute(\n        f\"SELECT id FROM users WHERE name = '{user_id}'\",  # noqa: S608\n    )\n",
    );
    assert_eq!(
        positions(&run(dir.path(), &["sec/sql-injection"])),
        ["repo.py:5:20 sec/sql-injection error"]
    );
}

#[test]
fn one_open_write_is_named_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/notes\")\ndef notes():\n    return {}\n\n@app.route(\"/notes\", methods=[\"POST\"])\ndef add_note():\n    return {}\n",
    );
    let outcome = run(dir.path(), &["sec/missing-auth"]);
    let messages = messages(&outcome);
    assert!(
        messages
            .iter()
            .any(|m| m.contains(", and 1 of them writes: POST /notes")),
        "{messages:?}"
    );
}

#[test]
fn flask_cors_reads_its_origins_from_the_app_config() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\napp.config.from_object(\"settings\")\nCORS(app, supports_credentials=True)\n",
    );
    write(dir.path(), "settings.py", "CORS_ORIGINS = \"*\"\n");
    assert_eq!(
        positions(&run(dir.path(), &["sec/cors-wildcard"])),
        ["settings.py:1:16 sec/cors-wildcard warning"]
    );
    write(
        dir.path(),
        "settings.py",
        "CORS_ORIGINS = [\"https://app.example.com\"]\n",
    );
    assert!(run(dir.path(), &["sec/cors-wildcard"]).findings.is_empty());
}

#[test]
fn routes_of_an_authentication_module_without_any_login_are_its_flows() {
    let dir = tempfile::tempdir().unwrap();
    let mut items = String::from(
        "from flask import Blueprint\nfrom flask_login import login_required\nbp = Blueprint(\"items\", __name__)\n",
    );
    for i in 0..6 {
        items.push_str(&format!(
            "\n@bp.route(\"/items/{i}\", methods=[\"POST\"])\n@login_required\ndef item{i}():\n    return {{}}\n"
        ));
    }
    items.push_str(
        "\n@bp.route(\"/items/open\", methods=[\"POST\"])\ndef open_write():\n    return {}\n",
    );
    write(dir.path(), "app/items.py", &items);
    write(
        dir.path(),
        "app/auth/github.py",
        "from flask import Blueprint\nbp = Blueprint(\"github\", __name__)\n\n@bp.route(\"/auth/github\", methods=[\"POST\"])\ndef github():\n    return {}\n",
    );
    // A module named for authentication that protects some of its routes is judged
    // like any other.
    write(
        dir.path(),
        "app/auth/tokens.py",
        "from flask import Blueprint\nfrom flask_login import login_required\nbp = Blueprint(\"tokens\", __name__)\n\n@bp.route(\"/auth/keys\", methods=[\"GET\"])\n@login_required\ndef keys():\n    return {}\n\n@bp.route(\"/auth/keys\", methods=[\"DELETE\"])\ndef delete_keys():\n    return {}\n",
    );
    write(
        dir.path(),
        "app/__init__.py",
        "from flask import Flask\nfrom .items import bp as items\nfrom .auth.github import bp as github\nfrom .auth.tokens import bp as tokens\napp = Flask(__name__)\nfor bp in (items, github, tokens):\n    app.register_blueprint(bp)\n",
    );
    let outcome = run(dir.path(), &["sec/missing-auth"]);
    let mut reported: Vec<String> = messages(&outcome)
        .iter()
        .map(|m| m.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    reported.sort();
    assert_eq!(reported, ["DELETE /auth/keys", "POST /items/open"]);
}

#[test]
fn a_test_about_rate_limits_is_no_limiter() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/login\", methods=[\"POST\"])\ndef login():\n    return {}\n",
    );
    write(
        dir.path(),
        "tests/test_login.py",
        "def test_login_rate_limit_error(client):\n    assert client.post(\"/login\").status_code == 401\n",
    );
    assert_eq!(
        messages(&run(dir.path(), &["sec/missing-rate-limit"])),
        ["none of the 1 routes is rate limited, and no rate limiter (slowapi, flask-limiter, django-ratelimit, DRF throttles) is used"]
    );
}

#[test]
fn models_in_test_code_are_not_the_services_schema() {
    let dir = tempfile::tempdir().unwrap();
    let models = "from sqlalchemy import Column, ForeignKey, Integer\nfrom sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n\nclass Owner(Base):\n    __tablename__ = \"owner\"\n    id = Column(Integer, primary_key=True)\n\nclass Pet(Base):\n    __tablename__ = \"pet\"\n    id = Column(Integer, primary_key=True)\n    owner_id = Column(Integer, ForeignKey(\"owner.id\"))\n";
    write(dir.path(), "tests/test_models.py", models);
    assert!(run(dir.path(), &["db"]).findings.is_empty());
    write(dir.path(), "app/models.py", models);
    assert_eq!(
        positions(&run(dir.path(), &["db/fk-without-index"])),
        ["app/models.py:13:32 db/fk-without-index warning"]
    );
}

#[test]
fn a_cors_preflight_is_not_judged_for_authentication() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = String::from(
        "from fastapi import Depends, FastAPI\nfrom .auth import current_user\napp = FastAPI()\n",
    );
    // Enough protected routes that open reads are judged too.
    for i in 0..16 {
        let method = ["get", "post", "put", "delete"][i % 4];
        app.push_str(&format!(
            "\n@app.{method}(\"/reports/r{i}\", dependencies=[Depends(current_user)])\ndef r{i}():\n    return {{}}\n"
        ));
    }
    app.push_str("\n@app.options(\"/reports/r0\")\ndef preflight():\n    return {}\n");
    app.push_str("\n@app.head(\"/reports/r1\")\ndef probe():\n    return {}\n");
    app.push_str("\n@app.post(\"/reports/open\")\ndef open_write():\n    return {}\n");
    // A fixed answer holds no data: an index of the API's versions.
    app.push_str(
        "\n@app.get(\"/reports\")\ndef index():\n    return [{\"url\": \"/reports/r0\"}]\n",
    );
    // Reads that return data are judged.
    app.push_str("\n@app.get(\"/reports/all\")\ndef everything():\n    return load_all()\n");
    write(dir.path(), "app.py", &app);
    let outcome = run(dir.path(), &["sec/missing-auth"]);
    assert_eq!(
        messages(&outcome)
            .iter()
            .map(|m| m.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>(),
        ["POST /reports/open", "GET /reports/all"]
    );
}

#[test]
fn auth_markers_name_the_projects_own_auth_decorators() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = String::from(
        "from flask import Flask\nfrom .guards import staff_only\napp = Flask(__name__)\n",
    );
    for (i, method) in ["GET", "POST", "PUT", "DELETE"].iter().enumerate() {
        app.push_str(&format!(
            "\n@app.route(\"/r{i}\", methods=[\"{method}\"])\n@staff_only\ndef r{i}():\n    return {{}}\n"
        ));
    }
    app.push_str("\n@app.route(\"/open\", methods=[\"POST\"])\ndef open_write():\n    return {}\n");
    write(dir.path(), "app.py", &app);
    let without = run(dir.path(), &["sec/missing-auth"]);
    assert_eq!(without.findings.len(), 1);
    assert!(
        without.findings[0]
            .finding
            .message
            .starts_with("none of the 5 routes"),
        "{}",
        without.findings[0].finding.message
    );
    assert!(without.findings[0]
        .finding
        .message
        .contains(", and 4 of them write: "));
    let settings = archlint::config::Settings::parse(
        Path::new("archlint.toml"),
        "[policy]\nauth-markers = [\"staff_only\"]\n",
    )
    .unwrap();
    let with = common::run_with(dir.path(), &["sec/missing-auth"], &settings);
    let messages = messages(&with);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with(
            "POST /open shows no authentication, while 4 of the 5 routes use `staff_only`"
        ),
        "{messages:?}"
    );
}

#[test]
fn alembic_revisions_replay_in_revision_order_not_file_order() {
    let dir = tempfile::tempdir().unwrap();
    // File names sort the wrong way round; `down_revision` says the truth.
    write(
        dir.path(),
        "migrations/versions/a_index.py",
        "from alembic import op\nrevision = \"r2\"\ndown_revision = \"r1\"\n\ndef upgrade():\n    op.create_index(op.f(\"ix_orders_customer_id\"), \"orders\", [\"customer_id\"], postgresql_concurrently=True)\n",
    );
    write(
        dir.path(),
        "migrations/versions/z_create.py",
        "import sqlalchemy as sa\nfrom alembic import op\nrevision = \"r1\"\ndown_revision = None\n\ndef upgrade():\n    op.create_table(\"customers\", sa.Column(\"id\", sa.Integer(), primary_key=True))\n    op.create_table(\"orders\", sa.Column(\"id\", sa.Integer(), primary_key=True), sa.Column(\"customer_id\", sa.Integer(), sa.ForeignKey(\"customers.id\")))\n\ndef downgrade():\n    op.drop_table(\"orders\")\n",
    );
    let outcome = run(dir.path(), &["db", "archlint"]);
    assert!(outcome.findings.is_empty(), "{:?}", positions(&outcome));
    let o = archlint(&["schema", "."], dir.path());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("migrations/versions: postgres, 2 migrations, 2 tables"),
        "{text}"
    );
    assert!(
        text.contains("INDEX ix_orders_customer_id (customer_id)"),
        "{text}"
    );

    // Without the second revision, the foreign key is reported at its ForeignKey(...).
    std::fs::remove_file(dir.path().join("migrations/versions/a_index.py")).unwrap();
    assert_eq!(
        positions(&run(dir.path(), &["db/fk-without-index"])),
        ["migrations/versions/z_create.py:8:119 db/fk-without-index warning"]
    );
}

#[test]
fn a_schema_qualified_foreign_key_constraint_names_its_table_not_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "migrations/versions/r1_events.py",
        concat!(
            "import sqlalchemy as sa\nfrom alembic import op\nrevision = \"r1\"\ndown_revision = None\n\n",
            "def upgrade():\n",
            "    op.create_table(\"plugin_event\", sa.Column(\"id\", sa.Integer(), primary_key=True), schema=\"core\")\n",
            "    op.create_table(\"activity\", sa.Column(\"id\", sa.Integer(), primary_key=True), sa.Column(\"plugin_event_id\", sa.Integer()),\n",
            "        sa.ForeignKeyConstraint([\"plugin_event_id\"], [\"core.plugin_event.id\"]))\n",
        ),
    );
    let outcome = run(dir.path(), &["db/fk-without-index"]);
    let messages = messages(&outcome);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("core.plugin_event (id)"),
        "{messages:?}"
    );
}

#[test]
fn a_sample_database_for_another_engine_does_not_set_the_projects_dialect() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "migrations/versions/r1_orders.py",
        concat!(
            "import sqlalchemy as sa\nfrom alembic import op\nrevision = \"r1\"\ndown_revision = None\n\n",
            "def upgrade():\n",
            "    op.create_table(\"orders\", sa.Column(\"id\", sa.Integer(), primary_key=True), sa.Column(\"customer_id\", sa.Integer()))\n",
        ),
    );
    write(
        dir.path(),
        "migrations/versions/r2_index.py",
        "from alembic import op\nrevision = \"r2\"\ndown_revision = \"r1\"\n\ndef upgrade():\n    op.create_index(\"ix_orders_customer_id\", \"orders\", [\"customer_id\"])\n",
    );
    let without = positions(&run(dir.path(), &["db"]));
    assert!(!without.is_empty());
    write(
        dir.path(),
        "docker/sample_data/mysql_example.sql",
        "INSERT INTO `orders` (`id`, `customer_id`) VALUES (1, 2);\n",
    );
    assert_eq!(positions(&run(dir.path(), &["db"])), without);
}

#[test]
fn an_alembic_expression_index_is_not_read_as_an_index_on_no_columns() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "migrations/versions/r1_runs.py",
        concat!(
            "import sqlalchemy as sa\nfrom alembic import op\nrevision = \"r1\"\ndown_revision = None\n\n",
            "def upgrade():\n",
            "    op.create_table(\"run\", sa.Column(\"id\", sa.Integer(), primary_key=True), sa.Column(\"end_time\", sa.DateTime()))\n",
            "    op.create_index(\"ix_run__end_time_desc\", \"run\", [sa.text(\"end_time DESC\")])\n",
            "    op.create_index(\"ix_run__lower_id\", \"run\", [sa.func.lower(sa.column(\"id\"))])\n",
            "    op.create_index(\"ix_run__id\", \"run\", [\"id\"])\n",
            "    op.create_index(\"ix_run__unknown\", \"run\", run_columns)\n",
        ),
    );
    // Only the plain index on the primary key's column is redundant: the others'
    // columns are expressions, or unknown.
    assert_eq!(
        positions(&run(dir.path(), &["db/duplicate-index"])),
        ["migrations/versions/r1_runs.py:10:5 db/duplicate-index info"]
    );
    let o = archlint(&["schema", "."], dir.path());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("INDEX ix_run__end_time_desc (end_time DESC)"),
        "{text}"
    );
}

#[test]
fn alembic_batch_operations_apply_to_the_batch_table() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "migrations/versions/r1_create.py",
        concat!(
            "import sqlalchemy as sa\nfrom alembic import op\nrevision = \"r1\"\ndown_revision = None\n\n",
            "def upgrade():\n",
            "    op.create_table(\"deployment\", sa.Column(\"id\", sa.Integer(), primary_key=True))\n",
            "    op.create_table(\"flow_run\", sa.Column(\"id\", sa.Integer(), primary_key=True))\n",
        ),
    );
    let batch = |index: &str| {
        format!(
            concat!(
                "import sqlalchemy as sa\nfrom alembic import op\nrevision = \"r2\"\ndown_revision = \"r1\"\n\n",
                "def upgrade():\n",
                "    with op.batch_alter_table(\"flow_run\", schema=None) as batch_op:\n",
                "        batch_op.add_column(sa.Column(\"deployment_id\", sa.Integer(), nullable=True))\n",
                "        batch_op.create_foreign_key(\"fk_flow_run__deployment\", \"deployment\", [\"deployment_id\"], [\"id\"])\n",
                "{}",
            ),
            index
        )
    };
    write(
        dir.path(),
        "migrations/versions/r2_batch.py",
        &batch("        batch_op.create_index(\"ix_flow_run__deployment_id\", [\"deployment_id\"], unique=False)\n"),
    );
    assert_eq!(
        positions(&run(dir.path(), &["db/fk-without-index"])),
        Vec::<String>::new()
    );
    let o = archlint(&["schema", "."], dir.path());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("INDEX ix_flow_run__deployment_id (deployment_id)"),
        "{text}"
    );

    // Without the index, the foreign key batch_op made is unindexed.
    write(dir.path(), "migrations/versions/r2_batch.py", &batch(""));
    assert_eq!(
        positions(&run(dir.path(), &["db/fk-without-index"])),
        ["migrations/versions/r2_batch.py:9:9 db/fk-without-index warning"]
    );
    // The index made and dropped again in one batch is gone.
    write(
        dir.path(),
        "migrations/versions/r2_batch.py",
        &batch("        batch_op.create_index(\"ix_flow_run__deployment_id\", [\"deployment_id\"])\n        batch_op.drop_index(\"ix_flow_run__deployment_id\")\n"),
    );
    assert_eq!(
        positions(&run(dir.path(), &["db/fk-without-index"])),
        ["migrations/versions/r2_batch.py:9:9 db/fk-without-index warning"]
    );
}

#[test]
fn a_revision_folder_named_after_a_database_is_replayed_in_its_dialect() {
    let dir = tempfile::tempdir().unwrap();
    for db in ["postgresql", "sqlite"] {
        write(
            dir.path(),
            &format!("migrations/versions/{db}/r1_create.py"),
            concat!(
                "import sqlalchemy as sa\nfrom alembic import op\nrevision = \"r1\"\ndown_revision = None\n\n",
                "def upgrade():\n",
                "    op.create_table(\"flow_run\", sa.Column(\"id\", sa.Integer(), primary_key=True), sa.Column(\"state\", sa.String()))\n",
            ),
        );
        write(
            dir.path(),
            &format!("migrations/versions/{db}/r2_index.py"),
            concat!(
                "from alembic import op\nrevision = \"r2\"\ndown_revision = \"r1\"\n\n",
                "def upgrade():\n",
                "    op.create_index(\"ix_flow_run__state\", \"flow_run\", [\"state\"])\n",
            ),
        );
    }
    // SQLite has no CREATE INDEX CONCURRENTLY: only the PostgreSQL revision is told to
    // use it.
    assert_eq!(
        positions(&run(dir.path(), &["db/non-concurrent-index"])),
        ["migrations/versions/postgresql/r2_index.py:6:5 db/non-concurrent-index warning"]
    );
}

#[test]
fn a_before_request_hook_guarded_by_an_auth_decorator_protects_its_blueprint() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "api/__init__.py",
        "from flask import Blueprint\nfrom .auth import auth\napi = Blueprint(\"api\", __name__, url_prefix=\"/api\")\n\n@api.before_request\n@auth.login_required\ndef before_request():\n    pass\n\n@api.route(\"/posts\", methods=[\"POST\"])\ndef new_post():\n    return {}, 201\n",
    );
    let o = archlint(&["routes", ".", "--format", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["routes"][0]["path"], "/api/posts");
    assert_eq!(
        json["routes"][0]["auth"][0]["name"], "before_request",
        "{json}"
    );
}

#[test]
fn django_language_prefixes_and_as_view_login_required() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "site/urls.py",
        "from django.conf.urls.i18n import i18n_patterns\nfrom django.urls import path\nfrom . import views\n\nurlpatterns = i18n_patterns(\n    path(\"dashboard/\", views.Dashboard.as_view(login_required=True)),\n    path(\"about/\", views.About.as_view()),\n)\n",
    );
    write(
        dir.path(),
        "site/views.py",
        "from django.views.generic import TemplateView\n\nclass Dashboard(TemplateView):\n    template_name = \"d.html\"\n\nclass About(TemplateView):\n    template_name = \"a.html\"\n",
    );
    let o = archlint(&["routes", ".", "--format", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let routes = json["routes"].as_array().unwrap();
    let dashboard = routes
        .iter()
        .find(|r| r["path"] == "/{language}/dashboard")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(dashboard["auth"][0]["name"], "as_view(login_required=...)");
    let about = routes
        .iter()
        .find(|r| r["path"] == "/{language}/about")
        .unwrap();
    assert!(about["auth"].as_array().unwrap().is_empty());
}

#[test]
fn test_code_is_not_judged_for_tls_sql_and_injection() {
    let dir = tempfile::tempdir().unwrap();
    let code = "import ssl\n\ndef test_it(cursor, name):\n    ctx = ssl.create_default_context()\n    ctx.verify_mode = ssl.CERT_NONE\n    cursor.execute(\"DELETE FROM sessions\")\n    cursor.execute(f\"SELECT id FROM users WHERE name = '{name}'\")\n";
    write(dir.path(), "tests/test_db.py", code);
    assert!(run(dir.path(), &[]).findings.is_empty());
    write(dir.path(), "app/db.py", code);
    let found = positions(&run(dir.path(), &["sec", "db"]));
    assert_eq!(
        found,
        [
            "app/db.py:5:23 sec/insecure-transport warning",
            "app/db.py:6:21 db/update-without-where error",
            "app/db.py:7:20 sec/sql-injection error",
        ]
    );
}

#[test]
fn routes_in_modules_that_import_only_the_blueprint_are_found() {
    // A common Flask layout: the package makes the blueprint, a module that never
    // imports flask adds the routes.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app/api/__init__.py",
        "from flask import Blueprint\n\nbp = Blueprint(\"api\", __name__)\n\nfrom app.api import tokens\n",
    );
    write(
        dir.path(),
        "app/api/tokens.py",
        "from app.api import bp\n\n\n@bp.route(\"/tokens\", methods=[\"POST\"])\ndef get_token():\n    return {}\n",
    );
    write(dir.path(), "app/util.py", "def helper():\n    return 1\n");
    let o = archlint(&["routes", "."], dir.path());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("POST    /tokens"), "{text}");
}

#[test]
fn project_templates_are_not_read_as_code() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "{{cookiecutter.project_slug}}/config/settings.py",
        "{% if cookiecutter.use_celery == 'y' %}\nCELERY = True\n{% endif %}\nSECRET_KEY = \"s3cr3t-production-v4lue\"\n",
    );
    assert!(run(dir.path(), &[]).findings.is_empty());
}

#[test]
fn an_app_passed_to_a_configuring_function_mounts_its_routers() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "service/api.py",
        "from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.post(\"/items\", status_code=201)\ndef create_item():\n    return {}\n",
    );
    write(
        dir.path(),
        "service/server.py",
        "from fastapi import Depends, FastAPI\n\nclass Server:\n    def configure(self, app: FastAPI):\n        from service.api import router\n        from service.auth import verify_token\n        app.include_router(router, prefix=\"/api/v1\", dependencies=[Depends(verify_token)])\n",
    );
    write(
        dir.path(),
        "web/views.py",
        "from flask import Blueprint\nbp = Blueprint(\"web\", __name__)\n\n@bp.route(\"/pages\")\ndef pages():\n    return []\n",
    );
    write(
        dir.path(),
        "web/app.py",
        "from flask import Flask\n\ndef register(app: Flask) -> None:\n    from web.views import bp\n    app.register_blueprint(bp, url_prefix=\"/web\")\n",
    );
    // Untyped, the parameter is an app all the same when the function mounts routers
    // on it.
    write(
        dir.path(),
        "service/configure.py",
        "def configure_routes(app):\n    from service.chat import chat\n    app.include_router(chat, prefix=\"/api/chat\")\n",
    );
    write(
        dir.path(),
        "service/chat.py",
        "from fastapi import APIRouter\nchat = APIRouter()\n\n@chat.get(\"/sessions\")\ndef sessions():\n    return {}\n",
    );
    // A factory called twice returns a different router each time: its routes are
    // mounted once, under the prefix the factory gives them.
    write(
        dir.path(),
        "service/tenants.py",
        "from fastapi import APIRouter, FastAPI
from service.users import users

def include_routers(router: APIRouter) -> APIRouter:
    router.include_router(users, prefix=\"/api\")
    return router

default = include_routers(APIRouter())
per_tenant = include_routers(APIRouter(prefix=\"/{tenant}\"))
tenants = FastAPI()
tenants.include_router(default)
tenants.include_router(per_tenant)
",
    );
    write(
        dir.path(),
        "service/users.py",
        "from fastapi import APIRouter
users = APIRouter()

@users.get(\"/profile\")
def profile():
    return {}
",
    );
    let o = archlint(&["routes", ".", "--format", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let routes = json["routes"].as_array().unwrap();
    let profiles: Vec<&serde_json::Value> = routes
        .iter()
        .filter(|r| r["handler"] == "service.users.profile")
        .map(|r| &r["path"])
        .collect();
    assert_eq!(profiles, ["/api/profile"], "{json}");
    let chat: Vec<&serde_json::Value> = routes
        .iter()
        .filter(|r| r["handler"] == "service.chat.sessions")
        .map(|r| &r["path"])
        .collect();
    assert_eq!(chat, ["/api/chat/sessions"], "{json}");
    let items = routes
        .iter()
        .find(|r| r["method"] == "POST")
        .expect("the FastAPI route");
    assert_eq!(items["path"], "/api/v1/items", "{json}");
    assert_eq!(items["auth"][0]["name"], "verify_token", "{json}");
    let pages = routes
        .iter()
        .find(|r| r["framework"] == "flask")
        .expect("the Flask route");
    assert_eq!(pages["path"], "/web/pages", "{json}");
}

#[test]
fn a_web_uis_files_and_version_are_public_but_its_data_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut api = String::from(
        "from fastapi import APIRouter, Depends, FastAPI\nfrom fastapi.responses import FileResponse\nfrom .auth import current_user\n\napi = APIRouter(dependencies=[Depends(current_user)])\n",
    );
    for name in [
        "orders",
        "invoices",
        "customers",
        "products",
        "refunds",
        "carts",
        "coupons",
        "payments",
        "shipments",
        "returns",
    ] {
        api.push_str(&format!(
            "\n@api.get(\"/{name}/{{item_id}}\")\ndef get_{name}(item_id: int):\n    return {{}}\n"
        ));
    }
    api.push_str(concat!(
        "\nui = APIRouter()\n",
        "\n@ui.get(\"/ui_version\")\ndef ui_version():\n    return {\"version\": \"1.2\"}\n",
        "\n@ui.get(\"/{rest_of_path:path}\")\ndef index_html(rest_of_path: str):\n",
        "    if rest_of_path.endswith(\".js\"):\n        return FileResponse(\"ui/\" + rest_of_path)\n",
        "    return FileResponse(\"ui/index.html\")\n",
        "\n@ui.get(\"/ui/settings\")\ndef ui_settings():\n    return load_ui_settings()\n",
        "\napp = FastAPI()\napp.include_router(api, prefix=\"/api/v1\")\napp.include_router(ui)\n",
    ));
    write(dir.path(), "app/main.py", &api);
    assert_eq!(
        positions(&run(dir.path(), &["sec/missing-auth"])),
        ["app/main.py:59:1 sec/missing-auth warning"],
        "only the UI route that returns data is open"
    );
}

/// `archlint routes` of a folder, a line per route: method, path, handler, the auth
/// evidence and the number of rate limits; sorted.
fn route_lines(dir: &Path) -> Vec<String> {
    let o = archlint(&["routes", ".", "--format", "json"], dir);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut listed: Vec<String> = json["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let auth: Vec<&str> = r["auth"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["name"].as_str().unwrap())
                .collect();
            let limits = r["rate_limit"].as_array().unwrap().len();
            format!(
                "{} {} {} auth={} limits={limits}",
                r["method"].as_str().unwrap(),
                r["path"].as_str().unwrap(),
                r["handler"].as_str().unwrap(),
                auth.join(",")
            )
        })
        .collect();
    listed.sort();
    listed
}

#[test]
fn flask_restful_and_restx_resources_are_routed_with_their_prefixes_and_guards() {
    let dir = tempfile::tempdir().unwrap();
    // flask-restx: a blueprint with a prefix, an `Api` on it, namespaces added under a
    // path or defaulting to their name.
    write(
        dir.path(),
        "ctf/api/__init__.py",
        "from flask import Blueprint\nfrom flask_restx import Api\nfrom ctf.api.users import users_namespace\nfrom ctf.api.tags import tags\n\napi = Blueprint(\"api\", __name__, url_prefix=\"/api/v1\")\nAPI_V1 = Api(api, version=\"v1\")\nAPI_V1.add_namespace(users_namespace, \"/users\")\nAPI_V1.add_namespace(tags)\n",
    );
    write(
        dir.path(),
        "ctf/api/users.py",
        "from flask_restx import Namespace, Resource\nfrom ctf.auth import admins_only, authed_only\n\nusers_namespace = Namespace(\"users\")\n\n@users_namespace.route(\"/<int:user_id>\")\nclass User(Resource):\n    @authed_only\n    def get(self, user_id):\n        return {}\n\n    @admins_only\n    def delete(self, user_id):\n        return {}, 204\n",
    );
    write(
        dir.path(),
        "ctf/api/tags.py",
        "from flask_restx import Namespace, Resource\n\ntags = Namespace(\"tags\")\n\n@tags.route(\"\")\nclass TagList(Resource):\n    def get(self):\n        return []\n",
    );
    // Flask-RESTful: an `Api` subclass with its own `add_*_resource` wrapper, attached
    // with `init_app`; a resource in a module that imports only the project's base
    // class, whose `decorators` extend the base's.
    write(
        dir.path(),
        "dash/handlers/base.py",
        "from flask_login import login_required\nfrom flask_restful import Resource\n\nclass BaseResource(Resource):\n    decorators = [login_required]\n",
    );
    write(
        dir.path(),
        "dash/handlers/queries.py",
        "from dash.handlers.base import BaseResource\nfrom dash.limits import limiter\n\nclass QueryResource(BaseResource):\n    decorators = BaseResource.decorators + [limiter.limit(\"50/hour\")]\n\n    def get(self, query_id):\n        return {}\n\n    def post(self, query_id):\n        return {}\n",
    );
    write(
        dir.path(),
        "dash/handlers/api.py",
        "from flask_restful import Api\nfrom dash.handlers.queries import QueryResource\n\nclass ApiExt(Api):\n    def add_org_resource(self, resource, *urls, **kwargs):\n        return self.add_resource(resource, *urls, **kwargs)\n\napi = ApiExt()\napi.add_org_resource(QueryResource, \"/api/queries/<query_id>\", \"/api/q/<query_id>\")\n",
    );
    write(
        dir.path(),
        "dash/app.py",
        "from flask import Flask\nfrom dash.handlers.api import api\n\napp = Flask(__name__)\napi.init_app(app)\n",
    );
    assert_eq!(
        route_lines(dir.path()),
        [
            "DELETE /api/v1/users/{user_id} ctf.api.users.User.delete auth=admins_only limits=0",
            "GET /api/q/{query_id} dash.handlers.queries.QueryResource.get auth=login_required limits=1",
            "GET /api/queries/{query_id} dash.handlers.queries.QueryResource.get auth=login_required limits=1",
            "GET /api/v1/tags ctf.api.tags.TagList.get auth= limits=0",
            "GET /api/v1/users/{user_id} ctf.api.users.User.get auth=authed_only limits=0",
            "POST /api/q/{query_id} dash.handlers.queries.QueryResource.post auth=login_required limits=1",
            "POST /api/queries/{query_id} dash.handlers.queries.QueryResource.post auth=login_required limits=1",
        ]
    );
}

#[test]
fn open_reads_are_judged_against_the_routes_of_their_own_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut api = String::from(
        "from flask import Blueprint\nfrom flask_login import login_required\n\nbp = Blueprint(\"api\", __name__, url_prefix=\"/api\")\n",
    );
    for index in 0..24 {
        api.push_str(&format!(
            "\n@bp.get(\"/things{index}/<int:item_id>\")\n@login_required\ndef get_thing{index}(item_id):\n    return {{}}\n"
        ));
    }
    api.push_str(
        "\n@bp.get(\"/reports/<int:item_id>\")\ndef get_report(item_id):\n    return {}\n",
    );
    // An entry point that only sends the visitor on holds no data.
    api.push_str("\n@bp.get(\"/admin\")\ndef admin():\n    if is_admin():\n        return redirect(url_for(\"admin.dashboard\"))\n    return redirect(url_for(\"auth.login\"))\n");
    api.push_str("\n@bp.get(\"/home\")\ndef home():\n    response = redirect(url_for(\"pages.index\"))\n    return response\n");
    // A file named by a record's id is that record's data.
    api.push_str("\n@bp.get(\"/invoices/<int:invoice_id>/pdf\")\ndef invoice_pdf(invoice_id):\n    return send_file(pdf_path(invoice_id))\n");
    write(dir.path(), "shop/api.py", &api);
    // The site's pages: public by design, though the API beside them is not.
    write(
        dir.path(),
        "shop/pages.py",
        "from flask import Blueprint, render_template\n\npages = Blueprint(\"pages\", __name__)\n\n@pages.get(\"/\")\ndef index():\n    return render_template(\"index.html\")\n\n@pages.get(\"/terms\")\ndef terms():\n    return render_template(\"terms.html\")\n",
    );
    assert_eq!(
        positions(&run(dir.path(), &["sec/missing-auth"])),
        [
            "shop/api.py:126:1 sec/missing-auth warning",
            "shop/api.py:141:1 sec/missing-auth warning"
        ]
    );
}

#[test]
fn alembic_steps_in_another_databases_branch_are_not_replayed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "migrations/versions/r1_create.py",
        "import sqlalchemy as sa\nfrom alembic import op\nrevision = \"r1\"\ndown_revision = None\n\ndef upgrade():\n    op.create_table(\"users\", sa.Column(\"id\", sa.Integer(), primary_key=True))\n    op.create_table(\"awards\", sa.Column(\"id\", sa.Integer(), primary_key=True), sa.Column(\"user_id\", sa.Integer(), index=True))\n",
    );
    write(
        dir.path(),
        "migrations/versions/r2_cascade.py",
        concat!(
            "from alembic import op\nrevision = \"r2\"\ndown_revision = \"r1\"\n\n",
            "def upgrade():\n",
            "    url = str(op.get_bind().engine.url)\n",
            "    if url.startswith(\"mysql\"):\n",
            "        op.create_foreign_key(\"awards_ibfk_1\", \"awards\", \"users\", [\"user_id\"], [\"id\"])\n",
            "    elif url.startswith(\"postgres\"):\n",
            "        op.create_foreign_key(\"awards_user_id_fkey\", \"awards\", \"users\", [\"user_id\"], [\"id\"])\n",
            "    else:\n",
            "        op.create_foreign_key(\"awards_user\", \"awards\", \"users\", [\"user_id\"], [\"id\"])\n",
        ),
    );
    // The MySQL step never runs on PostgreSQL (the default dialect); the PostgreSQL
    // one does, and so may the `else` one.
    assert_eq!(
        positions(&run(dir.path(), &["db/validated-foreign-key"])),
        [
            "migrations/versions/r2_cascade.py:10:9 db/validated-foreign-key info",
            "migrations/versions/r2_cascade.py:12:9 db/validated-foreign-key info",
        ]
    );
}

#[test]
fn resource_guards_apply_where_they_are_declared() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        concat!(
            "from flask import Flask\nfrom flask_restful import Api, Resource\nfrom flask_restx import Namespace\n",
            "from auth import jwt_required, login_required\n\n",
            "app = Flask(__name__)\n",
            "api = Api(app, decorators=[login_required])\n",
            "public = Api(app, prefix=\"/public\")\n",
            "notes = Namespace(\"notes\")\n\n",
            "class Items(Resource):\n",
            "    method_decorators = {\"post\": [jwt_required()]}\n\n",
            "    def get(self):\n        return []\n\n",
            "    def post(self):\n        return {}, 201\n\n",
            "api.add_resource(Items, \"/items\")\n",
            "public.add_resource(Items, \"/items\")\n\n",
            "@notes.route(\"/notes\", \"/memos\")\n",
            "class Notes(Resource):\n",
            "    def get(self):\n        return []\n",
        ),
    );
    assert_eq!(
        route_lines(dir.path()),
        [
            // A dict of decorators by method guards only the methods it names.
            "GET /items app.Items.get auth=login_required limits=0",
            // A namespace's path defaults to its name.
            "GET /notes/memos app.Notes.get auth= limits=0",
            "GET /notes/notes app.Notes.get auth= limits=0",
            "GET /public/items app.Items.get auth= limits=0",
            "POST /items app.Items.post auth=login_required,jwt_required limits=0",
            "POST /public/items app.Items.post auth=jwt_required limits=0",
        ]
    );
}

#[test]
fn a_wrapper_backing_off_from_another_services_limit_is_no_limiter() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/auth/login\", methods=[\"POST\"])\ndef login():\n    return {}\n",
    );
    write(
        dir.path(),
        "aws.py",
        "def wrap_aws_rate_limited_call(fn, *args):\n    return fn(*args)\n",
    );
    let found = run(dir.path(), &["sec/missing-rate-limit"]);
    assert_eq!(
        rules_of(&found),
        ["sec/missing-rate-limit"],
        "{:?}",
        positions(&found)
    );
    // A limiter of the project's own still counts.
    write(
        dir.path(),
        "limits.py",
        "def check_rate_limit(key):\n    return True\n",
    );
    assert!(run(dir.path(), &["sec/missing-rate-limit"])
        .findings
        .is_empty());
}

#[test]
fn a_signed_in_callers_token_or_session_route_needs_no_limit_but_credential_steps_do() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        concat!(
            "from flask import Flask\n",
            "from flask_limiter import Limiter\n",
            "from flask_login import login_required\n\n",
            "app = Flask(__name__)\n",
            "limiter = Limiter(app)\n\n",
            "@app.route(\"/api/tokens\", methods=[\"POST\"])\n",
            "@login_required\n",
            "def create_token():\n    return {}, 201\n\n",
            "@app.route(\"/chat/sessions\", methods=[\"POST\"])\n",
            "@login_required\n",
            "def new_chat():\n    return {}, 201\n\n",
            "@app.route(\"/auth/email-otp/verify\", methods=[\"POST\"])\n",
            "@login_required\n",
            "def second_factor():\n    return {}\n\n",
            "@app.route(\"/sessions\", methods=[\"POST\"])\n",
            "def sign_in():\n    return {}, 201\n\n",
            "@app.route(\"/login\", methods=[\"POST\"])\n",
            "@limiter.limit(\"5/minute\")\n",
            "def login():\n    return {}\n\n",
            "@app.route(\"/oauth2/token\", methods=[\"POST\"])\n",
            "@login_required\n",
            "def oauth_token():\n    return {}\n\n",
            "@app.route(\"/auth/sign-out\", methods=[\"POST\"])\n",
            "def sign_out():\n    return {}\n",
        ),
    );
    let found = run(dir.path(), &["sec/missing-rate-limit"]);
    assert_eq!(
        positions(&found),
        [
            // A code check is guessed at even behind a first sign-in.
            "app.py:18:1 sec/missing-rate-limit warning",
            // Nothing guards it: anyone can try passwords there.
            "app.py:23:1 sec/missing-rate-limit warning",
            // OAuth's token endpoint takes client secrets and codes.
            "app.py:32:1 sec/missing-rate-limit warning",
        ]
    );
}

#[test]
fn each_application_in_a_repository_is_judged_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    // The service: protected routes, one open write.
    write(
        dir.path(),
        "api/main.py",
        concat!(
            "from fastapi import FastAPI, Depends\n",
            "from api.orders import router\n",
            "from api.auth import get_current_user\n\n",
            "app = FastAPI()\n",
            "app.include_router(router, prefix=\"/orders\", dependencies=[Depends(get_current_user)])\n\n",
            "@app.post(\"/imports\")\n",
            "def run_import():\n    return {}\n",
        ),
    );
    write(
        dir.path(),
        "api/orders.py",
        concat!(
            "from fastapi import APIRouter\n",
            "router = APIRouter()\n\n",
            "@router.get(\"/{order_id}\")\ndef read(order_id: int):\n    return {}\n\n",
            "@router.post(\"\")\ndef create():\n    return {}\n\n",
            "@router.delete(\"/{order_id}\")\ndef delete(order_id: int):\n    return {}\n",
        ),
    );
    // A second service beside it, with no authentication anywhere: a receiver open by
    // design, not a sibling of the API's protected routes.
    write(
        dir.path(),
        "telemetry/server.py",
        concat!(
            "from fastapi import FastAPI\n\n",
            "app = FastAPI()\n\n",
            "@app.post(\"/v1/telemetry\")\n",
            "def collect(events: list[dict]):\n    return {}\n",
        ),
    );
    // A third, protected in part: its open write is measured against its own routes.
    write(
        dir.path(),
        "admin/app.py",
        concat!(
            "from flask import Flask\n",
            "from flask_login import login_required\n\n",
            "app = Flask(__name__)\n\n",
            "@app.route(\"/users\", methods=[\"POST\"])\n@login_required\n",
            "def add_user():\n    return {}, 201\n\n",
            "@app.route(\"/users/<int:user_id>\", methods=[\"DELETE\"])\n@login_required\n",
            "def remove_user(user_id):\n    return {}, 204\n\n",
            "@app.route(\"/flush\", methods=[\"POST\"])\n",
            "def flush():\n    return {}\n",
        ),
    );
    let found = run(dir.path(), &["sec/missing-auth"]);
    assert_eq!(
        messages(&found),
        [
            "POST /flush shows no authentication, while 2 of the 3 routes use `login_required`",
            "POST /imports shows no authentication, while 3 of the 4 routes use `get_current_user`",
        ],
        "{:?}",
        positions(&found)
    );
}

/// `count` DRF views answering `verb`, which the project's default permission protects,
/// and their `path()` lines.
fn add_drf_views(views: &mut String, urls: &mut String, count: usize, verb: &str) {
    for i in 0..count {
        views.push_str(&format!(
            "class Thing{i}(APIView):\n    def {verb}(self, request):\n        return None\n\n"
        ));
        urls.push_str(&format!(
            "    path(\"things{i}/\", views.Thing{i}.as_view()),\n"
        ));
    }
}

#[test]
fn library_views_open_by_design_are_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "project/settings.py",
        "ROOT_URLCONF = \"project.urls\"\nREST_FRAMEWORK = {\"DEFAULT_PERMISSION_CLASSES\": [\"rest_framework.permissions.IsAuthenticated\"]}\n",
    );
    let mut views =
        String::from("from django.views import View\nfrom rest_framework.views import APIView\n\n");
    let mut urls = String::from(concat!(
        "from django.urls import include, path\n",
        "from django.views.generic import RedirectView\n",
        "from drf_spectacular.views import SpectacularSwaggerView\n",
        "from allauth.account import views as account_views\n",
        "from project import views\n\n",
        "urlpatterns = [\n",
        "    path(\"fetch/doc/<int:pk>\", RedirectView.as_view(url=\"/api/documents/%(pk)s/\")),\n",
        "    path(\"api/schema/view/\", SpectacularSwaggerView.as_view()),\n",
        "    path(\"accounts/account_inactive/\", account_views.account_inactive),\n",
        "    path(\"reports/\", views.Reports.as_view()),\n",
        "    path(\"share/<slug:slug>/\", views.Shared.as_view()),\n",
    ));
    add_drf_views(&mut views, &mut urls, 16, "get");
    views.push_str("class Reports(View):\n    def get(self, request):\n        return None\n\n");
    // Open on purpose, in DRF's words, though a plain view does not read them.
    views.push_str("class Shared(View):\n    permission_classes = []\n\n    def get(self, request, slug):\n        return None\n");
    urls.push_str("]\n");
    write(dir.path(), "project/views.py", &views);
    write(dir.path(), "project/urls.py", &urls);
    let found = run(dir.path(), &["sec/missing-auth"]);
    assert_eq!(
        messages(&found),
        ["GET /reports shows no authentication, while 16 of the 21 routes use `IsAuthenticated`"],
        "{:?}",
        positions(&found)
    );
}

#[test]
fn a_sidecar_app_beside_a_django_service_is_judged_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "project/settings.py",
        "ROOT_URLCONF = \"project.urls\"\nREST_FRAMEWORK = {\"DEFAULT_PERMISSION_CLASSES\": [\"rest_framework.permissions.IsAuthenticated\"]}\n",
    );
    let mut views =
        String::from("from rest_framework.views import APIView\nfrom django.views import View\n\n");
    let mut urls = String::from(
        "from django.urls import path\nfrom project import views\n\nurlpatterns = [\n",
    );
    add_drf_views(&mut views, &mut urls, 4, "post");
    views.push_str("class Purge(View):\n    def post(self, request):\n        return None\n");
    urls.push_str("    path(\"purge/\", views.Purge.as_view()),\n]\n");
    write(dir.path(), "project/views.py", &views);
    write(dir.path(), "project/urls.py", &urls);
    // A small Flask service of its own, open by design.
    write(
        dir.path(),
        "similarity/main.py",
        concat!(
            "from flask import Flask\nfrom flask_restful import Api, Resource\n\n",
            "app = Flask(__name__)\napi = Api(app)\n\n",
            "class BuildIndex(Resource):\n    def post(self):\n        return {}\n\n",
            "api.add_resource(BuildIndex, \"/build/\")\n",
        ),
    );
    let found = run(dir.path(), &["sec/missing-auth"]);
    assert_eq!(
        messages(&found),
        ["POST /purge shows no authentication, while 4 of the 5 routes use `IsAuthenticated`"],
        "{:?}",
        positions(&found)
    );
}

#[test]
fn a_fastapi_handler_guarded_by_a_decorator_shows_authentication() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "api.py",
        "from fastapi import APIRouter, Request\nfrom starlette.authentication import requires\n\nrouter = APIRouter()\n\n@router.delete(\"/self\")\n@requires([\"authenticated\"])\ndef delete_self(request: Request):\n    return {}\n\n@router.get(\"/open\")\ndef open_route():\n    return {}\n",
    );
    let o = archlint(&["routes", ".", "--format", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let routes = json["routes"].as_array().unwrap();
    let guarded = routes.iter().find(|r| r["path"] == "/self").unwrap();
    assert_eq!(guarded["auth"][0]["name"], "requires", "{json}");
    let open = routes.iter().find(|r| r["path"] == "/open").unwrap();
    assert_eq!(open["auth"], serde_json::json!([]), "{json}");
}

#[test]
fn a_router_depending_on_a_public_marker_is_open_on_purpose() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "node.py",
        "from fastapi import APIRouter, Depends\nfrom .deps import check_public\n\npublic_node = APIRouter(prefix=\"/node/public\", dependencies=[Depends(check_public)])\n\n@public_node.get(\"/info\")\ndef info():\n    return {}\n",
    );
    let o = archlint(&["routes", ".", "--format", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let info = &json["routes"][0];
    assert_eq!(info["path"], "/node/public/info", "{json}");
    assert_eq!(info["public"]["name"], "check_public", "{json}");
    assert_eq!(info["auth"], serde_json::json!([]), "{json}");
}

#[test]
fn a_login_lockout_covers_the_credential_routes_but_not_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "shop/urls.py",
        concat!(
            "from django.urls import path\n",
            "from rest_framework_simplejwt.views import TokenObtainPairView\n",
            "from shop import views\n\n",
            "urlpatterns = [\n",
            "    path(\"api/login/\", TokenObtainPairView.as_view()),\n",
            "    path(\"api/orders/\", views.OrderList.as_view()),\n",
            "]\n",
        ),
    );
    write(
        dir.path(),
        "shop/views.py",
        concat!(
            "from rest_framework.views import APIView\n",
            "from rest_framework.throttling import UserRateThrottle\n\n",
            "class OrderList(APIView):\n",
            "    throttle_classes = [UserRateThrottle]\n\n",
            "    def get(self, request):\n        return []\n",
        ),
    );
    let settings = |apps: &str| {
        format!(
            "ROOT_URLCONF = \"shop.urls\"\nINSTALLED_APPS = [\"django.contrib.auth\", \"rest_framework\"{apps}]\n"
        )
    };
    write(dir.path(), "shop/settings.py", &settings(""));
    assert_eq!(
        positions(&run(dir.path(), &["sec/missing-rate-limit"])),
        ["shop/urls.py:6:5 sec/missing-rate-limit warning"]
    );
    // django-axes locks out whoever fails to log in too often, whatever the view.
    write(dir.path(), "shop/settings.py", &settings(", \"axes\""));
    assert!(positions(&run(dir.path(), &["sec/missing-rate-limit"])).is_empty());
}

#[test]
fn a_web_apps_scripts_and_manifest_are_public_but_a_data_export_is_not() {
    let dir = tempfile::tempdir().unwrap();
    // Twelve protected reads: reads are judged where nearly every route is protected.
    let protected: String = (0..12)
        .map(|i| format!("@app.route(\"/r{i}\")\n@login_required\ndef r{i}():\n    return []\n\n"))
        .collect();
    write(
        dir.path(),
        "app.py",
        &format!(
            "{}{protected}{}",
            concat!(
                "from flask import Flask\n",
                "from flask_login import login_required\n\n",
                "app = Flask(__name__)\n\n",
            ),
            concat!(
                "@app.route(\"/service-worker.js\")\ndef worker():\n    return app.send_static_file(\"sw.js\")\n\n",
                "@app.route(\"/manifest.json\")\ndef manifest():\n    return {\"name\": \"Shop\"}\n\n",
                "@app.route(\"/orders.json\")\ndef export():\n    return []\n",
            ),
        ),
    );
    assert_eq!(
        positions(&run(dir.path(), &["sec/missing-auth"])),
        ["app.py:74:1 sec/missing-auth warning"]
    );
}

#[test]
fn a_health_view_counts_wherever_it_is_mounted() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        concat!(
            "from flask import Flask\n\n",
            "app = Flask(__name__)\n\n",
            "@app.route(\"/orders\")\ndef orders():\n    return []\n\n",
        ),
    );
    assert_eq!(
        positions(&run(dir.path(), &["ops/missing-health-check"])),
        ["app.py:5:1 ops/missing-health-check info"]
    );
    // Mounted at the root of its blueprint or URL conf, the probe is known by its name.
    write(
        dir.path(),
        "app.py",
        concat!(
            "from flask import Flask\n\n",
            "app = Flask(__name__)\n\n",
            "@app.route(\"/orders\")\ndef orders():\n    return []\n\n",
            "@app.route(\"/\")\ndef health_check():\n    return {\"ok\": True}\n",
        ),
    );
    assert!(positions(&run(dir.path(), &["ops/missing-health-check"])).is_empty());
    // A Swagger document of the same service that leaves the probe out (it is not part
    // of the API) is not reported either; alone, it would be.
    write(
        dir.path(),
        "swagger.yaml",
        "swagger: \"2.0\"\ninfo: {title: Orders, version: \"1\"}\npaths:\n  /orders:\n    get:\n      responses:\n        \"200\": {description: ok}\n",
    );
    assert!(positions(&run(dir.path(), &["ops/missing-health-check"])).is_empty());
    std::fs::remove_file(dir.path().join("app.py")).unwrap();
    assert_eq!(
        positions(&run(dir.path(), &["ops/missing-health-check"])).len(),
        1
    );
    // django-health-check's URLs, included at `health/`, answer the probe.
    std::fs::remove_file(dir.path().join("swagger.yaml")).unwrap();
    write(
        dir.path(),
        "project/settings.py",
        "ROOT_URLCONF = \"project.urls\"\n",
    );
    write(
        dir.path(),
        "project/urls.py",
        "from django.urls import include, path\nfrom app import views\n\nurlpatterns = [\n    path(\"orders/\", views.orders),\n    path(\"health/\", include(\"health_check.urls\")),\n]\n",
    );
    write(
        dir.path(),
        "app/views.py",
        "def orders(request):\n    pass\n",
    );
    assert!(positions(&run(dir.path(), &["ops/missing-health-check"])).is_empty());
    let without = std::fs::read_to_string(dir.path().join("project/urls.py"))
        .unwrap()
        .replace(
            "    path(\"health/\", include(\"health_check.urls\")),\n",
            "",
        );
    write(dir.path(), "project/urls.py", &without);
    assert_eq!(
        positions(&run(dir.path(), &["ops/missing-health-check"])).len(),
        1
    );
    std::fs::remove_dir_all(dir.path().join("project")).unwrap();
    std::fs::remove_dir_all(dir.path().join("app")).unwrap();
    // `def good_to_go()` is a probe by its name too.
    write(
        dir.path(),
        "app.py",
        "from flask import Flask\n\napp = Flask(__name__)\n\n@app.route(\"/management/gtg\")\ndef good_to_go():\n    return \"OK\"\n",
    );
    assert!(positions(&run(dir.path(), &["ops/missing-health-check"])).is_empty());
}
