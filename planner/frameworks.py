"""Operations on stored framework versions, and the cached current framework."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import sqlalchemy as sa

from pathways.loader import default_framework_path, parse_framework
from pathways.model import Framework
from planner.audit import DEPLOYMENT, record
from planner.extensions import db
from planner.models import FrameworkVersion

__all__ = [
    "VersionConflict",
    "make_current",
    "parsed_version",
    "store_framework",
    "current_framework",
    "current_version",
    "NoFramework",
    "framework_or_503",
]


class NoFramework(LookupError):
    """No framework has been loaded into the database yet."""


class VersionConflict(RuntimeError):
    """Someone else made another version current since this edit began."""

    def __init__(self, current: FrameworkVersion | None):
        self.current = current
        super().__init__("the current framework version changed during the edit")


def _lock_current() -> FrameworkVersion | None:
    """The current version, locked until commit (PostgreSQL), so two saves cannot both pass
    the conflict check. SQLite allows one writer at a time anyway."""
    return db.session.scalar(
        sa.select(FrameworkVersion).filter_by(is_current=True).with_for_update()
    )


def _check_base(expected_current_id: int | None) -> None:
    if expected_current_id is None:
        return
    current = _lock_current()
    if current is None or current.id != expected_current_id:
        db.session.rollback()
        raise VersionConflict(current)


def store_framework(
    text: str,
    filename: str,
    *,
    created_by_id: int | None = None,
    based_on_id: int | None = None,
    note: str = "",
    expected_current_id: int | None = None,
) -> tuple[FrameworkVersion, bool]:
    """Validate a framework document and store it as the current version.

    Returns (version, created). Loading the same document twice stores it once.
    Raises FrameworkError (nothing written) when the document is invalid, and
    VersionConflict (nothing written) when ``expected_current_id`` is given and another
    version has become current since.
    """
    framework = parse_framework(text, filename)
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    _check_base(expected_current_id)
    existing = db.session.scalar(
        sa.select(FrameworkVersion).filter_by(framework_id=framework.id, checksum=checksum)
    )
    created = existing is None
    version = existing or FrameworkVersion(
        framework_id=framework.id,
        version=framework.version,
        title=framework.title,
        document=text,
        checksum=checksum,
        created_by_id=created_by_id,
        based_on_id=based_on_id,
        note=note[:300],
    )
    db.session.execute(
        sa.update(FrameworkVersion).where(FrameworkVersion.is_current).values(is_current=False)
    )
    version.is_current = True
    db.session.add(version)
    db.session.flush()
    record(
        "framework.save" if created else "framework.reuse",
        "framework_version",
        version.id,
        f"{framework.title} version {version.version}" + (f": {note[:200]}" if note else ""),
        organisation_id=DEPLOYMENT,
    )
    db.session.commit()
    return version, created


def make_current(version: FrameworkVersion, expected_current_id: int | None = None) -> None:
    """Make an earlier version current again (nothing is deleted)."""
    _check_base(expected_current_id)
    db.session.execute(
        sa.update(FrameworkVersion).where(FrameworkVersion.is_current).values(is_current=False)
    )
    version.is_current = True
    record(
        "framework.restore",
        "framework_version",
        version.id,
        f"Version {version.version} made current again",
        organisation_id=DEPLOYMENT,
    )
    db.session.commit()


def parsed_version(version: FrameworkVersion) -> Framework:
    """Any stored version as a framework (parsed once per version)."""
    return _parsed(version.id, version.checksum)


def load_default() -> tuple[FrameworkVersion, bool]:
    path = default_framework_path()
    return store_framework(path.read_text(encoding="utf-8"), path.name)


def current_version() -> FrameworkVersion:
    version = db.session.scalar(sa.select(FrameworkVersion).filter_by(is_current=True))
    if version is None:
        raise NoFramework(
            "No framework has been loaded yet. Run 'flask --app planner load-framework'."
        )
    return version


@lru_cache(maxsize=8)
def _parsed(version_id: int, checksum: str) -> Framework:
    # Keyed by id and checksum: a stored version never changes, so it is read and its graph
    # built once per process; after that a request only asks which version is current.
    text = db.session.scalar(sa.select(FrameworkVersion.document).filter_by(id=version_id))
    # Versions stored before anchors and aliases were refused may hold them (the shipped
    # framework did); they are still bounded by the loader's size, depth and value caps.
    return parse_framework(text, f"framework version {version_id}", allow_aliases=True)


_CURRENT = sa.select(FrameworkVersion.id, FrameworkVersion.checksum).where(
    FrameworkVersion.is_current
)  # built once: every planning request asks it


def current_framework() -> Framework:
    row = db.session.execute(_CURRENT).first()
    if row is None:
        current_version()  # raises NoFramework with the message
    return _parsed(row.id, row.checksum)


def framework_or_503() -> Framework:
    """The current framework, or a clear 503 page saying how to load one."""
    from flask import abort

    try:
        return current_framework()
    except NoFramework as exc:
        abort(503, description=str(exc))
