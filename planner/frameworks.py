"""Operations on stored framework versions, and the cached current framework."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import sqlalchemy as sa

from pathways.loader import default_framework_path, parse_framework
from pathways.model import Framework
from planner.extensions import db
from planner.models import FrameworkVersion

__all__ = [
    "store_framework",
    "current_framework",
    "current_version",
    "NoFramework",
    "framework_or_503",
]


class NoFramework(LookupError):
    """No framework has been loaded into the database yet."""


def store_framework(text: str, filename: str) -> tuple[FrameworkVersion, bool]:
    """Validate a framework document and store it as the current version.

    Returns (version, created). Loading the same document twice stores it once.
    Raises FrameworkError (nothing written) when the document is invalid.
    """
    framework = parse_framework(text, filename)
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
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
    )
    db.session.execute(sa.update(FrameworkVersion).values(is_current=False))
    version.is_current = True
    db.session.add(version)
    db.session.commit()
    return version, created


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
def _parsed(version_id: int, checksum: str, text: str) -> Framework:
    # Keyed by id and checksum: a stored version never changes, so its graph is built once.
    return parse_framework(text, f"framework version {version_id}")


def current_framework() -> Framework:
    version = current_version()
    return _parsed(version.id, version.checksum, version.document)


def framework_or_503() -> Framework:
    """The current framework, or a clear 503 page saying how to load one."""
    from flask import abort

    try:
        return current_framework()
    except NoFramework as exc:
        abort(503, description=str(exc))
