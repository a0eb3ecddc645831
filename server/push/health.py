"""What operators see: dispatcher heartbeats, send counts and the queue's state.

Nothing here is personal: process names, push-service origins, counts and times.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import case, delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import Delivery, DispatcherBeat, SendCount
from .policy import Answer

#: A notification more than this many seconds past its slot counts as late.
LATE_SECONDS = 60
#: Send counts are kept this long (status reads the last hour).
KEEP_COUNTS = 24 * 3600
#: A heartbeat older than this many seconds means the dispatcher is not running.
STALE_BEAT = 120


def result_of(answer: Answer) -> str:
    """The class of an answer: sent, gone, rate_limited, server_error, network,
    refused (400/401/403/413), dropped (never posted) or other."""
    status = answer.status
    if status is None:
        return "network" if answer.error == "network" else "dropped"
    if 200 <= status < 300:
        return "sent"
    if status in (404, 410):
        return "gone"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "server_error"
    if status in (400, 401, 403, 413):
        return "refused"
    return "other"


def _upsert(session: Session, table):
    """This dialect's INSERT … ON CONFLICT."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)


def beat(
    session: Session, name: str, now: float, started: float, sent_at: int | None
) -> None:
    """Record that dispatcher ``name`` is alive (and when it last sent)."""
    table = DispatcherBeat.__table__
    row = {
        "name": name,
        "host": socket.gethostname()[:255],
        "pid": os.getpid(),
        "started_at": int(started),
        "beat_at": int(now),
        "last_sent_at": sent_at,
    }
    stmt = _upsert(session, table).values(**row)
    last = func.coalesce(stmt.excluded.last_sent_at, table.c.last_sent_at)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["name"],
            set_={"beat_at": stmt.excluded.beat_at, "last_sent_at": last},
        )
    )
    session.execute(
        delete(DispatcherBeat).where(DispatcherBeat.beat_at < int(now) - KEEP_COUNTS)
    )
    session.execute(delete(SendCount).where(SendCount.minute < int(now) - KEEP_COUNTS))


def count_sends(
    session: Session, now: float, counts: dict[tuple[str, str], int]
) -> None:
    """Add {(push origin, result): n} to this minute's counts."""
    if not counts:
        return
    table = SendCount.__table__
    minute = int(now) // 60 * 60
    rows = [
        {"push_origin": origin, "minute": minute, "result": result, "count": n}
        for (origin, result), n in sorted(counts.items())
    ]
    stmt = _upsert(session, table).values(rows)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["push_origin", "minute", "result"],
            set_={"count": table.c.count + stmt.excluded.count},
        )
    )


@dataclass
class QueueState:
    """The queue right now: due (waiting to be claimed), claimed, late, later."""

    due: int = 0
    claimed: int = 0
    late: int = 0
    later: int = 0


def queue_state(session: Session, now: float) -> QueueState:
    """Count the queue in one query."""
    now_i = int(now)
    claimed = Delivery.claimed_by.isnot(None)
    due = (Delivery.due_at <= now_i) & Delivery.claimed_by.is_(None)
    row = session.execute(
        select(
            func.count(case((due, 1))),
            func.count(case((claimed, 1))),
            func.count(case((Delivery.slot < now_i - LATE_SECONDS, 1))),
            func.count(case(((Delivery.due_at > now_i) & ~claimed, 1))),
        )
    ).one()
    return QueueState(*(int(v or 0) for v in row))


@dataclass
class Status:
    """Everything `wayfinder status` prints."""

    now: int
    queue: QueueState
    dispatchers: list[DispatcherBeat]
    last_sent_at: int | None
    #: {push origin: {result: count}} over the last hour, results other than sent.
    failures: dict[str, dict[str, int]] = field(default_factory=dict)
    sent_last_hour: int = 0


def status(session: Session, now: float) -> Status:
    """Read the queue, the heartbeats and the last hour's send counts."""
    beats = list(session.scalars(select(DispatcherBeat).order_by(DispatcherBeat.name)))
    last = max((b.last_sent_at for b in beats if b.last_sent_at), default=None)
    rows = session.execute(
        select(SendCount.push_origin, SendCount.result, func.sum(SendCount.count))
        .where(SendCount.minute >= int(now) - 3600)
        .group_by(SendCount.push_origin, SendCount.result)
    ).all()
    failures: dict[str, dict[str, int]] = {}
    sent = 0
    for origin, result, count in rows:
        if result == "sent":
            sent += int(count)
        else:
            failures.setdefault(origin, {})[result] = int(count)
    return Status(int(now), queue_state(session, now), beats, last, failures, sent)


def _ago(now: int, then: int | None) -> str:
    """'42 s ago', or 'never'."""
    return "never" if then is None else f"{max(0, now - then)} s ago"


def report(found: Status) -> Iterable[str]:
    """The lines `wayfinder status` prints."""
    q = found.queue
    yield f"queue: {q.due} due, {q.claimed} claimed, {q.late} late, {q.later} later"
    yield f"last successful send: {_ago(found.now, found.last_sent_at)}"
    yield f"sent in the last hour: {found.sent_last_hour}"
    yield f"dispatchers: {len(found.dispatchers)}"
    for b in found.dispatchers:
        alive = found.now - b.beat_at <= STALE_BEAT
        yield (
            f"  {b.name} on {b.host} (pid {b.pid}): "
            f"{'running' if alive else 'NOT RUNNING'}, "
            f"heartbeat {_ago(found.now, b.beat_at)}, "
            f"last send {_ago(found.now, b.last_sent_at)}"
        )
    if not found.failures:
        yield "failures in the last hour: none"
        return
    yield "failures in the last hour, by push service:"
    for origin, results in sorted(found.failures.items()):
        parts = ", ".join(f"{r} {n}" for r, n in sorted(results.items()))
        yield f"  {origin}: {parts}"


def database_answers(session: Session) -> None:
    """Run the cheapest query; raises if the database does not answer."""
    session.execute(text("SELECT 1"))
