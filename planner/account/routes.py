from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from planner.account import bp
from planner.account.operations import delete_account
from planner.extensions import db
from planner.hardening import attachment
from planner.models import CompletedTraining, LearningEntry, Plan, ServiceAreaYears, User
from planner.people import profile_for, rating_history
from planner.permissions import signed_in
from planner.plans.routes import plan_as_json


class DeleteForm(FlaskForm):
    """Confirmed with the password, or (for people who sign in through their organisation's
    account, who have none) by typing their email address."""

    password = PasswordField("Enter your password to confirm", widget=GovPasswordInput())
    confirm_email = StringField("Type your email address to confirm", widget=GovTextInput())
    submit = SubmitField("Delete my account and data", widget=GovSubmitInput())


def export_data(user: User) -> dict:
    """Everything Pathways holds about ``user``."""
    profile = profile_for(user)
    return {
        "account": {
            "name": user.name,
            "email": user.email,
            "roles": sorted(user.roles),
            "organisation": user.organisation.name if user.organisation else None,
            "team": user.team.name if user.team else None,
            "line_manager": user.line_manager.name if user.line_manager else None,
            "created_at": user.created_at.isoformat(),
            "email_reminders": user.reminders,
        },
        "profile": {
            "current_role": profile.current_role,
            "years_qualified": profile.years_qualified,
            "registered": profile.registered,
            "line_management": profile.line_management,
            "extra_hours_per_week": profile.extra_hours_per_week,
            "sssc_declaration_due_on": (
                profile.declaration_due_on.isoformat() if profile.declaration_due_on else None
            ),
            "service_areas": {
                a.area: a.years
                for a in db.session.scalars(sa.select(ServiceAreaYears).filter_by(user_id=user.id))
            },
        },
        "ratings": [
            {
                "capability": r.capability,
                "level": r.level,
                "kind": r.kind,
                "rated_by_self": r.rated_by_id == user.id,
                "created_at": r.created_at.isoformat(),
            }
            for kind in ("self", "manager")
            for r in rating_history(user.id, kind)
        ],
        "completed_training": [
            {"item": c.item, "completed_on": c.completed_on.isoformat()}
            for c in db.session.scalars(
                sa.select(CompletedTraining)
                .filter_by(user_id=user.id)
                .order_by(CompletedTraining.completed_on)
            )
        ],
        "plans": [
            plan_as_json(p)
            for p in db.session.scalars(
                sa.select(Plan).filter_by(user_id=user.id).order_by(Plan.id)
            )
        ],
        "learning_record": [
            {
                "title": e.title,
                "date": e.learned_on.isoformat(),
                "kind": e.kind,
                "minutes": e.minutes,
                "capabilities": e.capabilities,
                "sssc_topics": e.topics,
                "reflection": e.reflection,
                "evidence_link": e.evidence_link,
                "verification": {
                    "state": e.verification or None,
                    "asked_on": _iso(e.verification_requested_at),
                    "asked_of": getattr(e.verification_requested_of, "name", None),
                    "verified_on": _iso(e.verified_at),
                    "verified_by": getattr(e.verified_by, "name", None),
                    "note": e.verification_note or None,
                },
            }
            for e in db.session.scalars(
                sa.select(LearningEntry).filter_by(user_id=user.id).order_by(LearningEntry.id)
            )
        ],
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


class TokenForm(FlaskForm):
    name = StringField(
        "What is the token for?",
        widget=GovTextInput(),
        description="For example: HR system, learning records. Shown only to you.",
        validators=[DataRequired("Say what the token is for"), Length(max=100)],
    )
    submit = SubmitField("Make a token", widget=GovSubmitInput())


def _account_page(status=200, **context):
    from planner.models import ApiToken

    tokens = db.session.scalars(
        sa.select(ApiToken)
        .filter_by(user_id=current_user.id, revoked=False)
        .order_by(ApiToken.created_at)
    ).all()
    context.setdefault("form", DeleteForm())
    context.setdefault("token_form", TokenForm())
    return render_template("account/account.html", tokens=tokens, **context), status


@bp.get("")
@signed_in
def account():
    return _account_page()


@bp.post("/tokens")
@signed_in
def make_api_token():
    from planner.api.tokens import make_token

    form = TokenForm()
    if not form.validate_on_submit():
        return _account_page(400, token_form=form)
    _row, token = make_token(current_user, form.name.data)
    return _account_page(201, new_token=token)


@bp.route("/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@signed_in
def revoke_api_token(token_id: int):
    """A confirmation page first (GOV.UK pattern, no JavaScript): systems using the token
    stop working at once, and it cannot be brought back."""
    from planner.api.tokens import revoke
    from planner.models import ApiToken

    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != current_user.id or row.revoked:
        abort(404, description="You have no token with that number.")
    form = FlaskForm()
    if request.method == "POST" and not form.validate_on_submit():  # the CSRF token
        abort(400)
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return render_template("account/revoke_token.html", row=row, form=form)
    revoke(row)
    flash(f"Token revoked: {row.name}. Systems using it can no longer sign in.", "success")
    return redirect(url_for("account.account") + "#tokens")


@bp.post("/reminders")
@signed_in
def reminders():
    if not FlaskForm().validate_on_submit():  # the CSRF token
        abort(400)
    user = db.session.get(User, current_user.id)
    user.reminders = request.form.get("reminders") == "on"
    db.session.commit()
    flash(
        "You will get email reminders of actions and conversations falling due."
        if user.reminders
        else "You will get no more email reminders. Pathways still shows what is due.",
        "success",
    )
    return redirect(url_for("account.account") + "#reminders")


@bp.get("/export.json")
@signed_in
def export():
    return Response(
        json.dumps(export_data(current_user), indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={
            "Content-Disposition": attachment("pathways-my-data.json"),
        },
    )


@bp.post("/delete")
@signed_in
def delete():
    form = DeleteForm()
    from planner.auth.routes import passwords_off

    valid = form.validate_on_submit()
    if valid and current_user.password_hash and not passwords_off():
        if not form.password.data:
            form.password.errors.append("Enter your password to confirm")
            valid = False
        elif not current_user.check_password(form.password.data):
            form.password.errors.append("The password is not correct")
            valid = False
    elif valid:
        typed = (form.confirm_email.data or "").strip().lower()
        if typed != current_user.email.lower():
            form.confirm_email.errors.append("Type your email address exactly to confirm")
            valid = False
    if not valid:
        return _account_page(400, form=form)
    user = db.session.get(User, current_user.id)
    logout_user()
    delete_account(user)
    flash("Your account and all your data have been deleted.", "success")
    return redirect(url_for("explore.role_map"))
