"""The person profile: where someone is, what they hold and what they want.

A profile is a JSON object (documented in ``docs/profile.md``)::

    {"current_role": "social_worker", "years_qualified": 4,
     "service_areas": {"children_families": 4},
     "ratings": {"self_leadership": 3, "statutory_duties": 3},
     "completed_training": ["qualifying_degree"],
     "preferences": {"line_management": false},
     "plan_items": [{"item": "mentoring_senior_leaders", "role": "senior_practitioner",
                     "status": "planned", "due": "2027-06-30"}]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jsonschema

from pathways.errors import ProfileError, nearest
from pathways.model import Framework

__all__ = ["Person", "PlanItem", "parse_profile", "load_profile", "person_to_json"]


@dataclass(frozen=True)
class PlanItem:
    item: str
    role: str | None = None
    status: str = "planned"
    due: str | None = None
    service_area: str | None = None


@dataclass(frozen=True)
class Person:
    current_role: str
    years_qualified: float = 0
    registered: bool = True
    service_areas: tuple[tuple[str, float], ...] = ()
    ratings: tuple[tuple[str, int], ...] = ()
    completed_training: frozenset[str] = frozenset()
    line_management: bool = True
    extra_hours_per_week: float | None = None
    plan_items: tuple[PlanItem, ...] = field(default=())
    target_area: str | None = None  # the service area of the post aimed for, if known
    # Leadership shown without a post, from the person's learning record (titles): the Iriss
    # report asks that it be recorded and recognised (REC7).
    leadership_shown: tuple[str, ...] = ()

    @property
    def levels(self) -> dict[str, int]:
        return dict(self.ratings)

    def level(self, capability: str) -> int:
        return self.levels.get(capability, 0)

    @property
    def held_items(self) -> frozenset[str]:
        """Training completed, or marked done on the plan."""
        return self.completed_training | {p.item for p in self.plan_items if p.status == "done"}

    @property
    def areas_experienced(self) -> frozenset[str]:
        """Service areas worked in, plus those covered by secondments on the plan."""
        areas = {slug for slug, years in self.service_areas if years > 0}
        areas |= {p.service_area for p in self.plan_items if p.service_area}
        return frozenset(areas)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((Path(__file__).parent / "schema" / "profile.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _field(path) -> str:
    return "profile" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _check(value, valid, where, kind):
    if value not in valid:
        guess = nearest(value, valid)
        hint = f"; did you mean '{guess}'?" if guess else f"; valid: {', '.join(sorted(valid))}"
        raise ProfileError(f"{where}: unknown {kind} '{value}'{hint}")


def parse_profile(data, framework: Framework) -> Person:
    """Validate a profile (already decoded from JSON) against the schema and the framework.

    >>> from pathways.loader import default_framework
    >>> parse_profile({"current_role": "nqsw", "ratings": {"vision": 2}}, default_framework()).level("vision")
    2
    >>> parse_profile({"current_role": "nqws"}, default_framework())
    Traceback (most recent call last):
    ...
    pathways.errors.ProfileError: profile.current_role: unknown role 'nqws'; did you mean 'nqsw'?
    """
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        first = errors[0]
        message = first.message.replace("Additional properties are not allowed", "unknown field")
        raise ProfileError(f"{_field(first.absolute_path)}: {message}")
    _check(data["current_role"], framework.roles, "profile.current_role", "role")
    for slug in data.get("service_areas", {}):
        _check(slug, framework.service_areas, f"profile.service_areas.{slug}", "service area")
    top = framework.max_level
    for slug, level in data.get("ratings", {}).items():
        _check(slug, framework.capabilities, f"profile.ratings.{slug}", "capability")
        if not 0 <= level <= top:
            raise ProfileError(
                f"profile.ratings.{slug}: level {level} is not on the scale (0 to {top})"
            )
    for i, item in enumerate(data.get("completed_training", [])):
        _check(item, framework.training, f"profile.completed_training[{i}]", "training item")
    plan = []
    for i, entry in enumerate(data.get("plan_items", [])):
        _check(entry["item"], framework.training, f"profile.plan_items[{i}].item", "training item")
        if "role" in entry:
            _check(entry["role"], framework.roles, f"profile.plan_items[{i}].role", "role")
        if "service_area" in entry:
            _check(
                entry["service_area"],
                framework.service_areas,
                f"profile.plan_items[{i}].service_area",
                "service area",
            )
        plan.append(
            PlanItem(
                entry["item"],
                entry.get("role"),
                entry.get("status", "planned"),
                entry.get("due"),
                entry.get("service_area"),
            )
        )
    prefs = data.get("preferences", {})
    role = data["current_role"]
    return Person(
        current_role=role,
        years_qualified=data.get("years_qualified", 0),
        registered=data.get("registered", role != "student"),
        service_areas=tuple(sorted(data.get("service_areas", {}).items())),
        ratings=tuple(sorted(data.get("ratings", {}).items())),
        completed_training=frozenset(data.get("completed_training", ())),
        line_management=prefs.get("line_management", True),
        extra_hours_per_week=prefs.get("extra_hours_per_week"),
        plan_items=tuple(plan),
    )


def load_profile(path: str | Path, framework: Framework) -> Person:
    """Read a profile JSON file; every failure is a ProfileError naming the file."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ProfileError(f"{path}: cannot be read: {reason}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProfileError(f"{path}: line {exc.lineno}: not valid JSON: {exc.msg}") from None
    try:
        return parse_profile(data, framework)
    except ProfileError as exc:
        raise ProfileError(f"{path}: {exc}") from None


def person_to_json(person: Person) -> dict:
    """The profile format again, so a Person round-trips through JSON."""
    plan = []
    for p in person.plan_items:
        entry = {"item": p.item, "status": p.status}
        entry.update(
            {
                k: v
                for k, v in (("role", p.role), ("due", p.due), ("service_area", p.service_area))
                if v
            }
        )
        plan.append(entry)
    prefs = {"line_management": person.line_management}
    if person.extra_hours_per_week is not None:
        prefs["extra_hours_per_week"] = person.extra_hours_per_week
    return {
        "current_role": person.current_role,
        "years_qualified": person.years_qualified,
        "registered": person.registered,
        "service_areas": dict(person.service_areas),
        "ratings": dict(person.ratings),
        "completed_training": sorted(person.completed_training),
        "preferences": prefs,
        "plan_items": plan,
    }
