"""VAPID keys (RFC 8292): load the configured key or keep one in the instance folder."""

from __future__ import annotations

import base64
import binascii
import os
import stat
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

KEY_FILE = "vapid_private_key.pem"
_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")


class VapidKeyError(ValueError):
    """The configured VAPID private key cannot be read."""


def b64url(data: bytes) -> str:
    """Encode bytes as unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(value: str) -> bytes:
    """Decode base64url with or without padding; raise ValueError if malformed."""
    if not value or any(c not in _B64URL for c in value):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except binascii.Error as exc:
        raise ValueError("not base64url") from exc


def _from_text(raw: str) -> ec.EllipticCurvePrivateKey:
    """Parse a PEM key, or a base64url raw 32-byte scalar or DER key."""
    raw = raw.strip()
    if raw.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(raw.encode(), password=None)
    else:
        data = b64url_decode(raw)
        if len(data) == 32:
            key = ec.derive_private_key(int.from_bytes(data, "big"), ec.SECP256R1())
        else:
            key = serialization.load_der_private_key(data, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(
        key.curve, ec.SECP256R1
    ):
        raise ValueError("the key is not a P-256 (prime256v1) EC key")
    return key


def _pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    """Serialise a private key as unencrypted PKCS#8 PEM."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _load_or_create_file(path: Path) -> ec.EllipticCurvePrivateKey:
    """Read the key file, creating it (mode 0600) if it does not exist yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(_pem(key))
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(tmp, path)  # fails if another process won the race
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        os.chmod(path, 0o600)
    return _from_text(path.read_text())


def load_key(configured: str | None, instance_path: str | Path) -> Vapid02:
    """Return the VAPID signer: the configured key, else the instance folder's."""
    if configured:
        try:
            key = _from_text(configured)
        except ValueError as exc:
            raise VapidKeyError(f"cannot read the VAPID private key: {exc}") from None
    else:
        key = _load_or_create_file(Path(instance_path) / KEY_FILE)
    # Subjects are validated by the config; py_vapid's own check rejects
    # valid https: URLs with a path, so it is switched off.
    return Vapid02(private_key=key, conf={"no-strict": True})


def public_key(vapid: Vapid02) -> str:
    """The applicationServerKey: the uncompressed public point, base64url."""
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(raw)
