"""The offerer's pages at their edges, by HTTP: who may start, what a frozen manifestation
answers on every editing page, partial saves, confirmations and the upload answers."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from applications.models import Application, ApplicationStatus, Attachment, AttachmentKind
from housingmix.accounts.roles import Role
from properties.models import HousingUnit
from tests.accounts.factories import UserFactory
from tests.applications.conftest import png_upload
from tests.applications.factories import ApplicationFactory, HousingUnitFactory
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db

FROZEN = "La manifestazione è stata presentata: il suo contenuto non è più modificabile."
PARTIAL = "Abbiamo salvato i dati corretti: correggi i campi segnalati."


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def draft(db):
    application = ApplicationFactory()
    HousingUnitFactory(application=application, position=1)
    return application


@pytest.fixture
def submitted(db):
    return ApplicationFactory(submitted=True)


def test_start_is_refused_to_an_account_without_the_offerer_role(client, login, open_notice):
    login(UserFactory(roles=[Role.SOCIAL_WORKER]))
    response = client.get(reverse("applications:start", kwargs={"slug": open_notice.slug}))
    assert response.status_code == 302
    assert response.url == open_notice.get_absolute_url()
    assert _messages(response) == [
        "Solo chi si registra come offerente può presentare una manifestazione di interesse."
    ]


def test_start_is_refused_on_a_notice_that_is_closed(client, login, offerer):
    notice = NoticeFactory(expired=True)
    login(offerer)
    response = client.post(reverse("applications:start", kwargs={"slug": notice.slug}), {"on_behalf_of": "person"})
    assert response.status_code == 302
    assert _messages(response) == ["Questo avviso non accetta manifestazioni di interesse in questo momento."]
    assert not Application.objects.filter(created_by=offerer).exists()


def test_start_page_shows_the_choice_of_whom_to_act_for(client, login, offerer, open_notice):
    login(offerer)
    response = client.get(reverse("applications:start", kwargs={"slug": open_notice.slug}))
    assert response.status_code == 200
    assert response.context["form"].fields["on_behalf_of"]
    assert response.context["draft"] is None


@pytest.mark.parametrize(
    ("name", "method", "unit"),
    [
        ("applications:offerer", "get", False),
        ("applications:units", "post", False),
        ("applications:unit_data", "get", True),
        ("applications:unit_terms", "post", True),
        ("applications:unit_duplicate", "post", True),
        ("applications:unit_remove", "post", True),
        ("applications:unit_photo", "post", True),
        ("applications:attachments", "get", False),
        ("applications:declarations", "post", False),
        ("applications:delete", "post", False),
    ],
)
def test_every_editing_page_of_a_submitted_manifestation_explains_and_changes_nothing(
    client, login, submitted, name, method, unit
):
    login(submitted.created_by)
    kwargs = {"ref": submitted.reference}
    if unit:
        kwargs["unit"] = submitted.units.get().pk
    units_before = submitted.units.count()
    response = getattr(client, method)(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response.url == submitted.get_absolute_url()
    assert _messages(response) == [FROZEN]
    assert Application.objects.get(pk=submitted.pk).status == ApplicationStatus.SUBMITTED
    assert submitted.units.count() == units_before


def test_invalid_offerer_step_saves_the_valid_fields_and_warns(client, login, draft):
    login(draft.created_by)
    url = reverse("applications:offerer", kwargs={"ref": draft.reference})
    response = client.post(url, {"offerer_address": "Via Garibaldi 3", "offerer_postcode": "ABC"})
    assert response.status_code == 200
    assert PARTIAL in _messages(response)
    assert "offerer_postcode" in response.context["form"].errors
    saved = Application.objects.get(pk=draft.pk)
    assert saved.offerer_address == "Via Garibaldi 3"
    assert saved.offerer_postcode == ""


def test_units_step_lists_the_units_in_order(client, login, draft):
    HousingUnitFactory(application=draft, position=2)
    login(draft.created_by)
    response = client.get(reverse("applications:units", kwargs={"ref": draft.reference}))
    assert response.status_code == 200
    assert [u.position for u in response.context["units"]] == [1, 2]


def test_photo_uploaded_with_valid_unit_data_saves_both_and_returns_to_the_photos(client, login, draft, lodi):
    from tests.applications.test_views_offerer import _unit_data

    unit = draft.units.get()
    login(draft.created_by)
    url = reverse("applications:unit_data", kwargs={"ref": draft.reference, "unit": unit.pk})
    data = _unit_data(lodi, upload_photo="1", **{"photo-file": png_upload(), "photo-description": "Cucina"})
    data.pop("next")
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == url + "#photos"
    assert _messages(response) == ["Fotografia caricata e bozza salvata."]
    photo = Attachment.objects.get(unit=unit)
    assert photo.kind == AttachmentKind.PHOTO  # whatever kind the post claimed
    assert photo.description == "Cucina"
    unit.refresh_from_db()
    assert unit.street == "Via Roma"


def test_photo_uploaded_with_invalid_unit_data_is_kept_and_the_form_warns(client, login, draft):
    unit = draft.units.get()
    login(draft.created_by)
    url = reverse("applications:unit_data", kwargs={"ref": draft.reference, "unit": unit.pk})
    response = client.post(
        url, {"street": "Via Milano", "postcode": "XX", "upload_photo": "1", "photo-file": png_upload()}
    )
    assert response.status_code == 200
    assert _messages(response) == ["Fotografia caricata e bozza salvata.", PARTIAL]
    assert Attachment.objects.filter(unit=unit, kind=AttachmentKind.PHOTO).count() == 1
    assert not response.context["photo_form"].is_bound  # a fresh slot for the next photo
    unit.refresh_from_db()
    assert unit.street == "Via Milano"


def test_refused_photo_on_the_unit_data_step_answers_400_with_the_reason(client, login, draft):
    unit = draft.units.get()
    login(draft.created_by)
    url = reverse("applications:unit_data", kwargs={"ref": draft.reference, "unit": unit.pk})
    response = client.post(url, {"street": "Via Milano", "postcode": "XX", "upload_photo": "1"})
    assert response.status_code == 400
    assert _messages(response) == ["Questo campo è obbligatorio.", PARTIAL]  # the missing file, the partial save
    assert not Attachment.objects.exists()
    unit.refresh_from_db()
    assert unit.street == "Via Milano"  # typed data saved anyway


def test_invalid_unit_terms_save_the_valid_fields_and_warn(client, login, draft):
    unit = draft.units.get()
    login(draft.created_by)
    url = reverse("applications:unit_terms", kwargs={"ref": draft.reference, "unit": unit.pk})
    response = client.post(url, {"monthly_rent": "non so", "duration_months": "48"})
    assert response.status_code == 200
    assert PARTIAL in _messages(response)
    assert "monthly_rent" in response.context["form"].errors
    unit.refresh_from_db()
    assert unit.duration_months == 48


def test_unit_remove_asks_for_confirmation_first(client, login, draft):
    unit = draft.units.get()
    login(draft.created_by)
    response = client.get(reverse("applications:unit_remove", kwargs={"ref": draft.reference, "unit": unit.pk}))
    assert response.status_code == 200
    assert response.context["unit"] == unit
    assert HousingUnit.objects.filter(pk=unit.pk).exists()


def test_unit_photo_page_by_get_goes_back_to_the_unit(client, login, draft):
    unit = draft.units.get()
    login(draft.created_by)
    response = client.get(reverse("applications:unit_photo", kwargs={"ref": draft.reference, "unit": unit.pk}))
    assert response.status_code == 302
    assert response.url == reverse("applications:unit_data", kwargs={"ref": draft.reference, "unit": unit.pk})


def test_upload_for_a_unit_id_that_is_not_of_this_draft_is_refused(client, login, draft):
    login(draft.created_by)
    response = client.post(
        reverse("applications:attachments", kwargs={"ref": draft.reference}),
        {"kind": AttachmentKind.PHOTO, "unit": "999999", "file": png_upload()},
    )
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert not Attachment.objects.exists()


def test_xhr_upload_answers_json_with_where_to_go(client, login, draft):
    unit = draft.units.get()
    login(draft.created_by)
    response = client.post(
        reverse("applications:unit_photo", kwargs={"ref": draft.reference, "unit": unit.pk}),
        {"file": png_upload()},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    url = reverse("applications:unit_data", kwargs={"ref": draft.reference, "unit": unit.pk}) + "#photos"
    assert response.json() == {"ok": True, "redirect": url}
    assert Attachment.objects.filter(unit=unit).count() == 1


def test_photo_removed_from_the_unit_page_goes_back_to_its_photos(client, login, draft):
    unit = draft.units.get()
    login(draft.created_by)
    client.post(
        reverse("applications:unit_photo", kwargs={"ref": draft.reference, "unit": unit.pk}), {"file": png_upload()}
    )
    photo = Attachment.objects.get(unit=unit)
    response = client.post(
        reverse("applications:attachment_remove", kwargs={"ref": draft.reference, "pk": photo.pk}), {"back": "unit"}
    )
    assert response.status_code == 302
    assert (
        response.url == reverse("applications:unit_data", kwargs={"ref": draft.reference, "unit": unit.pk}) + "#photos"
    )
    assert not Attachment.objects.exists()


def test_thumbnail_of_a_document_without_one_is_404(client, login):
    application = ApplicationFactory(complete=True)
    document = application.attachments.filter(kind=AttachmentKind.ID_DOCUMENT).get()
    assert not document.thumbnail
    login(application.created_by)
    response = client.get(reverse("applications:thumbnail", kwargs={"ref": application.reference, "pk": document.pk}))
    assert response.status_code == 404


def test_withdraw_by_a_reader_who_is_not_the_owner_is_404(client, login, submitted):
    login(UserFactory(staff=True))
    response = client.get(reverse("applications:withdraw", kwargs={"ref": submitted.reference}))
    assert response.status_code == 404
    assert Application.objects.get(pk=submitted.pk).status == ApplicationStatus.SUBMITTED


def test_draft_delete_asks_for_confirmation_first(client, login, draft):
    login(draft.created_by)
    response = client.get(reverse("applications:delete", kwargs={"ref": draft.reference}))
    assert response.status_code == 200
    assert response.context["application"] == draft
    assert Application.objects.filter(pk=draft.pk).exists()


def test_document_removed_from_the_attachments_page_goes_back_there(client, login):
    application = ApplicationFactory(complete=True)
    document = application.attachments.get(kind=AttachmentKind.ID_DOCUMENT)
    login(application.created_by)
    response = client.post(
        reverse("applications:attachment_remove", kwargs={"ref": application.reference, "pk": document.pk})
    )
    assert response.status_code == 302
    assert response.url == reverse("applications:attachments", kwargs={"ref": application.reference})
    assert _messages(response) == ["Documento eliminato dalla bozza."]
    assert not application.attachments.filter(pk=document.pk).exists()
