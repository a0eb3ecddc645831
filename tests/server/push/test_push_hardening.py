"""What independent probes broke in the push API and dispatcher, kept fixed."""

from __future__ import annotations

import logging
import random
import time
from typing import Any

import pytest
from flask import Flask
from push_fake import Answer
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from server.config import ConfigError
from server.push import api as push_api
from server.push import state, store
from server.push.dispatch import Dispatcher
from server.push.models import Delivery, Reminder, Subscription

from .conftest import Api, push_only_app

BODY = {
    "timezone": "UTC",
    "reminders": [{"kind": "breathe", "time": "09:00", "days": ["mon"]}],
}


def create(api: Api, subscription: dict[str, Any], **extra: Any) -> Any:
    """POST a subscription; return the response."""
    return api.post(
        "/api/push/subscriptions", json={"subscription": subscription, **BODY}, **extra
    )


def count(app: Flask, model: Any) -> int:
    """Rows in a table."""
    with state(app).session() as session:
        return session.scalar(select(func.count()).select_from(model))


# --- 2. A late 404/410 never deletes a subscription the browser just replaced --


def test_late_410_for_an_old_endpoint_keeps_the_new_one(
    api: Api, push_app: Flask, push_service: Any
) -> None:
    """A test is in flight to the old endpoint; PUT sends a new endpoint; the
    old endpoint's 410 arrives: the subscription and its reminders stay."""
    old = push_service.subscribe()
    sub_id, token = api.subscribe(old)
    url = f"/api/push/subscriptions/{sub_id}"
    assert api.post(f"{url}/test", token=token).status_code == 202
    with state(push_app).session() as session, session.begin():
        (job,) = store.claim(session, time.time(), 10, 60, "probe")
    assert job.endpoint == old["endpoint"]
    new = push_service.subscribe()
    assert (
        api.put(url, token=token, json={**BODY, "subscription": new}).status_code == 200
    )
    with state(push_app).session() as session, session.begin():
        store.settle(session, "probe", store.Settle(gone=[(sub_id, job.endpoint)]))
    assert api.get(url, token=token).status_code == 200
    with state(push_app).session() as session, session.begin():
        store.settle(session, "x", store.Settle(gone=[(sub_id, new["endpoint"])]))
    assert api.get(url, token=token).status_code == 401  # the current one is gone


def test_late_410_through_the_dispatcher_keeps_the_replaced_subscription(
    api: Api, push_app: Flask, push_service: Any
) -> None:
    """End to end: a test is sent; the push service holds its answer until the
    browser has PUT a new endpoint, then answers 410 for the old one. The
    subscription keeps its new endpoint and its reminders; a 410 for the
    current endpoint still deletes it."""
    import threading

    old = push_service.subscribe()
    sub_id, token = api.subscribe(old)
    url = f"/api/push/subscriptions/{sub_id}"
    push_service.answer(old, Answer(410))
    push_service.gate.clear()  # answers wait until the test opens the gate
    assert api.post(f"{url}/test", token=token).status_code == 202
    dispatcher = Dispatcher(state(push_app), rng=random.Random(2))
    stats: list[Any] = []
    thread = threading.Thread(target=lambda: stats.append(dispatcher.run_once()))
    thread.start()
    try:
        assert push_service.wait_for(1, timeout=30)  # the send is in flight
        new = push_service.subscribe()
        replaced = api.put(url, token=token, json={**BODY, "subscription": new})
        assert replaced.status_code == 200
    finally:
        push_service.gate.set()  # now the old endpoint's 410 arrives
        thread.join(60)
    assert not thread.is_alive()
    (first,) = stats
    assert first.gone == 1 and first.statuses == {410: 1}
    answered = push_service.for_path(path_of(push_service, old))
    assert [r.status for r in answered] == [410]
    kept = api.get(url, token=token)
    assert kept.status_code == 200
    assert kept.get_json()["reminders"] == [{**BODY["reminders"][0], "text": None}]
    with state(push_app).session() as session:
        assert session.scalar(select(Subscription.endpoint)) == new["endpoint"]
    assert count(push_app, Reminder) == 1

    push_service.answer(new, Answer(410))
    assert api.post(f"{url}/test", token=token).status_code == 202
    assert dispatcher.run_once().gone == 1
    assert api.get(url, token=token).status_code == 401  # the current one is gone
    assert count(push_app, Subscription) == 0 and count(push_app, Reminder) == 0
    dispatcher.sender.close()


def path_of(service: Any, subscription: dict[str, Any]) -> str:
    """The fake push service's path for a subscription."""
    return subscription["endpoint"][len(service.origin) :]


# --- 3. Rate limits: shared by workers, keyed on the real client -------------


