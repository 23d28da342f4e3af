"""A learning record (continuous professional learning) as a CSV file: the format Pathways
downloads, read back, so a person can bring in the record they kept elsewhere.

Pure: no Flask, no database. The caller supplies the kinds of learning and the framework's
capabilities; every problem in a file is reported at once, by line and column, and nothing is
returned unless the whole file is good.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from pathways.catalogue import (
    CatalogueError,
    CatalogueProblem,
    _did_you_mean,
    _ids,
    _list,
    _row_lines,
    from_spreadsheet,
    read_csv_rows,
)

__all__ = [
    "COLUMNS",
    "LearningRow",
    "MAX_ROWS",
    "parse_learning_csv",
]

# The columns of the download (planner/profile/routes.py learning_export), in its order.
COLUMNS = (
    "date",
    "learning",
    "kind",
    "minutes",
    "capabilities",
    "sssc topics",
    "what changed",
    "evidence",
)
REQUIRED = ("date", "learning", "kind")
# Other names people give the same columns, and the export's verification columns, which an
# import reads past: an imported entry is never verified (no manager has seen it here).
ALIASES = {
    "title": "learning",
    "learned on": "date",
    "time spent": "minutes",
    "reflection": "what changed",
    "evidence link": "evidence",
    "link": "evidence",
    "topics": "sssc topics",
    "sssc mandatory topics": "sssc topics",
}
IGNORED = ("verified by", "verified on", "verification")
MAX_ROWS = 2000
MAX_LENGTHS = {"learning": 300, "what changed": 10000, "evidence": 500}
EARLIEST = date(1950, 1, 1)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")
LINK = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class LearningRow:
    """One entry read from a file."""

    line: int
    title: str
    learned_on: date
    kind: str
    minutes: int | None
    capabilities: tuple[str, ...]
    topics: tuple[str, ...]
    reflection: str
    evidence_link: str


@dataclass(frozen=True)
class _Titled:
    title: str


def _column(name: str) -> str:
    name = " ".join(name.strip().lower().replace("_", " ").split())
    return ALIASES.get(name, name)


def _date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _kind_index(kinds: Mapping[str, str]) -> dict[str, str]:
    """A kind by its id, its label, or its label's first part ('Leadership shown without a
    post' for the label with examples in brackets), in any case."""
    index: dict[str, str] = {}
    for slug, label in kinds.items():
        for name in (label, label.split(" (")[0], slug):
            index[" ".join(name.lower().replace("_", " ").split())] = slug
    return index


def _minutes(text: str) -> int | str:
    """Whole minutes, or the problem with the cell. "90.0" (as spreadsheets save) is 90."""
    try:
        value = float(text)
    except ValueError:
        return f"'{text}' is not a number of minutes; write a whole number such as 90"
    if not math.isfinite(value) or value != int(value):
        return f"'{text}' is not a whole number of minutes"
    if not 1 <= value <= 100000:
        return "write a whole number of minutes from 1 to 100000, or leave it blank"
    return int(value)


