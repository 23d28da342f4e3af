"""Flask CLI commands: load-framework, load-demo, create-user, organisation, backup, restore."""

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
@click.option(
    "--organisation",
    "organisation_name",
    help="The organisation the account belongs to (made with `flask organisation`).",
)
@with_appcontext
def create_user_command(email: str, name: str, roles, organisation_name: str | None) -> None:
    """Create an account and print a one-time set-password link."""
    import os

    from flask import current_app, url_for

    from planner.auth.operations import EmailTaken, create_user
    from planner.auth.tokens import make_token

    organisation_id = _organisation(organisation_name).id if organisation_name else None
    try:
        user = create_user(name, email, roles, organisation_id=organisation_id)
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


def _organisation(name: str):
    import sqlalchemy as sa

    from planner.extensions import db
    from planner.models import Organisation

    organisation = db.session.scalar(sa.select(Organisation).filter_by(name=name))
    if organisation is None:
        raise click.ClickException(f"no organisation called {name!r} (see `flask organisation`)")
    return organisation


@click.command("organisation")
@click.argument("name")
@click.option(
    "--domain",
    "domains",
    multiple=True,
    help="An email domain its staff use, like council.gov.uk (repeat for more). Bulk import "
    "adds new people only at these, and single sign-on maps them here.",
)
@click.option(
    "--sso-tenant",
    help="The identity provider's tenant id whose staff sign in to it (Entra ID: the "
    "directory (tenant) id, the tid claim).",
)
@with_appcontext
def organisation_command(name: str, domains, sso_tenant: str | None) -> None:
    """Make the organisation NAME, or change its email domains and tenant (only the options
    given are changed). Run by whoever runs the deployment: these decide who joins it."""
    import sqlalchemy as sa

    from planner.audit import DEPLOYMENT, record
    from planner.extensions import db
    from planner.models import Organisation

    organisation = db.session.scalar(sa.select(Organisation).filter_by(name=name))
    made = organisation is None
    if made:
        organisation = Organisation(name=name)
        db.session.add(organisation)
    if domains:
        cleaned = sorted({d.strip().lower().lstrip("@") for d in domains if d.strip()})
        bad = [d for d in cleaned if "." not in d or " " in d or "@" in d]
        if bad:
            raise click.ClickException(f"not an email domain: {', '.join(bad)}")
        taken = [
            d
            for other in db.session.scalars(
                sa.select(Organisation).where(Organisation.name != name)
            )
            for d in other.email_domains.split()
            if d in cleaned
        ]
        if taken:
            raise click.ClickException(f"already another organisation's domain: {', '.join(taken)}")
        organisation.email_domains = " ".join(cleaned)
    if sso_tenant is not None:
        other = db.session.scalar(
            sa.select(Organisation).where(
                Organisation.sso_tenant == sso_tenant, Organisation.name != name
            )
        )
        if other is not None:
            raise click.ClickException(f"tenant {sso_tenant} is already {other.name}'s")
        organisation.sso_tenant = sso_tenant or None
    db.session.flush()
    record(
        "organisation.create" if made else "organisation.update",
        "organisation",
        organisation.id,
        f"Organisation {'made' if made else 'changed'}: domains "
        f"{organisation.email_domains or 'none'}, tenant {organisation.sso_tenant or 'none'}",
        organisation_id=DEPLOYMENT,
    )
    db.session.commit()
    click.echo(
        f"{'Made' if made else 'Changed'} {name}: email domains "
        f"{organisation.email_domains or '(none)'}, single sign-on tenant "
        f"{organisation.sso_tenant or '(none)'}."
    )


@click.command("erase-leavers")
@click.option("--dry-run", is_flag=True, help="Only list who would be erased.")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    help="Days after the leaving date (default PATHWAYS_RETENTION_DAYS, or 365).",
)
@with_appcontext
def erase_leavers_command(dry_run: bool, days: int | None) -> None:
    """Erase the records of leavers whose retention period has ended (for cron, daily)."""
    from datetime import date

    from flask import current_app

    from planner.retention import erase_leavers

    days = current_app.config["RETENTION_DAYS"] if days is None else days
    due = erase_leavers(date.today(), days, dry_run=dry_run)
    verb = "Would erase" if dry_run else "Erased"
    click.echo(f"{verb} {len(due)} leaver account(s) whose last day was over {days} days ago.")
    for leaver in due:
        click.echo(
            f"  account {leaver.user_id} (organisation {leaver.organisation_id}), "
            f"left on {leaver.left_on.isoformat()}"
        )


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Email reminders of plan actions and career conversations falling due (for cron, daily;
    each reminder is sent once, however often this runs)."""
    import os
    from datetime import date

    from flask import current_app

    from planner.reminders import send_reminders

    base = os.environ.get("PATHWAYS_BASE_URL", "http://127.0.0.1:5000")
    with current_app.test_request_context(base_url=base):  # for the links in the emails
        sent, failed = send_reminders(date.today(), current_app.config["REMINDER_DAYS"])
    click.echo(f"Sent {sent} reminder email(s).")
    if failed:
        raise click.ClickException(
            f"{failed} reminder email(s) could not be sent (see the log); they will be tried "
            "again on the next run"
        )
