"""The local training catalogue: the CSV format (pure) and the L&D pages (app)."""

from __future__ import annotations

import html
import io
import json

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.catalogue import (
    COLUMNS,
    MODES,
    CatalogueError,
    catalogue_csv,
    make_item,
    parse_catalogue_csv,
)
from pathways.model import KINDS, STATUSES
from planner.extensions import db
from planner.models import LocalTraining

HEADER = "id,title,kind,mode,capabilities,roles,sw_specific,status,embedded,duration,provider,cost,link,notes"
GOOD = (
    'east_supervision,"Supervision skills, East",training,course,supervision_education; empowering,'
    "senior_social_worker,yes,optional,no,2 days,East L&D,free,https://example.org/s,"
)


def test_spreadsheet_quirks_are_accepted(framework):
    text = (
        "\ufeff"
        + HEADER.upper().replace("_", " ")  # "SW SPECIFIC", upper case: still the columns
        + "\r\n"
        + GOOD
        + "\r\n"
        + 'east_duty,"The ""duty"" day\nwith a line break",work_based,step_in,'
        "statutory_duties,social_worker; senior_social_worker,,,yes,1 day,,,,\r\n"
        + ",,,,,,,,,,,,,\r\n\r\n"  # Excel's blank trailing rows
    )
    items = parse_catalogue_csv(text.encode("utf-8"), framework)
    assert [i.id for i in items] == ["east_supervision", "east_duty"]
    first, second = items
    assert first.title == "Supervision skills, East"
    assert first.capabilities == ("supervision_education", "empowering")
    assert first.scope == "local" and first.sw_specific and not first.embedded
    assert second.title == 'The "duty" day\nwith a line break'
    assert second.sw_specific and second.status == "optional" and second.embedded  # defaults
    assert second.roles == ("social_worker", "senior_social_worker")


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_capabilities_and_roles_by_title_or_id_in_any_case(framework, data):
    """A spreadsheet written by hand names things by title ("Legal and statutory duties"),
    in any case and spacing; each reads as its id. Kinds and statuses likewise."""

    def written(slug: str, title: str) -> str:
        text = data.draw(st.sampled_from([slug, title]))
        cased = "".join(
            c.upper() if data.draw(st.booleans()) else c.lower() for c in text if c != ";"
        )
        return data.draw(st.sampled_from(["", " ", "  "])) + cased.replace(" ", "  ", 1)

    capabilities = data.draw(
        st.lists(st.sampled_from(sorted(framework.capabilities)), min_size=1, max_size=3)
    )
    roles = data.draw(st.lists(st.sampled_from(sorted(framework.roles)), min_size=1, max_size=2))
    cells = [
        "; ".join(written(c, framework.capabilities[c].title) for c in capabilities),
        "; ".join(written(r, framework.roles[r].title) for r in roles),
    ]
    row = (
        f"east_x,Title,{data.draw(st.sampled_from(['Work based', 'work-based', 'WORK_BASED']))},"
        f'course,"{cells[0]}","{cells[1]}",yes,Optional,no,1 day,,,,'
    )
    [item] = parse_catalogue_csv(f"{HEADER}\n{row}\n", framework)
    assert item.capabilities == tuple(capabilities) and item.roles == tuple(roles)
    assert item.kind == "work_based" and item.status == "optional"


def test_an_id_always_wins_over_a_title_and_a_shared_title_names_nothing():
    from types import SimpleNamespace

    from pathways.catalogue import _ids

    things = {
        "vision": SimpleNamespace(title="statutory_duties"),  # a title that is another's id
        "statutory_duties": SimpleNamespace(title="Legal"),
        "a": SimpleNamespace(title="Same"),
        "b": SimpleNamespace(title="same"),
    }
    assert _ids(["statutory_duties", "STATUTORY_DUTIES", "legal"], things) == [
        "statutory_duties",
        "statutory_duties",
        "statutory_duties",
    ]
    assert _ids(["Same"], things) == ["Same"]  # ambiguous: left for the check to report


def test_a_name_that_is_neither_id_nor_title_is_still_reported(framework):
    row = "east_x,Title,training,course,Legal duties,social_worker,yes,optional,no,1 day,,,,"
    with pytest.raises(CatalogueError, match="there is no capability 'Legal duties'"):
        parse_catalogue_csv(f"{HEADER}\n{row}\n", framework)


