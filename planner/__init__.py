"""The Pathways Flask app. ``create_app()`` wires configuration, extensions and blueprints."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, render_template
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from planner.extensions import csrf, db, htmx, login_manager, migrate

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
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'pathways.sqlite'}"
        ),
        # Self-registration is off unless the deployment allows it; admins invite users.
        SELF_REGISTRATION=os.environ.get("PATHWAYS_SELF_REGISTRATION", "0") == "1",
        INVITE_MAX_AGE=14 * 24 * 3600,
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,  # uploads (catalogue CSV, framework YAML)
    )
    if test_config:
        app.config.update(test_config)
    register_templates(app)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_errorhandlers(app)
    return app


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

    from planner.models import User

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def register_blueprints(app: Flask) -> None:
    from planner.account import bp as account_bp
    from planner.auth import bp as auth_bp
    from planner.catalogue import bp as catalogue_bp
    from planner.editor import bp as editor_bp
    from planner.explore import bp as explore_bp
    from planner.plans import bp as plans_bp
    from planner.profile import bp as profile_bp
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
    ):
        app.register_blueprint(bp)


def register_commands(app: Flask) -> None:
    from planner.commands import create_user_command, load_demo_command, load_framework_command

    for command in (load_framework_command, load_demo_command, create_user_command):
        app.cli.add_command(command)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        extra = {}
        if code == 413:
            size = app.config["MAX_CONTENT_LENGTH"]
            limit = f"{size // 2**20} MB" if size >= 2**20 else f"{size // 2**10} KB"
            extra["message"] = (
                f"The file is too large: the limit is {limit}. Split it and try again."
            )
        return render_template("error.html", code=code, error=error, **extra), code

    for code in (400, 403, 404, 405, 409, 413, 500, 503):
        app.register_error_handler(code, render_error)
    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template(
            "error.html",
            code=400,
            error=error,
            message="This form has expired. Go back, reload the page and try again.",
        ), 400
