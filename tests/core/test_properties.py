"""Property-based tests (hypothesis) of what takes arbitrary input (issue 18): codice fiscale and
partita IVA validation, Italian and English numbers and dates, the working-day calculator,
the protocol's year boundary and the export escaping."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from codicefiscale import codicefiscale
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from stdnum import luhn

from housingmix.accounts.validators import validate_body_tax_code, validate_person_tax_code, validate_vat_number
from housingmix.core import protocol
from housingmix.core.calendar import add_working_days, holidays_in, is_working_day
from housingmix.core.exports import writers
from housingmix.core.fields import parse_italian_number
from housingmix.core.numbers import euro, number_it

FAST = settings(max_examples=60, deadline=None)
# Each example of the omocodia test checks every variant of a code (up to 128 of them).
FEW = settings(max_examples=10, deadline=None)
ROME = ZoneInfo("Europe/Rome")

# --- Codice fiscale ------------------------------------------------------------------

names = st.text(alphabet="ABCDEFGHILMNOPQRSTUVZ", min_size=2, max_size=12)
births = st.dates(min_value=date(1920, 1, 1), max_value=date(2008, 12, 31))
places = st.sampled_from(["Lodi", "Codogno", "Milano", "Roma", "Napoli", "Torino"])


@st.composite
def tax_codes(draw):
    return codicefiscale.encode(
        lastname=draw(names),
        firstname=draw(names),
        gender=draw(st.sampled_from("MF")),
        birthdate=draw(births).strftime("%d/%m/%Y"),
        birthplace=draw(places),
    )


@FAST
@given(code=tax_codes(), spaces=st.lists(st.integers(0, 16), max_size=4))
def test_a_valid_codice_fiscale_stays_valid_in_lower_case_and_with_spaces(code, spaces):
    validate_person_tax_code(code)
    validate_person_tax_code(code.lower())
    spaced = code
    for position in sorted(set(spaces), reverse=True):
        spaced = spaced[:position] + " " + spaced[position:]
    validate_person_tax_code(spaced)
    validate_body_tax_code(spaced)  # a sole trader's body code is a person's


@FEW
@given(code=tax_codes())
def test_every_omocodia_variant_is_valid(code):
    omocodes = codicefiscale.decode(code)["omocodes"]
    assert len(omocodes) > 1
    for variant in omocodes:
        validate_person_tax_code(variant)


@FAST
@given(code=tax_codes(), replacement=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
def test_a_wrong_check_character_is_refused(code, replacement):
    if replacement == code[-1]:
        replacement = "A" if code[-1] != "A" else "B"
    with pytest.raises(ValidationError):
        validate_person_tax_code(code[:-1] + replacement)


@FAST
@given(text=st.text(max_size=20))
def test_arbitrary_text_never_crashes_the_validators(text):
    for validator in (validate_person_tax_code, validate_body_tax_code, validate_vat_number):
        try:
            validator(text)
        except ValidationError:
            pass


# --- Partita IVA ---------------------------------------------------------------------


@st.composite
def vat_numbers(draw):
    serial = draw(st.integers(1, 9_999_999))
    office = draw(st.sampled_from([*range(1, 101), 120, 121, 888, 999]))
    base = "%07d%03d" % (serial, office)
    return base + luhn.calc_check_digit(base)


@FAST
@given(number=vat_numbers(), prefix=st.sampled_from(["", "IT", "it", "IT "]))
def test_a_valid_partita_iva_with_or_without_it_prefix(number, prefix):
    validate_vat_number(prefix + number)
    validate_vat_number(" %s %s %s " % (prefix, number[:5], number[5:]))
    validate_body_tax_code(number)


@FAST
@given(number=vat_numbers(), delta=st.integers(1, 9))
def test_a_wrong_check_digit_is_refused(number, delta):
    wrong = number[:-1] + str((int(number[-1]) + delta) % 10)
    with pytest.raises(ValidationError):
        validate_vat_number(wrong)
    with pytest.raises(ValidationError):
        validate_body_tax_code(wrong)


# --- Numbers -------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("-999999999.99"), max_value=Decimal("999999999.99"), places=2)


@FAST
@given(value=amounts)
@example(value=Decimal("1234.00"))
@example(value=Decimal("-0.50"))
def test_what_number_it_writes_parses_back_in_italian(value):
    assert parse_italian_number(number_it(value), language="it") == value
    assert parse_italian_number(number_it(value, places=2), language="it") == value
    assert parse_italian_number(euro(value), language="it") == value


@FAST
@given(value=amounts)
def test_english_grouping_parses_back_on_an_english_page(value):
    assert parse_italian_number(f"{value:,.2f}", language="en") == value
    assert parse_italian_number(f"{value:.2f}", language="en") == value
    assert parse_italian_number(f"{value:.2f}", language="it") == value  # a dot alone, not by three


@FAST
@given(whole=st.integers(0, 10**9))
def test_grouped_integers_follow_the_page_language(whole):
    assert parse_italian_number(f"{whole:,}".replace(",", "."), language="it") == whole
    assert parse_italian_number(f"{whole:,}", language="en") == whole


@FAST
@given(text=st.text(max_size=20))
def test_parsing_arbitrary_text_is_a_number_or_value_error(text):
    try:
        result = parse_italian_number(text)
    except ValueError:
        return
    assert isinstance(result, Decimal) and result.is_finite()


# --- Dates ---------------------------------------------------------------------------


@FAST
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), language=st.sampled_from(["it", "en"]))
def test_dates_typed_as_dd_mm_yyyy_or_iso_parse_in_both_languages(day, language):
    field = forms.DateField(localize=True)
    with translation.override(language):
        assert field.clean(day.strftime("%d/%m/%Y")) == day
        assert field.clean(day.isoformat()) == day


@FAST
@given(day=st.integers(13, 31), month=st.integers(13, 99), year=st.integers(1900, 2100))
def test_impossible_dates_are_refused_with_a_message(day, month, year):
    with translation.override("it"), pytest.raises(ValidationError):
        forms.DateField(localize=True).clean("%02d/%02d/%d" % (day, month, year))


# --- Working days --------------------------------------------------------------------

starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@FAST
@given(start=starts, days=st.integers(0, 60))
@example(start=date(2026, 12, 23), days=3)  # across Christmas, Santo Stefano and the new year
@example(start=date(2027, 1, 16), days=2)  # San Bassiano (19 January, Lodi)
def test_add_working_days_counts_exactly_the_working_days(start, days):
    end = add_working_days(start, days, province="LO")
    assert end >= start
    counted = sum(is_working_day(start + timedelta(n), province="LO") for n in range(1, (end - start).days + 1))
    assert counted == days
    if days:
        assert is_working_day(end, province="LO")
        assert end.weekday() < 5 and end not in holidays_in(end.year, province="LO")
        assert (end.month, end.day) not in {(1, 1), (12, 25), (12, 26), (1, 19), (8, 15)}


@FAST
@given(start=starts, days=st.integers(0, 40))
def test_one_more_working_day_is_later(start, days):
    assert add_working_days(start, days + 1, province="LO") > add_working_days(start, days, province="LO")


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1, province="LO")


# --- Protocol year boundary ----------------------------------------------------------

near_new_year = st.builds(
    lambda year, seconds: datetime(year, 12, 31, 23, 0, tzinfo=UTC) + timedelta(seconds=seconds),
    st.integers(2025, 2030),
    st.integers(-7200, 7200),
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moments=st.lists(near_new_year, min_size=1, max_size=6))
def test_protocol_numbers_follow_the_year_of_rome(moments):
    with transaction.atomic():
        entries = [
            protocol.register(
                direction=protocol.INCOMING, sender="a", recipient="b", subject="prova", sha256="0" * 64, when=moment
            )
            for moment in sorted(moments)
        ]
        by_year: dict[int, list[int]] = {}
        for entry, moment in zip(entries, sorted(moments), strict=True):
            assert entry.year == moment.astimezone(ROME).year  # 23:00 UTC on 31/12 is already next year in Rome
            by_year.setdefault(entry.year, []).append(entry.number)
        for numbers in by_year.values():
            assert numbers == list(range(1, len(numbers) + 1))  # each year starts at 1, gapless
        transaction.set_rollback(True)


# --- Export escaping -----------------------------------------------------------------

cell_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@FAST
@given(text=cell_text)
@example(text="=HYPERLINK(1)")
@example(text="\r=1")
def test_no_escaped_cell_starts_a_formula(text):
    escaped = writers.escape_cell(text)
    assert not escaped.startswith(writers.FORMULA_PREFIXES)
    assert escaped == ("'" + text if text.startswith(writers.FORMULA_PREFIXES) else text)


@FAST
@given(texts=st.lists(cell_text, min_size=1, max_size=5))
def test_csv_reads_back_exactly_the_escaped_text(texts):
    body = writers.csv_bytes(["Nome"], [[t] for t in texts])
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [row[0] if row else "" for row in rows[1:]] == [writers.escape_cell(t) for t in texts]


printable = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, blacklist_categories=("Cs",)), max_size=20
)


@settings(max_examples=25, deadline=None)
@given(prefix=st.sampled_from(["", *writers.FORMULA_PREFIXES]), text=printable)
def test_xlsx_never_stores_a_formula(prefix, text):
    from openpyxl import load_workbook

    value = prefix + text
    body = writers.xlsx_bytes(["Nome"], [[value]], title="prova")
    cell = load_workbook(io.BytesIO(body)).active.cell(row=2, column=1)
    if value:
        assert cell.data_type == "s"
        assert cell.value.startswith("'") == value.startswith(writers.FORMULA_PREFIXES)
