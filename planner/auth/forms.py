from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from planner.models import ROLES

MIN_PASSWORD = 10  # length over complexity rules (NCSC password guidance)

ROLE_LABELS = {
    "practitioner": "Practitioner",
    "manager": "Manager",
    "ld": "Learning and development",
    "admin": "Administrator",
}


class LoginForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address")],
    )
    password = PasswordField(
        "Password", widget=GovPasswordInput(), validators=[DataRequired("Enter your password")]
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class _PasswordMixin:
    password = PasswordField(
        "Create a password",
        widget=GovPasswordInput(),
        description=f"At least {MIN_PASSWORD} characters. A few random words make a strong password.",
        validators=[
            InputRequired("Enter a password"),
            Length(
                min=MIN_PASSWORD, message=f"Password must be at least {MIN_PASSWORD} characters"
            ),
        ],
    )
    confirm = PasswordField(
        "Confirm password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Confirm your password"),
            EqualTo("password", "Passwords must match"),
        ],
    )


class RegisterForm(_PasswordMixin, FlaskForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your full name"), Length(max=200)],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@example.com"),
        ],
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())


class SetPasswordForm(_PasswordMixin, FlaskForm):
    submit = SubmitField("Set password", widget=GovSubmitInput())


class InviteForm(FlaskForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the person's full name"), Length(max=200)],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the person's email address"),
            Email("Enter an email address in the correct format, like name@example.com"),
        ],
    )
    roles = SelectMultipleField(
        "Roles",
        widget=GovCheckboxesInput(),
        choices=[(r, ROLE_LABELS[r]) for r in ROLES],
        default=["practitioner"],
        validators=[DataRequired("Choose at least one role")],
    )
    team = SelectField("Team", widget=GovSelect(), coerce=str)
    line_manager = SelectField("Line manager", widget=GovSelect(), coerce=str)
    submit = SubmitField("Create account and invitation link", widget=GovSubmitInput())
