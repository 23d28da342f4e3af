"""The organisation administrator's pages: people (invite, edit, leavers, bulk import and
export) and the audit log."""

from __future__ import annotations

import base64

import sqlalchemy as sa
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from planner.auth import bp
from planner.auth.forms import ROLE_LABELS, InviteForm, LeaveForm, PeopleImportForm, PersonForm
from planner.auth.invitations import InvitedAlready, invite, pending_invitations
from planner.auth.operations import (
    PersonChangeRefused,
    deactivate,
    direct_reports,
    reactivate,
    update_person,
)
from planner.auth.tokens import make_token
from planner.extensions import db
from planner.hardening import attachment
from planner.mail import send
from planner.models import ORGANISATION_ROLES, Team, User, UserRole
from planner.paging import page_number
from planner.people_io import (
    COLUMNS,
    ImportPlan,
    ImportRefused,
    apply_import,
    export_people,
    plan_import,
    read_table,
)
from planner.permissions import organisation_id_or_403, require_role
from planner.scoping import in_organisation, one_in_organisation_or_404

PEOPLE_PAGE = 50
STATUSES = {"active": "Active", "left": "Left", "all": "Everyone"}


def _teams() -> list[Team]:
    return db.session.scalars(in_organisation(Team).order_by(Team.name)).all()


def _active_managers(*, leaving_out: int | None = None) -> list[User]:
    """Who can be picked as a line manager: active managers in the organisation."""
    return [
        u
        for u in db.session.scalars(
            in_organisation(User, User.active.is_(True), User.id != (leaving_out or 0)).order_by(
                User.name
            )
        )
        if u.has_role("manager")
    ]


def _team_choices(teams) -> list[tuple[str, str]]:
    return [("", "No team")] + [(str(t.id), t.name) for t in teams]


def _manager_choices(managers, empty: str = "No line manager") -> list[tuple[str, str]]:
    return [("", empty)] + [(str(u.id), f"{u.name} ({u.email})") for u in managers]


def _people_filters(teams) -> dict:
    """The filters on the people list, from the query string (anything unknown is ignored)."""
    team = request.args.get("team", "")
    if team not in {"", "none"} | {str(t.id) for t in teams}:
        team = ""
    role = request.args.get("role", "")
    if role not in ORGANISATION_ROLES:
        role = ""
    status = request.args.get("status", "active")
    if status not in STATUSES:
        status = "active"
    return {"team": team, "role": role, "status": status}


def _people_query(filters) -> sa.Select:
    query = in_organisation(User)
    if filters["team"] == "none":
        query = query.where(User.team_id.is_(None))
    elif filters["team"]:
        query = query.where(User.team_id == int(filters["team"]))
    if filters["role"]:
        query = query.where(
            User.id.in_(sa.select(UserRole.user_id).where(UserRole.role == filters["role"]))
        )
    if filters["status"] != "all":
        query = query.where(User.active.is_(filters["status"] == "active"))
    return query


def _id_or_none(text: str | None) -> int | None:
    """A chosen id from a select: None for "none"; -1 (no such row) for anything not a number,
    so the check that follows says what is wrong instead of a server error."""
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) < 10 else -1