def test_windows_1252_files_are_read(framework):
    text = HEADER + "\r\n" + GOOD.replace("free", "£50") + "\r\n"
    items = parse_catalogue_csv(text.encode("cp1252"), framework)
    assert items[0].cost == "£50"


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_returned(framework):
    rows = [
        HEADER,
        GOOD,
        'multi,"two\nlines",training,course,vision,team_manager,yes,optional,no,1 day,,,,',
        "bad_kind,Title,trainnig,course,vision,team_manager,yes,optional,no,1 day,,,,",
        "bad_refs,Title,training,course,visoin,team_managr,maybe,optional,no,1 day,,,ftp://x,",
        "mba,Clash,training,course,vision,team_manager,yes,optional,no,1 day,,,,",
        "east_supervision,Duplicate,training,course,vision,team_manager,yes,optional,no,1 day,,,,",
        ",No id,training,course,vision,team_manager,yes,optional,no,,,,,",
    ]
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue_csv("\n".join(rows), framework)
    found = {(p.line, p.field) for p in caught.value.problems}
    # line 3 holds a two-line cell, so the following records start one line later
    assert (5, "kind") in found
    assert {(6, "capabilities"), (6, "roles"), (6, "sw_specific"), (6, "link")} <= found
    assert (7, "id") in found and (8, "id") in found
    assert {(9, "id"), (9, "duration")} <= found
    messages = str(caught.value)
    assert "did you mean 'training'" in messages and "did you mean 'vision'" in messages
    assert "'mba' is a national item" in messages
    assert "used by another item" in messages


def test_header_problems_name_the_column(framework):
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue_csv("id,titel,kind,mode,capabilities,roles\n", framework)
    text = str(caught.value)
    assert "titel: is not a catalogue column (did you mean 'title'?)" in text
    assert "duration: this column is missing" in text
    with pytest.raises(CatalogueError, match="the file is empty"):
        parse_catalogue_csv(b"\r\n\r\n", framework)
    with pytest.raises(CatalogueError, match="items from the framework cannot be imported"):
        parse_catalogue_csv(HEADER + ",catalogue\n" + GOOD + ",framework\n", framework)


slugs = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"), max_size=40
).map(str.strip)


@st.composite
def local_items(draw, framework):
    return make_item(
        {
            "id": "local_" + draw(slugs),
            "title": draw(text.filter(bool)),
            "kind": draw(st.sampled_from(KINDS)),
            "mode": draw(st.sampled_from(MODES)),
            "capabilities": draw(
                st.lists(st.sampled_from(sorted(framework.capabilities)), min_size=1, unique=True)
            ),
            "roles": draw(
                st.lists(st.sampled_from(sorted(framework.roles)), min_size=1, unique=True)
            ),
            "sw_specific": draw(st.booleans()),
            "status": draw(st.sampled_from(STATUSES)),
            "embedded": draw(st.booleans()),
            "duration": draw(text.filter(bool)),
            "provider": draw(text),
            "cost": draw(text),
            "link": draw(st.sampled_from(["", "https://example.org/x?a=1&b=2"])),
            "notes": draw(text),
        }
    )


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_export_then_import_gives_the_same_items(framework, data):
    items = data.draw(
        st.lists(local_items(framework), max_size=5, unique_by=lambda i: i.id), label="items"
    )
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig"]))
    exported = catalogue_csv(items).encode(encoding)
    assert parse_catalogue_csv(exported, framework) == items


@settings(max_examples=200, deadline=None)
@given(payload=st.binary(max_size=400) | st.text(max_size=400))
def test_any_input_gives_items_or_a_catalogue_error(framework, payload):
    try:
        items = parse_catalogue_csv(
            HEADER + "\n" + payload if isinstance(payload, str) else payload, framework
        )
    except CatalogueError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert all(i.scope == "local" for i in items)


# --- the L&D pages -------------------------------------------------------------------


@pytest.fixture
def ld(app, make_user, login):
    from planner.models import Organisation

    with app.app_context():
        org = Organisation(name="East council")
        db.session.add(org)
        db.session.commit()
        org_id = org.id
    make_user("ld@example.org", roles=("ld",), organisation_id=org_id)
    make_user("prac@example.org", organisation_id=org_id, current_role="social_worker")
    login("ld@example.org")
    return org_id


FORM = {
    "id": "east_consultant_confidence",
    "title": "Consultant practice clinic",
    "kind": "training",
    "mode": "course",
    "capabilities": ["professional_confidence", "creativity_innovation"],
    "roles": ["consultant_social_worker"],
    "sw_specific": "yes",
    "status": "entitlement",
    "embedded": "yes",
    "duration": "6 sessions",
    "provider": "East council",
    "cost": "free",
    "link": "https://example.org/clinic",
    "notes": "",
}


def test_an_added_item_reaches_the_practitioners_planner(app, client, ld, login):
    page = client.get("/catalogue").get_data(as_text=True)
    assert "no local items yet" in page and "Step into Leadership" in page
    response = client.post("/catalogue/new", data=FORM)
    assert response.status_code == 302
    page = client.get("/catalogue").get_data(as_text=True)
    assert "Consultant practice clinic" in page and "Local items (1)" in page
    client.post("/logout")
    # the consultant step had no training for professional confidence; now it has
    login("prac@example.org")
    planner = client.get("/planner?target=consultant_social_worker").get_data(as_text=True)
    assert "Consultant practice clinic" in planner
    assert "Consultant practice clinic" in client.get("/profile/training").get_data(as_text=True)


