from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from pathways.model import Framework
from planner.widgets import DateInput, FiniteDecimalField


def _not_future(form, field):
    if field.data and field.data > date.today():
        raise ValidationError("The date must be today or in the past")


def profile_form_class(framework: Framework):
    """The profile form, with one 'years in this area' field per service area of the framework."""

    class ProfileForm(FlaskForm):
        current_role = SelectField(
            "Your current role",
            widget=GovSelect(),
            choices=[("", "Choose your role")]
            + [
                (r.slug, r.title)
                for r in sorted(framework.roles.values(), key=lambda r: (r.stage, r.title))
            ],
            validators=[DataRequired("Choose your current role")],
        )
        years_qualified = FiniteDecimalField(
            "Years since you qualified",
            widget=GovTextInput(),
            places=None,
            description="Enter 0 if you are a student or have just qualified.",
            validators=[
                InputRequired("Enter the years since you qualified, or 0"),
                NumberRange(0, 60, "Years since you qualified must be between 0 and 60"),
            ],
        )
        registered = BooleanField(
            "I am registered with the SSSC as a social worker", widget=GovCheckboxInput()
        )
        line_management = RadioField(
            "Would you consider a role that line-manages people?",
            widget=GovRadioInput(),
            choices=[("yes", "Yes"), ("no", "No, I want to progress without managing people")],
            validators=[DataRequired("Say whether you would consider line management")],
        )
        extra_hours_per_week = FiniteDecimalField(
            "Extra hours you usually work each week (optional)",
            widget=GovTextInput(),
            places=None,
            description="Used to warn if planned development would add to an already long week.",
            validators=[Optional(), NumberRange(0, 80, "Extra hours must be between 0 and 80")],
        )
        submit = SubmitField("Save profile", widget=GovSubmitInput())

    for area in framework.service_areas.values():
        setattr(
            ProfileForm,
            f"area_{area.slug}",
            FiniteDecimalField(
                f"Years in {area.title.lower()}",
                widget=GovTextInput(),
                places=None,
                validators=[
                    Optional(),
                    NumberRange(0, 60, f"Years in {area.title.lower()} must be between 0 and 60"),
                ],
            ),
        )
    return ProfileForm


class SelfAssessmentForm(FlaskForm):
    """The self-assessment page's one form: its radios are read by name (``<slug>-level``,
    as each capability's own form names them), so this carries the CSRF token and the
    button."""

    submit = SubmitField("Save my ratings", widget=GovSubmitInput())


def rating_form_class(framework: Framework):
    class RatingForm(FlaskForm):
        level = RadioField(
            "Your level",
            widget=GovRadioInput(),
            coerce=int,
            choices=[(lv.level, f"{lv.level} {lv.label}") for lv in framework.levels],
            validators=[InputRequired("Choose a level")],
        )
        submit = SubmitField("Save rating", widget=GovSubmitInput())

    return RatingForm


def training_form_class(framework: Framework):
    class CompletedTrainingForm(FlaskForm):
        item = SelectField(
            "Training or qualification",
            widget=GovSelect(),
            choices=[("", "Choose an item")]
            + sorted(((i.id, i.title) for i in framework.training.values()), key=lambda c: c[1]),
            validators=[DataRequired("Choose the training you completed")],
        )
        completed_on = DateField(
            "Date completed",
            widget=DateInput(),
            format="%d %m %Y",
            description="For example, 27 3 2024",
            validators=[
                DataRequired("Enter the date you completed it, like 27 3 2024"),
                _not_future,
            ],
        )
        submit = SubmitField("Record training", widget=GovSubmitInput())

    return CompletedTrainingForm


