from __future__ import annotations

import dataclasses
import json

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from pathways.iriss import check_route
from pathways.layout import layout_map
from pathways.person import Person
from pathways.routes import ORDERS, alternative_routes, options
from planner.catalogue.operations import framework_for_user
from planner.catalogue.profile import answers_for_user
from planner.extensions import db, htmx
from planner.frameworks import current_version, framework_or_503
from planner.hardening import attachment
from planner.mail import plan_title, send
from planner.models import Conversation, Plan, PlanItem
from planner.people import person_for
from planner.permissions import public, signed_in
from planner.plans import bp
from planner.plans.forms import (
    ConversationResponseForm,
    MarkDoneForm,
    PlanNameForm,
    PrivateNotesForm,
    SavePlanForm,
    item_form_class,
)
from planner.plans.operations import (
    PlanError,
    add_item,
    delete_plan,
    owned_plan,
    rename_plan,
    respond_to_conversation,
    same_route_plan,
    save_plan,
    set_done,
    set_private_notes,
    set_shared,
)
from planner.plans.views import plan_view, plan_view_framework, route_overlay, target_chart
from planner.team.views import conversation_pdf, conversation_record
from planner.templating import route_label
from planner.viewcache import cached_view


def _planner_context(framework, person, answers, target, choice, order, public=False):
    context = {
        "framework": framework,
        "person": person,
        "answers": answers,
        "target": target,
        "order": order,
        "public": public,
        "options": options(framework, person.current_role, person),
        "error": None,
    }
    # every link on the page keeps the visitor's choices (public: the role they start from)
    base = {"area": person.target_area or None, "order": None if order == "quickest" else order}
    if public:
        base["from"] = person.current_role
    context["link"] = {"endpoint": "plans.try_planner" if public else "plans.planner", **base}
    reachable = {o.role for o in context["options"]}
    if not target:
        return context
    if target not in framework.roles:
        context["error"] = f"There is no role called '{target}'. Choose a role from the list."
        return context
    if target not in reachable:
        context["error"] = (
            f"{framework.roles[target].title} cannot be reached from "
            f"{framework.roles[person.current_role].title} in this framework."
        )
        return context
    alternatives = alternative_routes(framework, person.current_role, target, person, order=order)
    index = choice if 0 <= choice < len(alternatives) else 0
    chosen = alternatives[index]
    context.update(
        alternatives=alternatives,
        chosen=chosen,
        choice=index,
        overlay=route_overlay(chosen.route, alternatives, person.current_role),
        layout=layout_map(framework),
        checks=check_route(framework, chosen.route, person, answers),
        chart=target_chart(framework, person, target),
    )
    return context


@cached_view
def _planner_view(
    script_root: str, framework, person, answers, target: str, choice: int, order: str, public
) -> dict:
    """The planner's options or routes, rendered (no session data: see viewcache): the
    comparison of routes (``head``) and the chosen route in detail (``body``), so the save
    button, which carries the session's CSRF token, sits between them."""
    context = _planner_context(framework, person, answers, target, choice, order, public)
    context["head"] = Markup(render_template("plans/_planner_head.html", **context))
    context["body"] = Markup(render_template("plans/_planner_body.html", **context))
    return context


def _planner_args(framework, person):
    """target, route choice, order and service area from the query string, forgiving."""
    target = request.args.get("target", "").strip()
    try:
        choice = int(request.args.get("route", "0"))
    except ValueError:
        choice = 0
    order = request.args.get("order", "quickest")
    if order not in ORDERS:
        order = "quickest"
    area = request.args.get("area", "")
    if area in framework.service_areas:  # the post's service area (Iriss REC4.a2)
        person = dataclasses.replace(person, target_area=area)
    return person, target, choice, order


def _render_planner(context, template="plans/planner.html"):
    status = 400 if context["error"] else 200
    if htmx:
        return render_template("plans/_planner.html", **context), status
    return render_template(template, **context), status


