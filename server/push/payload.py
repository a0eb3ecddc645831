"""Notification payloads in the Declarative Web Push shape, at most 3 KB.

Safari 18.4+ shows ``{"web_push": 8030, "notification": {...}}`` without
running the service worker; other browsers hand the same JSON to the
worker's ``push`` handler. Pure functions, no Flask.

Discreet text (the default) says nothing about health on a lock screen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .vocabulary import VOCABULARY

#: Plaintext bytes allowed; RFC 8291 caps one record at 3993.
MAX_BYTES = 3 * 1024

#: The kind of a test notification (the reminder kinds are in the vocabulary).
TEST = "test"

#: Where tapping each kind of notification leads (a path on this site).
NAVIGATE = {kind.id: kind.navigate for kind in VOCABULARY.kinds} | {TEST: "/reminders"}

#: Seconds a notification stays useful; the push service drops it after that.
TTL = {kind.id: kind.ttl for kind in VOCABULARY.kinds} | {TEST: 15 * 60}


@dataclass(frozen=True)
class Words:
    """A notification's title and body."""

    title: str
    body: str


DISCREET = Words("A moment for yourself", "Tap to open Wayfinder.")

#: Words that say which reminder it is, for people who turned discretion off.
PLAIN = {kind.id: Words(kind.title, kind.body) for kind in VOCABULARY.kinds}

TEST_WORDS = Words("Reminders are working", "This is how a reminder will look.")


class PayloadTooLarge(ValueError):
    """A payload would exceed MAX_BYTES."""


def topic(kind: str) -> str:
    """The RFC 8030 Topic: one per kind, so an offline phone gets one, not five."""
    return f"wayfinder-{kind}"


def tag(kind: str, reminder_id: int | None, slot: int) -> str:
    """The notification tag: one per reminder slot, so a duplicate replaces itself."""
    return f"wf-{kind}-{reminder_id or 0}-{slot}"


def words(kind: str, text: str | None, discreet: bool) -> Words:
    """Choose the title and body: discreet by default, plainer when asked."""
    if kind == TEST:
        return TEST_WORDS
    if discreet:
        return DISCREET
    if kind == "custom" and text:
        return Words(text, PLAIN["custom"].body)
    return PLAIN[kind]


def build(
    kind: str,
    *,
    base_url: str,
    tag: str,
    text: str | None = None,
    discreet: bool = True,
) -> bytes:
    """The UTF-8 JSON payload for one notification (raises PayloadTooLarge)."""
    chosen = words(kind, text, discreet)
    path = NAVIGATE[kind]
    url = base_url.rstrip("/") + path
    message = {
        "web_push": 8030,
        "notification": {
            "title": chosen.title,
            "body": chosen.body,
            "navigate": url,
            "tag": tag,
            "lang": "en",
            "dir": "ltr",
            "silent": False,
            "data": {"url": path, "kind": kind},
        },
    }
    data = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
    if len(data) > MAX_BYTES:
        raise PayloadTooLarge(f"payload is {len(data)} bytes, over {MAX_BYTES}")
    return data
