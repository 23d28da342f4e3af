"""Single sign-on with OpenID Connect (Microsoft Entra ID or any standard provider).

Configured by environment (read in ``create_app``): PATHWAYS_OIDC_ISSUER, _CLIENT_ID,
_CLIENT_SECRET, _NAME, _GROUP_ROLES and PATHWAYS_PASSWORD_SIGN_IN. Authlib checks the ID
token (signature against the provider's published keys, issuer, audience, nonce, expiry)
before anything here reads it; state, nonce and the PKCE verifier live in the signed session.

Who the person is on Pathways, in this order:

1. the account already linked to the token's issuer and subject (a returning person);
2. at first sign-in, the account in the matched organisation with the same email address
   and no single sign-on identity yet (made by an administrator's import or invitation):
   it is linked;
3. otherwise a new account in the organisation the token's tenant (``tid``) or email domain
   maps to, taking a pending invitation's roles, team and line manager.

Anything else is refused with a page that says why: no organisation matches, the address
belongs to an account of another organisation (never linked across organisations), the
account is closed. Docs: docs/security.md, "Single sign-on".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
import sqlalchemy as sa
from authlib.common.errors import AuthlibBaseError
from authlib.common.urls import add_params_to_uri
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.flask_client import OAuth
from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from joserfc.errors import JoseError

from planner.audit import record
from planner.auth import bp
from planner.auth.operations import create_user
from planner.extensions import db
from planner.models import ORGANISATION_ROLES, Invitation, Organisation, User
from planner.permissions import public
from planner.sessions import begin_session

__all__ = [
    "DEFAULT_NAME",
    "Identity",
    "SignInRefused",
    "account_for",
    "end_session_url",
    "expected_issuer",
    "identity_from_claims",
    "organisation_for",
    "parse_group_roles",
    "provider_origin",
    "register_sso",
    "sso_enabled",
]

CLIENT = "sso"  # Authlib's name for the provider (its state is kept as "_state_sso_...")
EXTENSION = "pathways.sso"
DEFAULT_NAME = "your organisation's account"
# Session keys: present while signed in through the provider (the ID token, when it fits in
# the cookie, for the provider's sign-out), and where to go after signing in.
SESSION_KEY, NEXT_KEY = "sso_id_token", "sso_next"
# Entra ID tokens listing many groups run to several kilobytes; a cookie holds four.
MAX_KEPT_ID_TOKEN = 1500
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class SignInRefused(Exception):
    """Single sign-on cannot sign this person in; ``message`` says why and what to do."""

    def __init__(self, title: str, message: str, status: int = 403):
        super().__init__(message)
        self.title, self.message, self.status = title, message, status


@dataclass(frozen=True)
class Settings:
    client: object  # Authlib's Flask OAuth client for the provider
    group_roles: dict[str, tuple[str, ...]]  # empty: roles are an administrator's to grant


# -- configuration ------------------------------------------------------------------------


def parse_group_roles(text: str) -> dict[str, tuple[str, ...]]:
    """PATHWAYS_OIDC_GROUP_ROLES as group id -> organisation roles; a group may be named
    more than once. Raises ValueError naming anything that is not an organisation role.

    >>> parse_group_roles("g1=manager, g2=ld,g1=practitioner")
    {'g1': ('manager', 'practitioner'), 'g2': ('ld',)}
    """
    found: dict[str, set[str]] = {}
    for pair in filter(None, (part.strip() for part in text.split(","))):
        group, _, role = (side.strip() for side in pair.partition("="))
        if not group or role not in ORGANISATION_ROLES:
            raise ValueError(
                f"PATHWAYS_OIDC_GROUP_ROLES: {pair!r} is not group-id=role with role one of "
                f"{', '.join(ORGANISATION_ROLES)}"
            )
        found.setdefault(group, set()).add(role)
    return {group: tuple(sorted(roles)) for group, roles in found.items()}


def register_sso(app) -> None:
    """Register the provider's client when an issuer is configured; refuse to start with a
    configuration that cannot work (no client id, bad group mapping, no way to sign in)."""
    config = app.config
    issuer = (config.get("OIDC_ISSUER") or "").strip().rstrip("/")
    if not issuer:
        if not config["PASSWORD_SIGN_IN"]:
            raise RuntimeError(
                "PATHWAYS_PASSWORD_SIGN_IN=0 leaves no way to sign in: set PATHWAYS_OIDC_ISSUER "
                "(single sign-on) too, or leave password sign-in on"
            )
        return
    for key in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"):
        if not config.get(key):
            raise RuntimeError(f"PATHWAYS_OIDC_ISSUER is set, so PATHWAYS_{key} must be too")
    try:
        group_roles = parse_group_roles(config.get("OIDC_GROUP_ROLES") or "")
    except ValueError as error:
        raise RuntimeError(str(error)) from None
    oauth = OAuth(app)
    client = oauth.register(
        CLIENT,
        client_id=config["OIDC_CLIENT_ID"],
        client_secret=config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": "openid email profile",
            "code_challenge_method": "S256",
            "default_timeout": 10,
        },
    )
    app.extensions[EXTENSION] = Settings(client=client, group_roles=group_roles)


def sso_enabled() -> bool:
    return EXTENSION in current_app.extensions


def _settings() -> Settings:
    return current_app.extensions[EXTENSION]


def provider_origin(issuer: str) -> str:
    """The scheme and host of the provider, for the Content Security Policy.

    >>> provider_origin("https://login.microsoftonline.com/abc/v2.0/")
    'https://login.microsoftonline.com'
    """
    parts = urlsplit(issuer)
    return f"{parts.scheme}://{parts.netloc}"


def _provider_name() -> str:
    name = current_app.config.get("OIDC_NAME") or DEFAULT_NAME
    return "your organisation's sign-in service" if name == DEFAULT_NAME else name


def expected_issuer(metadata_issuer: str, tenant: str | None) -> str:
    """The issuer an ID token must carry. Entra ID's multi-tenant endpoints publish
    ``https://login.microsoftonline.com/{tenantid}/v2.0``: each token names its tenant.

    >>> expected_issuer("https://login.microsoftonline.com/{tenantid}/v2.0", "t1")
    'https://login.microsoftonline.com/t1/v2.0'
    """
    return metadata_issuer.replace("{tenantid}", tenant or "")


def _claims_options(metadata: dict, client_id: str) -> dict:
    """What the ID token's issuer and audience must be. Given options replace Authlib's own
    issuer check, and Authlib alone checks the audience only through ``azp``: the audience
    must name this client, whatever ``azp`` says (OpenID Connect Core 3.1.3.7)."""
    issuer = metadata.get("issuer") or ""
    if "{tenantid}" in issuer:
        checked_issuer = {
            "essential": True,
            "validate": lambda claims, value: value == expected_issuer(issuer, claims.get("tid")),
        }
    else:
        checked_issuer = {"essential": True, "value": issuer}
    return {"iss": checked_issuer, "aud": {"essential": True, "value": client_id}}


# -- who signed in ------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """What Pathways uses from a checked ID token."""

    issuer: str
    subject: str
    email: str  # lower case
    name: str  # may be empty
    tenant: str | None
    groups: tuple[str, ...] | None  # None: the token does not list them

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2]


def identity_from_claims(claims) -> Identity:
    """Read an ID token's claims. The email address may be in ``email`` or (Entra ID) in
    ``preferred_username``; one the provider says it has not verified is refused, as it
    could be anyone's."""
    email = ""
    for claim in ("email", "preferred_username"):
        value = str(claims.get(claim) or "").strip().lower()
        if EMAIL.fullmatch(value) and len(value) <= 254:
            email = value
            break
    if not email:
        raise SignInRefused(
            "We could not sign you in",
            f"Your account at {_provider_name()} did not give Pathways an email address, which "
            "it needs to find your organisation. Ask your administrator.",
        )
    if claims.get("email") and claims.get("email_verified") is False:
        raise SignInRefused(
            "We could not sign you in",
            f"{_provider_name()} has not confirmed that {email} is your email address. Confirm "
            "it there, then sign in again.",
        )
    name = str(claims.get("name") or "").strip()
    if not name:
        name = " ".join(
            str(claims.get(part) or "").strip() for part in ("given_name", "family_name")
        ).strip()
    groups = claims.get("groups")
    if isinstance(groups, str):
        groups = (groups,)
    elif isinstance(groups, list):
        groups = tuple(str(group) for group in groups)
    elif "groups" in (claims.get("_claim_names") or {}) or claims.get("hasgroups"):
        groups = None  # Entra ID's "group overage": too many groups to list in the token
    else:
        groups = ()  # Entra ID leaves the claim out for someone in no group
    tenant = claims.get("tid")
    return Identity(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=email,
        name=name[:200],
        tenant=str(tenant) if tenant else None,
        groups=groups,
    )


