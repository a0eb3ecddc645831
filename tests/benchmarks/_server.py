"""Start a real `wayfinder serve` (gunicorn) on a free port for a benchmark."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(**env: str) -> Iterator[str]:
    """Run gunicorn via `python -m server serve`; yield the base URL."""
    port = free_port()
    with tempfile.TemporaryDirectory() as instance:
        environ = {
            **os.environ,
            "WAYFINDER_INSTANCE_PATH": instance,
            "WAYFINDER_DISPATCHER": "false",
            "WAYFINDER_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            **env,
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "server", "serve", "--port", str(port)],
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(url + "/", timeout=2).read()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("the server did not start") from None
                    time.sleep(0.1)
            yield url
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
