"""The audit log in plain sentences: "Bea Boss shared a plan with their line manager", with
links to the people it names, instead of ``plan.share`` and ``plan 58``.

Only people of the reader's organisation are named and linked (the log is already scoped to
it); a person no longer in Pathways is "a deleted account". Plans are private, so a plan is
named by its owner ("Priya Practitioner's plan"), never linked or described.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from markupsafe import Markup, escape

from planner.extensions import db
from planner.models import Plan, User

__all__ = ["ACTIONS", "EventLine", "action_label", "describe_events"]

# action: (what the Action filter lists, the sentence: {who} did it, {whom} is the object)
ACTIONS: dict[str, tuple[str, str]] = {
    "account.sign_in": ("Signed in", "{who} signed in"),
    "account.create": ("Account made", "{who} made the account of {whom}"),
    "account.invite": ("Invitation sent", "{who} invited someone to Pathways"),
    "account.update": ("Person changed", "{who} changed the team, line manager or roles of {whom}"),
    "account.deactivate": ("Person left", "{who} marked {whom} as leaving"),
    "account.reactivate": ("Person returned", "{who} reactivated the account of {whom}"),
    "account.import": ("People imported", "{who} imported a file of people"),
    "account.password": ("Password set", "{who} set a new password"),
    "account.sso_link": (
        "Single sign-on linked",
        "{who} signed in with single sign-on for the first time (account linked)",
    ),
    "account.sso_provision": (
        "Account made at sign-on",
        "{who} signed in with single sign-on for the first time (account made)",
    ),
    "account.token_create": ("API token made", "{who} made an API token"),
    "account.token_revoke": ("API token revoked", "{who} revoked an API token"),
    "account.delete": ("Account deleted", "{who} deleted their account"),
    "account.erase": ("Leaver erased", "A leaver's records were erased after the retention period"),
    "plan.create": ("Plan made", "{who} made a plan"),
    "plan.rename": ("Plan renamed", "{who} renamed {whom}"),
    "plan.delete": ("Plan deleted", "{who} deleted a plan"),
    "plan.item_add": ("Action added", "{who} added an action to {whom}"),
    "plan.item_done": ("Action done", "{who} marked an action done on {whom}"),
    "plan.item_undone": ("Action not done", "{who} marked an action not done on {whom}"),
    "plan.notes": ("Private notes saved", "{who} saved their private notes on {whom}"),
    "plan.share": ("Plan shared", "{who} shared {whom} with their line manager"),
    "plan.unshare": ("Plan unshared", "{who} stopped sharing {whom}"),
    "plan.view": ("Plan viewed by a manager", "{who} read {whom}"),
    "conversation.record": (
        "Conversation recorded",
        "{who} recorded a career conversation on {whom}",
    ),
    "conversation.respond": (
        "Conversation acknowledged",
        "{who} acknowledged a conversation record on {whom}",
    ),
    "rating.self": ("Self-rating", "{who} rated their own capabilities"),
    "rating.manager": ("Manager rating", "{who} rated the capabilities of {whom}"),
    "profile.update": ("Profile changed", "{who} changed their profile"),
    "training.record": ("Training recorded", "{who} recorded completed training"),
    "training.remove": ("Training removed", "{who} removed completed training"),
    "learning.save": ("Learning recorded", "{who} saved an entry in their learning record"),
    "learning.delete": ("Learning deleted", "{who} deleted an entry from their learning record"),
    "learning.unverify": (
        "Verification removed",
        "{who} changed a verified learning record entry, which removed its verification",
    ),
    "learning.verify_request": (
        "Verification asked for",
        "{who} asked their line manager to verify a learning record entry",
    ),
    "learning.verify_withdraw": (
        "Verification request withdrawn",
        "{who} withdrew a request to verify a learning record entry",
    ),
    "learning.verify": ("Learning verified", "{who} verified a learning record entry"),
    "learning.return": (
        "Learning returned unverified",
        "{who} returned a learning record entry unverified, with a note",
    ),
    "learning.import": ("Learning imported", "{who} imported entries into their learning record"),
    "profile.declaration": (
        "Declaration date changed",
        "{who} changed the date of their SSSC declaration",
    ),
    "catalogue.save": ("Catalogue item saved", "{who} saved a training item in the catalogue"),
    "catalogue.import": ("Catalogue imported", "{who} imported training into the catalogue"),
    "catalogue.retire": ("Catalogue item retired", "{who} retired a training item"),
    "catalogue.offer": ("Offer answered", "{who} said whether the organisation offers an item"),
    "organisation_profile.update": (
        "What we offer changed",
        "{who} changed what the organisation offers",
    ),
    "organisation.contact": (
        "Contact details changed",
        "{who} changed the contact details in the statements",
    ),
    "organisation.create": ("Organisation made", "{who} made the organisation"),
    "organisation.update": (
        "Organisation changed",
        "{who} changed the organisation's domains or sign-on tenant",
    ),
    "framework.save": ("Framework saved", "{who} saved a new framework version"),
    "framework.restore": ("Framework restored", "{who} made an earlier framework version current"),
    "framework.reuse": ("Framework reused", "{who} loaded a framework version already stored"),
}


def action_label(action: str) -> str:
    return ACTIONS[action][0] if action in ACTIONS else action


@dataclass(frozen=True)
class EventLine:
    event: object
    sentence: Markup


def _person(user: User | None, fallback: str) -> Markup:
    if user is None:
        return escape(fallback)
    return Markup('<a class="govuk-link" href="{}">{}</a>').format(
        url_for("auth.person", user_id=user.id), user.name
    )


def describe_events(events, organisation_id: int) -> list[EventLine]:
    """Each event as a sentence; two queries for the people and plans a page of events names."""
    user_ids = {e.actor_id for e in events if e.actor_id}
    user_ids |= {
        int(e.object_id) for e in events if e.object_type == "user" and e.object_id.isdigit()
    }
    plan_ids = {
        int(e.object_id) for e in events if e.object_type == "plan" and e.object_id.isdigit()
    }
    owners = (
        dict(
            db.session.execute(sa.select(Plan.id, Plan.user_id).where(Plan.id.in_(plan_ids))).all()
        )
        if plan_ids
        else {}
    )
    user_ids |= set(owners.values())
    people = (
        {
            u.id: u
            for u in db.session.scalars(
                sa.select(User).where(
                    User.id.in_(user_ids), User.organisation_id == organisation_id
                )
            )
        }
        if user_ids
        else {}
    )
    lines = []
    for e in events:
        who = _person(people.get(e.actor_id), e.actor_name or "Someone")
        if e.object_type == "user" and e.object_id.isdigit():
            whom = _person(people.get(int(e.object_id)), "a deleted account")
        elif e.object_type == "plan" and e.object_id.isdigit():
            owner = people.get(owners.get(int(e.object_id)))
            whom = (
                Markup("{}\u2019s plan").format(_person(owner, "")) if owner else Markup("a plan")
            )
        else:
            whom = escape(f"{e.object_type} {e.object_id}".strip())
        # The sentences are this module's own constants (no markup in them); an action it does
        # not know reads as its code, escaped.
        template = (
            ACTIONS[e.action][1] if e.action in ACTIONS else "{who}: " + str(escape(e.action))
        )
        parts = {"{who}": str(who), "{whom}": str(whom)}  # one pass: a name is never re-read
        sentence = re.sub(r"\{whom\}|\{who\}", lambda m, parts=parts: parts[m.group(0)], template)
        lines.append(EventLine(e, Markup(sentence)))
    return lines