@bp.route("/admin/users", methods=["GET", "POST"])
@require_role("admin")
def users():
    form = InviteForm()
    org_id = organisation_id_or_403()
    teams = _teams()
    managers = _active_managers()
    form.team.choices = _team_choices(teams)
    form.line_manager.choices = _manager_choices(managers)
    link = None
    if form.validate_on_submit():
        try:
            invitation, token = invite(
                org_id,
                form.name.data,
                form.email.data,
                form.roles.data,
                team_id=int(form.team.data) if form.team.data else None,
                line_manager_id=int(form.line_manager.data) if form.line_manager.data else None,
                invited_by=current_user,
            )
        except InvitedAlready:
            form.email.errors.append(
                "This person is already in your organisation (find them in the list below)."
            )
        else:
            link = url_for("auth.accept_invitation", token=token, _external=True)
            emailed = send(
                invitation.email,
                "You are invited to Pathways",
                "invitation",
                name=invitation.name,
                inviter=current_user.name,
                organisation=current_user.organisation.name,
                link=link,
                reason=f"{current_user.name} invited you to Pathways, your organisation's "
                "career pathway planner for social work",
            )
            flash(
                f"Invitation ready for {invitation.name}. "
                + (
                    "We have emailed them the link below; you can also pass it on yourself."
                    if emailed
                    else "The email could not be sent: send them the link below yourself."
                )
                + " Their account is made when they open it and choose a password.",
                "success",
            )
            form = InviteForm(formdata=None)
            form.team.choices = _team_choices(teams)
            form.line_manager.choices = _manager_choices(managers)
    filters = _people_filters(teams)
    query = _people_query(filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // PEOPLE_PAGE))
    page = page_number(request.args.get("page"), pages)
    people = db.session.scalars(
        query.order_by(User.name, User.id).limit(PEOPLE_PAGE).offset((page - 1) * PEOPLE_PAGE)
    ).all()
    return render_template(
        "auth/users.html",
        form=form,
        people=people,
        teams=teams,
        filters=filters,
        statuses=STATUSES,
        role_labels=ROLE_LABELS,
        organisation_roles=ORGANISATION_ROLES,
        total=total,
        page=page,
        pages=pages,
        invitations=pending_invitations(org_id),
        link=link,
        open_invite=bool(form.errors),
    )


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@require_role("admin")
def person(user_id: int):
    """One person: their team, line manager and roles; a leaver's return; set-password link."""
    user = one_in_organisation_or_404(User, user_id)
    form = PersonForm(
        data=None
        if request.method == "POST"
        else {
            "team": str(user.team_id or ""),
            "line_manager": str(user.line_manager_id or ""),
            "roles": sorted(user.roles & set(ORGANISATION_ROLES)),
        }
    )
    form.team.choices = _team_choices(_teams())
    managers = _active_managers(leaving_out=user.id)
    if user.line_manager is not None and user.line_manager not in managers:
        managers.append(user.line_manager)  # shown as it is, even if they have since left
    form.line_manager.choices = _manager_choices(managers)
    if (
        form.validate_on_submit()
        and user.id == current_user.id
        and "admin" not in (form.roles.data or [])
    ):
        form.roles.errors.append(
            "You cannot remove your own administrator role: ask another administrator"
        )
    elif form.validate_on_submit():
        try:
            changes = update_person(
                user,
                team_id=_id_or_none(form.team.data),
                line_manager_id=_id_or_none(form.line_manager.data),
                roles=form.roles.data,
            )
        except PersonChangeRefused as refused:
            db.session.rollback()
            getattr(form, refused.field).errors.append(str(refused))
        else:
            flash(
                f"Saved {user.name}: " + "; ".join(changes) + "."
                if changes
                else f"Nothing changed for {user.name}.",
                "success",
            )
            return redirect(url_for("auth.person", user_id=user.id))
    return render_template(
        "auth/person.html",
        person=user,
        form=form,
        reports=direct_reports(user),
        role_labels=ROLE_LABELS,
    )


@bp.route("/admin/users/<int:user_id>/leave", methods=["GET", "POST"])
@require_role("admin")
def leave(user_id: int):
    """Confirm a leaver: their last day and, if they line manage anyone, a successor."""
    user = one_in_organisation_or_404(User, user_id)
    if not user.active:
        flash(f"{user.name} has already left.", "success")
        return redirect(url_for("auth.person", user_id=user.id))
    reports = direct_reports(user)
    form = LeaveForm()
    form.successor.choices = _manager_choices(
        _active_managers(leaving_out=user.id), "Choose a manager"
    )
    if form.validate_on_submit():
        try:
            handed = deactivate(
                user,
                left_on=form.left_on.data,
                successor_id=_id_or_none(form.successor.data),
                by=current_user,
            )
        except PersonChangeRefused as refused:
            db.session.rollback()
            getattr(form, refused.field).errors.append(str(refused))
        else:
            message = f"{user.name}'s account is deactivated: they can no longer sign in."
            if handed:
                message += f" The {handed} people they line managed now report to " + (
                    db.session.get(User, _id_or_none(form.successor.data)).name + "."
                )
            flash(message, "success")
            return redirect(url_for("auth.person", user_id=user.id))
    return render_template("auth/leave.html", person=user, form=form, reports=reports)


@bp.post("/admin/users/<int:user_id>/reactivate")
@require_role("admin")
def reactivate_person(user_id: int):
    user = one_in_organisation_or_404(User, user_id)
    if not user.active:
        reactivate(user)
        flash(f"{user.name}'s account is active again: they can sign in.", "success")
    return redirect(url_for("auth.person", user_id=user.id))


@bp.post("/admin/users/<int:user_id>/link")
@require_role("admin")
def user_link(user_id: int):
    from planner.auth.routes import passwords_off

    user = one_in_organisation_or_404(User, user_id)
    if not user.active:
        flash(f"{user.name} has left: reactivate their account first.", "success")
        return redirect(url_for("auth.person", user_id=user.id))
    if passwords_off():
        flash(f"Passwords are switched off: {user.name} signs in with single sign-on.", "info")
        return redirect(url_for("auth.person", user_id=user.id))
    link = url_for("auth.set_password", token=make_token(user), _external=True)
    flash(f"New set-password link for {user.name}: {link}", "success")
    return redirect(url_for("auth.person", user_id=user.id))


@bp.route("/admin/users/import", methods=["GET", "POST"])
@require_role("admin")
def import_people():
    """Check a file of people (the dry run), then import exactly what was shown."""
    organisation = current_user.organisation
    form = PeopleImportForm()
    context = {"form": form, "columns": COLUMNS, "organisation": organisation}
    if request.method == "GET":
        return render_template("auth/import.html", **context)
    if not form.validate_on_submit():
        return render_template("auth/import.html", **context), 400
    confirming = request.form.get("confirm") == "yes"
    if confirming:
        filename = request.form.get("filename", "")
        try:
            content = base64.b64decode(request.form.get("content", ""), validate=True)
        except ValueError:
            content = None
    else:
        upload = request.files.get("file")
        filename = upload.filename if upload is not None else ""
        content = upload.read() if upload is not None and upload.filename else None
    if not content:
        form.file.errors.append("Choose a CSV or XLSX file of people")
        return render_template("auth/import.html", **context), 400
    try:
        plan = plan_import(organisation, read_table(filename, content), by=current_user)
    except ImportRefused as refused:
        plan = ImportPlan(errors=refused.errors)
    context.update(plan=plan, filename=filename)
    encoded = base64.b64encode(content).decode("ascii")
    limit = (current_app.config.get("MAX_FORM_MEMORY_SIZE") or 500_000) - 10_000
    if not plan.errors and len(encoded) > limit:
        plan.errors.append(
            f"file: too large to import in one go ({len(content):,} bytes); split it into "
            f"files of at most {limit * 3 // 4 // 1000:,} kB (about "
            f"{limit * 3 // 4 // 120:,} people each)"
        )
    if plan.errors:
        form.file.errors.append(
            f"{filename} cannot be imported: {len(plan.errors)} problem"
            f"{'s' if len(plan.errors) != 1 else ''} found. Nothing has been changed."
        )
        return render_template("auth/import.html", **context), 400
    if confirming:
        if _signature(plan) != request.form.get("signature"):
            form.file.errors.append(
                "People have changed since you checked this file. Check the changes below again."
            )
        else:
            apply_import(organisation, plan, by=current_user)
            flash(
                f"Imported {filename}: {plan.count('new')} added, {plan.count('update')} "
                f"changed, {plan.count('leave')} left, {plan.count('return')} returned.",
                "success",
            )
            return redirect(url_for("auth.users"))
    context.update(content=base64.b64encode(content).decode("ascii"), signature=_signature(plan))
    return render_template("auth/import.html", **context)


def _signature(plan) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps(plan.signature).encode("utf-8")).hexdigest()


