"""Strict parsing of WAYFINDER_* environment variables into Flask config."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PREFIX = "WAYFINDER_"


class ConfigError(ValueError):
    """A WAYFINDER_* variable has a value the app cannot use."""


def parse_bool(raw: str) -> bool:
    """Parse true/false/1/0/yes/no/on/off, rejecting anything else."""
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected true or false, got {raw!r}")


def _int_between(low: int, high: int) -> Callable[[str], int]:
    """Build a parser for a whole number in [low, high]."""

    def parse(raw: str) -> int:
        """Parse a whole number within the allowed range."""
        if not re.fullmatch(r"\s*-?\d+\s*", raw):
            raise ValueError(f"expected a whole number, got {raw!r}")
        value = int(raw)
        if not low <= value <= high:
            raise ValueError(f"expected a number from {low} to {high}, got {value}")
        return value

    return parse


def parse_path(raw: str) -> Path:
    """Parse a filesystem path (made absolute)."""
    if not raw.strip():
        raise ValueError("expected a path, got an empty value")
    return Path(raw).expanduser().resolve()


def parse_database_url(raw: str) -> str:
    """Accept SQLite and PostgreSQL SQLAlchemy URLs."""
    scheme = raw.split(":", 1)[0].lower()
    if not raw or "://" not in raw:
        raise ValueError(f"expected a database URL such as sqlite:///path, got {raw!r}")
    if scheme.split("+")[0] not in {"sqlite", "postgresql", "postgres"}:
        raise ValueError(f"only sqlite and postgresql are supported, got {scheme!r}")
    if scheme.startswith("postgres") and not scheme.startswith("postgresql"):
        raw = "postgresql" + raw[len("postgres") :]
    if raw.startswith("postgresql://"):
        raw = "postgresql+psycopg://" + raw[len("postgresql://") :]
    return raw


def parse_vapid_subject(raw: str) -> str:
    """Accept a well-formed mailto: or https: contact (RFC 8292)."""
    value = raw.strip()
    if re.fullmatch(r"mailto:[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+", value):
        return value
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.hostname and parts.hostname != "localhost":
        return value
    raise ValueError(f"expected mailto:you@example.org or an https:// URL, got {raw!r}")


def parse_origins(raw: str) -> tuple[str, ...]:
    """Parse a comma-separated list of origins (scheme://host[:port])."""
    origins = []
    for item in raw.split(","):
        item = item.strip().rstrip("/")
        if not item:
            continue
        parts = urlsplit(item)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(f"{item!r} is not an origin like https://push.example")
        if parts.path or parts.query or parts.fragment:
            raise ValueError(f"{item!r} must be an origin, with no path")
        origins.append(f"{parts.scheme}://{parts.netloc.lower()}")
    if not origins:
        raise ValueError("expected at least one origin")
    return tuple(origins)


def parse_public_url(raw: str) -> str:
    """Accept this site's public origin (scheme://host[:port]), as people reach it."""
    (origin,) = parse_origins(raw)
    if "," in raw:
        raise ValueError(f"expected one origin, got {raw!r}")
    return origin


def parse_rate_limit(raw: str) -> str:
    """Accept a limit such as '60 per minute' or '10/second'."""
    value = raw.strip()
    pattern = r"\d+\s*(/|per)\s*\d*\s*(second|minute|hour|day)s?"
    if not re.fullmatch(pattern, value, re.IGNORECASE):
        raise ValueError(f"expected a rate such as '60 per minute', got {raw!r}")
    return value


#: Flask-Limiter (limits) storage schemes WAYFINDER_RATE_LIMIT_STORAGE accepts.
RATE_LIMIT_SCHEMES = ("memory", "redis", "rediss", "redis+unix", "redis+sentinel")


def parse_rate_limit_storage(raw: str) -> str:
    """Accept memory:// or a Redis URL (a Flask-Limiter storage URI)."""
    value = raw.strip()
    scheme, sep, rest = value.partition("://")
    if not sep or scheme.lower() not in RATE_LIMIT_SCHEMES:
        raise ValueError(f"expected memory:// or redis://host:port/db, got {raw!r}")
    if scheme.lower() != "memory" and not rest.strip("/"):
        raise ValueError(f"expected a Redis address after {scheme}://, got {raw!r}")
    return value


def parse_listen_address(raw: str) -> tuple[str, int]:
    """Accept host:port (an IPv6 host in brackets), such as 127.0.0.1:9101."""
    value = raw.strip()
    host, sep, port = value.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"expected host:port such as 127.0.0.1:9101, got {raw!r}")
    return host, int(port)


def parse_log_format(raw: str) -> str:
    """Accept text or json."""
    value = raw.strip().lower()
    if value not in {"text", "json"}:
        raise ValueError(f"expected text or json, got {raw!r}")
    return value


def parse_log_level(raw: str) -> str:
    """Accept a standard logging level name."""
    value = raw.strip().upper()
    if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError(
            f"expected DEBUG, INFO, WARNING, ERROR or CRITICAL, got {raw!r}"
        )
    return value


