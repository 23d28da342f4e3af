from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    ValidationError,
)
from zxcvbn import zxcvbn

from planner.models import ORGANISATION_ROLES
from planner.widgets import DateInput

MIN_PASSWORD = 10  # length over complexity rules (NCSC password guidance)
MAX_PASSWORD = 200
MIN_STRENGTH = 3  # zxcvbn's 0-4 score: 3 is "safely unguessable" (about 10^10 guesses)

ROLE_LABELS = {
    "practitioner": "Practitioner",
    "manager": "Manager",
    "ld": "Learning and development",
    "admin": "Administrator",
    "national_editor": "National framework editor",
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


def _personal_variants(words) -> list[str]:
    """A name and email as zxcvbn should see them: whole, joined up, and in parts
    ("Jo Bloggs", jo.bloggs@x.org -> jobloggs, jo, bloggs, ...)."""
    import re

    found = set()
    for word in words:
        text = str(word).lower()
        local = text.split("@")[0]
        parts = [p for p in re.split(r"[^a-z0-9]+", local + " " + text) if len(p) > 1]
        found.update({text, local, re.sub(r"[^a-z0-9]", "", local), "".join(parts), *parts})
    return sorted(w for w in found if w)


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
            Length(max=MAX_PASSWORD, message=f"Password must be at most {MAX_PASSWORD} characters"),
        ],
    )
    # Words a password must not lean on: the person's name and email (set by the view).
    personal_words: tuple[str, ...] = ()

    def validate_password(self, field):
        if not field.data or not MIN_PASSWORD <= len(field.data) <= MAX_PASSWORD:
            return  # the length rules above say what is wrong
        words = [*self.personal_words]
        for name in ("name", "email"):
            value = getattr(getattr(self, name, None), "data", None)
            if value:
                words.append(value)
        result = zxcvbn(field.data[:100], user_inputs=_personal_variants(words))
        if result["score"] < MIN_STRENGTH:
            feedback = result["feedback"]
            hint = feedback.get("warning") or " ".join(feedback.get("suggestions") or [])
            raise ValidationError(
                "This password would be easy to guess"
                + (f": {hint.rstrip('.')}." if hint else ".")
                + " Try three or four random words."
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
        choices=[(r, ROLE_LABELS[r]) for r in ORGANISATION_ROLES],
        default=["practitioner"],
        validators=[DataRequired("Choose at least one role")],
    )
    team = SelectField("Team", widget=GovSelect(), coerce=str)
    line_manager = SelectField("Line manager", widget=GovSelect(), coerce=str)
    submit = SubmitField("Make an invitation link", widget=GovSubmitInput())


class PersonForm(FlaskForm):
    """An administrator moves someone: team, line manager, roles. The team and line manager are
    checked by planner.auth.operations.update_person, which says what is wrong in words."""

    team = SelectField("Team", widget=GovSelect(), coerce=str, validate_choice=False)
    line_manager = SelectField(
        "Line manager", widget=GovSelect(), coerce=str, validate_choice=False
    )
    roles = SelectMultipleField(
        "Roles",
        widget=GovCheckboxesInput(),
        choices=[(r, ROLE_LABELS[r]) for r in ORGANISATION_ROLES],
        validators=[DataRequired("Choose at least one role")],
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class LeaveForm(FlaskForm):
    """A leaver's last day and who takes on the people they line manage."""

    left_on = DateField(
        "Last day",
        widget=DateInput(),
        format="%d %m %Y",
        default=date.today,
        description="For example, 31 3 2027. Today or earlier.",
        validators=[DataRequired("Enter the last day as day month year")],
    )
    successor = SelectField(
        "Who takes on the people they line manage", widget=GovSelect(), validate_choice=False
    )
    submit = SubmitField("Deactivate their account", widget=GovSubmitInput())

    def validate_left_on(self, field):
        if field.data and field.data > date.today():
            raise ValidationError(
                "The last day must be today or earlier: deactivate a leaver on or after it"
            )


class PeopleImportForm(FlaskForm):
    file = FileField(
        "CSV or XLSX file",
        widget=GovFileInput(),
        description="The first row names the columns. The export above is a ready template.",
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())
