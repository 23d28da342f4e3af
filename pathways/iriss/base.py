"""Shared types for the Iriss checks."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "RECOMMENDATIONS",
    "Criterion",
    "IrissResult",
    "summarise",
    "STATUSES",
    "not_assessed",
]

STATUSES = ("met", "partial", "missing", "not_met", "not_assessed", "not_applicable")

# (id, short title, the recommendation's own words, from 004_552e132a3a5025c2.txt)
RECOMMENDATIONS = {
    1: (
        "Clear journey",
        "There should be a clear journey and framework outlining progression for "
        "social workers across the stages of their career",
    ),
    2: (
        "Bespoke leadership training",
        "This should have a social work focus, not generic, and it "
        "should be developed with social workers to help shape the content and delivery.",
    ),
    3: (
        "Embedded resources",
        "This needs to be embedded in the day-to-day, not be a luxury addition.",
    ),
    4: (
        "Design of leadership roles",
        "protected time for leaders to maintain a small caseload and "
        "thus a live link to direct practice",
    ),
    5: (
        "Time and influence",
        "Time and influence are key for social workers to be able to lead effectively.",
    ),
    6: (
        "National voice, evidence and innovation",
        "This cannot continue to be fragmented and locality dependent.",
    ),
    7: (
        "A clear and compelling story",
        "Consideration should be given to building a clear and "
        "compelling story of the value of social work and social work leadership",
    ),
}


@dataclass(frozen=True)
class Criterion:
    """One checkable criterion. ``passed`` is None when it does not apply, or, with
    ``assessed`` False, when it applies but nobody has given what it needs to be checked."""

    code: str  # e.g. "REC1.a3", the criterion id in docs/iriss.md
    passed: bool | None
    finding: str
    action: str = ""
    assessed: bool = True

    @property
    def state(self) -> str:
        """``pass``, ``fail``, ``not_assessed`` or ``not_applicable``."""
        if not self.assessed:
            return "not_assessed"
        if self.passed is None:
            return "not_applicable"
        return "pass" if self.passed else "fail"


def not_assessed(code: str, finding: str, action: str = "") -> Criterion:
    """A criterion that applies but cannot be checked yet (for example until the
    organisation answers): it keeps its recommendation from being met."""
    return Criterion(code, None, finding, action, assessed=False)


@dataclass(frozen=True)
class IrissResult:
    id: int
    title: str
    status: str
    findings: tuple[str, ...]
    actions: tuple[str, ...]
    criteria: tuple[Criterion, ...]

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "findings": list(self.findings),
            "actions": list(self.actions),
            "criteria": [
                {"code": c.code, "passed": c.passed, "state": c.state} for c in self.criteria
            ],
        }


def summarise(rec_id: int, criteria: list[Criterion]) -> IrissResult:
    """Combine criteria into one result: all passed -> met, none -> missing, else partial.
    A recommendation is never met while any criterion is not assessed, and never reported as
    settled either: with nothing assessed it is ``not_assessed``; with every assessed
    criterion failed but some not assessed, ``not_met`` (not met so far: the answers still
    missing could make it partly met), not ``missing``.

    >>> summarise(1, [Criterion("REC1.a1", True, "ok"), Criterion("REC1.a2", False, "no", "fix")]).status
    'partial'
    >>> summarise(4, [Criterion("REC4.a1", None, "n/a")]).status
    'not_applicable'
    >>> summarise(5, [Criterion("REC5.b4", True, "ok"), not_assessed("REC5.b2", "?")]).status
    'partial'
    >>> summarise(5, [not_assessed("REC5.b2", "?")]).status
    'not_assessed'
    >>> summarise(5, [Criterion("REC5.b4", False, "no", "do"), not_assessed("REC5.b2", "?")]).status
    'not_met'
    """
    assessed = [c for c in criteria if c.assessed and c.passed is not None]
    unknown = [c for c in criteria if not c.assessed]
    if not assessed:
        status = "not_assessed" if unknown else "not_applicable"
    elif all(c.passed for c in assessed):
        status = "partial" if unknown else "met"
    elif any(c.passed for c in assessed):
        status = "partial"
    else:
        status = "not_met" if unknown else "missing"
    actions = tuple(
        dict.fromkeys(
            c.action for c in criteria if c.action and (not c.assessed or c.passed is False)
        )
    )
    return IrissResult(
        rec_id,
        RECOMMENDATIONS[rec_id][0],
        status,
        tuple(c.finding for c in criteria),
        actions,
        tuple(criteria),
    )
