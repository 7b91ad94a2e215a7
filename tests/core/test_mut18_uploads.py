"""The upload checks word for word and on their edges: the refusals a user reads (empty, too
large, wrong type, damaged image), the size limit of each policy, signed files recognised by
content (DER or Base64, with or without the PEM lines), the fingerprint, the stored names, the
thumbnail's size and orientation, the download name, and the deletion of stored files."""

import base64
import hashlib
import io
import logging
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from housingmix.core import uploads
from tests.applications.factories import pdf_bytes
from tests.core import pdf_samples

OID = bytes.fromhex("06092a864886f70d010702")


def _upload(content: bytes, name: str = "file.bin"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _png(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _refusal(upload, policy):
    with pytest.raises(ValidationError) as error:
        uploads.accept(upload, policy=policy)
    return error.value.code, error.value.messages


# --- The refusals a user reads -----------------------------------------------------------


def test_an_empty_file_is_refused_by_name():
    assert _refusal(_upload(b"", "vuoto.pdf"), uploads.DOCUMENTS) == ("empty", ["Il file «vuoto.pdf» è vuoto."])


def test_a_file_over_the_policy_s_limit_is_refused_with_both_sizes_and_one_at_the_limit_is_taken(settings):
    body = pdf_bytes()
    settings.APPLICATION_UPLOAD_MAX_BYTES = len(body) - 1
    assert _refusal(_upload(body, "grande.pdf"), uploads.DOCUMENTS) == (
        "too_large",
        ["Il file «grande.pdf» pesa %d\xa0bytes: il limite è %d\xa0bytes." % (len(body), len(body) - 1)],
    )
    settings.APPLICATION_UPLOAD_MAX_BYTES = len(body)
    assert uploads.accept(_upload(body, "giusto.pdf"), policy=uploads.DOCUMENTS).size == len(body)


def test_each_policy_reads_its_own_limit(settings):
    settings.APPLICATION_UPLOAD_MAX_BYTES, settings.UPLOAD_MAX_BYTES = 10, 1000
    assert (uploads.DOCUMENTS.max_bytes, uploads.IMAGES.max_bytes, uploads.NOTICE.max_bytes) == (10, 10, 1000)
    assert uploads.accept(_upload(pdf_bytes(), "bando.pdf"), policy=uploads.NOTICE).mime == "application/pdf"
    # Without a limit of its own, a check falls back on the portal's.
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as error:
        uploads.validate_upload(_upload(pdf_bytes(), "bando.pdf"), allowed=uploads.NOTICE_TYPES)
    assert error.value.code == "too_large"


def test_a_file_of_another_type_is_refused_naming_the_types_allowed():
    assert _refusal(_upload(pdf_bytes(), "foto.jpg"), uploads.IMAGES) == (
        "bad_type",
        ["Il file «foto.jpg» non è di un tipo ammesso (ammessi: JPG, PNG)."],
    )
    assert _refusal(_upload(b"MZ\x90\x00" * 50, "atto.pdf"), uploads.SIGNED)[1] == [
        "Il file «atto.pdf» non è di un tipo ammesso (ammessi: P7M, PDF)."
    ]


def test_a_pdf_with_javascript_is_refused_and_a_clean_one_taken():
    with pytest.raises(ValidationError):
        uploads.accept(_upload(pdf_samples.JAVASCRIPT_ON_OPEN, "modulo.pdf"), policy=uploads.DOCUMENTS)
    assert uploads.accept(_upload(pdf_samples.CLEAN, "modulo.pdf"), policy=uploads.DOCUMENTS).mime == "application/pdf"


def test_a_damaged_image_is_refused_by_name():
    broken = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    assert _refusal(_upload(broken, "rotta.png"), uploads.IMAGES) == (
        "bad_image",
        ["L'immagine «rotta.png» è danneggiata o non leggibile."],
    )


# --- Signed files (CAdES .p7m) -------------------------------------------------------------


def _der(oid_at: int = 4, length_byte: int = 0x82) -> bytes:
    head = bytes([0x30, length_byte]) + b"\x01\x00"
    # The size of a real envelope (content, certificate, signature): well over a kilobyte.
    return head + b"\x02" * (oid_at - len(head)) + OID + b"\x04" * 2000


def test_a_der_envelope_is_recognised_when_its_type_is_in_the_first_64_bytes():
    assert uploads.sniff(_upload(_der())) == uploads.P7M
    assert uploads.sniff(_upload(_der(oid_at=64 - len(OID)))) == uploads.P7M
    assert uploads.sniff(_upload(_der(oid_at=65 - len(OID)))) != uploads.P7M
    assert uploads.sniff(_upload(b"\x31" + _der()[1:])) != uploads.P7M


def test_a_base64_envelope_is_recognised_with_or_without_the_pem_lines():
    text = base64.b64encode(_der())
    lines = b"\n".join(text[i : i + 64] for i in range(0, len(text), 64))
    assert text.startswith(b"MI")
    assert uploads.sniff(_upload(text)) == uploads.P7M
    assert uploads.sniff(_upload(b"  \n" + lines + b"\n")) == uploads.P7M
    assert uploads.sniff(_upload(b"-----BEGIN PKCS7-----\n" + lines + b"\n-----END PKCS7-----\n")) == uploads.P7M
    short = base64.b64encode(_der(length_byte=0x2A)[:48])  # a short DER: its Base64 starts with MC
    assert short.startswith(b"MC") and uploads.sniff(_upload(short)) == uploads.P7M
    # Base64 of a length not a multiple of four: the tail is left out, the envelope still read.
    assert uploads.sniff(_upload(text[:-3])) == uploads.P7M


def test_a_base64_envelope_is_read_across_its_lines_up_to_the_first_64_bytes():
    def pem(der):
        text = base64.b64encode(der)
        return b"\n".join(text[i : i + 64] for i in range(0, len(text), 64))

    # The type beyond the first line (48 bytes) of Base64: the lines are joined before decoding.
    assert uploads.sniff(_upload(pem(_der(oid_at=50)))) == uploads.P7M
    assert uploads.sniff(_upload(pem(_der(oid_at=64 - len(OID))))) == uploads.P7M
    assert uploads.sniff(_upload(pem(_der(oid_at=65 - len(OID))))) is None


def test_a_pem_envelope_shorter_than_a_kilobyte_is_recognised_with_its_end_line():
    der = _der()[:300]
    text = base64.b64encode(der)
    lines = b"\n".join(text[i : i + 64] for i in range(0, len(text), 64))
    assert uploads.sniff(_upload(b"-----BEGIN PKCS7-----\n" + lines + b"\n-----END PKCS7-----\n")) == uploads.P7M
    # Any other text after the Base64 is still no envelope.
    assert uploads.sniff(_upload(b"-----BEGIN PKCS7-----\n" + lines + b"\n-----END CERTIFICATE-----\n")) is None


def test_base64_with_stray_characters_is_no_envelope():
    text = base64.b64encode(_der())
    # Four of them, so that the rest would still decode if they were skipped instead of refused.
    assert uploads.sniff(_upload(text[:8] + b"!!!!" + text[8:])) is None


def test_a_file_object_without_tell_is_read_from_its_start():
    class Reader:
        def __init__(self, data):
            self.buffer = io.BytesIO(data)

        def seek(self, pos):
            self.buffer.seek(pos)

        def read(self, size=-1):
            return self.buffer.read(size)

    reader = Reader(pdf_bytes())
    assert uploads.sniff(reader) == "application/pdf"
    assert reader.read(5) == b"%PDF-"


def test_text_that_only_looks_like_base64_is_no_envelope():
    assert uploads.sniff(_upload(b"MI!!" + b"A" * 100)) is None
    assert uploads.sniff(_upload(base64.b64encode(b"\x30\x82\x01\x00" + b"\x02" * 300))) is None
    assert uploads.sniff(_upload(b"Mario Rossi, via Roma 1")) is None


def test_sniffing_leaves_the_file_where_it_was():
    upload = _upload(pdf_bytes())
    upload.seek(10)
    assert uploads.sniff(upload) == "application/pdf"
    assert upload.tell() == 10


# --- What is kept of an accepted file ------------------------------------------------------


def test_the_fingerprint_is_the_sha256_of_the_content_read_from_the_start():
    body = pdf_bytes("fingerprint")
    upload = _upload(body)
    upload.read(5)
    assert uploads.sha256_of(upload) == hashlib.sha256(body).hexdigest()
    assert upload.tell() == 0
    plain = io.BytesIO(body * 100)  # no chunks(): read in blocks
    assert uploads.sha256_of(plain) == hashlib.sha256(body * 100).hexdigest()


def test_an_accepted_file_carries_its_type_size_fingerprint_and_download_name():
    body = _png()
    accepted = uploads.accept(_upload(body, "Foto del Soggiorno.PNG"), policy=uploads.IMAGES)
    assert (accepted.mime, accepted.size, accepted.sha256) == ("image/png", len(body), hashlib.sha256(body).hexdigest())
    assert accepted.filename == "foto-del-soggiorno.png" and accepted.is_image
    document = uploads.accept(_upload(pdf_bytes(), "visura.pdf"), policy=uploads.DOCUMENTS)
    assert not document.is_image and document.thumbnail is None


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("Visura Catastale.PDF", "pdf", "visura-catastale.pdf"),
        ("archivio.tar.gz", "zip", "archiviotar.zip"),
        ("", "pdf", "documento.pdf"),
        (None, "pdf", "documento.pdf"),
        ("...", "png", "documento.png"),
        ("a" * 100 + ".pdf", "pdf", "a" * 80 + ".pdf"),
    ],
)
def test_the_download_name_is_the_uploader_s_slugified_with_the_detected_extension(name, extension, expected):
    assert uploads.safe_filename(name, extension) == expected


