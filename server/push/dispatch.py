"""The dispatcher: claim due notifications, send them, record what happened.

One loop per process. On PostgreSQL any number of dispatchers share the
queue (FOR UPDATE SKIP LOCKED); on SQLite one dispatcher holds a lock file
and any other waits as a stand-by. Reminder slots are queued LOOKAHEAD
seconds early but never sent before they are due.

Sending: pywebpush encrypts each message (aes128gcm, a fresh ECDH key each
time); the VAPID header is signed once per push-service origin and re-signed
hourly (valid 12 h); the POST is made by us on kept-alive ``http.client``
connections, several threads per origin, with TTL (the time left until the
reminder stops being useful), Urgency, Topic (per kind) and Content-Type.

How each push-service answer is handled (pwa-push-notes §3.4):

=============  ===========================================================
201/200/202    done: the notification is removed from the queue
404, 410       the subscription is gone: deleted with everything it had
429            tried again after Retry-After (default 60 s), within the TTL
5xx, network   tried again with exponential backoff and jitter, within TTL
401, 403       logged as errors (VAPID key or subscription key mismatch) and
               tried again with backoff within the TTL; never deleted
400, 413       logged as errors and dropped (resending cannot help);
               the subscription is never deleted
=============  ===========================================================
"""

from __future__ import annotations

import contextlib
import email.utils
import fcntl
import http.client
import logging
import queue
import random
import secrets
import select
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pywebpush import WebPusher

from . import payload, store
from .validation import endpoint_origin

if TYPE_CHECKING:
    from . import PushState

log = logging.getLogger(__name__)

#: HTTP timeouts: (connect, read) in seconds.
TIMEOUT = (3.05, 10.0)
#: A kept-alive connection idle longer than this is checked before reuse.
IDLE_CHECK = 1.0
#: Bytes of a push service's answer we read (they are small).
MAX_RESPONSE = 64 * 1024
#: Signed VAPID headers live 12 h (the limit is 24 h) and are re-signed hourly.
VAPID_LIFETIME = 12 * 3600
VAPID_REFRESH = 3600
#: Reminder slots are queued this long before they are due, so a burst of
#: reminders in one minute is already in the queue when the minute starts.
LOOKAHEAD = 90
#: Tries for 5xx, network errors and 401/403 before a notification is dropped.
MAX_ATTEMPTS = 5
BACKOFF_BASE = 30
BACKOFF_CAP = 600
RETRY_AFTER_DEFAULT = 60
RETRY_AFTER_CAP = 3600


@dataclass(frozen=True)
class Answer:
    """What a push service said: a status, or an error when there was no answer."""

    status: int | None
    retry_after: str | None = None
    error: str | None = None
    detail: str = ""


def retry_after_seconds(value: str | None, now: float) -> int:
    """Seconds to wait from a Retry-After header (seconds or HTTP date)."""
    if value:
        value = value.strip()
        if value.isdigit():
            return max(1, min(int(value), RETRY_AFTER_CAP))
        with contextlib.suppress(TypeError, ValueError):
            when = email.utils.parsedate_to_datetime(value).timestamp()
            return max(1, min(int(when - now + 0.999), RETRY_AFTER_CAP))
    return RETRY_AFTER_DEFAULT


def backoff(attempts: int, rng: random.Random) -> int:
    """Exponential backoff with jitter: about 30 s, 2 min, 8 min, 10 min."""
    delay = min(BACKOFF_BASE * 4 ** max(0, attempts - 1), BACKOFF_CAP)
    return int(delay / 2 + rng.uniform(0, delay / 2))


def decide(
    answer: Answer, attempts: int, now: float, expires_at: int, rng: random.Random
) -> tuple[str, int | None]:
    """Turn an answer into an action: done, gone, drop, or (retry, when)."""
    status = answer.status
    if status is not None and 200 <= status <= 202:
        return "done", None
    if status in (404, 410):
        return "gone", None
    if status == 429:
        when = int(now) + retry_after_seconds(answer.retry_after, now)
    elif status is None or status >= 500 or status in (401, 403, 408):
        if attempts >= MAX_ATTEMPTS:
            return "drop", None
        when = int(now) + backoff(attempts, rng)
    else:
        return "drop", None
    if when >= expires_at:
        return "drop", None
    return "retry", when


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


