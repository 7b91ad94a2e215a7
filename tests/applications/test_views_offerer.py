"""The offerer's journey through the form, by HTTP, with drafts, partial saves and uploads."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationStatus, Attachment
from housingmix.core.models import AuditEvent
from properties.models import HousingUnit

from .conftest import pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)


def _start(client, notice) -> Application:
    response = client.post(reverse("applications:start", kwargs={"slug": notice.slug}), {"on_behalf_of": "person"})
    assert response.status_code == 302
    return Application.objects.latest("pk")


def _unit_data(lodi, **extra):
    data = {
        "street": "Via Roma",
        "street_number": "12",
        "comune": lodi.pk,
        "postcode": "26900",
        "cadastral_sheet": "12",
        "cadastral_parcel": "345",
        "cadastral_sub": "7",
        "cadastral_category": "A/3",
        "cadastral_class": "2",
        "cadastral_income": "512,30",
        "surface_m2": "1.234,5",
        "rooms": "4,5",
        "bedrooms": "2",
        "bathrooms": "1",
        "beds": "4",
        "floor": "1",
        "has_lift": "True",
        "step_free": "False",
        "heating": "autonomous",
        "energy_class": "D",
        "ape_code": "1234567890",
        "ape_expiry": (timezone.localdate() + timedelta(days=400)).strftime("%d/%m/%Y"),
        "furnishing": "furnished",
        "condition": "good",
        "has_habitability": "True",
        "electric_compliant": "True",
        "gas_compliant": "True",
        "occupancy": "free",
        "condo_fees_month": "80",
        "next": "1",
    }
    data.update(extra)
    return data


def _fill_complete(client, application, lodi):
    ref = application.reference
    client.post(
        reverse("applications:offerer", kwargs={"ref": ref}),
        {
            "offerer_name": "Maria Rossi",
            "offerer_tax_code": application.offerer_tax_code,
            "offerer_address": "Via Garibaldi 3",
            "offerer_postcode": "26900",
            "offerer_city": "Lodi",
            "offerer_province": "lo",
            "signatory_first_name": "Maria",
            "signatory_last_name": "Rossi",
            "signatory_tax_code": application.offerer_tax_code,
            "signatory_role": "owner",
            "id_document_type": "id_card",
            "id_document_number": "CA12345AB",
            "id_document_expiry": (timezone.localdate() + timedelta(days=900)).strftime("%d/%m/%Y"),
            "email": "maria@example.org",
            "phone": "0371 123456",
            "next": "1",
        },
    )
    client.post(reverse("applications:units", kwargs={"ref": ref}))
    unit = HousingUnit.objects.get(application=application)
    response = client.post(
        reverse("applications:unit_data", kwargs={"ref": ref, "unit": unit.pk}), _unit_data(lodi, surface_m2="68,5")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(
        reverse("applications:unit_terms", kwargs={"ref": ref, "unit": unit.pk}),
        {
            "availability_form": "lease_agreed",
            "monthly_rent": "1.250,00",
            "available_from": "01/03/2027",
            "duration_months": "60",
            "renewable": "True",
            "targets": ["families", "elderly"],
            "co_housing": "False",
            "guarantees": ["rent_fund"],
            "next": "1",
        },
    )
    client.post(
        reverse("applications:unit_photo", kwargs={"ref": ref, "unit": unit.pk}),
        {"file": png_upload(), "description": "Soggiorno"},
    )
    for kind in ("id_document", "cadastral_survey", "floor_plan", "title_deed"):
        response = client.post(
            reverse("applications:attachments", kwargs={"ref": ref}), {"kind": kind, "unit": "", "file": pdf_upload()}
        )
        assert response.status_code == 302
    client.post(
        reverse("applications:declarations", kwargs={"ref": ref}),
        {
            "declares_truthful": "on",
            "declares_title": "on",
            "accepts_checks": "on",
            "accepts_terms": "on",
            "privacy_read": "on",
            "signature_mode": "authenticated",
            "next": "1",
        },
    )
    return unit


def test_full_journey_saves_every_step_and_submits_with_protocol(client, offerer, open_notice, lodi):
    _login(client, offerer)
    application = _start(client, open_notice)
    assert application.offerer_type == "person"
    assert application.offerer_tax_code == offerer.tax_code  # prefilled from the account
    unit = _fill_complete(client, application, lodi)
    unit.refresh_from_db()
    assert str(unit.monthly_rent) == "1250.00"  # Italian notation accepted
    assert str(unit.cadastral_income) == "512.30"
    assert unit.targets == ["families", "elderly"]
    summary = client.get(reverse("applications:summary", kwargs={"ref": application.reference}))
    assert "Mancano ancora" not in summary.content.decode()
    response = client.post(reverse("applications:summary", kwargs={"ref": application.reference}))
    assert response.status_code == 302
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.protocol.display_number == "0000001/%d" % timezone.localdate().year
    detail = client.get(application.get_absolute_url()).content.decode()
    assert application.protocol.display_number in detail
    assert application.package_sha256 in detail


def test_invalid_step_keeps_typed_values_and_saves_the_valid_ones(client, offerer, open_notice, lodi):
    _login(client, offerer)
    application = _start(client, open_notice)
    client.post(reverse("applications:units", kwargs={"ref": application.reference}))
    unit = HousingUnit.objects.get()
    url = reverse("applications:unit_data", kwargs={"ref": application.reference, "unit": unit.pk})
    response = client.post(url, _unit_data(lodi, postcode="20100", surface_m2="-3", beds="tanti"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Il CAP 20100 non appartiene al comune di Lodi" in page
    assert "Indica una superficie tra 14 e 2.000 m²" in page
    assert 'value="tanti"' in page  # what was typed is still in the form
    assert 'value="Via Roma"' in page
    unit.refresh_from_db()
    assert unit.street == "Via Roma" and unit.cadastral_sheet == "12"  # valid fields were saved
    assert unit.postcode == "" and unit.surface_m2 is None and unit.beds is None


def test_wrong_file_type_is_refused_with_a_message_and_keeps_the_description(client, offerer, open_notice):
    _login(client, offerer)
    application = _start(client, open_notice)
    url = reverse("applications:attachments", kwargs={"ref": application.reference})
    fake = pdf_upload("virus.pdf")
    fake.file.write(b"")
    fake = type(fake)("programma.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(url, {"kind": "id_document", "unit": "", "description": "Carta d'identità", "file": fake})
    assert response.status_code == 400
    page = response.content.decode()
    assert "non è di un tipo ammesso" in page
    assert 'value="Carta d&#39;identità"' in page  # the description typed, kept (escaped)
    assert not Attachment.objects.exists()
    # The same over XHR (progress bar): JSON with the message, nothing stored.
    fake.seek(0)
    response = client.post(url, {"kind": "id_document", "file": fake}, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 400
    assert "non è di un tipo ammesso" in response.json()["errors"][0]["messages"][0]


def test_submit_lists_every_missing_item_with_links(client, offerer, open_notice):
    _login(client, offerer)
    application = _start(client, open_notice)
    response = client.post(reverse("applications:summary", kwargs={"ref": application.reference}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Aggiungi almeno un alloggio" in page
    assert "Rendi tutte le dichiarazioni richieste" in page
    assert "Documento d&#x27;identità del firmatario" in page
    assert reverse("applications:declarations", kwargs={"ref": application.reference}) in page
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.DRAFT and application.protocol is None


def test_submitted_content_is_frozen(client, offerer, open_notice, lodi):
    _login(client, offerer)
    application = _start(client, open_notice)
    unit = _fill_complete(client, application, lodi)
    client.post(reverse("applications:summary", kwargs={"ref": application.reference}))
    response = client.post(
        reverse("applications:unit_data", kwargs={"ref": application.reference, "unit": unit.pk}),
        _unit_data(lodi, street="Via Cambiata"),
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.street == "Via Roma"
    response = client.post(
        reverse("applications:attachments", kwargs={"ref": application.reference}),
        {"kind": "other", "file": pdf_upload()},
    )
    assert response.status_code == 302
    assert Attachment.objects.filter(kind="other").count() == 0
    # A second submission (double click) changes nothing and burns no number.
    client.post(reverse("applications:summary", kwargs={"ref": application.reference}))
    application = Application.objects.get(pk=application.pk)
    assert application.protocol.number == 1
    assert AuditEvent.objects.filter(verb="application.submitted").count() == 1


def test_another_offerer_gets_404_everywhere(client, offerer, open_notice, lodi):
    from tests.accounts.factories import UserFactory

    _login(client, offerer)
    application = _start(client, open_notice)
    unit = _fill_complete(client, application, lodi)
    attachment = Attachment.objects.filter(kind="photo").first()
    client.logout()
    intruder = UserFactory(offerer=True)
    _login(client, intruder)
    ref = application.reference
    urls = [
        reverse("applications:detail", kwargs={"ref": ref}),
        reverse("applications:offerer", kwargs={"ref": ref}),
        reverse("applications:unit_data", kwargs={"ref": ref, "unit": unit.pk}),
        reverse("applications:unit_terms", kwargs={"ref": ref, "unit": unit.pk}),
        reverse("applications:attachments", kwargs={"ref": ref}),
        reverse("applications:summary", kwargs={"ref": ref}),
        reverse("applications:thumbnail", kwargs={"ref": ref, "pk": attachment.pk}),
        reverse("applications:attachment", kwargs={"ref": ref, "pk": attachment.pk, "filename": attachment.filename}),
        reverse("applications:withdraw", kwargs={"ref": ref}),
        reverse("applications:delete", kwargs={"ref": ref}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"street": "X", "reason": "x"}).status_code == 404, url
    assert client.post(reverse("applications:unit_duplicate", kwargs={"ref": ref, "unit": unit.pk})).status_code == 404
    # Id guessing inside one's own draft: someone else's unit or attachment is not found either.
    own = _start(client, open_notice)
    assert (
        client.get(reverse("applications:unit_data", kwargs={"ref": own.reference, "unit": unit.pk})).status_code == 404
    )
    guess = reverse("applications:thumbnail", kwargs={"ref": own.reference, "pk": attachment.pk})
    assert client.get(guess).status_code == 404
    response = client.post(
        reverse("applications:attachment_remove", kwargs={"ref": own.reference, "pk": attachment.pk})
    )
    assert response.status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    unit.refresh_from_db()
    assert unit.street == "Via Roma"
    assert intruder.email not in str(list(Application.objects.filter(created_by=offerer).values()))


def test_units_can_be_duplicated_and_removed(client, offerer, open_notice, lodi):
    _login(client, offerer)
    application = _start(client, open_notice)
    unit = _fill_complete(client, application, lodi)
    unit.refresh_from_db()
    client.post(reverse("applications:unit_duplicate", kwargs={"ref": application.reference, "unit": unit.pk}))
    copy = HousingUnit.objects.exclude(pk=unit.pk).get()
    assert copy.position == 2 and copy.street == "Via Roma" and copy.monthly_rent == unit.monthly_rent
    assert copy.cadastral_sub == ""  # the copy needs its own subalterno
    response = client.post(reverse("applications:unit_remove", kwargs={"ref": application.reference, "unit": unit.pk}))
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.position == 1
    assert not Attachment.objects.filter(kind="photo").exists()  # the photo went with its unit


def test_closed_notice_refuses_submission(client, offerer, open_notice, lodi):
    _login(client, offerer)
    application = _start(client, open_notice)
    _fill_complete(client, application, lodi)
    open_notice.closes_at = timezone.now() - timedelta(minutes=1)
    open_notice.save()
    response = client.post(reverse("applications:summary", kwargs={"ref": application.reference}))
    assert response.status_code == 400
    assert "L&#x27;avviso non è aperto" in response.content.decode()
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.DRAFT


def test_offerer_area_lists_drafts_and_submissions(client, offerer, open_notice):
    _login(client, offerer)
    _start(client, open_notice)
    page = client.get(reverse("applications:list")).content.decode()
    assert open_notice.title in page
    assert "Bozza" in page
    assert "Completa e presenta" in page


def test_offerer_withdraws_with_a_reason_and_it_is_recorded(client, offerer, open_notice, lodi):
    _login(client, offerer)
    application = _start(client, open_notice)
    _fill_complete(client, application, lodi)
    url = reverse("applications:withdraw", kwargs={"ref": application.reference})
    assert client.get(url).status_code == 302  # a draft is deleted, not withdrawn
    client.post(reverse("applications:summary", kwargs={"ref": application.reference}))
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert "Questo campo è obbligatorio." in response.content.decode()
    response = client.post(url, {"reason": "Ho venduto l'alloggio"})
    assert response.status_code == 302
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.WITHDRAWN
    event = AuditEvent.objects.get(verb="application.withdrawn")
    assert event.reason == "Ho venduto l'alloggio" and event.actor == offerer
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Ritirata" in page and "Ho venduto l&#x27;alloggio" in page
    assert "Ritira la manifestazione" not in page


def test_staff_reading_a_manifestation_is_audited(client, offerer, open_notice, lodi):
    from tests.accounts.factories import UserFactory

    _login(client, offerer)
    application = _start(client, open_notice)
    client.logout()
    staff = UserFactory(staff=True)
    client.force_login(staff)
    # A draft is the offerer's alone (tests/applications/test_draft_privacy.py) ...
    assert client.get(application.get_absolute_url()).status_code == 404
    _login(client, offerer)
    _fill_complete(client, application, lodi)
    assert client.post(reverse("applications:summary", kwargs={"ref": application.reference})).status_code == 302
    client.logout()
    # ... once submitted, the staff read it and the reading is audited.
    client.force_login(staff)
    assert client.get(application.get_absolute_url()).status_code == 200
    event = AuditEvent.objects.get(verb="application.viewed")
    assert event.actor == staff and event.object_id == str(application.pk)


def test_draft_can_be_deleted_with_its_files(client, offerer, open_notice, lodi, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    _login(client, offerer)
    application = _start(client, open_notice)
    _fill_complete(client, application, lodi)
    names = [a.file.name for a in Attachment.objects.all()]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:delete", kwargs={"ref": application.reference}))
    assert response.status_code == 302
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_offerer_pages_are_never_cached(client, offerer, open_notice):
    _login(client, offerer)
    application = _start(client, open_notice)
    for url in (reverse("applications:list"), application.get_absolute_url()):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_receipt_is_downloaded_by_its_owner_only(client, django_capture_on_commit_callbacks):
    from housingmix.core.documents import documents_of
    from tests.accounts.factories import UserFactory
    from tests.applications.factories import ApplicationFactory

    with django_capture_on_commit_callbacks(execute=True):
        application = ApplicationFactory(submitted=True)
    receipt = documents_of(application, kinds=["receipt"]).get()
    url = reverse("applications:generated", kwargs={"ref": application.reference, "pk": receipt.pk})
    client.force_login(UserFactory(offerer=True))
    assert client.get(url).status_code == 404
    other = ApplicationFactory(complete=True)
    guess = reverse("applications:generated", kwargs={"ref": other.reference, "pk": receipt.pk})
    client.force_login(other.created_by)
    assert client.get(guess).status_code == 404  # a real reference of one's own, someone else's receipt id
    client.force_login(application.created_by)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
