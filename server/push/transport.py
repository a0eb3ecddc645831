"""Sending: encrypt each notification and post it on kept-alive connections.

pywebpush encrypts each message (aes128gcm, a fresh ECDH key each time); the
VAPID header is signed once per push-service origin and re-signed hourly
(valid 12 h); the POST is made by us on kept-alive ``http.client``
connections, several threads per origin ("lanes"), with TTL (the time left
until the reminder stops being useful), Urgency, Topic (per kind) and
Content-Type.
"""

from __future__ import annotations

import http.client
import logging
import math
import queue
import select
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from pywebpush import WebPusher

from . import payload, store
from .policy import Answer
from .runtime import PushState
from .validation import endpoint_origin

log = logging.getLogger(__name__)

#: HTTP timeouts: (connect, read) in seconds.
TIMEOUT = (3.05, 10.0)
#: The longest one send can take, in whole seconds. A send starts at least
#: this long before its claim's lease ends, so no lease runs out mid-send.
LONGEST_SEND = math.ceil(sum(TIMEOUT))
#: The shortest lease allowed: half of it for starting sends, half for the last.
MIN_LEASE = 2 * LONGEST_SEND
#: A kept-alive connection idle longer than this is checked before reuse.
IDLE_CHECK = 1.0
#: Bytes of a push service's answer we read (they are small).
MAX_RESPONSE = 64 * 1024
#: Signed VAPID headers live 12 h (the limit is 24 h) and are re-signed hourly.
VAPID_LIFETIME = 12 * 3600
VAPID_REFRESH = 3600