@dataclass
class Stats:
    """Counts for one run of the dispatcher."""

    claimed: int = 0
    sent: int = 0
    gone: int = 0
    retried: int = 0
    dropped: int = 0
    released: int = 0
    queued: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    def add(self, other: Stats) -> None:
        """Add another run's counts to these."""
        for name in ("claimed", "sent", "gone", "retried", "dropped", "released"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.queued += other.queued
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count


class Dispatcher:
    """Moves due reminders into the queue and sends the queue, batch by batch."""

    def __init__(
        self,
        state: PushState,
        clock: Callable[[], float] = time.time,
        name: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        """Bind to the app's push state; ``clock`` is injectable for tests."""
        self.state = state
        self.clock = clock
        self.name = name or secrets.token_hex(4)
        self.rng = rng or random.Random()
        self.sender = Sender(state, clock)

    # -- one pass -------------------------------------------------------------

    def queue_due_reminders(self) -> int:
        """Queue every reminder slot due within the lookahead."""
        total = 0
        while True:
            now = self.clock()
            with self.state.session() as session, session.begin():
                count = store.materialise(
                    session, now, now + LOOKAHEAD, self.state.batch_size
                )
            total += count
            if count < self.state.batch_size:
                return total

    def _claim(self) -> tuple[str, list[store.Job], float]:
        """Claim a batch; returns (claim id, jobs, deadline for starting sends)."""
        claim_id = f"{self.name}-{secrets.token_hex(6)}"
        now = self.clock()
        lease = self.state.lease
        with self.state.session() as session, session.begin():
            jobs = store.claim(session, now, self.state.batch_size, lease, claim_id)
        return claim_id, jobs, now + lease - min(lease / 2, 20)

    def _settle(self, claim_id: str, batch: Batch) -> Stats:
        """Wait for a batch and write its outcomes."""
        stats = Stats(claimed=batch.size)
        result = store.Settle(done=[], retry=[], gone=[])
        for job, answer in batch:
            now = self.clock()
            if answer is None:
                stats.released += 1
                result.retry.append((job.id, int(now)))
                continue
            if answer.status is not None:
                stats.statuses[answer.status] = stats.statuses.get(answer.status, 0) + 1
            action, when = decide(answer, job.attempts, now, job.expires_at, self.rng)
            if answer.error in {"expired", "refused", "poison"}:
                action, when = "drop", None
            self._log_answer(job, answer, action)
            if action == "done":
                stats.sent += 1
                result.done.append(job.id)
            elif action == "gone":
                stats.gone += 1
                result.gone.append(job.subscription_id)
            elif action == "retry":
                stats.retried += 1
                result.retry.append((job.id, when))
            else:
                stats.dropped += 1
                result.done.append(job.id)
        with self.state.session() as session, session.begin():
            store.settle(session, claim_id, result)
        return stats

    def _log_answer(self, job: store.Job, answer: Answer, action: str) -> None:
        """Log what is worth a person's attention."""
        who = f"subscription {job.subscription_id[:6]}… on {job.push_origin}"
        status = answer.status
        if status in (400, 401, 403, 413):
            log.error(
                "PUSH SERVICE REFUSED: %s answered %s for %s (%s); %s. "
                "Check the VAPID key and subject; the subscription is kept.",
                job.push_origin,
                status,
                who,
                answer.detail or "no detail",
                action,
            )
        elif answer.error in {"refused", "poison"}:
            log.error("not sending to %s: %s; dropped", who, answer.detail)
        elif status in (404, 410):
            log.info("%s is gone (%s); deleted", who, status)
        elif action in {"retry", "drop"} and status != 429:
            log.warning(
                "push to %s failed (%s); %s",
                who,
                status or answer.error or answer.detail,
                action,
            )
        elif status == 429:
            log.warning("%s rate-limited us; %s", job.push_origin, action)

    def run_once(self) -> Stats:
        """Send everything due now; return what happened.

        The next batch is claimed while the previous one is still sending, so
        the database and the network work at the same time.
        """
        stats = Stats()
        stats.queued = self.queue_due_reminders()
        inflight: tuple[str, Batch] | None = None
        while True:
            claim_id, jobs, deadline = self._claim()
            if inflight is not None:
                stats.add(self._settle(*inflight))
                inflight = None
            if not jobs:
                break
            inflight = (claim_id, self.sender.start(jobs, deadline))
            stats.queued += self.queue_due_reminders()
        if stats.claimed:
            log.info(
                "dispatcher %s: sent %d, gone %d, retry %d, dropped %d, released %d",
                self.name,
                stats.sent,
                stats.gone,
                stats.retried,
                stats.dropped,
                stats.released,
            )
        return stats

    def seconds_until_work(self) -> float:
        """How long to sleep: until something is due, at most the poll interval."""
        with self.state.session() as session, session.begin():
            delivery, reminder = store.next_due_times(session)
        now = self.clock()
        wake = [now + self.state.poll]
        if delivery is not None:
            wake.append(delivery)
        if reminder is not None:
            wake.append(reminder - LOOKAHEAD)
        return max(0.0, min(wake) - now)

    # -- the loop -------------------------------------------------------------

    def run_forever(self, stop: threading.Event) -> None:
        """Dispatch until ``stop`` is set; survive database hiccups."""
        with self._single_on_sqlite(stop) as ready:
            if not ready:
                return
            log.info("dispatcher %s ready", self.name)
            failures = 0
            while not stop.is_set():
                try:
                    self.run_once()
                    wait = self.seconds_until_work()
                    failures = 0
                except Exception:
                    failures += 1
                    wait = min(60.0, 2.0**failures)
                    log.exception(
                        "dispatcher %s: error; retrying in %ss", self.name, wait
                    )
                if wait > 0:
                    stop.wait(wait)
        self.sender.close()
        log.info("dispatcher %s stopped", self.name)

    @contextlib.contextmanager
    def _single_on_sqlite(self, stop: threading.Event) -> Iterator[bool]:
        """On SQLite, hold a lock file so only one dispatcher runs (others wait)."""
        engine = self.state.engine
        if engine.dialect.name != "sqlite" or not engine.url.database:
            yield True
            return
        path = Path(engine.url.database + ".dispatcher-lock")
        with open(path, "a") as lock:
            announced = False
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not announced:
                        log.info(
                            "another dispatcher runs on this SQLite database; "
                            "%s waits as a stand-by",
                            self.name,
                        )
                        announced = True
                    if stop.wait(self.state.poll):
                        yield False
                        return
            try:
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
