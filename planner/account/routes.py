from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput
from wtforms import PasswordField, SubmitField
from wtforms.validators import DataRequired

from planner.account import bp
from planner.account.operations import delete_account
from planner.extensions import db
from planner.models import CompletedTraining, Plan, ServiceAreaYears, User
from planner.people import profile_for, rating_history
from planner.plans.routes import plan_as_json


class DeleteForm(FlaskForm):
    password = PasswordField(
        "Enter your password to confirm",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your password to confirm")],
    )
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
        },
        "profile": {
            "current_role": profile.current_role,
            "years_qualified": profile.years_qualified,
            "registered": profile.registered,
            "line_management": profile.line_management,
            "extra_hours_per_week": profile.extra_hours_per_week,
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
    }


@bp.get("")
@login_required
def account():
    return render_template("account/account.html", form=DeleteForm())


@bp.get("/export.json")
@login_required
def export():
    return Response(
        json.dumps(export_data(current_user), indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="pathways-my-data.json"'},
    )


@bp.post("/delete")
@login_required
def delete():
    form = DeleteForm()
    valid = form.validate_on_submit()
    if valid and not current_user.check_password(form.password.data):
        form.password.errors.append("The password is not correct")
        valid = False
    if not valid:
        return render_template("account/account.html", form=form), 400
    user = db.session.get(User, current_user.id)
    logout_user()
    delete_account(user)
    flash("Your account and all your data have been deleted.", "success")
    return redirect(url_for("explore.role_map"))
