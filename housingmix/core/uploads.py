"""The one store for uploaded files: every file anybody uploads (an offerer's attachment or
integrazione, a site-visit photo, a notice's attachment, a signed agreement…) goes through here.

``accept`` checks the file by content (magic bytes, never the name or the browser's type) against a
``Policy`` (types and size limit), hashes it, names it safely and, for images, makes a thumbnail
without metadata (a photo of a home can carry its GPS position). ``store`` writes it (and the
thumbnail) under a random name (``RandomPath``). Files under ``private/`` are served only by permission-checking views.
"""

import base64
import binascii
import hashlib
import io
import logging
import uuid
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .pdf_inspect import validate_pdf

logger = logging.getLogger(__name__)

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

IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png"}

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
        # A short envelope's PEM end line falls inside the first kilobyte: it is not Base64.
        chunk = b"".join(text[:1024].split(b"-----END PKCS7-----", 1)[0].split())
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


@deconstructible
class RandomPath:
    """``upload_to`` giving a random name under ``[private/]<folder>/<yyyy>/<mm>/``: a stored file's
    name is never guessable and never carries the uploader's file name (which can be personal data)."""

    def __init__(self, folder: str, suffix: str = "", private: bool = True):
        self.folder, self.suffix, self.private = folder, suffix, private

    def __call__(self, instance, filename: str) -> str:
        root = "private/" if self.private else ""
        return "%s%s/%s/%s%s" % (root, self.folder, timezone.now().strftime("%Y/%m"), uuid.uuid4().hex, self.suffix)

    def __eq__(self, other):
        return isinstance(other, RandomPath) and (self.folder, self.suffix, self.private) == (
            other.folder,
            other.suffix,
            other.private,
        )

    def __hash__(self):
        return hash((self.folder, self.suffix, self.private))


@dataclass(frozen=True)
class Policy:
    """What a kind of upload accepts: content types (MIME → extension) and the size-limit setting."""

    types: dict[str, str]
    max_bytes_setting: str = "APPLICATION_UPLOAD_MAX_BYTES"

    @property
    def max_bytes(self) -> int:
        return getattr(settings, self.max_bytes_setting)


# An offerer's or an ETS's documents: PDF, images and signed P7M (DOMAIN.md).
DOCUMENTS = Policy(APPLICATION_TYPES)
# Photos (of a unit, of a site visit): images only.
IMAGES = Policy(IMAGE_TYPES)
# A signed act: a PDF (signed PAdES) or a CAdES envelope.
SIGNED = Policy({PDF: "pdf", P7M: "p7m"})
# Attachments of a public notice, uploaded by staff.
NOTICE = Policy(NOTICE_TYPES, "UPLOAD_MAX_BYTES")


@dataclass(frozen=True)
class Accepted:
    """An upload that passed its policy: what to store and what to record of it."""

    upload: Any
    mime: str
    size: int
    sha256: str
    filename: str
    thumbnail: bytes | None

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


def thumbnail_bytes(upload) -> bytes | None:
    """A JPEG thumbnail without metadata (EXIF, GPS), or None if the image cannot be read."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((480, 360))
            out = io.BytesIO()
            # A new RGB image saved without exif= or info: nothing of the original's metadata is copied.
            image.convert("RGB").save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return out.getvalue()


def safe_filename(name: str, extension: str) -> str:
    """A download name made from the uploader's name (slugified) and the extension of the detected type."""
    from django.utils.text import get_valid_filename, slugify

    stem = slugify((name or "").rsplit(".", 1)[0])[:80] or "documento"
    return get_valid_filename("%s.%s" % (stem, extension))


def accept(upload, *, policy: Policy) -> Accepted:
    """Check ``upload`` against ``policy``; raise ValidationError with a message for the user
    (empty, too large, wrong type, unreadable image). Nothing is stored."""
    mime = validate_upload(upload, allowed=policy.types, max_bytes=policy.max_bytes)
    thumb = None
    if mime.startswith("image/"):
        thumb = thumbnail_bytes(upload)
        if thumb is None:
            raise ValidationError(
                _("L'immagine «%(name)s» è danneggiata o non leggibile."),
                params={"name": upload.name},
                code="bad_image",
            )
    return Accepted(
        upload=upload,
        mime=mime,
        size=upload.size,
        sha256=sha256_of(upload),
        filename=safe_filename(upload.name, policy.types[mime]),
        thumbnail=thumb,
    )


def store(instance, accepted: Accepted, *, file_field: str = "file", thumbnail_field: str | None = None) -> None:
    """Write the accepted file (and its thumbnail) into ``instance``'s fields under random names,
    without saving the instance. The caller records the upload in its own history (kind, size and
    SHA-256: never the file name, which may be personal data)."""
    getattr(instance, file_field).save("upload", accepted.upload, save=False)
    if thumbnail_field and accepted.thumbnail is not None:
        getattr(instance, thumbnail_field).save("thumbnail.jpg", ContentFile(accepted.thumbnail), save=False)


def delete_files(names: list[str]) -> None:
    """Delete stored files (after the transaction that removed their rows); failures are logged."""
    from django.core.files.storage import default_storage

    for name in names:
        if not name:
            continue
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete a stored file")
