"""When a reminder is due: local wall-clock time to UTC, across DST and quiet hours.

Pure functions, no Flask and no database. Rules, following RFC 5545 (iCalendar):

* A local time that does not exist that day (the clocks jump forward over
  it) fires after the jump, as far after it as it was meant to be into the gap:
  02:30 on a 02:00 -> 03:00 spring-forward day fires at 03:30.
* A local time that happens twice (the clocks fall back) fires once, at the
  first occurrence.
* A reminder whose wall-clock time falls within quiet hours waits until quiet
  hours end, as a phone's "do not disturb" would hold it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def minute_of(at: time) -> int:
    """A time of day as minutes after midnight, as the database stores it."""
    return at.hour * 60 + at.minute


def time_at(minute: int) -> time:
    """Minutes after midnight as a time of day."""
    return time(minute // 60, minute % 60)


def days_mask(weekdays: Iterable[int]) -> int:
    """Turn weekday numbers (Monday is 0) into a bit mask, Monday = bit 0."""
    mask = 0
    for day in weekdays:
        mask |= 1 << day
    return mask


def mask_days(mask: int) -> list[int]:
    """Turn a bit mask back into weekday numbers, Monday first."""
    return [day for day in range(7) if mask & (1 << day)]


@dataclass(frozen=True)
class QuietHours:
    """A daily window of local time, in minutes after midnight, when nothing is sent.

    ``start`` is inclusive and ``end`` exclusive; a window that wraps past
    midnight (22:00 to 07:00) has ``start > end``.
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        """Reject an empty window."""
        if self.start == self.end:
            raise ValueError("quiet hours need different start and end times")

    def contains(self, minute: int) -> bool:
        """Whether a local minute of the day falls in the window."""
        if self.start < self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end


def local_to_utc(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time, resolving gaps and folds.

    ``fold=0`` gives the first of two repeated times, and for a time in a
    gap it uses the offset from before the jump, landing just as far past it.
    """
    wall = datetime.combine(day, time_at(minute), tzinfo=zone)
    return wall.replace(fold=0).astimezone(UTC)


def hold_for_quiet_hours(
    instant: datetime, zone: ZoneInfo, quiet: QuietHours | None
) -> datetime:
    """Move an instant that falls within quiet hours to the moment they end."""
    if quiet is None:
        return instant
    local = instant.astimezone(zone)
    minute = local.hour * 60 + local.minute
    if not quiet.contains(minute):
        return instant
    end_day = local.date()
    if quiet.start > quiet.end and minute >= quiet.start:
        end_day += timedelta(days=1)
    end = local_to_utc(end_day, quiet.end, zone)
    return max(end, instant)


def next_due(
    after: datetime,
    minute: int,
    days: int,
    zone: ZoneInfo,
    quiet: QuietHours | None = None,
) -> datetime | None:
    """The first instant strictly after ``after`` when the reminder is due.

    ``minute`` is the local time (minutes after midnight), ``days`` a weekday
    bit mask. Returns an aware UTC datetime, or None if no day is selected.
    """
    if not days & 0b1111111:
        return None
    if after.tzinfo is None:
        raise ValueError("after must be timezone-aware")
    start = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(10):
        day = start + timedelta(days=offset)
        if not days & (1 << day.weekday()):
            continue
        candidate = hold_for_quiet_hours(local_to_utc(day, minute, zone), zone, quiet)
        if candidate > after:
            return candidate
    return None  # pragma: no cover - a selected weekday recurs within 10 days


def next_due_epoch(
    after: float,
    minute: int,
    days: int,
    zone: ZoneInfo,
    quiet: QuietHours | None = None,
) -> int | None:
    """``next_due`` on whole UTC seconds since the epoch, as the database stores."""
    due = next_due(datetime.fromtimestamp(after, UTC), minute, days, zone, quiet)
    return None if due is None else int(due.timestamp())


def snooze_until(
    now: float, delay: int, zone: ZoneInfo, quiet: QuietHours | None = None
) -> int:
    """When a snoozed reminder comes back: ``delay`` seconds on, after quiet hours."""
    instant = datetime.fromtimestamp(int(now) + delay, UTC)
    return int(hold_for_quiet_hours(instant, zone, quiet).timestamp())
