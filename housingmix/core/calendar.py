"""Deadlines in working days and calendar events (iCalendar files): weekends, Italian public holidays and the patron saint's day of
the Ambito's province are skipped (the ``holidays`` package, ``holidays.Italy(subdiv=...)``).

The province is the capofila comune's (Lodi: San Bassiano, 19 January). Without an Ambito
(a bare test database) only the national holidays count.
"""

import functools
from datetime import date, datetime, timedelta

import holidays


@functools.lru_cache(maxsize=64)
def _holidays(province: str, year: int) -> frozenset[date]:
    subdiv = province.upper() if province and province.upper() in holidays.Italy.subdivisions else None
    return frozenset(holidays.Italy(subdiv=subdiv, years=year).keys())


def ambito_province() -> str:
    """The province code (e.g. ``LO``) of the Ambito the portal serves, or ``""``."""
    from housingmix.territory.selectors import ambito_current

    ambito = ambito_current()
    capofila = ambito.capofila if ambito else None
    return capofila.province if capofila else ""


def holidays_in(year: int, *, province: str | None = None) -> frozenset[date]:
    """The public holidays of ``year`` in ``province`` (default: the Ambito's)."""
    return _holidays(ambito_province() if province is None else province, year)


def is_working_day(day: date, *, province: str | None = None) -> bool:
    return day.weekday() < 5 and day not in holidays_in(day.year, province=province)


def add_working_days(start: date, days: int, *, province: str | None = None) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    province = ambito_province() if province is None else province
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current, province=province):
            left -= 1
    return current


def event_ics(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    location: str = "",
    description: str = "",
    sequence: int = 0,
    cancelled: bool = False,
) -> bytes:
    """One event as an iCalendar file (RFC 5545) for an e-mail attachment or a download: the
    same inputs give the same bytes (DTSTAMP is the event's start, not the time of rendering).

    An update keeps ``uid`` and raises ``sequence`` so calendars replace the event they have;
    ``cancelled`` gives METHOD:CANCEL and STATUS:CANCELLED (RFC 5546 §3.2.5), which removes it.
    """
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Housing Mix//portale//IT")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", start)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", sequence)
    if cancelled:
        event.add("status", "CANCELLED")
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    calendar.add_component(event)
    return calendar.to_ical()
