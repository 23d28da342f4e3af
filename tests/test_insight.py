"""Organisation insight: aggregates that never single anyone out."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.coverage import coverage
from pathways.insight import MIN_GROUP, OTHER_TEAMS, StaffRecord, insight
from planner.extensions import db
from tests.conftest import local_item_form
from tests.pdf import assert_pages_render, pdf_words


@st.composite
def staff(draw, framework):
    roles = sorted(framework.roles)
    caps = sorted(framework.capabilities)
    role = draw(st.sampled_from(roles))
    successors = sorted(framework.graph.successors(role))
    route = None
    if successors and draw(st.booleans()):
        route = (role, draw(st.sampled_from(successors)))
    items = draw(st.frozensets(st.sampled_from(sorted(framework.training)), max_size=3))
    return StaffRecord(
        team=draw(st.sampled_from(["A", "B", "C", "D", "E"])),
        current_role=role,
        ratings=tuple(
            sorted(draw(st.dictionaries(st.sampled_from(caps), st.integers(0, 5))).items())
        ),
        plan_route=route,
        plan_items=items,
        plans_per_item=tuple((i, 1) for i in sorted(items)),
    )


def _figures(grid):
    for _label, _size, figures in grid.rows:
        yield from figures
    yield from grid.total or ()


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_no_figure_singles_anyone_out(framework, data):
    records = data.draw(st.lists(staff(framework), max_size=40))
    result = insight(framework, records)
    grids = (result.current_gaps, result.next_gaps, result.progression)
    for grid in grids:
        for label, size, _ in grid.rows:
            assert size is None or size >= MIN_GROUP, label
        for figure in _figures(grid):
            assert not figure.shown or figure.value == 0 or figure.value >= MIN_GROUP
        # the rows add up to the total row: never exactly one hidden figure in a column
        for k in range(len(grid.columns)):
            column = [figures[k] for _, _, figures in grid.rows]
            hidden = sum(not f.shown for f in column)
            assert hidden != 1 or not grid.total[k].shown or grid.total[k].value == 0
    # progression adds up along rows too (each person is in one column)
    for _, _, figures in result.progression.rows:
        assert sum(not f.shown for f in figures) != 1
    if result.progression.total:
        assert sum(not f.shown for f in result.progression.total) != 1
    for _item, plans, people in result.demand:
        assert not people.shown or people.value >= MIN_GROUP
        assert plans.shown == people.shown
    for _cap, people, _roles in result.unclosable:
        assert not people.shown or people.value >= MIN_GROUP


def test_small_teams_are_pooled_and_figures_are_right(framework):
    sw = framework.roles["social_worker"].required
    low = tuple((c, 0) for c in framework.capabilities)
    high = tuple((c, 5) for c in framework.capabilities)
    records = (
        [StaffRecord("Big", "social_worker", low)] * 6
        + [StaffRecord("Big", "social_worker", high)] * 2
        + [StaffRecord("Tiny 1", "social_worker", low)] * 3
        + [StaffRecord("Tiny 2", "social_worker", high)] * 3
        + [StaffRecord("Lonely", "social_worker", low)] * 1
    )
    grid = insight(framework, records).current_gaps
    labels = [label for label, _, _ in grid.rows]
    assert labels == ["Big", OTHER_TEAMS]
    sizes = [size for _, size, _ in grid.rows]
    assert sizes == [8, 7]
    first_needed = next(i for i, c in enumerate(framework.capabilities) if sw.get(c))
    big, other = (figures[first_needed] for _, _, figures in grid.rows)
    assert big.value == 6 and other.value is None  # 4 of 7 in the pool: hidden
    assert not grid.total[first_needed].shown  # 10 would give the pool's 4 away


def test_coverage_shows_the_senior_social_worker_gap_first(framework):
    result = coverage(framework)
    first = result.findings[0]
    assert (first.role, first.kind) == ("senior_social_worker", "stated_gap")
    assert "no specific training for that level of worker" in first.quote
    row = next(r for r in result.rows if r.role.slug == "senior_social_worker")
    assert not row.has_course
    only_sw = coverage(framework, sw_only=True)
    cell = only_sw.cell("social_worker", "vision")
    assert cell.level == "none" and all(i.sw_specific for i in cell.items)
    assert coverage(framework).cell("social_worker", "vision").level == "generic"
    national = coverage(framework, national_only=True)
    assert all(i.scope == "national" for r in national.rows for c in r.cells for i in c.items)


# --- the pages -----------------------------------------------------------------------


@pytest.fixture
def org(app, make_user):
    from planner.models import Organisation, Team

    with app.app_context():
        organisation = Organisation(name="Insight council")
        db.session.add(organisation)
        db.session.flush()
        team = Team(organisation_id=organisation.id, name="North")
        db.session.add(team)
        db.session.commit()
        ids = organisation.id, team.id
    make_user("ld@example.org", roles=("ld",), organisation_id=ids[0], current_role=None)
    return ids


def _staff(app, make_user, client, login, org, n, prefix="person"):
    org_id, team_id = org
    for i in range(n):
        email = f"{prefix}{i}@example.org"
        make_user(email, name=f"Secret Name {prefix}{i}", organisation_id=org_id, team_id=team_id)
        login(email)
        client.post("/profile/ratings/vision", data={"vision-level": "1"})
        client.post(
            "/plans",
            data={"target": "senior_practitioner", "route": "social_worker,senior_practitioner"},
        )
        client.post("/logout")


def test_with_fewer_than_five_people_nothing_is_shown(app, client, make_user, login, org):
    _staff(app, make_user, client, login, org, 4)
    login("ld@example.org")
    page = client.get("/insight").get_data(as_text=True)
    assert "nothing that can be shown without singling someone out" in page
    assert "North" not in page and "Secret Name" not in page


def test_insight_counts_people_and_never_names_them(app, client, make_user, login, org):
    _staff(app, make_user, client, login, org, 6)
    login("ld@example.org")
    response = client.get("/insight")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Secret Name" not in page and "@example.org" not in page.replace("ld@example.org", "")
    assert "North (6 people)" in page
    # all six rate Vision 1, below the social worker's requirement: 6 of 6
    assert "North, Vision: 6 of 6 people" in page
    progression = page[page.index('id="progression"') :]
    assert re.search(
        r"Non-management route.*?</thead>.*?<td[^>]*>\s*0\s*</td>\s*<td[^>]*>\s*6",
        progression,
        re.S,
    )


def _sheet(response) -> list[list]:
    """The rows of a downloaded XLSX's only sheet."""
    import io

    from openpyxl import load_workbook

    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    [sheet] = book.worksheets
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_insight_downloads_hold_the_page_figures_and_hide_small_groups(
    app, client, make_user, login, org
):
    _staff(app, make_user, client, login, org, 6)
    login("ld@example.org")
    page = client.get("/insight").get_data(as_text=True)
    assert 'href="/insight.csv"' in page and 'href="/insight.xlsx"' in page
    csv_text = client.get("/insight.csv").get_data(as_text=True)
    rows = _sheet(client.get("/insight.xlsx"))
    assert rows[0] == ["table", "row", "people in the row", "column", "figure"]
    assert ["People below their current role's level", "North", 6, "Vision", 6] in rows
    assert "People below their current role's level,North,6,Vision,6" in csv_text
    assert len(csv_text.strip().split("\r\n")) == len(rows)  # the same table in both
    assert "Secret Name" not in csv_text and "@example.org" not in csv_text
    # a figure for fewer than five people is hidden in the file as on the page
    assert all(
        isinstance(r[4], int) and (r[4] == 0 or r[4] >= 5) or r[4] == "fewer than 5"
        for r in rows[1:]
    )


