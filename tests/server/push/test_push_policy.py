"""What each push-service answer leads to: pure, no server needed."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from server.push.policy import (
    MAX_ATTEMPTS,
    RETRY_AFTER_CAP,
    RETRY_AFTER_DEFAULT,
    Answer,
    backoff,
    decide,
    retry_after_seconds,
)

NOW = 1_800_000_000
LATER = NOW + 3600


def action(answer: Answer, attempts: int = 1, expires_at: int = LATER) -> tuple:
    """Decide with a fixed clock and seed."""
    return decide(answer, attempts, NOW, expires_at, random.Random(1))


@pytest.mark.parametrize("status", [200, 201, 202])
def test_accepted_is_done(status: int) -> None:
    """2xx: removed from the queue."""
    assert action(Answer(status)) == ("done", None)


@pytest.mark.parametrize("status", [404, 410])
def test_gone_subscriptions_are_deleted(status: int) -> None:
    """404 and 410: the subscription is gone."""
    assert action(Answer(status)) == ("gone", None)


@pytest.mark.parametrize("status", [400, 413, 307])
def test_hopeless_answers_are_dropped(status: int) -> None:
    """Resending the same request cannot help."""
    assert action(Answer(status)) == ("drop", None)


def test_rate_limits_wait_for_retry_after() -> None:
    """429: seconds or an HTTP date, capped; 60 s when the header is missing."""
    assert action(Answer(429, "120")) == ("retry", NOW + 120)
    assert action(Answer(429)) == ("retry", NOW + RETRY_AFTER_DEFAULT)
    date = format_datetime(datetime.fromtimestamp(NOW + 300, UTC), usegmt=True)
    assert retry_after_seconds(date, NOW) == 300
    assert retry_after_seconds("999999", NOW) == RETRY_AFTER_CAP
    assert retry_after_seconds("soon", NOW) == RETRY_AFTER_DEFAULT


@pytest.mark.parametrize(
    "answer", [Answer(503), Answer(401), Answer(None, error="network")]
)
def test_failures_back_off_then_give_up(answer: Answer) -> None:
    """5xx, 401/403 and network errors retry with jitter, up to MAX_ATTEMPTS."""
    verdict, when = action(answer)
    assert verdict == "retry" and NOW + 15 <= when <= NOW + 30
    assert action(answer, attempts=MAX_ATTEMPTS) == ("drop", None)


def test_nothing_is_retried_past_its_ttl() -> None:
    """A retry that would land after expiry is a drop."""
    assert action(Answer(503), expires_at=NOW + 10) == ("drop", None)
    assert action(Answer(429, "60"), expires_at=NOW + 60) == ("drop", None)


@pytest.mark.parametrize("error", ["expired", "refused", "poison"])
def test_never_posted_notifications_are_dropped(error: str) -> None:
    """Expired, no longer allowed, or claimed too often: dropped at once."""
    assert action(Answer(None, error=error)) == ("drop", None)


def test_backoff_grows_to_its_cap() -> None:
    """About 30 s, 2 min, 8 min, then 10 min, each with up to half as jitter."""
    rng = random.Random(3)
    for attempts, full in [(1, 30), (2, 120), (3, 480), (4, 600), (9, 600)]:
        assert full / 2 <= backoff(attempts, rng) <= full
