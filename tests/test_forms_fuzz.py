"""Every form, fed arbitrary input by someone of a second organisation on the deployment:
never a server error, never a stack trace, never anything of the first organisation."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import local_item_form, save_notes

FORMS = {  # url: field names a browser would send
    "/login": ["email", "password"],
    "/profile": [
        "current_role",
        "years_qualified",
        "registered",
        "line_management",
        "extra_hours_per_week",
        "area_justice",
        "area_children_families",
    ],
    "/profile/ratings/vision": ["vision-level"],
    "/profile/training": ["item", "completed_on"],
    "/profile/ratings": ["vision-level", "empowering-level"],
    "/profile/learning": [
        "title",
        "learned_on",
        "kind",
        "minutes",
        "capabilities",
        "reflection",
        "evidence_link",
    ],
    "/plans": ["target", "route", "label"],
    "/account/delete": ["password", "confirm_email"],
    "/admin/users": ["name", "email", "roles", "team", "line_manager"],
    "/catalogue/new": [
        "id",
        "title",
        "kind",
        "mode",
        "capabilities",
        "roles",
        "sw_specific",
        "status",
        "embedded",
        "duration",
        "link",
    ],
    "/framework/roles/new": [
        "base",
        "slug",
        "title",
        "track",
        "stage",
        "positional",
        "typical_years",
        "req_vision",
        "note",
        "source",
    ],
    "/framework/roles/cswo/edit": [
        "base",
        "title",
        "stage",
        "typical_years",
        "req_vision",
        "training_gap",
        "note",
    ],
    "/framework/transitions/new": [
        "base",
        "source_role",
        "target_role",
        "typical_years",
        "supports",
        "pre0_type",
        "pre0_min",
        "note",
        "source",
    ],
    "/framework/training/mba/edit": [
        "base",
        "title",
        "kind",
        "capabilities",
        "roles",
        "sw_specific",
        "link",
        "note",
    ],
}
values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "0", "-1", "1e309", "nan", "cswo", "2027", "y"]),
    st.lists(st.text(max_size=5), max_size=4),
)


FIRST = "Zorblax"  # in every name of the first organisation, and its private texts


def _first_organisation(client, make_user, make_org, login) -> dict[str, str]:
    """Another council's people and records: their URLs, fuzzed too, must stay out of reach."""
    org_id = make_org(f"{FIRST} council")
    boss = make_user(
        "boss@first.example", name=f"Bo {FIRST}", roles=["manager"], organisation_id=org_id
    )
    make_user(
        "own@first.example", name=f"Ova {FIRST}", line_manager_id=boss, organisation_id=org_id
    )
    make_user("ld@first.example", name=f"Lu {FIRST}", roles=["ld"], organisation_id=org_id)
    login("own@first.example")
    plan = client.post(
        "/plans",
        data={"target": "senior_practitioner", "route": "social_worker,senior_practitioner"},
    ).headers["Location"]
    save_notes(client, plan, f"{FIRST} private notes")
    client.post(plan + "/share", data={"share": "1"})
    client.post("/logout")
    login("ld@first.example")
    item = client.post("/catalogue/new", data=local_item_form("theirs", f"{FIRST} course"))
    client.post("/logout")
    return {
        "notes": plan + "/notes",
        "conversation": plan.replace("/plans/", "/team/plans/") + "/conversations",
        "item": item.headers["Location"].replace("#local-", "/") + "/edit",  # /catalogue/N/edit
    }


@pytest.fixture
def signed_in(app, client, make_user, make_org, login):
    first = _first_organisation(client, make_user, make_org, login)
    FORMS[first["notes"]] = ["notes", "revision"]
    FORMS[first["conversation"]] = ["held_on", "notes", "actions-0-title"]
    FORMS[first["item"]] = ["title", "kind", "mode", "capabilities", "duration"]
    org_id = make_org("Fuzz council")
    # every role of the organisation, and the deployment's national editor (framework forms)
    boss = make_user(
        roles=["practitioner", "admin", "manager", "ld", "national_editor"], organisation_id=org_id
    )
    make_user("report@example.org", line_manager_id=boss, organisation_id=org_id)
    login("report@example.org")
    shared = client.post(
        "/plans",
        data={"target": "senior_practitioner", "route": "social_worker,senior_practitioner"},
    ).headers["Location"]
    client.post(shared + "/share", data={"share": "1"})
    client.post("/logout")
    team_plan = shared.replace("/plans/", "/team/plans/")
    FORMS[team_plan + "/conversations"] = [
        "held_on",
        "notes",
        "prompts",
        "actions-0-title",
        "actions-0-owner",
        "actions-0-due",
    ]
    FORMS[team_plan + "/ratings"] = ["vision", "empowering"]
    login()
    response = client.post(
        "/plans",
        data={"target": "senior_practitioner", "route": "social_worker,senior_practitioner"},
    )
    FORMS[response.headers["Location"] + "/notes"] = ["notes", "revision"]
    FORMS[response.headers["Location"] + "/items"] = [
        "kind",
        "training_item",
        "title",
        "role",
        "service_area",
        "due",
    ]
    for url in first.values():  # the first organisation's records exist, out of reach
        assert client.post(url, data={}).status_code == 404, url
    return client


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_forms_never_fail_with_a_server_error(signed_in, data):
    url = data.draw(st.sampled_from(sorted(k for k in FORMS if k != "/account/delete")))
    fields = data.draw(
        st.dictionaries(st.sampled_from(FORMS[url] + ["unexpected"]), values, max_size=8)
    )
    headers = {"HX-Request": "true"} if data.draw(st.booleans()) else {}
    response = signed_in.post(url, data=fields, headers=headers)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, (url, fields, body[-800:])
    assert "Traceback" not in body
    assert FIRST not in body, (url, fields)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.dictionaries(
        st.sampled_from(["target", "route", "x"]), st.text(max_size=20), max_size=3
    )
)
def test_planner_query_strings_never_fail(signed_in, query):
    response = signed_in.get("/planner", query_string=query)
    assert response.status_code in (200, 400), query


QUERY_PAGES = {
    "/coverage": ["sw_only", "national_only"],
    "/framework/compare": ["from", "to"],
    "/admin/audit": ["area", "page", "action", "person", "since", "until"],
    "/planner": ["target", "route"],
}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_query_strings_never_fail(signed_in, data):
    url = data.draw(st.sampled_from(sorted(QUERY_PAGES)))
    query = data.draw(
        st.dictionaries(
            st.sampled_from(QUERY_PAGES[url] + ["x"]),
            st.one_of(st.text(max_size=12), st.sampled_from(["1", "0", "-5", "99999999999"])),
            max_size=3,
        )
    )
    response = signed_in.get(url, query_string=query)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, (url, query)
    assert "Traceback" not in body and FIRST not in body, (url, query)