def parse_learning_csv(
    data: bytes | str,
    kinds: Mapping[str, str],
    capabilities: Mapping[str, object],
    today: date,
    topics: Mapping[str, str] | None = None,
) -> list[LearningRow]:
    """Every entry in the file, or CatalogueError listing every problem (by line, entry and
    column). Dates may be written 2026-10-14, 14/10/2026 or 14 October 2026; kinds and
    capabilities (and the SSSC mandatory ``topics``, id to title) by id or by name, in any
    case."""
    topics = topics or {}
    topic_things = {slug: _Titled(title) for slug, title in topics.items()}
    text, rows, start = read_csv_rows(data)
    header = [_column(h) for h in rows[start]]
    problems = [
        CatalogueProblem(start + 1, "header", column, "this column is missing")
        for column in REQUIRED
        if column not in header
    ]
    for column in header:
        if column and column not in COLUMNS and column not in IGNORED:
            problems.append(
                CatalogueProblem(
                    start + 1,
                    "header",
                    column,
                    f"is not a learning record column{_did_you_mean(column, COLUMNS)}; "
                    f"the columns are: {', '.join(COLUMNS)}",
                )
            )
    for column in sorted({h for h in header if h and header.count(h) > 1}):
        problems.append(CatalogueProblem(start + 1, "header", column, "appears more than once"))
    if problems:
        raise CatalogueError(problems)
    if len(rows) - start - 1 > MAX_ROWS:
        raise CatalogueError(
            [CatalogueProblem(None, "file", "rows", f"has more than {MAX_ROWS} rows; split it")]
        )
    kind_index = _kind_index(kinds)
    lines = _row_lines(text)
    entries = []
    for index in range(start + 1, len(rows)):
        row, line = rows[index], lines[index]
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, (from_spreadsheet(c).strip() for c in row), strict=False))
        title = " ".join(cells.get("learning", "").split()) or "(no title)"
        row_problems: list[CatalogueProblem] = []

        def bad(column: str, message: str, line=line, title=title, found=row_problems) -> None:
            found.append(CatalogueProblem(line, title, column, message))

        unnamed = [i + 1 for i, h in enumerate(header) if not h and i < len(row) and row[i].strip()]
        if unnamed:
            bad(
                "row",
                "has a value under a column with no name (column "
                + ", ".join(str(i) for i in unnamed)
                + "); name the column in the header row or empty it",
            )
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            bad("row", f"has {len(row)} cells but the header has {len(header)} columns")
            problems.extend(row_problems)
            continue
        if not cells.get("learning"):
            bad("learning", "is empty; say what you learned from")
        for column, most in MAX_LENGTHS.items():
            if len(cells.get(column, "")) > most:
                bad(column, f"is longer than {most} characters")
        learned_on = None
        if not cells.get("date"):
            bad("date", "is empty; write the date, such as 2026-10-14 or 14/10/2026")
        else:
            learned_on = _date(cells["date"])
            if learned_on is None:
                bad(
                    "date",
                    f"'{cells['date']}' is not a date; write it like 2026-10-14 or 14/10/2026",
                )
            elif learned_on > today:
                bad("date", f"{learned_on:%-d %B %Y} is in the future")
            elif learned_on < EARLIEST:
                bad(
                    "date",
                    f"{learned_on:%-d %B %Y} is before {EARLIEST.year}; "
                    "write the year in four digits, like 2026",
                )
        kind_text = " ".join(cells.get("kind", "").lower().replace("_", " ").split())
        kind = kind_index.get(kind_text)
        if kind is None:
            bad(
                "kind",
                (f"'{cells.get('kind')}' is not a kind of learning" if kind_text else "is empty")
                + "; use one of: "
                + "; ".join(label.split(" (")[0] for label in kinds.values()),
            )
        minutes = None
        if cells.get("minutes"):
            value = _minutes(cells["minutes"])
            if isinstance(value, str):
                bad("minutes", value)
            else:
                minutes = value
        named = _ids(_list(cells.get("capabilities", "")), capabilities)
        unknown = [c for c in named if c not in capabilities]
        for name in unknown:
            bad(
                "capabilities",
                f"'{name}' is not a capability in the framework"
                + _did_you_mean(name, capabilities),
            )
        covered = _ids(_list(cells.get("sssc topics", "")), topic_things)
        for name in (c for c in covered if c not in topics):
            bad(
                "sssc topics",
                f"'{name}' is not an SSSC mandatory topic; use one of: "
                + "; ".join(topics.values()),
            )
        link = cells.get("evidence", "")
        if link and not LINK.match(link):
            bad("evidence", "write a web address starting https://, or leave it blank")
        problems.extend(row_problems)
        if not row_problems:
            entries.append(
                LearningRow(
                    line=line,
                    title=title,
                    learned_on=learned_on,
                    kind=kind,
                    minutes=minutes,
                    capabilities=tuple(dict.fromkeys(named)),
                    topics=tuple(dict.fromkeys(covered)),
                    reflection=cells.get("what changed", "").replace("\r\n", "\n"),
                    evidence_link=link,
                )
            )
    if problems:
        raise CatalogueError(problems)
    return entries
