"""Single sign-on (OpenID Connect) against a real provider: oidc-provider-mock serving on a
local port, with registered clients, signed ID tokens and its own sign-in page. The Flask
test client is the browser on the Pathways side; httpx is the browser on the provider's.

Attacks on the token go through a real HTTP hop between Pathways and the provider
(``Interceptor``) that rewrites what passes, as a network attacker or a malicious provider
page would: a changed payload, another key's signature, a token issued to another service,
another nonce, another issuer. Nothing in Pathways or Authlib is replaced."""

from __future__ import annotations

import base64
import json
import re
import threading
import warnings
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import sqlalchemy as sa
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from planner import create_app
from planner.auth.sso import expected_issuer, parse_group_roles
from planner.extensions import db
from planner.models import AuditEvent, Invitation, Organisation, Team, User
from tests.conftest import PASSWORD, TEST_CONFIG

# The provider (Authlib 1.9 under oidc-provider-mock 0.3) warns of its own use of a deprecated
# Authlib hook while it issues tokens, in its server thread; that is not the app's warning.
pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config.*:DeprecationWarning")

CALLBACK = "http://localhost/login/sso/callback"  # the Flask test client's host
NAME = "Test ID"


def run_provider(**options):
    """oidc-provider-mock's server on a free port (imported here: it uses Authlib modules
    that warn of their own deprecation, which is the mock's business, not ours)."""
    import authlib.deprecate  # noqa: F401  (first: it installs an "always" filter of its own)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from oidc_provider_mock import run_server_in_thread

    return run_server_in_thread(**options)


@pytest.fixture(scope="module")
def provider():
    """A real OpenID Connect provider that accepts registered clients only and requires a
    nonce; two clients are registered: Pathways and another service."""
    with run_provider(require_client_registration=True, require_nonce=True) as server:
        url = f"http://localhost:{server.server_port}"
        clients = [
            httpx.post(f"{url}/oauth2/clients", json={"redirect_uris": [CALLBACK]}).json()
            for _ in range(2)
        ]
        yield Provider(url, clients[0], clients[1])


class Provider:
    def __init__(self, url: str, pathways: dict, other: dict):
        self.url, self.pathways, self.other = url, pathways, other

    def person(self, sub: str, **claims) -> str:
        """Set someone's claims at the provider (what its directory says about them)."""
        httpx.put(f"{self.url}/users/{sub}", json=claims).raise_for_status()
        return sub


