"""Schedule maths: local HH:MM to UTC across DST changes and quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.push.schedule import (
    QuietHours,
    days_mask,
    hold_for_quiet_hours,
    mask_days,
    minute_of,
    next_due,
    snooze_until,
    time_at,
)
from server.push.vocabulary import DAY_IDS

NEW_YORK = ZoneInfo("America/New_York")  # 2026: Mar 8 02:00->03:00, Nov 1 02:00->01:00
LONDON = ZoneInfo("Europe/London")  # 2026: Mar 29 01:00->02:00, Oct 25 02:00->01:00


def days(*names: str) -> int:
    """The weekday mask of some day ids."""
    return days_mask(DAY_IDS.index(name) for name in names)


EVERY_DAY = days("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def utc(*args: int) -> datetime:
    """A UTC datetime."""
    return datetime(*args, tzinfo=UTC)


def test_times_and_days_round_trip() -> None:
    """Times and day lists survive storage as numbers."""
    assert minute_of(time(7, 5)) == 425
    assert time_at(425) == time(7, 5)
    assert mask_days(days_mask([6, 0, 2])) == [0, 2, 6]


def test_plain_day_is_local_time_in_utc() -> None:
    """09:00 in New York in winter is 14:00 UTC; in summer 13:00 UTC."""
    assert next_due(utc(2026, 1, 15), 9 * 60, EVERY_DAY, NEW_YORK) == utc(
        2026, 1, 15, 14
    )
    assert next_due(utc(2026, 7, 15), 9 * 60, EVERY_DAY, NEW_YORK) == utc(
        2026, 7, 15, 13
    )


def test_spring_forward_day_keeps_local_time() -> None:
    """On the spring-forward day 09:00 stays 09:00 local (the offset changes)."""
    before = next_due(utc(2026, 3, 7, 12), 9 * 60, EVERY_DAY, NEW_YORK)
    on_the_day = next_due(before, 9 * 60, EVERY_DAY, NEW_YORK)
    assert before == utc(2026, 3, 7, 14)  # EST, -5
    assert on_the_day == utc(2026, 3, 8, 13)  # EDT, -4
    assert on_the_day.astimezone(NEW_YORK).strftime("%H:%M") == "09:00"


def test_time_that_does_not_exist_fires_after_the_jump() -> None:
    """02:30 does not exist on Mar 8 in New York: it fires at 03:30 EDT, once."""
    due = next_due(utc(2026, 3, 8, 0), 2 * 60 + 30, EVERY_DAY, NEW_YORK)
    assert due == utc(2026, 3, 8, 7, 30)
    assert due.astimezone(NEW_YORK).strftime("%H:%M %Z") == "03:30 EDT"
    following = next_due(due, 2 * 60 + 30, EVERY_DAY, NEW_YORK)
    assert following == utc(2026, 3, 9, 6, 30)  # 02:30 EDT the next day


def test_time_that_exists_twice_fires_once_at_the_first() -> None:
    """01:30 happens twice on Nov 1 in New York: only the first (EDT) one fires."""
    first = next_due(utc(2026, 11, 1, 0), 90, EVERY_DAY, NEW_YORK)
    assert first == utc(2026, 11, 1, 5, 30)
    assert first.astimezone(NEW_YORK).strftime("%H:%M %Z") == "01:30 EDT"
    again = next_due(first, 90, EVERY_DAY, NEW_YORK)
    # Not 06:30 UTC on Nov 1 (the second 01:30, EST) but the next day's.
    assert again == utc(2026, 11, 2, 6, 30)


def test_fall_back_day_in_london() -> None:
    """London's fall-back day: 01:30 fires at the BST one; 09:00 is GMT."""
    first = next_due(utc(2026, 10, 24, 23), 90, EVERY_DAY, LONDON)
    assert first == utc(2026, 10, 25, 0, 30)  # 01:30 BST
    assert next_due(first, 90, EVERY_DAY, LONDON) == utc(2026, 10, 26, 1, 30)
    assert next_due(utc(2026, 10, 25, 2), 540, EVERY_DAY, LONDON) == utc(
        2026, 10, 25, 9
    )


def test_half_hour_dst_shift() -> None:
    """Lord Howe moves its clocks by 30 minutes: 02:15 on Oct 4 becomes 02:45."""
    zone = ZoneInfo("Australia/Lord_Howe")
    due = next_due(utc(2026, 10, 3, 12), 2 * 60 + 15, EVERY_DAY, zone)
    assert due == utc(2026, 10, 3, 15, 45)
    assert due.astimezone(zone).strftime("%H:%M") == "02:45"


