"""The Pathways Flask app. ``create_app()`` wires configuration, extensions and blueprints."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, render_template, request
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy.orm import joinedload
from werkzeug.routing import IntegerConverter

from planner.extensions import csrf, db, htmx, limiter, login_manager, migrate
from planner.hardening import no_store, refuse_nul_characters
from planner.mail import init_mail
from planner.permissions import check_access, public

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        SECRET_KEY=_secret_key(app),
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'pathways.sqlite'}"
        ),
        # Self-registration is off unless the deployment allows it; admins invite users.
        SELF_REGISTRATION=os.environ.get("PATHWAYS_SELF_REGISTRATION", "0") == "1",
        INVITE_MAX_AGE=14 * 24 * 3600,
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,  # uploads (catalogue CSV, framework YAML)
        # Session cookies: never readable by scripts, not sent on cross-site requests, only
        # over HTTPS unless PATHWAYS_INSECURE_COOKIES=1 (plain-HTTP local use, `make run`).
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("PATHWAYS_INSECURE_COOKIES", "0") != "1",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=os.environ.get("PATHWAYS_INSECURE_COOKIES", "0") != "1",
        # A signed-in session ends after this long without a request.
        PERMANENT_SESSION_LIFETIME=timedelta(
            minutes=int(os.environ.get("PATHWAYS_SESSION_MINUTES", "120"))
        ),
        SESSION_REFRESH_EACH_REQUEST=True,
        # ... and after this long in all, however busy (planner/sessions.py).
        SESSION_MAX_AGE=timedelta(hours=int(os.environ.get("PATHWAYS_SESSION_MAX_HOURS", "12"))),
        # Sign-in: attempts per address (IP) and failed attempts per email address typed.
        LOGIN_RATE_LIMIT=os.environ.get("PATHWAYS_LOGIN_RATE_LIMIT", "30 per minute"),
        LOGIN_LOCKOUT=os.environ.get("PATHWAYS_LOGIN_LOCKOUT", "5 per 15 minutes"),
        # Computed views (planner routes, route JSON) kept in memory: planner/viewcache.py.
        VIEW_CACHE=os.environ.get("PATHWAYS_VIEW_CACHE", "1") != "0",
        # Leavers' records are erased this many days after their last day (planner/retention.py).
        RETENTION_DAYS=int(os.environ.get("PATHWAYS_RETENTION_DAYS", "365")),
        # Reminder emails look this many days ahead (planner/reminders.py).
        REMINDER_DAYS=int(os.environ.get("PATHWAYS_REMINDER_DAYS", "7")),
        # Who runs this deployment, for visitors not signed in to an organisation (the
        # accessibility statement and privacy notice).
        OPERATOR_EMAIL=os.environ.get("PATHWAYS_OPERATOR_EMAIL", "").strip(),
        # Single sign-on with OpenID Connect, on when an issuer is set (planner/auth/sso.py).
        OIDC_ISSUER=os.environ.get("PATHWAYS_OIDC_ISSUER", "").strip(),
        OIDC_CLIENT_ID=os.environ.get("PATHWAYS_OIDC_CLIENT_ID", "").strip(),
        OIDC_CLIENT_SECRET=os.environ.get("PATHWAYS_OIDC_CLIENT_SECRET", "").strip(),
        OIDC_NAME=os.environ.get("PATHWAYS_OIDC_NAME", "").strip() or "your organisation's account",
        OIDC_GROUP_ROLES=os.environ.get("PATHWAYS_OIDC_GROUP_ROLES", ""),
        # "0": no password form, and POST /login with a password is refused.
        PASSWORD_SIGN_IN=os.environ.get("PATHWAYS_PASSWORD_SIGN_IN", "1") != "0",
        # Werkzeug's default, scrypt. Not settable from the environment: only the test suite
        # lowers the cost (tests/conftest.py), as hundreds of accounts are made there.
        PASSWORD_HASH_METHOD="scrypt",
    )
    if test_config:
        app.config.update(test_config)
    app.url_map.converters["int"] = DatabaseId
    if app.testing and "SESSION_COOKIE_SECURE" not in (test_config or {}):
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = False
    check_secret_key(app)
    hops = int(os.environ.get("PATHWAYS_PROXY_HOPS", "0"))
    if hops:  # behind a reverse proxy: trust its X-Forwarded-For and -Proto headers
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    register_templates(app)
    register_extensions(app)
    init_mail(app)
    register_sso(app)
    app.before_request(check_access)  # after the extensions' own (the rate limiter's)
    app.before_request(refuse_nul_characters)
    app.after_request(no_store)
    register_blueprints(app)
    register_commands(app)
    register_errorhandlers(app)
    register_security_headers(app)
    app.add_url_rule("/healthz", "healthz", healthz)
    return app


@public
def healthz():
    """Liveness for a load balancer or orchestrator: the process answers. Touches neither the
    database nor the session, so it is also the in-app floor of bench/load.py."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


class DatabaseId(IntegerConverter):
    """<int:...> in every URL: only ids a database integer column can hold, so a huge number
    is "not found" (404), never an overflow deep in the database driver."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _secret_key(app: Flask) -> str | None:
    """SECRET_KEY from the environment, else instance/secret_key (which `make run` writes)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(os.environ.get("PATHWAYS_SECRET_KEY_FILE", Path(app.instance_path) / "secret_key"))
    return path.read_text(encoding="utf-8").strip() if path.exists() else None


WEAK_KEYS = {None, "", "dev", "secret", "changeme", "change-me"}


