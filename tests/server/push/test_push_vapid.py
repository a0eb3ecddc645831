"""VAPID keys: generated once into the instance folder (0600) or configured."""

from __future__ import annotations

import base64
import stat
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server.config import ConfigError, from_environ
from server.push import vapid

from .conftest import push_only_app


def raw_public(signer) -> bytes:
    """The signer's public point."""
    return signer.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def test_generated_once_and_private(tmp_path: Path) -> None:
    """First run writes a 0600 PEM; later runs read the same key."""
    first = vapid.load_key(None, tmp_path)
    path = tmp_path / vapid.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    second = vapid.load_key(None, tmp_path)
    assert raw_public(first) == raw_public(second)
    path.chmod(0o644)
    vapid.load_key(None, tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_racing_processes_agree_on_one_key(tmp_path: Path) -> None:
    """Several starters at once all end up with the same key."""
    keys: list[bytes] = []
    threads = [
        threading.Thread(
            target=lambda: keys.append(raw_public(vapid.load_key(None, tmp_path)))
        )
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1
    assert [p.name for p in tmp_path.iterdir()] == [vapid.KEY_FILE]


def _key_forms(key: ec.EllipticCurvePrivateKey) -> dict[str, str]:
    """The ways a key may be given in WAYFINDER_VAPID_PRIVATE_KEY."""
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()  # noqa: E731
    return {"pem": pem, "raw": b64(raw), "der": b64(der)}


@pytest.mark.parametrize("form", ["pem", "raw", "der"])
def test_configured_key_is_used_and_nothing_written(tmp_path: Path, form: str) -> None:
    """A configured key (PEM, raw base64url or DER base64url) wins; no file."""
    key = ec.generate_private_key(ec.SECP256R1())
    signer = vapid.load_key(_key_forms(key)[form], tmp_path)
    assert signer.private_key.private_numbers() == key.private_numbers()
    assert not (tmp_path / vapid.KEY_FILE).exists()


@pytest.mark.parametrize(
    "bad",
    ["not a key", "AAAA", "-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----"],
)
def test_unreadable_key_stops_start_up(tmp_path: Path, bad: str) -> None:
    """A malformed configured key is a one-line configuration error."""
    with pytest.raises(vapid.VapidKeyError):
        vapid.load_key(bad, tmp_path)
    with pytest.raises(ConfigError, match="WAYFINDER_VAPID_PRIVATE_KEY"):
        push_only_app(tmp_path, "http://127.0.0.1:9", VAPID_PRIVATE_KEY=bad)


def test_other_curves_are_refused(tmp_path: Path) -> None:
    """VAPID is P-256 only."""
    other = ec.generate_private_key(ec.SECP384R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(vapid.VapidKeyError, match="P-256"):
        vapid.load_key(other.decode(), tmp_path)


@pytest.mark.parametrize(
    "subject",
    [
        "mailto: <ops@example.org>",
        "ops@example.org",
        "https://localhost",
        "http://x.org",
    ],
)
def test_malformed_subject_stops_start_up(subject: str) -> None:
    """The contact claim must be a well-formed mailto: or https: URI."""
    with pytest.raises(ConfigError, match="WAYFINDER_VAPID_SUBJECT"):
        from_environ({"WAYFINDER_VAPID_SUBJECT": subject})
