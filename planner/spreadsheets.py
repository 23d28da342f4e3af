"""Tables downloaded as CSV or XLSX (openpyxl): the same header and rows in both, every text
cell made safe from spreadsheet formulas (``spreadsheet_safe``, OWASP "CSV Injection"),
numbers kept as numbers in XLSX. Used by the people, catalogue, coverage and insight
exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

from pathways.catalogue import spreadsheet_safe
from planner.hardening import attachment

__all__ = ["FORMATS", "table_bytes", "table_download"]

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _safe(value):
    return value if isinstance(value, int | float) else spreadsheet_safe(str(value))


def table_bytes(
    header: Sequence[str], rows: Iterable[Sequence], fmt: str, sheet: str = "Sheet1"
) -> bytes:
    """The table as a file: CSV (UTF-8, Windows line endings as Excel expects) or XLSX."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        page = book.create_sheet(sheet[:31])  # Excel's limit on sheet names
        page.append(list(header))
        for row in rows:
            page.append([_safe(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_safe(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def table_download(
    stem: str, header: Sequence[str], rows: Iterable[Sequence], fmt: str, sheet: str = "Sheet1"
) -> Response:
    return Response(
        table_bytes(header, rows, fmt, sheet),
        mimetype=FORMATS[fmt],
        headers={"Content-Disposition": attachment(f"{stem}.{fmt}")},
    )
