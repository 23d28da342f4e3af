"""The SSSC's CPL requirements that Pathways can show with their source (data/sssc_cpl.yaml):
the annual declaration and the mandatory topics, and a year's record checked against them.

The eight core learning elements for social workers are not here: see the data file for why.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml

__all__ = ["CplRequirements", "Topic", "declaration_year", "requirements", "topics_covered"]

DATA_PATH = Path(__file__).parent / "data" / "sssc_cpl.yaml"


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    url: str
    quote: str


@dataclass(frozen=True)
class CplRequirements:
    version: str
    title: str
    sources: dict[str, dict[str, str]]
    mandatory_topics: tuple[Topic, ...]

    @property
    def topic_titles(self) -> dict[str, str]:
        return {t.id: t.title for t in self.mandatory_topics}


@cache
def requirements() -> CplRequirements:
    """The requirements as shipped.

    >>> [t.id for t in requirements().mandatory_topics]
    ['trauma_informed', 'child_protection', 'adult_protection']
    """
    data = yaml.safe_load(DATA_PATH.read_text(encoding="utf-8"))
    return CplRequirements(
        version=str(data["version"]),
        title=data["title"],
        sources=data["sources"],
        mandatory_topics=tuple(Topic(**t) for t in data["mandatory_topics"]),
    )


def _anniversary(due: date, year: int) -> date:
    """The declaration date in ``year``: the same month and day, or the month's last day
    when it has fewer (29 February falls on the 28th in other years, and back on the 29th in
    leap years)."""
    return date(year, due.month, min(due.day, monthrange(year, due.month)[1]))


def declaration_year(due: date, today: date) -> tuple[date, date]:
    """The twelve months a declaration covers: from the day after the previous declaration
    to the next one due on or after ``today`` (``due`` is any declaration date, past or to
    come; the declaration falls on the same day every year).

    >>> declaration_year(date(2027, 3, 31), date(2026, 12, 3))
    (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))
    >>> declaration_year(date(2025, 3, 31), date(2026, 12, 3))
    (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))
    >>> declaration_year(date(2024, 2, 29), date(2027, 12, 1))
    (datetime.date(2027, 3, 1), datetime.date(2028, 2, 29))
    """
    end = _anniversary(due, today.year)
    if end < today:
        end = _anniversary(due, today.year + 1)
    previous = _anniversary(due, end.year - 1)
    return previous + timedelta(days=1), end


def topics_covered(
    entry_topics: Iterable[Iterable[str]], topics: Iterable[Topic]
) -> list[tuple[Topic, int]]:
    """Each mandatory topic with how many of the entries cover it (0: not yet)."""
    counts: dict[str, int] = {}
    for covered in entry_topics:
        for topic in set(covered):
            counts[topic] = counts.get(topic, 0) + 1
    return [(t, counts.get(t.id, 0)) for t in topics]
