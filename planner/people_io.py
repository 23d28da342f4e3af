"""Bulk import and export of an organisation's people, teams and line managers (CSV or XLSX).

An import is checked whole before anything is written: every problem is reported as
``line N: column: message`` and nothing changes until the file has none. ``plan_import``
says what the file would change (the dry run); ``apply_import`` makes exactly those changes
in one transaction, each in the audit log.

Columns (a header row first; names are case-insensitive, order free):

- ``email`` (required): who the row is about.
- ``name``: required for someone new; blank leaves an existing name as it is.
- ``team``: a team name (made if the organisation has no team of that name); blank: no team.
- ``line_manager_email``: an active manager in the organisation, or someone this file makes a
  manager; blank: no line manager.

A column left out of the file leaves that field as it is for everyone.
- ``roles``: role ids or names separated by ``;`` (practitioner, manager, ld or "Learning and
  development", admin or "Administrator"); blank: practitioner for someone new, unchanged
  otherwise.
- ``status``: ``active`` or ``left``; blank: unchanged (new people are active).
- ``left_on``: a leaver's last day (YYYY-MM-DD or DD/MM/YYYY); blank: today.

New people are added only at the organisation's own email domains (set by whoever runs the
deployment), so an import cannot claim an address that belongs to another organisation.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from pathways.catalogue import from_spreadsheet
from planner.audit import record
from planner.extensions import db
from planner.models import ORGANISATION_ROLES, Invitation, Organisation, Team, User

__all__ = [
    "COLUMNS",
    "ImportPlan",
    "ImportRefused",
    "apply_import",
    "export_people",
    "plan_import",
    "read_table",
]

COLUMNS = ("email", "name", "team", "line_manager_email", "roles", "status", "left_on")
REQUIRED = ("email",)
MAX_ROWS = 20_000
ROLE_NAMES = {
    "practitioner": "practitioner",
    "manager": "manager",
    "line manager": "manager",
    "ld": "ld",
    "l&d": "ld",
    "learning and development": "ld",
    "admin": "admin",
    "administrator": "admin",
}
STATUSES = ("active", "left")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


class ImportRefused(ValueError):
    """The file cannot be read at all (its problems are in ``errors``)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class Row:
    line: int
    email: str
    name: str
    team: str | None  # None: the file has no such column (unchanged)
    line_manager_email: str | None
    roles: set[str] | None
    status: str | None
    left_on: date | None


