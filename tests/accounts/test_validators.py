"""Italian identifiers and organisation rules as seen by a user filling in the forms."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from housingmix.accounts.forms import SignupForm
from housingmix.accounts.models import Membership, MembershipRole, Organisation
from housingmix.accounts.validators import validate_body_tax_code, validate_person_tax_code
from housingmix.core.models import AuditEvent
from tests.accounts.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def offerer_client(client, login, offerer):
    return login(offerer)


def _organisation_data(tax_code, **overrides):
    data = {
        "type": "ets",
        "name": "Cooperativa Sociale Il Mosaico",
        "legal_form": "Cooperativa sociale",
        "tax_code": tax_code,
        "vat_number": "",
        "runts_number": "123456",
        "pec": "ilmosaico@pec.example.org",
        "email": "",
        "phone": "",
        "address": "Via Cavour 10",
        "postcode": "26900",
        "city": "Lodi",
        "province": "lo",
        "membership_role": MembershipRole.LEGAL_REPRESENTATIVE,
        "office": "Presidente",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("value", ["RSSMRA80A01E648X", "RSSMRA80A01E64", "12345678901"])
def test_person_tax_code_with_bad_check_or_length_is_rejected(value):
    with pytest.raises(ValidationError, match="non è valido"):
        validate_person_tax_code(value)


def test_signup_form_normalises_tax_code_typed_in_lower_case():
    form = SignupForm(
        data={
            "first_name": "Mario",
            "last_name": "Rossi",
            "tax_code": "rssmra80a01e648q",
            "offerer_kind": "person",
            "privacy_accepted": "on",
        }
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["tax_code"] == "RSSMRA80A01E648Q"


@pytest.mark.parametrize("value", ["12345678901", "1234567890", "ABCDEFGHIJK"])
def test_body_tax_code_with_bad_check_or_format_is_rejected(value):
    with pytest.raises(ValidationError, match="per un ente servono 11 cifre"):
        validate_body_tax_code(value)


def test_organisation_form_shows_fieldsets_and_multipart_encoding(offerer_client):
    response = offerer_client.get(reverse("accounts:organisation_create"))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    for legend in ("Dati dell'ente", "Sede legale", "Il tuo ruolo"):
        assert legend in content
    assert 'for="id_proxy_document"' in content


def test_organisation_is_registered_with_the_offerer_as_legal_representative(offerer_client, offerer, make_tax_code):
    tax_code = make_tax_code()

    response = offerer_client.post(reverse("accounts:organisation_create"), _organisation_data(tax_code))

    organisation = Organisation.objects.get(tax_code=tax_code)
    assert response.status_code == 302
    assert response.url == organisation.get_absolute_url()
    assert organisation.province == "LO"
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (offerer, MembershipRole.LEGAL_REPRESENTATIVE)
    assert AuditEvent.objects.filter(verb="organisation.registered", object_id=str(organisation.pk)).exists()


def test_vat_number_with_it_prefix_is_stored_without_it(offerer_client, make_tax_code):
    tax_code = make_tax_code()

    response = offerer_client.post(
        reverse("accounts:organisation_create"), _organisation_data(tax_code, vat_number="IT" + tax_code)
    )

    assert response.status_code == 302
    assert Organisation.objects.get(tax_code=tax_code).vat_number == tax_code


def test_organisation_with_invalid_tax_code_shows_clear_message(offerer_client):
    response = offerer_client.post(reverse("accounts:organisation_create"), _organisation_data("12345678901"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Il codice fiscale «12345678901» non è valido" in content
    assert 'href="#id_tax_code"' in content
    assert not Organisation.objects.exists()


def test_organisation_with_invalid_vat_number_shows_clear_message(offerer_client, make_tax_code):
    data = _organisation_data(make_tax_code(), vat_number="12345678901")

    response = offerer_client.post(reverse("accounts:organisation_create"), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "La partita IVA «12345678901» non è valida" in content
    assert 'href="#id_vat_number"' in content
    assert not Organisation.objects.exists()


def test_ets_without_runts_number_is_refused(offerer_client, make_tax_code):
    response = offerer_client.post(
        reverse("accounts:organisation_create"), _organisation_data(make_tax_code(), runts_number="")
    )

    assert response.status_code == 200
    assert "il numero di iscrizione al RUNTS è obbligatorio" in response.content.decode()
    assert not Organisation.objects.exists()


def test_delegate_without_proxy_gets_a_clear_error(offerer_client, make_tax_code):
    data = _organisation_data(make_tax_code(), membership_role=MembershipRole.DELEGATE)

    response = offerer_client.post(reverse("accounts:organisation_create"), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Chi agisce come delegato deve allegare la procura." in content
    assert 'href="#id_proxy_document"' in content
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_delegate_with_proxy_pdf_is_registered(offerer_client, offerer, make_tax_code):
    tax_code = make_tax_code()
    data = _organisation_data(tax_code, membership_role=MembershipRole.DELEGATE)
    data["proxy_document"] = SimpleUploadedFile("procura.pdf", MINIMAL_PDF, content_type="application/pdf")

    response = offerer_client.post(reverse("accounts:organisation_create"), data)

    assert response.status_code == 302
    membership = Membership.objects.get(organisation__tax_code=tax_code, user=offerer)
    assert membership.role == MembershipRole.DELEGATE
    assert membership.proxy_document.name.endswith(".pdf")


def test_proxy_that_is_not_a_pdf_is_refused(offerer_client, make_tax_code):
    data = _organisation_data(make_tax_code(), membership_role=MembershipRole.DELEGATE)
    data["proxy_document"] = SimpleUploadedFile("procura.pdf", b"plain text, not a PDF", content_type="application/pdf")

    response = offerer_client.post(reverse("accounts:organisation_create"), data)

    assert response.status_code == 200
    assert "non è di un tipo ammesso" in response.content.decode()
    assert not Organisation.objects.exists()


def test_proxy_pdf_with_javascript_is_refused_with_an_italian_message(offerer_client, make_tax_code):
    from tests.core.pdf_samples import JAVASCRIPT_ON_OPEN

    data = _organisation_data(make_tax_code(), membership_role=MembershipRole.DELEGATE)
    data["proxy_document"] = SimpleUploadedFile("procura.pdf", JAVASCRIPT_ON_OPEN, content_type="application/pdf")

    response = offerer_client.post(reverse("accounts:organisation_create"), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Il file «procura.pdf» contiene codice JavaScript e azioni eseguite in automatico," in content
    assert "Salva come PDF" in content
    assert not Organisation.objects.exists()


def test_duplicate_organisation_tax_code_points_to_the_legal_representative(offerer_client, offerer, make_tax_code):
    existing = OrganisationFactory(tax_code=make_tax_code())

    response = offerer_client.post(reverse("accounts:organisation_create"), _organisation_data(existing.tax_code))

    assert response.status_code == 200
    content = response.content.decode()
    assert "con questo codice fiscale è già registrata" in content
    assert "Chiedi al suo legale rappresentante di aggiungerti" in content
    assert Organisation.objects.count() == 1
    assert not Membership.objects.filter(user=offerer).exists()
