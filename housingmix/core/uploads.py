"""Checks of uploaded files by content (magic bytes), never by name or browser-declared type."""

import base64
import binascii
import hashlib

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .pdf_inspect import validate_pdf

PDF = "application/pdf"
# Content types accepted for public notice attachments.
NOTICE_TYPES = {
    PDF: "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/zip": "zip",
}

P7M = "application/pkcs7-mime"
# Content types an offerer may attach (DOMAIN.md): PDF, images, and signed files (CAdES .p7m).
APPLICATION_TYPES = {PDF: "pdf", "image/jpeg": "jpg", "image/png": "png", P7M: "p7m"}

# DER encoding of the OID 1.2.840.113549.1.7.2 (PKCS#7 signedData), found at the start of a CAdES file.
_SIGNED_DATA_OID = bytes.fromhex("06092a864886f70d010702")


def _is_pkcs7_signed(head: bytes) -> bool:
    """A CAdES envelope (.p7m): DER, or the same DER in Base64 as some signing tools write it."""
    if head[:1] == b"\x30" and _SIGNED_DATA_OID in head[:64]:
        return True
    text = head.strip()
    if text.startswith(b"-----BEGIN PKCS7-----"):
        text = text[len(b"-----BEGIN PKCS7-----") :].strip()
    if text[:2] in (b"MI", b"MC"):
        chunk = b"".join(text[:1024].split())
        chunk = chunk[: len(chunk) - len(chunk) % 4]
        try:
            der = base64.b64decode(chunk, validate=True)
        except (binascii.Error, ValueError):
            return False
        return der[:1] == b"\x30" and _SIGNED_DATA_OID in der[:64]
    return False


def sniff(upload) -> str | None:
    """The MIME type detected from the first bytes of ``upload`` (position restored)."""
    pos = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(pos)
    if _is_pkcs7_signed(head):
        return P7M
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_upload(upload, *, allowed: dict[str, str], max_bytes: int | None = None) -> str:
    """Return the detected MIME type; raise ValidationError with a clear message otherwise."""
    if upload.size == 0:
        raise ValidationError(_("Il file «%(name)s» è vuoto."), params={"name": upload.name}, code="empty")
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Il file «%(name)s» pesa %(size)s: il limite è %(limit)s."),
            params={
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="too_large",
        )
    mime = sniff(upload)
    if mime not in allowed:
        raise ValidationError(
            _("Il file «%(name)s» non è di un tipo ammesso (ammessi: %(types)s)."),
            params={"name": upload.name, "types": ", ".join(sorted({v.upper() for v in allowed.values()}))},
            code="bad_type",
        )
    if mime == PDF:
        validate_pdf(upload)  # no JavaScript, automatic actions or embedded files
    return mime


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
