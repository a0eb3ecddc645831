"""Request and response shapes for the push API, validated with pydantic.

Every request model forbids extra fields and is validated strictly (no
"true" for true). The same models produce the OpenAPI schemas. Values are
converted here, at the boundary: a validated request holds times of day as
``datetime.time``, weekdays as numbers (Monday is 0, as ``date.weekday()``)
and the endpoint together with its push-service origin, so the store parses
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from typing import Annotated, Any, Literal, NamedTuple
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetPydanticSchema,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import CoreSchema, core_schema

from .payload import TEST
from .vapid import b64url_decode
from .vocabulary import DAY_IDS, KIND_IDS

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
B64URL_PATTERN = r"^[A-Za-z0-9_-]+={0,2}$"
TAG_PATTERN = f"^wf-({'|'.join((*KIND_IDS, TEST))})-[0-9]{{1,12}}-[0-9]{{1,12}}$"
#: p256dh: 65 bytes (an uncompressed P-256 point starts with 0x04), base64url.
P256DH_PATTERN = r"^B[A-Za-z0-9_-]{85}[AEIMQUYcgkosw048]=?$"
#: auth: 16 bytes, base64url.
AUTH_PATTERN = r"^[A-Za-z0-9_-]{21}[AQgw](==)?$"
#: Reminder text: no control, format or line-separator characters.
TEXT_PATTERN = (
    "^[^\\x00-\\x1f\\x7f-\\x9f\\u00ad\\u061c\\u180e\\u200b-\\u200f"
    "\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb]*$"
)
#: The characters of a push endpoint's path and query (no fragment).
_ENDPOINT_PATH = r"/[A-Za-z0-9\-._~!$&'()*+,;=:@%][A-Za-z0-9\-._~!$&'()*+,;=:@%/]*"
_ENDPOINT_QUERY = r"(\?[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*)?"
MAX_REMINDERS = 20
MAX_TEXT = 120
MAX_BODY_BYTES = 16 * 1024

#: Friendly words for a failed pattern, keyed by the pattern.
PATTERN_HINTS = {
    TIME_PATTERN: "must be a 24-hour time like 07:30",
    B64URL_PATTERN: "must be base64url text",
    P256DH_PATTERN: "must be a 65-byte P-256 public key, base64url",
    AUTH_PATTERN: "must be the 16-byte secret, base64url",
    TEXT_PATTERN: "must be plain text on one line",
    TAG_PATTERN: "must be the tag of a Wayfinder notification",
}

Kind = Literal[KIND_IDS]
Day = Literal[DAY_IDS]
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_DNS_LABELS = re.compile(r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+")


class Strict(BaseModel):
    """A request shape: unknown fields are refused, types are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True)


@lru_cache(maxsize=1)
def timezones() -> frozenset[str]:
    """Every IANA zone name zoneinfo knows."""
    return frozenset(available_timezones())


def _default_port(scheme: str) -> int:
    """The port a URL scheme implies."""
    return 443 if scheme == "https" else 80


def _split_endpoint(endpoint: str) -> tuple[str, str, int]:
    """The scheme, host and port of a push endpoint URL, or raise ValueError."""
    if not _URL_CHARS.fullmatch(endpoint):
        raise ValueError("is not a URL")
    parts = urlsplit(endpoint)
    try:
        port = parts.port
    except ValueError:
        raise ValueError("has an invalid port") from None
    if port == 0 or parts.netloc.endswith(":"):
        raise ValueError("has an invalid port")
    host = parts.hostname
    if parts.scheme not in {"http", "https"} or not host or "@" in parts.netloc:
        raise ValueError("must be an http(s) URL with a host and no user name")
    if not parts.path or parts.path == "/":
        raise ValueError("has no path, so it is not a push endpoint")
    return parts.scheme, host, port or _default_port(parts.scheme)