def organisation_for(identity: Identity) -> Organisation | None:
    """The organisation the token's tenant maps to, else the one its email domain maps to.
    An organisation with a tenant takes sign-ins from that tenant only: anyone can put any
    address on an account in a tenant of their own, so there the domain proves nothing."""
    if identity.tenant:
        found = db.session.scalar(
            sa.select(Organisation).where(Organisation.sso_tenant == identity.tenant)
        )
        if found is not None:
            return found
    candidates = db.session.scalars(
        sa.select(Organisation).where(
            Organisation.sso_tenant.is_(None),
            Organisation.email_domains.contains(identity.domain, autoescape=True),
        )
    ).all()
    matches = [org for org in candidates if identity.domain in org.email_domains.split()]
    return matches[0] if len(matches) == 1 else None  # two claiming a domain: neither


def _roles_from_groups(identity: Identity, group_roles) -> set[str] | None:
    """Organisation roles from the token's groups, or None when roles are not to be set
    from groups (no mapping configured, or the token does not list the groups)."""
    if not group_roles or identity.groups is None:
        return None
    roles = {role for group in identity.groups for role in group_roles.get(group, ())}
    return roles or {"practitioner"}


def _closed() -> SignInRefused:
    return SignInRefused(
        "Your account has been closed",
        "Your account has been closed; ask your administrator.",
    )


