"""The one upload store: content checks per policy, size, safe names, thumbnails without metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from housingmix.core import uploads
from tests.applications.factories import pdf_bytes


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Fotocamera di casa"  # Make
    gps = {1: "N", 2: (45.0, 18.0, 36.0), 3: "E", 4: (9.0, 30.0, 0.0)}  # near Lodi
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _upload(content: bytes, name: str = "file.bin", content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_photo_policy_refuses_a_pdf_and_documents_accept_it():
    with pytest.raises(ValidationError, match="non è di un tipo ammesso"):
        uploads.accept(_upload(pdf_bytes(), "foto.jpg", "image/jpeg"), policy=uploads.IMAGES)
    accepted = uploads.accept(_upload(pdf_bytes(), "Visura Catastale.PDF"), policy=uploads.DOCUMENTS)
    assert accepted.mime == "application/pdf" and accepted.thumbnail is None
    assert accepted.filename == "visura-catastale.pdf"


def test_type_is_read_from_the_content_not_the_name():
    with pytest.raises(ValidationError):
        uploads.accept(
            _upload(b"MZ\x90\x00 not a pdf at all" * 10, "documento.pdf", "application/pdf"), policy=uploads.DOCUMENTS
        )


def test_empty_and_oversized_files_are_refused_with_their_names(settings):
    with pytest.raises(ValidationError, match="vuoto"):
        uploads.accept(_upload(b"", "vuoto.pdf"), policy=uploads.DOCUMENTS)
    settings.APPLICATION_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="il limite è"):
        uploads.accept(_upload(pdf_bytes(), "grande.pdf"), policy=uploads.DOCUMENTS)


def test_thumbnail_carries_no_exif_and_no_gps():
    original = _jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get(0x8825)  # the original has a GPS block
    accepted = uploads.accept(_upload(original, "casa.jpg", "image/jpeg"), policy=uploads.IMAGES)
    with Image.open(io.BytesIO(accepted.thumbnail)) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) <= 480
        assert not thumb.getexif()
        assert "exif" not in thumb.info


def test_a_corrupt_image_is_refused():
    broken = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    with pytest.raises(ValidationError, match="danneggiata"):
        uploads.accept(_upload(broken, "rotta.png", "image/png"), policy=uploads.IMAGES)


def test_signed_policy_takes_pdf_and_p7m_only():
    assert uploads.accept(_upload(pdf_bytes(), "atto.pdf"), policy=uploads.SIGNED).mime == "application/pdf"
    with pytest.raises(ValidationError):
        png = io.BytesIO()
        Image.new("RGB", (4, 4)).save(png, "PNG")
        uploads.accept(_upload(png.getvalue(), "atto.png"), policy=uploads.SIGNED)


@pytest.mark.django_db
def test_store_writes_random_names_never_the_uploader_s_file_name():
    from applications.models import Attachment
    from tests.applications.factories import ApplicationFactory

    application = ApplicationFactory()
    accepted = uploads.accept(_upload(_jpeg_with_gps(), "Casa di Mario Rossi.jpg", "image/jpeg"), policy=uploads.IMAGES)
    attachment = Attachment(
        application=application,
        kind="photo",
        filename=accepted.filename,
        content_type=accepted.mime,
        size=accepted.size,
        sha256=accepted.sha256,
    )
    uploads.store(attachment, accepted, thumbnail_field="thumbnail")
    attachment.save()
    assert attachment.file.name.startswith("private/applications/")
    assert "Rossi" not in attachment.file.name and "Rossi" not in attachment.thumbnail.name
    assert attachment.thumbnail.name.endswith(".jpg")


def test_random_path_is_stable_for_migrations():
    assert uploads.RandomPath("exports") == uploads.RandomPath("exports")
    assert uploads.RandomPath("exports") != uploads.RandomPath("exports", private=False)
    path = uploads.RandomPath("notices", private=False)(None, "avviso.pdf")
    assert path.startswith("notices/") and "avviso" not in path
