"""What to do with each push-service answer: pure functions, no I/O.

=============  ===========================================================
201/200/202    done: the notification is removed from the queue
404, 410       the subscription is gone: deleted with everything it had
429            tried again after Retry-After (default 60 s), within the TTL
5xx, network   tried again with exponential backoff and jitter, within TTL
401, 403       logged as errors (VAPID key or subscription key mismatch) and
               tried again with backoff within the TTL; never deleted
400, 413       logged as errors and dropped (resending cannot help);
               the subscription is never deleted
=============  ===========================================================

A notification that was never posted because it had expired, its endpoint
is no longer allowed, or it was claimed too often is dropped.
"""

from __future__ import annotations

import contextlib
import email.utils
import random
from dataclasses import dataclass

#: Tries for 5xx, network errors and 401/403 before a notification is dropped.
MAX_ATTEMPTS = 5
BACKOFF_BASE = 30
BACKOFF_CAP = 600
RETRY_AFTER_DEFAULT = 60
RETRY_AFTER_CAP = 3600
#: Errors (set by the sender, with no answer) that trying again cannot mend.
NEVER_RETRIED = frozenset({"expired", "refused", "poison"})


@dataclass(frozen=True)
class Answer:
    """What a push service said: a status, or an error when there was no answer."""

    status: int | None
    retry_after: str | None = None
    error: str | None = None
    detail: str = ""


def retry_after_seconds(value: str | None, now: float) -> int:
    """Seconds to wait from a Retry-After header (seconds or HTTP date)."""
    if value:
        value = value.strip()
        if value.isdigit():
            return max(1, min(int(value), RETRY_AFTER_CAP))
        with contextlib.suppress(TypeError, ValueError):
            when = email.utils.parsedate_to_datetime(value).timestamp()
            return max(1, min(int(when - now + 0.999), RETRY_AFTER_CAP))
    return RETRY_AFTER_DEFAULT


def backoff(attempts: int, rng: random.Random) -> int:
    """Exponential backoff with jitter: about 30 s, 2 min, 8 min, 10 min."""
    delay = min(BACKOFF_BASE * 4 ** max(0, attempts - 1), BACKOFF_CAP)
    return int(delay / 2 + rng.uniform(0, delay / 2))


def decide(
    answer: Answer, attempts: int, now: float, expires_at: int, rng: random.Random
) -> tuple[str, int | None]:
    """Turn an answer into an action: done, gone, drop, or (retry, when)."""
    if answer.error in NEVER_RETRIED:
        return "drop", None
    status = answer.status
    if status is not None and 200 <= status <= 202:
        return "done", None
    if status in (404, 410):
        return "gone", None
    if status == 429:
        when = int(now) + retry_after_seconds(answer.retry_after, now)
    elif status is None or status >= 500 or status in (401, 403, 408):
        if attempts >= MAX_ATTEMPTS:
            return "drop", None
        when = int(now) + backoff(attempts, rng)
    else:
        return "drop", None
    if when >= expires_at:
        return "drop", None
    return "retry", when
