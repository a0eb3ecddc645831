"""Database operations for the push API and the dispatcher."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from . import payload, schedule
from .models import Delivery, Reminder, Subscription
from .validation import (
    MAX_REMINDERS,
    NotificationTag,
    PushSubscriptionJSON,
    QuietHoursOut,
    ReminderOut,
    Settings,
    SubscriptionCreate,
    SubscriptionUpdate,
    SubscriptionView,
)

log = logging.getLogger(__name__)

#: Snooze brings a reminder back after this many seconds.
SNOOZE_SECONDS = 15 * 60
#: Most notifications one subscription may have waiting (stops test/snooze floods).
MAX_PENDING = MAX_REMINDERS + 10
#: A delivery claimed this many times without an answer is given up (poison).
MAX_CLAIMS = 8
_DUMMY_HASH = hashlib.sha256(b"no such subscription").hexdigest()


class TooManyPending(Exception):
    """A subscription already has as many notifications waiting as allowed."""


class EndpointTaken(Exception):
    """The endpoint is stored for another subscription, with different keys.

    The rule: a browser's endpoint is unique. Sending an endpoint that is
    already stored is the same browser re-subscribing only when its keys
    (p256dh and auth) match too; then the older record is replaced. With
    other keys it is refused (409), so nobody can replace a subscription
    they do not hold.
    """


def sha256(text: str) -> str:
    """Hex SHA-256 of a string."""
    return hashlib.sha256(text.encode()).hexdigest()


def iso(epoch: int | None) -> str | None:
    """UTC seconds as ISO 8601 with a Z, or None."""
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def zone_of(sub: Subscription) -> ZoneInfo:
    """The subscription's time zone."""
    return ZoneInfo(sub.timezone)


def quiet_of(start: int | None, end: int | None) -> schedule.QuietHours | None:
    """Quiet hours from the stored minutes, or None."""
    if start is None or end is None:
        return None
    return schedule.QuietHours(start, end)


# --- Subscriptions (the API) ------------------------------------------------


def authenticate(session: Session, sub_id: str, token: str) -> Subscription | None:
    """The subscription if the token is its own; None otherwise, in constant time."""
    sub = session.get(Subscription, sub_id) if len(sub_id) <= 32 else None
    expected = sub.token_hash if sub is not None else _DUMMY_HASH
    if hmac.compare_digest(expected, sha256(token)) and sub is not None:
        return sub
    return None


def _apply_subscription(
    session: Session, sub: Subscription, browser: PushSubscriptionJSON
) -> None:
    """Copy the browser's endpoint and keys onto the row.

    Another row with this endpoint and the same keys is the same browser's
    older record and is replaced; with other keys, EndpointTaken.
    """
    digest = sha256(browser.endpoint.url)
    other = session.execute(
        select(Subscription.id, Subscription.p256dh, Subscription.auth).where(
            Subscription.endpoint_hash == digest, Subscription.id != sub.id
        )
    ).first()
    if other is not None:
        same_keys = hmac.compare_digest(
            f"{other.p256dh}.{other.auth}",
            f"{browser.keys.p256dh}.{browser.keys.auth}",
        )
        if not same_keys:
            raise EndpointTaken
        session.execute(delete(Subscription).where(Subscription.id == other.id))
    sub.endpoint = browser.endpoint.url
    sub.endpoint_hash = digest
    sub.push_origin = browser.endpoint.origin
    sub.p256dh = browser.keys.p256dh
    sub.auth = browser.keys.auth


def _apply_settings(sub: Subscription, body: Settings) -> bool:
    """Copy zone, quiet hours and discretion; True if timing settings changed."""
    quiet = body.quiet_hours
    start = schedule.minute_of(quiet.start) if quiet else None
    end = schedule.minute_of(quiet.end) if quiet else None
    changed = (sub.timezone, sub.quiet_start, sub.quiet_end) != (
        body.timezone,
        start,
        end,
    )
    sub.timezone = body.timezone
    sub.quiet_start, sub.quiet_end = start, end
    sub.discreet = body.discreet
    return changed