class Interceptor:
    """A real HTTP hop in front of the provider. Pathways is configured with this hop as its
    issuer; the Host header is passed on, so the provider names the hop in its discovery
    document and tokens. Each test may set one rewrite; the fixture clears it."""

    def __init__(self, provider: Provider):
        self.provider, self.upstream = provider, provider.url
        self.url = ""  # set once it listens
        self.attack = None

    def __call__(self, environ, start_response):
        request = Request(environ)
        args = request.args.to_dict(flat=False)
        headers = {
            key: value
            for key, value in request.headers.items()
            if key.lower() not in ("content-length", "accept-encoding")
        }
        if self.attack == "another-nonce" and request.path == "/oauth2/authorize":
            args["nonce"] = ["a-nonce-pathways-never-sent"]
        if self.attack == "another-audience":
            other = self.provider.other
            if request.path == "/oauth2/authorize":  # the code is issued to the other service
                args["client_id"] = [other["client_id"]]
            if request.path == "/oauth2/token":  # and redeemed by it: aud is the other service
                pair = f"{other['client_id']}:{other['client_secret']}".encode()
                headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        if self.attack == "another-issuer" and request.path == "/oauth2/token":
            headers["Host"] = urlsplit(self.upstream).netloc  # the provider names itself
        answer = httpx.request(
            request.method,
            self.upstream + request.path,
            params=args,
            content=request.get_data(),
            headers=headers,
        )
        body = answer.content
        if request.path == "/oauth2/token" and answer.status_code == 200:
            token = answer.json()
            token["id_token"] = self._rewrite(token["id_token"])
            body = json.dumps(token).encode()
        passed = [
            (key, value)
            for key, value in answer.headers.items()
            if key.lower() not in ("content-length", "content-encoding", "transfer-encoding")
        ]
        return Response(body, status=answer.status_code, headers=passed)(environ, start_response)

    def _rewrite(self, id_token: str) -> str:
        header, payload, signature = id_token.split(".")
        if self.attack == "altered-payload":  # the same signature over a changed payload
            claims = json.loads(_unb64(payload))
            claims["sub"], claims["email"] = "victim", "victim@east.example"
            return ".".join((header, _b64(json.dumps(claims).encode()), signature))
        if self.attack == "another-key":  # well formed, signed by a key not the provider's
            claims = json.loads(_unb64(payload))
            return jwt.encode(json.loads(_unb64(header)), claims, RSAKey.generate_key(2048))
        return id_token


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def interceptor(provider):
    hop = Interceptor(provider)
    server = make_server("localhost", 0, hop, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hop.url = f"http://localhost:{server.server_port}"
    yield hop
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _no_attack(request):
    yield
    if "interceptor" in request.fixturenames:
        request.getfixturevalue("interceptor").attack = None


@pytest.fixture
def make_sso_app(app, provider):
    """Pathways with single sign-on configured, on the ``app`` fixture's database."""
    made = []

    def make(issuer=None, **config):
        sso_app = create_app(
            {
                **TEST_CONFIG,
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "OIDC_ISSUER": issuer or provider.url,
                "OIDC_CLIENT_ID": provider.pathways["client_id"],
                "OIDC_CLIENT_SECRET": provider.pathways["client_secret"],
                "OIDC_NAME": NAME,
                **config,
            }
        )
        made.append(sso_app)
        return sso_app

    yield make
    for sso_app in made:
        with sso_app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def sso_client(make_sso_app):
    return make_sso_app().test_client()


def sign_in(client, provider, sub: str, start: str = "/login/sso"):
    """Click "Sign in with ...", sign in at the provider's page as ``sub``, come back."""
    started = client.get(start)
    assert started.status_code == 302, started.get_data(as_text=True)
    answer = httpx.post(started.headers["Location"], data={"sub": sub})
    assert answer.status_code == 302, answer.text
    callback = answer.headers["Location"]
    assert callback.startswith(CALLBACK + "?"), callback
    return client.get(callback.removeprefix("http://localhost"))


def signed_in_as(client) -> str | None:
    """The name in the "Sign out" button on the role map, or None when signed out."""
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'Sign out<span class="govuk-visually-hidden"> (.*?)</span>', page)
    return found.group(1) if found else None


def account(app, email: str) -> dict | None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(email=email))
        if user is None:
            return None
        return {
            "id": user.id,
            "name": user.name,
            "organisation": user.organisation.name if user.organisation else None,
            "team": user.team.name if user.team else None,
            "line_manager_id": user.line_manager_id,
            "roles": user.roles,
            "sso_subject": user.sso_subject,
        }


def audit(app, user_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent)
            .filter_by(object_type="user", object_id=str(user_id))
            .order_by(AuditEvent.id)
        )
        return [(event.action, event.summary) for event in events]


def organisation(app, name: str, *, domains: str = "", tenant: str | None = None, teams=()):
    with app.app_context():
        org = Organisation(name=name, email_domains=domains, sso_tenant=tenant)
        org.teams = [Team(name=team) for team in teams]
        db.session.add(org)
        db.session.commit()
        return org.id


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


# -- the sign-in page ---------------------------------------------------------------------


def test_the_sign_in_page_leads_with_single_sign_on(sso_client):
    page = text(sso_client.get("/login"))
    button = page.index(f"Sign in with {NAME}")
    assert 'class="govuk-button govuk-button--start"' in page
    assert button < page.index("Or sign in with a password") < page.index('name="password"')
    assert 'href="/login/sso"' in page
    assert 'href="/login/sso?next=/plans"' in text(sso_client.get("/login?next=/plans"))


def test_password_sign_in_can_be_switched_off(make_sso_app, make_user):
    make_user("prac@east.example")
    client = make_sso_app(PASSWORD_SIGN_IN=False).test_client()
    page = text(client.get("/login"))
    assert f"Sign in with {NAME}" in page
    assert 'name="password"' not in page and "Or sign in with a password" not in page
    refused = client.post("/login", data={"email": "prac@east.example", "password": PASSWORD})
    assert refused.status_code == 403
    assert f"Signing in with a password is switched off here. Sign in with {NAME} instead." in (
        text(refused)
    )
    assert signed_in_as(client) is None


