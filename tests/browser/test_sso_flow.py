"""Single sign-on in real Chromium: the sign-in page leads with the provider's button (axe
clean), the provider's own page signs the person in, and signing out passes through the
provider's end-session page (which the Content Security Policy must let the sign-out form's
redirect reach) back to the role map."""

from __future__ import annotations

import re
import threading
import warnings

import httpx
import pytest
from flask_migrate import upgrade
from playwright.sync_api import expect
from werkzeug.serving import make_server

from planner import create_app
from planner.extensions import db
from planner.frameworks import load_default
from planner.models import Organisation
from tests.browser.conftest import check_accessibility

# The provider (Authlib 1.9 under oidc-provider-mock 0.3) warns of its own use of a deprecated
# Authlib hook while it issues tokens, in its server thread; that is not the app's warning.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:get_jwt_config.*:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory):
    """Pathways configured for single sign-on with a real provider, both on loopback ports."""
    import authlib.deprecate  # noqa: F401  (first: it installs an "always" filter of its own)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(require_nonce=True) as provider_server:
        provider = f"http://localhost:{provider_server.server_port}"
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path_factory.mktemp('sso')}/sso.sqlite",
                "SECRET_KEY": "browser-sso",
                "OIDC_ISSUER": provider,
                "OIDC_CLIENT_ID": "pathways",
                "OIDC_CLIENT_SECRET": "not-checked-by-this-provider",
                "OIDC_NAME": "East Council ID",
            }
        )
        with app.app_context():
            upgrade()
            load_default()
            db.session.add(Organisation(name="East council", email_domains="east.example"))
            db.session.commit()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}", provider
        server.shutdown()
        thread.join(timeout=5)


def test_signing_in_and_out_through_the_provider(page, sso_server):
    pathways, provider = sso_server
    httpx.put(
        f"{provider}/users/ada", json={"email": "ada@east.example", "name": "Ada Lovelace"}
    ).raise_for_status()
    # The provider's page asks for a stylesheet on a CDN; these tests use no network.
    page.route(re.compile(r"^https://"), lambda route: route.abort())
    page.goto(pathways + "/login")
    start = page.get_by_role("button", name="Sign in with East Council ID")
    expect(start).to_be_visible()
    expect(page.get_by_role("heading", name="Or sign in with a password")).to_be_visible()
    check_accessibility(page, "sso-sign-in")

    start.click()
    page.wait_for_url(re.compile(re.escape(provider) + r"/oauth2/authorize\?"))
    page.get_by_placeholder("sub").fill("ada")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(pathways + "/profile")
    sign_out = page.get_by_role("button", name="Sign out Ada Lovelace")
    expect(sign_out).to_be_visible()

    sign_out.click()
    page.wait_for_url(re.compile(re.escape(provider) + r"/oauth2/end_session\?"))
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(pathways + "/")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("link", name="Sign in")).to_be_visible()
