"""Page numbers from the query string."""

from __future__ import annotations


def page_number(text: str | None, pages: int) -> int:
    """The page asked for, within 1..``pages``: anything else (not a number, 0, a number
    past the end however large) gives the nearest page there is, never an error.

    >>> page_number("3", 5), page_number("99999999999999999999", 5), page_number("x", 5)
    (3, 5, 1)
    """
    try:
        page = int(text or "1")
    except ValueError:
        return 1
    return min(max(page, 1), max(pages, 1))
