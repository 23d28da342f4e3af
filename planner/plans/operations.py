"""Changes to plans: save a route, add actions, mark them done, delete."""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa

from pathways.errors import PathwaysError
from pathways.model import Framework
from pathways.routes import route_from_roles
from planner.audit import record
from planner.extensions import db
from planner.models import PLAN_NAME_MAX, Plan, PlanItem, User, utcnow

# A plan action of these kinds counts as the matching catalogue item, so a mentoring
# arrangement satisfies the Iriss mentoring criterion, a secondment adds a service area, ...
KIND_ITEMS = {
    "mentoring": "mentoring_senior_leaders",
    "secondment": "secondment",
    "reflection": "protected_reflection_time",
    "leadership": "specialism_lead",
}


class PlanError(ValueError):
    pass


def save_plan(
    user: User,
    framework: Framework,
    version_id: int,
    current_role: str,
    target: str,
    roles: list[str],
    label: str = "",
    target_area: str | None = None,
) -> Plan:
    if not roles or roles[0] != current_role or roles[-1] != target:
        raise PlanError("The route must start at your current role and end at the target role.")
    try:
        route_from_roles(framework, roles)
    except PathwaysError as exc:
        raise PlanError(f"That route is not in the current framework: {exc}") from None
    plan = Plan(
        user_id=user.id,
        target_role=target,
        route_json=json.dumps(roles),
        label=label.strip()[:PLAN_NAME_MAX],
        framework_version_id=version_id,
        target_area=target_area if target_area in framework.service_areas else None,
    )
    db.session.add(plan)
    db.session.flush()
    record("plan.create", "plan", plan.id, f"Plan to {target} made", actor=user)
    db.session.commit()
    return plan


def same_route_plan(user: User, target: str, roles: list[str]) -> Plan | None:
    """The user's plan with exactly this route, if they saved it before."""
    return db.session.scalar(
        sa.select(Plan)
        .filter_by(user_id=user.id, target_role=target, route_json=json.dumps(roles))
        .order_by(Plan.id)
        .limit(1)
    )


def rename_plan(plan: Plan, name: str) -> None:
    plan.label = name.strip()[:PLAN_NAME_MAX]
    plan.updated_at = utcnow()
    record("plan.rename", "plan", plan.id, "Plan renamed")  # the name may be personal
    db.session.commit()


def respond_to_conversation(conversation, comment: str) -> None:
    """The practitioner acknowledges a record of their conversation, with a comment or none;
    again later, the comment is replaced and the first acknowledgement's date kept."""
    now = utcnow()
    comment = comment.strip()
    if comment != conversation.practitioner_comment:
        conversation.practitioner_comment = comment
        conversation.comment_at = now if comment else None
    conversation.acknowledged_at = conversation.acknowledged_at or now
    record(
        "conversation.respond",
        "plan",
        conversation.plan_id,
        "Practitioner acknowledged a conversation record" + (", with a comment" if comment else ""),
    )
    db.session.commit()


def owned_plan(user: User, plan_id: int) -> Plan | None:
    """A plan, only if it belongs to ``user``."""
    return db.session.scalar(sa.select(Plan).filter_by(id=plan_id, user_id=user.id))


def catalogue_item_for(framework: Framework, kind: str, training_item: str | None) -> str | None:
    """The catalogue item a plan action counts as: the one chosen, else the one its kind
    stands for (KIND_ITEMS); None when neither is in ``framework``."""
    item_id = training_item or KIND_ITEMS.get(kind)
    return item_id if item_id in framework.training else None


def add_item(
    plan: Plan,
    framework: Framework,
    *,
    kind: str,
    training_item: str | None,
    title: str | None,
    role: str | None,
    service_area: str | None,
    due: date | None,
) -> PlanItem:
    item_id = catalogue_item_for(framework, kind, training_item)
    if not title:
        title = (
            framework.training[item_id].title if item_id else kind.replace("_", " ").capitalize()
        )
    item = PlanItem(
        plan=plan,
        kind=kind,
        training_item=item_id,
        title=title,
        role=role or None,
        service_area=service_area or None,
        due=due,
    )
    db.session.add(item)
    plan.updated_at = utcnow()
    record("plan.item_add", "plan", plan.id, f"Action added ({kind})")  # no plan content
    db.session.commit()
    return item


def set_done(item: PlanItem, done: bool) -> None:
    item.status = "done" if done else "planned"
    item.done_at = utcnow() if done else None
    record(f"plan.item_{'done' if done else 'undone'}", "plan", item.plan_id, f"Action {item.id}")
    db.session.commit()


def delete_plan(plan: Plan) -> None:
    record("plan.delete", "plan", plan.id, f"Plan to {plan.target_role} deleted")
    db.session.delete(plan)
    db.session.commit()


class NoLineManager(PlanError):
    pass


def set_shared(plan: Plan, shared: bool) -> None:
    """Share a plan with the owner's line manager, or withdraw it. Withdrawing hides the plan
    and its conversations from the manager at once; nothing is deleted."""
    if shared and plan.user.line_manager_id is None:
        raise NoLineManager(
            "You have no line manager in Pathways, so there is no one to share with. "
            "Ask your administrator to record your line manager."
        )
    plan.shared_at = (plan.shared_at or utcnow()) if shared else None
    record(
        "plan.share" if shared else "plan.unshare",
        "plan",
        plan.id,
        "Shared with the line manager" if shared else "Sharing withdrawn",
    )
    db.session.commit()


def set_private_notes(plan: Plan, notes: str) -> None:
    plan.private_notes = notes
    record("plan.notes", "plan", plan.id, "Private notes changed")  # never their content
    db.session.commit()
