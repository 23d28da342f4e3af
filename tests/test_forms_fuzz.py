"""Every form, fed arbitrary input: never a server error, never a stack trace."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    "/plans": ["target", "route", "label"],
    "/account/delete": ["password"],
    "/admin/users": ["name", "email", "roles", "team", "line_manager"],
}
values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "0", "-1", "1e309", "nan", "cswo", "2027", "y"]),
    st.lists(st.text(max_size=5), max_size=4),
)


@pytest.fixture
def signed_in(client, make_user, login):
    make_user(roles=["practitioner", "admin"])
    login()
    response = client.post(
        "/plans",
        data={"target": "senior_practitioner", "route": "social_worker,senior_practitioner"},
    )
    FORMS[response.headers["Location"] + "/items"] = [
        "kind",
        "training_item",
        "title",
        "role",
        "service_area",
        "due",
    ]
    return client


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
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
