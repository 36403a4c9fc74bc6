"""Briefing periods: days in a timezone, which publication times fall inside, and the previous period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from briefing.briefs.periods import Period, period_of, zone
from briefing.errors import InputError

PLUS_ONE = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("name", "offset_in_november"),
    [("UTC", 0), ("Europe/Paris", 1), ("+01:00", 1), ("UTC-5", -5), ("-0330", -3.5), ("America/New_York", -5)],
)
def test_zone_names_and_offsets(name: str, offset_in_november: float) -> None:
    offset = datetime(2026, 11, 25, 12, tzinfo=zone(name)).utcoffset()
    assert offset == timedelta(hours=offset_in_november)


@pytest.mark.parametrize("name", ["Mars/Olympus", "+15:00", "", "yesterday"])
def test_unknown_zone_names_the_input(name: str) -> None:
    with pytest.raises(InputError, match="is not a timezone"):
        zone(name)


@pytest.mark.parametrize(
    ("published", "inside"),
    [
        (datetime(2026, 11, 25, 0, 30, tzinfo=PLUS_ONE), True),  # just after midnight local
        (datetime(2026, 11, 24, 23, 30, tzinfo=UTC), True),  # 00:30 local on the 25th
        (datetime(2026, 11, 25, 23, 30, tzinfo=UTC), False),  # 00:30 local on the 26th
        (datetime(2026, 11, 25, 23, 30), True),  # no zone: taken as local time
        (date(2026, 11, 25), True),
        (date(2026, 11, 24), False),
        (None, False),
    ],
)
def test_period_contains_in_its_timezone(published: datetime | date | None, inside: bool) -> None:
    assert Period(date(2026, 11, 25), date(2026, 11, 25), PLUS_ONE).contains(published) is inside


def test_position_runs_from_start_to_end() -> None:
    period = Period(date(2026, 11, 24), date(2026, 11, 25), PLUS_ONE)
    assert period.position(datetime(2026, 11, 24, 0, 0, tzinfo=PLUS_ONE)) == 0.0
    assert period.position(datetime(2026, 11, 25, 0, 0, tzinfo=PLUS_ONE)) == pytest.approx(0.5)
    assert period.position(datetime(2026, 11, 27, tzinfo=PLUS_ONE)) == 1.0
    assert period.position(date(2026, 11, 25)) == pytest.approx(0.75)


def test_previous_period_has_the_same_length() -> None:
    period = Period(date(2026, 11, 24), date(2026, 11, 26), UTC)
    assert period.previous() == Period(date(2026, 11, 21), date(2026, 11, 23), UTC)


def test_day_numbers_are_one_day_wider() -> None:
    assert Period(date(2026, 11, 30), date(2026, 12, 1), UTC).day_numbers == (20261129, 20261202)


def test_period_of() -> None:
    today = date(2026, 11, 29)
    assert period_of(tz=UTC, today=today) == Period(today, today, UTC)
    assert period_of(date(2026, 11, 25), tz=UTC) == Period(date(2026, 11, 25), date(2026, 11, 25), UTC)
    assert period_of(since=date(2026, 11, 20), tz=UTC, today=today) == Period(date(2026, 11, 20), today, UTC)
    with pytest.raises(InputError, match="not both"):
        period_of(date(2026, 11, 25), since=date(2026, 11, 20), tz=UTC)
    with pytest.raises(InputError, match="ends before it starts"):
        period_of(since=date(2026, 11, 26), until=date(2026, 11, 25), tz=UTC)
