"""The dispatcher against the verifying fake push service.

Reminders are set a minute or two ahead of real time and the dispatcher runs
on a hand-moved clock, so VAPID expiry checks in the fake stay realistic.
"""

from __future__ import annotations

import logging
import random
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import pytest
from flask import Flask
from push_fake import Answer
from sqlalchemy import func, select, update

from server.push import state, store, transport
from server.push.dispatch import Dispatcher
from server.push.models import Delivery, Reminder, Subscription

from .conftest import Api, Clock


def soon(minutes: int = 2) -> str:
    """HH:MM (UTC) a few minutes from now."""
    when = datetime.fromtimestamp(time.time() + minutes * 60, UTC)
    return when.strftime("%H:%M")


def subscribe(api: Api, push_service: Any, **settings: Any) -> tuple[str, str, dict]:
    """A subscription with one daily reminder a couple of minutes ahead."""
    subscription = push_service.subscribe()
    settings.setdefault(
        "reminders", [{"kind": "breathe", "time": soon(), "days": list(DAYS)}]
    )
    sub_id, token = api.subscribe(subscription, timezone="UTC", **settings)
    return sub_id, token, subscription


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def due_times(app: Flask) -> list[int]:
    """Every reminder's next slot."""
    with state(app).session() as session:
        return list(session.scalars(select(Reminder.next_due_at)))


def queued(app: Flask) -> list[Delivery]:
    """Everything waiting in the queue."""
    with state(app).session() as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)))


def subscriptions(app: Flask) -> int:
    """How many subscriptions exist."""
    with state(app).session() as session:
        return session.scalar(select(func.count()).select_from(Subscription))


@pytest.fixture()
def dispatcher(push_app: Flask, clock: Clock) -> Dispatcher:
    """A dispatcher on the test clock."""
    made = Dispatcher(state(push_app), clock=clock, rng=random.Random(5))
    yield made
    made.sender.close()


def test_reminder_goes_out_at_its_minute_never_before(
    api: Api, push_app: Flask, push_service: Any, dispatcher: Dispatcher, clock: Clock
) -> None:
    """Nothing before the local minute; at it, one verified, decryptable push."""
    sub_id, _, subscription = subscribe(api, push_service)
    (slot,) = due_times(push_app)
    assert slot % 60 == 0 and slot > time.time()
    clock.now = slot - 0.5
    assert dispatcher.run_once().sent == 0
    assert push_service.received == []
    clock.now = slot + 0.2
    stats = dispatcher.run_once()
    assert stats.sent == 1
    assert push_service.problems == []
    (got,) = push_service.received
    assert got.path == subscription["endpoint"][len(push_service.origin) :]
    with state(push_app).session() as session:
        reminder_id = session.scalar(select(Reminder.id))
    assert got.message == {
        "web_push": 8030,
        "notification": {
            "title": "A moment for yourself",
            "body": "Tap to open Wayfinder.",
            "navigate": "http://localhost/tools/breathing/box",
            "tag": f"wf-breathe-{reminder_id}-{slot}",
            "lang": "en",
            "dir": "ltr",
            "silent": False,
            "data": {"url": "/tools/breathing/box", "kind": "breathe"},
        },
    }
    assert got.headers["urgency"] == "normal"
    assert got.headers["topic"] == "wayfinder-breathe"
    assert got.headers["content-type"] == "application/octet-stream"
    assert 3590 <= int(got.headers["ttl"]) <= 3600
    assert got.claims["aud"] == push_service.origin
    assert got.claims["sub"] == "mailto:wayfinder@example.org"
    assert got.vapid_key == state(push_app).public_key
    # Done: nothing queued, the next slot is tomorrow, a second run sends nothing.
    assert queued(push_app) == []
    assert due_times(push_app) == [slot + 86400]
    clock.advance(30)
    assert dispatcher.run_once().sent == 0
    assert len(push_service.received) == 1


