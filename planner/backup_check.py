"""The checks ``restore`` runs on the whole backup file before it writes anything.

Every check is derived from ``db.metadata``: which tables and columns there are, each column's
type, length and NOT NULL, primary keys, unique constraints and unique indexes (a partial
unique index on a boolean column, such as "at most one current framework version", counts only
the rows where that column is true), and foreign keys, which must point at a row of the same
file. A new table or column is therefore checked with no change here. Only the columns that
hold one of a fixed set of values are listed by hand, in ``FIXED_VALUES``.

Problems read ``table:row: message``, where *row* is the row's position in that table's
``rows`` list in the file, counting from 1 (not its primary key, which may itself be what is
wrong). A problem with a table as a whole reads ``table: message``; one with the file as a
whole is the message alone.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection
from datetime import date, datetime

import sqlalchemy as sa

from pathways.catalogue import MODES
from pathways.model import KINDS, STATUSES
from planner.extensions import db
from planner.models import (
    ACTION_OWNERS,
    PLAN_ITEM_KINDS,
    ROLES,
    CurrentRating,
    LocalTraining,
    PlanItem,
    Rating,
    UserRole,
)

__all__ = ["BackupError", "FIXED_VALUES", "MAX_PROBLEMS", "check_tables"]

MAX_PROBLEMS = 50  # shown in the message; BackupError.problems keeps them all

# Who rated (models/people.py: Rating.kind "self | manager"; CurrentRating keeps the same kind)
RATING_KINDS = ("self", "manager")
# models/plans.py: PlanItem.status "planned | done"
PLAN_ITEM_STATUSES = ("planned", "done")


def _name(column: sa.Column) -> str:
    return f"{column.table.name}.{column.name}"


# Columns holding one of a fixed set of values: "table.column" -> the allowed values.
FIXED_VALUES: dict[str, Collection[str]] = {
    _name(UserRole.__table__.c.role): ROLES,
    _name(PlanItem.__table__.c.kind): PLAN_ITEM_KINDS,
    _name(PlanItem.__table__.c.owner): ACTION_OWNERS,
    _name(PlanItem.__table__.c.status): PLAN_ITEM_STATUSES,
    _name(Rating.__table__.c.kind): RATING_KINDS,
    _name(CurrentRating.__table__.c.kind): RATING_KINDS,
    # Local training is tagged exactly as a framework training item (pathways.model).
    _name(LocalTraining.__table__.c.kind): KINDS,
    _name(LocalTraining.__table__.c.mode): MODES,
    _name(LocalTraining.__table__.c.status): STATUSES,
}

INTEGER_BITS = {sa.SmallInteger: 16, sa.BigInteger: 64}  # any other Integer: 32


class BackupError(ValueError):
    """A backup that cannot be restored. ``problems`` lists every reason; the message shows
    the first ``MAX_PROBLEMS``, one a line, then how many more there are."""

    def __init__(self, problems: str | list[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        shown = self.problems[:MAX_PROBLEMS]
        more = len(self.problems) - len(shown)
        if more:
            shown.append(f"and {_count(more, 'more problem')}")
        super().__init__("\n".join(shown))


_MISSING = object()  # a key the file does not have (null is None)


class _Bad(Exception):
    """One value that does not fit its column (the message names the column)."""


Row = dict[str, object]  # column name -> value as the database takes it; bad values left out


def check_tables(tables: object) -> dict[str, list[Row]]:
    """Check the backup's ``tables`` object against the current metadata; returns every
    table's rows as column -> value, ready to insert, or raises BackupError listing every
    problem found."""
    if not isinstance(tables, dict):
        raise BackupError(f"the backup's 'tables' must be an object, not {_kind(tables)}")
    known = {t.name: t for t in db.metadata.sorted_tables}
    problems = [
        f"{name}: unknown table (this database has no such table)"
        for name in tables
        if name not in known
    ]
    rows: dict[str, list[Row | None]] = {}
    for name, table in known.items():
        columns_and_rows = _entry(table, tables.get(name, _MISSING), problems)
        if columns_and_rows is not None:
            rows[name] = _check_rows(table, *columns_and_rows, problems)
    for name, table in known.items():
        if name in rows:
            _check_unique(table, rows[name], problems)
            _check_references(table, rows, problems)
    if problems:
        raise BackupError(problems)
    return {
        name: [row for row in table_rows if row is not None] for name, table_rows in rows.items()
    }


def _entry(table: sa.Table, entry: object, problems: list[str]):
    """The entry's columns (as Column objects) and rows, or None if it cannot be read."""
    where = table.name
    if entry is _MISSING:
        problems.append(f"{where}: the table is missing from the backup")
        return None
    if not isinstance(entry, dict):
        problems.append(
            f'{where}: the table must be an object with "columns" and "rows", not {_kind(entry)}'
        )
        return None
    problems += [
        f"{where}: unexpected key {json.dumps(k)}" for k in entry if k not in ("columns", "rows")
    ]
    names, rows = entry.get("columns", _MISSING), entry.get("rows", _MISSING)
    usable = True
    if not isinstance(rows, list):
        problems.append(f'{where}: "rows" must be a list of rows, not {_kind(rows)}')
        usable = False
    if not isinstance(names, list):
        problems.append(f'{where}: "columns" must be a list of column names, not {_kind(names)}')
        return None
    odd = next((n for n in names if not isinstance(n, str)), _MISSING)
    if odd is not _MISSING:  # a null column name too (None is a value here, not "none found")
        problems.append(f'{where}: "columns" must hold column names, not {_show(odd)}')
        return None
    found = _column_problems(table, names)
    problems += found
    return ([table.columns[n] for n in names], rows) if usable and not found else None


