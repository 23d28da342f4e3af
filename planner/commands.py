"""Flask CLI commands: load-framework, load-demo, create-user."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from pathways.errors import FrameworkError
from planner.frameworks import current_framework, load_default, store_framework
from planner.models import ROLES


@click.command("load-framework")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def load_framework_command(path: Path | None) -> None:
    """Load a framework file (default: the Scottish framework) as the current version."""
    try:
        if path is None:
            version, created = load_default()
        else:
            version, created = store_framework(path.read_text(encoding="utf-8-sig"), path.name)
    except FrameworkError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot be read: {exc.strerror}") from None
    state = "loaded" if created else "already loaded"
    click.echo(f"Framework '{version.title}' version {version.version} {state}; it is now current.")


@click.command("load-demo")
@with_appcontext
def load_demo_command() -> None:
    """Load the demo organisation and accounts (once) and print the logins."""
    from planner.demo import DEMO_PASSWORD, load_demo

    logins = load_demo(current_framework())
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for email, description in logins:
        click.echo(f"  {email:<30} {description}")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    default=["admin"],
    show_default=True,
    type=click.Choice(ROLES),
)
@with_appcontext
def create_user_command(email: str, name: str, roles) -> None:
    """Create an account and print a one-time set-password link."""
    import os

    from flask import current_app, url_for

    from planner.auth.operations import EmailTaken, create_user
    from planner.auth.tokens import make_token

    try:
        user = create_user(name, email, roles)
    except EmailTaken:
        raise click.ClickException(f"an account with the email {email} already exists") from None
    click.echo(f"Created {user.email}. Set-password link (valid 14 days, works once):")
    base = os.environ.get("PATHWAYS_BASE_URL", "http://127.0.0.1:5000")
    with current_app.test_request_context(base_url=base):
        click.echo(url_for("auth.set_password", token=make_token(user), _external=True))


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write the whole database to PATH (JSON)."""
    from planner.backup import backup

    with path.open("w", encoding="utf-8") as out:
        counts = backup(out)
    click.echo(f"Backed up {sum(counts.values())} rows from {len(counts)} tables to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(path: Path) -> None:
    """Load a backup made by 'backup' into this empty, migrated database. The whole file is
    checked first; if anything is wrong, every problem is listed (table:row: message, the row
    counted from 1 in the file) and nothing is written."""
    from planner.backup import BackupError, restore

    try:
        with path.open(encoding="utf-8") as source:
            counts = restore(source)
    except BackupError as exc:
        count = len(exc.problems)
        raise click.ClickException(
            f"{path}: nothing was restored ({count} problem{'s' if count > 1 else ''}):\n{exc}"
        ) from None
    click.echo(f"Restored {sum(counts.values())} rows into {len(counts)} tables from {path}.")
