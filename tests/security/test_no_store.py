"""Nothing personal is kept by a browser's or a proxy's cache. Finding: no Cache-Control:
no-store on pages that show a token once, plans, exports and PDFs."""

from __future__ import annotations

from tests.test_permissions import API, PUBLIC_API, _owner_data, _urls


def test_every_page_and_download_says_no_store(app, client, make_user, login):
    """Every GET URL of the app, as the plan's owner and as their manager: each response
    (page, JSON, CSV, YAML, PDF, redirect, error) carries Cache-Control: no-store."""
    _, values = _owner_data(app, client, make_user, login)
    seen = 0
    for email in ("owner@example.org", "boss@example.org", "ld@example.org"):
        login(email)
        for rule, method, url in _urls(app, values):
            if method != "GET" or rule.endpoint in API | PUBLIC_API | {"static"}:
                continue
            response = client.get(url)
            assert response.headers.get("Cache-Control") == "no-store", (email, url)
            response.close()
            seen += 1
        client.post("/logout")
    assert seen > 90
    # the page that shows a new API token once
    login("owner@example.org")
    made = client.post("/account/tokens", data={"name": "Another"})
    assert "pw_" in made.get_data(as_text=True)
    assert made.headers["Cache-Control"] == "no-store"


def test_the_api_says_no_store_and_static_files_may_be_cached(client, make_user, login):
    from tests.test_api import _token

    make_user()
    token = _token(client, login)
    response = client.get("/api/v1/me/plans", headers={"Authorization": f"Bearer {token}"})
    assert response.headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/app.css")
    assert static.status_code == 200 and static.headers.get("Cache-Control") != "no-store"
    static.close()