def _column_problems(table: sa.Table, names: list[str]) -> list[str]:
    where = table.name
    found = [f"{where}: column {c.name} is missing" for c in table.columns if c.name not in names]
    found += [f"{where}: unknown column {json.dumps(n)}" for n in names if n not in table.columns]
    repeated = sorted({n for n in names if names.count(n) > 1})
    found += [f"{where}: column {n} is listed more than once" for n in repeated]
    return found


def _check_rows(
    table: sa.Table, columns: list[sa.Column], rows: list, problems: list[str]
) -> list[Row | None]:
    """Each row as column -> value (None for a row that is not a list of the right length)."""
    convert = [(c.name, _converter(c)) for c in columns]
    checked: list[Row | None] = []
    for number, row in enumerate(rows, 1):
        where = f"{table.name}:{number}"
        if not isinstance(row, list):
            problems.append(f"{where}: the row must be a list of values, not {_kind(row)}")
            checked.append(None)
            continue
        if len(row) != len(columns):
            problems.append(
                f"{where}: the row has {_count(len(row), 'value')}; the table has "
                f"{_count(len(columns), 'column')}"
            )
            checked.append(None)
            continue
        values: Row = {}
        for (name, to_value), value in zip(convert, row, strict=True):
            try:
                values[name] = to_value(value)
            except _Bad as bad:
                problems.append(f"{where}: {bad}")
        checked.append(values)
    return checked


# --- One value against its column ----------------------------------------------------------


def _converter(column: sa.Column) -> Callable[[object], object]:
    """A function taking a value from the file to the value the database takes, or raising
    _Bad saying why it does not fit ``column``."""
    typed = _typed(column)

    def convert(value):
        if value is None:
            if not column.nullable:
                raise _Bad(f"{column.name} is null, but the column needs a value")
            return None
        return typed(value)

    return convert


def _typed(column: sa.Column) -> Callable[[object], object]:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return lambda v: _boolean(column.name, v)
    if isinstance(kind, sa.Integer):
        bits = next((b for t, b in INTEGER_BITS.items() if isinstance(kind, t)), 32)
        return lambda v: _integer(column.name, v, bits)
    if isinstance(kind, sa.Float):
        return lambda v: _float(column.name, v)
    if isinstance(kind, sa.DateTime):
        return lambda v: _iso(column.name, v, datetime, "a date and time like 2026-01-31T09:30:00")
    if isinstance(kind, sa.Date):
        return lambda v: _iso(column.name, v, date, "a date like 2026-01-31")
    if isinstance(kind, sa.String):
        allowed = kind.enums if isinstance(kind, sa.Enum) else FIXED_VALUES.get(_name(column))
        return lambda v: _string(column.name, v, kind.length, allowed)
    raise TypeError(f"restore cannot check column {_name(column)} of type {kind!r}")


def _boolean(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"{name} must be true or false, not {_show(value)}")
    return value


def _integer(name: str, value: object, bits: int) -> int:
    if type(value) is not int:
        raise _Bad(f"{name} must be a whole number, not {_show(value)}")
    if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
        raise _Bad(f"{name} {_show(value)} is out of range for a {bits}-bit whole number")
    return value