@bp.get("/planner")
@signed_in
def planner():
    framework = framework_for_user(current_user)
    person = person_for(current_user, framework)
    if person is None:
        return render_template("plans/planner_start.html")
    person, target, choice, order = _planner_args(framework, person)
    answers = answers_for_user(current_user, framework)
    view = _planner_view(
        request.script_root, framework, person, answers, target, choice, order, False
    )
    chosen = view.get("chosen")
    save_form = None
    if chosen is not None:
        save_form = SavePlanForm(
            target=target,
            route=",".join(chosen.route.roles),
            label=route_label(chosen.labels),
            area=person.target_area or "",
        )
    return _render_planner({**view, "save_form": save_form})


@bp.get("/planner/try")
@public
def try_planner():
    """The planner for anyone (students, people considering social work): start from a
    chosen role, see the routes; nothing is saved and nothing personal is asked."""
    framework = framework_or_503()
    start = request.args.get("from", "").strip()
    if start not in framework.roles:
        status = 400 if start else 200
        error = (
            f"There is no role called '{start}'. Choose a role from the list." if start else None
        )
        return render_template(
            "plans/try_start.html",
            framework=framework,
            error=error,
            target=request.args.get("target", ""),
        ), status
    person, target, choice, order = _planner_args(framework, Person(start))
    view = _planner_view(request.script_root, framework, person, None, target, choice, order, True)
    return _render_planner({**view, "save_form": None})


@bp.post("/plans")
@signed_in
def create_plan():
    framework = framework_for_user(current_user)
    person = person_for(current_user, framework)
    form = SavePlanForm()
    if person is None or not form.validate_on_submit():
        abort(400, description="Choose a target role and a route before saving a plan.")
    roles = [r for r in form.route.data.split(",") if r]
    earlier = same_route_plan(current_user, form.target.data, roles)
    if earlier is not None and request.form.get("again") != "1":
        return render_template(
            "plans/already_saved.html", plan=earlier, form=form, framework=framework
        )
    try:
        plan = save_plan(
            current_user,
            framework,
            current_version().id,
            person.current_role,
            form.target.data,
            roles,
            form.label.data or "",
            form.area.data or None,
        )
    except PlanError as exc:
        abort(400, description=str(exc))
    flash("Your plan is saved. Add actions to it below.", "success")
    return redirect(url_for("plans.plan_detail", plan_id=plan.id))


@bp.get("/plans")
@signed_in
def plan_list():
    framework = framework_or_503()
    plans = db.session.scalars(
        sa.select(Plan).filter_by(user_id=current_user.id).order_by(Plan.created_at.desc())
    ).all()
    return render_template("plans/list.html", plans=plans, framework=framework)


def _plan_or_404(plan_id: int) -> Plan:
    plan = owned_plan(current_user, plan_id)
    if plan is None:
        abort(404, description="There is no plan with that number in your account.")
    return plan


def _plan_context(plan: Plan):
    return {
        **plan_view(plan),
        "item_form": item_form_class(plan_view_framework(plan.user), plan.route)(),
        "done_form": MarkDoneForm(),
        "notes_form": PrivateNotesForm(notes=plan.private_notes, revision=plan.revision),
    }


@bp.get("/plans/<int:plan_id>")
@signed_in
def plan_detail(plan_id: int):
    return render_template("plans/plan.html", **_plan_context(_plan_or_404(plan_id)))


@bp.post("/plans/<int:plan_id>/items")
@signed_in
def plan_add_item(plan_id: int):
    plan = _plan_or_404(plan_id)
    context = _plan_context(plan)
    framework = context["framework"]
    form = context["item_form"]
    if form.validate_on_submit():
        item = add_item(
            plan,
            framework,
            kind=form.kind.data,
            training_item=form.training_item.data or None,
            title=form.title.data,
            role=form.role.data,
            service_area=form.service_area.data,
            due=form.due.data,
        )
        flash(f"Added to your plan: {item.title}.", "success")
        return redirect(url_for("plans.plan_detail", plan_id=plan.id) + "#actions")
    return render_template("plans/plan.html", **context), 400