@time_machine.travel(datetime(2027, 3, 15, 10, tzinfo=UTC), tick=False)
def test_a_stored_name_is_random_under_its_folder_year_and_month():
    private = uploads.RandomPath("applications")(None, "Casa di Mario Rossi.jpg")
    public = uploads.RandomPath("notices", ".pdf", private=False)(None, "avviso.pdf")
    folder, year, month, name = private.removeprefix("private/").split("/")
    assert private.startswith("private/") and (folder, year, month) == ("applications", "2027", "03")
    assert len(name) == 32 and int(name, 16) >= 0
    assert (
        public.startswith("notices/2027/03/")
        and public.endswith(".pdf")
        and len(public) == len("notices/2027/03/") + 36
    )


def test_random_paths_are_equal_by_folder_suffix_and_privacy():
    same = uploads.RandomPath("generated", ".pdf")
    assert same == uploads.RandomPath("generated", ".pdf") and hash(same) == hash(
        uploads.RandomPath("generated", ".pdf")
    )
    assert same != uploads.RandomPath("generated")
    assert same != uploads.RandomPath("other", ".pdf")
    assert same != uploads.RandomPath("generated", ".pdf", private=False)
    assert same != "generated"
    assert len({same, uploads.RandomPath("generated", ".pdf"), uploads.RandomPath("generated")}) == 2


