"""The validation boundary hands the store typed values, not wire strings."""

from __future__ import annotations

import json
from datetime import time

import pytest
from pydantic import ValidationError

from server.config import DEFAULT_PUSH_SERVICES
from server.push.validation import (
    NotificationTag,
    ReminderOut,
    SnoozeIn,
    SubscriptionCreate,
    hhmm,
    problems,
)
from server.push.vapid import b64url

POINT = b64url(
    bytes.fromhex(
        "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
    )
)


def create(**overrides: object) -> SubscriptionCreate:
    """Validate a create body as the API does."""
    body = {
        "subscription": {
            "endpoint": "https://fcm.googleapis.com/fcm/send/abc",
            "keys": {"p256dh": POINT, "auth": b64url(bytes(16))},
        },
        "timezone": "Europe/London",
        "reminders": [{"kind": "breathe", "time": "07:05", "days": ["sun", "mon"]}],
        "quiet_hours": {"start": "22:00", "end": "06:30"},
        **overrides,
    }
    return SubscriptionCreate.model_validate_json(
        json.dumps(body),
        strict=True,
        context={"push_services": DEFAULT_PUSH_SERVICES},
    )


def test_times_days_and_origin_arrive_converted() -> None:
    """HH:MM is a time, days are weekday numbers, the origin is computed once."""
    body = create()
    (reminder,) = body.reminders
    assert reminder.time == time(7, 5) and reminder.days == [6, 0]
    assert body.quiet_hours.start == time(22) and body.quiet_hours.end == time(6, 30)
    assert body.subscription.endpoint.url == "https://fcm.googleapis.com/fcm/send/abc"
    assert body.subscription.endpoint.origin == "https://fcm.googleapis.com"


def test_the_wire_shape_is_still_checked_first() -> None:
    """A bad time or day is refused before any conversion."""
    with pytest.raises(ValidationError) as caught:
        create(reminders=[{"kind": "breathe", "time": "7:05", "days": ["funday"]}])
    assert {e["type"] for e in caught.value.errors()} == {
        "string_pattern_mismatch",
        "literal_error",
    }


def test_snooze_tags_are_split() -> None:
    """wf-<kind>-<reminder>-<slot> becomes its parts; unknown kinds are refused."""
    tag = SnoozeIn.model_validate_json('{"tag": "wf-check-in-12-1800000000"}').tag
    assert tag == NotificationTag("check-in", 12, 1_800_000_000)
    with pytest.raises(ValidationError) as raised:
        SnoozeIn.model_validate_json('{"tag": "wf-sleep-1-2"}')
    (problem,) = problems(raised.value)
    assert (problem.field, problem.message) == (
        "tag",
        "must be the tag of a Wayfinder notification",
    )


def test_stored_values_go_back_in_the_request_shape() -> None:
    """Out of the store: HH:MM and day ids, Monday first."""
    assert hhmm(time(7, 5)) == "07:05"
    out = ReminderOut.of("breathe", time(7, 5), [6, 0], None)
    assert out.model_dump() == {
        "kind": "breathe",
        "time": "07:05",
        "days": ["mon", "sun"],
        "text": None,
    }