class OriginPool:
    """Keep-alive HTTP/1.1 connections to one push service, one per sending thread.

    Plain ``http.client`` (standard library): it costs less than half the CPU
    of urllib3 or requests per request, and a push sender needs none of their
    extras. Connections only ever go to this origin, redirects are never
    followed, nothing is retried here, and HTTPS certificates are verified.
    """

    def __init__(self, origin: str) -> None:
        """Open nothing yet."""
        parts = urlsplit(origin)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if self.https else 80)
        self.tls = ssl.create_default_context() if self.https else None
        self._local = threading.local()
        self._all: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        """This thread's connection, reconnected if the server closed it."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self.tls is not None:
                conn = http.client.HTTPSConnection(
                    self.host, self.port, timeout=TIMEOUT[0], context=self.tls
                )
            else:
                conn = http.client.HTTPConnection(
                    self.host, self.port, timeout=TIMEOUT[0]
                )
            self._local.conn = conn
            self._local.used = 0.0
            with self._lock:
                self._all.append(conn)
        sock = conn.sock
        if sock is not None and time.monotonic() - self._local.used > IDLE_CHECK:
            # Idle a while: the server may have closed it (it would be readable).
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                conn.close()
        if conn.sock is None:
            conn.connect()  # connect timeout, then the read timeout below
            conn.sock.settimeout(TIMEOUT[1])
        return conn

    def post(
        self, endpoint: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, str | None, bytes]:
        """POST to an endpoint on this origin; (status, Retry-After, body)."""
        parts = urlsplit(endpoint)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn = self._connection()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read(MAX_RESPONSE)
            if response.will_close or not response.isclosed():
                conn.close()
        except BaseException:
            conn.close()
            raise
        self._local.used = time.monotonic()
        return response.status, response.getheader("Retry-After"), data

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()


class Batch:
    """Results of jobs handed to the sender: (job, answer or None) each."""

    def __init__(self, size: int) -> None:
        """Expect ``size`` results."""
        self.size = size
        self.results: queue.SimpleQueue = queue.SimpleQueue()

    def __iter__(self) -> Iterator[tuple[store.Job, Answer | None]]:
        """Yield every result as it comes."""
        for _ in range(self.size):
            yield self.results.get()

    def groups(self) -> Iterator[list[tuple[store.Job, Answer | None]]]:
        """Yield results in groups: wait for one, then take all that are ready."""
        left = self.size
        while left:
            group = [self.results.get()]
            while len(group) < left:
                try:
                    group.append(self.results.get_nowait())
                except queue.Empty:
                    break
            left -= len(group)
            yield group


class _Lane:
    """Sending threads for one push-service origin, fed from one queue."""

    def __init__(self, sender: Sender, origin: str, size: int) -> None:
        """Start ``size`` threads."""
        self.sender = sender
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.threads = [
            threading.Thread(target=self._run, name=f"push-{origin}-{i}", daemon=True)
            for i in range(size)
        ]
        for thread in self.threads:
            thread.start()

    def _run(self) -> None:
        """Send queued jobs until told to stop."""
        while (item := self.queue.get()) is not None:
            job, deadline, results = item
            try:
                results.put(self.sender.send(job, deadline))
            except Exception as exc:
                log.exception("sending failed unexpectedly")
                results.put((job, Answer(None, error="bug", detail=repr(exc))))

    def put(self, job: store.Job, deadline: float, results: queue.SimpleQueue) -> None:
        """Queue one job."""
        self.queue.put((job, deadline, results))

    def stop(self) -> None:
        """Let the threads finish what is queued, then end them."""
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join(30)


class Sender:
    """Encrypts and posts notifications; sending threads per push-service origin."""

    def __init__(self, state: PushState, clock: Callable[[], float]) -> None:
        """Prepare header caches and pools; nothing is opened yet."""
        self.state = state
        self.clock = clock
        self._headers: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()
        self._lanes: dict[str, _Lane] = {}
        self._connections: dict[str, OriginPool] = {}
        self._origins: dict[str, str] = {}

    def vapid_header(self, origin: str) -> str:
        """The Authorization header for an origin, signed at most an hour ago."""
        now = self.clock()
        cached = self._headers.get(origin)
        if cached and 0 <= now - cached[0] < VAPID_REFRESH:
            return cached[1]
        with self._lock:
            cached = self._headers.get(origin)
            if cached and 0 <= now - cached[0] < VAPID_REFRESH:
                return cached[1]
            claims = {
                "aud": origin,
                "exp": int(now) + VAPID_LIFETIME,
                "sub": self.state.subject,
            }
            header = self.state.vapid.sign(claims)["Authorization"]
            self._headers[origin] = (now, header)
            return header

    def _allowed_origin(self, endpoint: str) -> str | None:
        """The endpoint's origin if the allow-list still has it (checked again
        here, in case the list changed since the subscription was stored)."""
        prefix = endpoint[: endpoint.find("/", endpoint.find("//") + 2) + 1]
        if prefix not in self._origins:
            try:
                origin: str | None = endpoint_origin(endpoint, self.state.services)
            except ValueError:
                origin = None
            if origin is None or not endpoint.startswith(prefix) or len(prefix) < 9:
                return None  # not cached: a refusal may depend on the path
            self._origins[prefix] = origin
        return self._origins[prefix]

    def _connections_for(self, origin: str) -> OriginPool:
        """The keep-alive connection pool for an origin."""
        pool = self._connections.get(origin)
        if pool is None:
            with self._lock:
                pool = self._connections.get(origin)
                if pool is None:
                    pool = OriginPool(origin)
                    self._connections[origin] = pool
        return pool

    def start(self, jobs: list[store.Job], deadline: float) -> Batch:
        """Queue jobs on their origins' sending threads; results go to the batch."""
        batch = Batch(len(jobs))
        for job in jobs:
            lane = self._lanes.get(job.push_origin)
            if lane is None:
                lane = self._lanes[job.push_origin] = _Lane(
                    self, job.push_origin, self.state.concurrency
                )
            lane.put(job, deadline, batch.results)
        return batch

    def send(self, job: store.Job, deadline: float) -> tuple[store.Job, Answer | None]:
        """Encrypt and post one notification; None means not tried (lease too short)."""
        now = self.clock()
        if now > deadline:
            return job, None
        if job.attempts > store.MAX_CLAIMS:
            return job, Answer(None, error="poison", detail="claimed too often")
        if now >= job.expires_at:
            return job, Answer(None, error="expired")
        origin = self._allowed_origin(job.endpoint)
        if origin is None:
            return job, Answer(None, error="refused", detail="endpoint not allowed")
        body = payload.build(
            job.kind,
            base_url=job.app_origin,
            tag=payload.tag(job.kind, job.reminder_id, job.slot),
            text=job.text,
            discreet=job.discreet,
        )
        info = {
            "endpoint": job.endpoint,
            "keys": {"p256dh": job.p256dh, "auth": job.auth},
        }
        # pywebpush encrypts (RFC 8291 aes128gcm, a fresh ECDH key per
        # message); the request itself is ours, so every header is deliberate.
        encrypted = WebPusher(info).encode(body, "aes128gcm")["body"]
        headers = {
            "Authorization": self.vapid_header(origin),
            "TTL": str(max(1, job.expires_at - int(now))),
            "Urgency": "normal",
            "Topic": payload.topic(job.kind),
            "Content-Type": "application/octet-stream",
            "Content-Encoding": "aes128gcm",
        }
        try:
            status, retry_after, data = self._connections_for(origin).post(
                job.endpoint, encrypted, headers
            )
        except (OSError, http.client.HTTPException) as exc:
            return job, Answer(None, error="network", detail=type(exc).__name__)
        detail = "" if status < 300 else data[:300].decode("utf-8", "replace")
        return job, Answer(status, retry_after, detail=detail)

    def close(self) -> None:
        """Stop the sending threads and close their connections."""
        for lane in self._lanes.values():
            lane.stop()
        self._lanes.clear()
        for connections in self._connections.values():
            connections.close()
        self._connections.clear()
