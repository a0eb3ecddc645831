"""Database tables for reminders by Web Push: only what sending needs.

Times are whole UTC seconds since the epoch (integers), so SQLite and
PostgreSQL store and compare them the same way.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for migrations."""

    metadata = MetaData(naming_convention=NAMING)


class Subscription(Base):
    """One browser's push subscription and its reminder settings."""

    __tablename__ = "push_subscription"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: SHA-256 of the bearer token, hex; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64))
    endpoint: Mapped[str] = mapped_column(String(2048))
    #: SHA-256 of the endpoint, so a re-subscribing browser replaces its old row.
    endpoint_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Origin of the push service (scheme://host[:port]), the VAPID audience.
    push_origin: Mapped[str] = mapped_column(String(300))
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(32))
    #: Origin of this site as the browser saw it, for absolute notification links.
    app_origin: Mapped[str] = mapped_column(String(300))
    timezone: Mapped[str] = mapped_column(String(64))
    #: Quiet hours as minutes after local midnight; both null when none.
    quiet_start: Mapped[int | None] = mapped_column(SmallInteger)
    quiet_end: Mapped[int | None] = mapped_column(SmallInteger)
    discreet: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class Reminder(Base):
    """A repeating reminder: a kind, a local time and the weekdays it is on."""

    __tablename__ = "push_reminder"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("push_subscription.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(16))
    #: Local time as minutes after midnight (09:30 is 570).
    minute: Mapped[int] = mapped_column(SmallInteger)
    #: Weekdays as a bit mask, Monday = bit 0.
    days: Mapped[int] = mapped_column(SmallInteger)
    text: Mapped[str | None] = mapped_column(String(120))
    #: The next slot (UTC seconds) not yet queued for sending.
    next_due_at: Mapped[int | None] = mapped_column(BigInteger, index=True)


class Delivery(Base):
    """One notification to send: a reminder slot, a snooze or a test.

    ``due_at`` is when it may next be tried. A dispatcher claims a row by
    writing its claim id in ``claimed_by`` and pushing ``due_at`` forward by
    the lease, so a crashed dispatcher's claim simply falls due again.
    """

    __tablename__ = "push_delivery"
    __table_args__ = (
        UniqueConstraint("reminder_id", "slot"),
        Index("ix_push_delivery_due_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("push_subscription.id", ondelete="CASCADE"), index=True
    )
    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("push_reminder.id", ondelete="CASCADE")
    )
    #: A reminder kind, or "test".
    kind: Mapped[str] = mapped_column(String(16))
    #: The instant this notification is for (UTC seconds); never sent before it.
    slot: Mapped[int] = mapped_column(BigInteger)
    due_at: Mapped[int] = mapped_column(BigInteger)
    #: After this instant the notification is useless and is dropped.
    expires_at: Mapped[int] = mapped_column(BigInteger)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(32))


class DispatcherBeat(Base):
    """A dispatcher's heartbeat, for `wayfinder status` and the operator.

    No personal data: a process name, its host and pid, and times.
    """

    __tablename__ = "push_dispatcher"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[int] = mapped_column(BigInteger)
    beat_at: Mapped[int] = mapped_column(BigInteger)
    #: When this dispatcher last had a notification accepted (201).
    last_sent_at: Mapped[int | None] = mapped_column(BigInteger)


class SendCount(Base):
    """How many sends to one push service had one result in one minute."""

    __tablename__ = "push_send_count"

    push_origin: Mapped[str] = mapped_column(String(300), primary_key=True)
    #: The minute's start, UTC seconds.
    minute: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    #: A result class: sent, gone, rate_limited, server_error, network, refused.
    result: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
