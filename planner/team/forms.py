from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from pathways.model import Framework
from pathways.prompts import prompt_index
from planner.models import ACTION_OWNERS, PLAN_ITEM_KINDS
from planner.widgets import DateInput


class ActionForm(Form):
    """One agreed action. A row left blank is ignored."""

    title = StringField(
        "Action",
        widget=GovTextInput(),
        validators=[Length(max=300, message="Keep the action under 300 characters")],
    )
    owner = SelectField("Who will do it", widget=GovSelect(), choices=list(ACTION_OWNERS.items()))
    # Typed, so a mentoring arrangement or a course counts in the Iriss checks like any plan
    # item (planner/plans/operations.py, KIND_ITEMS).
    kind = SelectField(
        "Kind of action",
        widget=GovSelect(),
        choices=list(PLAN_ITEM_KINDS.items()),
        default="other",
    )
    training_item = SelectField(
        "From the catalogue (optional)",
        widget=GovSelect(),
        choices=[("", "None: the action as described")],
        default="",
    )
    due = DateField(
        "Due date (optional)",
        widget=DateInput(),
        format="%d %m %Y",
        description="For example, 31 3 2027",
        validators=[Optional()],
    )

    def validate(self, extra_validators=None):
        if not self.owner.data:  # a row the browser left out entirely
            self.owner.data = "practitioner"
        if not self.kind.data:
            self.kind.data = "other"
        if self.training_item.data is None:
            self.training_item.data = ""
        ok = super().validate(extra_validators)
        if self.due.data and not self.filled:
            self.title.errors = [*self.title.errors, "Describe the action, or clear its due date"]
            return False
        return ok

    @property
    def filled(self) -> bool:
        """A row with a description, a catalogue item or a kind chosen (a blank row, left at
        "Other action", is ignored; a kind alone is named by its kind, as on the plan)."""
        return bool(
            (self.title.data or "").strip()
            or self.training_item.data
            or (self.kind.data or "other") != "other"
        )


class ConversationForm(FlaskForm):
    held_on = DateField(
        "Date of the conversation",
        widget=DateInput(),
        format="%d %m %Y",
        default=date.today,
        description="For example, 26 11 2026",
        validators=[DataRequired("Enter the date of the conversation as day month year")],
    )
    next_on = DateField(
        "Date of the next conversation (optional)",
        widget=DateInput(),
        format="%d %m %Y",
        description="For example, 26 2 2027. You both get a reminder the week before, and can "
        "add it to your calendars.",
        validators=[Optional()],
    )
    notes = TextAreaField(
        "Notes",
        widget=GovTextArea(),
        description="What you discussed and agreed. The practitioner can read everything you write here.",
        validators=[Length(max=20000, message="Keep the notes under 20,000 characters")],
    )
    prompts = SelectMultipleField("Prompts used", choices=[], validate_choice=False)
    actions = FieldList(FormField(ActionForm), min_entries=3, max_entries=10)
    submit = SubmitField("Save ratings and conversation record", widget=GovSubmitInput())

    def __init__(self, *args, framework: Framework | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.prompts.choices = [(p.id, p.text) for p in prompt_index().values()]
        catalogue = sorted(
            ((i.id, i.title) for i in framework.training.values()) if framework else (),
            key=lambda pair: pair[1].lower(),
        )
        for action in self.actions:
            action.training_item.choices = [action.training_item.choices[0], *catalogue]

    def has_record(self) -> bool:
        """Anything written in the record part (the date alone, filled in for you, is not)."""
        return bool(
            (self.notes.data or "").strip()
            or self.prompts.data
            or self.next_on.data
            or any(a.form.filled for a in self.actions)
        )

    def validate_next_on(self, field):
        if field.data and self.held_on.data and field.data <= self.held_on.data:
            raise ValidationError("The next conversation must be after this one")

    def validate_prompts(self, field):
        unknown = sorted(set(field.data or ()) - set(prompt_index()))
        if unknown:
            raise ValidationError(
                f"Prompts used: choose prompts from the list (not known: {', '.join(unknown)})"
            )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        has_action = any(a.form.filled for a in self.actions)
        # Prompts or a next date alone make no record; nothing at all is ratings only.
        if ok and self.has_record() and not has_action and not (self.notes.data or "").strip():
            self.notes.errors = [
                *self.notes.errors,
                "Write some notes or agree at least one action",
            ]
            return False
        return ok


def rating_field(capability: str) -> str:
    """The manager's rating of a capability, as a form field name."""
    return f"rating_{capability}"


def manager_ratings_form_class(framework: Framework):
    """One select per capability; blank keeps the current manager rating. Each is named
    ``rating_<capability>``, so no capability id can clash with the form's own names (submit,
    levels) or with the conversation record's fields posted alongside (notes, held_on)."""
    choices = [("", "Not rated")] + [
        (str(level.level), f"{level.level} – {level.label}") for level in framework.levels
    ]

    class ManagerRatingsForm(FlaskForm):
        submit = SubmitField("Save my ratings", widget=GovSubmitInput())

        def levels(self) -> dict[str, int]:
            return {
                slug: int(self[rating_field(slug)].data)
                for slug in framework.capabilities
                if self[rating_field(slug)].data not in (None, "")
            }

    for slug, capability in framework.capabilities.items():
        setattr(
            ManagerRatingsForm,
            rating_field(slug),
            SelectField(capability.title, widget=GovSelect(), choices=choices, default=""),
        )
    return ManagerRatingsForm