def _next(sub: Subscription, minute: int, days: int, now: float) -> int | None:
    """A reminder's first slot after now, in the subscription's zone."""
    return schedule.next_due_epoch(
        now, minute, days, zone_of(sub), quiet_of(sub.quiet_start, sub.quiet_end)
    )


def _replace_reminders(
    session: Session, sub: Subscription, body: Settings, now: float, retime: bool
) -> None:
    """Make the stored reminders equal the body's, keeping unchanged ones in place.

    A reminder that is kept keeps its schedule and any notification already
    queued, so saving the page a second before a reminder is due loses nothing.
    """
    existing = session.scalars(
        select(Reminder).where(Reminder.subscription_id == sub.id)
    ).all()
    pool: dict[tuple, list[Reminder]] = defaultdict(list)
    for row in existing:
        pool[(row.kind, row.minute, row.days, row.text)].append(row)
    retimed: list[int] = []
    for position, item in enumerate(body.reminders):
        minute = schedule.minute_of(item.time)
        days = schedule.days_mask(item.days)
        key = (item.kind, minute, days, item.text)
        if pool[key]:
            row = pool[key].pop(0)
            row.position = position
            if retime:
                row.next_due_at = _next(sub, minute, days, now)
                retimed.append(row.id)
            continue
        session.add(
            Reminder(
                subscription_id=sub.id,
                position=position,
                kind=item.kind,
                minute=minute,
                days=days,
                text=item.text,
                next_due_at=_next(sub, minute, days, now),
            )
        )
    gone = [row.id for rows in pool.values() for row in rows]
    if gone:
        session.execute(delete(Reminder).where(Reminder.id.in_(gone)))
    if retimed:
        session.execute(
            delete(Delivery).where(
                Delivery.reminder_id.in_(retimed), Delivery.claimed_by.is_(None)
            )
        )


def create(
    session: Session, body: SubscriptionCreate, app_origin: str, now: float
) -> tuple[str, str]:
    """Store a new subscription with its reminders; return (id, token)."""
    token = secrets.token_urlsafe(32)
    sub = Subscription(
        id=secrets.token_urlsafe(16),
        token_hash=sha256(token),
        app_origin=app_origin,
        created_at=int(now),
        updated_at=int(now),
    )
    _apply_subscription(session, sub, body.subscription)
    _apply_settings(sub, body)
    session.add(sub)
    session.flush()
    _replace_reminders(session, sub, body, now, retime=True)
    return sub.id, token


def replace(
    session: Session, sub: Subscription, body: SubscriptionUpdate, now: float
) -> None:
    """Replace a subscription's settings (and its endpoint, if sent)."""
    if body.subscription is not None:
        _apply_subscription(session, sub, body.subscription)
    retime = _apply_settings(sub, body)
    sub.updated_at = int(now)
    session.flush()
    _replace_reminders(session, sub, body, now, retime=retime)


def remove(session: Session, sub: Subscription) -> None:
    """Delete a subscription, its reminders and anything waiting to be sent."""
    session.execute(delete(Subscription).where(Subscription.id == sub.id))


def view(session: Session, sub: Subscription) -> SubscriptionView:
    """The subscription's settings as its owner sees them."""
    rows = session.scalars(
        select(Reminder)
        .where(Reminder.subscription_id == sub.id)
        .order_by(Reminder.position)
    ).all()
    queued = session.scalar(
        select(func.min(Delivery.slot)).where(
            Delivery.subscription_id == sub.id, Delivery.kind != payload.TEST
        )
    )
    upcoming = [r.next_due_at for r in rows if r.next_due_at is not None]
    if queued is not None:
        upcoming.append(queued)
    quiet = None
    if sub.quiet_start is not None and sub.quiet_end is not None:
        quiet = QuietHoursOut.of(
            schedule.time_at(sub.quiet_start), schedule.time_at(sub.quiet_end)
        )
    return SubscriptionView(
        id=sub.id,
        timezone=sub.timezone,
        reminders=[
            ReminderOut.of(
                r.kind, schedule.time_at(r.minute), schedule.mask_days(r.days), r.text
            )
            for r in rows
        ],
        quiet_hours=quiet,
        discreet=sub.discreet,
        push_service=sub.push_origin,
        next_reminder_at=iso(min(upcoming) if upcoming else None),
    )


