"""Every write on notices, FAQ and their documents."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from housingmix.core import audit, outbox, uploads, workflow
from housingmix.core.caching import public_pages_invalidate
from housingmix.core.documents import document_store

from .models import (
    CONTENT_FIELDS,
    RENDER_JOBS,
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


def _check(notice: Notice, name: str, by) -> None:
    """ValidationError if the state or data forbid the transition, PermissionDenied if ``by`` may not."""
    if not can_proceed(getattr(notice, name)):
        raise ValidationError(_("Questa operazione non è possibile nello stato attuale dell'avviso."))
    if not workflow.permitted(notice, name, by):
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
    _check(notice, "amend", by)
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


def _transition(
    notice: Notice, name: str, *, by, verb: str, system: bool = False, data=None, reason: str = "", **kwargs
) -> Notice:
    """Run the workflow transition ``name`` on ``notice`` (core.workflow: state, permission, save,
    audit) and invalidate the public pages. ``system`` is for the scheduler, which acts without a
    user (state rules still apply). A notice's own validation is ``publication_problems``."""
    if not can_proceed(getattr(notice, name)):
        raise ValidationError(_("Questa operazione non è possibile nello stato attuale dell'avviso."))
    workflow.transition_run(
        notice, name, by=by, verb=verb, system=system, clean=False, reason=reason, data=data, **kwargs
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
    return _transition(notice, "withdraw", by=by, verb="notice.withdrawn", reason=reason.strip(), motive=reason.strip())


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
    accepted = uploads.accept(upload, policy=uploads.NOTICE)
    digest = accepted.sha256
    version = _next_version(notice=notice, kind=kind, title=title)
    document = NoticeDocument(
        notice=notice,
        kind=kind,
        title=title,
        version=version,
        filename="%s-v%d.%s" % (slugify(title)[:80] or "allegato", version, uploads.NOTICE.types[accepted.mime]),
        content_type=accepted.mime,
        size=accepted.size,
        sha256=digest,
        created_by=by,
    )
    uploads.store(document, accepted)
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


def document_jobs_request(*, notice: Notice | None, kinds: list[str]) -> list[outbox.Job]:
    """Request the generated PDFs (one job per kind) in the caller's transaction; a pending job
    of the same kind is moved on rather than doubled (a render under way then runs once more)."""
    return [outbox.request(RENDER_JOBS[kind], target=notice, coalesce=True) for kind in kinds]


def _pdf_filename(notice: Notice | None, kind: str, version: int) -> str:
    base = notice.slug if notice else "programma"
    return "%s-%s-v%d.pdf" % (base[:80], "faq" if kind == DocumentKind.FAQ_PDF else "avviso", version)


def document_render_job_run(job: outbox.Job):
    """Outbox handler: render the notice's (or the programme's) PDF as a new version, unless the
    latest version was rendered from the same content. Safe to run twice."""
    from . import documents

    kind = DocumentKind.NOTICE_PDF if job.kind == RENDER_JOBS[DocumentKind.NOTICE_PDF] else DocumentKind.FAQ_PDF
    notice = Notice.objects.filter(pk=job.target_id).first() if job.target_id else None
    if job.target_id and notice is None:
        return None
    if kind == DocumentKind.NOTICE_PDF:
        html, title = documents.notice_html(notice=notice)
    else:
        html, title = documents.faq_html(notice=notice)
    document, created = document_store(
        owner=notice,
        kind=kind,
        html=html,
        title=title,
        filename=lambda version: _pdf_filename(notice, kind, version),
        latest_only=True,
        job=job,
    )
    if created:
        if notice is not None:
            audit.record(
                target=notice,
                verb="notice.document_generated",
                data={"document": document.pk, "kind": kind, "version": document.version, "sha256": document.sha256},
            )
        transaction.on_commit(public_pages_invalidate)
    return document