def test_with_passwords_off_no_link_sets_a_password(app, make_sso_app, make_user):
    """Registration, set-password links and invitations all lead to the provider instead."""
    from planner.auth.invitations import invite
    from planner.auth.tokens import make_token

    east = organisation(app, "East council", domains="east.example")
    prac = make_user("prac@east.example", organisation_id=east)
    with app.app_context():
        before = db.session.get(User, prac).password_hash
        reset_link = "/set-password/" + make_token(db.session.get(User, prac), reset=True)
        _, token = invite(
            east,
            "Eve Invited",
            "eve@east.example",
            ["practitioner"],
            team_id=None,
            line_manager_id=None,
            invited_by=db.session.get(User, prac),
        )
    sso_app = make_sso_app(PASSWORD_SIGN_IN=False, SELF_REGISTRATION=True)
    with sso_app.test_request_context():
        from flask import render_template

        context = {"name": "Eve", "inviter": "Bea", "organisation": "East", "link": "L"}
        for part in ("txt", "html"):
            email = render_template(f"email/invitation.{part}", **context)
            assert f"sign in with {NAME}".lower() in email.lower() and "password" not in email
    client = sso_app.test_client()
    for path, status, says in (
        ("/register", 404, "there are no passwords to choose"),
        (reset_link, 404, "this link no longer sets one"),
        (f"/invitations/{token}", 200, "Sign in with"),
    ):
        answer = client.get(path)
        page = text(answer)
        assert answer.status_code == status, path
        assert says in page and 'href="/login/sso"' in page, path
        assert 'name="password"' not in page, path
        assert client.post(path, data={"password": "a long new passphrase"}).status_code == status
    assert "as eve@east.example" in text(client.get(f"/invitations/{token}"))
    with app.app_context():
        assert db.session.get(User, prac).password_hash == before
        assert db.session.scalar(sa.select(User).filter_by(email="eve@east.example")) is None


def test_without_a_provider_nothing_changes(client, make_user, login):
    page = text(client.get("/login"))
    assert "Sign in with" not in page and "Or sign in with a password" not in page
    assert 'name="password"' in page
    assert client.get("/login/sso").status_code == 404
    assert client.get("/login/sso/callback?code=x&state=y").status_code == 404
    make_user()
    login()
    assert client.post("/logout").headers["Location"] == "/"


def test_a_configuration_that_cannot_work_stops_the_app():
    with pytest.raises(RuntimeError, match="no way to sign in"):
        create_app({**TEST_CONFIG, "PASSWORD_SIGN_IN": False})
    with pytest.raises(RuntimeError, match="PATHWAYS_OIDC_CLIENT_ID"):
        create_app({**TEST_CONFIG, "OIDC_ISSUER": "https://id.example"})
    with pytest.raises(RuntimeError, match="national_editor"):
        create_app(
            {
                **TEST_CONFIG,
                "OIDC_ISSUER": "https://id.example",
                "OIDC_CLIENT_ID": "pathways",
                "OIDC_CLIENT_SECRET": "secret",
                "OIDC_GROUP_ROLES": "g1=national_editor",
            }
        )


def test_group_roles_and_entra_issuers_are_read_as_documented():
    assert parse_group_roles(" g1=manager,g2=ld , g1=practitioner,") == {
        "g1": ("manager", "practitioner"),
        "g2": ("ld",),
    }
    assert (
        expected_issuer("https://login.microsoftonline.com/{tenantid}/v2.0", "abc")
        == "https://login.microsoftonline.com/abc/v2.0"
    )
    assert expected_issuer("https://id.example", "abc") == "https://id.example"


# -- first sign-in: which organisation, which account ---------------------------------------


def test_first_sign_in_makes_an_account_in_the_tenants_organisation(app, provider, sso_client):
    organisation(app, "East council", tenant="tenant-east")
    organisation(app, "West council", domains="west.example")
    # The tenant decides, whatever the address's domain.
    sub = provider.person("ada-1", email="Ada@West.example", name="Ada Lovelace", tid="tenant-east")
    response = sign_in(sso_client, provider, sub)
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    assert signed_in_as(sso_client) == "Ada Lovelace"
    ada = account(app, "ada@west.example")
    assert ada["organisation"] == "East council" and ada["roles"] == {"practitioner"}
    assert ada["sso_subject"] == sub
    actions = [action for action, _ in audit(app, ada["id"])]
    assert actions == ["account.create", "account.sso_provision", "account.sign_in"]
    assert (
        "account.sso_provision",
        "Account made at first single sign-on, in the organisation of its tenant",
    ) in audit(app, ada["id"])
    with app.app_context():  # made by the person signing in, not "the command line"
        actors = db.session.scalars(
            sa.select(AuditEvent.actor_name).filter_by(object_type="user", object_id=str(ada["id"]))
        ).all()
    assert set(actors) == {"Ada Lovelace"}


