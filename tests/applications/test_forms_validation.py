"""Every validator of the manifestation form, with the message the offerer reads."""

import base64
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.forms import OffererForm
from applications.models import Application
from housingmix.core.fields import parse_italian_number
from housingmix.core.uploads import APPLICATION_TYPES, P7M, sniff, validate_upload
from properties.forms import UnitDataForm, UnitTermsForm
from properties.models import HousingUnit

from .conftest import person_tax_code, png_upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("1234,56", Decimal("1234.56")),
        ("1234.56", Decimal("1234.56")),
        ("1.234", Decimal("1234")),
        ("1.234.567", Decimal("1234567")),
        ("€ 850", Decimal("850")),
        ("850 €", Decimal("850")),
        ("0,5", Decimal("0.5")),
        ("12.5", Decimal("12.5")),
    ],
)
def test_italian_numbers_are_read_as_italians_write_them(text, expected):
    assert parse_italian_number(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12a", "1.2.3,4,5"])
def test_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_italian_number(text)


def _unit_form(lodi, **data):
    base = {"comune": lodi.pk, "postcode": "26900"}
    base.update(data)
    return UnitDataForm(data=base, instance=HousingUnit())


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "2690", "Il CAP è formato da 5 cifre."),
        ("postcode", "20121", "Il CAP 20121 non appartiene al comune di Lodi"),
        ("cadastral_sheet", "12a", "Il foglio è un numero di al massimo 4 cifre."),
        ("cadastral_parcel", "12A45", "La particella è un numero di al massimo 5 cifre."),
        ("cadastral_sub", "x", "Il subalterno è un numero di al massimo 4 cifre."),
        ("cadastral_section", "A-1", "La sezione è formata da al massimo 3 lettere o cifre."),
        ("cadastral_class", "1A", "La classe è un numero di 1 o 2 cifre"),
        ("surface_m2", "9", "Indica una superficie tra 14 e 2.000 m²."),
        ("surface_m2", "12.000", "Indica una superficie tra 14 e 2.000 m²."),
        ("surface_m2", "tanti", "Scrivi un numero, ad esempio 1.234,56."),
        ("beds", "0", "Indica un numero di posti letto tra 1 e 40."),
        ("bathrooms", "0", "Indica un numero di bagni tra 1 e 10."),
        ("floor", "99", "Indica un piano tra -3 e 50"),
        ("works_cost", "-5", "Indica un costo tra 0 e 5.000.000 €."),
        ("condo_fees_month", "9.999,00", "Indica spese mensili tra 0 e 5.000 €."),
        ("ape_expiry", "01/01/2020", "L'APE è scaduto"),
        ("ape_expiry", "31/02/2030", "Inserisci una data valida."),
    ],
)
def test_unit_data_validators(lodi, field, value, message):
    form = _unit_form(lodi, **{field: value})
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors


def test_unit_data_accepts_plausible_values_in_italian_notation(lodi):
    form = _unit_form(
        lodi,
        surface_m2="1.234,50",
        rooms="4,5",
        cadastral_income="1.012,30",
        beds="4",
        bedrooms="2",
        cadastral_category="A/3",
        cadastral_class="u",
        cadastral_section="b",
        ape_expiry=(timezone.localdate() + timedelta(days=30)).strftime("%d/%m/%Y"),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["surface_m2"] == Decimal("1234.50")
    assert form.cleaned_data["cadastral_class"] == "U"
    assert form.cleaned_data["cadastral_section"] == "B"


def test_too_many_beds_for_the_bedrooms(lodi):
    form = _unit_form(lodi, beds="12", bedrooms="1")
    assert not form.is_valid()
    assert "I posti letto sono troppi per il numero di camere indicato." in form.errors["beds"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"availability_form": "lease_transitional", "duration_months": "24"}, "duration_months", "da 1 a 18 mesi"),
        ({"availability_form": "lease_agreed", "duration_months": "12"}, "duration_months", "minima è 36 mesi"),
        ({"availability_form": "transfer", "duration_months": "60"}, "duration_months", "minima è 96 mesi"),
        ({"availability_form": "free_loan", "monthly_rent": "300"}, "monthly_rent", "non è previsto un canone"),
        ({"monthly_rent": "25.000,00"}, "monthly_rent", "Indica un canone tra 0 e 20.000 € al mese."),
        ({"available_from": "2026-13-01"}, "available_from", "Inserisci una data valida."),
    ],
)
def test_offer_terms_validators(data, field, message):
    form = UnitTermsForm(data=data, instance=HousingUnit())
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors


