"""Request and response rules that hold for every page: text a database cannot store is
refused where it comes in, personal pages are never cached, download names are safe."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import abort, request

__all__ = ["attachment", "no_store", "refuse_nul_characters"]

NUL = "\x00"


def _nul_in_json(value, path: str = "") -> str | None:
    """The path of the first string (or key) in a JSON value holding a NUL, or None."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return where or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                if NUL in key:
                    return where or "body"
                stack.append((f"{where}.{key}" if where else key, child))
        elif isinstance(item, list):
            stack.extend((f"{where}[{n}]", child) for n, child in enumerate(item))
    return None


def refuse_nul_characters():
    """Before every request: a NUL character (\\0) in the address, the query string, a form
    field or a JSON body is refused with the field's name. PostgreSQL cannot store one, and
    SQLite would store it into a backup PostgreSQL then cannot restore, so it is refused on
    both engines alike, before anything is read or written."""
    if NUL in request.path:
        names = [k for k, v in (request.view_args or {}).items() if NUL in str(v)]
        _refuse(names[0] if names else "address")
    query = request.query_string
    if b"%00" in query or b"\x00" in query:  # the common case, a clean query, costs no parsing
        _refuse_in(request.args)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    _refuse_in(request.form)
    if request.is_json:
        where = _nul_in_json(request.get_json(silent=True))
        if where is not None:
            _refuse(where.replace(NUL, ""))


def _refuse_in(fields) -> None:
    for name, value in fields.items(multi=True):
        if NUL in name or NUL in value:
            _refuse(name.replace(NUL, ""))


def _refuse(field: str):
    abort(
        400,
        description=f"The field '{field[:60]}' contains a NUL character (\\0), which cannot be "
        "saved. Remove it and send it again.",
    )


def no_store(response):
    """After every request: nothing but the static files may be kept by a browser's or a
    proxy's cache. Pages here name people, show plans, conversations, tokens once, exports
    and PDFs; one rule for all is safer than remembering which are personal."""
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def attachment(filename: str) -> str:
    """A Content-Disposition value for a download (RFC 6266): an ASCII fallback name with
    anything outside letters, digits and ``._-`` replaced, and the full name UTF-8 encoded in
    ``filename*``. Nothing in the name (quotes, CR, LF, ``;``) can reach the header as is.

    >>> attachment('scotland-1.0\\r\\nX: "y".yaml')
    'attachment; filename="scotland-1.0__X___y_.yaml"; filename*=UTF-8\\'\\'scotland-1.0X%3A%20%22y%22.yaml'
    """
    printable = "".join(c for c in filename if unicodedata.category(c)[0] != "C")
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename)
    return (
        f'attachment; filename="{fallback or "download"}"; '
        f"filename*=UTF-8''{quote(printable or 'download', safe='')}"
    )
