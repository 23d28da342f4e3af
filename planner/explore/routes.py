from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from pathways.layout import layout_map
from planner.explore import bp
from planner.frameworks import framework_or_503 as _framework
from planner.permissions import public


@bp.get("/")
@public
def role_map():
    framework = _framework()
    by_track = []
    for track, title in framework.tracks:
        roles = sorted(
            (r for r in framework.roles.values() if r.track == track),
            key=lambda r: (r.stage, r.title),
        )
        if roles:
            by_track.append((title, roles))
    next_roles = {
        slug: [framework.roles[s].title for s in framework.graph.successors(slug)]
        for slug in framework.roles
    }
    return render_template(
        "explore/map.html",
        framework=framework,
        layout=layout_map(framework),
        by_track=by_track,
        stage_titles=dict(framework.stages),
        next_roles=next_roles,
    )


@bp.get("/roles/<slug>")
@public
def role_page(slug: str):
    framework = _framework()
    role = framework.roles.get(slug)
    if role is None:
        abort(404, description=f"There is no role called '{slug}'. The role map lists every role.")
    graph = framework.graph
    answers = None
    if current_user.is_authenticated and current_user.organisation_id is not None:
        from planner.catalogue.profile import answers_for_user

        answers = answers_for_user(current_user, framework)
    return render_template(
        "explore/role.html",
        framework=framework,
        role=role,
        answers=answers,
        requirements=[  # in the framework's capability order: SSSC first, then practice
            (cap, role.required[slug], framework.level(role.required[slug]))
            for slug, cap in framework.capabilities.items()
            if slug in role.required
        ],
        training=framework.training_for_role(slug),
        from_roles=[framework.roles[s] for s in graph.predecessors(slug)],
        to_roles=[(framework.roles[t.target], t) for t in framework.moves_from(slug)],
        designations=framework.designations_of(slug),
        highest_stage=max(r.stage for r in framework.roles.values()),
        stage_title=dict(framework.stages).get(role.stage, ""),
        track_title=dict(framework.tracks).get(role.track, role.track),
    )