def _check_pending(session: Session, sub: Subscription) -> None:
    """Refuse another one-off notification when too many are waiting."""
    pending = session.scalar(
        select(func.count())
        .select_from(Delivery)
        .where(Delivery.subscription_id == sub.id)
    )
    if pending >= MAX_PENDING:
        raise TooManyPending


def queue_test(session: Session, sub: Subscription, now: float) -> int:
    """Queue a test notification for right now; return when it is due."""
    _check_pending(session, sub)
    due = int(now)
    session.add(
        Delivery(
            subscription_id=sub.id,
            reminder_id=None,
            kind=payload.TEST,
            slot=due,
            due_at=due,
            expires_at=due + payload.TTL[payload.TEST],
            attempts=0,
        )
    )
    return due


def queue_snooze(
    session: Session, sub: Subscription, tag: NotificationTag, now: float
) -> int:
    """Bring the tagged notification back in 15 minutes (after quiet hours)."""
    _check_pending(session, sub)
    reminder = session.get(Reminder, tag.reminder_id) if tag.reminder_id else None
    if reminder is not None and reminder.subscription_id != sub.id:
        reminder = None
    due = schedule.snooze_until(
        now, SNOOZE_SECONDS, zone_of(sub), quiet_of(sub.quiet_start, sub.quiet_end)
    )
    row = {
        "subscription_id": sub.id,
        "reminder_id": reminder.id if reminder else None,
        "kind": tag.kind,
        "slot": due,
        "due_at": due,
        "expires_at": due + payload.TTL[tag.kind],
        "attempts": 0,
    }
    session.connection().execute(_insert_ignore(session).values(**row))
    return due


# --- The dispatcher -----------------------------------------------------------


