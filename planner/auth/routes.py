from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from planner.audit import record
from planner.auth import bp
from planner.auth.forms import LoginForm, RegisterForm, SetPasswordForm
from planner.auth.invitations import (
    accept,
    invitation_for_token,
)
from planner.auth.operations import EmailTaken, create_user
from planner.auth.sso import end_session_url
from planner.auth.tokens import user_for_token
from planner.extensions import db, limiter
from planner.models import User
from planner.models.accounts import password_hash_method
from planner.permissions import public, signed_in
from planner.sessions import begin_session, end_every_session


def _safe_next(target: str | None) -> str | None:
    """Only follow local redirects after signing in (None: go to the person's home)."""
    if (
        target
        and not urlsplit(target).netloc
        and target.startswith("/")
        and not target.startswith("//")
        # Browsers read a backslash as "/" and drop tabs and newlines, so "/" + backslash +
        # "evil.example" is another site to them (Werkzeug's quoting saves it; no reliance).
        and not any(c == "\\" or ord(c) < 32 or ord(c) == 127 for c in target)
    ):
        return target
    return None


def home_url(user: User) -> str:
    """Where signing in lands: administrators their people, L&D their coverage, managers
    their team; a practitioner their latest plan (its next actions are at the top), or the
    planner if they have none, or their profile while it says nothing yet."""
    from planner.models import Plan, Profile

    roles = set(user.roles)
    if "admin" in roles:
        return url_for("auth.users")
    if "ld" in roles:
        return url_for("catalogue.coverage_page")
    if "manager" in roles:
        return url_for("team.team")
    if "national_editor" in roles and "practitioner" not in roles:
        return url_for("editor.versions")
    profile = db.session.get(Profile, user.id)
    if profile is None or profile.current_role is None:
        return url_for("profile.profile")
    latest = db.session.scalar(
        sa.select(Plan.id)
        .filter_by(user_id=user.id)
        .order_by(Plan.updated_at.desc(), Plan.id.desc())
        .limit(1)
    )
    return url_for("plans.plan_detail", plan_id=latest) if latest else url_for("plans.planner")


def _login_email_key() -> str:
    """Failed sign-ins are counted per email address typed, whether or not an account has
    it, so the lockout itself cannot tell anyone which addresses exist."""
    return "login:" + (request.form.get("email") or "").strip().lower()[:254]


# A hash to check against when no account has the email, so that a wrong email takes as long
# as a wrong password (no account enumeration by timing).
@cache
def _no_account_hash(method: str) -> str:
    return generate_password_hash("no account has this email address", method=method)


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
        return redirect(home_url(current_user))
    form = LoginForm()
    if request.method == "POST" and not current_app.config["PASSWORD_SIGN_IN"]:
        # Where the organisation's own sign-in is the only way in (leavers are closed there).
        return render_template(
            "auth/login.html",
            form=form,
            self_registration=False,
            sso_error="Signing in with a password is switched off here. Sign in with "
            f"{current_app.config['OIDC_NAME']} instead.",
        ), 403
    if form.validate_on_submit():
        user = db.session.scalar(
            sa.select(User).filter(sa.func.lower(User.email) == form.email.data.strip().lower())
        )
        if user is None or not user.password_hash:
            check_password_hash(_no_account_hash(password_hash_method()), form.password.data)
        elif user.active and user.check_password(form.password.data):
            begin_session(user)
            record("account.sign_in", "user", user.id, "Signed in with a password", actor=user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or home_url(user))
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
    # Signed in through the provider: end its session too where it offers that, or the next
    # person at this browser would be signed straight back in as this one.
    provider_sign_out = end_session_url()
    logout_user()
    # Drop everything else in the session too (unread messages may name the user's data),
    # so the next person at this browser starts clean.
    session.clear()
    flash("You have signed out.", "success")
    return redirect(provider_sign_out or url_for("explore.role_map"))


def passwords_off() -> bool:
    """PATHWAYS_PASSWORD_SIGN_IN=0 with single sign-on on: no page may set a password."""
    return not current_app.config["PASSWORD_SIGN_IN"] and bool(current_app.config["OIDC_ISSUER"])


def _use_sso(heading: str, message: str, status: int):
    return render_template("auth/use_sso.html", heading=heading, message=message), status


@bp.route("/register", methods=["GET", "POST"])
@public
def register():
    if passwords_off():
        return _use_sso(
            "Sign in with your organisation's account",
            "Pathways accounts here are made the first time you sign in with "
            f"{current_app.config['OIDC_NAME']}; there are no passwords to choose.",
            404,
        )
    if not current_app.config["SELF_REGISTRATION"]:
        abort(
            404,
            description="This deployment does not allow self-registration. Ask your administrator for an invitation.",
        )
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                form.name.data,
                form.email.data,
                ["practitioner"],
                password=form.password.data,
                by_themselves=True,
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
    if passwords_off():
        return _use_sso(
            "Passwords are switched off",
            "Signing in with a password is switched off here, so this link no longer sets one. "
            f"Sign in with {current_app.config['OIDC_NAME']} instead.",
            404,
        )
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
    if passwords_off():
        # Signing in with the provider as this address takes the invitation up (auth/sso.py).
        return _use_sso(
            "Accept your invitation",
            f"Sign in with {current_app.config['OIDC_NAME']} as {invitation.email}: your "
            "Pathways account is made then, with the team, line manager and roles in this "
            "invitation.",
            200,
        )
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