@bp.get("/admin/users/export.<any(csv, xlsx):fmt>")
@require_role("admin")
def export_people_file(fmt: str):
    from planner.spreadsheets import FORMATS

    return Response(
        export_people(organisation_id_or_403(), fmt),
        mimetype=FORMATS[fmt],
        headers={"Content-Disposition": attachment(f"pathways-people.{fmt}")},
    )


AUDIT_AREAS = {
    "": "Everything",
    "framework": "Framework versions",
    "plan": "Plans",
    "conversation": "Career conversations",
    "rating": "Ratings",
    "account": "Accounts",
    "profile": "Profiles",
    "training": "Completed training",
    "catalogue": "Training catalogue",
}
AUDIT_PAGE = 50  # a page a person can read; filters find the rest


def _audit_filters() -> dict:
    """The audit log's filters from the query string; anything unreadable is dropped."""
    from datetime import date

    def day(name: str) -> str:
        try:
            return date.fromisoformat(request.args.get(name, "")).isoformat()
        except ValueError:
            return ""

    area = request.args.get("area", "")
    return {
        "area": area if area in AUDIT_AREAS else "",
        "action": request.args.get("action", "")[:40],
        "person": request.args.get("person", "").strip()[:254],
        "since": day("since"),
        "until": day("until"),
    }