def test_field_errors_name_the_field_and_nothing_is_saved(app, client, ld):
    cases = [
        ({"link": "ftp://nope"}, "Link (optional): 'ftp://nope' is not a web address"),
        ({"capabilities": []}, "name at least one capability"),
        ({"id": "mba"}, "is a national item"),
        ({"id": "Bad Id"}, "must start with a lower-case letter"),
        ({"title": ""}, "Title: is empty"),
        ({"kind": "lecture"}, "Not a valid choice"),
    ]
    for change, message in cases:
        response = client.post("/catalogue/new", data={**FORM, **change})
        body = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 400 and "govuk-error-summary" in body, change
        assert message in body, (change, message)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LocalTraining.id))) == 0


def test_edit_keeps_the_id_and_retire_stops_offering_it(app, client, ld, login):
    client.post("/catalogue/new", data=FORM)
    with app.app_context():
        row_id = db.session.scalar(sa.select(LocalTraining.id))
    form = client.get(f"/catalogue/{row_id}/edit").get_data(as_text=True)
    assert 'value="Consultant practice clinic"' in form and "readonly" in form
    response = client.post(
        f"/catalogue/{row_id}/edit", data={**FORM, "id": "renamed", "title": "Clinic, renamed"}
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(LocalTraining, row_id)
        assert (row.slug, row.title) == ("east_consultant_confidence", "Clinic, renamed")
    client.post(f"/catalogue/{row_id}/retire", data={"retire": "1"})
    assert "Retired local items (1)" in client.get("/catalogue").get_data(as_text=True)
    client.post("/logout")
    login("prac@example.org")
    assert "Clinic, renamed" not in client.get("/profile/training").get_data(as_text=True)
    client.post("/logout")
    login("ld@example.org")
    client.post(f"/catalogue/{row_id}/retire", data={"retire": "0"})
    assert "Local items (1)" in client.get("/catalogue").get_data(as_text=True)


def _upload(client, content: bytes, name="catalogue.csv"):
    return client.post(
        "/catalogue/import",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_import_is_all_or_nothing(app, client, ld):
    bad = (
        HEADER
        + "\r\n"
        + GOOD
        + "\r\nbroken,Title,training,course,visoin,team_manager,yes,optional,no,1 day,,,,\r\n"
    ).encode()
    response = _upload(client, bad)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing has been changed" in body and "there is no capability &#39;visoin&#39;" in body
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in body
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LocalTraining.id))) == 0
    good = ("\ufeff" + HEADER + "\r\n" + GOOD + "\r\n,,,,,,,,,,,,,\r\n").encode()
    response = _upload(client, good)
    assert response.status_code == 302
    assert "1 new item" in client.get("/catalogue").get_data(as_text=True)
    # the local export imports again as an update
    exported = client.get("/catalogue.csv?only=ours").data
    assert exported.count(b"\r\n") == 2 and b",catalogue" in exported.splitlines()[0]
    response = _upload(client, exported.replace(b"2 days", b"3 days"))
    assert response.status_code == 302
    assert "0 new items, 1 updated" in client.get("/catalogue").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(LocalTraining.duration)) == "3 days"


def test_import_without_a_file_or_items_says_so(client, ld):
    response = client.post("/catalogue/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a CSV file" in response.get_data(as_text=True)
    response = _upload(client, (HEADER + "\r\n").encode())
    assert response.status_code == 400 and "no items" in response.get_data(as_text=True)


def test_exports_hold_national_and_local_items(framework, client, ld):
    client.post("/catalogue/new", data=FORM)
    csv_text = client.get("/catalogue.csv").get_data(as_text=True)
    lines = csv_text.strip().split("\r\n")
    assert lines[0] == ",".join((*COLUMNS, "catalogue"))
    assert sum(line.endswith(",organisation") for line in lines) == 1
    assert len(lines) == 1 + len(framework.training) + 1
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/catalogue.xlsx").data), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert rows[0] == [*COLUMNS, "catalogue"] and len(rows) == len(lines)
    assert sum(r[-1] == "organisation" for r in rows) == 1
    data = json.loads(client.get("/catalogue.json").get_data(as_text=True))
    assert {d["catalogue"] for d in data} == {"framework", "organisation"}
    assert next(d for d in data if d["catalogue"] == "organisation")["capabilities"] == [
        "professional_confidence",
        "creativity_innovation",
    ]


def test_an_account_outside_any_organisation_is_told_why(client, make_user, login):
    make_user("lone-ld@example.org", roles=("ld",))
    login("lone-ld@example.org")
    response = client.get("/catalogue")
    assert response.status_code == 403
    assert "not part of an organisation" in response.get_data(as_text=True)


def test_an_oversized_upload_gets_a_clear_message(app, client, ld):
    app.config["MAX_CONTENT_LENGTH"] = 100 * 1024  # small, so the test client keeps it in memory
    try:
        response = _upload(client, b"x" * (200 * 1024))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 5 * 1024 * 1024
    assert response.status_code == 413
    assert "The file is too large: the limit is 100 KB" in response.get_data(as_text=True)