def _allows(service: str, scheme: str, host: str, port: int) -> bool:
    """Whether one allow-list entry (an origin, or scheme://*.domain) covers a host."""
    allowed = urlsplit(service)
    allowed_host = (allowed.hostname or "").lower()
    allowed_port = allowed.port or _default_port(allowed.scheme)
    if allowed.scheme != scheme or allowed_port != port:
        return False
    if allowed_host.startswith("*."):
        suffix = allowed_host[1:]
        prefix = host[: -len(suffix)] + "."
        return host.endswith(suffix) and _DNS_LABELS.fullmatch(prefix) is not None
    return host == allowed_host


def _origin_pattern(service: str) -> str:
    """A regular expression for one allow-list entry (``*.`` is any subdomain)."""
    scheme, _, rest = service.partition("://")
    if rest.startswith("*."):
        labels = r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+"
        return re.escape(f"{scheme}://") + labels + re.escape(rest[2:])
    return re.escape(service)


@lru_cache(maxsize=8)
def endpoint_pattern(services: tuple[str, ...]) -> str:
    """The whole rule for an endpoint as one pattern (also in the OpenAPI document).

    One of the allowed origins exactly as listed (lower case, no default or
    empty port), then a path of URL characters and an optional query.
    """
    origins = "|".join(_origin_pattern(s) for s in services)
    return f"^({origins}){_ENDPOINT_PATH}{_ENDPOINT_QUERY}$"


def endpoint_origin(endpoint: str, services: tuple[str, ...]) -> str:
    """Return the push-service origin of an endpoint, or raise ValueError.

    The endpoint must be an http(s) URL on one of ``services``: an exact
    origin, or ``scheme://*.domain`` for any subdomain of domain.
    """
    scheme, host, port = _split_endpoint(endpoint)
    origin = f"{scheme}://{f'[{host}]' if ':' in host else host}"
    if port != _default_port(scheme):
        origin += f":{port}"
    if any(_allows(service, scheme, host, port) for service in services):
        if not re.fullmatch(endpoint_pattern(services), endpoint):
            raise ValueError(
                "is not a push endpoint URL (the push service's origin as "
                "listed, then a path of URL characters)"
            )
        return origin
    raise ValueError(
        f"is not on an allowed push service ({origin} is not one of the "
        "push services this server sends to)"
    )


def _from_wire(wire: CoreSchema, convert: Callable[[Any], Any]) -> GetPydanticSchema:
    """A typed value sent as ``wire``: validated as that, then converted."""
    schema = core_schema.no_info_after_validator_function(convert, wire)
    return GetPydanticSchema(lambda _source, _handler: schema)


#: A local time of day, sent as "HH:MM".
LocalTime = Annotated[
    time, _from_wire(core_schema.str_schema(pattern=TIME_PATTERN), time.fromisoformat)
]
HHMM = Annotated[LocalTime, Field(description="Local time, 24-hour HH:MM.")]
#: A weekday number (Monday is 0), sent as its id ("mon").
Weekday = Annotated[
    int, _from_wire(core_schema.literal_schema(list(DAY_IDS)), DAY_IDS.index)
]


