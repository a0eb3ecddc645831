"""`wayfinder worker` processes: a crash loses nothing; two on PostgreSQL share
the work and send every due reminder exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from push_fake import FakePushService
from sqlalchemy import func, select, update

from server.config import DEFAULT_PUSH_SERVICES
from server.push import state
from server.push.models import Delivery, Reminder

from .conftest import Api

ROOT = Path(__file__).resolve().parents[3]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class Worker:
    """A `wayfinder worker` subprocess whose log is collected in the background."""

    def __init__(self, env: dict[str, str], name: str) -> None:
        """Start the process."""
        self.name = name
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server", "worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        """Collect output lines; note when the dispatcher is ready."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            if "ready" in line and "dispatcher" in line:
                self.ready.set()

    def wait_ready(self, timeout: float = 90) -> None:
        """Block until the dispatcher loop runs."""
        if not self.ready.wait(timeout):
            raise AssertionError(f"{self.name} not ready:\n" + "\n".join(self.lines))

    def sent(self) -> int:
        """How many notifications this worker reported sent."""
        total = 0
        for line in self.lines:
            if ": sent " in line:
                total += int(line.split(": sent ")[1].split(",")[0])
        return total

    def stop(self) -> int:
        """Ask it to stop (SIGTERM) and return its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.close()
        return self.process.returncode

    def close(self) -> None:
        """Kill the process if still running and close its pipe."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.reader.join(10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def worker_env(instance: Path, push_origin: str, **settings: str) -> dict[str, str]:
    """Environment for a worker subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAYFINDER_")}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "WAYFINDER_INSTANCE_PATH": str(instance),
            "WAYFINDER_PUSH_SERVICES": ",".join((*DEFAULT_PUSH_SERVICES, push_origin)),
            "WAYFINDER_DISPATCH_POLL_SECONDS": "1",
            "WAYFINDER_LOG_LEVEL": "INFO",
        }
    )
    env.update({f"WAYFINDER_{k}": v for k, v in settings.items()})
    return env


@pytest.fixture()
def workers() -> Iterator[list[Worker]]:
    """Started workers, all stopped at the end of the test."""
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.close()


def make_subscriptions(api: Api, push_service: FakePushService, count: int) -> None:
    """``count`` subscriptions with two reminders each (far in the future)."""
    for i in range(count):
        api.subscribe(
            push_service.subscribe(),
            timezone="UTC",
            reminders=[
                {"kind": "breathe", "time": "03:00", "days": DAYS},
                {"kind": "check-in", "time": "04:00", "days": DAYS, "text": None},
            ]
            if i % 2 == 0
            else [{"kind": "mindfulness", "time": "05:00", "days": DAYS}],
        )


def make_all_due(app: Flask) -> set[str]:
    """Make every reminder due now; return the tags that must arrive."""
    now = int(time.time())
    with state(app).session() as session, session.begin():
        session.execute(update(Reminder).values(next_due_at=now))
        rows = session.execute(select(Reminder.id, Reminder.kind)).all()
    return {f"wf-{kind}-{rid}-{now}" for rid, kind in rows}


def wait_until(condition: Any, timeout: float, what: str) -> None:
    """Poll a condition (for subprocess work there is no event to wait on)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def queue_size(app: Flask) -> int:
    """Notifications still queued."""
    with state(app).session() as session:
        return session.scalar(select(func.count()).select_from(Delivery))


def end_dead_claims(app: Flask) -> int:
    """Make every claim fall due now, as when its lease ends; return how many."""
    with state(app).session() as session, session.begin():
        return session.execute(
            update(Delivery)
            .where(Delivery.claimed_by.isnot(None))
            .values(due_at=int(time.time()))
        ).rowcount


def test_worker_killed_mid_batch_loses_nothing(
    instance: Path,
    make_app: Any,
    push_service: FakePushService,
    openapi_checker: Any,
    workers: list,
) -> None:
    """SIGKILL while one batch of 90 is being sent: every reminder arrives, and
    only what was in flight repeats (each result is recorded as it comes, not
    once per batch)."""
    app = make_app(push_service.origin)
    api = Api(app.test_client(), openapi_checker)
    make_subscriptions(api, push_service, 60)
    concurrency = 3
    env = worker_env(
        instance,
        push_service.origin,
        DISPATCH_BATCH_SIZE="1000",
        DISPATCH_CONCURRENCY=str(concurrency),
    )
    first = Worker(env, "first")
    workers.append(first)
    first.wait_ready()
    push_service.delay = 0.03  # about 100 a second: the kill lands mid-batch
    expected = make_all_due(app)
    assert len(expected) == 90
    wait_until(lambda: len(push_service.arrivals) >= 30, 30, "a batch half sent")
    first.process.kill()
    first.process.wait()
    accepted = {r.tag for r in push_service.received}
    assert len(accepted) < len(expected)  # the kill was mid-batch
    assert end_dead_claims(app) > 0  # its lease would end; the test moves time
    push_service.delay = 0.0
    second = Worker(env, "second")
    workers.append(second)
    second.wait_ready()
    wait_until(
        lambda: (
            expected <= {r.tag for r in push_service.received} and queue_size(app) == 0
        ),
        60,
        "every reminder to arrive",
    )
    assert second.stop() == 0
    assert push_service.problems == []
    counts = Counter(r.tag for r in push_service.received)
    assert set(counts) == expected  # no loss
    repeated = {tag for tag, n in counts.items() if n > 1}
    print(
        f"dispatcher SIGKILL after {len(accepted)} of {len(expected)} accepted: "
        f"{len(repeated)} sent twice (concurrency {concurrency})"
    )
    assert repeated <= accepted
    # In flight: one request per sending thread, plus results being written.
    assert len(repeated) <= 2 * concurrency