def test_rate_limit_is_shared_by_every_worker_of_an_instance(
    make_app: Any, push_service: Any
) -> None:
    """Two apps on one instance folder (two gunicorn workers) share one count."""
    first = make_app(push_service.origin, RATE_LIMIT="3 per minute")
    second = make_app(push_service.origin, RATE_LIMIT="3 per minute")
    statuses = [
        app.test_client().get("/api/push/public-key").status_code
        for app in (first, second, first, second)
    ]
    assert statuses == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(
    make_app: Any, push_service: Any
) -> None:
    """With one trusted proxy, X-Forwarded-For is the client; with none, it is
    ignored (a client cannot escape its limit by inventing addresses)."""
    proxied = make_app(
        push_service.origin, RATE_LIMIT="3 per minute", TRUSTED_PROXIES=1
    ).test_client()

    def hit(client: Any, forwarded: str) -> int:
        """One request through the proxy for a client address."""
        return client.get(
            "/api/push/public-key", headers={"X-Forwarded-For": forwarded}
        ).status_code

    assert [hit(proxied, "198.51.100.1") for _ in range(4)][-1] == 429
    assert hit(proxied, "198.51.100.2") == 200
    direct = make_app(push_service.origin, RATE_LIMIT="3 per minute").test_client()
    assert [hit(direct, f"198.51.100.{i}") for i in range(4)][-1] == 429


# --- 5. Database failures: JSON 503, reads keep working, one log line -------


def read_only(app: Flask) -> None:
    """Make every new connection refuse writes, as unwritable -wal/-shm files do."""
    engine = state(app).engine
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _query_only(dbapi_connection: Any, _record: Any) -> None:
        """SQLite refuses writes on this connection."""
        dbapi_connection.execute("PRAGMA query_only = ON")