# --- Thumbnails ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "expected"), [((1000, 1000), (360, 360)), ((2000, 500), (480, 120)), ((40, 30), (40, 30))]
)
def test_a_thumbnail_fits_480_by_360(size, expected):
    upload = _upload(_png(size), "foto.png")
    thumb = uploads.thumbnail_bytes(upload)
    assert upload.tell() == 0
    with Image.open(io.BytesIO(thumb)) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", expected)


def test_a_transparent_png_gets_a_jpeg_thumbnail():
    out = io.BytesIO()
    Image.new("RGBA", (40, 30), (200, 30, 30, 100)).save(out, "PNG")
    accepted = uploads.accept(_upload(out.getvalue(), "logo.png"), policy=uploads.IMAGES)
    with Image.open(io.BytesIO(accepted.thumbnail)) as thumb:
        assert (thumb.format, thumb.mode, thumb.size) == ("JPEG", "RGB", (40, 30))


def test_a_thumbnail_is_turned_as_the_camera_was_held():
    image = Image.new("RGB", (640, 480), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    with Image.open(io.BytesIO(uploads.thumbnail_bytes(_upload(out.getvalue(), "foto.jpg")))) as thumb:
        assert thumb.size == (270, 360)


def test_a_thumbnail_is_a_plain_jpeg_of_moderate_quality():
    noisy = Image.effect_noise((480, 360), 80).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "PNG")
    thumb = uploads.thumbnail_bytes(_upload(out.getvalue(), "rumore.png"))
    again = io.BytesIO()
    noisy.save(again, "JPEG", quality=80)
    assert thumb == again.getvalue()


# --- Storing and deleting ------------------------------------------------------------------


class _Field:
    def __init__(self):
        self.saved = []

    def save(self, name, content, save=True):
        self.saved.append((name, content.read() if hasattr(content, "read") else content, save))


class _Record:
    def __init__(self):
        self.file, self.document, self.thumbnail = _Field(), _Field(), _Field()


def test_store_writes_the_file_and_the_thumbnail_into_the_named_fields_without_saving():
    photo = uploads.accept(_upload(_png(), "foto.png"), policy=uploads.IMAGES)
    record = _Record()
    uploads.store(record, photo, thumbnail_field="thumbnail")
    assert [(name, save) for name, _body, save in record.file.saved] == [("upload", False)]
    assert record.thumbnail.saved == [("thumbnail.jpg", photo.thumbnail, False)]
    other = _Record()
    uploads.store(other, photo, file_field="document")
    assert other.file.saved == [] and len(other.document.saved) == 1 and other.thumbnail.saved == []
    pdf = uploads.accept(_upload(pdf_bytes(), "visura.pdf"), policy=uploads.DOCUMENTS)
    third = _Record()
    uploads.store(third, pdf, thumbnail_field="thumbnail")
    assert third.thumbnail.saved == []


def test_deleting_stored_files_skips_blank_names_and_logs_a_failure_without_the_name(monkeypatch, caplog):
    from django.core.files.storage import default_storage

    deleted = []

    def delete(name):
        if name == "private/locked.pdf":
            raise OSError("permission denied: private/locked.pdf")
        deleted.append(name)

    monkeypatch.setattr(default_storage, "delete", delete)
    with caplog.at_level(logging.WARNING, logger="housingmix.core.uploads"):
        uploads.delete_files(["private/a.pdf", "", "private/locked.pdf", "private/b.pdf"])
    assert deleted == ["private/a.pdf", "private/b.pdf"]
    assert [r.getMessage() for r in caplog.records] == ["could not delete a stored file"]
