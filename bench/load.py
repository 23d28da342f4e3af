"""Load test: gunicorn serving Pathways, driven by wrk, against a bare Flask endpoint, in one run.

Run on demand (needs Debian's ``wrk``: ``apt-get install wrk``; ``make bench-load`` does it):
    .venv/bin/python bench/load.py [--connections 50] [--duration 20] [--workers 4]
    scripts/with-postgres sh -c 'DATABASE_URL=$TEST_DATABASE_URL .venv/bin/python bench/load.py'

It migrates a fresh database (SQLite in a temporary directory unless DATABASE_URL is set;
that database is emptied first), loads the default framework and the demo data, makes an
API token for the demo practitioner and signs them in, then starts gunicorn with the same
settings serving ``bench/bare_app.py`` (a Flask app returning "ok": the floor) and
Pathways (twice: with and without its view cache). wrk then drives each case in turn with
``--connections`` open connections (default 50):

- the floor: ``GET /`` on the bare app;
- the in-app floor: ``GET /healthz`` on Pathways (no database, no session: the cost of the
  app's own request handling, security headers included);
- route JSON: ``GET /api/v1/routes?to=cswo`` with the practitioner's bearer token;
- the planner page: ``GET /planner?target=cswo`` with the practitioner's session cookie;
- both again on a third server started with ``PATHWAYS_VIEW_CACHE=0``, so every request
  computes the routes and renders the page (planner/viewcache.py): the worst case.

``--proxy`` puts nginx in front of every server, as in production (Debian's
``nginx-light``).

By default each connection sends its next request as soon as the last is answered (the
server saturated: throughput, and latency under that pressure). ``--think-ms 1000`` makes
each connection pause about a second between requests, like people reading pages: latency
at that many concurrent users rather than at saturation.

Each case first runs ``--warmup`` seconds unmeasured, so every worker has parsed the
framework and compiled its templates. Each response is checked once before the run (status
200, expected content), and wrk's byte
count shows that every response in the run was that page, not a redirect or an error.
Traffic goes to 127.0.0.1 only; each run is bounded by ``--duration``. Not a test: figures go
in docs/performance.md.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GUNICORN = Path(sys.executable).parent / "gunicorn"
LUA = Path(__file__).resolve().parent / "wrk_report.lua"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str, key: str) -> str:
    """Migrate, load the framework and demo data; returns an API token for the practitioner."""
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from planner import create_app
    from planner.api.tokens import make_token
    from planner.demo import load_demo
    from planner.extensions import db
    from planner.frameworks import current_framework, load_default
    from planner.models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": key})
    with app.app_context():
        if os.environ.get("DATABASE_URL"):
            downgrade(revision="base")
        upgrade()
        load_default()
        load_demo(current_framework())
        user = db.session.scalar(sa.select(User).filter_by(email="practitioner@demo.pathways"))
        _, token = make_token(user, "load test")
        db.session.remove()
        db.engine.dispose()
    return token


def start(app_spec: str, port: int, workers: int, env: dict, chdir: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "--config",
            str(ROOT / "gunicorn.conf.py"),  # the project's settings, for every server alike
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(chdir),
            "--log-level",
            "warning",
            app_spec,
        ],
        env=env,
        start_new_session=True,
    )
    if _listening(port, seconds=20):
        return process
    process.kill()
    raise SystemExit(f"gunicorn ({app_spec}) did not start on port {port}")


def _listening(port: int, seconds: float) -> bool:
    """Whether something accepts connections on the port within ``seconds``."""
    for _ in range(int(seconds * 10)):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    keepalive_timeout 65;
{servers}
}}
"""
NGINX_SERVER = """
    server {{
        listen 127.0.0.1:{listen};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}"""


def start_nginx(tmp: Path, upstreams: list[int]) -> tuple[subprocess.Popen, list[int]]:
    """nginx in front of each upstream port, as in production (it keeps clients' idle
    connections and buffers requests, so gunicorn's sync workers only see whole requests)."""
    ports = [_free_port() for _ in upstreams]
    servers = "".join(
        NGINX_SERVER.format(listen=port, upstream=upstream)
        for port, upstream in zip(ports, upstreams, strict=True)
    )
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, servers=servers))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen([nginx, "-c", str(conf)], start_new_session=True)
    for port in ports:
        if not _listening(port, seconds=10):
            process.kill()
            raise SystemExit(f"nginx did not listen on {port}: see {tmp}/nginx-error.log")
    return process, ports


