"""Browser tests in real headless Chromium (Debian's /usr/bin/chromium), driven by Playwright,
against the app served from a thread on a loopback port. axe-core runs on every page visited."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from planner import create_app
from planner.frameworks import load_default

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    browser_items = [item for item in items if "browser" in str(item.fspath)]
    for item in browser_items:  # under pytest-xdist --dist loadgroup: one worker, one Chromium
        item.add_marker(pytest.mark.xdist_group("browser"))
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"browser tests need Chromium at {CHROMIUM}; .ci/run installs it")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server_app(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("browser") / "browser.sqlite"
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
            "SECRET_KEY": "browser",
            "LOGIN_RATE_LIMIT": "1000 per minute",  # the whole suite signs in from one address
        }
    )
    with app.app_context():
        upgrade()
        load_default()
    return app


@pytest.fixture(scope="session")
def live_server(live_server_app):
    server = make_server("127.0.0.1", 0, live_server_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context; fails the test if a page threw a JavaScript error.
    (Content Security Policy violations are checked without axe-core, which itself sets
    inline styles: see test_security_in_browser.py.)"""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture(scope="session", autouse=True)
def artifacts_dir():
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def check_accessibility(page, name: str, screenshot: bool = True) -> None:
    """Run axe-core on the current page; fail on any serious or critical violation.
    Keeps a full-page screenshot as a test artefact in tests/artifacts/ (unless told not to:
    the crawl of every page would spend more time on pictures than on checks)."""
    from axe_playwright_python.sync_playwright import Axe

    if screenshot:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in bad
    )