def _insert_ignore(session: Session):
    """An INSERT into the queue that skips a (reminder, slot) already queued."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(Delivery.__table__).on_conflict_do_nothing()


def materialise(session: Session, now: float, horizon: float, limit: int) -> int:
    """Queue reminder slots due by ``horizon``; advance each reminder; return count.

    Rows are locked with SKIP LOCKED, so dispatchers on PostgreSQL share the
    work; each slot is queued once (the reminder's next slot moves past it in
    the same transaction, and (reminder, slot) is unique).
    """
    rows = session.execute(
        select(
            Reminder.id,
            Reminder.subscription_id,
            Reminder.kind,
            Reminder.minute,
            Reminder.days,
            Reminder.next_due_at,
            Subscription.timezone,
            Subscription.quiet_start,
            Subscription.quiet_end,
        )
        .join(Subscription, Subscription.id == Reminder.subscription_id)
        .where(Reminder.next_due_at <= int(horizon))
        .order_by(Reminder.next_due_at)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Reminder)
    ).all()
    if not rows:
        return 0
    queued, advanced = [], []
    zones: dict[str, ZoneInfo] = {}
    for row in rows:
        ttl = payload.TTL[row.kind]
        slot = row.next_due_at
        if slot + ttl > now:
            queued.append(
                {
                    "subscription_id": row.subscription_id,
                    "reminder_id": row.id,
                    "kind": row.kind,
                    "slot": slot,
                    "due_at": slot,
                    "expires_at": slot + ttl,
                    "attempts": 0,
                }
            )
        else:
            log.warning(
                "reminder %s missed its %s slot (dispatcher down?)", row.id, iso(slot)
            )
        try:
            zone = zones.get(row.timezone) or zones.setdefault(
                row.timezone, ZoneInfo(row.timezone)
            )
            due = schedule.next_due_epoch(
                max(slot, now - ttl),
                row.minute,
                row.days,
                zone,
                quiet_of(row.quiet_start, row.quiet_end),
            )
        except (ValueError, LookupError) as exc:
            # One broken row (say, a zone a tzdata update dropped) must not
            # stop every other reminder: this one is switched off, loudly.
            log.error("reminder %s cannot be scheduled (%s); switched off", row.id, exc)
            due = None
        advanced.append({"rid": row.id, "due": due})
    if queued:
        session.connection().execute(_insert_ignore(session), queued)
    table = Reminder.__table__
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("rid"))
        .values(next_due_at=bindparam("due")),
        advanced,
    )
    return len(rows)


@dataclass(frozen=True)
class Job:
    """A claimed notification with everything needed to send it."""

    id: int
    subscription_id: str
    reminder_id: int | None
    kind: str
    slot: int
    expires_at: int
    attempts: int
    endpoint: str
    p256dh: str
    auth: str
    push_origin: str
    app_origin: str
    discreet: bool
    text: str | None


def claim(
    session: Session, now: float, limit: int, lease: int, claim_id: str
) -> list[Job]:
    """Claim up to ``limit`` due notifications for ``lease`` seconds.

    FOR UPDATE SKIP LOCKED on PostgreSQL (ignored on SQLite, where the
    transaction holds the database's single write lock).
    """
    ids = session.scalars(
        select(Delivery.id)
        .where(Delivery.due_at <= int(now))
        .order_by(Delivery.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not ids:
        return []
    session.execute(
        update(Delivery)
        .where(Delivery.id.in_(ids))
        .values(
            claimed_by=claim_id,
            due_at=int(now) + lease,
            attempts=Delivery.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    rows = session.execute(
        select(
            Delivery.id,
            Delivery.subscription_id,
            Delivery.reminder_id,
            Delivery.kind,
            Delivery.slot,
            Delivery.expires_at,
            Delivery.attempts,
            Subscription.endpoint,
            Subscription.p256dh,
            Subscription.auth,
            Subscription.push_origin,
            Subscription.app_origin,
            Subscription.discreet,
            Reminder.text,
        )
        .join(Subscription, Subscription.id == Delivery.subscription_id)
        .outerjoin(Reminder, Reminder.id == Delivery.reminder_id)
        .where(Delivery.id.in_(ids))
        .order_by(Delivery.due_at, Delivery.id)
    ).all()
    return [Job(*row) for row in rows]


@dataclass
class Settle:
    """What to write back: the outcome of claimed notifications.

    ``gone`` holds (subscription id, endpoint that answered 404/410);
    ``released`` holds notifications never tried, which get their claim back.
    """

    done: list[int] = field(default_factory=list)
    retry: list[tuple[int, int]] = field(default_factory=list)
    gone: list[tuple[str, str]] = field(default_factory=list)
    released: list[tuple[int, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        """Whether there is anything to write."""
        return bool(self.done or self.retry or self.gone or self.released)


def settle(session: Session, claim_id: str, result: Settle) -> None:
    """Write outcomes, touching only rows this claim still owns.

    A subscription is deleted for a 404/410 only if the endpoint that
    answered is still its endpoint (compare and delete in one statement), so
    a browser that has just sent a new endpoint keeps its reminders.
    """
    if result.done:
        session.execute(
            delete(Delivery).where(
                Delivery.id.in_(result.done), Delivery.claimed_by == claim_id
            )
        )
    if result.retry:
        table = Delivery.__table__
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("did"), table.c.claimed_by == claim_id)
            .values(due_at=bindparam("due"), claimed_by=None),
            [{"did": d, "due": due} for d, due in result.retry],
        )
    if result.released:
        table = Delivery.__table__
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("did"), table.c.claimed_by == claim_id)
            .values(
                due_at=bindparam("due"), claimed_by=None, attempts=table.c.attempts - 1
            ),
            [{"did": d, "due": due} for d, due in result.released],
        )
    for sub_id, endpoint in set(result.gone):
        session.execute(
            delete(Subscription).where(
                Subscription.id == sub_id,
                Subscription.endpoint_hash == sha256(endpoint),
            )
        )


def next_due_times(session: Session) -> tuple[int | None, int | None]:
    """When the next queued notification and the next reminder slot fall due."""
    delivery = session.scalar(select(func.min(Delivery.due_at)))
    reminder = session.scalar(select(func.min(Reminder.next_due_at)))
    return delivery, reminder
