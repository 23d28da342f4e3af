"""Backup and restore of the whole database as one JSON file.

``backup`` writes every row of every table (in foreign-key order) with the Alembic revision;
``restore`` checks the whole file first (planner/backup_check.py), then loads it into an
empty, migrated database of either engine, in one transaction: all of it or nothing.
Restoring then backing up again gives the same file.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import IO

import sqlalchemy as sa

from planner.backup_check import BackupError, check_tables
from planner.extensions import db

__all__ = ["BackupError", "backup", "restore"]

FORMAT = "pathways-backup"
FORMAT_VERSION = 1


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


def restore(source: IO[str]) -> dict[str, int]:
    """Load a backup into this (empty, migrated) database; returns rows per table.

    The whole file is checked first (planner/backup_check.py): if anything is wrong, nothing
    is written and BackupError lists every problem as ``table:row: message``, where *row* is
    the row's position in that table's ``rows`` in the file, counting from 1."""
    try:
        data = json.load(source)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, ...
        raise BackupError(f"not a Pathways backup file: {exc}") from None
    _check_header(data)
    rows = check_tables(data["tables"])
    tables = {t.name: t for t in _tables()}
    for table in tables.values():
        if db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            raise BackupError(
                f"the database is not empty (table {table.name} has rows); restore only into "
                "a new, migrated database"
            )
    try:
        _insert(tables, rows)
        _reset_sequences(tables.values())
        db.session.commit()
    except sa.exc.DBAPIError as exc:
        db.session.rollback()
        raise BackupError(
            f"the database refused the backup, so nothing was restored: {exc.orig}"
        ) from exc
    except Exception:
        db.session.rollback()
        raise
    return {name: len(table_rows) for name, table_rows in rows.items()}


def _check_header(data) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("not a Pathways backup file (no 'format: pathways-backup')")
    version = data.get("format_version")
    if type(version) is not int or version != FORMAT_VERSION:
        raise BackupError(f"backup format {version} is not supported")
    revision = _revision()
    if data.get("alembic_revision") != revision:
        raise BackupError(
            f"the backup is from database revision {data.get('alembic_revision')}, this database "
            f"is at {revision}; migrate one to match ('flask db upgrade')"
        )
    unknown = sorted(set(data) - {"format", "format_version", "alembic_revision", "tables"})
    if unknown:
        raise BackupError(f"unexpected keys at the top of the backup: {', '.join(unknown)}")
    if "tables" not in data:
        raise BackupError("the backup has no 'tables'")


def _insert(tables: dict[str, sa.Table], rows: dict[str, list[dict]]) -> None:
    """Insert checked rows in foreign-key order. A column pointing at its own table, or at
    one not yet loaded, is filled in once every row is there."""
    later: list[tuple[sa.Table, sa.Column, list[dict]]] = []
    inserted: set[str] = set()
    for name, table in tables.items():
        deferred = [
            c
            for c in table.columns
            if any(fk.column.table.name not in inserted for fk in c.foreign_keys)
        ]
        if rows[name]:
            db.session.execute(
                table.insert(), [{**r, **{c.name: None for c in deferred}} for r in rows[name]]
            )
            later.extend((table, c, rows[name]) for c in deferred)
        inserted.add(name)
    for table, column, table_rows in later:
        key = list(table.primary_key.columns)[0]
        for r in table_rows:
            if r[column.name] is not None:
                db.session.execute(
                    table.update().where(key == r[key.name]).values({column.name: r[column.name]})
                )


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
