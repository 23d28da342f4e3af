from __future__ import annotations

from datetime import date

import jsonschema
import sqlalchemy as sa
from flask import current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from pathways.errors import PathwaysError
from pathways.routes import find_routes
from pathways.serialize import role_detail_json, role_summary_json, route_json
from planner.api import bp
from planner.api.openapi import ITEM_IN, ITEM_PATCH, RATING_IN, openapi_document
from planner.catalogue.operations import framework_for_user
from planner.extensions import csrf, db
from planner.models import Plan, PlanItem
from planner.people import latest_ratings, person_for
from planner.permissions import api_token, public
from planner.viewcache import cached_view

csrf.exempt(bp)  # no cookies here: a bearer token cannot be sent by another site's form


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None):
        self.status, self.message, self.field = status, message, field


def error_response(status: int, message: str, field: str | None = None):
    response = jsonify({"error": {"status": status, "message": message, "field": field}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="pathways"'
    return response


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error_response(error.status, error.message, error.field)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return error_response(error.code or 500, error.description or error.name)


def _body(schema: dict) -> dict:
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "Send a JSON object with Content-Type: application/json")
    error = jsonschema.exceptions.best_match(jsonschema.Draft7Validator(schema).iter_errors(data))
    if error is not None:
        field = ".".join(str(p) for p in error.absolute_path) or None
        if error.validator == "additionalProperties":
            field = None
        raise ApiError(400, error.message, field)
    return data


@bp.get("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document())


@bp.get("/framework")
@api_token()
def framework():
    fw = framework_for_user(g.api_user)
    return jsonify(
        {
            "id": fw.id,
            "title": fw.title,
            "version": fw.version,
            "capabilities": [
                {"slug": c.slug, "title": c.title, "group": c.group}
                for c in fw.capabilities.values()
            ],
            "levels": [{"level": lv.level, "label": lv.label} for lv in fw.levels],
            "tracks": [{"slug": s, "title": t} for s, t in fw.tracks],
            "stages": [{"stage": s, "title": t} for s, t in fw.stages],
        }
    )


@bp.get("/roles")
@api_token()
def roles():
    fw = framework_for_user(g.api_user)
    return jsonify([role_summary_json(r) for r in fw.roles.values()])


@bp.get("/roles/<slug>")
@api_token()
def role(slug: str):
    fw = framework_for_user(g.api_user)
    if slug not in fw.roles:
        raise ApiError(404, f"There is no role '{slug}'", "slug")
    return jsonify(role_detail_json(fw, fw.roles[slug]))


@bp.get("/routes")
@api_token()
def routes():
    fw = framework_for_user(g.api_user)
    person = person_for(g.api_user, fw)
    target = request.args.get("to", "")
    source = request.args.get("from") or (person.current_role if person else "")
    try:
        k = int(request.args.get("k", "3"))
    except ValueError:
        raise ApiError(400, "k must be a whole number from 1 to 5", "k") from None
    if not 1 <= k <= 5:
        raise ApiError(400, "k must be a whole number from 1 to 5", "k")
    if not source:
        raise ApiError(400, "Give 'from', or set your current role in your profile", "from")
    for name, slug in (("from", source), ("to", target)):
        if slug not in fw.roles:
            raise ApiError(404, f"There is no role '{slug}'", name)
    try:
        body = _routes_json(fw, source, target, k, person)
    except PathwaysError as exc:
        raise ApiError(422, str(exc), "to") from None
    return current_app.response_class(body, mimetype="application/json")


@cached_view
def _routes_json(framework, source: str, target: str, k: int, person) -> str:
    found = find_routes(framework, source, target, person, k=k)
    return current_app.json.dumps([route_json(framework, r) for r in found]) + "\n"


@bp.get("/me/ratings")
@api_token()
def my_ratings():
    return jsonify({c: r.level for c, r in latest_ratings(g.api_user.id).items()})


@bp.post("/me/ratings")
@api_token()
def add_rating():
    from planner.profile.operations import record_rating

    data = _body(RATING_IN)
    fw = framework_for_user(g.api_user)
    if data["capability"] not in fw.capabilities:
        raise ApiError(400, f"There is no capability '{data['capability']}'", "capability")
    if data["level"] > fw.max_level:
        raise ApiError(400, f"level must be from 0 to {fw.max_level}", "level")
    record_rating(g.api_user, data["capability"], data["level"], rated_by=g.api_user)
    response = jsonify({c: r.level for c, r in latest_ratings(g.api_user.id).items()})
    response.status_code = 201
    return response


def _item_json(item: PlanItem) -> dict:
    return {
        "id": item.id,
        "kind": item.kind,
        "training_item": item.training_item,
        "title": item.title,
        "role": item.role,
        "due": item.due.isoformat() if item.due else None,
        "status": item.status,
        "owner": item.owner,
    }


def _plan_json(plan: Plan) -> dict:
    return {
        "id": plan.id,
        "target_role": plan.target_role,
        "route": plan.route,
        "framework_version": plan.framework_version.version,
        "shared": plan.shared,
        "items": [_item_json(i) for i in plan.items],
    }


@bp.get("/me/plans")
@api_token()
def my_plans():
    plans = db.session.scalars(
        sa.select(Plan).filter_by(user_id=g.api_user.id).order_by(Plan.id)
    ).all()
    return jsonify([_plan_json(p) for p in plans])


def _my_plan(plan_id: int) -> Plan:
    plan = db.session.scalar(sa.select(Plan).filter_by(id=plan_id, user_id=g.api_user.id))
    if plan is None:
        raise ApiError(404, "You have no plan with that number", "plan_id")
    return plan


@bp.post("/me/plans/<int:plan_id>/items")
@api_token()
def add_plan_item(plan_id: int):
    from planner.plans.operations import add_item

    plan = _my_plan(plan_id)
    data = _body(ITEM_IN)
    fw = framework_for_user(g.api_user)
    training_item = data.get("training_item") or None
    if training_item and training_item not in fw.training:
        raise ApiError(400, f"There is no training item '{training_item}'", "training_item")
    role = data.get("role") or None
    if role and role not in plan.route[1:]:
        raise ApiError(400, f"'{role}' is not a step of this plan", "role")
    kind = data.get("kind", "training")
    title = (data.get("title") or "").strip()
    if not title and not training_item and kind not in ("mentoring", "secondment", "reflection"):
        raise ApiError(400, "Give a title or a training_item", "title")
    due = None
    if data.get("due"):
        try:
            due = date.fromisoformat(data["due"])
        except ValueError:
            raise ApiError(400, "due must be a date like 2027-03-31", "due") from None
    item = add_item(
        plan,
        fw,
        kind=kind,
        training_item=training_item,
        title=title or None,
        role=role,
        service_area=None,
        due=due,
    )
    response = jsonify(_item_json(item))
    response.status_code = 201
    return response


@bp.patch("/me/plans/<int:plan_id>/items/<int:item_id>")
@api_token()
def update_plan_item(plan_id: int, item_id: int):
    from planner.plans.operations import set_done

    plan = _my_plan(plan_id)
    item = db.session.scalar(sa.select(PlanItem).filter_by(id=item_id, plan_id=plan.id))
    if item is None:
        raise ApiError(404, "This plan has no action with that number", "item_id")
    data = _body(ITEM_PATCH)
    set_done(item, data["status"] == "done")
    return jsonify(_item_json(item))


def _grid_json(grid) -> dict:
    return {
        "columns": list(grid.columns),
        "rows": [
            {"label": label, "size": size, "figures": [f.value for f in figures]}
            for label, size, figures in grid.rows
        ],
        "total": [f.value for f in grid.total] if grid.total else None,
    }


@bp.get("/insight")
@api_token("ld", "admin")
def insight():
    from pathways.insight import MIN_GROUP
    from planner.insight import organisation_insight

    user = g.api_user
    if user.organisation_id is None:
        raise ApiError(403, "This account is not part of an organisation")
    fw = framework_for_user(user)
    result = organisation_insight(fw, user.organisation_id)
    return jsonify(
        {
            "staff": result.staff if result.staff >= MIN_GROUP else None,
            "current_gaps": _grid_json(result.current_gaps),
            "next_gaps": _grid_json(result.next_gaps),
            "progression": _grid_json(result.progression),
            "demand": [
                {"item": item, "plans": plans.value, "people": people.value}
                for item, plans, people in result.demand
            ],
        }
    )