def learning_form_class(framework: Framework):
    """One entry in the learning record (CPL). Any learning counts, not only catalogue items."""
    from pathways.cpl import requirements
    from planner.models import LEARNING_KINDS

    class LearningEntryForm(FlaskForm):
        title = StringField(
            "What did you learn from?",
            widget=GovTextInput(),
            description="For example: trauma-informed practice webinar; shadowed the duty "
            "senior; read the new adult support and protection guidance.",
            validators=[
                DataRequired("Enter what you learned from"),
                Length(max=300, message="Keep the title under 300 characters"),
            ],
        )
        learned_on = DateField(
            "Date",
            widget=DateInput(),
            format="%d %m %Y",
            description="For example, 14 10 2026. The last day, for learning over several.",
            validators=[DataRequired("Enter the date, like 14 10 2026"), _not_future],
        )
        kind = RadioField(
            "Kind of learning",
            widget=GovRadioInput(),
            choices=list(LEARNING_KINDS.items()),
            validators=[InputRequired("Choose the kind of learning")],
        )
        minutes = IntegerField(
            "Time spent, in minutes (optional)",
            widget=GovTextInput(),
            description="The SSSC no longer counts hours; record them if you or your "
            "requirements do.",
            validators=[
                Optional(),
                NumberRange(min=1, max=100000, message="Enter minutes as a whole number from 1"),
            ],
        )
        capabilities = SelectMultipleField(
            "Capabilities it develops (optional)",
            widget=GovCheckboxesInput(),
            choices=[(slug, c.title) for slug, c in framework.capabilities.items()],
            description="Recorded with the entry. It never changes a rating by itself.",
            validate_choice=False,  # checked below, with a message that names the field
        )
        topics = SelectMultipleField(
            "SSSC mandatory topics it covers (optional)",
            widget=GovCheckboxesInput(),
            choices=[(t.id, t.title) for t in requirements().mandatory_topics],
            description="The SSSC asks every registrant to cover these each year.",
            validate_choice=False,
        )
        reflection = TextAreaField(
            "What changed in your practice?",
            widget=GovTextArea(),
            description="A few sentences of reflection: what you do differently, or will.",
            validators=[Length(max=10000, message="Keep the reflection under 10,000 characters")],
        )
        evidence_link = StringField(
            "Link to evidence (optional)",
            widget=GovTextInput(),
            description="A certificate or notes kept elsewhere, starting https://",
            validators=[
                Optional(),
                Length(max=500, message="Keep the link under 500 characters"),
                Regexp(r"^https?://\S+$", message="Enter a web address starting https://"),
            ],
        )
        submit = SubmitField("Save to my learning record", widget=GovSubmitInput())

        def validate_topics(self, field):
            unknown = sorted(set(field.data or ()) - set(requirements().topic_titles))
            if unknown:
                raise ValidationError(
                    "SSSC mandatory topics: choose from the list (not known: "
                    + ", ".join(unknown)
                    + ")"
                )

        def validate_capabilities(self, field):
            unknown = sorted(set(field.data or ()) - set(framework.capabilities))
            if unknown:
                raise ValidationError(
                    "Capabilities it develops: choose from the list (not known: "
                    + ", ".join(unknown)
                    + ")"
                )

    return LearningEntryForm


class DeclarationForm(FlaskForm):
    """The date of the person's next SSSC declaration (the SSSC sets it; MySSSC shows it)."""

    due_on = DateField(
        "When is your next SSSC declaration due?",
        widget=DateInput(),
        format="%d %m %Y",
        description="For example, 31 3 2027. MySSSC shows the date. It falls on the same day "
        "every year, so a past one works too.",
        validators=[DataRequired("Enter the date, like 31 3 2027")],
    )
    submit = SubmitField("Save the date", widget=GovSubmitInput())
    clear = SubmitField("Remove the date", widget=GovSubmitInput())

    def validate_due_on(self, field):
        if not date(2000, 1, 1) <= field.data <= date(2100, 1, 1):
            raise ValidationError("Enter a date between 2000 and 2100")


class VerificationForm(FlaskForm):
    """A line manager's decision on one learning record entry."""

    note = TextAreaField(
        "Note to them (optional when you verify, needed when you return it)",
        widget=GovTextArea(),
        validators=[Length(max=2000, message="Keep the note under 2,000 characters")],
    )
    decision = RadioField(
        "Your decision",
        widget=GovRadioInput(),
        choices=[
            ("verify", "Verify: this learning took place"),
            ("return", "Return it unverified, with a note"),
        ],
        validators=[InputRequired("Choose whether to verify it or return it")],
    )
    # The entry as the manager read it: a decision on content changed since is refused.
    seen = HiddenField()
    submit = SubmitField("Save my decision", widget=GovSubmitInput())

    def validate_note(self, field):
        if self.decision.data == "return" and not (field.data or "").strip():
            raise ValidationError("Write a note saying what is missing, so they can fix it")
