from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from planner.audit import record
from planner.auth import bp
from planner.auth.forms import InviteForm, LoginForm, RegisterForm, SetPasswordForm
from planner.auth.invitations import (
    InvitedAlready,
    accept,
    invitation_for_token,
    invite,
    pending_invitations,
)
from planner.auth.operations import EmailTaken, create_user
from planner.auth.tokens import make_token, user_for_token
from planner.extensions import db, limiter
from planner.models import Team, User
from planner.paging import page_number
from planner.permissions import organisation_id_or_403, public, require_role, signed_in
from planner.scoping import in_organisation, one_in_organisation_or_404
from planner.sessions import begin_session, end_every_session


def _safe_next(target: str | None) -> str:
    """Only follow local redirects after signing in."""
    if (
        target
        and not urlsplit(target).netloc
        and target.startswith("/")
        and not target.startswith("//")
    ):
        return target
    return url_for("profile.profile")


def _login_email_key() -> str:
    """Failed sign-ins are counted per email address typed, whether or not an account has
    it, so the lockout itself cannot tell anyone which addresses exist."""
    return "login:" + (request.form.get("email") or "").strip().lower()[:254]


# A hash to check against when no account has the email, so that a wrong email takes as long
# as a wrong password (no account enumeration by timing).
_NO_ACCOUNT_HASH = generate_password_hash("no account has this email address")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LOCKOUT"],
    key_func=_login_email_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code != 302,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("profile.profile"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(
            sa.select(User).filter(sa.func.lower(User.email) == form.email.data.strip().lower())
        )
        if user is None or not user.password_hash:
            check_password_hash(_NO_ACCOUNT_HASH, form.password.data)
        elif user.active and user.check_password(form.password.data):
            begin_session(user)
            return redirect(_safe_next(request.args.get("next")))
        # The same message whether the email exists or not: no account enumeration.
        form.password.errors.append("Enter a correct email address and password")
    return render_template(
        "auth/login.html", form=form, self_registration=current_app.config["SELF_REGISTRATION"]
    )


@bp.post("/logout")
@signed_in
def logout():
    # Signing out here signs out everywhere: a copied cookie or another computer's session
    # stops working too (planner/sessions.py).
    end_every_session(current_user)
    db.session.commit()
    logout_user()
    # Drop everything else in the session too (unread messages may name the user's data),
    # so the next person at this browser starts clean.
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("explore.role_map"))


@bp.route("/register", methods=["GET", "POST"])
@public
def register():
    if not current_app.config["SELF_REGISTRATION"]:
        abort(
            404,
            description="This deployment does not allow self-registration. Ask your administrator for an invitation.",
        )
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                form.name.data, form.email.data, ["practitioner"], password=form.password.data
            )
        except EmailTaken:
            form.email.errors.append(
                "An account with this email address already exists. Sign in instead."
            )
        else:
            begin_session(user)
            flash("Your account is ready. Start by telling us where you are now.", "success")
            return redirect(url_for("profile.profile"))
    return render_template("auth/register.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):
    user = user_for_token(token)
    if user is None:
        abort(
            404,
            description="This link has expired or has already been used. Ask your administrator for a new one.",
        )
    form = SetPasswordForm()
    form.personal_words = (user.name, user.email)
    if form.validate_on_submit():
        user.set_password(form.password.data)
        end_every_session(user)  # whoever had the old password is signed out everywhere
        record("account.password", "user", user.id, "Password set", actor=user)
        db.session.commit()
        logout_user()
        begin_session(user)
        flash("Your password is set.", "success")
        return redirect(url_for("profile.profile"))
    return render_template("auth/set_password.html", form=form, user=user)


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


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    """The invitee sets a password; their account is made then, in the inviting organisation."""
    invitation = invitation_for_token(token)
    if invitation is None:
        abort(
            404,
            description="This invitation link has expired or has already been used. Ask your "
            "administrator for a new one.",
        )
    taken = db.session.scalar(
        sa.select(User.id).where(sa.func.lower(User.email) == invitation.email)
    )
    if taken is not None:
        return render_template("auth/invitation_taken.html", invitation=invitation)
    form = SetPasswordForm()
    form.personal_words = (invitation.name, invitation.email)
    if form.validate_on_submit():
        try:
            user = accept(invitation, form.password.data)
        except EmailTaken:
            return render_template("auth/invitation_taken.html", invitation=invitation)
        begin_session(user)
        flash("Your account is ready. Start by telling us where you are now.", "success")
        return redirect(url_for("profile.profile"))
    return render_template("auth/set_password.html", form=form, user=invitation)


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
