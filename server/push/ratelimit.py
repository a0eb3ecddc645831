"""Where the API's rate-limit counters live (WAYFINDER_RATE_LIMIT_STORAGE).

Flask-Limiter's memory storage keeps counters per process, so with N gunicorn
workers a client really gets N times the limit. Unless told otherwise, the
counters are kept in ``ratelimit.sqlite3`` in the instance folder (WAL, one
UPSERT per request), shared by every web worker of one machine. For many
machines, WAYFINDER_RATE_LIMIT_STORAGE names a Redis server and Flask-Limiter's
own Redis storage counts there; ``memory://`` counts in each process.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time

from limits.storage import Storage

SCHEME = "wayfinder-sqlite"
#: Seconds to wait for Redis before a request goes through uncounted.
REDIS_TIMEOUT = 0.5
#: Expired counters are swept once in this many increments.
SWEEP_EVERY = 1000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS hits (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    expires REAL NOT NULL
)
"""

_INCR = """
INSERT INTO hits (key, count, expires) VALUES (:key, :amount, :expires)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN hits.expires <= :now THEN :amount
                 ELSE hits.count + :amount END,
    expires = CASE WHEN hits.expires <= :now THEN :expires ELSE hits.expires END
RETURNING count
"""


class SQLiteStorage(Storage):
    """Fixed-window counters in a SQLite file (``wayfinder-sqlite:///path``)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **_: str):
        """Remember the file; connections open lazily, one per process."""
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self.path = (uri or "").removeprefix(f"{SCHEME}://")
        self._pid = -1
        self._conn: sqlite3.Connection | None = None
        self._lock: threading.Lock | None = None
        self._count = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        """What a failing database raises."""
        return sqlite3.Error

    def _db(self) -> tuple[sqlite3.Connection, threading.Lock]:
        """This process's connection (a fork gets its own) and its lock."""
        if self._conn is None or self._pid != os.getpid():
            conn = sqlite3.connect(
                self.path, timeout=5, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            self._conn, self._lock, self._pid = conn, threading.Lock(), os.getpid()
        assert self._lock is not None
        return self._conn, self._lock

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add to a counter, starting a new window if the old one ended."""
        conn, lock = self._db()
        now = time.time()
        with lock:
            (count,) = conn.execute(
                _INCR,
                {"key": key, "amount": amount, "expires": now + expiry, "now": now},
            ).fetchone()
            self._count += 1
            if self._count % SWEEP_EVERY == 0:
                conn.execute("DELETE FROM hits WHERE expires <= ?", (now,))
        return count

    def get(self, key: str) -> int:
        """A counter's value in its current window (0 when none)."""
        conn, lock = self._db()
        with lock:
            row = conn.execute(
                "SELECT count FROM hits WHERE key = ? AND expires > ?",
                (key, time.time()),
            ).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        """When a counter's window ends (now when there is none)."""
        conn, lock = self._db()
        with lock:
            row = conn.execute(
                "SELECT expires FROM hits WHERE key = ?", (key,)
            ).fetchone()
        return row[0] if row else time.time()

    def check(self) -> bool:
        """Whether the file can be used."""
        try:
            conn, lock = self._db()
            with lock:
                conn.execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter; return how many there were."""
        conn, lock = self._db()
        with lock:
            return conn.execute("DELETE FROM hits").rowcount

    def clear(self, key: str) -> None:
        """Forget one counter."""
        conn, lock = self._db()
        with lock:
            conn.execute("DELETE FROM hits WHERE key = ?", (key,))


def storage_uri(configured: str | None, instance_path: str) -> str:
    """The storage URI: the configured one, or the instance's SQLite file."""
    return configured or f"{SCHEME}://{instance_path}/ratelimit.sqlite3"


def is_shared(uri: str) -> bool:
    """Whether counters live in a server (Redis), which may become unreachable."""
    return uri.split("://", 1)[0].lower().startswith("redis")


def storage_options(uri: str) -> dict[str, float]:
    """Connection options: short Redis timeouts, so a lost Redis never stalls."""
    if not is_shared(uri):
        return {}
    return {"socket_timeout": REDIS_TIMEOUT, "socket_connect_timeout": REDIS_TIMEOUT}
