"""Self-service password reset for local accounts.

The page answers the same whatever address is typed, and takes as long: the email (if an
active local account has the address) is sent from a background thread, so neither the
words nor the timing tell anyone whether an account exists. Attempts are limited per address
and per visitor. Accounts that sign in only through single sign-on get nothing: their
password is their organisation's.
"""

from __future__ import annotations

import threading

import sqlalchemy as sa
from flask import current_app, render_template, request, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import EmailField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from planner.auth import bp
from planner.auth.tokens import make_token
from planner.extensions import db, limiter
from planner.models import User
from planner.permissions import public


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@example.com"),
            Length(max=254),
        ],
    )
    submit = SubmitField("Send me a link", widget=GovSubmitInput())


def _email_key() -> str:
    return "reset:" + (request.form.get("email") or "").strip().lower()[:254]


def _send_in_background(app, address: str, name: str, link: str) -> None:
    from planner.mail import send

    with app.app_context():
        send(address, "Pathways: reset your password", "password_reset", name=name, link=link)


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
@limiter.limit("20 per hour", methods=["POST"])
@limiter.limit("3 per hour", key_func=_email_key, methods=["POST"])
def forgot_password():
    if not current_app.config.get("PASSWORD_SIGN_IN", True):
        return render_template("auth/forgot_password.html", form=None, sent=False), 404
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        address = form.email.data.strip().lower()
        user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == address))
        if user is not None and user.active and (user.password_hash or not user.sso_subject):
            link = url_for("auth.set_password", token=make_token(user, reset=True), _external=True)
            thread = threading.Thread(
                target=_send_in_background,
                args=(current_app._get_current_object(), user.email, user.name, link),
                daemon=True,
            )
            thread.start()
            if current_app.testing:
                thread.join()  # tests read the mailbox straight after
        return render_template("auth/forgot_password.html", form=None, sent=True, email=address)
    return render_template("auth/forgot_password.html", form=form, sent=False)