def sign_in(base: str) -> str:
    """Sign the demo practitioner in through the real form; returns the Cookie header."""
    from planner.demo import DEMO_PASSWORD

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    if csrf is None:
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    form = urllib.parse.urlencode(
        {
            "csrf_token": csrf.group(1),
            "email": "practitioner@demo.pathways",
            "password": DEMO_PASSWORD,
        }
    ).encode()
    opener.open(f"{base}/login", data=form).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def fetch(url: str, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


def wrk(
    url: str, headers: dict, connections: int, duration: int, threads: int, think_ms: int
) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command += ["-s", str(LUA), url]
    env = {**os.environ, "WRK_THINK_MS": str(think_ms)}
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    line = next(x for x in output.splitlines() if x.startswith("WRK_JSON "))
    return json.loads(line.removeprefix("WRK_JSON "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=20, help="seconds per case")
    parser.add_argument(
        "--warmup", type=int, default=3, help="seconds of unmeasured load first, per case"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--proxy",
        action="store_true",
        help="put nginx (Debian's, apt-get install nginx-light) in front of every server",
    )
    parser.add_argument(
        "--think-ms",
        type=int,
        default=0,
        help="each connection pauses about this long between requests, like a person "
        "reading (0: none, the server is saturated)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (or make bench-load)")
    key = secrets.token_hex(32)
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp) / 'load.sqlite'}"
        token = prepare(url, key)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": key,
            "PATHWAYS_INSECURE_COOKIES": "1",  # plain HTTP on the loopback
        }
        env.pop("FLASK_DEBUG", None)
        bare_port, app_port = _free_port(), _free_port()
        bare = start("bare_app:app", bare_port, args.workers, env, ROOT / "bench")
        cold_port = _free_port()
        app = start("planner:create_app()", app_port, args.workers, env, ROOT)
        cold = start(
            "planner:create_app()",
            cold_port,
            args.workers,
            {**env, "PATHWAYS_VIEW_CACHE": "0"},
            ROOT,
        )
        proxy = None
        try:
            if args.proxy:
                proxy, (bare_port, app_port, cold_port) = start_nginx(
                    Path(tmp), [bare_port, app_port, cold_port]
                )
            base = f"http://127.0.0.1:{app_port}"
            cold_base = f"http://127.0.0.1:{cold_port}"
            cookie = sign_in(base)
            cases = [
                ("bare Flask endpoint (floor)", f"http://127.0.0.1:{bare_port}/", {}, b"ok"),
                ("Pathways /healthz (in-app floor)", f"{base}/healthz", {}, b"ok"),
                (
                    "route JSON (/api/v1/routes?to=cswo)",
                    f"{base}/api/v1/routes?to=cswo",
                    {"Authorization": f"Bearer {token}"},
                    b'"steps"',
                ),
                (
                    "planner page (/planner?target=cswo)",
                    f"{base}/planner?target=cswo",
                    {"Cookie": cookie},
                    b"Iriss",
                ),
                (
                    "route JSON, view cache off",
                    f"{cold_base}/api/v1/routes?to=cswo",
                    {"Authorization": f"Bearer {token}"},
                    b'"steps"',
                ),
                (
                    "planner page, view cache off",
                    f"{cold_base}/planner?target=cswo",
                    {"Cookie": cookie},  # the same key signs both servers' sessions
                    b"Iriss",
                ),
            ]
            print(
                f"gunicorn {args.workers} sync workers; wrk {args.threads} threads, "
                f"{args.connections} connections, {args.duration} s per case, "
                f"think time {args.think_ms} ms; {'nginx in front; ' if args.proxy else ''}"
                f"database: {url.split(':', 1)[0]}"
            )
            results = []
            for label, target, headers, expect in cases:
                status, body = fetch(target, headers)
                if status != 200 or expect not in body:
                    raise SystemExit(f"{label}: unexpected response {status} before the run")
                # warm every worker (framework parse, templates) before measuring
                wrk(target, headers, args.connections, args.warmup, args.threads, 0)
                figures = wrk(
                    target, headers, args.connections, args.duration, args.threads, args.think_ms
                )
                mean_size = figures["bytes"] / max(figures["requests"], 1)
                results.append((label, figures, len(body), mean_size))
            floor = results[0][1]["requests"] / results[0][1]["duration_us"]
            in_app = results[1][1]["requests"] / results[1][1]["duration_us"]
            header = (
                f"{'case':<38} {'req/s':>8} {'vs bare':>8} {'vs healthz':>10} {'p50 ms':>7} "
                f"{'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'body B':>7}"
            )
            print(header)
            for label, f, size, mean_size in results:
                rate = f["requests"] / f["duration_us"]
                errors = sum(f["errors"].values())
                print(
                    f"{label:<38} {rate * 1e6:>8.0f} {rate / floor:>8.2f} {rate / in_app:>10.2f} "
                    f"{f['p50_us'] / 1000:>7.1f} {f['p95_us'] / 1000:>7.1f} "
                    f"{f['p99_us'] / 1000:>7.1f} {errors:>6} {size:>7}"
                )
                # every response the size of the checked one (headers included): no redirects
                if errors or mean_size < size:
                    print(f"  warning: {errors} errors, mean response {mean_size:.0f} bytes")
        finally:
            if proxy is not None:
                stop(proxy)
            stop(cold)
            stop(app)
            stop(bare)
        if os.environ.get("DATABASE_URL"):
            from flask_migrate import downgrade

            from planner import create_app

            with create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": key}).app_context():
                downgrade(revision="base")


if __name__ == "__main__":
    main()
