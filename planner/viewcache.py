"""Views kept in memory per worker process, keyed by everything they are computed from.

The planner's routes, map, gaps and Iriss checks, and the API's route JSON, depend only on
the framework as the organisation sees it (a parsed, immutable object: a new version or a
changed catalogue is a different object), the person (an immutable snapshot of profile and
ratings, read fresh on every request) and the request's arguments. So a repeat view of the
same thing is served from memory, and any change to its inputs is a different key: nothing
needs invalidating. ``PATHWAYS_VIEW_CACHE=0`` turns the cache off (bench/load.py measures
both ways).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

from flask import current_app

T = TypeVar("T")

VIEWS_KEPT = 256  # per cached function and worker: a planner page is about 60 kB


def cached_view(function: Callable[..., T]) -> Callable[..., T]:
    """Memoise ``function`` (hashable arguments only) unless the app turns view caching off.
    The app is part of the key, so two apps in one process never share a view."""
    cached = lru_cache(maxsize=VIEWS_KEPT)(lambda app, *args: function(*args))

    @wraps(function)
    def wrapper(*args):
        if not current_app.config["VIEW_CACHE"]:
            return function(*args)
        return cached(current_app._get_current_object(), *args)

    return wrapper
