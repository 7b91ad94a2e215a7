"""Every write on notices, FAQ and their documents."""

import hashlib
import logging
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from housingmix.core import audit
from housingmix.core.caching import public_pages_invalidate
from housingmix.core.uploads import NOTICE_TYPES, sha256_of, validate_upload

from .models import (
    CONTENT_FIELDS,
    DocumentJob,
    DocumentKind,
    FaqEntry,
    Notice,
    NoticeDocument,
    NoticeRevision,
    NoticeStatus,
)

logger = logging.getLogger(__name__)


def _content_snapshot(notice: Notice) -> dict[str, Any]:
    data = {}
    for name in CONTENT_FIELDS:
        value = getattr(notice, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def _unique_slug(title: str, year: int) -> str:
    base = slugify("%s %s" % (title, year))[:100] or "avviso"
    slug, n = base, 2
    while Notice.objects.filter(slug=slug).exists():
        slug, n = "%s-%d" % (base, n), n + 1
    return slug


def _after_public_change() -> None:
    transaction.on_commit(public_pages_invalidate)


def _check(notice: Notice, method, by) -> None:
    """ValidationError if the state or data forbid the transition, PermissionDenied if ``by`` may not."""
    if not can_proceed(method):
        raise ValidationError(_("Questa operazione non è possibile nello stato attuale dell'avviso."))
    if not has_transition_perm(method, by):
        raise PermissionDenied


@transaction.atomic
def notice_create(*, by, **fields: Any) -> Notice:
    """Create a draft notice; raises ValidationError on invalid fields."""
    notice = Notice(created_by=by, **fields)
    notice.slug = _unique_slug(notice.title, (notice.opens_at or timezone.now()).year)
    notice.full_clean(exclude=["status"])
    notice.save()
    audit.record(target=notice, verb="notice.created", by=by, to_state=notice.status)
    return notice


@transaction.atomic
def notice_update(*, notice: Notice, by, reason: str = "", **fields: Any) -> Notice:
    """Change a notice's content.

    A draft is edited in place. A published notice is amended: the earlier content is
    kept as a dated NoticeRevision, the state becomes AMENDED and ``reason`` is required.
    Closed, withdrawn and archived notices cannot change (ValidationError).
    """
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    before = _content_snapshot(locked)
    for name, value in fields.items():
        setattr(notice, name, value)
    changed = [name for name in CONTENT_FIELDS if _content_snapshot(notice)[name] != before[name]]
    if not changed:
        return notice
    if locked.status == NoticeStatus.DRAFT:
        notice.full_clean(exclude=["status"])
        notice.save()
        audit.record(target=notice, verb="notice.updated", by=by, data={"fields": changed})
        return notice
    if locked.status not in (NoticeStatus.PUBLISHED, NoticeStatus.AMENDED):
        raise ValidationError(_("Un avviso chiuso, ritirato o archiviato non può essere modificato."))
    if not reason.strip():
        raise ValidationError({"amendment_reason": _("Indica il motivo della rettifica: sarà pubblicato.")})
    _check(notice, notice.amend, by)
    number = (locked.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    NoticeRevision.objects.create(
        notice=locked,
        number=number,
        content=before,
        valid_from=locked.amended_at or locked.published_at or locked.created_at,
        valid_until=timezone.now(),
        reason=reason.strip(),
    )
    from_state = locked.status
    notice.amend(reason=reason.strip())
    notice.full_clean(exclude=["status"])
    notice.save()
    audit.record(
        target=notice,
        verb="notice.amended",
        by=by,
        from_state=from_state,
        to_state=notice.status,
        reason=reason.strip(),
        data={"fields": changed, "revision": number},
    )
    document_jobs_request(notice=notice, kinds=[DocumentKind.NOTICE_PDF])
    _after_public_change()
    return notice


def _transition(notice: Notice, name: str, *, by, verb: str, system: bool = False, data=None, **kwargs) -> Notice:
    """Run the workflow transition ``name`` on ``notice``: check, apply, save, audit, invalidate caches.

    ``system`` is for the scheduler, which acts without a user (state rules still apply).
    """
    method = getattr(notice, name)
    if system:
        if not can_proceed(method):
            raise ValidationError(_("Questa operazione non è possibile nello stato attuale dell'avviso."))
    else:
        _check(notice, method, by)
    from_state = notice.status
    method(**kwargs)
    notice.save()
    audit.record(
        target=notice,
        verb=verb,
        by=by,
        from_state=from_state,
        to_state=notice.status,
        reason=kwargs.get("reason", ""),
        data=data,
    )
    _after_public_change()
    return notice


@transaction.atomic
def notice_publish(*, notice: Notice, by) -> Notice:
    """DRAFT → PUBLISHED; queues the notice and FAQ PDFs. Raises PermissionDenied or ValidationError."""
    if notice.status == NoticeStatus.DRAFT and (problems := notice.publication_problems()):
        raise ValidationError(problems)
    _transition(notice, "publish", by=by, verb="notice.published")
    document_jobs_request(notice=notice, kinds=[DocumentKind.NOTICE_PDF, DocumentKind.FAQ_PDF])
    return notice


@transaction.atomic
def notice_close(*, notice: Notice, by=None, system: bool = False) -> Notice:
    """PUBLISHED/AMENDED → CLOSED: by staff, or by the scheduler once the deadline passed."""
    return _transition(notice, "close", by=by, verb="notice.closed", system=system, data={"automatic": system})


@transaction.atomic
def notice_withdraw(*, notice: Notice, by, reason: str) -> Notice:
    """Withdraw a notice (ritiro in autotutela); the reason is public and required."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indica il motivo del ritiro: sarà pubblicato.")})
    return _transition(notice, "withdraw", by=by, verb="notice.withdrawn", reason=reason.strip())


@transaction.atomic
def notice_archive(*, notice: Notice, by) -> Notice:
    """CLOSED/WITHDRAWN → ARCHIVED."""
    return _transition(notice, "archive", by=by, verb="notice.archived")


def notices_close_expired() -> int:
    """Close every live notice whose deadline has passed; returns how many were closed."""
    count = 0
    for notice in Notice.objects.filter(
        status__in=[NoticeStatus.PUBLISHED, NoticeStatus.AMENDED], closes_at__lte=timezone.now()
    ):
        notice_close(notice=notice, system=True)
        count += 1
    return count


@transaction.atomic
def faq_changed(*, notice: Notice | None, by) -> None:
    """Record that the FAQ of ``notice`` (or the general FAQ) changed and queue its PDF."""
    if notice is not None:
        audit.record(target=notice, verb="notice.faq_changed", by=by)
        if not notice.is_public:
            return
    document_jobs_request(notice=notice, kinds=[DocumentKind.FAQ_PDF])
    _after_public_change()


@transaction.atomic
def faq_entry_save(*, entry: FaqEntry, by) -> FaqEntry:
    """Save a FAQ entry; its "updated" date moves only when the question or answer changed."""
    if entry.pk:
        old = FaqEntry.objects.filter(pk=entry.pk).values("question", "answer", "is_published").first()
        if old and (old["question"], old["answer"], old["is_published"]) != (
            entry.question,
            entry.answer,
            entry.is_published,
        ):
            entry.updated_at = timezone.now()
    entry.full_clean()
    entry.save()
    faq_changed(notice=entry.notice, by=by)
    return entry


def _next_version(*, notice: Notice | None, kind: str, title: str) -> int:
    last = NoticeDocument.objects.filter(notice=notice, kind=kind, title=title).aggregate(v=Max("version"))["v"]
    return (last or 0) + 1


@transaction.atomic
def document_upload(*, notice: Notice, kind: str, title: str, upload, by) -> NoticeDocument:
    """Store an uploaded attachment as a new version (type checked by content, SHA-256 kept).

    Raises ValidationError with a message for the user on a bad file.
    """
    if kind not in (DocumentKind.APPLICATION_FORM, DocumentKind.ANNEX):
        raise ValidationError(_("I PDF dell'avviso e delle FAQ sono generati dal portale."))
    mime = validate_upload(upload, allowed=NOTICE_TYPES)
    digest = sha256_of(upload)
    version = _next_version(notice=notice, kind=kind, title=title)
    document = NoticeDocument(
        notice=notice,
        kind=kind,
        title=title,
        version=version,
        filename="%s-v%d.%s" % (slugify(title)[:80] or "allegato", version, NOTICE_TYPES[mime]),
        content_type=mime,
        size=upload.size,
        sha256=digest,
        created_by=by,
    )
    document.file.save("upload", upload, save=False)
    document.save()
    audit.record(
        target=notice,
        verb="notice.document_uploaded",
        by=by,
        data={"document": document.pk, "title": title, "version": version, "sha256": digest},
    )
    if notice.is_public:
        _after_public_change()
    return document


def document_jobs_request(*, notice: Notice | None, kinds: list[str]) -> list[DocumentJob]:
    """Write pending render jobs (one per kind) and send them to the worker after commit.

    The job rows are the guarantee: if the broker is unreachable the sweep sends them later.
    """
    jobs = []
    for kind in kinds:
        job = DocumentJob.objects.filter(notice=notice, kind=kind, done_at__isnull=True).first()
        if job is None:
            job = DocumentJob.objects.create(notice=notice, kind=kind)
        else:
            # A render already under way must not mark this newer request as done.
            job.requested_at = timezone.now()
            job.save(update_fields=["requested_at"])
        jobs.append(job)
    ids = [job.pk for job in jobs]
    transaction.on_commit(lambda: document_jobs_send(job_ids=ids))
    return jobs


def document_jobs_send(*, job_ids: list[int]) -> int:
    """Enqueue render tasks; a broker failure is logged and left to the sweep. Returns how many were sent."""
    from .tasks import document_render_task

    sent = 0
    for job_id in job_ids:
        try:
            document_render_task.apply_async(kwargs={"job_id": job_id})
            sent += 1
        except Exception as error:  # broker down: the outbox row stays pending
            logger.warning("document job %s not sent (%s); the sweep will retry", job_id, type(error).__name__)
    return sent


def document_render(*, job_id: int) -> NoticeDocument | None:
    """Render the PDF a job asks for and store it as a new version, unless the latest
    version was rendered from the same content (then no new version).

    Safe to run twice, even concurrently: the write happens under a lock on the job row,
    after checking again that nobody stored the same content meanwhile. A rendering error
    is counted on the job (``attempts``, ``last_error``: the exception's class only, never
    data) and raised for the task to retry.
    """
    from . import documents

    job = DocumentJob.objects.select_related("notice").filter(pk=job_id, done_at__isnull=True).first()
    if job is None:
        return None
    notice, requested_at = job.notice, job.requested_at
    try:
        if job.kind == DocumentKind.NOTICE_PDF:
            html, title = documents.notice_html(notice=notice)
        else:
            html, title = documents.faq_html(notice=notice)
        source_hash = documents.source_hash(html)
        latest = NoticeDocument.objects.filter(notice=notice, kind=job.kind).order_by("-version").first()
        pdf = documents.render_pdf(html) if latest is None or latest.source_hash != source_hash else None
    except Exception as error:
        DocumentJob.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1, last_error=type(error).__name__)
        raise
    document = None
    with transaction.atomic():
        locked = DocumentJob.objects.select_for_update().filter(pk=job.pk, done_at__isnull=True).first()
        if locked is None:  # finished by a concurrent run
            return None
        latest = NoticeDocument.objects.filter(notice=notice, kind=job.kind).order_by("-version").first()
        if pdf is not None and (latest is None or latest.source_hash != source_hash):
            version = (latest.version if latest else 0) + 1
            base = notice.slug if notice else "programma"
            name = "%s-%s-v%d.pdf" % (base[:80], "faq" if job.kind == DocumentKind.FAQ_PDF else "avviso", version)
            content = ContentFile(pdf)
            document = NoticeDocument(
                notice=notice,
                kind=job.kind,
                title=title,
                version=version,
                filename=name,
                content_type="application/pdf",
                size=len(pdf),
                sha256=hashlib.sha256(pdf).hexdigest(),
                source_hash=source_hash,
                generated=True,
            )
            document.file.save("generated", content, save=False)
            document.save()
            if notice is not None:
                audit.record(
                    target=notice,
                    verb="notice.document_generated",
                    data={"document": document.pk, "kind": job.kind, "version": version, "sha256": document.sha256},
                )
            transaction.on_commit(public_pages_invalidate)
        # A newer request (requested_at moved on) stays pending and is rendered again.
        DocumentJob.objects.filter(pk=job.pk, requested_at__lte=requested_at).update(
            done_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
    return document


def document_jobs_resend_pending(*, older_than_seconds: int = 30) -> int:
    """Send again every job pending for longer than ``older_than_seconds``; returns how many were sent."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        DocumentJob.objects.filter(done_at__isnull=True, requested_at__lte=cutoff).values_list("pk", flat=True)[:500]
    )
    return document_jobs_send(job_ids=ids)
