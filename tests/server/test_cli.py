"""The `wayfinder` command: gunicorn from any folder; a complete wheel."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]


def wait_for_http(url: str, proc: subprocess.Popen, timeout: float = 60) -> bytes:
    """Poll url until it answers (or the process dies); return the body."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def test_serve_runs_gunicorn_from_any_folder(tmp_path):
    """`wayfinder serve --port N` serves pages on gunicorn, not the dev server."""
    port = free_port()
    env = {
        **os.environ,
        "WAYFINDER_INSTANCE_PATH": str(tmp_path / "instance"),
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = wait_for_http(f"http://127.0.0.1:{port}/", proc)
        assert b"<h1>Wayfinder</h1>" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/help") as response:
            assert response.status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
    assert "gunicorn" in output.lower() or "Booting worker" in output
    assert "development server" not in output.lower()


def test_serve_rejects_bad_config_in_one_line(tmp_path):
    """A malformed variable stops start-up with one line naming it, no traceback."""
    env = {**os.environ, "WAYFINDER_WEB_WORKERS": "many", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "server", "serve"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "WAYFINDER_WEB_WORKERS" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10"])
def test_serve_beyond_loopback_needs_a_public_url(tmp_path, host):
    """Without WAYFINDER_PUBLIC_URL, a non-loopback --host stops in one line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("WAYFINDER_PUBLIC_URL", None)
    env["WAYFINDER_INSTANCE_PATH"] = str(tmp_path / "instance")
    result = subprocess.run(
        [sys.executable, "-m", "server", "serve", "--host", host, "--port", "9"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "WAYFINDER_PUBLIC_URL is required" in lines[0] and host in lines[0]
    assert "Traceback" not in result.stderr and "Booting worker" not in result.stderr
    assert result.stdout == ""


def gunicorn_files(folder: Path) -> list[Path]:
    """Every file or folder under folder that gunicorn's control socket would make."""
    return [path for path in folder.rglob("*") if "gunicorn" in path.name]


def test_serve_leaves_no_control_socket_in_home(tmp_path):
    """gunicorn's control socket is off: nothing appears in HOME, during or after."""
    home = tmp_path / "home"
    home.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "HOME": str(home),
        "WAYFINDER_INSTANCE_PATH": str(tmp_path / "instance"),
        "PYTHONPATH": str(ROOT),
    }
    # Without XDG_RUNTIME_DIR, gunicorn's default socket is ~/.gunicorn/gunicorn.ctl.
    env.pop("XDG_RUNTIME_DIR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", proc)
        during = gunicorn_files(tmp_path)
    finally:
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
    assert proc.returncode == 0, output
    assert during == [] and gunicorn_files(tmp_path) == []
    assert "control socket" not in output.lower(), output


def test_wheel_carries_everything_needed_to_serve(wheel, tmp_path):
    """The wheel holds content, templates, styles, scripts, icons and the worker."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    bundled = "server/_bundled/"
    for source in ROOT.joinpath("content").rglob("*.md"):
        assert bundled + str(source.relative_to(ROOT)) in names
    for folder in (
        "frontend/templates",
        "frontend/css",
        "frontend/js",
        "frontend/icons",
    ):
        for source in ROOT.joinpath(folder).rglob("*"):
            if source.is_file():
                assert bundled + str(source.relative_to(ROOT)) in names, source
    for source in ROOT.joinpath("service_worker").rglob("*"):
        if source.is_file():
            assert bundled + str(source.relative_to(ROOT)) in names, source
    # Imported from the unpacked wheel, in another folder, it finds its own files.
    script = (
        "from server import create_app, paths; "
        f"app = create_app({{'INSTANCE_PATH': {str(tmp_path / 'i')!r}}}); "
        "assert '_bundled' in str(paths.ROOT), paths.ROOT; "
        "r = app.test_client().get('/guide/what-is-trd'); assert r.status_code == 200"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, check=True)