def test_first_sign_in_by_email_domain_and_a_returning_person_by_subject(app, provider, sso_client):
    organisation(app, "East council", domains="east.example east.gov.example")
    sub = provider.person("bo-1", email="bo@east.gov.example", given_name="Bo", family_name="Ng")
    sign_in(sso_client, provider, sub)
    assert signed_in_as(sso_client) == "Bo Ng"
    bo = account(app, "bo@east.gov.example")
    assert bo["organisation"] == "East council"
    sso_client.post("/logout")
    assert signed_in_as(sso_client) is None
    # Their address changes at the provider: they are still the same person here.
    provider.person("bo-1", email="bo.ng@east.example", name="Bo Ng")
    sign_in(sso_client, provider, sub)
    assert signed_in_as(sso_client) == "Bo Ng"
    assert account(app, "bo.ng@east.example") is None
    assert [a for a, _ in audit(app, bo["id"])].count("account.sign_in") == 2


def test_entra_id_addresses_in_preferred_username_are_used(app, provider, sso_client):
    organisation(app, "East council", domains="east.example")
    sub = provider.person("cy-1", preferred_username="Cy@east.example", name="Cy")
    sign_in(sso_client, provider, sub)
    assert signed_in_as(sso_client) == "Cy"
    assert account(app, "cy@east.example")["organisation"] == "East council"


