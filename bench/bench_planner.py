"""Benchmark: the planner page with demo data, against a bare Flask endpoint, in one run.

Run on demand:  .venv/bin/python bench/bench_planner.py [--repeat 200]
Requests go through the whole WSGI app in-process (Flask's test client), so the figures are
server time: routing, session, database, engine, templates. Target (issue 3): median under
50 ms. Throughput is reported as a ratio to a bare endpoint measured the same way.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade

from planner import create_app
from planner.demo import DEMO_PASSWORD, load_demo
from planner.frameworks import current_framework, load_default


def timed(client, url, repeat):
    client.get(url)  # warm up caches (framework parse, templates)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite'}",
                "WTF_CSRF_ENABLED": False,
                "SECRET_KEY": secrets.token_hex(32),
                "SESSION_COOKIE_SECURE": False,  # the in-process client speaks plain HTTP
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

        bare = Flask("bare")
        bare.add_url_rule("/", "bare", lambda: "ok")
        results = {
            "bare Flask endpoint": timed(bare.test_client(), "/", args.repeat),
            "planner, options (/planner)": timed(client, "/planner", args.repeat),
            "planner, route to CSWO (/planner?target=cswo)": timed(
                client, "/planner?target=cswo", args.repeat
            ),
            "planner partial (htmx)": None,
        }
        client.environ_base["HTTP_HX_REQUEST"] = "true"
        results["planner partial (htmx)"] = timed(client, "/planner?target=cswo", args.repeat)
        floor = statistics.median(results["bare Flask endpoint"])
        print(f"{'case':<50} {'median ms':>10} {'req/s':>9} {'vs bare':>8}")
        for label, times in results.items():
            median = statistics.median(times)
            print(f"{label:<50} {median * 1000:>10.2f} {1 / median:>9.0f} {floor / median:>8.3f}")


if __name__ == "__main__":
    main()
