"""Uploads of a draft as the offerer meets them (issue 18): the photo slot takes images only,
each refusal of ``attachment_add``, removal over HTTP, thumbnails without EXIF/GPS."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from applications.models import Attachment, AttachmentKind
from applications.services import attachment_add
from housingmix.core.models import AuditEvent
from tests.applications.factories import ApplicationFactory, HousingUnitFactory, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    application = ApplicationFactory()
    HousingUnitFactory(application=application, position=1)
    return application


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Fotocamera di casa"  # Make
    exif[0x8825] = {1: "N", 2: (45.0, 18.0, 36.0), 3: "E", 4: (9.0, 30.0, 0.0)}  # GPS, near Lodi
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _pdf(name="foto.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def test_photo_slot_refuses_a_pdf(client, login, draft):
    unit = draft.units.get()
    c = login(draft.created_by)
    url = reverse("applications:unit_photo", kwargs={"ref": draft.reference, "unit": unit.pk})
    response = c.post(url, {"file": _pdf(), "description": "Soggiorno"}, follow=True)
    assert response.status_code == 200
    assert "non è di un tipo ammesso" in response.content.decode()
    assert not Attachment.objects.exists()
    # A photo chosen on the attachments page: the same rule.
    response = c.post(
        reverse("applications:attachments", kwargs={"ref": draft.reference}),
        {"kind": AttachmentKind.PHOTO, "unit": unit.pk, "file": _pdf()},
    )
    assert response.status_code == 400
    assert "non è di un tipo ammesso" in response.content.decode()
    assert not Attachment.objects.exists()
    # A PDF as a document is fine.
    response = c.post(
        reverse("applications:attachments", kwargs={"ref": draft.reference}),
        {"kind": AttachmentKind.FLOOR_PLAN, "unit": unit.pk, "file": _pdf("planimetria.pdf")},
    )
    assert response.status_code == 302
    assert Attachment.objects.get().kind == AttachmentKind.FLOOR_PLAN


def test_photo_without_a_unit_is_refused_with_a_message(client, login, draft):
    response = login(draft.created_by).post(
        reverse("applications:attachments", kwargs={"ref": draft.reference}),
        {"kind": AttachmentKind.PHOTO, "unit": "", "file": upload(AttachmentKind.PHOTO)},
    )
    assert response.status_code == 400
    assert "Indica a quale alloggio si riferisce la fotografia" in response.content.decode()
    assert not Attachment.objects.exists()
    with pytest.raises(ValidationError) as error:
        attachment_add(application=draft, by=draft.created_by, upload=upload(AttachmentKind.PHOTO), kind="photo")
    assert "unit" in error.value.message_dict


def test_invalid_kind_is_refused(client, login, draft):
    response = login(draft.created_by).post(
        reverse("applications:attachments", kwargs={"ref": draft.reference}),
        {"kind": "virus", "unit": "", "file": _pdf()},
    )
    assert response.status_code == 400
    assert not Attachment.objects.exists()
    with pytest.raises(ValidationError) as error:
        attachment_add(application=draft, by=draft.created_by, upload=_pdf(), kind="virus")
    assert error.value.message_dict == {"kind": ["Scegli il tipo di documento."]}
    assert not Attachment.objects.exists()


def test_unit_of_another_manifestation_is_refused(client, login, draft):
    other_unit = HousingUnitFactory(application=ApplicationFactory(), position=1)
    response = login(draft.created_by).post(
        reverse("applications:attachments", kwargs={"ref": draft.reference}),
        {"kind": AttachmentKind.FLOOR_PLAN, "unit": other_unit.pk, "file": _pdf()},
    )
    assert response.status_code == 400
    assert not Attachment.objects.exists()
    with pytest.raises(PermissionDenied):
        attachment_add(
            application=draft, by=draft.created_by, upload=_pdf(), kind=AttachmentKind.FLOOR_PLAN, unit=other_unit
        )
    assert not Attachment.objects.exists()


def test_corrupt_image_is_refused(client, login, draft):
    unit = draft.units.get()
    corrupt = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 40, content_type="image/png")
    response = login(draft.created_by).post(
        reverse("applications:unit_photo", kwargs={"ref": draft.reference, "unit": unit.pk}),
        {"file": corrupt},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 400
    assert response.json()["errors"]
    assert not Attachment.objects.exists()


def test_attachment_removed_over_http_with_its_files(client, login, draft, django_capture_on_commit_callbacks):
    unit = draft.units.get()
    photo = attachment_add(
        application=draft, by=draft.created_by, upload=upload(AttachmentKind.PHOTO), kind="photo", unit=unit
    )
    names = [photo.file.name, photo.thumbnail.name]
    assert all(default_storage.exists(name) for name in names)
    c = login(draft.created_by)
    url = reverse("applications:attachment_remove", kwargs={"ref": draft.reference, "pk": photo.pk})
    assert c.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(url, {"back": "unit"})
    assert response.status_code == 302
    assert response["Location"].endswith("#photos")
    assert not Attachment.objects.filter(pk=photo.pk).exists()
    assert not any(default_storage.exists(name) for name in names)
    assert AuditEvent.objects.filter(verb="application.attachment_removed", object_id=str(draft.pk)).exists()


def test_attachment_remove_refused_to_others_and_after_submission(client, login):
    submitted = ApplicationFactory(submitted=True)
    attachment = submitted.attachments.first()
    url = reverse("applications:attachment_remove", kwargs={"ref": submitted.reference, "pk": attachment.pk})
    response = login(submitted.created_by).post(url)
    assert response.status_code == 302 and response["Location"] == submitted.get_absolute_url()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    draft = ApplicationFactory(complete=True)
    attachment = draft.attachments.first()
    url = reverse("applications:attachment_remove", kwargs={"ref": draft.reference, "pk": attachment.pk})
    assert login(submitted.created_by).post(url).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_thumbnail_served_to_the_offerer_has_no_exif_and_no_gps(client, login, draft):
    unit = draft.units.get()
    c = login(draft.created_by)
    photo = SimpleUploadedFile("foto.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    response = c.post(
        reverse("applications:unit_photo", kwargs={"ref": draft.reference, "unit": unit.pk}), {"file": photo}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    with default_storage.open(attachment.file.name) as stored, Image.open(stored) as original:
        assert original.getexif().get(0x8825)  # the original keeps what the offerer sent
    response = c.get(reverse("applications:thumbnail", kwargs={"ref": draft.reference, "pk": attachment.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    with Image.open(io.BytesIO(body)) as thumb:
        assert not thumb.getexif()
        assert "exif" not in thumb.info
        assert max(thumb.size) < 640
    assert b"Fotocamera di casa" not in body and b"Exif" not in body