def account_for(identity: Identity, group_roles) -> User:
    """The account ``identity`` signs in to, linked or made at first sign-in, with roles
    set from groups where configured. Raises SignInRefused. Audit events are added; the
    caller commits."""
    user = db.session.scalar(
        sa.select(User).filter_by(sso_issuer=identity.issuer, sso_subject=identity.subject)
    )
    if user is None:
        return _first_sign_in(identity, group_roles)
    if not user.active:
        raise _closed()
    _set_roles_from_groups(user, _roles_from_groups(identity, group_roles))
    return user


def _first_sign_in(identity: Identity, group_roles) -> User:
    organisation = organisation_for(identity)
    if organisation is None:
        raise SignInRefused(
            "Your account is not linked to an organisation",
            f"Your account at {_provider_name()} is not linked to an organisation on Pathways; "
            f"ask your administrator. (You signed in there as {identity.email}.)",
        )
    existing = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == identity.email))
    if existing is not None:
        return _link(existing, organisation, identity, group_roles)
    invitation = db.session.scalar(
        sa.select(Invitation).filter_by(organisation_id=organisation.id, email=identity.email)
    )
    roles = _roles_from_groups(identity, group_roles)
    if roles is None:
        roles = set(invitation.roles) if invitation else {"practitioner"}
    user = create_user(
        identity.name or (invitation.name if invitation else identity.email.split("@")[0]),
        identity.email,
        roles,
        organisation_id=organisation.id,
        team_id=invitation.team_id if invitation else None,
        line_manager_id=invitation.line_manager_id if invitation else None,
        commit=False,
        by_themselves=True,
    )
    user.sso_issuer, user.sso_subject = identity.issuer, identity.subject
    how = (
        "tenant"
        if organisation.sso_tenant and organisation.sso_tenant == identity.tenant
        else "email domain"
    )
    summary = f"Account made at first single sign-on, in the organisation of its {how}"
    if invitation is not None:
        summary += ", from a pending invitation"
        db.session.delete(invitation)
    record("account.sso_provision", "user", user.id, summary, actor=user)
    return user


def _link(existing: User, organisation: Organisation, identity: Identity, group_roles) -> User:
    """An account with the address already exists: link it only if it is in the same
    organisation and has no single sign-on identity yet."""
    if existing.organisation_id != organisation.id:
        raise SignInRefused(
            "Your email address is in use",
            f"There is already a Pathways account for {identity.email} in another organisation "
            "(or in none), so single sign-on cannot use it. Ask your administrator.",
        )
    if existing.sso_subject is not None:
        raise SignInRefused(
            "Your email address is in use",
            f"Your Pathways account is linked to a different account at {_provider_name()}. "
            "Ask your administrator.",
        )
    if not existing.active:
        raise _closed()
    existing.sso_issuer, existing.sso_subject = identity.issuer, identity.subject
    record(
        "account.sso_link",
        "user",
        existing.id,
        "Single sign-on linked to the existing account",
        actor=existing,
    )
    _set_roles_from_groups(existing, _roles_from_groups(identity, group_roles))
    return existing


def _set_roles_from_groups(user: User, wanted: set[str] | None) -> None:
    if wanted is None:
        return
    # Deployment roles (national framework editor) are never the provider's to change.
    keep = user.roles - set(ORGANISATION_ROLES)
    current = user.roles & set(ORGANISATION_ROLES)
    added, removed = wanted - current, current - wanted
    if not (added or removed):
        return
    words = [f"added {', '.join(sorted(added))}"] if added else []
    words += [f"removed {', '.join(sorted(removed))}"] if removed else []
    user.set_roles(wanted | keep)
    record(
        "account.update",
        "user",
        user.id,
        "Roles set from single sign-on groups: " + "; ".join(words),
        actor=user,
    )


# -- views --------------------------------------------------------------------------------


