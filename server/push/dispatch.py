"""The dispatcher loop: queue due reminders, claim batches, record what happened.

One loop per process. On PostgreSQL any number of dispatchers share the
queue (FOR UPDATE SKIP LOCKED); on SQLite one dispatcher holds a lock file
and any other waits as a stand-by. Reminder slots are queued LOOKAHEAD
seconds early but never sent before they are due. A claimed batch is a
lease: a dispatcher that dies mid-batch leaves it to fall due again.

Sending is in transport.py, and what each push-service answer leads to
(done, retry, drop, or the subscription is gone) in policy.py.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import random
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import metrics
from . import health, store
from .policy import Answer, decide
from .runtime import PushState
from .transport import LONGEST_SEND, Batch, Sender

log = logging.getLogger(__name__)

#: Reminder slots are queued this long before they are due, so a burst of
#: reminders in one minute is already in the queue when the minute starts.
LOOKAHEAD = 90
#: A dispatcher records its heartbeat at most this often (seconds).
BEAT_SECONDS = 10


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
        self.started = clock()
        self.last_sent_at: int | None = None
        self._beat_at = float("-inf")

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
        return claim_id, jobs, now + lease - LONGEST_SEND

    def _settle(self, claim_id: str, batch: Batch) -> Stats:
        """Record each result as it completes (whatever is ready, in one write).

        A crash then re-sends at most what was in flight or being written,
        never a whole batch that the push service had already accepted.
        """
        stats = Stats(claimed=batch.size)
        for group in batch.groups():
            result = store.Settle()
            for job, answer in group:
                self._outcome(job, answer, stats, result)
            counts = self._tally(group)
            with self.state.session() as session, session.begin():
                store.settle(session, claim_id, result)
                health.count_sends(session, self.clock(), counts)
        return stats

    def _tally(
        self, group: list[tuple[store.Job, Answer | None]]
    ) -> dict[tuple[str, str], int]:
        """Count answers by (push service, result) and feed the metrics."""
        now = self.clock()
        counts: dict[tuple[str, str], int] = {}
        for job, answer in group:
            if answer is None:
                continue
            kind = health.result_of(answer)
            counts[(job.push_origin, kind)] = counts.get((job.push_origin, kind), 0) + 1
            if kind == "sent":
                self.last_sent_at = int(now)
                metrics.push_send(kind, now - job.slot)
            else:
                metrics.push_send(kind)
        return counts

    def heartbeat(self, force: bool = False) -> None:
        """Record that this dispatcher is alive (at most every BEAT_SECONDS)."""
        now = self.clock()
        if not force and now - self._beat_at < BEAT_SECONDS:
            return
        self._beat_at = now
        with self.state.session() as session, session.begin():
            health.beat(session, self.name, now, self.started, self.last_sent_at)
            queue = health.queue_state(session, now) if metrics.enabled() else None
        if queue is not None:
            metrics.queue_depth(**vars(queue))

    def _outcome(
        self,
        job: store.Job,
        answer: Answer | None,
        stats: Stats,
        result: store.Settle,
    ) -> None:
        """Turn one answer into its outcome and count it."""
        now = self.clock()
        if answer is None:  # never tried: the claim is given back untouched
            stats.released += 1
            result.released.append((job.id, int(now)))
            return
        if answer.status is not None:
            stats.statuses[answer.status] = stats.statuses.get(answer.status, 0) + 1
        action, when = decide(answer, job.attempts, now, job.expires_at, self.rng)
        self._log_answer(job, answer, action)
        if action == "done":
            stats.sent += 1
            result.done.append(job.id)
        elif action == "gone":
            stats.gone += 1
            result.gone.append((job.subscription_id, job.endpoint))
        elif action == "retry":
            stats.retried += 1
            result.retry.append((job.id, when))
        else:
            stats.dropped += 1
            result.done.append(job.id)

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
            self.heartbeat()
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
                    self.heartbeat()
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
