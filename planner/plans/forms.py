from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from pathways.model import Framework
from planner.models import PLAN_ITEM_KINDS, PLAN_NAME_MAX
from planner.plans.operations import KIND_ITEMS
from planner.widgets import DateInput, revision_field


class SavePlanForm(FlaskForm):
    target = HiddenField(validators=[DataRequired("Choose a target role")])
    route = HiddenField(validators=[DataRequired("Choose a route")])
    label = HiddenField()
    area = HiddenField()  # the service area of the post, if chosen in the planner
    submit = SubmitField("Save this route as my plan", widget=GovSubmitInput())


class PlanNameForm(FlaskForm):
    name = StringField(
        "Name of the plan",
        widget=GovTextInput(),
        description="For example: Practice educator first, then consultant. Only you, and "
        "your line manager if you share the plan, see it.",
        validators=[
            DataRequired("Enter a name for the plan"),
            Length(max=PLAN_NAME_MAX, message=f"Keep the name under {PLAN_NAME_MAX} characters"),
        ],
    )
    submit = SubmitField("Save the name", widget=GovSubmitInput())


class ConversationResponseForm(FlaskForm):
    comment = TextAreaField(
        "Your comment (optional)",
        widget=GovTextArea(),
        description="Anything you would add, or see differently. Your line manager reads it "
        "with the record.",
        validators=[Length(max=5000, message="Keep your comment under 5,000 characters")],
    )
    submit = SubmitField("Acknowledge the record", widget=GovSubmitInput())


class MarkDoneForm(FlaskForm):
    pass


def item_form_class(framework: Framework, route_roles: list[str]):
    class PlanItemForm(FlaskForm):
        kind = SelectField(
            "Type of action",
            widget=GovSelect(),
            choices=list(PLAN_ITEM_KINDS.items()),
            default="training",
        )
        training_item = SelectField(
            "From the catalogue (optional)",
            widget=GovSelect(),
            description="Choose a catalogue item, or leave this and describe the action below.",
            choices=[("", "None")]
            + sorted(((i.id, i.title) for i in framework.training.values()), key=lambda c: c[1]),
        )
        title = StringField(
            "Describe the action",
            widget=GovTextInput(),
            description="For example: shadow the duty team manager for two days.",
            validators=[
                Optional(),
                Length(max=300, message="Keep the description under 300 characters"),
            ],
        )
        role = SelectField(
            "Step it belongs to",
            widget=GovSelect(),
            choices=[("", "The whole plan")]
            + [(r, framework.roles[r].title) for r in route_roles[1:] if r in framework.roles],
        )
        service_area = SelectField(
            "Service area (for secondments)",
            widget=GovSelect(),
            choices=[("", "Not applicable")]
            + [(a.slug, a.title) for a in framework.service_areas.values()],
        )
        due = DateField(
            "Due date (optional)",
            widget=DateInput(),
            format="%d %m %Y",
            description="For example, 31 3 2027",
            validators=[Optional()],
        )
        submit = SubmitField("Add to plan", widget=GovSubmitInput())

        def validate(self, extra_validators=None):
            ok = super().validate(extra_validators)
            # Mentoring, secondment and reflection stand for catalogue items of their own.
            if (
                not self.title.data
                and not self.training_item.data
                and self.kind.data not in KIND_ITEMS
            ):
                self.title.errors = [
                    *self.title.errors,
                    "Choose a catalogue item or describe the action",
                ]
                return False
            return ok

    return PlanItemForm


class PrivateNotesForm(FlaskForm):
    revision = revision_field()  # the plan revision the notes were loaded at
    notes = TextAreaField(
        "My private notes",
        widget=GovTextArea(),
        description="Only you can see these, even when the plan is shared.",
        validators=[Length(max=20000, message="Keep your notes under 20,000 characters")],
    )
    submit = SubmitField("Save my notes", widget=GovSubmitInput())
