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
from wtforms.validators import InputRequired, ValidationError

from pathways.catalogue import MODES
from pathways.model import KINDS, STATUSES, Framework

YES_NO = [("yes", "Yes"), ("no", "No")]


def _label(slug: str) -> str:
    return slug.replace("_", " ").capitalize()


def item_form_class(framework: Framework, editing: bool = False):
    """The form for one local item. Checks beyond "is it one of the choices" (ids, lengths,
    links) are the engine's (pathways.catalogue.item_problems), shown on the field."""
    ordered_roles = sorted(framework.roles.values(), key=lambda r: (r.stage, r.title))

    class LocalItemForm(FlaskForm):
        id = StringField(
            "Short id",
            widget=GovTextInput(),
            description="Lower-case letters, digits and _; it cannot be changed later. "
            "For example: east_supervision_course.",
            render_kw={"readonly": True} if editing else None,
        )
        title = StringField("Title", widget=GovTextInput())
        kind = SelectField(
            "Kind", widget=GovSelect(), choices=[(k, _label(k)) for k in KINDS], default="training"
        )
        mode = SelectField(
            "Mode", widget=GovSelect(), choices=[(m, _label(m)) for m in MODES], default="course"
        )
        capabilities = SelectMultipleField(
            "Capabilities it develops",
            widget=GovCheckboxesInput(),
            choices=[(c.slug, c.title) for c in framework.capabilities.values()],
        )
        roles = SelectMultipleField(
            "Roles (steps) it is for",
            widget=GovCheckboxesInput(),
            choices=[(r.slug, r.title) for r in ordered_roles],
        )
        sw_specific = RadioField(
            "Is it specific to social work?",
            widget=GovRadioInput(),
            choices=YES_NO,
            default="yes",
            description="Generic leadership or management training is 'No'.",
            validators=[InputRequired("Say whether the item is specific to social work")],
        )
        status = SelectField(
            "Status",
            widget=GovSelect(),
            choices=[(s, _label(s)) for s in STATUSES],
            default="optional",
        )
        embedded = RadioField(
            "Is it embedded in practice?",
            widget=GovRadioInput(),
            choices=YES_NO,
            default="no",
            description="For example: learning on the job, shadowing, supervised casework.",
            validators=[InputRequired("Say whether the item is embedded in practice")],
        )
        duration = StringField(
            "Duration", widget=GovTextInput(), description="For example: 2 days, or 6 months."
        )
        provider = StringField("Provider (optional)", widget=GovTextInput())
        cost = StringField(
            "Cost (optional)", widget=GovTextInput(), description="For example: free, or £350."
        )
        link = StringField(
            "Link (optional)", widget=GovTextInput(), description="A web address for details."
        )
        notes = TextAreaField("Notes (optional)", widget=GovTextArea())
        submit = SubmitField("Save the item", widget=GovSubmitInput())

        def fields_dict(self) -> dict:
            return {
                "id": (self.id.data or "").strip(),
                "title": self.title.data or "",
                "kind": self.kind.data,
                "mode": self.mode.data,
                "capabilities": self.capabilities.data or [],
                "roles": self.roles.data or [],
                "sw_specific": self.sw_specific.data == "yes",
                "status": self.status.data,
                "embedded": self.embedded.data == "yes",
                "duration": self.duration.data or "",
                "provider": self.provider.data or "",
                "cost": self.cost.data or "",
                "link": (self.link.data or "").strip(),
                "notes": self.notes.data or "",
            }

    return LocalItemForm


class ImportForm(FlaskForm):
    file = FileField(
        "CSV file",
        widget=GovFileInput(),
        description="Save your spreadsheet as CSV. The first row names the columns.",
    )
    submit = SubmitField("Check and import", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token is checked."""


NOT_ANSWERED = ("", "Not answered")


def _one_of(choices):
    """A radio answer must be one of its choices or left unanswered; anything else (which a
    browser would not send) is an error on the field, not a server error."""
    allowed = {value for value, _ in choices} | {""}

    def check(form, field):
        if (field.data or "") not in allowed:
            raise ValidationError(f"{field.label.text}: choose one of the answers")

    return check


def organisation_profile_form(framework: Framework):
    """One question per framework item the organisation may or may not offer, and one per
    fact about how it works (pathways.organisation.FACTS); every answer may stay unanswered."""
    from pathways.organisation import FACTS, offer_questions
    from planner.widgets import revision_field

    class OrganisationProfileForm(FlaskForm):
        revision = revision_field()
        submit = SubmitField("Save the answers", widget=GovSubmitInput())

        offer_fields: list[tuple[str, str]] = []
        fact_fields: list[tuple[str, str]] = []

        def answers(self, sent) -> tuple[dict[str, str], dict[str, str]]:
            """The answers ``sent`` (the request's form data) holds: a question left out of
            the request keeps its answer (a browser always sends one of the radios)."""
            offers = {q: self[n].data or "" for q, n in self.offer_fields if n in sent}
            facts = {q: self[n].data or "" for q, n in self.fact_fields if n in sent}
            return offers, facts

    offer_choices = [("yes", "Yes"), ("no", "No"), NOT_ANSWERED]
    offers, facts = [], []
    for item in offer_questions(framework):
        name = f"offer_{item.id}"
        setattr(
            OrganisationProfileForm,
            name,
            RadioField(
                item.title,
                widget=GovRadioInput(),
                choices=offer_choices,
                default="",
                validate_choice=False,
                validators=[_one_of(offer_choices)],
            ),
        )
        offers.append((item.id, name))
    for fact in FACTS:
        name = f"fact_{fact.key}"
        choices = [*fact.choices, NOT_ANSWERED]
        setattr(
            OrganisationProfileForm,
            name,
            RadioField(
                fact.question,
                widget=GovRadioInput(),
                choices=choices,
                default="",
                validate_choice=False,
                validators=[_one_of(choices)],
            ),
        )
        facts.append((fact.key, name))
    OrganisationProfileForm.offer_fields = offers
    OrganisationProfileForm.fact_fields = facts
    return OrganisationProfileForm
