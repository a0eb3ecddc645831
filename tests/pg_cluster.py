"""A throwaway PostgreSQL 15 cluster for tests and benchmarks.

Debian's binaries live in /usr/lib/postgresql/15/bin. initdb refuses to run
as root, so as root the cluster is made and run as the `postgres` user (via
runuser) in a temporary folder it may write to. The server listens on a free
loopback port with its unix socket in that folder, and is stopped and deleted
on exit.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class ClusterError(RuntimeError):
    """PostgreSQL could not be started."""


def installed() -> bool:
    """Whether the PostgreSQL 15 server binaries are present."""
    return (PG_BIN / "initdb").exists() and (PG_BIN / "pg_ctl").exists()


def _free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_cluster(max_connections: int = 200) -> Iterator[str]:
    """Start a cluster; yield its SQLAlchemy URL (database "postgres")."""
    if not installed():
        raise ClusterError(f"{PG_BIN / 'initdb'} is not installed")
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            raise ClusterError("runuser is needed to run initdb as postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    root = Path(tempfile.mkdtemp(prefix="wayfinder-pg-"))
    os.chmod(root, 0o777)
    data = root / "data"
    log = root / "server.log"
    port = _free_port()
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        f"-c synchronous_commit=off -c max_connections={max_connections}"
    )
    pg_ctl = [*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data)]
    try:
        subprocess.run(
            [*as_postgres, str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres",
             "-A", "trust", "-E", "UTF8", "--no-sync"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        subprocess.run(
            [*pg_ctl, "-l", str(log), "-w", "-t", "60", "-o", options, "start"],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = (getattr(exc, "stderr", b"") or b"").decode(errors="replace")
        logged = log.read_text() if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise ClusterError(f"{exc}: {detail} {logged}".strip()) from None
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*pg_ctl, "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60
        )
        shutil.rmtree(root, ignore_errors=True)