@pytest.mark.parametrize(
    ("zone", "minute"),
    [
        (NEW_YORK, 2 * 60 + 30),
        (NEW_YORK, 90),
        (LONDON, 60 + 30),
        (ZoneInfo("Australia/Sydney"), 2 * 60 + 30),
        (ZoneInfo("Asia/Kolkata"), 0),
        (ZoneInfo("Pacific/Apia"), 23 * 60 + 59),
    ],
)
def test_a_year_of_daily_slots_is_one_per_local_day(
    zone: ZoneInfo, minute: int
) -> None:
    """Over a year: strictly increasing, exactly one slot per local date,
    at the asked wall time except where that time did not exist."""
    after = utc(2026, 1, 1)
    seen: list[date] = []
    for _ in range(366):
        due = next_due(after, minute, EVERY_DAY, zone)
        assert due is not None and due > after
        local = due.astimezone(zone)
        wall = local.hour * 60 + local.minute
        if wall != minute:
            # Only in a spring-forward gap, and then later by the gap's size.
            naive = datetime.combine(local.date(), datetime.min.time()) + timedelta(
                minutes=minute
            )
            round_trip = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
            assert round_trip.replace(tzinfo=None) != naive, (
                f"{local} should be {time_at(minute)}"
            )
            assert wall > minute
        seen.append(local.date())
        after = due
    assert len(seen) == len(set(seen)), "a local day got two slots"
    assert all(b - a == timedelta(days=1) for a, b in zip(seen, seen[1:], strict=False))


def test_only_selected_weekdays() -> None:
    """A Monday-only reminder skips to the next Monday."""
    monday = days("mon")
    due = next_due(utc(2026, 11, 23, 10), 9 * 60, monday, LONDON)  # Mon 10:00 UTC
    assert due == utc(2026, 11, 30, 9)
    assert due.astimezone(LONDON).strftime("%a") == "Mon"


def test_weekday_is_the_local_one() -> None:
    """Sunday 23:30 in Los Angeles is Monday in UTC but counts as Sunday."""
    zone = ZoneInfo("America/Los_Angeles")
    due = next_due(utc(2026, 11, 20), 23 * 60 + 30, days("sun"), zone)
    assert due == utc(2026, 11, 23, 7, 30)
    assert due.astimezone(zone).strftime("%a %H:%M") == "Sun 23:30"


def test_quiet_hours_hold_a_reminder_until_they_end() -> None:
    """Quiet 22:00-07:00: 23:00 waits for 07:00 next day; 06:30 for 07:00."""
    quiet = QuietHours(22 * 60, 7 * 60)
    late = next_due(utc(2026, 6, 1, 12), 23 * 60, EVERY_DAY, LONDON, quiet)
    assert late == utc(2026, 6, 2, 6)  # 07:00 BST
    early = next_due(utc(2026, 6, 1, 12), 6 * 60 + 30, EVERY_DAY, LONDON, quiet)
    assert early == utc(2026, 6, 2, 6)
    at_end = next_due(utc(2026, 6, 1, 12), 7 * 60, EVERY_DAY, LONDON, quiet)
    assert at_end == utc(2026, 6, 2, 6)  # the end is not quiet
    outside = next_due(utc(2026, 6, 1, 12), 21 * 60 + 59, EVERY_DAY, LONDON, quiet)
    assert outside == utc(2026, 6, 1, 20, 59)


def test_quiet_hours_within_one_day() -> None:
    """Quiet 13:00-14:00 holds 13:30 until 14:00 the same day."""
    quiet = QuietHours(13 * 60, 14 * 60)
    due = next_due(utc(2026, 1, 5), 13 * 60 + 30, EVERY_DAY, LONDON, quiet)
    assert due == utc(2026, 1, 5, 14)


def test_quiet_hours_on_a_spring_forward_day() -> None:
    """London, Mar 29: 01:30 does not exist (becomes 02:30 BST), which is inside
    quiet hours 01:00-03:00, so it waits for 03:00 BST."""
    quiet = QuietHours(60, 3 * 60)
    due = next_due(utc(2026, 3, 28, 12), 90, EVERY_DAY, LONDON, quiet)
    assert due == utc(2026, 3, 29, 2)
    assert due.astimezone(LONDON).strftime("%H:%M %Z") == "03:00 BST"


def test_quiet_hours_on_a_fall_back_day() -> None:
    """New York, Nov 1: quiet 00:00-01:45 holds 01:30 EDT until 01:45 EDT,
    the first 01:45, and the reminder fires once that day."""
    quiet = QuietHours(0, 105)
    due = next_due(utc(2026, 10, 31, 12), 90, EVERY_DAY, NEW_YORK, quiet)
    assert due == utc(2026, 11, 1, 5, 45)
    assert next_due(due, 90, EVERY_DAY, NEW_YORK, quiet) == utc(2026, 11, 2, 6, 45)


def test_snooze_respects_quiet_hours() -> None:
    """A snooze that would land in quiet hours waits for them to end."""
    quiet = QuietHours(22 * 60, 7 * 60)
    now = utc(2026, 6, 1, 20, 50).timestamp()  # 21:50 BST
    assert snooze_until(now, 900, LONDON, quiet) == int(utc(2026, 6, 2, 6).timestamp())
    assert snooze_until(now, 900, LONDON, None) == int(now) + 900


def test_hold_leaves_other_times_alone() -> None:
    """An instant outside quiet hours is unchanged."""
    instant = utc(2026, 6, 1, 12)
    assert hold_for_quiet_hours(instant, LONDON, QuietHours(60, 120)) == instant


def test_bad_inputs() -> None:
    """No days means never; a naive time or an empty window is refused."""
    assert next_due(utc(2026, 1, 1), 0, 0, LONDON) is None
    with pytest.raises(ValueError):
        next_due(datetime(2026, 1, 1), 0, EVERY_DAY, LONDON)
    with pytest.raises(ValueError):
        QuietHours(60, 60)