def test_plainer_text_when_asked(
    api: Api, push_app: Flask, push_service: Any, dispatcher: Dispatcher, clock: Clock
) -> None:
    """discreet: false shows the person's own words for a custom reminder."""
    reminder = {
        "kind": "custom",
        "time": soon(),
        "days": list(DAYS),
        "text": "Call Sam",
    }
    subscribe(api, push_service, reminders=[reminder], discreet=False)
    (slot,) = due_times(push_app)
    clock.now = slot
    dispatcher.run_once()
    (got,) = push_service.received
    assert got.message["notification"]["title"] == "Call Sam"
    assert got.message["notification"]["navigate"] == "http://localhost/"


@pytest.mark.parametrize("status", [404, 410])
def test_gone_subscription_is_deleted(
    api: Api,
    push_app: Flask,
    push_service: Any,
    dispatcher: Dispatcher,
    clock: Clock,
    status: int,
) -> None:
    """404 or 410 from the push service deletes the subscription and its data."""
    sub_id, token, subscription = subscribe(api, push_service)
    keep_id, keep_token, _ = subscribe(api, push_service)
    push_service.answer(subscription, dispatch_answer(status))
    clock.now = max(due_times(push_app))
    stats = dispatcher.run_once()
    assert stats.gone == 1 and stats.sent == 1
    assert subscriptions(push_app) == 1
    assert api.get(f"/api/push/subscriptions/{sub_id}", token=token).status_code == 401
    assert (
        api.get(f"/api/push/subscriptions/{keep_id}", token=keep_token).status_code
        == 200
    )
    assert queued(push_app) == []


def dispatch_answer(status: int, **headers: str) -> Answer:
    """An answer for the fake push service."""
    return Answer(status, headers)


@pytest.mark.parametrize("retry_after", ["120", "http-date"])
def test_429_waits_for_retry_after(
    api: Api,
    push_app: Flask,
    push_service: Any,
    dispatcher: Dispatcher,
    clock: Clock,
    retry_after: str,
) -> None:
    """429 keeps the notification and tries again after Retry-After, not before."""
    _, _, subscription = subscribe(api, push_service)
    (slot,) = due_times(push_app)
    clock.now = slot
    if retry_after == "http-date":
        retry_after = format_datetime(
            datetime.fromtimestamp(slot + 120, UTC), usegmt=True
        )
    push_service.answer(
        subscription, dispatch_answer(429, **{"Retry-After": retry_after})
    )
    stats = dispatcher.run_once()
    assert stats.retried == 1 and stats.statuses == {429: 1}
    (waiting,) = queued(push_app)
    assert waiting.due_at == slot + 120 and waiting.claimed_by is None
    clock.now = slot + 119
    assert dispatcher.run_once().claimed == 0
    clock.now = slot + 120
    assert dispatcher.run_once().sent == 1
    assert [
        r.status
        for r in push_service.for_path(waiting_path(subscription, push_service))
    ] == [429, 201]
    assert queued(push_app) == []


def waiting_path(subscription: dict, push_service: Any) -> str:
    """The fake's path for a subscription."""
    return subscription["endpoint"][len(push_service.origin) :]


