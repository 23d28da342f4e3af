"""PDF rendering with WeasyPrint. The stylesheets are read from disk and inlined, so rendering
never fetches anything over the network."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from flask import current_app, render_template


@cache
def _css(static_folder: str, name: str) -> str:
    return (Path(static_folder) / "css" / name).read_text(encoding="utf-8")


def render_pdf(template: str, **context) -> bytes:
    """The template as a PDF. `pdf_css` styles the page; `pdf_map_css` goes inside the role
    map's <svg>, because WeasyPrint draws an inline SVG with only its own stylesheets."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    static = current_app.static_folder
    html = render_template(
        template,
        now=date.today(),  # "printed 2 December 2026"
        pdf_css=_css(static, "pdf.css"),
        pdf_map_css=_css(static, "pdf-map.css"),
        **context,
    )
    return HTML(string=html, base_url=static).write_pdf()
