"""The server only ever talks to allowed push services (no SSRF)."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
from flask import Flask
from push_fake import Answer, FakePushService
from sqlalchemy import func, select

from server.config import DEFAULT_PUSH_SERVICES
from server.push import state
from server.push.dispatch import Dispatcher
from server.push.models import Delivery, Subscription
from server.push.validation import endpoint_origin

from .conftest import Api

REFUSED = [
    "https://example.org/push/1",
    "http://fcm.googleapis.com/fcm/send/1",  # https only
    "https://fcm.googleapis.com:8443/fcm/send/1",  # other port
    "https://fcm.googleapis.com.evil.example/fcm/send/1",
    "https://fcm.googleapis.com@evil.example/fcm/send/1",
    "https://evil.example#@fcm.googleapis.com/x",
    "https://evil.example\\@fcm.googleapis.com/x",
    "https://push.apple.com/x",  # the wildcard needs a subdomain
    "https://.push.apple.com/x",
    "https://a..push.apple.com/x",
    "https://evil.example/.push.apple.com/x",
    "https://fcm.googleapis.cοm/x",  # Greek omicron
    "https://fcm.googleapis.com",  # no path
    "http://localhost/push",
    "http://127.0.0.1/push",
    "http://169.254.169.254/latest/meta-data/",
    "https://[::1]/push",
    "http://0x7f000001/push",
    "file:///etc/passwd",
    "gopher://fcm.googleapis.com/x",
    "https://fcm.googleapis.com/x y",
    "//fcm.googleapis.com/x",
    "",
]

ALLOWED = [
    ("https://fcm.googleapis.com/fcm/send/abc:def", "https://fcm.googleapis.com"),
    (
        "https://updates.push.services.mozilla.com/wpush/v2/gAAA",
        "https://updates.push.services.mozilla.com",
    ),
    ("https://web.push.apple.com/QGuYkd", "https://web.push.apple.com"),
    ("https://api.push.apple.com/3/device/x", "https://api.push.apple.com"),
    (
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
        "https://wns2-par02p.notify.windows.com",
    ),
]


#: Written differently from the listed origin (case, default or empty port, port
#: 0): browsers never send these, and the OpenAPI pattern refuses them too.
NOT_AS_LISTED = [
    "https://FCM.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com:443/fcm/send/x",
    "https://fcm.googleapis.com:/fcm/send/x",
    "https://fcm.googleapis.com:0/fcm/send/x",
    "https://fcm.googleapis.com/fcm/send/x#frag",
]


@pytest.mark.parametrize("endpoint", REFUSED + NOT_AS_LISTED)
def test_unlisted_endpoints_are_refused(endpoint: str) -> None:
    """Anything but an allowed push-service origin is refused."""
    with pytest.raises(ValueError):
        endpoint_origin(endpoint, DEFAULT_PUSH_SERVICES)


@pytest.mark.parametrize(("endpoint", "origin"), ALLOWED)
def test_real_push_services_are_allowed(endpoint: str, origin: str) -> None:
    """Chrome, Firefox, Safari and Edge endpoints pass, wildcards included."""
    assert endpoint_origin(endpoint, DEFAULT_PUSH_SERVICES) == origin


def test_plain_http_only_when_listed_exactly() -> None:
    """An http origin is allowed only as listed, port included."""
    services = (*DEFAULT_PUSH_SERVICES, "http://127.0.0.1:8123")
    assert (
        endpoint_origin("http://127.0.0.1:8123/push/x", services)
        == "http://127.0.0.1:8123"
    )
    for other in ("http://127.0.0.1:8124/push/x", "https://127.0.0.1:8123/push/x"):
        with pytest.raises(ValueError):
            endpoint_origin(other, services)


@pytest.mark.parametrize("endpoint", REFUSED[:8] + ["http://127.0.0.1:1/push/x"])
def test_api_refuses_and_stores_nothing(
    api: Api, push_app: Flask, push_service: Any, endpoint: str
) -> None:
    """The API answers 400 naming the endpoint; nothing is stored."""
    subscription = push_service.subscribe() | {"endpoint": endpoint}
    response = api.post(
        "/api/push/subscriptions",
        json={"subscription": subscription, "timezone": "UTC", "reminders": []},
    )
    assert response.status_code == 400
    assert response.get_json()["problems"][0]["field"] == "subscription.endpoint"
    with state(push_app).session() as session:
        assert session.scalar(select(func.count()).select_from(Subscription)) == 0


def test_dispatcher_rechecks_the_allow_list(
    api: Api, push_app: Flask, push_service: Any, make_app: Any, caplog: Any
) -> None:
    """A stored endpoint whose service is no longer allowed is never contacted."""
    sub_id, token = api.subscribe(
        push_service.subscribe(), timezone="UTC", reminders=[]
    )
    api.post(f"/api/push/subscriptions/{sub_id}/test", token=token)
    stricter = make_app("https://fcm.googleapis.com")
    stricter.extensions["wayfinder.push"].services = DEFAULT_PUSH_SERVICES
    dispatcher = Dispatcher(state(stricter), clock=lambda: time.time() + 1)
    stats = dispatcher.run_once()
    dispatcher.sender.close()
    assert stats.dropped == 1 and push_service.arrivals == []
    assert any("not sending" in r.message for r in caplog.records)
    with state(push_app).session() as session:
        assert session.scalar(select(func.count()).select_from(Subscription)) == 1


def test_redirects_are_not_followed(
    api: Api, push_app: Flask, push_service: Any
) -> None:
    """A push service answering 307 elsewhere does not make us post there."""
    elsewhere = FakePushService().start()
    try:
        subscription = push_service.subscribe()
        target = elsewhere.subscribe()["endpoint"]
        push_service.answer(subscription, Answer(307, {"Location": target}))
        sub_id, token = api.subscribe(subscription, timezone="UTC", reminders=[])
        api.post(f"/api/push/subscriptions/{sub_id}/test", token=token)
        dispatcher = Dispatcher(
            state(push_app), clock=lambda: time.time() + 1, rng=random.Random(1)
        )
        stats = dispatcher.run_once()
        dispatcher.sender.close()
        assert stats.statuses == {307: 1} and stats.dropped == 1
        assert elsewhere.arrivals == []
        with state(push_app).session() as session:
            assert session.scalar(select(func.count()).select_from(Delivery)) == 0
    finally:
        elsewhere.stop()