@pytest.mark.parametrize("status", [401, 403])
def test_auth_errors_are_loud_and_never_delete(
    api: Api,
    push_app: Flask,
    push_service: Any,
    dispatcher: Dispatcher,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    """401/403: logged as errors, subscription kept, tried again with backoff."""
    sub_id, token, subscription = subscribe(api, push_service)
    (slot,) = due_times(push_app)
    clock.now = slot
    push_service.answer(subscription, dispatch_answer(status))
    with caplog.at_level(logging.ERROR, logger="server.push.dispatch"):
        stats = dispatcher.run_once()
    assert stats.retried == 1
    assert any(
        "PUSH SERVICE REFUSED" in r.message and str(status) in r.message
        for r in caplog.records
    )
    assert subscriptions(push_app) == 1
    (waiting,) = queued(push_app)
    assert slot + 15 <= waiting.due_at <= slot + 30
    clock.now = waiting.due_at
    assert dispatcher.run_once().sent == 1
    assert api.get(f"/api/push/subscriptions/{sub_id}", token=token).status_code == 200


@pytest.mark.parametrize("status", [400, 413])
def test_bad_request_is_loud_dropped_and_never_deletes(
    api: Api,
    push_app: Flask,
    push_service: Any,
    dispatcher: Dispatcher,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    """400/413 cannot be fixed by resending: logged, dropped, subscription kept."""
    _, _, subscription = subscribe(api, push_service)
    clock.now = due_times(push_app)[0]
    push_service.answer(subscription, dispatch_answer(status))
    with caplog.at_level(logging.ERROR, logger="server.push.dispatch"):
        stats = dispatcher.run_once()
    assert stats.dropped == 1
    assert any("PUSH SERVICE REFUSED" in r.message for r in caplog.records)
    assert subscriptions(push_app) == 1
    assert queued(push_app) == []


def test_server_errors_back_off_with_jitter_within_the_ttl(
    api: Api, push_app: Flask, push_service: Any, dispatcher: Dispatcher, clock: Clock
) -> None:
    """5xx: retried after about 30 s, 2 min, 8 min...; dropped at the TTL."""
    _, _, subscription = subscribe(api, push_service)
    (slot,) = due_times(push_app)
    clock.now = slot
    push_service.answer(subscription, *[dispatch_answer(500)] * 2, dispatch_answer(503))
    delays = []
    for _ in range(3):
        before = clock.now
        assert dispatcher.run_once().retried == 1
        (waiting,) = queued(push_app)
        delays.append(waiting.due_at - int(before))
        clock.now = waiting.due_at
    assert 15 <= delays[0] <= 30
    assert 60 <= delays[1] <= 120
    assert 240 <= delays[2] <= 480
    assert dispatcher.run_once().sent == 1
    assert subscriptions(push_app) == 1


def test_retries_never_outlive_the_ttl(
    api: Api, push_app: Flask, push_service: Any, dispatcher: Dispatcher, clock: Clock
) -> None:
    """A retry that would land after the message's TTL drops it instead."""
    _, _, subscription = subscribe(api, push_service)
    (slot,) = due_times(push_app)
    clock.now = slot + 3600 - 20  # 20 s of TTL left; the first backoff is 15-30 s
    push_service.answer(subscription, dispatch_answer(500))
    rng = dispatcher.rng
    rng.seed(1)
    stats = dispatcher.run_once()
    assert stats.dropped + stats.retried == 1
    if stats.retried:
        (waiting,) = queued(push_app)
        assert waiting.due_at < slot + 3600
    clock.now = slot + 3600
    assert dispatcher.run_once().sent == 0
    assert queued(push_app) == []


def test_network_errors_and_timeouts_are_retried(
    api: Api,
    push_app: Flask,
    push_service: Any,
    dispatcher: Dispatcher,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A push service that is down or too slow is tried again later."""
    subscribe(api, push_service)
    (slot,) = due_times(push_app)
    clock.now = slot
    monkeypatch.setattr(transport, "TIMEOUT", (0.5, 0.3))
    push_service.delay = 1.0
    assert dispatcher.run_once().retried == 1
    push_service.delay = 0
    clock.now = queued(push_app)[0].due_at
    push_service.stop()
    assert dispatcher.run_once().retried == 1
    assert subscriptions(push_app) == 1


def test_vapid_header_is_cached_per_origin_for_an_hour(
    api: Api, push_app: Flask, push_service: Any, dispatcher: Dispatcher, clock: Clock
) -> None:
    """One signature serves an origin for up to an hour; then a fresh one."""
    for _ in range(3):
        subscribe(api, push_service)
    clock.now = max(due_times(push_app))
    dispatcher.run_once()
    tokens = {r.headers["authorization"] for r in push_service.received}
    assert len(tokens) == 1
    assert all(
        0 < r.claims["exp"] - clock.now <= 12 * 3600 for r in push_service.received
    )
    header = dispatcher.sender.vapid_header(push_service.origin)
    clock.advance(3599)
    assert dispatcher.sender.vapid_header(push_service.origin) == header
    clock.advance(2)
    assert dispatcher.sender.vapid_header(push_service.origin) != header


def test_connections_are_reused_per_origin(
    api: Api, push_app: Flask, push_service: Any, clock: Clock
) -> None:
    """With one thread per origin, every push rides the same connection."""
    one = Dispatcher(
        state(push_app).__class__(**{**vars(state(push_app)), "concurrency": 1}),
        clock=clock,
    )
    for _ in range(5):
        subscribe(api, push_service)
    clock.now = max(due_times(push_app))
    assert one.run_once().sent == 5
    one.sender.close()
    assert len({r.client_port for r in push_service.received}) == 1


def test_test_and_snooze_notifications(
    api: Api, push_app: Flask, push_service: Any, dispatcher: Dispatcher, clock: Clock
) -> None:
    """POST /test goes out now; snooze sends the same reminder 15 minutes on."""
    sub_id, token, _ = subscribe(api, push_service, discreet=False)
    url = f"/api/push/subscriptions/{sub_id}"
    (slot,) = due_times(push_app)  # read first: the next run may queue it early
    assert api.post(f"{url}/test", token=token).status_code == 202
    clock.now = time.time()
    assert dispatcher.run_once().sent == 1
    (test,) = push_service.received
    assert test.message["notification"]["title"] == "Reminders are working"
    assert test.headers["topic"] == "wayfinder-test"
    clock.now = slot
    dispatcher.run_once()
    tag = push_service.received[-1].tag
    assert api.post(f"{url}/snooze", token=token, json={"tag": tag}).status_code == 202
    (snoozed,) = queued(push_app)
    clock.now = snoozed.due_at - 1
    assert dispatcher.run_once().sent == 0
    clock.now = snoozed.due_at
    assert dispatcher.run_once().sent == 1, push_service.problems
    again = push_service.received[-1]
    assert again.message["notification"]["title"] == "Time for a breathing break"
    assert again.tag != tag and again.tag.startswith(tag.rsplit("-", 1)[0])


def test_missed_slots_are_not_sent_late(
    api: Api, push_app: Flask, push_service: Any, dispatcher: Dispatcher, clock: Clock
) -> None:
    """After an outage longer than the TTL, the missed slot is skipped, not sent."""
    subscribe(api, push_service)
    (slot,) = due_times(push_app)
    clock.now = slot + 3600 + 5
    assert dispatcher.run_once().sent == 0
    assert queued(push_app) == []
    assert due_times(push_app) == [slot + 86400]


def test_a_claim_hides_work_until_its_lease_ends(
    push_app: Flask, api: Api, push_service: Any
) -> None:
    """A claimed notification is invisible to other claims until the lease ends."""
    sub_id, token, _ = subscribe(api, push_service)
    api.post(f"/api/push/subscriptions/{sub_id}/test", token=token)
    now = time.time() + 1
    with state(push_app).session() as session, session.begin():
        first = store.claim(session, now, 10, 60, "a")
    with state(push_app).session() as session, session.begin():
        second = store.claim(session, now + 59, 10, 60, "b")
    with state(push_app).session() as session, session.begin():
        third = store.claim(session, now + 60, 10, 60, "c")
    assert len(first) == 1 and second == [] and len(third) == 1
    assert third[0].attempts == 2
    # The first claimant's late answer no longer touches the row.
    with state(push_app).session() as session, session.begin():
        store.settle(session, "a", store.Settle(done=[first[0].id], retry=[], gone=[]))
    assert len(queued(push_app)) == 1


def test_a_notification_claimed_too_often_is_dropped(
    api: Api, push_app: Flask, push_service: Any, dispatcher: Dispatcher, clock: Clock
) -> None:
    """A row that keeps crashing its dispatcher (poison) is given up."""
    sub_id, token, _ = subscribe(api, push_service)
    api.post(f"/api/push/subscriptions/{sub_id}/test", token=token)
    with state(push_app).session() as session, session.begin():
        session.execute(update(Delivery).values(attempts=store.MAX_CLAIMS))
    clock.now = time.time()
    assert dispatcher.run_once().dropped == 1
    assert push_service.received == []


def test_slots_are_queued_once(push_app: Flask, api: Api, push_service: Any) -> None:
    """Queuing the same reminder slot twice is impossible (unique reminder+slot)."""
    subscribe(api, push_service)
    (slot,) = due_times(push_app)
    with state(push_app).session() as session, session.begin():
        assert store.materialise(session, slot, slot, 100) == 1
        session.execute(update(Reminder).values(next_due_at=slot))
        assert store.materialise(session, slot, slot, 100) == 1
    assert len(queued(push_app)) == 1


def test_embedded_dispatcher_loop_sends_and_stops(
    api: Api, push_app: Flask, push_service: Any
) -> None:
    """run_forever sends what is due and stops promptly when asked."""
    import threading

    sub_id, token, _ = subscribe(api, push_service)
    api.post(f"/api/push/subscriptions/{sub_id}/test", token=token)
    stop = threading.Event()
    loop = Dispatcher(state(push_app))
    thread = threading.Thread(target=loop.run_forever, args=(stop,))
    thread.start()
    try:
        assert push_service.wait_for(1, timeout=20)
    finally:
        stop.set()
        thread.join(20)
    assert not thread.is_alive()
    assert (
        push_service.received[0].message["notification"]["tag"].startswith("wf-test-")
    )


def test_sqlite_allows_one_dispatcher_at_a_time(
    push_app: Flask, make_app: Any, push_service: Any
) -> None:
    """A second dispatcher on the same SQLite database waits as a stand-by."""
    import threading

    other_app = make_app(push_service.origin)
    first_stop, second_stop = threading.Event(), threading.Event()
    first = Dispatcher(state(push_app), name="first")
    second = Dispatcher(state(other_app), name="second")
    ready = threading.Event()
    with first._single_on_sqlite(first_stop) as got_first:
        assert got_first

        def stand_by() -> None:
            """Try to take the lock until told to stop."""
            with second._single_on_sqlite(second_stop) as got:
                ready.set()
                assert not got

        thread = threading.Thread(target=stand_by)
        thread.start()
        time.sleep(0.1)
        assert not ready.is_set()  # still waiting
        second_stop.set()
        thread.join(10)
    assert ready.is_set()
    first.sender.close()
    second.sender.close()


def test_a_reminder_that_cannot_be_scheduled_does_not_block_others(
    api: Api,
    push_app: Flask,
    push_service: Any,
    dispatcher: Dispatcher,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A row with a zone the tz database no longer has is switched off loudly;
    everyone else's reminders still go out."""
    broken, _, _ = subscribe(api, push_service)
    subscribe(api, push_service)
    with state(push_app).session() as session, session.begin():
        session.execute(
            update(Subscription)
            .where(Subscription.id == broken)
            .values(timezone="Gone/Zone")
        )
    clock.now = max(due_times(push_app))
    with caplog.at_level(logging.ERROR, logger="server.push.store"):
        stats = dispatcher.run_once()
    assert stats.sent == 2  # today's slots were already known
    assert any("cannot be scheduled" in r.message for r in caplog.records)
    assert sorted(due_times(push_app), key=lambda t: t is None)[-1] is None