@bp.post("/plans/<int:plan_id>/items/<int:item_id>/done")
@signed_in
def plan_item_done(plan_id: int, item_id: int):
    plan = _plan_or_404(plan_id)
    item = db.session.scalar(sa.select(PlanItem).filter_by(id=item_id, plan_id=plan.id))
    if item is None or not MarkDoneForm().validate_on_submit():
        abort(404 if item is None else 400)
    set_done(item, request.form.get("done", "1") == "1")
    if htmx:
        return render_template(
            "plans/_item_row.html",
            item=item,
            plan=plan,
            framework=plan_view_framework(plan.user),
            done_form=MarkDoneForm(),
            announce=True,
            oob_progress=True,
        )
    flash(f"{'Done' if item.status == 'done' else 'Marked as not done'}: {item.title}.", "success")
    return redirect(url_for("plans.plan_detail", plan_id=plan.id) + "#actions")


@bp.route("/plans/<int:plan_id>/name", methods=["GET", "POST"])
@signed_in
def plan_rename(plan_id: int):
    plan = _plan_or_404(plan_id)
    form = PlanNameForm(name=plan.label)
    if form.validate_on_submit():
        rename_plan(plan, form.name.data)
        flash(f"The plan is now called \u201c{plan.label}\u201d.", "success")
        return redirect(url_for("plans.plan_detail", plan_id=plan.id))
    framework = plan_view_framework(plan.user)
    return render_template(
        "plans/rename.html", plan=plan, form=form, framework=framework
    ), 400 if form.errors else 200


@bp.route("/plans/<int:plan_id>/delete", methods=["GET", "POST"])
@signed_in
def plan_delete(plan_id: int):
    """GOV.UK confirmation pattern: the button on the plan opens this page, which says what
    goes and asks again; only its own "Yes, delete" (confirm=yes) deletes. No JavaScript."""
    plan = _plan_or_404(plan_id)
    form = MarkDoneForm()
    if request.method == "POST" and not form.validate_on_submit():
        abort(400)
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return render_template(
            "plans/delete.html", plan=plan, form=form, framework=plan_view_framework(plan.user)
        )
    delete_plan(plan)
    flash("The plan is deleted.", "success")
    return redirect(url_for("plans.plan_list"))


@bp.post("/plans/<int:plan_id>/share")
@signed_in
def plan_share(plan_id: int):
    plan = _plan_or_404(plan_id)
    if not MarkDoneForm().validate_on_submit():
        abort(400)
    share = request.form.get("share") == "1"
    try:
        set_shared(plan, share)
    except PlanError as exc:
        abort(400, description=str(exc))
    if share:
        manager = plan.user.line_manager
        send(
            manager.email,
            f"Pathways: {plan.user.name} shared a career plan with you",
            "plan_shared",
            name=manager.name,
            owner=plan.user.name,
            title=plan_title(plan),
            link=url_for("team.conversation", plan_id=plan.id, _external=True),
        )
        flash(
            f"Shared with {manager.name}. They can see this plan, your "
            "self-ratings and your progress, never your private notes. We have emailed them.",
            "success",
        )
    else:
        flash("Sharing withdrawn. Your line manager can no longer see this plan.", "success")
    return redirect(url_for("plans.plan_detail", plan_id=plan.id) + "#sharing")


@bp.post("/plans/<int:plan_id>/notes")
@signed_in
def plan_notes(plan_id: int):
    plan = _plan_or_404(plan_id)
    form = PrivateNotesForm()
    if not form.validate_on_submit():
        context = _plan_context(plan)
        context["notes_form"] = form
        return render_template("plans/plan.html", **context), 400
    if form.revision.data != str(plan.revision):
        # changed in another window since this page was loaded: keep both, overwrite neither
        context = _plan_context(plan)
        context["notes_form"] = form
        form.revision.data = str(plan.revision)
        context["notes_conflict"] = plan.private_notes
        return render_template("plans/plan.html", **context), 409
    set_private_notes(plan, form.notes.data or "")
    flash("Your private notes are saved.", "success")
    return redirect(url_for("plans.plan_detail", plan_id=plan.id) + "#private-notes")