def _float(name: str, value: object) -> float:
    if type(value) not in (int, float):
        raise _Bad(f"{name} must be a number, not {_show(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise _Bad(f"{name} must be a finite number, not {_show(value)}")
    return number


def _iso(name: str, value: object, kind: type[date], example: str):
    if isinstance(value, str):
        try:
            return kind.fromisoformat(value)
        except ValueError:
            pass
    raise _Bad(f"{name} must be {example}, not {_show(value)}")


def _string(name: str, value: object, length: int | None, allowed: Collection[str] | None):
    if not isinstance(value, str):
        raise _Bad(f"{name} must be text, not {_show(value)}")
    if "\x00" in value:
        raise _Bad(f"{name} contains a NUL character (\\u0000), which PostgreSQL cannot store")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _Bad(f"{name} is not valid Unicode text (it has a lone surrogate)") from None
    if length is not None and len(value) > length:
        raise _Bad(f"{name} is {len(value)} characters long; at most {length} fit")
    if allowed is not None and value not in allowed:
        raise _Bad(f"{name} {_show(value)} is not one of: {', '.join(allowed)}")
    return value


# --- Keys across rows ----------------------------------------------------------------------


def _check_unique(table: sa.Table, rows: list[Row | None], problems: list[str]) -> None:
    """Primary key, unique constraints and unique indexes: no two rows with the same values
    (rows with a null in the key, or outside a partial index, do not count)."""
    for label, names, condition in _unique_keys(table):
        seen: dict[tuple, int] = {}
        for number, row in enumerate(rows, 1):
            key = _key(row, names)
            if key is None or (condition and row.get(condition) is not True):
                continue
            if key not in seen:
                seen[key] = number
                continue
            first = seen[key]
            where = f"{table.name}:{number}"
            if label == "primary key":
                problems.append(f"{where}: primary key {_describe(names, key)} repeats row {first}")
            elif condition and names == [condition]:
                problems.append(
                    f"{where}: {condition} is true here and in row {first}; at most one row "
                    f"may have {condition} true"
                )
            else:
                among = f" among rows where {condition} is true" if condition else ""
                problems.append(
                    f"{where}: {_describe(names, key)} is the same as in row {first}; it must "
                    f"be unique{among}"
                )


def _unique_keys(table: sa.Table) -> list[tuple[str, list[str], str | None]]:
    """(what, column names, boolean column a partial index is limited to) for each key.
    A unique index on expressions, or limited by a condition other than one boolean column,
    is left to the database."""
    keys = [("primary key", [c.name for c in table.primary_key.columns], None)]
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            keys.append((constraint.name or "unique", [c.name for c in constraint.columns], None))
    for index in table.indexes:
        if index.unique and len(index.columns) == len(index.expressions):
            condition = _partial(table, index)
            if condition != "?":
                keys.append((index.name, [c.name for c in index.columns], condition))
    return keys


def _partial(table: sa.Table, index: sa.Index) -> str | None:
    """None for a whole-table index; the boolean column a partial index is limited to; "?"
    for a condition this module does not read."""
    conditions = set()
    for options in index.dialect_options.values():
        where = options.get("where")
        if isinstance(where, sa.TextClause):
            conditions.add(where.text.strip())
        elif isinstance(where, sa.Column):
            conditions.add(where.name)
        elif where is not None:
            conditions.add("?")
    if not conditions:
        return None
    name = conditions.pop() if len(conditions) == 1 else "?"
    column = table.columns.get(name)
    return name if column is not None and isinstance(column.type, sa.Boolean) else "?"


def _check_references(
    table: sa.Table, rows: dict[str, list[Row | None]], problems: list[str]
) -> None:
    """Every foreign key value names a row of the referenced table in the file. A referenced
    table that is missing or unreadable is reported already, so it is skipped here."""
    for constraint in table.foreign_key_constraints:
        target = constraint.referred_table
        if target.name not in rows:
            continue
        names = [c.name for c in constraint.columns]
        target_names = [e.column.name for e in constraint.elements]
        present = {_key(row, target_names) for row in rows[target.name]}
        missing = "which is not in the backup"
        if None in present:  # some rows, or their keys, could not be read
            missing += " (or not in a row that could be read)"
        for number, row in enumerate(rows[table.name], 1):
            key = _key(row, names)
            if key is not None and key not in present:
                problems.append(
                    f"{table.name}:{number}: {_describe(names, key)} points at "
                    f"{target.name} {_describe(target_names, key)}, {missing}"
                )


def _key(row: Row | None, names: list[str]) -> tuple | None:
    """The row's values in those columns; None if the row is unreadable, or any of them is
    missing (a bad value) or null."""
    if row is None or any(row.get(n) is None for n in names):
        return None
    return tuple(row[n] for n in names)


# --- Wording -------------------------------------------------------------------------------


def _describe(names: list[str], key: tuple) -> str:
    return ", ".join(f"{n} {_show(v)}" for n, v in zip(names, key, strict=True))


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def _show(value: object) -> str:
    if isinstance(value, list | dict):
        return _kind(value)
    if isinstance(value, date):
        value = value.isoformat()
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(value: object) -> str:
    """What a value is, for "must be ..., not ..." messages."""
    if value is _MISSING:
        return "missing"
    names = {dict: "an object", list: "a list", str: "text", bool: "true or false"}
    return names.get(type(value)) or _show(value)
