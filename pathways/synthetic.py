"""Synthetic framework documents for property tests and benchmarks.

They use the same slugs the validator insists on (``student``, ``nqsw``, ``social_worker``,
``cswo``), always pass validation, and scale to any number of roles.
"""

from __future__ import annotations

import random

__all__ = ["synthetic_document", "CAPABILITIES"]

CAPABILITIES = (
    "vision",
    "creativity",
    "self_leadership",
    "collaborating",
    "motivating",
    "empowering",
    "statutory_duties",
    "supervision_education",
    "research_evidence",
    "service_breadth",
)
_SRC = [{"cite": "synthetic test data"}]
_KINDS = ("academic", "training", "developmental", "work_based")
_MODES = (
    "course",
    "mentoring",
    "supervision",
    "network",
    "induction",
    "secondment",
    "reflection_time",
    "caseload",
    "checklist",
    "step_in",
    "qualification",
)


def _role(slug, stage, track, positional, rng):
    caps = rng.sample(CAPABILITIES, rng.randint(2, 6))
    return {
        "slug": slug,
        "title": slug.replace("_", " ").title(),
        "description": "Synthetic role.",
        "track": track,
        "stage": stage,
        "positional": positional,
        "typical_years": rng.randint(1, 5),
        "responsibilities": ["Synthetic."],
        "requirements": {c: rng.randint(1, min(5, stage + 1)) for c in caps},
        "sources": _SRC,
    }


def synthetic_document(n_roles: int = 30, seed: int = 0, cycles: bool = False) -> dict:
    """A valid framework document with ``n_roles`` roles (at least 10).

    With ``cycles``, about a third of the added roles also get a sideways move (to a role at
    the same stage) and the management roles a return move (back to an earlier
    non-management role), so the graph has cycles as real careers do. The moves forward are
    the same with or without: cycles come from a second random stream.

    >>> doc = synthetic_document(20, seed=1)
    >>> len(doc["roles"]), doc["roles"][0]["slug"]
    (20, 'student')
    """
    rng = random.Random(seed)
    n_roles = max(n_roles, 10)
    backbone = [
        ("student", 0, "practice", False),
        ("nqsw", 1, "practice", False),
        ("social_worker", 2, "practice", False),
        ("expert_a", 3, "expert", False),
        ("expert_b", 4, "expert", False),
        ("expert_c", 5, "expert", False),
        ("team_manager", 4, "management", True),
        ("service_manager", 5, "management", True),
        ("head_of_service", 6, "strategic", True),
        ("cswo", 7, "strategic", True),
    ]
    roles = [_role(slug, stage, track, pos, rng) for slug, stage, track, pos in backbone]
    edges = {
        ("student", "nqsw"),
        ("nqsw", "social_worker"),
        ("social_worker", "expert_a"),
        ("expert_a", "expert_b"),
        ("expert_b", "expert_c"),
        ("social_worker", "team_manager"),
        ("team_manager", "service_manager"),
        ("service_manager", "head_of_service"),
        ("head_of_service", "cswo"),
    }
    tracks = ["practice", "expert", "management", "strategic", "specialist"]
    for i in range(n_roles - len(backbone)):
        stage = rng.randint(2, 6)
        track = rng.choice(tracks)
        roles.append(_role(f"role_{i}", stage, track, track in ("management", "strategic"), rng))
    by_stage: dict[int, list[str]] = {}
    for r in roles:
        by_stage.setdefault(r["stage"], []).append(r["slug"])
    for r in roles[len(backbone) :]:
        earlier = [s for stage, slugs in by_stage.items() if 2 <= stage < r["stage"] for s in slugs]
        edges.add((rng.choice(earlier or ["social_worker"]), r["slug"]))
        later = [
            s
            for stage, slugs in by_stage.items()
            if r["stage"] < stage
            for s in slugs
            if s != "student"
        ]
        for target in rng.sample(later, min(len(later), rng.randint(1, 3))):
            edges.add((r["slug"], target))
    if cycles:
        back = random.Random(seed + 1)
        for r in roles[len(backbone) :]:
            if back.random() < 1 / 3:
                same = [s for s in by_stage[r["stage"]] if s != r["slug"]]
                if same:
                    edges.add((r["slug"], back.choice(same)))
        open_roles = [r for r in roles if not r["positional"] and r["stage"] >= 2]
        for r in roles:
            if r["positional"]:
                earlier = [o["slug"] for o in open_roles if o["stage"] < r["stage"]]
                if earlier and back.random() < 0.5:
                    edges.add((r["slug"], back.choice(earlier)))
    slugs = [r["slug"] for r in roles]
    training = []
    for i in range(max(8, n_roles // 2)):
        training.append(
            {
                "id": f"item_{i}",
                "title": f"Item {i}",
                "kind": rng.choice(_KINDS),
                "mode": rng.choice(_MODES),
                "capabilities": rng.sample(CAPABILITIES, rng.randint(1, 3)),
                "roles": rng.sample(slugs, rng.randint(1, 4)),
                "sw_specific": rng.random() < 0.5,
                "scope": rng.choice(("national", "local")),
                "status": rng.choice(("mandatory", "entitlement", "optional")),
                "embedded": rng.random() < 0.5,
                "duration": "1 day",
                "sources": _SRC,
            }
        )
    ids = [t["id"] for t in training]
    transitions = [
        {
            "from": a,
            "to": b,
            "typical_years": rng.randint(1, 4),
            "supports": rng.sample(ids, rng.randint(0, 2)),
            "sources": _SRC,
        }
        for a, b in sorted(edges)
    ]
    return {
        "framework": {"id": f"synthetic_{n_roles}_{seed}", "title": "Synthetic", "version": "1"},
        "documents": {},
        "scale": {
            "name": "Synthetic scale",
            "why": "Testing.",
            "sources": _SRC,
            "levels": [
                {"level": n, "label": f"L{n}", "descriptor": f"Level {n}."} for n in range(6)
            ],
        },
        "tracks": [{"slug": t, "title": t.title()} for t in tracks],
        "stages": [{"stage": s, "title": f"Stage {s}"} for s in range(8)],
        "service_areas": [
            {"slug": "children_families", "title": "Children and families", "sources": _SRC},
            {"slug": "justice", "title": "Justice", "sources": _SRC},
        ],
        "capabilities": [
            {
                "slug": c,
                "title": c.title(),
                "group": "leadership" if i < 6 else "practice",
                "sources": _SRC,
            }
            for i, c in enumerate(CAPABILITIES)
        ],
        "roles": roles,
        "transitions": transitions,
        "training": training,
    }
