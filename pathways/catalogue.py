"""An organisation's local training catalogue: checking items, CSV import and export, and
the framework as one organisation sees it (national items plus its own local ones).

CSV is what learning and development teams keep their catalogues in, so the importer takes
what spreadsheets really write: a byte-order mark, Windows line endings, Windows-1252 text,
Excel's quoting, blank rows at the end, stray spaces around values. The whole file is
checked before anything is used; every problem names its line and column.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pathways.errors import PathwaysError, nearest
from pathways.model import KINDS, STATUSES, Framework, TrainingItem

__all__ = [
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "MODES",
    "CatalogueProblem",
    "CatalogueError",
    "item_problems",
    "make_item",
    "parse_catalogue_csv",
    "catalogue_csv",
    "catalogue_json",
    "with_local_training",
]

# Export order; import accepts the columns in any order.
COLUMNS = (
    "id",
    "title",
    "kind",
    "mode",
    "capabilities",
    "roles",
    "sw_specific",
    "status",
    "embedded",
    "duration",
    "provider",
    "cost",
    "link",
    "notes",
)
REQUIRED_COLUMNS = ("id", "title", "kind", "mode", "capabilities", "roles", "duration")
LIST_SEPARATOR = ";"
TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0"}
SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_LENGTHS = {"id": 64, "title": 300, "duration": 100, "provider": 200, "cost": 100, "link": 500}
MAX_ROWS = 5000
# The optional "catalogue" column of a whole-catalogue export says where each item lives.
FRAMEWORK, ORGANISATION = "framework", "organisation"


@cache
def _training_schema() -> dict:
    schema = json.loads((Path(__file__).parent / "schema" / "framework.schema.json").read_text())
    return schema["properties"]["training"]["items"]["properties"]


MODES: tuple[str, ...] = tuple(_training_schema()["mode"]["enum"])


@dataclass(frozen=True)
class CatalogueProblem:
    """One thing wrong with one item: where (line, for a file), which item and field, what."""

    line: int | None
    item: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.item}: {self.field}: {self.message}"


class CatalogueError(PathwaysError):
    def __init__(self, problems: Iterable[CatalogueProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _did_you_mean(value: str, valid: Iterable[str]) -> str:
    guess = nearest(value, valid)
    return f" (did you mean '{guess}'?)" if guess else ""


def _choice(value: str, valid: Iterable[str], what: str) -> str | None:
    valid = list(valid)
    if value in valid:
        return None
    return f"'{value}' is not a {what}; use one of: {', '.join(valid)}{_did_you_mean(value, valid)}"


def item_problems(
    fields: Mapping[str, object],
    framework: Framework,
    *,
    line: int | None = None,
    taken: Iterable[str] = (),
) -> list[CatalogueProblem]:
    """Everything wrong with one local item given as plain values (lists for capabilities
    and roles, booleans for the two flags). ``taken`` holds ids that may not be reused."""
    name = str(fields.get("id") or "(no id)")
    problems: list[CatalogueProblem] = []

    def bad(field: str, message: str) -> None:
        problems.append(CatalogueProblem(line, name, field, message))

    item_id = str(fields.get("id") or "")
    if not item_id:
        bad("id", "is empty; give the item a short id such as 'local_supervision_course'")
    elif not SLUG.match(item_id):
        bad(
            "id",
            f"'{item_id}' must start with a lower-case letter and use only a-z, 0-9 and _",
        )
    elif item_id in framework.training:
        bad("id", f"'{item_id}' is a national item in the framework; choose another id")
    elif item_id in set(taken):
        bad("id", f"'{item_id}' is used by another item")
    for field in ("title", "duration"):
        if not str(fields.get(field) or "").strip():
            bad(field, "is empty")
    for field, limit in MAX_LENGTHS.items():
        if len(str(fields.get(field) or "")) > limit:
            bad(field, f"is longer than {limit} characters")
    for field, valid, what in (
        ("kind", KINDS, "kind"),
        ("mode", MODES, "mode"),
        ("status", STATUSES, "status"),
    ):
        message = _choice(str(fields.get(field) or ""), valid, what)
        if message:
            bad(field, message)
    for field, valid, what in (
        ("capabilities", framework.capabilities, "capability"),
        ("roles", framework.roles, "role"),
    ):
        values = list(fields.get(field) or ())
        if not values:
            bad(field, f"name at least one {what}, separated by '{LIST_SEPARATOR}'")
        for value in values:
            if value not in valid:
                bad(field, f"there is no {what} '{value}'{_did_you_mean(value, valid)}")
    for field in ("sw_specific", "embedded"):
        if not isinstance(fields.get(field), bool):
            bad(field, f"'{fields.get(field)}' is not yes or no")
    link = str(fields.get("link") or "")
    if link and not re.match(r"^https?://\S+$", link):
        bad("link", f"'{link}' is not a web address starting http:// or https://")
    return problems


def make_item(fields: Mapping[str, object]) -> TrainingItem:
    """A checked set of fields (see :func:`item_problems`) as a local TrainingItem."""
    return TrainingItem(
        id=str(fields["id"]),
        title=str(fields["title"]).strip(),
        kind=str(fields["kind"]),
        mode=str(fields["mode"]),
        capabilities=tuple(fields["capabilities"]),
        roles=tuple(fields["roles"]),
        sw_specific=bool(fields["sw_specific"]),
        scope="local",
        status=str(fields["status"]),
        embedded=bool(fields["embedded"]),
        duration=str(fields["duration"]).strip(),
        provider=str(fields.get("provider") or "").strip(),
        notes=str(fields.get("notes") or "").strip(),
        cost=str(fields.get("cost") or "").strip(),
        link=str(fields.get("link") or "").strip(),
    )


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the Windows code page, not UTF-8.
        return data.decode("cp1252", errors="replace")


def _flag(value: str, default: bool) -> bool | str:
    text = value.strip().lower()
    if not text:
        return default
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return value


def _list(value: str) -> list[str]:
    parts = re.split(r"[;|\n]", value)
    return [p.strip() for p in parts if p.strip()]


def _ids(values: list[str], things: Mapping[str, object]) -> list[str]:
    """Capabilities or roles named by id or by title, in any case ("Legal and statutory
    duties" is 'statutory_duties'); a value that is neither stays as it is, to be reported."""
    index = {slug.lower(): slug for slug in things}  # ids first: a title never hides one
    titles: dict[str, set[str]] = {}
    for slug, thing in things.items():
        titles.setdefault(" ".join(str(getattr(thing, "title", slug)).lower().split()), set()).add(
            slug
        )
    for title, slugs in titles.items():
        if title not in index and len(slugs) == 1:  # a title two things share names neither
            index[title] = next(iter(slugs))
    return [index.get(" ".join(v.lower().split()), v) for v in values]


def _word(value: str) -> str:
    """A kind, mode or status as written by hand: 'Work based' is 'work_based'."""
    return re.sub(r"[\s-]+", "_", value.strip().lower())


def read_csv_rows(data: bytes | str) -> tuple[str, list[list[str]], int]:
    """A CSV file's text, its rows and the index of its header (the first row with any
    text), or CatalogueError if it is not readable CSV or holds nothing."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise CatalogueError(
            [CatalogueProblem(reader.line_num, "file", "csv", f"is not readable CSV: {exc}")]
        ) from None
    header_index = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if header_index is None:
        raise CatalogueError(
            [CatalogueProblem(None, "file", "header", "the file is empty; add a header row")]
        )
    return text, rows, header_index


def parse_catalogue_csv(
    data: bytes | str, framework: Framework, taken: Iterable[str] = ()
) -> list[TrainingItem]:
    """Every item in a CSV file, or CatalogueError listing every problem in it (nothing is
    returned unless the whole file is good). ``taken`` are ids already used that the file
    may not reuse (rows whose id is an existing local item update it; pass ``()`` then)."""
    text, rows, header_index = read_csv_rows(data)
    header = [h.strip().lower().replace(" ", "_") for h in rows[header_index]]
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in (*COLUMNS, "catalogue")]
    for column in missing:
        problems.append(
            CatalogueProblem(header_index + 1, "header", column, "this column is missing")
        )
    for column in unknown:
        problems.append(
            CatalogueProblem(
                header_index + 1,
                "header",
                column,
                f"is not a catalogue column{_did_you_mean(column, COLUMNS)}; "
                f"the columns are: {', '.join(COLUMNS)}",
            )
        )
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    for column in duplicated:
        problems.append(
            CatalogueProblem(header_index + 1, "header", column, "appears more than once")
        )
    if problems:
        raise CatalogueError(problems)
    items, seen = [], set(taken)
    if len(rows) - header_index - 1 > MAX_ROWS:
        raise CatalogueError(
            [CatalogueProblem(None, "file", "rows", f"has more than {MAX_ROWS} rows; split it")]
        )
    # A quoted cell may span several lines, so a record's line is where it starts.
    lines = _row_lines(text)
    for index in range(header_index + 1, len(rows)):
        row, line = rows[index], lines[index]
        if not any(cell.strip() for cell in row):
            continue  # blank rows, including the ones spreadsheets leave at the end
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            problems.append(
                CatalogueProblem(
                    line,
                    row[0].strip() or "(no id)",
                    "row",
                    f"has {len(row)} cells but the header has {len(header)} columns",
                )
            )
            continue
        cells = dict(zip(header, (from_spreadsheet(c.strip()) for c in row), strict=False))
        if cells.get("catalogue", "").lower() not in ("", ORGANISATION):
            problems.append(
                CatalogueProblem(
                    line,
                    cells.get("id") or "(no id)",
                    "catalogue",
                    "items from the framework cannot be imported; remove this row, "
                    f"or set its catalogue to {ORGANISATION} for an item of your own",
                )
            )
            continue
        fields = {
            **cells,
            **{f: _word(cells[f]) for f in ("kind", "mode") if cells.get(f)},
            "capabilities": _ids(_list(cells.get("capabilities", "")), framework.capabilities),
            "roles": _ids(_list(cells.get("roles", "")), framework.roles),
            "sw_specific": _flag(cells.get("sw_specific", ""), True),
            "embedded": _flag(cells.get("embedded", ""), False),
            "status": _word(cells.get("status") or "") or "optional",
        }
        row_problems = item_problems(fields, framework, line=line, taken=seen)
        problems.extend(row_problems)
        if cells.get("id"):
            seen.add(cells["id"])
        if not row_problems:
            items.append(make_item(fields))
    if problems:
        raise CatalogueError(problems)
    return items


def _row_lines(text: str) -> list[int]:
    """The physical line each CSV record starts on (records may span lines inside quotes)."""
    starts, reader = [], csv.reader(io.StringIO(text, newline=""))
    line = 1
    for _ in reader:
        starts.append(line)
        line = reader.line_num + 1
    return starts


def _item_row(item: TrainingItem) -> dict[str, str]:
    return {
        "id": item.id,
        "title": item.title,
        "kind": item.kind,
        "mode": item.mode,
        "capabilities": f"{LIST_SEPARATOR} ".join(item.capabilities),
        "roles": f"{LIST_SEPARATOR} ".join(item.roles),
        "sw_specific": "yes" if item.sw_specific else "no",
        "status": item.status,
        "embedded": "yes" if item.embedded else "no",
        "duration": item.duration,
        "provider": item.provider,
        "cost": item.cost,
        "link": item.link,
        "notes": item.notes,
    }


# A spreadsheet runs a cell that begins with one of these as a formula (OWASP, "CSV
# Injection"): =HYPERLINK(...) in a title would open a link, or worse, on a click.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _needs_apostrophe(cell: str) -> bool:
    return cell.startswith(FORMULA_START) or (
        cell.startswith("'") and cell[1:2] != "" and cell[1:].startswith((*FORMULA_START, "'"))
    )


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet shows as text: a leading apostrophe before anything it would run
    as a formula (and before an apostrophe that would otherwise be taken for this one).
    ``from_spreadsheet`` takes it off again, so export then import changes nothing.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("-1"), spreadsheet_safe("Ok")
    ("'=HYPERLINK(1)", "'-1", 'Ok')
    >>> all(from_spreadsheet(spreadsheet_safe(s)) == s for s in ("=1", "'=1", "''", "'Tis", "a"))
    True
    """
    return "'" + cell if _needs_apostrophe(cell) else cell


def from_spreadsheet(cell: str) -> str:
    """The cell as written before ``spreadsheet_safe``."""
    return cell[1:] if cell.startswith("'") and _needs_apostrophe(cell[1:]) else cell


def catalogue_csv(
    items: Iterable[TrainingItem], catalogues: Mapping[str, str] | None = None
) -> str:
    """Items as CSV in the importer's format (Windows line endings, as Excel expects).
    ``catalogues`` (item id to "framework" or "organisation") adds a "catalogue" column, for
    a whole-catalogue export; the importer accepts it and skips nothing silently."""
    out = io.StringIO()
    columns = (*COLUMNS, "catalogue") if catalogues is not None else COLUMNS
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for item in items:
        row = _item_row(item)
        if catalogues is not None:
            row["catalogue"] = catalogues.get(item.id, ORGANISATION)
        writer.writerow({column: spreadsheet_safe(cell) for column, cell in row.items()})
    return out.getvalue()


def catalogue_json(
    items: Iterable[TrainingItem], catalogues: Mapping[str, str] | None = None
) -> list[dict]:
    return [
        {
            **_item_row(item),
            "capabilities": list(item.capabilities),
            "roles": list(item.roles),
            "sw_specific": item.sw_specific,
            "embedded": item.embedded,
            "scope": item.scope,
            "evidence": item.evidence,
            "catalogue": (catalogues or {}).get(item.id, ORGANISATION),
        }
        for item in items
    ]


@lru_cache(maxsize=64)
def with_local_training(framework: Framework, local: tuple[TrainingItem, ...]) -> Framework:
    """The framework as one organisation sees it: its national items and, after them, the
    organisation's own. Cached on the items, so an unchanged catalogue costs nothing.

    >>> from pathways.loader import default_framework
    >>> fw = default_framework()
    >>> item = dataclasses.replace(next(iter(fw.training.values())), id="ours", scope="local")
    >>> merged = with_local_training(fw, (item,))
    >>> "ours" in merged.training and "ours" not in fw.training
    True
    >>> merged.own_items
    frozenset({'ours'})
    """
    if not local:
        return framework
    training = dict(framework.training)
    for item in local:
        training[item.id] = item
    own = framework.own_items | {item.id for item in local}
    return dataclasses.replace(framework, training=training, own_items=frozenset(own))
