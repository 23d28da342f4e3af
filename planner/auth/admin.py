"""The organisation administrator's pages: people (invite, edit, leavers, bulk import and
export) and the audit log."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from planner.auth import bp
from planner.auth.forms import InviteForm
from planner.auth.invitations import InvitedAlready, invite, pending_invitations
from planner.auth.tokens import make_token
from planner.extensions import db
from planner.models import Team, User
from planner.paging import page_number
from planner.permissions import organisation_id_or_403, require_role
from planner.scoping import in_organisation, one_in_organisation_or_404


@bp.route("/admin/users", methods=["GET", "POST"])
@require_role("admin")
def users():
    form = InviteForm()
    org_id = organisation_id_or_403()
    teams = db.session.scalars(in_organisation(Team).order_by(Team.name)).all()
    people = db.session.scalars(in_organisation(User).order_by(User.name)).all()
    _invite_choices(form, teams, people)
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
                "This person is already in your organisation (see People). To let them set "
                "a new password, use their 'New set-password link'."
            )
        else:
            link = url_for("auth.accept_invitation", token=token, _external=True)
            flash(
                f"Invitation ready for {invitation.name}. Send them the link below: their "
                "account is made when they open it and choose a password.",
                "success",
            )
            form = InviteForm(formdata=None)
            _invite_choices(form, teams, people)
    return render_template(
        "auth/users.html",
        form=form,
        people=people,
        invitations=pending_invitations(org_id),
        link=link,
    )


def _invite_choices(form, teams, people) -> None:
    form.team.choices = [("", "No team")] + [(str(t.id), t.name) for t in teams]
    form.line_manager.choices = [("", "No line manager")] + [
        (str(u.id), u.name) for u in people if u.has_role("manager")
    ]


@bp.post("/admin/users/<int:user_id>/link")
@require_role("admin")
def user_link(user_id: int):
    user = one_in_organisation_or_404(User, user_id)
    link = url_for("auth.set_password", token=make_token(user), _external=True)
    flash(f"New set-password link for {user.name}: {link}", "success")
    return redirect(url_for("auth.users"))


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
AUDIT_PAGE = 100


@bp.get("/admin/audit")
@require_role("admin")
def audit_log():
    from planner.models import AuditEvent

    area = request.args.get("area", "")
    if area not in AUDIT_AREAS:
        area = ""
    query = in_organisation(AuditEvent)
    if area:
        query = query.where(AuditEvent.action.startswith(area + "."))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // AUDIT_PAGE))
    page = page_number(request.args.get("page"), pages)
    events = db.session.scalars(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(AUDIT_PAGE)
        .offset((page - 1) * AUDIT_PAGE)
    ).all()
    return render_template(
        "auth/audit.html",
        events=events,
        area=area,
        areas=AUDIT_AREAS,
        page=page,
        pages=pages,
        total=total,
    )
