"""Deadlines in business days: Italian public holidays and weekends are skipped.

Only the national holidays (L. 260/1949 and later); a comune's patron saint's day is not
counted, which errs on the offerer's side by at most one day a year.
"""

from datetime import date, timedelta


def _easter(year: int) -> date:
    # Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def italian_holidays(year: int) -> set[date]:
    fixed = [(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26)]
    days = {date(year, m, d) for m, d in fixed}
    days.add(_easter(year) + timedelta(days=1))  # Lunedì dell'Angelo
    return days


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in italian_holidays(day.year)


def add_business_days(start: date, days: int) -> date:
    """The date ``days`` business days after ``start`` (``start`` itself not counted)."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if is_business_day(current):
            left -= 1
    return current
