"""What the conversation pages draw: ratings side by side, and the conversation record."""

from __future__ import annotations

from flask import Response, abort

from pathways.model import Framework
from pathways.prompts import conversation_prompts
from planner.hardening import attachment
from planner.models import Conversation, Plan
from planner.people import latest_ratings
from planner.plans.views import plan_view_framework


def ratings_side_by_side(framework: Framework, user_id: int, next_role: str | None) -> list[dict]:
    """Per capability: the latest self and manager ratings and the next step's requirement.
    ``differs`` flags a self and manager rating that disagree."""
    own = latest_ratings(user_id, kind="self")
    manager = latest_ratings(user_id, kind="manager")
    required = framework.roles[next_role].required if next_role in framework.roles else {}
    rows = []
    for slug, capability in framework.capabilities.items():
        mine = own[slug].level if slug in own else None
        theirs = manager[slug].level if slug in manager else None
        rows.append(
            {
                "slug": slug,
                "title": capability.title,
                "self": mine,
                "self_at": own[slug].created_at if slug in own else None,
                "manager": theirs,
                "manager_at": manager[slug].created_at if slug in manager else None,
                "required": required.get(slug),
                "difference": (theirs - mine) if None not in (mine, theirs) else None,
            }
        )
    return rows


def prompts_used(conversation: Conversation) -> list[tuple]:
    """(group, [prompt, ...]) for the prompts this conversation used, in the groups' order."""
    used = set(conversation.prompts)
    return [
        (group, [p for p in group.prompts if p.id in used])
        for group in conversation_prompts()
        if any(p.id in used for p in group.prompts)
    ]


def conversation_record(plan: Plan, conversation: Conversation) -> dict:
    framework = plan_view_framework(plan.user)
    return {
        "plan": plan,
        "framework": framework,
        "conversation": conversation,
        "member": plan.user,
        "actions": [i for i in plan.items if i.conversation_id == conversation.id],
        "prompt_groups": prompts_used(conversation),
    }


def conversation_pdf(plan: Plan, conversation: Conversation) -> Response:
    from planner.pdf import render_pdf

    pdf = render_pdf("team/record_pdf.html", **conversation_record(plan, conversation))
    name = f"career-conversation-{conversation.held_on.isoformat()}-{conversation.id}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": attachment(name),
        },
    )


def conversation_ics(plan: Plan, conversation: Conversation, with_name: str) -> Response:
    """The next conversation as a calendar invite (an all-day event on its date, as no time is
    agreed in Pathways), for whoever downloads it. Only names and the role aimed for."""
    from datetime import timedelta

    from icalendar import Calendar, Event

    from planner.mail import plan_title
    from planner.models import utcnow

    if conversation.next_on is None:
        abort(404, description="This conversation has no next date planned.")
    calendar = Calendar()
    calendar.add("prodid", "-//Pathways//career conversations//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"pathways-conversation-{conversation.id}-next@pathways")
    event.add("dtstamp", utcnow())
    event.add("dtstart", conversation.next_on)
    event.add("dtend", conversation.next_on + timedelta(days=1))
    event.add("summary", f"Career conversation with {with_name}")
    event.add("description", f"Next career conversation about: {plan_title(plan)}")
    event.add("transp", "TRANSPARENT")
    calendar.add_component(event)
    name = f"career-conversation-{conversation.next_on.isoformat()}.ics"
    return Response(
        calendar.to_ical(),
        mimetype="text/calendar",
        headers={"Content-Disposition": attachment(name)},
    )
