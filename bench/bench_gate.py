"""Benchmark: what the access gate, the input and cache rules and the server-side session
check cost the planner page, measured in one process by taking them out and putting them back.

Run on demand:  .venv/bin/python bench/bench_gate.py [--repeat 300] [--rounds 4]
Each round times the page with the checks (as served) and without them (the before-request
gate and NUL rule, the no-store rule, and planner.sessions.session_is_current), alternately,
so both see the same machine. Target (issue 12): no more than 10% slower. Page timings on a
shared 2-core machine wander by more than the checks cost, so the checks are also timed on
their own (each called 20,000 times in one request context, the user already loaded) and
their sum given as a share of each page's median.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

import planner.extensions
import planner.sessions
from planner import create_app
from planner.demo import DEMO_PASSWORD, load_demo
from planner.frameworks import current_framework, load_default
from planner.hardening import no_store, refuse_nul_characters
from planner.permissions import check_access

URLS = ("/planner", "/planner?target=cswo", "/plans")


def timed(client, url: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return times


def checks(app, on: bool) -> None:
    """Put the checks in (as served) or take them out."""
    before, after = app.before_request_funcs[None], app.after_request_funcs[None]
    for funcs, func in ((before, check_access), (before, refuse_nul_characters), (after, no_store)):
        if on and func not in funcs:
            funcs.append(func)
        elif not on and func in funcs:
            funcs.remove(func)
    # the user loader imports the check when it runs, so replacing it here takes effect
    planner.sessions.session_is_current = SESSION_CHECK if on else (lambda user: True)


SESSION_CHECK = planner.sessions.session_is_current


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite'}",
                "WTF_CSRF_ENABLED": False,
                "SECRET_KEY": secrets.token_hex(32),
                "SESSION_COOKIE_SECURE": False,
            }
        )
        with app.app_context():
            upgrade()
            load_default()
            load_demo(current_framework())
        client = app.test_client()
        client.post(
            "/login", data={"email": "practitioner@demo.pathways", "password": DEMO_PASSWORD}
        )
        results = {(url, on): [] for url in URLS for on in (True, False)}
        for url in URLS:
            timed(client, url, 20)  # warm up
        for _ in range(args.rounds):
            for on in (True, False):
                checks(app, on)
                for url in URLS:
                    results[url, on] += timed(client, url, args.repeat)
        checks(app, True)
        alone = checks_alone(app)
        print(f"{'page':<24} {'with checks':>12} {'without':>10} {'ratio':>7} {'checks alone':>13}")
        for url in URLS:
            with_, without = (statistics.median(results[url, on]) for on in (True, False))
            print(
                f"{url:<24} {with_ * 1000:>9.2f} ms {without * 1000:>7.2f} ms "
                f"{with_ / without:>7.3f} {sum(alone.values()) / with_:>12.1%}"
            )
        for name, seconds in alone.items():
            print(f"  {name:<40} {seconds * 1e6:>8.1f} µs")


def checks_alone(app, calls: int = 20_000) -> dict[str, float]:
    """Seconds per call of each check, in a request for /planner?target=cswo by a signed-in
    person whose account is already loaded (as it is for the page itself)."""
    from flask_login import current_user

    from planner.models import User

    found = {}
    with app.test_request_context("/planner?target=cswo"):
        user = planner.extensions.db.session.scalar(
            sa.select(User).filter_by(email="practitioner@demo.pathways")
        )
        planner.sessions.begin_session(user)
        assert current_user.is_authenticated
        response = app.response_class("")
        for name, call in (
            ("check_access (user already loaded)", check_access),
            ("refuse_nul_characters", refuse_nul_characters),
            ("no_store", lambda: no_store(response)),
            ("session_is_current", lambda: SESSION_CHECK(user)),
        ):
            start = time.perf_counter()
            for _ in range(calls):
                call()
            found[name] = (time.perf_counter() - start) / calls
    return found


if __name__ == "__main__":
    main()
