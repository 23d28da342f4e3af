"""Template globals and filters shared by every page."""

from __future__ import annotations

from flask import Flask
from markupsafe import Markup

STATUS_TAGS = {  # Iriss status -> (label, GOV.UK tag colour class)
    "met": ("Met", "govuk-tag--green"),
    "partial": ("Partly met", "govuk-tag--yellow"),
    "missing": ("Missing", "govuk-tag--red"),
    "not_met": ("Not met so far", "govuk-tag--orange"),
    "not_assessed": ("Not assessed", "govuk-tag--grey"),
    "not_applicable": ("Not applicable", "govuk-tag--grey"),
}


EVIDENCE_TAGS = {  # what the sources say of an item that is not in place: (words, colour)
    "recommended": ("Recommended by Iriss", "govuk-tag--yellow"),
    "suggested": ("Suggested by practitioners", "govuk-tag--orange"),
    "inference": ("Pathways' inference", "govuk-tag--grey"),
}


def evidence_tag_html(item) -> Markup:
    """The tag that marks an item as recommended, suggested or inferred (nothing when the
    sources describe it as in place)."""
    if item.evidence not in EVIDENCE_TAGS:
        return Markup("")
    words, colour = EVIDENCE_TAGS[item.evidence]
    return Markup('<strong class="govuk-tag {} app-tag-phrase">{}</strong>').format(colour, words)


def reading(basis: str) -> str:
    """A ``basis`` note in words: "inference: ..." is Pathways' own reading of the sources.

    >>> reading("inference: the sources do not say")
    "Pathways' inference: the sources do not say"
    """
    if basis.startswith("inference:"):
        return "Pathways' inference:" + basis[len("inference:") :]
    return basis


def years(value: float | None) -> str:
    """'1 year', '2.5 years'."""
    if value is None:
        return ""
    text = f"{value:g}"
    return f"{text} year" if text == "1" else f"{text} years"


def route_label(labels) -> str:
    """('quickest', 'fewest_gaps') -> 'Quickest, fewest gaps'."""
    from pathways.routes import ALTERNATIVE_LABELS

    text = ", ".join(ALTERNATIVE_LABELS.get(label, label).lower() for label in labels)
    return text[:1].upper() + text[1:]


def planner_url(link: dict, **args) -> str:
    """A planner URL keeping the page's choices (``link``: endpoint and base arguments)."""
    from flask import url_for

    base = {k: v for k, v in link.items() if k != "endpoint"}
    return url_for(link["endpoint"], **{**base, **args})


def gaps_answered(framework, plan, step) -> dict[str, str]:
    """The step's catalogue gaps that an item on the plan (for this step or the whole plan)
    develops: capability to the item's title. The page, the manager's view and the PDF say
    so instead of reporting a gap the person has already planned for."""
    answered: dict[str, str] = {}
    if plan is None:
        return answered
    for item in plan.items:
        if item.training_item in framework.training and item.role in (None, "", step.target):
            training = framework.training[item.training_item]
            for capability in training.capabilities:
                if capability in step.catalogue_gaps:
                    answered.setdefault(capability, training.title)
    return answered


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals["planner_url"] = planner_url
    app.jinja_env.globals["gaps_answered"] = gaps_answered
    app.jinja_env.filters["years"] = years
    app.jinja_env.filters["reading"] = reading
    app.jinja_env.globals["evidence_tag"] = evidence_tag_html
    app.jinja_env.filters["route_label"] = route_label
    app.jinja_env.globals["STATUS_TAGS"] = STATUS_TAGS
    from pathways.iriss.criteria import describe

    app.jinja_env.filters["criterion"] = describe
    from planner.models import ACTION_OWNERS

    app.jinja_env.globals["ACTION_OWNERS"] = ACTION_OWNERS

    def local_entry(row):
        from planner.catalogue.operations import row_item

        return {"row": row, "item": row_item(row)}

    app.jinja_env.filters["local_entry"] = local_entry
