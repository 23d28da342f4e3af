"""The Pathways Flask app. ``create_app()`` wires configuration, extensions and blueprints."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, render_template

from planner.extensions import db, htmx, migrate

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
    )
    if test_config:
        app.config.update(test_config)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_errorhandlers(app)
    app.jinja_env.filters["split_lines"] = str.splitlines
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    htmx.init_app(app)


def register_blueprints(app: Flask) -> None:
    from planner.explore import bp as explore_bp

    app.register_blueprint(explore_bp)


def register_commands(app: Flask) -> None:
    from planner.commands import load_framework_command

    app.cli.add_command(load_framework_command)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        return render_template("error.html", code=code, error=error), code

    for code in (400, 404, 405, 500, 503):
        app.register_error_handler(code, render_error)
