from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from pathways.prompts import conversation_prompts
from pathways.routes import next_step
from planner.audit import record as audit_record
from planner.extensions import db
from planner.mail import plan_title, send
from planner.models import PLAN_ITEM_KINDS, Conversation
from planner.permissions import require_role
from planner.plans.views import plan_view, plan_view_framework
from planner.team import bp
from planner.team.forms import ConversationForm, manager_ratings_form_class, rating_field
from planner.team.operations import (
    record_conversation,
    record_manager_ratings,
    shared_plan,
    team_overview,
)
from planner.team.views import conversation_ics as ics_for
from planner.team.views import conversation_pdf, conversation_record, ratings_side_by_side


@bp.get("/team")
@require_role("manager")
def team():
    from planner.team.operations import entries_to_verify

    rows, not_sharing = team_overview(current_user)
    return render_template(
        "team/team.html",
        rows=rows,
        not_sharing=not_sharing,
        framework=plan_view_framework(),
        to_verify=len(entries_to_verify(current_user)),
    )


def _shared_plan_or_404(plan_id: int):
    plan = shared_plan(current_user, plan_id)
    if plan is None:
        abort(404, description="No one in your team has shared a plan with that number.")
    return plan


def _conversation_context(plan, ratings_form=None, conversation_form=None) -> dict:
    context = plan_view(plan, for_manager=True)
    framework = context["framework"]
    person = context["person"]
    next_role = next_step(plan.route, person.current_role if person else None)
    rows = ratings_side_by_side(framework, plan.user_id, next_role)
    if ratings_form is None:
        ratings_form = manager_ratings_form_class(framework)(
            data={
                rating_field(r["slug"]): str(r["manager"]) if r["manager"] is not None else ""
                for r in rows
            }
        )
    from planner.charts import radar_chart

    needs = framework.roles[next_role].title if next_role in framework.roles else None
    radar = radar_chart(
        [r["title"] for r in rows],
        [
            (f"{plan.user.name}'s self-rating", "self", [r["self"] for r in rows]),
            ("Your rating", "manager", [r["manager"] for r in rows]),
            *([(f"{needs} asks for", "required", [r["required"] for r in rows])] if needs else []),
        ],
        framework.max_level,
    )
    return {
        **context,
        "member": plan.user,
        "next_role": next_role,
        "radar": radar,
        "ratings": rows,
        "ratings_form": ratings_form,
        "form": conversation_form or ConversationForm(framework=framework),
        "prompt_groups": conversation_prompts(),
    }


@bp.get("/team/plans/<int:plan_id>")
@require_role("manager")
def conversation(plan_id: int):
    plan = _shared_plan_or_404(plan_id)
    _record_view(plan, "Shared plan and ratings viewed by the line manager")
    return render_template("team/conversation.html", **_conversation_context(plan))


@bp.post("/team/plans/<int:plan_id>/ratings")
@require_role("manager")
def manager_ratings(plan_id: int):
    plan = _shared_plan_or_404(plan_id)
    form = manager_ratings_form_class(plan_view_framework())()
    if not form.validate_on_submit():
        context = _conversation_context(plan, ratings_form=form)
        return render_template("team/conversation.html", **context), 400
    count = record_manager_ratings(plan.user, current_user, form.levels())
    flash(
        f"Saved {count} rating{'s' if count != 1 else ''}. {plan.user.name} can see them."
        if count
        else "No ratings changed.",
        "success",
    )
    return redirect(url_for("team.conversation", plan_id=plan.id) + "#ratings")


@bp.post("/team/plans/<int:plan_id>/conversations")
@require_role("manager")
def record(plan_id: int):
    """The conversation page's one form: the manager's ratings, the record and its agreed
    actions, checked together and saved together, so nothing typed on the page is lost.
    Ratings alone (nothing written in the record) are saved without making a record."""
    plan = _shared_plan_or_404(plan_id)
    framework = plan_view_framework(plan.user)
    ratings_form = manager_ratings_form_class(plan_view_framework())()
    form = ConversationForm(framework=framework)
    ratings_ok = ratings_form.validate_on_submit()
    if not (form.validate_on_submit() and ratings_ok):
        context = _conversation_context(plan, ratings_form=ratings_form, conversation_form=form)
        return render_template("team/conversation.html", **context), 400
    if not form.has_record():
        count = record_manager_ratings(plan.user, current_user, ratings_form.levels())
        flash(
            f"Saved {count} rating{'s' if count != 1 else ''}; {plan.user.name} can see them. "
            "No conversation record was made: nothing was written in it."
            if count
            else "Nothing to save: no rating changed and nothing was written in the record.",
            "success" if count else "info",
        )
        return redirect(url_for("team.conversation", plan_id=plan.id) + "#ratings")
    actions = [
        {
            "title": (a.title.data or "").strip()
            or (
                framework.training[a.training_item.data].title
                if a.training_item.data
                else PLAN_ITEM_KINDS[a.kind.data].split(" (")[0]
            ),
            "owner": a.owner.data,
            "due": a.due.data,
            "kind": a.kind.data,
            "training_item": a.training_item.data or None,
        }
        for a in form.actions
        if a.form.filled
    ]
    rated = record_manager_ratings(plan.user, current_user, ratings_form.levels(), commit=False)
    conversation = record_conversation(  # commits the ratings with the record
        plan,
        current_user,
        held_on=form.held_on.data,
        notes=(form.notes.data or "").strip(),
        prompts=form.prompts.data or [],
        actions=actions,
        next_on=form.next_on.data,
    )
    member = plan.user
    send(
        member.email,
        "Pathways: your manager recorded a career conversation",
        "conversation_recorded",
        name=member.name,
        manager=current_user.name,
        held_on=f"{conversation.held_on.day} {conversation.held_on.strftime('%B %Y')}",
        next_on=(
            f"{conversation.next_on.day} {conversation.next_on.strftime('%B %Y')}"
            if conversation.next_on
            else None
        ),
        title=plan_title(plan),
        link=url_for(
            "plans.plan_conversation",
            plan_id=plan.id,
            conversation_id=conversation.id,
            _external=True,
        ),
    )
    flash(
        f"The conversation is recorded with {len(actions)} agreed action"
        f"{'s' if len(actions) != 1 else ''}"
        + (f", on {plan.user.name}'s plan" if actions else "")
        + (f", and {rated} rating{'s' if rated != 1 else ''} saved" if rated else "")
        + ".",
        "success",
    )
    return redirect(
        url_for("team.conversation_detail", plan_id=plan.id, conversation_id=conversation.id)
    )