def test_offer_terms_any_target_replaces_the_others():
    form = UnitTermsForm(
        data={"availability_form": "lease_agreed", "duration_months": "36", "targets": ["any", "elderly"]},
        instance=HousingUnit(),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["targets"] == ["any"]


def _offerer_form(offerer_type="person", **data):
    return OffererForm(data=data, instance=Application(offerer_type=offerer_type))


@pytest.mark.parametrize(
    ("offerer_type", "field", "value", "message"),
    [
        ("person", "offerer_tax_code", "RSSMRA80A01E648X", "non è valido"),
        ("person", "signatory_tax_code", "12345678901", "deve avere 16 caratteri"),
        ("ets", "offerer_tax_code", "12345678901", "per un ente servono 11 cifre"),
        ("ets", "offerer_vat_number", "01234567890", "La partita IVA «01234567890» non è valida"),
        ("ets", "offerer_runts_number", "12AB", "solo cifre"),
        ("person", "offerer_postcode", "269", "Il CAP è formato da 5 cifre."),
        ("person", "offerer_province", "L0", "Indica la sigla della provincia"),
        ("person", "phone", "chiamami", "Scrivi un numero di telefono"),
        ("person", "email", "non-una-mail", "Inserisci un indirizzo email valido."),
        ("person", "id_document_expiry", "01/01/2020", "Il documento è scaduto"),
    ],
)
def test_offerer_validators(offerer_type, field, value, message):
    form = _offerer_form(offerer_type, **{field: value})
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors


def test_offerer_accepts_valid_codes_with_spaces_and_lowercase():
    code = person_tax_code()
    form = _offerer_form(
        "person",
        offerer_tax_code=" ".join([code[:6], code[6:].lower()]),
        offerer_province="lo",
        phone="+39 0371 123456",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["offerer_tax_code"] == code
    assert form.cleaned_data["offerer_province"] == "LO"


def _signed_der() -> bytes:
    # The start of a CAdES envelope: SEQUENCE, then the signedData OID 1.2.840.113549.1.7.2.
    return bytes.fromhex("3080") + bytes.fromhex("06092a864886f70d010702") + b"\x00" * 64


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (_signed_der(), P7M),
        (base64.b64encode(bytes.fromhex("308206") + bytes.fromhex("06092a864886f70d010702") + b"\x00" * 60), P7M),
    ],
)
def test_files_are_recognised_by_their_content(body, expected):
    upload = SimpleUploadedFile("file.p7m", body)
    assert sniff(upload) == expected


@pytest.mark.parametrize(
    "body",
    [
        b"MZ\x90\x00 a Windows program",
        b"<html><script>alert(1)</script></html>",
        bytes.fromhex("3082") + b"\x00" * 80,  # DER, but not a signed envelope
        b"GIF89a\x01\x00\x01\x00",
    ],
)
def test_files_of_other_types_are_refused_whatever_their_name(body):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("documento.pdf", body), allowed=APPLICATION_TYPES)
    assert "non è di un tipo ammesso (ammessi: JPG, P7M, PDF, PNG)" in str(error.value)


def test_upload_limit_and_empty_file_have_clear_messages(settings):
    settings.APPLICATION_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        validate_upload(png_upload("grande.png"), allowed=APPLICATION_TYPES, max_bytes=100)
    assert "il limite è 100" in str(error.value)
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("vuoto.pdf", b""), allowed=APPLICATION_TYPES)
    assert "è vuoto" in str(error.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", Decimal("1234.56")),
        ("1,234", Decimal("1234")),
        ("1234.5", Decimal("1234.5")),
        ("12,5", Decimal("12.5")),
    ],
)
def test_numbers_typed_on_english_pages(text, expected):
    assert parse_italian_number(text, language="en") == expected
