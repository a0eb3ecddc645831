"""Notification payloads: declarative shape, discreet words, at most 3 KB."""

from __future__ import annotations

import json
import os
import re

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server.push import payload
from server.push.vocabulary import KIND_IDS

ALL = (*KIND_IDS, payload.TEST)
HEALTH_WORDS = re.compile(
    r"medic|mental|depress|therap|anx|mood|pill|dose|breath|mindful|health|crisis",
    re.IGNORECASE,
)


def build(kind: str, **kwargs: object) -> dict:
    """Build and parse a payload."""
    data = payload.build(
        kind,
        base_url="https://wayfinder.example",
        tag=payload.tag(kind, 3, 60),
        **kwargs,
    )
    return json.loads(data)


@pytest.mark.parametrize("kind", ALL)
def test_declarative_web_push_shape(kind: str) -> None:
    """Every payload is {"web_push": 8030, "notification": {...}} with an absolute
    navigate URL on this site and a per-slot tag."""
    message = build(kind)
    assert message["web_push"] == 8030
    note = message["notification"]
    assert {"title", "body", "navigate", "tag"} <= set(note)
    assert note["navigate"] == "https://wayfinder.example" + payload.NAVIGATE[kind]
    assert note["data"]["url"] == payload.NAVIGATE[kind]
    assert note["tag"] == f"wf-{kind}-3-60"


@pytest.mark.parametrize("kind", KIND_IDS)
def test_discreet_by_default_says_nothing_about_health(kind: str) -> None:
    """The default words could sit on any lock screen."""
    note = build(kind, text="My antidepressant")["notification"]
    assert note["title"] == "A moment for yourself"
    assert not HEALTH_WORDS.search(note["title"] + note["body"])
    assert "antidepressant" not in json.dumps(note)


def test_plainer_words_when_asked() -> None:
    """Non-discreet text names the reminder; custom shows the person's words."""
    assert build("breathe", discreet=False)["notification"]["title"] == (
        "Time for a breathing break"
    )
    custom = build("custom", discreet=False, text="Call Sam")["notification"]
    assert custom["title"] == "Call Sam"
    assert build("custom", discreet=False)["notification"]["title"] == "Your reminder"


def test_largest_payload_fits_3_kb_and_one_record() -> None:
    """The longest custom text (120 four-byte characters) and a long site URL
    stay under 3 KB, which encrypts to at most 4096 bytes."""
    data = payload.build(
        "custom",
        base_url="https://" + "w" * 250 + ".example",
        tag=payload.tag("custom", 10**12 - 1, 10**12 - 1),
        text="🌿" * 120,
        discreet=False,
    )
    assert len(data) <= payload.MAX_BYTES
    receiver = ec.generate_private_key(ec.SECP256R1())
    encrypted = http_ece.encrypt(
        data.ljust(3993),
        private_key=ec.generate_private_key(ec.SECP256R1()),
        dh=receiver.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        ),
        auth_secret=os.urandom(16),
        version="aes128gcm",
    )
    assert len(encrypted) <= 4096


def test_oversized_payload_is_refused() -> None:
    """Anything over 3 KB raises rather than risking a 413."""
    with pytest.raises(payload.PayloadTooLarge):
        payload.build("breathe", base_url="https://" + "x" * 4000, tag="t")


@pytest.mark.parametrize("kind", ALL)
def test_topic_is_rfc_8030_safe(kind: str) -> None:
    """Topic: at most 32 URL-safe base64 characters, no user data."""
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,32}", payload.topic(kind))


def test_ttl_is_set_on_purpose() -> None:
    """Every kind has a TTL of at least 15 minutes and at most a few hours."""
    assert all(15 * 60 <= payload.TTL[k] <= 4 * 3600 for k in ALL)