def test_the_insight_download_with_fewer_than_five_people_names_no_team(
    app, client, make_user, login, org
):
    _staff(app, make_user, client, login, org, 4)
    login("ld@example.org")
    text = client.get("/insight.csv").get_data(as_text=True)
    assert "North" not in text and "Secret Name" not in text


def test_coverage_downloads_follow_the_page_filters(client, org, login, framework):
    login("ld@example.org")
    page = client.get("/coverage?sw_only=1").get_data(as_text=True)
    assert 'href="/coverage.xlsx?sw_only=1"' in page
    rows = _sheet(client.get("/coverage.xlsx"))
    assert rows[0][:5] == ["stage", "role", "capability", "level required", "coverage"]
    assert len(rows) == 1 + len(framework.roles) * len(framework.capabilities)
    every = {r[6] for r in rows[1:]}
    sw_only = {r[6] for r in _sheet(client.get("/coverage.xlsx?sw_only=1"))[1:]}
    assert sum(len(t or "") for t in sw_only) < sum(len(t or "") for t in every)  # fewer items
    csv_text = client.get("/coverage.csv").get_data(as_text=True)
    assert csv_text.startswith("stage,role,capability,level required,coverage")


def test_coverage_page_leads_with_the_stated_gap(client, org, login):
    login("ld@example.org")
    page = client.get("/coverage").get_data(as_text=True)
    findings = page[page.index('id="findings"') :]
    assert findings.index("Senior social worker") < findings.index("No course")
    assert "there is no specific training for that level of worker" in findings
    assert (
        '<svg class="app-heatmap"' in page
        and 'aria-labelledby="coverage-title coverage-desc"' in page
    )
    filtered = client.get("/coverage?sw_only=1").get_data(as_text=True)
    assert "social-work-specific items only" in filtered


