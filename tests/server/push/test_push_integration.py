"""Push inside the real app: the factory, the CLI, `wayfinder serve`, the wheel."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from push_fake import FakePushService  # tests/ is on sys.path

from server.cli import main
from server.config import DEFAULT_PUSH_SERVICES
from server.push import state
from server.views import offline_urls
from tests.support import free_port

ROOT = Path(__file__).resolve().parents[3]


def test_factory_registers_push(app: Flask) -> None:
    """create_app runs migrations, loads the key and serves the API and its doc."""
    client = app.test_client()
    key = client.get("/api/push/public-key")
    assert key.status_code == 200
    assert key.get_json() == {"publicKey": state(app).public_key}
    assert key.headers["Content-Security-Policy"].startswith("default-src 'self'")
    doc = client.get("/api/openapi.json")
    assert doc.status_code == 200 and doc.get_json()["openapi"] == "3.1.0"
    with app.app_context():
        assert not [u for u in offline_urls(app) if u.startswith("/api/")]
    missing = client.get("/api/push/subscriptions/nope")
    assert missing.status_code == 401 and missing.is_json


def test_vapid_command_prints_the_public_key(tmp_path: Path) -> None:
    """`wayfinder vapid` prints the key the app uses, generated once, mode 0600."""
    env = {"WAYFINDER_INSTANCE_PATH": str(tmp_path)}
    first = CliRunner().invoke(main, ["vapid"], env=env)
    assert first.exit_code == 0, first.output
    key = first.output.strip()
    assert len(key) == 87 and key.startswith("B")
    assert (tmp_path / "vapid_private_key.pem").stat().st_mode & 0o777 == 0o600
    again = CliRunner().invoke(main, ["vapid"], env=env)
    assert again.output.strip() == key


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    """A database that cannot be reached stops start-up with one clear line."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("WAYFINDER_")},
        "WAYFINDER_INSTANCE_PATH": str(tmp_path),
        "WAYFINDER_DATABASE_URL": f"postgresql://nobody@127.0.0.1:{port}/none",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-m", "server", "vapid"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "WAYFINDER_DATABASE_URL" in lines[0], result.stderr


def _children(pid: int) -> dict[int, str]:
    """Child processes of pid and their command lines, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def _wait(condition, timeout: float, what: str):
    """Poll until condition() is truthy (a subprocess offers nothing to wait on)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _request(url: str, body: bytes | None = None, token: str | None = None) -> bytes:
    """A small HTTP client for the served app."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def test_serve_runs_exactly_one_dispatcher(tmp_path: Path) -> None:
    """`wayfinder serve` with two web workers runs one dispatcher beside them,
    restarts it if it dies, sends a test push through it, and stops it on exit."""
    import json

    fake = FakePushService().start()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("WAYFINDER_")},
        "WAYFINDER_INSTANCE_PATH": str(tmp_path / "instance"),
        "WAYFINDER_PUSH_SERVICES": ",".join((*DEFAULT_PUSH_SERVICES, fake.origin)),
        "WAYFINDER_WEB_WORKERS": "2",
        "WAYFINDER_DISPATCH_POLL_SECONDS": "1",
        "PYTHONPATH": str(ROOT),
    }
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: _reachable(base + "/api/push/public-key"), 120, "the server")

        def dispatchers() -> list[int]:
            """The dispatcher children of the gunicorn master."""
            return [p for p, c in _children(server.pid).items() if " worker" in c]

        first = _wait(lambda: dispatchers(), 60, "the dispatcher")
        assert len(first) == 1
        _wait(
            lambda: (
                len([c for c in _children(server.pid).values() if " worker" not in c])
                == 2
            ),
            60,
            "two web workers",
        )
        created = json.loads(
            _request(
                base + "/api/push/subscriptions",
                json.dumps(
                    {
                        "subscription": fake.subscribe(),
                        "timezone": "UTC",
                        "reminders": [],
                    }
                ).encode(),
            )
        )
        test_url = f"{base}/api/push/subscriptions/{created['id']}/test"
        _request(test_url, b"", created["token"])
        assert fake.wait_for(1, timeout=60)
        assert fake.received[0].tag.startswith("wf-test-")
        # Kill the dispatcher: the master starts exactly one new one.
        os.kill(first[0], signal.SIGKILL)
        second = _wait(
            lambda: [p for p in dispatchers() if p != first[0]], 60, "a new dispatcher"
        )
        assert len(second) == 1 and len(dispatchers()) == 1
        _request(test_url, b"", created["token"])
        assert fake.wait_for(2, timeout=60)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
        log.close()
        fake.stop()
    assert fake.problems == []
    assert _wait(
        lambda: (
            not Path(f"/proc/{second[0]}").exists()
            or "Z" in Path(f"/proc/{second[0]}/stat").read_text().split(")")[1][:3]
        ),
        30,
        "the dispatcher to stop",
    )


def _reachable(url: str) -> bool:
    """Whether url answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_wheel_carries_and_runs_the_migrations(wheel: Path, tmp_path: Path) -> None:
    """`pip install .` ships the Alembic scripts, and they run from the wheel."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for source in ROOT.joinpath("server/push/migrations").rglob("*"):
        if source.is_file() and "__pycache__" not in source.parts:
            assert str(source.relative_to(ROOT)) in names, source
    script = (
        "from server.push import db; from sqlalchemy import inspect; "
        "assert 'site' in str(db.MIGRATIONS), db.MIGRATIONS; "
        f"e = db.make_engine('sqlite:///{tmp_path / 'x.sqlite3'}'); db.migrate(e); "
        "print(sorted(inspect(e).get_table_names()))"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "push_delivery" in result.stdout and "alembic_version" in result.stdout
