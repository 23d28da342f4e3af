"""Stable JSON shapes for the CLI (and later the API). Documented in docs/cli.md."""

from __future__ import annotations

from pathways.iriss import IrissResult
from pathways.model import Framework, Role, TrainingItem
from pathways.routes import Route

__all__ = ["role_summary_json", "role_detail_json", "training_json", "route_json", "iriss_json"]


def role_summary_json(role: Role) -> dict:
    return {
        "slug": role.slug,
        "title": role.title,
        "track": role.track,
        "stage": role.stage,
        "positional": role.positional,
    }


def training_json(item: TrainingItem) -> dict:
    return {
        "id": item.id,
        "title": item.title,
        "sw_specific": item.sw_specific,
        "kind": item.kind,
        "mode": item.mode,
        "scope": item.scope,
        "status": item.status,
        "embedded": item.embedded,
        "duration": item.duration,
    }


def role_detail_json(framework: Framework, role: Role) -> dict:
    graph = framework.graph
    return {
        **role_summary_json(role),
        "description": role.description,
        "typical_years": role.typical_years,
        "responsibilities": list(role.responsibilities),
        "requirements": dict(role.requirements),
        "duties": [
            {"duty": d.duty, "sources": [s.as_json() for s in d.sources]} for d in role.duties
        ],
        "training": [training_json(i) for i in framework.training_for_role(role.slug)],
        "training_gap": role.training_gap,
        "from": sorted(graph.predecessors(role.slug)),
        "to": sorted(graph.successors(role.slug)),
        "sources": [s.as_json() for s in role.sources],
    }


def route_json(framework: Framework, route: Route) -> dict:
    return {
        "roles": list(route.roles),
        "years": route.years,
        "gap_count": route.gap_count,  # distinct capabilities to develop, each counted once
        "levels_to_gain": route.levels_to_gain,
        "capabilities_to_develop": [
            {"capability": g.capability, "required": g.required, "held": g.held}
            for g in route.to_develop
        ],
        "line_management": list(route.management),
        "steps": [
            {
                "from": step.source,
                "to": step.target,
                "years": step.years,
                "gaps": [
                    {"capability": g.capability, "required": g.required, "held": g.held}
                    for g in step.gaps
                ],
                "unmet_prerequisites": [
                    {
                        "prerequisite": u.description,
                        "detail": u.detail,
                        "strength": u.prerequisite.strength,
                    }
                    for u in step.unmet
                ],
                "training": [
                    {**training_json(r.item), "covers": list(r.covers)} for r in step.training
                ],
                "catalogue_gaps": list(step.catalogue_gaps),
                "supports": list(step.supports),
            }
            for step in route.steps
        ],
    }


def iriss_json(results: list[IrissResult]) -> list[dict]:
    return [r.as_json() for r in results]
