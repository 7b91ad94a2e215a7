"""Rendering and storing generated documents, versioned by the hash of their source."""

import hashlib
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Max, QuerySet

from housingmix.core.pdf import render_pdf, source_hash

from .kinds import kind_label, register_kinds  # noqa: F401
from .models import GeneratedDocument


def _owner_fields(owner: models.Model | None) -> dict:
    if owner is None:
        return {"owner_type": None, "owner_id": ""}
    return {"owner_type": ContentType.objects.get_for_model(owner), "owner_id": str(owner.pk)}


def documents_of(owner: models.Model | None, *, kinds: list[str] | None = None) -> QuerySet[GeneratedDocument]:
    """Every version of the documents of ``owner`` (None: the documents of no record, such as
    the programme's FAQ), by kind and newest version first."""
    queryset = GeneratedDocument.objects.filter(**_owner_fields(owner))
    if kinds is not None:
        queryset = queryset.filter(kind__in=kinds)
    return queryset.order_by("kind", "-version", "-pk")


def same_source(
    *, owner: models.Model | None, kind: str, digest: str, source_id: int | None = None, latest_only: bool = False
) -> GeneratedDocument | None:
    """The version already rendered from this source, if any.

    ``latest_only``: compare with the latest version only (a notice changed back to an earlier
    text is a new version, since the public list shows the order of versions).
    """
    queryset = documents_of(owner, kinds=[kind]).filter(source_id=source_id)
    if latest_only:
        latest = queryset.first()
        return latest if latest is not None and latest.source_hash == digest else None
    return queryset.filter(source_hash=digest).first()


def document_store(
    *,
    owner: models.Model | None,
    kind: str,
    html: str,
    title: str,
    filename: Callable[[int], str],
    source_id: int | None = None,
    latest_only: bool = False,
    job=None,
) -> tuple[GeneratedDocument, bool]:
    """Render ``html`` as a tagged PDF and store it as the next version, unless the same source
    was rendered already (then that version is returned). Returns (document, created).

    The PDF is rendered outside any transaction (SQLite would hold its write lock for the whole
    render); the version is added under the lock of ``job`` (the outbox job asking for it), after
    checking again, so two runs of one job never store two versions. ``filename(version)`` names
    the file.
    """
    from housingmix.core.outbox.models import Job

    digest = source_hash(html)
    existing = same_source(owner=owner, kind=kind, digest=digest, source_id=source_id, latest_only=latest_only)
    if existing is not None:
        return existing, False
    pdf = render_pdf(html)
    with transaction.atomic():
        if job is not None:
            Job.objects.select_for_update().filter(pk=job.pk).first()
        existing = same_source(owner=owner, kind=kind, digest=digest, source_id=source_id, latest_only=latest_only)
        if existing is not None:
            return existing, False
        document = version_add(
            owner=owner, kind=kind, pdf=pdf, digest=digest, title=title, filename=filename, source_id=source_id
        )
    return document, True


def version_add(
    *,
    owner: models.Model | None,
    kind: str,
    pdf: bytes,
    digest: str,
    title: str,
    filename: Callable[[int], str],
    source_id: int | None = None,
) -> GeneratedDocument:
    """Store ``pdf`` as the next version of (owner, kind)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document versions are added inside a transaction")
    fields = _owner_fields(owner)
    version = (GeneratedDocument.objects.filter(kind=kind, **fields).aggregate(m=Max("version"))["m"] or 0) + 1
    document = GeneratedDocument(
        kind=kind,
        source_id=source_id,
        version=version,
        title=title[:255],
        filename=filename(version),
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        source_hash=digest,
        **fields,
    )
    document.file.save("generated.pdf", ContentFile(pdf), save=False)
    document.save()
    return document
