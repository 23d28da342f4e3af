"""The app under gunicorn, as in production: it serves with a real key, refuses without."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

GUNICORN = Path(sys.executable).parent / "gunicorn"
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(tmp_path, env_extra):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite'}",
        **env_extra,
    }
    env.pop("FLASK_DEBUG", None)
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "--config",
            str(ROOT / "gunicorn.conf.py"),  # the project's settings, as in production
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "planner:create_app()",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, port


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is installed with the project")
def test_gunicorn_serves_the_app_with_a_real_key(tmp_path):
    env = {"SECRET_KEY": "k" * 40, "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite'}"}
    flask = [sys.executable, "-m", "flask", "--app", "planner"]
    for command in (["db", "upgrade"], ["load-framework"]):
        subprocess.run(flask + command, env={**os.environ, **env}, check=True, capture_output=True)
    process, port = _gunicorn(tmp_path, env)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode()
                    headers = response.headers
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer")
        assert "Role map" in body and "default-src 'self'" in headers["Content-Security-Policy"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.read() == b"ok\n"
    finally:
        process.terminate()
        process.communicate(timeout=10)


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is installed with the project")
def test_gunicorn_will_not_start_without_a_secret_key(tmp_path):
    env = {"SECRET_KEY": "", "PATHWAYS_SECRET_KEY_FILE": str(tmp_path / "no-such-file")}
    process, _ = _gunicorn(tmp_path, env)
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail("gunicorn started without a secret key")
    assert process.returncode != 0
    assert "SECRET_KEY is missing or too weak" in output
