"""The fault matrix: every kind of push-service answer, and what the dispatcher
does with it (run with -s to see the table)."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
from flask import Flask
from push_fake import Answer, FakePushService
from sqlalchemy import select

from server.push import state, transport
from server.push.dispatch import Dispatcher
from server.push.models import Delivery, Subscription
from tests.support import free_port

from .conftest import Api, Clock

#: case: (what the push service does, expected action, subscription kept)
MATRIX: dict[str, tuple[Any, str, bool]] = {
    "201": (Answer(201), "sent", True),
    "404": (Answer(404), "gone", False),
    "410": (Answer(410), "gone", False),
    "413": (Answer(413), "dropped", True),
    "429 Retry-After: 120": (Answer(429, {"Retry-After": "120"}), "retried", True),
    "500": (Answer(500), "retried", True),
    "timeout": ("slow", "retried", True),
    "connection refused": ("closed", "retried", True),
    "redirect 301": (
        Answer(301, {"Location": "http://127.0.0.1:9/x"}),
        "dropped",
        True,
    ),
}


def outcome(stats: Any) -> str:
    """The one thing that happened to the one notification."""
    done = {
        name: getattr(stats, name) for name in ("sent", "gone", "retried", "dropped")
    }
    (action,) = [name for name, n in done.items() if n]
    return action


def test_every_push_service_answer(
    make_app: Any,
    push_service: FakePushService,
    openapi_checker: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each answer leads to its documented action; only 404/410 delete."""
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    app: Flask = make_app(
        push_service.origin, PUSH_SERVICES=(push_service.origin, closed)
    )
    api = Api(app.test_client(), openapi_checker)
    monkeypatch.setattr(transport, "TIMEOUT", (0.5, 0.5))
    rows = []
    for case, (behaviour, expected, kept) in MATRIX.items():
        subscription = push_service.subscribe()
        if behaviour == "closed":
            subscription["endpoint"] = closed + "/push/nobody"
        elif isinstance(behaviour, Answer):
            push_service.answer(subscription, behaviour)
        push_service.delay = 1.0 if behaviour == "slow" else 0.0
        sub_id, token = api.subscribe(subscription, reminders=[])
        api.post(f"/api/push/subscriptions/{sub_id}/test", token=token)
        now = time.time()
        dispatcher = Dispatcher(state(app), clock=Clock(now), rng=random.Random(3))
        try:
            action = outcome(dispatcher.run_once())
        finally:
            dispatcher.sender.close()
        with state(app).session() as session, session.begin():
            still = session.get(Subscription, sub_id) is not None
            waiting = session.scalar(
                select(Delivery.due_at).where(Delivery.subscription_id == sub_id)
            )
            session.execute(Delivery.__table__.delete())
        again = f"again in {waiting - int(now)} s" if waiting else "not queued"
        rows.append(f"{case:22} {action:8} kept={still!s:5} {again}")
        assert (action, still) == (expected, kept), case
        assert (waiting is not None) == (action == "retried"), case
    push_service.delay = 0.0
    print("\npush-service answer    action   subscription, queue\n" + "\n".join(rows))
    redirected = [r for r in push_service.refused if r.status == 301]
    assert len(redirected) == 1  # posted once, the redirect never followed
    assert push_service.problems == []
