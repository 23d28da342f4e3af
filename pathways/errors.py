"""Domain exceptions. Every message names what is wrong and, where possible, what is valid."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = [
    "PathwaysError",
    "FrameworkError",
    "Problem",
    "ProfileError",
    "UnknownRole",
    "NoRoute",
    "nearest",
]


class PathwaysError(Exception):
    """Base class for errors a user can act on."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a framework document, located by file, line and item."""

    file: str
    line: int | None
    item: str
    message: str
    suggestion: str | None = None
    # Where in the document, as keys and indexes ("roles", 3, "track"): lets an editor show
    # the problem on the form field concerned. Not part of equality.
    path: tuple = field(default=(), compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.item}: {self.message}"
        if self.suggestion:
            text += f" (did you mean '{self.suggestion}'?)"
        return text


class FrameworkError(PathwaysError):
    """A framework document that cannot be used, with every problem found in it."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ProfileError(PathwaysError):
    """A person profile that cannot be read or does not fit the framework."""


class UnknownRole(PathwaysError):
    def __init__(self, slug: str, valid: Iterable[str]):
        valid = sorted(valid)
        guess = nearest(slug, valid)
        hint = f"did you mean '{guess}'? " if guess else ""
        super().__init__(f"unknown role '{slug}': {hint}valid roles are {', '.join(valid)}")
        self.slug = slug


class NoRoute(PathwaysError):
    """No path between two roles under the constraints asked for."""


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The closest valid spelling of ``word``, if one is close enough.

    >>> nearest("team_manger", ["team_manager", "service_manager"])
    'team_manager'
    >>> nearest("zzz", ["team_manager"]) is None
    True
    """
    matches = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None