def parse_text(raw: str) -> str:
    """Accept any non-empty text."""
    if not raw.strip():
        raise ValueError("expected a value, got an empty one")
    return raw.strip()


DEFAULT_PUSH_SERVICES = (
    "https://fcm.googleapis.com",
    "https://updates.push.services.mozilla.com",
    "https://web.push.apple.com",
    "https://*.push.apple.com",
    "https://*.notify.windows.com",
)


@dataclass(frozen=True)
class Setting:
    """One WAYFINDER_* variable: its config key, parser, default and meaning."""

    name: str
    parse: Callable[[str], Any]
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "INSTANCE_PATH",
        parse_path,
        None,
        "Folder for local state (SQLite file, VAPID keys, built assets). "
        "Default: Flask's instance folder.",
    ),
    Setting(
        "CONTENT_DIR",
        parse_path,
        None,
        "Folder with the guide, help lines and exercise scripts. "
        "Default: the content shipped with the app.",
    ),
    Setting(
        "DATABASE_URL",
        parse_database_url,
        None,
        "SQLAlchemy URL: sqlite:///path or postgresql://user@host/db. "
        "Default: SQLite in the instance folder.",
    ),
    Setting(
        "VAPID_PRIVATE_KEY",
        parse_text,
        None,
        "VAPID private key (PEM or base64url raw). "
        "Default: generated on first run into the instance folder.",
    ),
    Setting(
        "VAPID_SUBJECT",
        parse_vapid_subject,
        "mailto:wayfinder@example.org",
        "Contact for push services: a mailto: address or an https: URL.",
    ),
    Setting(
        "PUSH_SERVICES",
        parse_origins,
        DEFAULT_PUSH_SERVICES,
        "Comma-separated push-service origins that subscriptions may point at. "
        "Default: Chrome, Firefox, Safari and Edge.",
    ),
    Setting(
        "PUBLIC_URL",
        parse_public_url,
        None,
        "This site's public origin, such as https://wayfinder.example: the "
        "only Host accepted and the origin of notification links. Required "
        "when `wayfinder serve` listens beyond loopback. Default: loopback "
        "names only.",
    ),
    Setting(
        "TRUSTED_PROXIES",
        _int_between(0, 5),
        0,
        "How many proxies in front of the app may set X-Forwarded-For, "
        "X-Forwarded-Proto and X-Forwarded-Host (the client address rate limits use).",
    ),
    Setting(
        "RATE_LIMIT",
        parse_rate_limit,
        "60 per minute",
        "Per-client limit on the JSON API.",
    ),
    Setting(
        "RATE_LIMIT_STORAGE",
        parse_rate_limit_storage,
        None,
        "Where rate-limit counters live: memory:// (each process counts on "
        "its own) or redis://host:port/db (shared by every process on every "
        "machine). Default: one SQLite file in the instance folder, shared by "
        "the web workers of this machine.",
    ),
    Setting(
        "WEB_WORKERS",
        _int_between(1, 64),
        2,
        "Gunicorn worker processes for `wayfinder serve`.",
    ),
    Setting(
        "DISPATCHER",
        parse_bool,
        True,
        "Whether `wayfinder serve` runs the reminder dispatcher beside the web "
        "workers.",
    ),
    Setting(
        "DISPATCH_POLL_SECONDS",
        _int_between(1, 60),
        2,
        "Longest time the reminder dispatcher sleeps before looking for work.",
    ),
    Setting(
        "DISPATCH_BATCH_SIZE",
        _int_between(1, 10000),
        1000,
        "Notifications one dispatcher claims at a time.",
    ),
    Setting(
        "DISPATCH_CONCURRENCY",
        _int_between(1, 512),
        64,
        "Parallel requests one dispatcher makes to each push service.",
    ),
    Setting(
        "DISPATCH_LEASE_SECONDS",
        _int_between(2, 3600),
        120,
        "How long a claimed notification stays reserved before another "
        "dispatcher may retry it (after a crash).",
    ),
    Setting(
        "LOG_LEVEL",
        parse_log_level,
        "INFO",
        "Logging level.",
    ),
    Setting(
        "LOG_FORMAT",
        parse_log_format,
        "text",
        "Log lines as plain text or as one JSON object per line (json).",
    ),
    Setting(
        "METRICS_ADDRESS",
        parse_listen_address,
        None,
        "host:port where Prometheus metrics are served, apart from the public "
        "port. Default: no metrics.",
    ),
)


def defaults() -> dict[str, Any]:
    """Return every setting's default value, keyed by its config key."""
    return {s.name: s.default for s in SETTINGS}


def from_environ(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parse WAYFINDER_* variables; raise ConfigError naming the first bad one."""
    environ = os.environ if environ is None else environ
    known = {PREFIX + s.name: s for s in SETTINGS}
    for key in sorted(environ):
        if key.startswith(PREFIX) and key not in known:
            raise ConfigError(
                f"{key} is not a Wayfinder setting (known: {', '.join(sorted(known))})"
            )
    values = defaults()
    for key, setting in known.items():
        if key in environ:
            try:
                values[setting.name] = setting.parse(environ[key])
            except ValueError as exc:
                raise ConfigError(f"{key}: {exc}") from None
    return values