def test_audit_page_and_pdf_count_the_local_catalogue(client, org, login, tmp_path):
    login("ld@example.org")
    page = client.get("/audit").get_data(as_text=True)
    assert "How Insight council measures up" in page
    assert page.count('class="app-audit"') == 7 and "0 local items" in page
    client.post(
        "/catalogue/new",
        data=local_item_form(
            title="Our senior social worker course", roles=["senior_social_worker"]
        ),
    )
    page = client.get("/audit").get_data(as_text=True)
    assert "1 local item " in page
    pdf = client.get("/audit.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    words = pdf_words(pdf.data)
    assert words.startswith("Pathways organisation audit, ")
    assert "Social work in Scotland, student to CSWO version 2026.1 with 1 local item" in words
    assert "How Insight council measures up to the Iriss recommendations" in words
    headings = [
        "1. Clear journey",
        "2. Bespoke leadership training",
        "3. Embedded resources",
        "4. Design of leadership roles",
        "5. Time and influence",
        "6. National voice, evidence and innovation",
        "7. A clear and compelling story",
    ]
    assert [words.find(h) for h in headings] == sorted(words.find(h) for h in headings)
    assert -1 not in [words.find(h) for h in headings]
    assert (
        "A role at every stage from student to CSWO Met Every stage from student to CSWO has a "
        "role." in words
    )
    assert "REC" not in words  # plain sentences: criterion codes are for docs/iriss.md only
    # the local course is in the findings: no longer a senior social worker gap (REC2.b1),
    # and named among courses with no practice-embedding component (REC2.b5)
    assert "No social-work-specific course or qualification for: Newly" in words
    assert "for: Newly qualified social worker (NQSW), Senior practitioner," in words
    assert "Our senior social worker course" in words
    assert_pages_render(pdf.data, tmp_path)
    # the new course takes the senior social worker out of the "no course" findings
    coverage_page = client.get("/coverage").get_data(as_text=True)
    assert "Senior social worker: no social-work-specific course" not in coverage_page


def test_chart_labels_are_shown_in_full(client, org, login, make_user):
    """Heatmap and capability chart labels were once cut ("Professional confidence in
    integr…"); they wrap onto a second line instead, and the bar chart has a key and axis."""
    login("ld@example.org")
    page = client.get("/coverage").get_data(as_text=True)
    svg = page[page.index('<svg class="app-heatmap"') : page.index("</svg>")]
    assert "…" not in svg and ">in integrated settings</tspan>" in svg
    client.post("/logout")
    make_user("chart@example.org")
    login("chart@example.org")
    planner = client.get("/planner?target=team_manager").get_data(as_text=True)
    chart = planner[planner.index('<svg class="app-chart"') :]
    chart = chart[: chart.index("</svg>")]
    assert "…" not in chart.split("requires</text>", 1)[1]
    assert ">Your level</text>" in chart and "Level (0 = not yet, 5 = expert)" in chart
    assert "integrated settings</tspan>" in chart
