"""PDFs with active content are refused at upload with a clear Italian message
(housingmix/core/pdf_inspect.py, called by core.uploads.validate_upload)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from housingmix.core import pdf_inspect
from housingmix.core.uploads import APPLICATION_TYPES, NOTICE_TYPES, PDF, validate_upload
from tests.core import pdf_samples


def _upload(body: bytes, name: str = "visura.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _refusal(body: bytes, name: str = "visura.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as error:
        validate_upload(_upload(body, name), allowed=APPLICATION_TYPES)
    return error.value


@pytest.mark.parametrize(
    ("sample", "reason"),
    [
        ("JAVASCRIPT_ON_OPEN", "codice JavaScript"),
        ("JAVASCRIPT_ON_OPEN", "azioni eseguite in automatico"),
        ("JAVASCRIPT_IN_NAMES", "codice JavaScript"),
        ("PAGE_ADDITIONAL_ACTION", "azioni eseguite in automatico"),
        ("OPEN_URL_ON_OPEN", "azioni eseguite in automatico"),
        ("LAUNCH", "comandi che avviano programmi"),
        ("EMBEDDED_FILE", "file incorporati"),
        ("SUBMIT_FORM", "invio di dati a indirizzi esterni"),
        ("OBFUSCATED_NAMES", "codice JavaScript"),
        ("HIDDEN_IN_OBJECT_STREAM", "codice JavaScript"),
        ("XFA_SCRIPT", "codice JavaScript"),
    ],
)
def test_pdf_with_active_content_is_refused_saying_what_and_what_to_do(sample, reason):
    error = _refusal(getattr(pdf_samples, sample))

    assert error.code == "pdf_active_content"
    message = error.messages[0]
    assert message.startswith("Il file «visura.pdf» contiene ")
    assert reason in message
    assert "Salva come PDF" in message


@pytest.mark.parametrize("sample", ["CLEAN", "CLEAN_OPEN_AT_PAGE", "CLEAN_LINK"])
def test_plain_pdfs_are_accepted(sample):
    upload = _upload(getattr(pdf_samples, sample))

    assert validate_upload(upload, allowed=APPLICATION_TYPES) == PDF
    assert upload.tell() == 0  # the caller stores it from the start


def test_the_portals_own_generated_pdfs_are_accepted():
    from housingmix.core.pdf import render_pdf

    body = render_pdf(
        "<html lang='it'><head><title>Avviso</title></head><body><h1>Avviso</h1><p>Testo.</p></body></html>"
    )

    assert validate_upload(_upload(body, "avviso.pdf"), allowed=NOTICE_TYPES) == PDF


def _encrypted(user_password: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password=user_password, owner_password="proprietario", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_is_refused_and_owner_restrictions_alone_are_not():
    error = _refusal(_encrypted("segreta"), "protetto.pdf")
    assert error.code == "pdf_encrypted"
    assert error.messages == ["Il file «protetto.pdf» è protetto da password: caricalo senza protezione."]

    assert validate_upload(_upload(_encrypted("")), allowed=APPLICATION_TYPES) == PDF


def test_pdf_that_cannot_be_read_is_refused():
    nested = pdf_samples.simple(b"/Deep " + b"[" * 50000 + b"]" * 50000)

    error = _refusal(nested, "danneggiato.pdf")

    assert error.code == "pdf_unreadable"
    assert "Il file «danneggiato.pdf» non è un PDF leggibile" in error.messages[0]


def test_pdf_with_too_many_objects_is_refused_before_being_walked(monkeypatch):
    monkeypatch.setattr(pdf_inspect, "MAX_OBJECTS", 50)
    crowded = pdf_samples.simple(more=[b"<< /N %d >>" % n for n in range(60)])

    error = _refusal(crowded, "enorme.pdf")

    assert error.code == "pdf_too_complex"
    assert "troppo complesso per essere controllato (più di 50 oggetti)" in error.messages[0]


def test_broken_cross_reference_is_rebuilt_as_viewers_do():
    without_xref = pdf_samples.build_pdf(
        [pdf_samples.CATALOG % b"", pdf_samples.PAGES, pdf_samples.PAGE % b""], cross_reference=False
    )

    assert pdf_inspect.inspect_pdf(io.BytesIO(without_xref)).is_clean