def test_an_imported_account_is_linked_at_first_sign_in(app, provider, sso_client, make_user):
    east = organisation(app, "East council", domains="east.example")
    user_id = make_user(
        "dee@east.example",
        name="Dee Imported",
        roles=("practitioner", "manager"),
        organisation_id=east,
    )
    sub = provider.person("dee-1", email="DEE@east.example", name="Dee at the provider")
    sign_in(sso_client, provider, sub)
    assert signed_in_as(sso_client) == "Dee Imported"  # the same account, not a new one
    dee = account(app, "dee@east.example")
    assert dee["id"] == user_id and dee["sso_subject"] == sub
    assert dee["roles"] == {"practitioner", "manager"}  # granted by an administrator, kept
    assert "My team" in text(sso_client.get("/profile"))
    assert ("account.sso_link", "Single sign-on linked to the existing account") in audit(
        app, user_id
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_with_passwords_off_an_old_password_confirms_nothing(
    app, provider, make_sso_app, make_user
):
    """A linked account keeps its old password hash; with passwords off it is no longer a
    way in anywhere: deletion is confirmed by email address, and no set-password link is
    made for anyone."""
    east = organisation(app, "East council", domains="east.example")
    make_user("boss@east.example", name="Bea Boss", roles=("admin",), organisation_id=east)
    dee = make_user("dee@east.example", name="Dee Imported", organisation_id=east)
    client = make_sso_app(PASSWORD_SIGN_IN=False).test_client()
    sign_in(client, provider, provider.person("boss-1", email="boss@east.example"))
    person = text(client.get(f"/admin/users/{dee}"))
    assert "Make a new set-password link" not in person and "passwords are switched off" in person
    refused = text(client.post(f"/admin/users/{dee}/link", follow_redirects=True))
    assert "Passwords are switched off: Dee Imported signs in with single sign-on" in refused
    assert "/set-password/" not in refused
    client.post("/logout")
    sign_in(client, provider, provider.person("dee-1", email="dee@east.example"))
    page = text(client.get("/account"))
    assert 'name="password"' not in page and 'name="confirm_email"' in page
    kept = client.post("/account/delete", data={"password": PASSWORD})
    assert kept.status_code == 400 and account(app, "dee@east.example") is not None
    gone = client.post("/account/delete", data={"confirm_email": "dee@east.example"})
    assert gone.status_code == 302 and account(app, "dee@east.example") is None


def test_an_invitation_is_taken_over(app, provider, sso_client, make_user):
    from planner.auth.invitations import invite

    east = organisation(app, "East council", domains="east.example", teams=("Children",))
    boss = make_user("boss@east.example", roles=("admin", "manager"), organisation_id=east)
    with app.app_context():
        team = db.session.scalar(sa.select(Team).filter_by(name="Children"))
        invite(
            east,
            "Eve Invited",
            "eve@east.example",
            ["practitioner", "ld"],
            team_id=team.id,
            line_manager_id=boss,
            invited_by=db.session.get(User, boss),
        )
    sub = provider.person("eve-1", email="eve@east.example")  # no name at the provider
    sign_in(sso_client, provider, sub)
    assert signed_in_as(sso_client) == "Eve Invited"
    eve = account(app, "eve@east.example")
    assert eve["roles"] == {"practitioner", "ld"}
    assert eve["team"] == "Children" and eve["line_manager_id"] == boss
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0
    assert any("from a pending invitation" in summary for _, summary in audit(app, eve["id"]))


def test_roles_follow_the_providers_groups_when_mapped(app, provider, make_sso_app, make_user):
    mapping = "grp-managers=manager,grp-ld=ld,grp-staff=practitioner"
    client = make_sso_app(OIDC_GROUP_ROLES=mapping).test_client()
    east = organisation(app, "East council", domains="east.example")
    make_user(
        "fay@east.example",
        name="Fay",
        roles=("practitioner", "national_editor"),
        organisation_id=east,
    )
    groups = ["grp-managers", "grp-staff", "other"]
    sub = provider.person("fay-1", email="fay@east.example", groups=groups)
    sign_in(client, provider, sub)
    fay = account(app, "fay@east.example")
    assert fay["roles"] == {"manager", "practitioner", "national_editor"}
    assert "My team" in text(client.get("/profile"))
    assert ("account.update", "Roles set from single sign-on groups: added manager") in audit(
        app, fay["id"]
    )
    client.post("/logout")
    # Entra ID's "too many groups to list": roles are left as they are.
    provider.person("fay-1", email="fay@east.example", _claim_names={"groups": "src1"})
    sign_in(client, provider, sub)
    assert account(app, "fay@east.example")["roles"] == set(fay["roles"])
    client.post("/logout")
    # Out of every mapped group: a practitioner (the deployment role stays).
    provider.person("fay-1", email="fay@east.example", groups=["other"])
    sign_in(client, provider, sub)
    assert account(app, "fay@east.example")["roles"] == {"practitioner", "national_editor"}
    assert "My team" not in text(client.get("/profile"))
    assert ("account.update", "Roles set from single sign-on groups: removed manager") in audit(
        app, fay["id"]
    )
    client.post("/logout")
    # A newcomer's roles come from their groups at once.
    sign_in(client, provider, provider.person("gus-1", email="gus@east.example", groups=["grp-ld"]))
    assert account(app, "gus@east.example")["roles"] == {"ld"}


def test_without_a_mapping_sign_in_never_changes_roles(app, provider, sso_client, make_user):
    east = organisation(app, "East council", domains="east.example")
    make_user("hal@east.example", roles=("admin",), organisation_id=east)
    sub = provider.person("hal-1", email="hal@east.example", groups=["grp-managers"])
    sign_in(sso_client, provider, sub)
    assert account(app, "hal@east.example")["roles"] == {"admin"}
    newcomer = provider.person("ida-1", email="ida@east.example", groups=["grp-managers"])
    sso_client.post("/logout")
    sign_in(sso_client, provider, newcomer)
    assert account(app, "ida@east.example")["roles"] == {"practitioner"}


# -- refused --------------------------------------------------------------------------------


def test_a_closed_account_is_refused(app, provider, sso_client, make_user):
    east = organisation(app, "East council", domains="east.example")
    user_id = make_user("jo@east.example", organisation_id=east)
    sub = provider.person("jo-1", email="jo@east.example")
    sign_in(sso_client, provider, sub)  # linked
    sso_client.post("/logout")
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    response = sign_in(sso_client, provider, sub)
    assert response.status_code == 403
    assert "Your account has been closed; ask your administrator." in text(response)
    assert signed_in_as(sso_client) is None
    # ... and closed before it was ever linked.
    with app.app_context():
        make_user("kit@east.example", organisation_id=east)
        db.session.scalar(sa.select(User).filter_by(email="kit@east.example")).active = False
        db.session.commit()
    response = sign_in(sso_client, provider, provider.person("kit-1", email="kit@east.example"))
    assert "Your account has been closed" in text(response)
    assert account(app, "kit@east.example")["sso_subject"] is None


def test_no_organisation_no_account(app, provider, sso_client):
    organisation(app, "East council", domains="east.example")
    sub = provider.person("lu-1", email="lu@gmail.example", tid="unknown-tenant")
    response = sign_in(sso_client, provider, sub)
    assert response.status_code == 403
    assert (
        f"Your account at {NAME} is not linked to an organisation on Pathways; ask your "
        "administrator." in text(response)
    )
    assert signed_in_as(sso_client) is None and account(app, "lu@gmail.example") is None


def test_an_organisation_with_a_tenant_takes_no_other_tenant(app, provider, sso_client):
    """Anyone can put any address on an account in a tenant of their own: an organisation
    tied to a tenant is not entered by its email domain from another tenant."""
    organisation(app, "East council", domains="east.example", tenant="tenant-east")
    sub = provider.person("mo-1", email="mo@east.example", tid="tenant-attacker")
    response = sign_in(sso_client, provider, sub)
    assert "is not linked to an organisation" in text(response)
    assert account(app, "mo@east.example") is None


def test_an_account_of_another_organisation_is_never_linked(app, provider, sso_client, make_user):
    organisation(app, "East council", domains="east.example")
    west = organisation(app, "West council", domains="west.example")
    make_user("ned@east.example", name="Ned West", organisation_id=west)
    make_user("ola@east.example", name="Ola Nowhere")  # in no organisation
    for sub, email in (("ned-1", "ned@east.example"), ("ola-1", "ola@east.example")):
        response = sign_in(sso_client, provider, provider.person(sub, email=email))
        assert response.status_code == 403
        assert f"There is already a Pathways account for {email} in another organisation" in (
            text(response)
        )
        assert signed_in_as(sso_client) is None
        assert account(app, email)["sso_subject"] is None


def test_an_unverified_email_address_is_refused(app, provider, sso_client):
    organisation(app, "East council", domains="east.example")
    sub = provider.person("pat-1", email="pat@east.example", email_verified=False)
    response = sign_in(sso_client, provider, sub)
    assert f"{NAME} has not confirmed that pat@east.example is your email address" in (
        text(response)
    )
    assert account(app, "pat@east.example") is None


@pytest.mark.parametrize(
    "attack",
    ["altered-payload", "another-key", "another-audience", "another-nonce", "another-issuer"],
)
def test_a_token_that_fails_its_checks_is_refused(app, provider, interceptor, make_sso_app, attack):
    """Signature (a changed payload; another key with the provider's key id), audience (a
    token the provider issued to another service), nonce and issuer."""
    organisation(app, "East council", domains="east.example")
    client = make_sso_app(issuer=interceptor.url).test_client()
    sub = provider.person("quin-1", email="quin@east.example", name="Quin")
    sign_in(client, provider, sub)  # through the hop, untouched: it works
    assert signed_in_as(client) == "Quin"
    client.post("/logout")
    interceptor.attack = attack
    response = sign_in(client, provider, sub)
    assert response.status_code == 400
    assert f"Pathways could not confirm your sign-in at {NAME}" in text(response)
    assert "Traceback" not in text(response)
    assert signed_in_as(client) is None
    assert account(app, "victim@east.example") is None
    assert [a for a, _ in audit(app, account(app, "quin@east.example")["id"])].count(
        "account.sign_in"
    ) == 1


def test_an_expired_id_token_is_refused(app, make_sso_app):
    """A provider whose tokens expired ten minutes before they were issued (beyond the two
    minutes' allowance for clocks)."""
    organisation(app, "East council", domains="east.example")
    with run_provider(access_token_max_age=timedelta(minutes=-10)) as server:
        stale = Provider(f"http://localhost:{server.server_port}", {}, {})
        client = make_sso_app(
            issuer=stale.url, OIDC_CLIENT_ID="pathways", OIDC_CLIENT_SECRET="any"
        ).test_client()
        response = sign_in(client, stale, stale.person("ray-1", email="ray@east.example"))
    assert response.status_code == 400 and "could not confirm your sign-in" in text(response)
    assert signed_in_as(client) is None and account(app, "ray@east.example") is None


def test_a_state_that_does_not_match_is_refused(app, provider, make_sso_app):
    """A callback this browser did not start (login CSRF: someone else's code planted in
    your browser) or whose state was changed."""
    organisation(app, "East council", domains="east.example")
    sso_app = make_sso_app()
    attacker, victim = sso_app.test_client(), sso_app.test_client()
    sub = provider.person("sam-1", email="sam@east.example")
    started = attacker.get("/login/sso")
    callback = httpx.post(started.headers["Location"], data={"sub": sub}).headers["Location"]
    response = victim.get(callback.removeprefix("http://localhost"))
    assert response.status_code == 400
    assert "Your sign-in was started in another window or took too long" in text(response)
    assert signed_in_as(victim) is None
    changed = re.sub(r"state=[^&]+", "state=changed", callback)
    response = attacker.get(changed.removeprefix("http://localhost"))
    assert response.status_code == 400 and signed_in_as(attacker) is None
    assert account(app, "sam@east.example") is None


def test_cancelling_at_the_provider_comes_back_to_the_sign_in_page(provider, sso_client):
    started = sso_client.get("/login/sso")
    denied = httpx.post(started.headers["Location"], data={"action": "deny"})
    callback = denied.headers["Location"]
    assert "error=access_denied" in callback
    response = sso_client.get(callback.removeprefix("http://localhost"))
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and f"You did not finish signing in at {NAME}" in page
    assert f"Sign in with {NAME}" in page and signed_in_as(sso_client) is None


def test_next_is_followed_only_locally(app, provider, sso_client):
    organisation(app, "East council", domains="east.example")
    sub = provider.person("tia-1", email="tia@east.example")
    assert (
        sign_in(sso_client, provider, sub, "/login/sso?next=/plans").headers["Location"] == "/plans"
    )
    sso_client.post("/logout")
    evil = sign_in(sso_client, provider, sub, "/login/sso?next=https://evil.example/x")
    assert evil.headers["Location"] == "/profile"


# -- signing out ----------------------------------------------------------------------------


def test_signing_out_ends_the_session_here_and_at_the_provider(app, provider, sso_client):
    organisation(app, "East council", domains="east.example")
    sub = provider.person("uma-1", email="uma@east.example", name="Uma")
    sign_in(sso_client, provider, sub)
    assert signed_in_as(sso_client) == "Uma"
    copied = sso_client.get_cookie("session").value  # say, left on another computer
    response = sso_client.post("/logout")
    assert response.status_code == 302
    end_session = urlsplit(response.headers["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}" == provider.url
    assert end_session.path == "/oauth2/end_session"
    params = parse_qs(end_session.query)
    assert params["post_logout_redirect_uri"] == ["http://localhost/"]
    assert params["client_id"] == [provider.pathways["client_id"]]
    assert jwt.decode(params["id_token_hint"][0], _keys(provider)).claims["sub"] == sub
    # The provider's page confirms and sends the browser back to the role map.
    confirm = httpx.post(
        f"{provider.url}/oauth2/end_session/confirm",
        data={"redirect_uri": params["post_logout_redirect_uri"][0]},
    )
    assert confirm.headers["Location"] == "http://localhost/"
    role_map = text(sso_client.get("/"))
    assert "You have signed out." in role_map and "Sign out" not in role_map
    assert sso_client.get("/profile").status_code == 302
    elsewhere = sso_client.application.test_client()
    elsewhere.set_cookie("session", copied)
    assert signed_in_as(elsewhere) is None
    # The form-action of every page lets the sign-out form's redirect reach the provider.
    csp = sso_client.get("/").headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider.url};" in csp


def _keys(provider):
    from joserfc.jwk import KeySet

    return KeySet.import_key_set(httpx.get(f"{provider.url}/jwks").json())


def test_password_users_sign_out_as_before(app, sso_client, make_user):
    make_user("vic@east.example")
    sso_client.post("/login", data={"email": "vic@east.example", "password": PASSWORD})
    assert signed_in_as(sso_client) == "Vic"
    response = sso_client.post("/logout")
    assert response.headers["Location"] == "/"
    assert signed_in_as(sso_client) is None
