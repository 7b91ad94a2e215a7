"""Checks of uploaded files by content (magic bytes), never by name or browser-declared type."""

import hashlib

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

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


def sniff(upload) -> str | None:
    """The MIME type detected from the first bytes of ``upload`` (position restored)."""
    pos = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(pos)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_upload(upload, *, allowed: dict[str, str]) -> str:
    """Return the detected MIME type; raise ValidationError with a clear message otherwise."""
    if upload.size == 0:
        raise ValidationError(_("Il file «%(name)s» è vuoto."), params={"name": upload.name}, code="empty")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("Il file «%(name)s» pesa %(size)s: il limite è %(limit)s."),
            params={
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
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
    return mime


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
