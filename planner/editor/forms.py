from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from pathways.model import Framework
from planner.catalogue.forms import item_form_class
from planner.widgets import FiniteDecimalField, revision_field

YES_NO = [("yes", "Yes"), ("no", "No")]
PREREQUISITE_TYPES = [
    ("", "None"),
    ("qualification", "Holds a qualification"),
    ("years_qualified", "Years qualified (at least)"),
    ("service_areas", "Service areas worked in (at least)"),
    ("registration", "Registered with the SSSC"),
]
PREREQUISITE_ROWS = 3


def _common(form_class):
    """Fields every edit carries: the version it started from, why, and a source."""
    form_class.base = revision_field()
    form_class.note = StringField(
        "What changed and why",
        widget=GovTextInput(),
        description="Recorded with the new version, for the version history.",
        validators=[
            DataRequired("Say what changed and why"),
            Length(max=300, message="Keep it under 300 characters"),
        ],
    )
    form_class.source = StringField(
        "Source",
        widget=GovTextInput(),
        description="Where this comes from, for example a report, guidance or your "
        "organisation's workforce plan. Needed for anything new; added to the sources of "
        "anything changed.",
        validators=[Length(max=500, message="Keep the source under 500 characters")],
    )
    form_class.submit = SubmitField("Save as a new version", widget=GovSubmitInput())
    return form_class


def role_form_class(framework: Framework, new: bool):
    levels = [("", "Not required")] + [
        (str(level.level), f"{level.level} – {level.label}")
        for level in framework.levels
        if level.level > 0
    ]

    class RoleForm(FlaskForm):
        slug = StringField(
            "Short id",
            widget=GovTextInput(),
            description="Lower-case letters, digits and _. It cannot be changed later.",
            render_kw=None if new else {"readonly": True},
        )
        title = StringField("Title", widget=GovTextInput())
        description = TextAreaField("Description", widget=GovTextArea())
        track = SelectField("Track", widget=GovSelect(), choices=list(framework.tracks))
        stage = SelectField(
            "Career stage",
            widget=GovSelect(),
            choices=[(str(n), f"{n}. {t}") for n, t in framework.stages],
        )
        positional = RadioField(
            "Is it a management (positional) role?",
            widget=GovRadioInput(),
            choices=YES_NO,
            validators=[InputRequired("Say whether the role manages people")],
        )
        typical_years = FiniteDecimalField(
            "Typical years in the role",
            widget=GovTextInput(),
            places=None,
            validators=[
                InputRequired("Enter the typical years in the role, for example 3"),
                NumberRange(0, 40, "Enter between 0 and 40 years"),
            ],
        )
        responsibilities = TextAreaField(
            "Responsibilities",
            widget=GovTextArea(),
            description="One per line.",
        )
        training_gap = TextAreaField(
            "Training gap (optional)",
            widget=GovTextArea(),
            description="Say so if the sources find no training for this role. Leave empty "
            "if there is none.",
        )

    for slug, capability in framework.capabilities.items():
        setattr(
            RoleForm,
            f"req_{slug}",
            SelectField(capability.title, widget=GovSelect(), choices=levels, default=""),
        )
    RoleForm.requirement_fields = [f"req_{slug}" for slug in framework.capabilities]
    return _common(RoleForm)


def transition_form_class(framework: Framework, new: bool):
    roles = sorted(framework.roles.values(), key=lambda r: (r.stage, r.title))
    training = sorted(framework.training.values(), key=lambda i: i.title)

    class TransitionForm(FlaskForm):
        source_role = SelectField(
            "From", widget=GovSelect(), choices=[(r.slug, r.title) for r in roles]
        )
        target_role = SelectField(
            "To", widget=GovSelect(), choices=[(r.slug, r.title) for r in roles]
        )
        typical_years = FiniteDecimalField(
            "Typical years before the move",
            widget=GovTextInput(),
            places=None,
            validators=[
                InputRequired("Enter the typical years before the move, for example 2"),
                NumberRange(0, 40, "Enter between 0 and 40 years"),
            ],
        )
        kind = SelectField(
            "Kind of move",
            widget=GovSelect(),
            choices=[
                ("progression", "A step on (progression)"),
                ("sideways", "Sideways: the same level, another track"),
                ("return", "Back from management into practice"),
                ("designation", "A designation held with another post"),
            ],
            default="progression",
        )
        supports = SelectMultipleField(
            "Supports for the move",
            widget=GovCheckboxesInput(),
            choices=[(i.id, i.title) for i in training],
        )

    for n in range(PREREQUISITE_ROWS):
        setattr(
            TransitionForm,
            f"pre{n}_type",
            SelectField(
                f"Prerequisite {n + 1}", widget=GovSelect(), choices=PREREQUISITE_TYPES, default=""
            ),
        )
        setattr(
            TransitionForm,
            f"pre{n}_item",
            SelectField(
                f"Prerequisite {n + 1}: qualification",
                widget=GovSelect(),
                choices=[("", "Not applicable")] + [(i.id, i.title) for i in training],
                default="",
            ),
        )
        setattr(
            TransitionForm,
            f"pre{n}_min",
            FiniteDecimalField(
                f"Prerequisite {n + 1}: at least",
                widget=GovTextInput(),
                places=None,
                validators=[Optional(), NumberRange(0, 40, "Enter a number from 0 to 40")],
            ),
        )
        setattr(
            TransitionForm,
            f"pre{n}_strength",
            SelectField(
                f"Prerequisite {n + 1}: strength",
                widget=GovSelect(),
                choices=[("required", "Required"), ("expected", "Expected")],
                default="required",
            ),
        )
    return _common(TransitionForm)


def training_form_class(framework: Framework, new: bool):
    base = item_form_class(framework, editing=not new)

    class TrainingForm(base):
        scope = SelectField(
            "Scope",
            widget=GovSelect(),
            choices=[("national", "National"), ("local", "Local (delivered locally)")],
            default="national",
        )

    return _common(TrainingForm)


class DeleteForm(FlaskForm):
    base = revision_field()
    note = StringField(
        "Why remove it",
        widget=GovTextInput(),
        validators=[DataRequired("Say why the move is removed")],
    )
    submit = SubmitField("Remove this move", widget=GovSubmitInput())


class ImportYamlForm(FlaskForm):
    base = revision_field()
    file = FileField(
        "Framework file (YAML)",
        widget=GovFileInput(),
        description="A whole framework, as exported from Pathways or written by hand "
        "(see docs/framework.md).",
    )
    note = StringField(
        "What changed and why",
        widget=GovTextInput(),
        validators=[DataRequired("Say what changed and why"), Length(max=300)],
    )
    submit = SubmitField("Check and import", widget=GovSubmitInput())


class RestoreForm(FlaskForm):
    base = revision_field()


__all__ = [
    "role_form_class",
    "transition_form_class",
    "training_form_class",
    "DeleteForm",
    "ImportYamlForm",
    "RestoreForm",
]