@dataclass(frozen=True)
class PushEndpoint:
    """A push endpoint URL on an allowed push service, and that service's origin."""

    url: str
    origin: str

    @classmethod
    def __get_pydantic_core_schema__(
        cls, _source: Any, _handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        """Sent as the URL; checked against the allow-list in the context."""
        return core_schema.with_info_after_validator_function(
            cls._allowed, core_schema.str_schema(max_length=2048)
        )

    @classmethod
    def _allowed(cls, url: str, info: core_schema.ValidationInfo) -> PushEndpoint:
        """Only push services on the allow-list (this is what stops SSRF)."""
        services = (info.context or {}).get("push_services", ())
        return cls(url, endpoint_origin(url, services))


class Keys(Strict):
    """The subscription's encryption keys (RFC 8291)."""

    p256dh: str = Field(
        max_length=88,
        pattern=P256DH_PATTERN,
        description="The browser's P-256 public key, uncompressed point, base64url.",
    )
    auth: str = Field(
        max_length=24,
        pattern=AUTH_PATTERN,
        description="The 16-byte authentication secret, base64url.",
    )

    @field_validator("p256dh")
    @classmethod
    def _point(cls, value: str) -> str:
        """Require a valid uncompressed point on P-256."""
        try:
            raw = b64url_decode(value)
            if len(raw) != 65 or raw[0] != 4:
                raise ValueError
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        except ValueError:
            raise ValueError("is not a valid P-256 public key") from None
        return value

    @field_validator("auth")
    @classmethod
    def _secret(cls, value: str) -> str:
        """Require exactly 16 bytes."""
        try:
            raw = b64url_decode(value)
        except ValueError:
            raise ValueError("is not base64url") from None
        if len(raw) != 16:
            raise ValueError(f"must be 16 bytes, got {len(raw)}")
        return value


class PushSubscriptionJSON(Strict):
    """What PushSubscription.toJSON() gives in the browser."""

    endpoint: PushEndpoint = Field(description="The push service URL for this browser.")
    expirationTime: float | None = Field(
        default=None,
        ge=0,
        allow_inf_nan=False,
        description="Milliseconds since the epoch, or null.",
    )
    keys: Keys


class ReminderIn(Strict):
    """One repeating reminder."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"kind": {"not": {"const": "custom"}}}},
            "then": {"properties": {"text": {"type": "null"}}},
        }
    )

    kind: Kind
    time: HHMM
    days: list[Weekday] = Field(
        min_length=1, max_length=7, json_schema_extra={"uniqueItems": True}
    )
    text: str | None = Field(
        default=None,
        max_length=MAX_TEXT,
        pattern=TEXT_PATTERN,
        description="Your own words, only for kind custom (at most 120 characters).",
    )

    @field_validator("days")
    @classmethod
    def _unique(cls, value: list[int]) -> list[int]:
        """Refuse a day listed twice."""
        if len(set(value)) != len(value):
            raise ValueError("lists a day more than once")
        return value

    @field_validator("text")
    @classmethod
    def _clean(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Text is only for custom reminders; it is trimmed (blank is none)."""
        if value is None:
            return None
        if info.data.get("kind") != "custom":
            raise ValueError("is only for custom reminders")
        return value.strip() or None


class QuietHoursIn(Strict):
    """Local times between which nothing is sent (may wrap past midnight)."""

    start: HHMM
    end: HHMM

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHoursIn:
        """Start and end must differ."""
        if self.start == self.end:
            raise ValueError("quiet hours need different start and end times")
        return self


class Settings(Strict):
    """The reminder settings shared by create and update."""

    timezone: str = Field(
        max_length=64, description="IANA time zone name, e.g. Europe/London."
    )
    reminders: list[ReminderIn] = Field(max_length=MAX_REMINDERS)
    quiet_hours: QuietHoursIn | None = None
    discreet: bool = Field(
        default=True,
        description="Neutral notification text that says nothing about health.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """Require a zone the IANA database knows."""
        if value not in timezones():
            raise ValueError("is not a known IANA time zone like Europe/London")
        return value


class SubscriptionCreate(Settings):
    """Body of POST /api/push/subscriptions."""

    subscription: PushSubscriptionJSON


class SubscriptionUpdate(Settings):
    """Body of PUT /api/push/subscriptions/{id}: all settings, replacing the old.

    ``subscription`` is only sent when the browser's subscription changed.
    """

    subscription: PushSubscriptionJSON | None = None


class NotificationTag(NamedTuple):
    """What a notification's tag says: its kind, reminder (0 for none) and slot."""

    kind: str
    reminder_id: int
    slot: int


def _parse_tag(value: str) -> NotificationTag:
    """Split a tag that matched TAG_PATTERN; refuse a kind we never send."""
    kind, reminder_id, slot = value.removeprefix("wf-").rsplit("-", 2)
    if kind not in (*KIND_IDS, TEST):
        raise ValueError("is not a Wayfinder notification tag")
    return NotificationTag(kind, int(reminder_id), int(slot))


#: A notification tag, sent as "wf-<kind>-<reminder>-<slot>".
Tag = Annotated[
    NotificationTag,
    _from_wire(core_schema.str_schema(max_length=64, pattern=TAG_PATTERN), _parse_tag),
]


class SnoozeIn(Strict):
    """Body of POST .../snooze: which notification to bring back."""

    tag: Tag = Field(description="The tag of the notification being snoozed.")


class Out(BaseModel):
    """A response shape: exactly these fields, as the OpenAPI document says."""

    model_config = ConfigDict(extra="forbid")


class PublicKey(Out):
    """The VAPID public key for PushManager.subscribe()."""

    publicKey: str = Field(description="applicationServerKey, base64url.")


class Created(Out):
    """A new subscription: keep the token on the device."""

    id: str
    token: str = Field(description="Bearer token for this subscription only.")


def hhmm(at: time) -> str:
    """A time of day as "HH:MM"."""
    return at.strftime("%H:%M")


class ReminderOut(Out):
    """A reminder as stored, in the request shape."""

    kind: Kind
    time: str = Field(pattern=TIME_PATTERN)
    days: list[Day]
    text: str | None = None

    @classmethod
    def of(
        cls, kind: str, at: time, weekdays: Iterable[int], text: str | None
    ) -> ReminderOut:
        """The reminder from typed values: days come out Monday first."""
        days = [DAY_IDS[day] for day in sorted(weekdays)]
        return cls(kind=kind, time=hhmm(at), days=days, text=text)


class QuietHoursOut(Out):
    """Quiet hours as stored."""

    start: str = Field(pattern=TIME_PATTERN)
    end: str = Field(pattern=TIME_PATTERN)

    @classmethod
    def of(cls, start: time, end: time) -> QuietHoursOut:
        """Quiet hours from typed values."""
        return cls(start=hhmm(start), end=hhmm(end))


class SubscriptionView(Out):
    """A subscription's settings, as its owner sees them."""

    id: str
    timezone: str
    reminders: list[ReminderOut]
    quiet_hours: QuietHoursOut | None
    discreet: bool
    push_service: str = Field(description="Origin of the push service.")
    next_reminder_at: str | None = Field(
        description="When the next reminder is due, UTC, ISO 8601."
    )


class Queued(Out):
    """A notification accepted for sending."""

    due_at: str = Field(description="When it will be sent, UTC, ISO 8601.")


class Problem(Out):
    """One thing wrong with a request."""

    field: str
    message: str


class Error(Out):
    """Any error: a short code, a sentence for people, and the details."""

    error: str
    message: str
    problems: list[Problem] = Field(default_factory=list)


def _field_name(loc: tuple[Any, ...]) -> str:
    """Turn a pydantic location into reminders[0].time."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += ("." if name else "") + str(part)
    return name or "body"


def problems(error: ValidationError) -> list[Problem]:
    """Explain a validation error field by field, in plain words."""
    found = []
    for item in error.errors(include_url=False):
        kind = item["type"]
        loc = tuple(p for p in item["loc"] if p not in {"function-after"})
        if kind == "json_invalid":
            message = "is not valid JSON"
        elif kind == "missing":
            message = "is required"
        elif kind == "extra_forbidden":
            message = "is not a field this API accepts"
        elif kind == "string_pattern_mismatch":
            pattern = (item.get("ctx") or {}).get("pattern", "")
            message = PATTERN_HINTS.get(pattern, item["msg"])
        elif kind == "value_error":
            message = str((item.get("ctx") or {}).get("error", item["msg"]))
        elif kind in {"model_type", "model_attributes_type"} and not loc:
            message = "must be a JSON object"
        else:
            message = item["msg"]
        found.append(Problem(field=_field_name(loc), message=message))
    return found