def test_unwritable_database_gives_json_503_and_reads_still_work(
    api: Api, push_app: Flask, push_service: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Create and update answer the documented 503 problem; GET still works."""
    sub_id, token = api.subscribe(push_service.subscribe())
    read_only(push_app)
    caplog.set_level(logging.ERROR, logger="server.push.api")
    refused = create(api, push_service.subscribe())
    assert refused.status_code == 503
    assert refused.get_json()["error"] == "unavailable"
    assert int(refused.headers["Retry-After"]) > 0
    url = f"/api/push/subscriptions/{sub_id}"
    assert api.put(url, token=token, json=BODY).status_code == 503
    assert api.get(url, token=token).status_code == 200
    (record, *_) = [r for r in caplog.records if "DATABASE UNAVAILABLE" in r.message]
    assert "read-only" in record.message and "\n" not in record.getMessage()
    assert record.exc_info is None  # one line, no traceback


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("disk I/O error", "cannot be written"),
        ("database or disk is full", "disk is full"),
        ("database is locked", "locked"),
        ('connection failed: could not connect to server: "x"', "unreachable"),
        ("attempt to write a readonly database", "read-only"),
    ],
)
def test_database_problems_are_named(message: str, said: str) -> None:
    """The log line says which of the usual failures it is."""
    exc = OperationalError("INSERT", {}, Exception(message))
    assert said in push_api.database_problem(exc)


# --- Every error under /api/ is JSON ---------------------------------------------


def test_every_error_under_api_is_json(push_app: Flask) -> None:
    """405 (with Allow), 404 and 500 under /api/ are JSON problems."""

    @push_app.get("/api/boom")
    def boom() -> str:
        """Fail like a bug would."""
        raise RuntimeError("bug")

    client = push_app.test_client()
    patch = client.patch("/api/push/subscriptions/x")
    assert patch.status_code == 405 and patch.mimetype == "application/json"
    assert "PUT" in patch.headers["Allow"]
    assert patch.get_json()["error"] == "method_not_allowed"
    missing = client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.get_json()["error"] == "not_found"
    push_app.config["PROPAGATE_EXCEPTIONS"] = False
    failed = client.get("/api/boom")
    assert failed.status_code == 500 and failed.get_json()["error"] == "server_error"


def test_pages_keep_their_html_error_pages(client: Any) -> None:
    """Outside /api/ a 404 is still the friendly HTML page."""
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


# --- 6. Leases and released notifications ----------------------------------------


def test_a_lease_shorter_than_the_longest_send_is_refused(
    instance: Any, push_service: Any
) -> None:
    """Start-up stops with one line naming the setting."""
    with pytest.raises(ConfigError, match="^WAYFINDER_DISPATCH_LEASE_SECONDS: .*28"):
        push_only_app(instance, push_service.origin, DISPATCH_LEASE_SECONDS=20)


def test_released_untried_notifications_keep_their_retry_budget(
    api: Api, push_app: Flask, push_service: Any
) -> None:
    """A notification released because the lease ran short is not an attempt."""
    sub_id, token = api.subscribe(push_service.subscribe())
    api.post(f"/api/push/subscriptions/{sub_id}/test", token=token)
    dispatcher = Dispatcher(state(push_app), rng=random.Random(1))
    dispatcher.sender.send = lambda job, _deadline: (job, None)  # never tried
    for _ in range(3):
        with state(push_app).session() as session, session.begin():
            session.execute(Delivery.__table__.update().values(due_at=0))
        stats = dispatcher.run_once()
        assert stats.released == 1
    with state(push_app).session() as session:
        assert session.scalar(select(Delivery.attempts)) == 0
    dispatcher.sender.close()


# --- 7. The Host header is not trusted -------------------------------------------


def test_unknown_host_is_refused_and_nothing_stored(
    api: Api, push_app: Flask, push_service: Any
) -> None:
    """Host: evil.example (or a malformed Host) gets 400; nothing is stored."""
    for host in ("evil.example", "http:", "a b"):
        response = push_app.test_client().post(
            "/api/push/subscriptions",
            json={"subscription": push_service.subscribe(), **BODY},
            headers={"Host": host},
        )
        assert response.status_code == 400, host
    assert count(push_app, Subscription) == 0


def test_notification_links_use_the_public_url(
    make_app: Any, push_service: Any
) -> None:
    """With WAYFINDER_PUBLIC_URL set, its origin is stored, whatever the request."""
    app = make_app(push_service.origin, PUBLIC_URL="https://wayfinder.example")
    client = app.test_client()
    body = {"subscription": push_service.subscribe(), **BODY}
    assert client.post("/api/push/subscriptions", json=body).status_code == 400
    stored = client.post(
        "/api/push/subscriptions",
        json=body,
        base_url="https://wayfinder.example",
    )
    assert stored.status_code == 201
    with state(app).session() as session:
        assert session.scalar(select(Subscription.app_origin)) == (
            "https://wayfinder.example"
        )


# --- 8. Nobody replaces a subscription they do not hold ---------------------------


def test_an_endpoint_with_other_keys_is_refused(api: Api, push_service: Any) -> None:
    """Same endpoint, other keys: 409 and the owner keeps it; same keys: it is
    the same browser subscribing again, and replaces its old record."""
    subscription = push_service.subscribe()
    sub_id, token = api.subscribe(subscription)
    impostor = {**subscription, "keys": push_service.subscribe()["keys"]}
    refused = create(api, impostor)
    assert refused.status_code == 409 and refused.get_json()["error"] == "conflict"
    owner = f"/api/push/subscriptions/{sub_id}"
    assert api.get(owner, token=token).status_code == 200
    other_id, other_token = api.subscribe(push_service.subscribe())
    moved = api.put(
        f"/api/push/subscriptions/{other_id}",
        token=other_token,
        json={**BODY, "subscription": impostor},
    )
    assert moved.status_code == 409
    assert api.get(owner, token=token).status_code == 200
    assert create(api, subscription).status_code == 201  # the same browser again
    assert api.get(owner, token=token).status_code == 401


# --- 9. Loose input -------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com:0/fcm/send/x",
        "https://fcm.googleapis.com:/fcm/send/x",
    ],
)
def test_port_zero_or_empty_is_refused(
    api: Api, push_service: Any, endpoint: str
) -> None:
    """Port 0 or an empty port on an allowed service is refused, naming the field."""
    subscription = {**push_service.subscribe(), "endpoint": endpoint}
    response = create(api, subscription)
    assert response.status_code == 400
    problem = response.get_json()["problems"][0]
    assert problem == {
        "field": "subscription.endpoint",
        "message": "has an invalid port",
    }


@pytest.mark.parametrize("number", ["Infinity", "-Infinity", "NaN", "1e400"])
def test_expiration_time_must_be_finite(
    api: Api, push_service: Any, number: str
) -> None:
    """Non-finite numbers (JSON has none, but parsers take them) are refused."""
    import json

    body = json.dumps({"subscription": push_service.subscribe(), **BODY})
    body = body.replace('"expirationTime": null', f'"expirationTime": {number}')
    assert number in body
    response = api.post(
        "/api/push/subscriptions", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    fields = [p["field"] for p in response.get_json()["problems"]]
    assert fields == ["subscription.expirationTime"]


def test_json_must_be_utf8(api: Api, push_service: Any) -> None:
    """A body declared latin1 is refused, naming Content-Type."""
    import json

    body = json.dumps({"subscription": push_service.subscribe(), **BODY})
    response = api.post(
        "/api/push/subscriptions",
        data=body.encode(),
        content_type="application/json; charset=latin1",
    )
    assert response.status_code == 400
    assert response.get_json()["problems"][0]["field"] == "Content-Type"


# --- 10. Small things -----------------------------------------------------------


def test_retry_after_only_when_asked_to_wait(
    api: Api, make_app: Any, push_service: Any
) -> None:
    """A successful answer has no Retry-After; a 429 has one."""
    ok = api.get("/api/push/public-key")
    assert ok.status_code == 200 and "Retry-After" not in ok.headers
    limited = make_app(push_service.origin, RATE_LIMIT="1 per minute").test_client()
    limited.get("/api/push/public-key")
    assert "Retry-After" in limited.get("/api/push/public-key").headers


def test_snooze_error_reads_plainly(api: Api, push_service: Any) -> None:
    """The message names the field once: 'tag must be the tag of ...'."""
    sub_id, token = api.subscribe(push_service.subscribe())
    response = api.post(
        f"/api/push/subscriptions/{sub_id}/snooze",
        token=token,
        json={"tag": "wf-sleep-1-2"},
    )
    assert response.status_code == 400
    message = response.get_json()["message"]
    assert message == "Please check: tag must be the tag of a Wayfinder notification."
