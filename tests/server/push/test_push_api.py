"""The push JSON API: bad input refused with nothing stored, tokens, behaviour."""

from __future__ import annotations

import base64
import copy
import io
import json
import os
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from server.push import state
from server.push.models import Delivery, Reminder, Subscription

from .conftest import Api


def b64(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def counts(app: Flask) -> tuple[int, int, int]:
    """Rows in the subscription, reminder and delivery tables."""
    with state(app).session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Subscription, Reminder, Delivery)
        )


@pytest.fixture()
def good(push_service) -> dict[str, Any]:
    """A valid create body."""
    return {
        "subscription": push_service.subscribe(),
        "timezone": "America/New_York",
        "reminders": [
            {"kind": "breathe", "time": "08:30", "days": ["mon", "wed", "fri"]},
            {
                "kind": "custom",
                "time": "21:00",
                "days": ["sun"],
                "text": "Water the plants",
            },
        ],
        "quiet_hours": {"start": "22:00", "end": "07:00"},
        "discreet": True,
    }


def with_change(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of body with one value set (path like reminders.0.time) or DELETEd."""
    out = copy.deepcopy(body)
    *parents, last = path.split(".")
    target: Any = out
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    key: Any = int(last) if last.isdigit() else last
    if value == "DELETE":
        del target[key]
    else:
        target[key] = value
    return out


NOT_ON_CURVE = b64(b"\x04" + b"\x01" * 64)
BAD_BODIES = {
    # Missing fields.
    "no subscription": ("subscription", "DELETE"),
    "no timezone": ("timezone", "DELETE"),
    "no reminders": ("reminders", "DELETE"),
    "no endpoint": ("subscription.endpoint", "DELETE"),
    "no keys": ("subscription.keys", "DELETE"),
    "no auth key": ("subscription.keys.auth", "DELETE"),
    "no p256dh key": ("subscription.keys.p256dh", "DELETE"),
    "reminder without kind": ("reminders.0.kind", "DELETE"),
    "reminder without time": ("reminders.0.time", "DELETE"),
    "reminder without days": ("reminders.0.days", "DELETE"),
    "quiet hours without end": ("quiet_hours.end", "DELETE"),
    # Extra fields, at every level.
    "extra top-level field": ("name", "Alex"),
    "extra subscription field": ("subscription.owner", "x"),
    "extra key": ("subscription.keys.private", "x"),
    "extra reminder field": ("reminders.0.mood", "low"),
    "extra quiet-hours field": ("quiet_hours.note", "x"),
    # Times.
    "time without leading zero": ("reminders.0.time", "8:30"),
    "time 24:00": ("reminders.0.time", "24:00"),
    "time 12:60": ("reminders.0.time", "12:60"),
    "time with seconds": ("reminders.0.time", "08:30:00"),
    "time as number": ("reminders.0.time", 830),
    "empty time": ("reminders.0.time", ""),
    "quiet start bad": ("quiet_hours.start", "10pm"),
    "quiet hours empty": ("quiet_hours", {"start": "22:00", "end": "22:00"}),
    # Days, kinds and text.
    "no days": ("reminders.0.days", []),
    "unknown day": ("reminders.0.days", ["funday"]),
    "day twice": ("reminders.0.days", ["mon", "mon"]),
    "days as text": ("reminders.0.days", "mon"),
    "unknown kind": ("reminders.0.kind", "sleep"),
    "text on a non-custom reminder": ("reminders.0.text", "hello"),
    "text over 120 characters": ("reminders.1.text", "x" * 121),
    "text with a line break": ("reminders.1.text", "two\nlines"),
    # Zones and types.
    "unknown timezone": ("timezone", "Mars/Olympus_Mons"),
    "timezone path": ("timezone", "../../etc/passwd"),
    "empty timezone": ("timezone", ""),
    "timezone as number": ("timezone", 5),
    "discreet as text": ("discreet", "yes"),
    "discreet as number": ("discreet", 1),
    "reminders not a list": ("reminders", {"kind": "breathe"}),
    "expirationTime as text": ("subscription.expirationTime", "soon"),
    # Keys.
    "p256dh not base64url": ("subscription.keys.p256dh", "not base64 at all!"),
    "p256dh too short": ("subscription.keys.p256dh", b64(b"\x04" + b"\x01" * 63)),
    "p256dh compressed": ("subscription.keys.p256dh", b64(b"\x02" + b"\x01" * 32)),
    "p256dh not on the curve": ("subscription.keys.p256dh", NOT_ON_CURVE),
    "auth 15 bytes": ("subscription.keys.auth", b64(os.urandom(15))),
    "auth 17 bytes": ("subscription.keys.auth", b64(os.urandom(17))),
    "auth not base64url": ("subscription.keys.auth", "????????????????????????"),
    # Not a push service.
    "endpoint elsewhere": ("subscription.endpoint", "https://example.org/push/1"),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_input_is_400_with_a_reason_and_nothing_stored(
    api: Api, push_app: Flask, good: dict[str, Any], case: str
) -> None:
    """Each bad value is refused with 400 naming the field; no row is written."""
    path, value = BAD_BODIES[case]
    response = api.post("/api/push/subscriptions", json=with_change(good, path, value))
    assert response.status_code == 400, response.get_json()
    body = response.get_json()
    assert body["error"] == "invalid_request"
    assert body["message"].startswith("Please check:")
    fields = [p["field"] for p in body["problems"]]
    expected = path.split(".")
    expected_name = expected[0]
    for part in expected[1:]:
        expected_name += f"[{part}]" if part.isdigit() else f".{part}"
    if case == "quiet hours empty":
        expected_name = "quiet_hours"
    assert any(f.startswith(expected_name) for f in fields), (fields, expected_name)
    assert counts(push_app) == (0, 0, 0)


def test_more_than_twenty_reminders(api: Api, push_app: Flask, good: dict) -> None:
    """21 reminders are refused; 20 are fine."""
    one = {"kind": "breathe", "time": "08:30", "days": ["mon"]}
    response = api.post(
        "/api/push/subscriptions", json=with_change(good, "reminders", [one] * 21)
    )
    assert response.status_code == 400
    assert "at most 20" in response.get_json()["message"]
    assert counts(push_app) == (0, 0, 0)
    response = api.post(
        "/api/push/subscriptions", json=with_change(good, "reminders", [one] * 20)
    )
    assert response.status_code == 201
    assert counts(push_app) == (1, 20, 0)


@pytest.mark.parametrize(
    "raw",
    [b"{bad json", b"", b"[]", b"null", b'"text"', b"\xff\xfe", b'{"a": 1,}'],
    ids=["broken", "empty", "list", "null", "string", "not utf-8", "trailing comma"],
)
def test_malformed_json_is_400(api: Api, push_app: Flask, raw: bytes) -> None:
    """A body that is not a JSON object is refused, nothing stored."""
    response = api.post(
        "/api/push/subscriptions", data=raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.get_json()["problems"][0]["field"] == "body"
    assert counts(push_app) == (0, 0, 0)


def test_body_over_16_kb_is_413(api: Api, push_app: Flask, good: dict) -> None:
    """A body over 16 KB gets 413, even when it is otherwise valid JSON."""
    body = with_change(good, "padding", "x" * (16 * 1024))
    response = api.post("/api/push/subscriptions", json=body)
    assert response.status_code == 413
    assert response.get_json()["error"] == "body_too_large"
    raw = json.dumps(good).encode()
    raw = raw[:-1] + b" " * (16 * 1024 - len(raw)) + b"}"
    assert len(raw) == 16 * 1024
    response = api.post(
        "/api/push/subscriptions", data=raw, content_type="application/json"
    )
    assert response.status_code == 201  # exactly 16 KB is allowed
    assert counts(push_app)[0] == 1


def test_chunked_body_over_16_kb_is_413(push_app: Flask, good: dict) -> None:
    """Without a Content-Length, the cap still holds."""
    client = push_app.test_client()
    data = json.dumps(with_change(good, "padding", "x" * 20000)).encode()
    response = client.post(
        "/api/push/subscriptions",
        input_stream=io.BytesIO(data),
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        environ_base={"wsgi.input_terminated": True},  # as gunicorn sets it
    )
    assert response.status_code == 413
    assert counts(push_app) == (0, 0, 0)


def test_json_must_say_so(api: Api, push_app: Flask, good: dict) -> None:
    """A body sent as text/plain gets 415 (this also blocks cross-site form posts)."""
    response = api.post(
        "/api/push/subscriptions", data=json.dumps(good), content_type="text/plain"
    )
    assert response.status_code == 415
    assert counts(push_app) == (0, 0, 0)


def test_create_then_read(api: Api, good: dict) -> None:
    """What was stored comes back in the request's shape, with the next due time."""
    response = api.post("/api/push/subscriptions", json=good)
    assert response.status_code == 201
    created = response.get_json()
    assert response.headers["Location"] == f"/api/push/subscriptions/{created['id']}"
    assert len(created["token"]) >= 40
    view = api.get(f"/api/push/subscriptions/{created['id']}", token=created["token"])
    assert view.status_code == 200
    assert view.headers["Cache-Control"] == "no-store"
    data = view.get_json()
    assert data["timezone"] == "America/New_York"
    assert data["reminders"] == [
        {
            "kind": "breathe",
            "time": "08:30",
            "days": ["mon", "wed", "fri"],
            "text": None,
        },
        {
            "kind": "custom",
            "time": "21:00",
            "days": ["sun"],
            "text": "Water the plants",
        },
    ]
    assert data["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    assert data["discreet"] is True
    assert data["next_reminder_at"].endswith("Z")


def test_public_key_is_the_vapid_key(api: Api, push_app: Flask) -> None:
    """The public key is the uncompressed P-256 point the app signs with."""
    response = api.get("/api/push/public-key")
    key = response.get_json()["publicKey"]
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 4
    assert key == state(push_app).public_key


def test_token_is_stored_hashed(api: Api, push_app: Flask, good: dict) -> None:
    """The token never reaches the database; only its hash does."""
    created = api.post("/api/push/subscriptions", json=good).get_json()
    with state(push_app).engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM push_subscription")).all()
    dump = repr(rows)
    assert created["token"] not in dump
    assert rows[0].token_hash != created["token"] and len(rows[0].token_hash) == 64


def test_stores_only_what_push_needs(push_app: Flask) -> None:
    """No column holds names, health data or anything beyond sending."""
    with state(push_app).engine.connect() as conn:
        columns = {
            row[1]
            for table in ("push_subscription", "push_reminder", "push_delivery")
            for row in conn.execute(text(f"PRAGMA table_info({table})"))
        }
    assert columns == {
        "id",
        "token_hash",
        "endpoint",
        "endpoint_hash",
        "push_origin",
        "p256dh",
        "auth",
        "app_origin",
        "timezone",
        "quiet_start",
        "quiet_end",
        "discreet",
        "created_at",
        "updated_at",
        "subscription_id",
        "position",
        "kind",
        "minute",
        "days",
        "text",
        "next_due_at",
        "reminder_id",
        "slot",
        "due_at",
        "expires_at",
        "attempts",
        "claimed_by",
    }


# --- Tokens -----------------------------------------------------------------


@pytest.fixture()
def two(api: Api, push_service) -> tuple[tuple[str, str], tuple[str, str]]:
    """Two subscriptions: (id, token) each."""
    return api.subscribe(push_service.subscribe()), api.subscribe(
        push_service.subscribe()
    )


OWNER_CALLS = [
    ("GET", "", None),
    ("PUT", "", {"timezone": "UTC", "reminders": []}),
    ("DELETE", "", None),
    ("POST", "/test", None),
    ("POST", "/snooze", {"tag": "wf-breathe-0-1"}),
]


@pytest.mark.parametrize(("method", "suffix", "body"), OWNER_CALLS)
def test_missing_token_is_401_and_reveals_nothing(
    api: Api, push_app: Flask, two: Any, method: str, suffix: str, body: Any
) -> None:
    """No token (or not a bearer token): 401, no data, nothing changed."""
    (sub_id, _), _ = two
    before = counts(push_app)
    for headers in (
        {},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer "},
    ):
        response = api.call(
            method,
            f"/api/push/subscriptions/{sub_id}{suffix}",
            json=body,
            headers=headers,
        )
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert sub_id not in response.get_data(as_text=True)
        assert set(response.get_json()) == {"error", "message", "problems"}
    assert counts(push_app) == before


@pytest.mark.parametrize(("method", "suffix", "body"), OWNER_CALLS)
def test_wrong_token_is_401_like_an_unknown_id(
    api: Api, push_app: Flask, two: Any, method: str, suffix: str, body: Any
) -> None:
    """Someone else's token, a made-up token or a made-up id all look the same."""
    (first, _), (_, second_token) = two
    before = counts(push_app)
    answers = []
    for sub_id, token in (
        (first, second_token),
        (first, "made-up-token"),
        ("no-such-subscription", second_token),
        ("x" * 300, second_token),
    ):
        response = api.call(
            method, f"/api/push/subscriptions/{sub_id}{suffix}", token=token, json=body
        )
        assert response.status_code == 401
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
        answers.append(response.get_json())
    assert all(a == answers[0] for a in answers)
    assert counts(push_app) == before


def test_delete_forgets_everything(api: Api, push_app: Flask, two: Any) -> None:
    """DELETE removes the subscription, its reminders and queued notifications."""
    (sub_id, token), (other, other_token) = two
    assert (
        api.post(f"/api/push/subscriptions/{sub_id}/test", token=token).status_code
        == 202
    )
    response = api.delete(f"/api/push/subscriptions/{sub_id}", token=token)
    assert response.status_code == 204
    assert counts(push_app) == (1, 1, 0)
    assert api.get(f"/api/push/subscriptions/{sub_id}", token=token).status_code == 401
    assert (
        api.get(f"/api/push/subscriptions/{other}", token=other_token).status_code
        == 200
    )


# --- Updates ---------------------------------------------------------------------


def test_put_replaces_settings_and_keeps_unchanged_reminders(
    api: Api, push_app: Flask, good: dict
) -> None:
    """PUT is a full replacement; an unchanged reminder keeps its row and queue."""
    created = api.post("/api/push/subscriptions", json=good).get_json()
    url = f"/api/push/subscriptions/{created['id']}"
    with state(push_app).session() as session:
        ids_before = {r.kind: r.id for r in session.scalars(select(Reminder))}
    update = {
        "timezone": "America/New_York",
        "reminders": [
            good["reminders"][0],
            {"kind": "medication", "time": "12:00", "days": ["tue"]},
        ],
        "discreet": False,
    }
    response = api.put(url, token=created["token"], json=update)
    assert response.status_code == 200
    data = response.get_json()
    assert [r["kind"] for r in data["reminders"]] == ["breathe", "medication"]
    assert data["quiet_hours"] is None  # left out means none
    assert data["discreet"] is False
    with state(push_app).session() as session:
        ids_after = {r.kind: r.id for r in session.scalars(select(Reminder))}
    assert ids_after["breathe"] == ids_before["breathe"]
    assert "custom" not in ids_after


def test_put_can_change_the_browser_subscription(
    api: Api,
    push_app: Flask,
    push_service,
    good: dict,
) -> None:
    """After pushsubscriptionchange the worker PUTs the new endpoint and keys."""
    created = api.post("/api/push/subscriptions", json=good).get_json()
    fresh = push_service.subscribe()
    update = {k: v for k, v in good.items() if k != "subscription"} | {
        "subscription": fresh
    }
    response = api.put(
        f"/api/push/subscriptions/{created['id']}", token=created["token"], json=update
    )
    assert response.status_code == 200
    with state(push_app).session() as session:
        sub = session.get(Subscription, created["id"])
        assert sub.endpoint == fresh["endpoint"]
        assert sub.p256dh == fresh["keys"]["p256dh"]


@pytest.mark.parametrize(
    "case", ["unknown timezone", "time 24:00", "extra top-level field"]
)
def test_bad_put_changes_nothing(
    api: Api, push_app: Flask, good: dict, case: str
) -> None:
    """A refused PUT leaves the stored settings exactly as they were."""
    created = api.post("/api/push/subscriptions", json=good).get_json()
    url = f"/api/push/subscriptions/{created['id']}"
    before = api.get(url, token=created["token"]).get_json()
    path, value = BAD_BODIES[case]
    body = with_change(
        {k: v for k, v in good.items() if k != "subscription"}, path, value
    )
    assert api.put(url, token=created["token"], json=body).status_code == 400
    assert api.get(url, token=created["token"]).get_json() == before


def test_subscribing_again_replaces_the_old_record(
    api: Api, push_app: Flask, good: dict
) -> None:
    """The same browser endpoint subscribing again replaces its earlier record."""
    first = api.post("/api/push/subscriptions", json=good).get_json()
    second = api.post("/api/push/subscriptions", json=good).get_json()
    assert first["id"] != second["id"]
    assert counts(push_app)[0] == 1
    url = f"/api/push/subscriptions/{first['id']}"
    assert api.get(url, token=first["token"]).status_code == 401


def test_test_and_snooze_queue_notifications(
    api: Api, push_app: Flask, good: dict
) -> None:
    """Test is due now; snooze in 15 minutes (held by quiet hours if needed)."""
    created = api.post(
        "/api/push/subscriptions", json=with_change(good, "quiet_hours", "DELETE")
    ).get_json()
    url = f"/api/push/subscriptions/{created['id']}"
    test = api.post(f"{url}/test", token=created["token"])
    assert test.status_code == 202
    with state(push_app).session() as session:
        reminder = session.scalars(select(Reminder).order_by(Reminder.position)).first()
        queued = session.scalars(select(Delivery)).one()
    assert queued.kind == "test"
    snooze = api.post(
        f"{url}/snooze",
        token=created["token"],
        json={"tag": f"wf-breathe-{reminder.id}-1700000000"},
    )
    assert snooze.status_code == 202
    with state(push_app).session() as session:
        snoozed = session.scalars(
            select(Delivery).where(Delivery.kind == "breathe")
        ).one()
    assert snoozed.reminder_id == reminder.id
    assert snoozed.due_at - queued.due_at in range(899, 902)
    for bad in ({"tag": "not-ours"}, {}, {"tag": "wf-sleep-1-2"}, {"tag": 5}):
        response = api.post(f"{url}/snooze", token=created["token"], json=bad)
        assert response.status_code == 400


def test_too_many_waiting_notifications(api: Api, good: dict) -> None:
    """Test and snooze stop at a cap, so nobody can queue a flood."""
    created = api.post("/api/push/subscriptions", json=good).get_json()
    url = f"/api/push/subscriptions/{created['id']}/test"
    statuses = [api.post(url, token=created["token"]).status_code for _ in range(35)]
    assert statuses.count(202) == 30
    assert statuses[-1] == 429


def test_rate_limit_per_client(make_app, push_service, openapi_checker) -> None:
    """Past the configured rate a client gets 429 JSON with Retry-After."""
    app = make_app(push_service.origin, RATE_LIMIT="3 per minute")
    api = Api(app.test_client(), openapi_checker)
    statuses = [api.get("/api/push/public-key").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = api.get("/api/push/public-key")
    assert limited.get_json()["error"] == "too_many_requests"
    assert int(limited.headers["Retry-After"]) > 0
    other = app.test_client().get(
        "/api/push/public-key", environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    assert other.status_code == 200  # per client, not global


def test_simultaneous_save_is_409(
    api: Api, push_app: Flask, good: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A unique-key race (PostgreSQL) answers 409 as documented, storing nothing."""
    from sqlalchemy.exc import IntegrityError

    from server.push import store

    def clash(*_args: Any, **_kwargs: Any) -> None:
        """Behave as if another request stored the same endpoint first."""
        raise IntegrityError("INSERT", {}, Exception("duplicate endpoint_hash"))

    monkeypatch.setattr(store, "create", clash)
    response = api.post("/api/push/subscriptions", json=good)
    assert response.status_code == 409
    assert response.get_json()["error"] == "conflict"
    assert counts(push_app) == (0, 0, 0)