@pytest.mark.postgres
def test_two_workers_on_postgresql_send_each_reminder_exactly_once(
    postgres_url: str,
    instance: Path,
    make_app: Any,
    push_service: FakePushService,
    openapi_checker: Any,
    workers: list,
) -> None:
    """Two `wayfinder worker` processes share one PostgreSQL queue (SKIP LOCKED):
    both work, every due reminder arrives exactly once, nothing is left."""
    app = make_app(push_service.origin, DATABASE_URL=postgres_url)
    assert state(app).engine.dialect.name == "postgresql"
    api = Api(app.test_client(), openapi_checker)
    make_subscriptions(api, push_service, 200)
    push_service.delay = 0.02  # a little network time, so the work overlaps
    env = worker_env(
        instance,
        push_service.origin,
        DATABASE_URL=postgres_url,
        DISPATCH_BATCH_SIZE="10",
        DISPATCH_CONCURRENCY="4",
    )
    pair = [Worker(env, "one"), Worker(env, "two")]
    workers.extend(pair)
    for worker in pair:
        worker.wait_ready()
    expected = make_all_due(app)
    assert len(expected) == 300
    wait_until(
        lambda: len(push_service.arrivals) >= len(expected) and queue_size(app) == 0,
        120,
        "every reminder to arrive",
    )
    for worker in pair:
        assert worker.stop() == 0
    assert push_service.problems == []
    counts = Counter(r.tag for r in push_service.received)
    assert set(counts) == expected
    assert max(counts.values()) == 1, [t for t, n in counts.items() if n > 1]
    assert len(push_service.arrivals) == len(expected)
    shares = [worker.sent() for worker in pair]
    assert sum(shares) == len(expected)
    assert all(share > 0 for share in shares), shares
    with state(app).session() as session:
        slots = set(session.scalars(select(Reminder.next_due_at)))
    assert min(slots) > time.time()  # every reminder moved on to its next day


@pytest.mark.postgres
def test_api_and_dispatch_on_postgresql(
    postgres_url: str,
    make_app: Any,
    push_service: FakePushService,
    openapi_checker: Any,
) -> None:
    """The same API and dispatcher on PostgreSQL: create, edit, test, snooze,
    a 410 that deletes everything (cascades), and re-subscribing."""
    from push_fake import Answer

    from server.push.dispatch import Dispatcher
    from server.push.models import Subscription

    app = make_app(push_service.origin, DATABASE_URL=postgres_url)
    api = Api(app.test_client(), openapi_checker)
    subscription = push_service.subscribe()
    sub_id, token = api.subscribe(subscription, timezone="Asia/Kolkata")
    url = f"/api/push/subscriptions/{sub_id}"
    edit = {
        "timezone": "Asia/Kolkata",
        "reminders": [{"kind": "medication", "time": "08:00", "days": DAYS}],
        "quiet_hours": {"start": "22:30", "end": "06:00"},
    }
    assert api.put(url, token=token, json=edit).status_code == 200
    assert api.post(f"{url}/test", token=token).status_code == 202
    dispatcher = Dispatcher(state(app), clock=lambda: time.time() + 1)
    assert dispatcher.run_once().sent == 1
    tag = push_service.received[0].tag
    assert api.post(f"{url}/snooze", token=token, json={"tag": tag}).status_code == 202
    assert api.post(f"{url}/test", token=token).status_code == 202
    push_service.answer(subscription, Answer(410))
    assert dispatcher.run_once().gone == 1
    dispatcher.sender.close()
    with state(app).session() as session:
        for model in (Subscription, Reminder, Delivery):
            assert session.scalar(select(func.count()).select_from(model)) == 0
    assert api.get(url, token=token).status_code == 401
    again, _ = api.subscribe(subscription, timezone="UTC")
    assert again != sub_id
    assert push_service.problems == []