def _audit_query(filters: dict) -> tuple[sa.Select, str | None]:
    """Events of the administrator's organisation that match ``filters``; a problem with the
    person filter is returned in words."""
    from datetime import date, datetime, time, timedelta

    from planner.models import AuditEvent, Plan

    query = in_organisation(AuditEvent)
    if filters["area"]:
        query = query.where(AuditEvent.action.startswith(filters["area"] + "."))
    if filters["action"]:
        query = query.where(AuditEvent.action == filters["action"])
    if filters["since"]:
        start = datetime.combine(date.fromisoformat(filters["since"]), time.min)
        query = query.where(AuditEvent.at >= start)
    if filters["until"]:
        end = datetime.combine(date.fromisoformat(filters["until"]) + timedelta(days=1), time.min)
        query = query.where(AuditEvent.at < end)
    problem = None
    if filters["person"]:
        who = db.session.scalar(
            in_organisation(User, sa.func.lower(User.email) == filters["person"].lower())
        )
        if who is None:
            problem = f"No one in your organisation has the email address {filters['person']}"
            query = query.where(sa.false())
        else:
            # What they did, and what was done to their account or their plans.
            plans = sa.select(sa.cast(Plan.id, sa.String)).where(Plan.user_id == who.id)
            query = query.where(
                sa.or_(
                    AuditEvent.actor_id == who.id,
                    sa.and_(AuditEvent.object_type == "user", AuditEvent.object_id == str(who.id)),
                    sa.and_(AuditEvent.object_type == "plan", AuditEvent.object_id.in_(plans)),
                )
            )
    return query, problem


@bp.get("/admin/audit")
@require_role("admin")
def audit_log():
    from planner.models import AuditEvent

    filters = _audit_filters()
    query, problem = _audit_query(filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // AUDIT_PAGE))
    page = page_number(request.args.get("page"), pages)
    events = db.session.scalars(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(AUDIT_PAGE)
        .offset((page - 1) * AUDIT_PAGE)
    ).all()
    actions = db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.organisation_id == organisation_id_or_403())
        .distinct()
        .order_by(AuditEvent.action)
    ).all()
    from planner.audit_text import action_label, describe_events

    return render_template(
        "auth/audit.html",
        events=describe_events(events, organisation_id_or_403()),
        action_label=action_label,
        filters=filters,
        areas=AUDIT_AREAS,
        actions=actions,
        problem=problem,
        page=page,
        pages=pages,
        total=total,
    )
