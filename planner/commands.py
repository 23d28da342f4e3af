"""Flask CLI commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from pathways.errors import FrameworkError
from planner.frameworks import load_default, store_framework


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
