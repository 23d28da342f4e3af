"""Every page of the product as its users reach it, on a phone (375 px wide) in real
Chromium: no page scrolls sideways, and axe-core finds no serious or critical problem.

The pages are found, not listed: starting from the role map, each visitor (signed out, a
practitioner, a manager, learning and development, an administrator of the demo council)
follows every link on every page they can reach, once per kind of page (numbers in the
address are one kind), so a page added later is checked without a line here."""

from __future__ import annotations

import re
import threading
from urllib.parse import urljoin, urlparse

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from planner import create_app
from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 800}
VISITORS = [
    None,
    "practitioner@demo.pathways",
    "manager@demo.pathways",
    "ld@demo.pathways",
    "admin@demo.pathways",
    "editor@demo.pathways",
]
# downloads, sign-out and anything that changes data on a GET are not pages to look at
NOT_PAGES = re.compile(
    r"\.(pdf|csv|json|yaml|yml|svg|png|xlsx|ics)(\?|$)|/logout|^/static/|/export|/api/"
)
MAX_PAGES = 120
VIEW_OPTIONS = {"order", "route", "area"}  # another view of the same page, not another page


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    from planner.demo import load_demo
    from planner.frameworks import framework_or_503, load_default

    db_path = tmp_path_factory.mktemp("phone") / "demo.sqlite"
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
            "SECRET_KEY": "phone",
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
    )
    with app.app_context():
        upgrade()
        load_default()
        load_demo(framework_or_503())
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    thread.join(timeout=5)


def _kind(adapter, path: str) -> tuple[str, tuple[str, ...]]:
    """A kind of page: its endpoint and the names of its query arguments."""
    url = urlparse(path)
    try:
        endpoint, _ = adapter.match(url.path, method="GET")
    except Exception:  # a redirect or a 404: its own kind
        endpoint = url.path
    names = set(re.findall(r"(?:^|&)([^=&]+)=", url.query)) - VIEW_OPTIONS
    return endpoint, tuple(sorted(names))


def _links(page, server: str, path: str) -> list[str]:
    """The product's own pages this page links to."""
    found = []
    for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))"):
        url = urlparse(urljoin(server + path, href))
        if url.netloc == urlparse(server).netloc and not NOT_PAGES.search(url.path):
            found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def test_no_page_scrolls_sideways_on_a_phone_and_axe_passes_everywhere(browser, demo_server):
    from planner.demo import DEMO_PASSWORD
    from planner.permissions import access_of

    demo_server, app = demo_server
    adapter = app.url_map.bind("localhost")
    checked: set = set()  # each kind of page is checked once, by the first visitor to reach it
    wide, visited = [], []
    for email in VISITORS:
        seen = set()  # kinds this visitor has walked through (and taken the links from)
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        if email:
            page.goto(demo_server + "/login?next=/profile")
            page.fill("#email", email)
            page.fill("#password", DEMO_PASSWORD)
            page.click("button:has-text('Sign in')")
            page.wait_for_url("**/profile")
        # signed in, the menu on every page leads everywhere; signed out, the map does
        queue = ["/profile"] if email else ["/", "/planner/try?from=student&target=cswo"]
        while queue and len(visited) < MAX_PAGES:
            path = queue.pop(0)
            kind = _kind(adapter, path)
            access = access_of(app, kind[0])
            if kind in seen or (kind in checked and (access is None or access.who == "public")):
                continue  # a public page another visitor checked has no new links for this one
            seen.add(kind)
            response = page.goto(demo_server + path)
            assert response.status < 500, path
            if kind in checked:  # walked through for its links (menus differ by role)
                queue += _links(page, demo_server, path)
                continue
            checked.add(kind)
            visited.append(f"{email or 'signed out'} {path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                culprits = page.evaluate(
                    """() => [...document.querySelectorAll('main *')]
                        .filter(e => e.getBoundingClientRect().right > innerWidth + 1
                                 && !e.closest('.app-table-scroll, .app-map-scroll'))
                        .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
                )
                wide.append((email, path, width, culprits))
            name = re.sub(r"\W+", "-", f"phone-{email or 'public'}-{path}")[:100]
            check_accessibility(page, name, screenshot=False)
            queue += _links(page, demo_server, path)
        context.close()
    print(f"{len(visited)} pages checked:", *visited, sep="\n")
    assert len(visited) >= 30, visited  # the crawl reached the product, not only a sign-in page
    assert wide == []
