"""A throwaway Redis server for tests: Debian's redis-server on a free port.

It runs in the foreground of a subprocess with no persistence, in a temporary
folder, and is stopped on exit. CI installs redis-server (scripts/test).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support import free_port

BINARY = "redis-server"


class RedisError(RuntimeError):
    """Redis could not be started."""


def installed() -> bool:
    """Whether redis-server is on the PATH."""
    return shutil.which(BINARY) is not None


def _answers(port: int) -> bool:
    """Whether a Redis server answers PING on this port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def throwaway_redis() -> Iterator[str]:
    """Start redis-server; yield its URL (database 0)."""
    if not installed():
        raise RedisError(f"{BINARY} is not installed (apt-get install redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="wayfinder-redis-"))
    port = free_port()
    process = subprocess.Popen(
        [BINARY, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder), "--logfile", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RedisError(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)
