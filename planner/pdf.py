"""PDF rendering with WeasyPrint. The stylesheet is read from disk and inlined, so rendering
never fetches anything over the network."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import current_app, render_template


@cache
def _css(static_folder: str) -> str:
    return (Path(static_folder) / "css" / "pdf.css").read_text(encoding="utf-8")


def render_pdf(template: str, **context) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    html = render_template(template, pdf_css=_css(current_app.static_folder), **context)
    return HTML(string=html, base_url=current_app.static_folder).write_pdf()
