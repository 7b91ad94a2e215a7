"""Working days on the ``holidays`` package, with the Ambito's province (Lodi: San Bassiano)."""

from datetime import date

import pytest

from housingmix.core.calendar import add_working_days, ambito_province, holidays_in, is_working_day


@pytest.mark.django_db
def test_the_ambito_province_is_the_capofila_comune_s():
    assert ambito_province() == "LO"


def test_lodi_s_patron_saint_is_not_a_working_day():
    assert not is_working_day(date(2027, 1, 19), province="LO")  # San Bassiano, a Tuesday
    assert is_working_day(date(2027, 1, 19), province="MI")
    assert is_working_day(date(2027, 1, 19), province="")


def test_deadline_skips_weekends_national_holidays_and_the_patron_saint():
    # From Friday 15/01/2027, ten working days in Lodi: 18, (19 San Bassiano), 20, 21, 22, 25 … 29.
    assert add_working_days(date(2027, 1, 15), 10, province="LO") == date(2027, 2, 1)
    assert add_working_days(date(2027, 1, 15), 10, province="") == date(2027, 1, 29)


def test_christmas_new_year_epiphany_and_easter_monday():
    assert add_working_days(date(2026, 12, 22), 10, province="LO") == date(2027, 1, 8)
    assert add_working_days(date(2027, 3, 26), 1, province="LO") == date(2027, 3, 30)  # Easter Monday 29/03


def test_national_holidays_follow_the_law_of_the_year():
    # St Francis (4 October) is a national holiday again from 2026.
    assert date(2026, 10, 4) in holidays_in(2026, province="")
    assert date(2025, 10, 4) not in holidays_in(2025, province="")


def test_zero_days_is_the_start_and_negative_is_refused():
    assert add_working_days(date(2027, 1, 15), 0, province="") == date(2027, 1, 15)
    with pytest.raises(ValueError):
        add_working_days(date(2027, 1, 15), -1, province="")