def _not_configured():
    abort(
        404,
        description="This deployment does not use single sign-on. Sign in with your email "
        "address and password.",
    )


def _refused(title: str, message: str, status: int):
    return render_template("auth/sso_refused.html", title=title, message=message), status


def _back_to_sign_in(message: str, status: int = 400):
    from planner.auth.forms import LoginForm

    return render_template(
        "auth/login.html",
        form=LoginForm(),
        self_registration=current_app.config["SELF_REGISTRATION"],
        sso_error=message,
    ), status


@bp.get("/login/sso")
@public
def sso_start():
    """Send the browser to the provider, with a fresh state, nonce and PKCE challenge."""
    from planner.auth.routes import _safe_next, home_url  # routes imports this module

    if not sso_enabled():
        _not_configured()
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    # One sign-in in flight per browser: unfinished ones would otherwise pile up in the cookie.
    for key in [key for key in session if key.startswith(f"_state_{CLIENT}_")]:
        session.pop(key)
    session[NEXT_KEY] = _safe_next(request.args.get("next"))
    try:
        return _settings().client.authorize_redirect(url_for("auth.sso_callback", _external=True))
    except requests.RequestException as error:
        current_app.logger.warning("single sign-on: provider unreachable: %s", type(error).__name__)
        return _unreachable()


def _unreachable():
    return _refused(
        "Single sign-on is not available",
        f"Pathways cannot reach {_provider_name()} at the moment. Try again in a few minutes.",
        503,
    )


@bp.get("/login/sso/callback")
@public
def sso_callback():
    """The provider sends the browser back here: check everything, then sign in."""
    if not sso_enabled():
        _not_configured()
    error = request.args.get("error")
    if error:
        if error == "access_denied":
            message = f"You did not finish signing in at {_provider_name()}. Try again."
        else:
            message = (
                f"{_provider_name()} could not sign you in. Try again, or ask your administrator."
            )
        current_app.logger.info("single sign-on: the provider answered %s", error[:60])
        return _back_to_sign_in(message)
    client = _settings().client
    try:
        claims_options = _claims_options(client.load_server_metadata(), client.client_id)
        token = client.authorize_access_token(claims_options=claims_options)
    except MismatchingStateError:
        return _back_to_sign_in(
            "Your sign-in was started in another window or took too long. Sign in again."
        )
    except (AuthlibBaseError, JoseError) as error:
        # A bad signature, another service's token (audience), a replayed nonce, an expired
        # token, a refused code: nothing of it is trusted, and no session begins.
        current_app.logger.warning("single sign-on: token refused: %r", error)
        return _refused(
            "We could not sign you in",
            f"Pathways could not confirm your sign-in at {_provider_name()}, so you have not "
            "been signed in. Try again; if it happens again, tell your administrator.",
            400,
        )
    except requests.RequestException as error:
        current_app.logger.warning("single sign-on: provider unreachable: %s", type(error).__name__)
        return _unreachable()
    claims = token.get("userinfo")
    if not claims:  # no ID token at all: an OAuth-only answer proves no identity
        return _refused(
            "We could not sign you in",
            f"{_provider_name()} did not confirm who you are. Ask your administrator.",
            400,
        )
    try:
        user = account_for(identity_from_claims(claims), _settings().group_roles)
    except SignInRefused as refused:
        db.session.rollback()
        return _refused(refused.title, refused.message, refused.status)
    record("account.sign_in", "user", user.id, "Signed in with single sign-on", actor=user)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # the same first sign-in finished at once in another tab
        db.session.rollback()
        return _back_to_sign_in("Your sign-in was interrupted. Sign in again.", 409)
    begin_session(user)
    id_token = token.get("id_token") or ""
    session[SESSION_KEY] = id_token if len(id_token) <= MAX_KEPT_ID_TOKEN else ""
    from planner.auth.routes import home_url  # routes imports this module

    return redirect(session.pop(NEXT_KEY, None) or home_url(user))


def end_session_url() -> str | None:
    """Where to send the browser to end the provider's session too (RP-initiated logout),
    when this session began there and the provider offers it; call before clearing the
    session."""
    if not sso_enabled() or SESSION_KEY not in session:
        return None
    settings = _settings()
    try:
        endpoint = settings.client.load_server_metadata().get("end_session_endpoint")
    except (requests.RequestException, ValueError) as error:
        current_app.logger.warning("single sign-on: no end-session endpoint: %r", error)
        return None
    if not endpoint:
        return None
    params = {
        "client_id": settings.client.client_id,
        "post_logout_redirect_uri": url_for("explore.role_map", _external=True),
    }
    if session[SESSION_KEY]:
        params["id_token_hint"] = session[SESSION_KEY]
    return add_params_to_uri(endpoint, params)