def check_secret_key(app: Flask) -> None:
    """Refuse to start with no key, or a well-known one, except in debug or test mode:
    anyone who knows the key can forge a session and sign in as anyone."""
    if app.debug or app.testing:
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = "dev-only-not-secret"
        return
    if app.config.get("SECRET_KEY") in WEAK_KEYS or len(app.config["SECRET_KEY"]) < 16:
        raise RuntimeError(
            "SECRET_KEY is missing or too weak. Set the SECRET_KEY environment variable to a "
            "long random value (python -c 'import secrets; print(secrets.token_hex(32))'), "
            "or put one in instance/secret_key."
        )


# No inline script or style anywhere, so the policy needs no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def register_security_headers(app: Flask) -> None:
    policy = CONTENT_SECURITY_POLICY
    if app.config["OIDC_ISSUER"]:
        # Signing out is a form whose answer redirects to the provider's end-session page,
        # and browsers apply form-action to that redirect too.
        from planner.auth.sso import provider_origin

        origin = provider_origin(app.config["OIDC_ISSUER"])
        policy = policy.replace("form-action 'self'", f"form-action 'self' {origin}")

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def register_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.filters["split_lines"] = str.splitlines
    from govuk_frontend_wtf.main import WTFormsHelpers

    from planner.templating import register_template_helpers

    WTFormsHelpers(app)

    register_template_helpers(app)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    htmx.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    from planner.models import User

    # Built once: every signed-in request runs it (with the user's roles in the same query).
    by_id = (
        sa.select(User)
        .where(User.id == sa.bindparam("user_id"))
        .options(joinedload(User.role_rows))
    )

    @login_manager.user_loader
    def load_user(user_id: str):
        from flask import session

        from planner.sessions import session_is_current

        user = None
        if user_id.isdigit():
            user = (
                db.session.execute(by_id, {"user_id": int(user_id)}).unique().scalar_one_or_none()
            )
        if user is None or not session_is_current(user):
            session.clear()  # ended elsewhere, expired, or the account is gone: start clean
            return None
        return user


def register_sso(app: Flask) -> None:
    """Single sign-on's client, when PATHWAYS_OIDC_ISSUER is set (planner/auth/sso.py)."""
    from planner.auth.sso import register_sso as register

    register(app)


def register_blueprints(app: Flask) -> None:
    from planner.account import bp as account_bp
    from planner.api import bp as api_bp
    from planner.auth import bp as auth_bp
    from planner.catalogue import bp as catalogue_bp
    from planner.editor import bp as editor_bp
    from planner.explore import bp as explore_bp
    from planner.plans import bp as plans_bp
    from planner.profile import bp as profile_bp
    from planner.statements import bp as statements_bp
    from planner.team import bp as team_bp

    for bp in (
        explore_bp,
        auth_bp,
        profile_bp,
        plans_bp,
        account_bp,
        team_bp,
        catalogue_bp,
        editor_bp,
        api_bp,
        statements_bp,
    ):
        app.register_blueprint(bp)


def register_commands(app: Flask) -> None:
    from planner.commands import (
        backup_command,
        create_user_command,
        erase_leavers_command,
        load_demo_command,
        load_framework_command,
        organisation_command,
        restore_command,
        send_reminders_command,
    )

    for command in (
        load_framework_command,
        load_demo_command,
        create_user_command,
        organisation_command,
        erase_leavers_command,
        send_reminders_command,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)


def _answer_error(code: int, message: str | None = None, error=None):
    """An error page, or for the JSON API (every error it can meet, 503 included) a JSON
    error object, so an integration never has to read HTML."""
    if request.blueprint == "api" or request.path.startswith("/api/"):
        from planner.api.routes import error_response

        text = message or getattr(error, "description", "") or "Error"
        return error_response(code, text)
    extra = {"message": message} if message else {}
    return render_template("error.html", code=code, error=error, **extra), code


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        message = None
        if code == 413:
            size = app.config["MAX_CONTENT_LENGTH"]
            limit = f"{size // 2**20} MB" if size >= 2**20 else f"{size // 2**10} KB"
            message = f"The file is too large: the limit is {limit}. Split it and try again."
        return _answer_error(code, message, error)

    for code in (400, 401, 403, 404, 405, 409, 413, 500, 503):
        app.register_error_handler(code, render_error)
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm.exc import StaleDataError

    @app.errorhandler(StaleDataError)
    def stale(error):
        """Two requests changed the same plan at once; the later one is refused whole."""
        db.session.rollback()
        return _answer_error(
            409,
            "Someone (or another window) changed this at the same moment, so your change was "
            "not saved. Reload the page and try again.",
        )

    @app.errorhandler(DBAPIError)
    def database_unavailable(error):
        """The database cannot be reached (or failed mid-request). Every change commits in one
        transaction, so rolling back leaves nothing half-applied."""
        app.logger.error("database error: %s", error)
        try:
            db.session.rollback()
        except Exception:  # the connection itself may be gone
            app.logger.exception("rollback after a database error failed")
        return _answer_error(
            503,
            "The database is not available at the moment, so nothing you sent has been saved. "
            "Try again in a few minutes.",
        )

    from flask_limiter.errors import RateLimitExceeded
    from flask_wtf.csrf import CSRFError

    @app.errorhandler(RateLimitExceeded)
    def too_many(error):
        if request.endpoint == "auth.login":
            from planner.auth.forms import LoginForm

            form = LoginForm()
            form.password.errors = [
                "Too many attempts to sign in. Wait 15 minutes, then try again. If you have "
                "forgotten your password, ask your administrator for a new link."
            ]
            return render_template(
                "auth/login.html",
                form=form,
                self_registration=app.config["SELF_REGISTRATION"],
            ), 429
        return _answer_error(429, "Too many requests. Wait and try again.", error)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _answer_error(
            400, "This form has expired. Go back, reload the page and try again.", error
        )
