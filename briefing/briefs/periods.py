"""The period a briefing covers: calendar days in a timezone, and which articles fall inside (pure logic)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefing.errors import InputError

_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def zone(name: str) -> tzinfo:
    """A timezone from an IANA name ("Europe/Paris"), "UTC", or a fixed offset ("+01:00", "UTC-5")."""
    if match := _OFFSET.match(name.strip()):
        sign, hours, minutes = match.groups()
        offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if offset > timedelta(hours=14):
            raise InputError(name, "is not a timezone (offsets go up to 14 hours)")
        return timezone(-offset if sign == "-" else offset, name)
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            name, "is not a timezone (use an IANA name like Europe/Paris, or an offset like +01:00)"
        ) from exc


@dataclass(frozen=True)
class Period:
    """Whole calendar days `since`..`until` (inclusive) in a timezone."""

    since: date
    until: date
    tz: tzinfo

    def __post_init__(self) -> None:
        if self.until < self.since:
            raise InputError(f"{self.since}..{self.until}", "the period ends before it starts")

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    @property
    def day_numbers(self) -> tuple[int, int]:
        """The stored day numbers (YYYYMMDD) to search, one day wider on each side for timezone shifts."""
        low, high = self.since - timedelta(days=1), self.until + timedelta(days=1)
        return low.year * 10000 + low.month * 100 + low.day, high.year * 10000 + high.month * 100 + high.day

    def local_day(self, published: datetime | date | None) -> date | None:
        """The calendar day of a publication time in this timezone (a time without zone is taken as local)."""
        if isinstance(published, datetime):
            return published.astimezone(self.tz).date() if published.tzinfo else published.date()
        return published

    def contains(self, published: datetime | date | None) -> bool:
        day = self.local_day(published)
        return day is not None and self.since <= day <= self.until

    def position(self, published: datetime | date | None) -> float:
        """How late in the period it was published: 0 at the start, 1 at the end (0.5 for a bare date)."""
        if not isinstance(published, datetime):
            day = self.local_day(published)
            return 0.5 if day is None else ((day - self.since).days + 0.5) / self.days
        local = published.astimezone(self.tz) if published.tzinfo else published.replace(tzinfo=self.tz)
        start = datetime.combine(self.since, datetime.min.time(), tzinfo=self.tz)
        return min(max((local - start) / timedelta(days=self.days), 0.0), 1.0)

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.since - timedelta(days=self.days), self.since - timedelta(days=1), self.tz)

    def context(self, days: int = 3) -> Period:
        """The days just before this period (as many as the period has, and at least `days`): what a story that
        started earlier is recognised by."""
        return Period(self.since - timedelta(days=max(days, self.days)), self.since - timedelta(days=1), self.tz)


def period_of(
    day: date | None = None,
    since: date | None = None,
    until: date | None = None,
    *,
    tz: tzinfo,
    today: date | None = None,
) -> Period:
    """One day (default: today in the timezone), or since..until (either end defaults to the other / today)."""
    if day is not None and (since or until):
        raise InputError("--date", "give either a date or --since/--until, not both")
    if day is None and since is None and until is None:
        day = today or datetime.now(tz).date()
    if day is not None:
        return Period(day, day, tz)
    end = until or today or datetime.now(tz).date()
    return Period(since or end, end, tz)
