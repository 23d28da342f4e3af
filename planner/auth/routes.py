from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from planner.auth import bp
from planner.auth.forms import InviteForm, LoginForm, RegisterForm, SetPasswordForm
from planner.auth.operations import EmailTaken, create_user
from planner.auth.tokens import make_token, user_for_token
from planner.extensions import db
from planner.models import Team, User
from planner.permissions import require_role


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


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("profile.profile"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(
            sa.select(User).filter(sa.func.lower(User.email) == form.email.data.strip().lower())
        )
        if user is not None and user.active and user.check_password(form.password.data):
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        # The same message whether the email exists or not: no account enumeration.
        form.password.errors.append("Enter a correct email address and password")
    return render_template(
        "auth/login.html", form=form, self_registration=current_app.config["SELF_REGISTRATION"]
    )


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    # Drop everything else in the session too (unread messages may name the user's data),
    # so the next person at this browser starts clean.
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("explore.role_map"))


@bp.route("/register", methods=["GET", "POST"])
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
            login_user(user)
            flash("Your account is ready. Start by telling us where you are now.", "success")
            return redirect(url_for("profile.profile"))
    return render_template("auth/register.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    user = user_for_token(token)
    if user is None:
        abort(
            404,
            description="This link has expired or has already been used. Ask your administrator for a new one.",
        )
    form = SetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        db.session.commit()
        logout_user()
        login_user(user)
        flash("Your password is set.", "success")
        return redirect(url_for("profile.profile"))
    return render_template("auth/set_password.html", form=form, user=user)


@bp.route("/admin/users", methods=["GET", "POST"])
@require_role("admin")
def users():
    form = InviteForm()
    org_id = current_user.organisation_id
    teams = db.session.scalars(
        sa.select(Team).filter_by(organisation_id=org_id).order_by(Team.name)
    ).all()
    people = db.session.scalars(
        sa.select(User).filter_by(organisation_id=org_id).order_by(User.name)
    ).all()
    form.team.choices = [("", "No team")] + [(str(t.id), t.name) for t in teams]
    form.line_manager.choices = [("", "No line manager")] + [
        (str(u.id), u.name) for u in people if u.has_role("manager")
    ]
    link = None
    if form.validate_on_submit():
        try:
            user = create_user(
                form.name.data,
                form.email.data,
                form.roles.data,
                organisation_id=org_id,
                team_id=int(form.team.data) if form.team.data else None,
                line_manager_id=int(form.line_manager.data) if form.line_manager.data else None,
            )
        except EmailTaken:
            form.email.errors.append("An account with this email address already exists")
        else:
            link = url_for("auth.set_password", token=make_token(user), _external=True)
            flash(
                f"Account created for {user.name}. Send them the set-password link below.",
                "success",
            )
            people = db.session.scalars(
                sa.select(User).filter_by(organisation_id=org_id).order_by(User.name)
            ).all()
    return render_template("auth/users.html", form=form, people=people, link=link)


@bp.post("/admin/users/<int:user_id>/link")
@require_role("admin")
def user_link(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != current_user.organisation_id:
        abort(404)
    link = url_for("auth.set_password", token=make_token(user), _external=True)
    flash(f"New set-password link for {user.name}: {link}", "success")
    return redirect(url_for("auth.users"))