def _conversation_or_404(plan, conversation_id: int) -> Conversation:
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or conversation.plan_id != plan.id:
        abort(404, description="There is no conversation with that number on this plan.")
    return conversation


@bp.get("/team/plans/<int:plan_id>/conversations/<int:conversation_id>")
@require_role("manager")
def conversation_detail(plan_id: int, conversation_id: int):
    plan = _shared_plan_or_404(plan_id)
    conversation = _conversation_or_404(plan, conversation_id)
    _record_view(plan, "Conversation record viewed by the line manager")
    return render_template(
        "team/record.html",
        **conversation_record(plan, conversation),
        viewer="manager",
        ics_link=url_for("team.conversation_ics", plan_id=plan.id, conversation_id=conversation.id),
    )


@bp.get("/team/plans/<int:plan_id>/conversations/<int:conversation_id>.ics")
@require_role("manager")
def conversation_ics(plan_id: int, conversation_id: int):
    plan = _shared_plan_or_404(plan_id)
    conversation = _conversation_or_404(plan, conversation_id)
    return ics_for(plan, conversation, with_name=plan.user.name)


@bp.get("/team/plans/<int:plan_id>/conversations/<int:conversation_id>.pdf")
@require_role("manager")
def conversation_detail_pdf(plan_id: int, conversation_id: int):
    plan = _shared_plan_or_404(plan_id)
    conversation = _conversation_or_404(plan, conversation_id)
    _record_view(plan, "Conversation record downloaded by the line manager")
    return conversation_pdf(plan, conversation)


def _record_view(plan, summary: str) -> None:
    """Someone else's reading of a person's plan or ratings goes in the audit log, so the
    person (through their administrator) can know who looked."""
    audit_record("plan.view", "plan", plan.id, summary)
    db.session.commit()


def _learning_page(forms: dict | None = None, status: int = 200):
    """Entries waiting for the manager's verification, each with its own decision form (a
    prefix per entry keeps their fields apart), and those the manager verified lately."""
    from pathways.cpl import requirements
    from planner.models import LEARNING_KINDS
    from planner.profile.forms import VerificationForm
    from planner.team.operations import entries_to_verify, entries_verified_by

    waiting = entries_to_verify(current_user)
    forms = forms or {}
    for entry in waiting:
        forms.setdefault(
            entry.id,
            VerificationForm(
                prefix=f"entry{entry.id}", formdata=None, data={"seen": entry.fingerprint}
            ),
        )
    errors = [f for f in forms.values() if f.errors]
    return render_template(
        "team/learning.html",
        waiting=waiting,
        verified=entries_verified_by(current_user),
        forms=forms,
        errors=errors,
        kinds=LEARNING_KINDS,
        cpl=requirements(),
        framework=plan_view_framework(),
    ), status


@bp.get("/team/learning")
@require_role("manager")
def learning_to_verify():
    return _learning_page()


@bp.post("/team/learning/<int:entry_id>")
@require_role("manager")
def verify_learning(entry_id: int):
    """Verify one entry a direct report asked to have verified, or return it with a note."""
    from planner.profile.forms import VerificationForm
    from planner.team.operations import decide_verification, entry_to_verify

    entry = entry_to_verify(current_user, entry_id)
    if entry is None:
        abort(
            404,
            description="No one in your team is waiting for you to verify an entry with that "
            "number. They may have withdrawn or changed it.",
        )
    form = VerificationForm(prefix=f"entry{entry.id}")
    if not form.validate_on_submit():
        return _learning_page({entry.id: form}, 400)
    if form.seen.data != entry.fingerprint:
        flash(
            f"{entry.user.name} changed “{entry.title}” while you were reading it. "
            "Nothing is saved: read it again, then decide.",
            "info",
        )
        return redirect(url_for("team.learning_to_verify") + f"#entry-{entry.id}")
    verify = form.decision.data == "verify"
    decide_verification(current_user, entry, verify, (form.note.data or "").strip())
    owner = entry.user
    flash(
        f"Verified {owner.name}'s entry: {entry.title}."
        if verify
        else f"Returned {owner.name}'s entry with your note: {entry.title}.",
        "success",
    )
    return redirect(url_for("team.learning_to_verify"))