@dataclass
class Change:
    line: int
    email: str
    name: str
    kind: str  # new | update | leave | return
    details: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[Row] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def signature(self) -> list[tuple]:
        """What the plan would do, to check nothing moved between the dry run and the import."""
        return [(c.email, c.kind, tuple(c.details)) for c in self.changes] + [
            ("team", t) for t in self.new_teams
        ]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV or XLSX file as (line number, {column: text}), the header on line 1.
    Raises ImportRefused when the file cannot be read or lacks a required column."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif name.endswith(".csv") or not name:
        rows = _csv_rows(content)
    else:
        raise ImportRefused(["file: choose a .csv or .xlsx file"])
    if not rows:
        raise ImportRefused(["file: the file is empty; its first line names the columns"])
    header = [h.strip().lower().replace(" ", "_") for h in rows[0][1]]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    problems = []
    if missing:
        problems.append(f"line 1: columns: no {', '.join(missing)} column")
    if unknown:
        problems.append(
            f"line 1: columns: unknown column {', '.join(_shown(u) for u in unknown)} "
            f"(the columns are {', '.join(COLUMNS)})"
        )
    if problems:
        raise ImportRefused(problems)
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRefused([f"file: at most {MAX_ROWS:,} people in one import"])
    table = []
    for number, values in rows[1:]:
        cells = {
            h: from_spreadsheet(values[i] if i < len(values) else "")
            for i, h in enumerate(header)
            if h
        }
        if any(cells.values()):
            table.append((number, cells))
    return table


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    """(line where the record starts, cells): a quoted cell may span lines."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(["file: save the CSV file as UTF-8 and try again"]) from None
    if "\x00" in text:
        raise ImportRefused(["file: this is not a readable CSV file"])
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, start = [], 1
    try:
        for row in reader:
            rows.append((start, [c.strip() for c in row]))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ImportRefused([f"line {start}: file: this is not readable CSV ({error})"]) from None
    return rows


def _shown(text: str) -> str:
    """A value quoted in a problem: on one line, and not too long."""
    text = " ".join(str(text).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRefused(["file: this is not a readable XLSX workbook"]) from None
    try:
        sheet = book.worksheets[0]
        return [
            (number, [_cell(v) for v in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def _parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _parse_rows(table, errors: list[str]) -> list[Row]:
    from email_validator import EmailNotValidError, validate_email

    rows, seen = [], {}
    for line, cells in table:
        email = cells.get("email", "").strip().lower()
        where = f"line {line}"
        if not email:
            errors.append(f"{where}: email: enter the person's email address")
            continue
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            errors.append(f"{where}: email: '{_shown(email)}' is not an email address")
            continue
        if email in seen:
            errors.append(f"{where}: email: {email} is also on line {seen[email]}")
            continue
        seen[email] = line
        roles = None
        if cells.get("roles", "").strip():
            roles = set()
            for word in cells["roles"].replace(",", ";").split(";"):
                word = word.strip().lower()
                if not word:
                    continue
                if word not in ROLE_NAMES:
                    errors.append(
                        f"{where}: roles: '{_shown(word)}' is not a role "
                        f"(use {', '.join(ORGANISATION_ROLES)})"
                    )
                    continue
                roles.add(ROLE_NAMES[word])
        status = cells.get("status", "").strip().lower() or None
        if status is not None and status not in STATUSES:
            errors.append(f"{where}: status: '{_shown(status)}' should be active or left")
            status = None
        left_on = None
        if cells.get("left_on", "").strip():
            left_on = _parse_date(cells["left_on"].strip())
            if left_on is None:
                errors.append(
                    f"{where}: left_on: '{_shown(cells['left_on'])}' is not a date like 2026-03-31"
                )
            elif left_on > date.today():
                errors.append(
                    f"{where}: left_on: {left_on.isoformat()} is in the future; import a leaver "
                    "on or after their last day"
                )
            elif status != "left":
                errors.append(f"{where}: left_on: a leaving date needs status left")
        name = cells.get("name", "").strip()
        if len(name) > 200:
            errors.append(f"{where}: name: keep the name under 200 characters")
        team = cells["team"].strip() if "team" in cells else None
        if team and len(team) > 200:
            errors.append(f"{where}: team: keep the team name under 200 characters")
        rows.append(
            Row(
                line=line,
                email=email,
                name=name,
                team=team,
                line_manager_email=(
                    cells["line_manager_email"].strip().lower()
                    if "line_manager_email" in cells
                    else None
                ),
                roles=roles,
                status=status,
                left_on=left_on,
            )
        )
    return rows


def plan_import(organisation: Organisation, table, *, by: User) -> ImportPlan:
    """What importing ``table`` (from read_table) would change, and every problem in it."""
    plan = ImportPlan()
    plan.rows = rows = _parse_rows(table, plan.errors)
    members = {
        u.email.lower(): u
        for u in db.session.scalars(sa.select(User).filter_by(organisation_id=organisation.id))
    }
    emails = [r.email for r in rows if r.email not in members]
    elsewhere = set()
    for i in range(0, len(emails), 500):
        elsewhere.update(
            db.session.scalars(
                sa.select(sa.func.lower(User.email)).where(
                    sa.func.lower(User.email).in_(emails[i : i + 500])
                )
            )
        )
    teams = {
        t.name.lower(): t
        for t in db.session.scalars(sa.select(Team).filter_by(organisation_id=organisation.id))
    }
    domains = set(organisation.email_domains.split())
    in_file = {r.email: r for r in rows}

    def roles_after(email: str) -> set[str]:
        row, user = in_file.get(email), members.get(email)
        if row is not None and row.roles is not None:
            return row.roles
        return user.roles if user is not None else {"practitioner"}

    def active_after(email: str) -> bool:
        row, user = in_file.get(email), members.get(email)
        if row is not None and row.status is not None:
            return row.status == "active"
        return user.active if user is not None else True

    def manager_after(email: str) -> str:
        row, user = in_file.get(email), members.get(email)
        if row is not None and row.line_manager_email is not None:
            return row.line_manager_email
        if user is not None and user.line_manager is not None:
            return user.line_manager.email.lower()
        return ""

    new_teams: dict[str, str] = {}
    for row in rows:
        where = f"line {row.line}"
        user = members.get(row.email)
        details = []
        if user is None:
            domain = row.email.rsplit("@", 1)[-1]
            if row.email in elsewhere:
                plan.errors.append(
                    f"{where}: email: {row.email} already has an account outside "
                    f"{organisation.name}; ask whoever runs Pathways to move it"
                )
                continue
            if not domains:
                plan.errors.append(
                    f"{where}: email: {organisation.name} has no email domains set, so an "
                    "import can only change people already here (ask whoever runs Pathways "
                    "to set them, or invite this person)"
                )
                continue
            if domain not in domains:
                plan.errors.append(
                    f"{where}: email: new people are added only at "
                    f"{', '.join('@' + d for d in sorted(domains))}; invite others one at a time"
                )
                continue
            if not row.name:
                plan.errors.append(f"{where}: name: enter the new person's full name")
                continue
            if row.status == "left":
                plan.errors.append(f"{where}: status: someone new cannot be a leaver")
                continue
        if row.team and row.team.lower() not in teams:
            new_teams.setdefault(row.team.lower(), row.team)
        manager_email = row.line_manager_email
        if manager_email:
            if manager_email == row.email:
                plan.errors.append(
                    f"{where}: line_manager_email: a person cannot be their own line manager"
                )
            elif manager_email not in members and manager_email not in in_file:
                plan.errors.append(
                    f"{where}: line_manager_email: {_shown(manager_email)} is not in your "
                    "organisation or in this file"
                )
            elif "manager" not in roles_after(manager_email):
                plan.errors.append(
                    f"{where}: line_manager_email: {manager_email} is not a manager "
                    "(give them the manager role)"
                )
            elif not active_after(manager_email):
                plan.errors.append(f"{where}: line_manager_email: {manager_email} has left")
        if user is None:
            plan.changes.append(Change(row.line, row.email, row.name, "new", _describe_new(row)))
            continue
        # Someone already here: what would change.
        if row.name and row.name != user.name:
            details.append(f"name: {user.name} → {row.name}")
        team_now = user.team.name if user.team else ""
        if row.team is not None:
            team_then = teams[row.team.lower()].name if row.team.lower() in teams else row.team
            if team_then.lower() != team_now.lower():
                details.append(f"team: {team_now or 'none'} → {team_then or 'none'}")
        manager_now = user.line_manager.email.lower() if user.line_manager else ""
        if manager_email is not None and manager_email != manager_now:
            details.append(f"line manager: {manager_now or 'none'} → {manager_email or 'none'}")
        if row.roles is not None:
            current = user.roles & set(ORGANISATION_ROLES)
            if row.roles != current:
                details.append(
                    f"roles: {', '.join(sorted(current)) or 'none'} → "
                    f"{', '.join(sorted(row.roles))}"
                )
        kind = "update"
        if row.status == "left" and user.active:
            if user.id == by.id:
                plan.errors.append(f"{where}: status: you cannot mark yourself as a leaver")
                continue
            kind = "leave"
            details.append(f"leaves: last day {(row.left_on or date.today()).isoformat()}")
            reports = [
                u.email.lower()
                for u in members.values()
                if u.line_manager_id == user.id and u.active
            ]
            stranded = [e for e in reports if manager_after(e) == row.email and active_after(e)]
            if stranded:
                plan.errors.append(
                    f"{where}: status: {row.email} line manages {len(stranded)} "
                    "people; give them a new line_manager_email in this file first"
                )
        elif row.status == "active" and not user.active:
            kind = "return"
            details.append("returns: account reactivated")
        if details:
            plan.changes.append(Change(row.line, row.email, user.name, kind, details))
        else:
            plan.unchanged += 1
    plan.new_teams = sorted(new_teams.values(), key=str.lower)
    return plan


def _describe_new(row: Row) -> list[str]:
    details = [f"roles: {', '.join(sorted(row.roles or {'practitioner'}))}"]
    if row.team:
        details.append(f"team: {row.team}")
    if row.line_manager_email:
        details.append(f"line manager: {row.line_manager_email}")
    return details


def apply_import(organisation: Organisation, plan: ImportPlan, *, by: User) -> None:
    """Make the changes ``plan`` lists, all in one transaction (it must have no errors)."""
    from planner.auth.operations import create_user
    from planner.sessions import end_every_session

    assert not plan.errors, "an import with errors is never applied"
    teams = {
        t.name.lower(): t
        for t in db.session.scalars(sa.select(Team).filter_by(organisation_id=organisation.id))
    }
    for name in plan.new_teams:
        team = Team(organisation_id=organisation.id, name=name)
        db.session.add(team)
        teams[name.lower()] = team
        record("account.import", "team", "", f"Team {name} made by an import", actor=by)
    db.session.flush()
    members = {
        u.email.lower(): u
        for u in db.session.scalars(sa.select(User).filter_by(organisation_id=organisation.id))
    }
    changed = {c.email: c for c in plan.changes}
    for row in plan.rows:
        change = changed.get(row.email)
        if change is None:
            continue
        if change.kind == "new":
            user = create_user(
                row.name,
                row.email,
                row.roles or {"practitioner"},
                organisation_id=organisation.id,
                commit=False,
            )
            db.session.execute(
                sa.delete(Invitation).where(
                    Invitation.organisation_id == organisation.id, Invitation.email == row.email
                )
            )
            members[row.email] = user
    for row in plan.rows:
        change = changed.get(row.email)
        if change is None:
            continue
        user = members[row.email]
        if row.name:
            user.name = row.name
        if row.team is not None:
            team = teams.get(row.team.lower()) if row.team else None
            user.team_id = team.id if team else None
        if row.line_manager_email is not None:
            manager = members.get(row.line_manager_email) if row.line_manager_email else None
            user.line_manager_id = manager.id if manager else None
        if row.roles is not None:
            user.set_roles(row.roles | (user.roles - set(ORGANISATION_ROLES)))
        if change.kind == "leave":
            user.active = False
            user.left_on = row.left_on or date.today()
            end_every_session(user)
        elif change.kind == "return":
            user.active = True
            user.left_on = None
        if change.kind != "new":
            for detail in change.details:
                # Details name teams and roles; line managers by email are personal, so the
                # log keeps only that the line manager changed.
                text = "line manager changed" if detail.startswith("line manager") else detail
                record(
                    "account.import",
                    "user",
                    user.id,
                    f"Changed by an import: {text}",
                    actor=by,
                )
    record(
        "account.import",
        "organisation",
        organisation.id,
        f"People imported: {plan.count('new')} added, {plan.count('update')} changed, "
        f"{plan.count('leave')} left, {plan.count('return')} returned, "
        f"{len(plan.new_teams)} team(s) made",
        actor=by,
    )
    db.session.commit()


def export_people(organisation_id: int, fmt: str) -> bytes:
    """Everyone in the organisation (leavers too) in the import's columns, so an export edited
    and imported again changes only what was edited."""
    people = db.session.scalars(
        sa.select(User).filter_by(organisation_id=organisation_id).order_by(User.name, User.id)
    ).all()
    rows = [
        [
            u.email,
            u.name,
            u.team.name if u.team else "",
            u.line_manager.email if u.line_manager else "",
            ";".join(sorted(u.roles & set(ORGANISATION_ROLES))),
            "active" if u.active else "left",
            u.left_on.isoformat() if u.left_on else "",
        ]
        for u in people
    ]
    from planner.spreadsheets import table_bytes

    return table_bytes(COLUMNS, rows, fmt, sheet="People")
