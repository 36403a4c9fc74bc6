"""Time words in questions ("yesterday", "last week", "on December 13", "since Monday") as date ranges (pure)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Timeframe:
    """Published-day bounds (inclusive) read from a phrase of the question."""

    since: date | None
    until: date | None
    phrase: str


_WEEKDAYS = {name: i for i, name in enumerate(calendar.day_name)} | {
    name: i for i, name in enumerate(calendar.day_abbr)
}
_MONTHS = (
    {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
    | {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
)
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH_NAMES = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?"
)
_MONTH = rf"(?P<month>{_MONTH_NAMES})\.?"
_DAY_OF_MONTH = (
    rf"(?:{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH_NAMES})\.?)"
    r"(?:,?\s+(?P<year>\d{4}))?"
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10, "fourteen": 14}
_COUNT = r"(?P<count>\d{1,3}|" + "|".join(_NUMBER_WORDS) + ")"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(rf"\b{pattern}\b", re.IGNORECASE))
    for kind, pattern in [
        ("iso", r"(?P<iso>\d{4}-\d{2}-\d{2})"),
        ("since_date", rf"since\s+{_DAY_OF_MONTH}"),
        ("date", rf"(?:on\s+)?{_DAY_OF_MONTH}"),
        ("since_weekday", rf"since\s+(?:last\s+)?{_WEEKDAY}"),
        ("weekday", rf"(?:on|last)\s+{_WEEKDAY}"),
        ("today", r"today|this morning|tonight"),
        ("yesterday", r"yesterday"),
        ("days_ago", rf"{_COUNT}\s+days?\s+ago"),
        ("past_days", rf"(?:past|last)\s+{_COUNT}\s+days"),
        ("past_week", r"(?:past|last)\s+seven\s+days|past\s+week"),
        ("this_week", r"this\s+week"),
        ("last_week", r"last\s+week"),
        ("this_month", r"this\s+month"),
        ("last_month", r"last\s+month"),
        ("in_month", rf"in\s+{_MONTH}(?:\s+(?P<year>\d{{4}}))?"),
    ]
]


def timeframe_of(question: str, today: date) -> Timeframe | None:
    """The date range a question's time words refer to, counted back from `today`, or None."""
    for kind, pattern in _PATTERNS:
        if match := pattern.search(question):
            bounds = _bounds(kind, match, today)
            if bounds is not None:
                return Timeframe(since=bounds[0], until=bounds[1], phrase=match.group(0))
    return None


def _bounds(kind: str, match: re.Match[str], today: date) -> tuple[date | None, date | None] | None:
    groups = match.groupdict()
    if kind == "iso":
        day = date.fromisoformat(groups["iso"])
        return day, day
    if kind in ("date", "since_date"):
        found = _day_of_month(groups, today)
        if found is None:
            return None
        return (found, today) if kind == "since_date" else (found, found)
    if kind in ("weekday", "since_weekday"):
        wanted = _WEEKDAYS[groups["weekday"].capitalize()]
        back = (today.weekday() - wanted) % 7 or (7 if kind == "weekday" else 0)
        day = today - timedelta(days=back)
        return (day, today) if kind == "since_weekday" else (day, day)
    if kind == "today":
        return today, today
    if kind == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if kind in ("days_ago", "past_days"):
        count = _count(groups["count"])
        start = today - timedelta(days=count)
        return (start, start) if kind == "days_ago" else (start, today)
    if kind == "past_week":
        return today - timedelta(days=7), today
    if kind == "this_week":  # as news is read: the last seven days, not only since Monday
        return today - timedelta(days=6), today
    if kind == "last_week":
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if kind == "this_month":
        return today.replace(day=1), today
    if kind == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if kind == "in_month":
        month = _MONTHS[groups["month"].lower().rstrip(".")]
        year = int(groups["year"] or 0) or today.year - (month > today.month)
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def _day_of_month(groups: dict[str, str | None], today: date) -> date | None:
    month_name = groups.get("month") or groups.get("month2") or ""
    day_text = groups.get("day") or groups.get("day2") or ""
    month = _MONTHS.get(month_name.lower().rstrip("."))
    if month is None or not day_text:
        return None
    year = int(groups.get("year") or 0) or today.year
    try:
        found = date(year, month, int(day_text))
    except ValueError:
        return None
    if not groups.get("year") and found > today:  # "December 13" asked in November means last December
        found = found.replace(year=year - 1)
    return found