def _conversation_or_404(plan: Plan, conversation_id: int) -> Conversation:
    conversation = db.session.scalar(
        sa.select(Conversation).filter_by(id=conversation_id, plan_id=plan.id)
    )
    if conversation is None:
        abort(404, description="There is no conversation with that number on this plan.")
    return conversation


@bp.get("/plans/<int:plan_id>/conversations/<int:conversation_id>")
@signed_in
def plan_conversation(plan_id: int, conversation_id: int, response_form=None):
    plan = _plan_or_404(plan_id)
    conversation = _conversation_or_404(plan, conversation_id)
    return render_template(
        "team/record.html",
        **conversation_record(plan, conversation),
        viewer="owner",
        ics_link=url_for(
            "plans.plan_conversation_ics", plan_id=plan.id, conversation_id=conversation.id
        ),
        response_form=response_form
        or ConversationResponseForm(comment=conversation.practitioner_comment),
    )


@bp.post("/plans/<int:plan_id>/conversations/<int:conversation_id>/response")
@signed_in
def plan_conversation_response(plan_id: int, conversation_id: int):
    """The practitioner's side of the record: acknowledge it, and comment if they wish."""
    plan = _plan_or_404(plan_id)
    conversation = _conversation_or_404(plan, conversation_id)
    form = ConversationResponseForm()
    if not form.validate_on_submit():
        return plan_conversation(plan_id, conversation_id, response_form=form), 400
    respond_to_conversation(conversation, form.comment.data or "")
    manager = conversation.manager.name if conversation.manager else "your line manager"
    flash(
        f"You have acknowledged the record. {manager} can see that"
        + (", and your comment." if conversation.practitioner_comment else "."),
        "success",
    )
    return redirect(
        url_for("plans.plan_conversation", plan_id=plan.id, conversation_id=conversation.id)
    )


@bp.get("/plans/<int:plan_id>/conversations/<int:conversation_id>.ics")
@signed_in
def plan_conversation_ics(plan_id: int, conversation_id: int):
    from planner.team.views import conversation_ics

    plan = _plan_or_404(plan_id)
    conversation = _conversation_or_404(plan, conversation_id)
    manager = conversation.manager
    return conversation_ics(
        plan, conversation, with_name=manager.name if manager else "your manager"
    )


@bp.get("/plans/<int:plan_id>/conversations/<int:conversation_id>.pdf")
@signed_in
def plan_conversation_pdf(plan_id: int, conversation_id: int):
    plan = _plan_or_404(plan_id)
    return conversation_pdf(plan, _conversation_or_404(plan, conversation_id))


@bp.get("/plans/<int:plan_id>.pdf")
@signed_in
def plan_pdf(plan_id: int):
    from planner.pdf import render_pdf

    context = _plan_context(_plan_or_404(plan_id))
    pdf = render_pdf("plans/plan_pdf.html", **context)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": attachment(f"pathways-plan-{plan_id}.pdf"),
        },
    )


@bp.get("/plans/<int:plan_id>.json")
@signed_in
def plan_json(plan_id: int):
    plan = _plan_or_404(plan_id)
    return Response(json.dumps(plan_as_json(plan), indent=2), mimetype="application/json")


def plan_as_json(plan: Plan) -> dict:
    return {
        "id": plan.id,
        "target_role": plan.target_role,
        "route": plan.route,
        "label": plan.label,
        "framework_version": plan.framework_version.version,
        "created_at": plan.created_at.isoformat(),
        "shared_with_line_manager_since": plan.shared_at.isoformat() if plan.shared_at else None,
        "private_notes": plan.private_notes,
        "conversations": [
            {
                "held_on": c.held_on.isoformat(),
                "manager": c.manager.name if c.manager else None,
                "notes": c.notes,
                "prompts": c.prompts,
            }
            for c in plan.conversations
        ],
        "items": [
            {
                "kind": i.kind,
                "training_item": i.training_item,
                "title": i.title,
                "role": i.role,
                "service_area": i.service_area,
                "due": i.due.isoformat() if i.due else None,
                "status": i.status,
                "owner": i.owner,
                "agreed_in_conversation": i.conversation_id is not None,
            }
            for i in plan.items
        ],
    }
