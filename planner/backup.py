"""Backup and restore of the whole database as one JSON file.

``backup`` writes every row of every table (in foreign-key order) with the Alembic revision;
``restore`` loads such a file into an empty, migrated database of either engine, in one
transaction: all of it or nothing. Restoring then backing up again gives the same file.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import IO

import sqlalchemy as sa

from planner.extensions import db

FORMAT = "pathways-backup"
FORMAT_VERSION = 1


class BackupError(ValueError):
    pass


def _tables() -> list[sa.Table]:
    return list(db.metadata.sorted_tables)


def _revision() -> str | None:
    try:
        return db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.DBAPIError:
        db.session.rollback()
        return None


def _dump_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def backup(out: IO[str]) -> dict[str, int]:
    """Write the database to ``out``; returns rows per table."""
    tables = {}
    counts = {}
    for table in _tables():
        columns = [c.name for c in table.columns]
        key = list(table.primary_key.columns)
        rows = db.session.execute(sa.select(*table.columns).order_by(*key)).all()
        tables[table.name] = {
            "columns": columns,
            "rows": [[_dump_value(v) for v in row] for row in rows],
        }
        counts[table.name] = len(rows)
    json.dump(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "alembic_revision": _revision(),
            "tables": tables,
        },
        out,
        ensure_ascii=False,
        indent=1,
        sort_keys=True,
    )
    return counts


def _load_value(column: sa.Column, value):
    if value is None:
        return None
    if isinstance(column.type, sa.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, sa.Date):
        return date.fromisoformat(value)
    return value


def restore(source: IO[str]) -> dict[str, int]:
    """Load a backup into this (empty, migrated) database; returns rows per table."""
    try:
        data = json.load(source)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(f"not a Pathways backup file: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("not a Pathways backup file (no 'format: pathways-backup')")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format {data.get('format_version')} is not supported")
    revision = _revision()
    if data.get("alembic_revision") != revision:
        raise BackupError(
            f"the backup is from database revision {data.get('alembic_revision')}, this database "
            f"is at {revision}; migrate one to match ('flask db upgrade')"
        )
    tables = {t.name: t for t in _tables()}
    unknown = set(data["tables"]) - set(tables)
    if unknown:
        raise BackupError(f"unknown tables in the backup: {', '.join(sorted(unknown))}")
    for table in tables.values():
        if db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            raise BackupError(
                f"the database is not empty (table {table.name} has rows); restore only into "
                "a new, migrated database"
            )
    counts = {}
    later: list[tuple[sa.Table, sa.Column, list[dict]]] = []
    inserted: set[str] = set()
    try:
        for name, table in tables.items():
            entry = data["tables"].get(name, {"columns": [], "rows": []})
            columns = [table.columns[c] for c in entry["columns"]]
            # A column pointing at its own table, or at one not yet loaded, is filled in once
            # every row is there.
            deferred = [
                c
                for c in columns
                if any(fk.column.table.name not in inserted for fk in c.foreign_keys)
            ]
            rows = [
                {c.name: _load_value(c, v) for c, v in zip(columns, row, strict=True)}
                for row in entry["rows"]
            ]
            if rows:
                db.session.execute(
                    table.insert(), [{**r, **{c.name: None for c in deferred}} for r in rows]
                )
                later.extend((table, c, rows) for c in deferred)
            inserted.add(name)
            counts[name] = len(rows)
        for table, column, rows in later:
            key = list(table.primary_key.columns)[0]
            for r in rows:
                if r[column.name] is not None:
                    db.session.execute(
                        table.update()
                        .where(key == r[key.name])
                        .values({column.name: r[column.name]})
                    )
        _reset_sequences(tables.values())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts


def _reset_sequences(tables) -> None:
    """PostgreSQL: move each id sequence past the restored ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) == 1 and isinstance(keys[0].type, sa.Integer) and keys[0].autoincrement:
            db.session.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{keys[0].name}'), "
                    f"COALESCE((SELECT MAX({keys[0].name}) FROM {table.name}), 0) + 1, false)"
                )
            )
