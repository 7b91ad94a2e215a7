"""Every write on manifestations of interest, their attachments and the protocol register."""

import hashlib
import io
import json
import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from housingmix.accounts.models import MembershipRole, OffererKind, Organisation, User
from housingmix.core import audit
from housingmix.core.pdf import PDF_LANGUAGE
from housingmix.core.uploads import APPLICATION_TYPES, sha256_of, validate_upload
from housingmix.notices.models import Notice, NoticeKind

from . import completeness
from .models import (
    PERSON_OFFERER,
    Application,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    DocumentJob,
    ExportJob,
    ExportKind,
    ExportStatus,
    GeneratedDocument,
    GeneratedKind,
    ProtocolCounter,
    ProtocolDirection,
    ProtocolEntry,
    SignatoryRole,
)

logger = logging.getLogger(__name__)

# Fields the offerer step and the declarations step may write.
OFFERER_FIELDS = [
    "offerer_type",
    "offerer_name",
    "offerer_tax_code",
    "offerer_vat_number",
    "offerer_runts_number",
    "offerer_address",
    "offerer_postcode",
    "offerer_city",
    "offerer_province",
    "signatory_first_name",
    "signatory_last_name",
    "signatory_tax_code",
    "signatory_role",
    "id_document_type",
    "id_document_number",
    "id_document_expiry",
    "email",
    "pec",
    "phone",
]
DECLARATION_FIELDS = [*completeness.DECLARATIONS, "signature_mode"]


class SubmissionIncomplete(ValidationError):
    """Raised by ``application_submit`` with every missing item (``items``)."""

    def __init__(self, items: list[completeness.MissingItem]):
        super().__init__([item.message for item in items])
        self.items = items


def is_owner(*, user: User, application: Application) -> bool:
    """True for the account that started the manifestation or a member of its organisation."""
    from .rules import is_application_owner

    return bool(is_application_owner(user, application))


def ensure_editable(*, application: Application, by: User) -> None:
    """Raise PermissionDenied unless ``by`` may edit, ValidationError once the content is frozen."""
    if not by.has_perm("applications.view_record", application):
        raise PermissionDenied
    if not application.is_draft:
        raise ValidationError(
            _(
                "La manifestazione è già stata presentata: il suo contenuto non può più essere modificato. "
                "Eventuali documenti si inviano come integrazione, se richiesti."
            )
        )
    if not by.has_perm("applications.edit_draft", application):
        raise PermissionDenied


def _prefill(application: Application, *, user: User, organisation: Organisation | None) -> None:
    application.email = user.email
    application.phone = user.phone
    application.signatory_first_name = user.first_name
    application.signatory_last_name = user.last_name
    application.signatory_tax_code = user.tax_code
    if organisation is None:
        application.offerer_type = PERSON_OFFERER
        application.offerer_name = user.get_full_name()
        application.offerer_tax_code = user.tax_code
        application.signatory_role = SignatoryRole.OWNER
        return
    application_set_organisation(application=application, organisation=organisation, user=user)


def application_set_organisation(*, application: Application, organisation: Organisation | None, user: User) -> None:
    """Copy the organisation's record into the offerer fields (in memory; the caller saves)."""
    if organisation is None:
        application.organisation = None
        application.offerer_type = PERSON_OFFERER
        return
    if not organisation.memberships.filter(user=user).exists():
        raise PermissionDenied
    membership = organisation.memberships.get(user=user)
    application.organisation = organisation
    application.offerer_type = organisation.type
    application.offerer_name = organisation.name
    application.offerer_tax_code = organisation.tax_code
    application.offerer_vat_number = organisation.vat_number
    application.offerer_runts_number = organisation.runts_number
    application.offerer_address = organisation.address
    application.offerer_postcode = organisation.postcode
    application.offerer_city = organisation.city
    application.offerer_province = organisation.province
    application.pec = organisation.pec or application.pec
    application.signatory_role = (
        SignatoryRole.DELEGATE if membership.role == MembershipRole.DELEGATE else SignatoryRole.LEGAL_REPRESENTATIVE
    )


@transaction.atomic
def application_start(*, notice: Notice, by: User, organisation: Organisation | None = None) -> Application:
    """Start a draft for ``notice``, prefilled from the account (and organisation, if given).

    Raises ValidationError if the notice does not take manifestations now, PermissionDenied
    if ``by`` is not an offerer or not a member of ``organisation``.
    """
    if not by.has_perm("accounts.register_organisation"):  # the offerer role
        raise PermissionDenied
    if notice.kind != NoticeKind.INTEREST or not notice.is_open:
        raise ValidationError(_("Questo avviso non accetta manifestazioni di interesse in questo momento."))
    if organisation is None and by.offerer_kind == OffererKind.ORGANISATION:
        membership = by.memberships.select_related("organisation").first()
        organisation = membership.organisation if membership else None
    application = Application(notice=notice, created_by=by)
    _prefill(application, user=by, organisation=organisation)
    application.save()
    audit.record(target=application, verb="application.started", by=by, to_state=application.status)
    return application


@transaction.atomic
def application_update(*, application: Application, by: User, fields: dict[str, Any]) -> Application:
    """Save offerer or declaration fields of a draft (only the names in OFFERER_FIELDS and DECLARATION_FIELDS)."""
    ensure_editable(application=application, by=by)
    allowed = set(OFFERER_FIELDS) | set(DECLARATION_FIELDS)
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError("not editable: %s" % ", ".join(sorted(unknown)))
    for name, value in fields.items():
        field = Application._meta.get_field(name)
        if value is None and not field.null:
            value = False if isinstance(field, models.BooleanField) else ""
        setattr(application, name, value)
    if any(name in completeness.DECLARATIONS for name in fields):
        application.declarations_at = (
            timezone.now() if all(getattr(application, name) for name in completeness.DECLARATIONS) else None
        )
    application.save()
    return application


@transaction.atomic
def application_delete_draft(*, application: Application, by: User) -> None:
    """Delete a draft with its units and files (a submitted manifestation is withdrawn instead)."""
    ensure_editable(application=application, by=by)
    files = [a.file.name for a in application.attachments.all()] + [
        a.thumbnail.name for a in application.attachments.all() if a.thumbnail
    ]
    audit.record(target=application, verb="application.draft_deleted", by=by, from_state=application.status)
    application.delete()
    transaction.on_commit(lambda: delete_files(files))


def delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete a stored file")


# --- Attachments -------------------------------------------------------------


def _thumbnail(upload) -> bytes | None:
    """A JPEG thumbnail without metadata (photos can carry the GPS position of a home)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((480, 360))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return out.getvalue()


def _safe_filename(name: str, extension: str) -> str:
    from django.utils.text import get_valid_filename, slugify

    stem = slugify((name or "").rsplit(".", 1)[0])[:80] or "documento"
    return get_valid_filename("%s.%s" % (stem, extension))


@transaction.atomic
def attachment_add(
    *, application: Application, by: User, upload, kind: str, unit=None, description: str = ""
) -> Attachment:
    """Attach a file to a draft: type checked by content, size-limited, SHA-256 kept.

    Raises ValidationError with a message for the user on a bad file (nothing is stored).
    """
    ensure_editable(application=application, by=by)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Scegli il tipo di documento.")})
    if unit is not None and unit.application_id != application.pk:
        raise PermissionDenied
    if kind == AttachmentKind.PHOTO and unit is None:
        raise ValidationError({"unit": _("Indica a quale alloggio si riferisce la fotografia.")})
    allowed = APPLICATION_TYPES
    if kind == AttachmentKind.PHOTO:
        allowed = {m: e for m, e in APPLICATION_TYPES.items() if m.startswith("image/")}
    mime = validate_upload(upload, allowed=allowed, max_bytes=settings.APPLICATION_UPLOAD_MAX_BYTES)
    attachment = Attachment(
        application=application,
        unit=unit,
        kind=kind,
        description=(description or "").strip()[:200],
        filename=_safe_filename(upload.name, APPLICATION_TYPES[mime]),
        content_type=mime,
        size=upload.size,
        sha256=sha256_of(upload),
        uploaded_by=by,
    )
    if mime.startswith("image/"):
        thumb = _thumbnail(upload)
        if thumb is None:
            raise ValidationError(
                _("L'immagine «%(name)s» è danneggiata o non leggibile.") % {"name": upload.name}, code="bad_image"
            )
        attachment.thumbnail.save("thumbnail", ContentFile(thumb), save=False)
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    audit.record(
        target=application,
        verb="application.attachment_added",
        by=by,
        data={"attachment": attachment.pk, "kind": kind, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    """Remove a file from a draft (filed files are never removed)."""
    ensure_editable(application=attachment.application, by=by)
    names = [attachment.file.name] + ([attachment.thumbnail.name] if attachment.thumbnail else [])
    audit.record(
        target=attachment.application,
        verb="application.attachment_removed",
        by=by,
        data={"kind": attachment.kind, "sha256": attachment.sha256},
    )
    attachment.delete()
    transaction.on_commit(lambda: delete_files(names))


# --- Submission and protocol ------------------------------------------------------


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def application_package(*, application: Application) -> dict[str, Any]:
    """The content filed: offerer, declarations, units with terms, and each attachment's SHA-256.

    Its canonical JSON is what the protocol's hash is computed on.
    """
    from properties.models import HousingUnit

    unit_fields = [
        f.name
        for f in HousingUnit._meta.get_fields()
        if getattr(f, "concrete", False) and f.name not in ("id", "application", "created_at", "updated_at")
    ]
    units = []
    for unit in application.units.select_related("comune").order_by("position", "pk"):
        data = {name: _json_value(getattr(unit, name)) for name in unit_fields if name != "comune"}
        data["id"] = unit.pk
        data["comune"] = unit.comune.name if unit.comune_id else ""
        data["comune_istat"] = unit.comune.istat_code if unit.comune_id else ""
        units.append(data)
    attachments = [
        {
            "id": a.pk,
            "kind": a.kind,
            "unit": a.unit_id,
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
            "sha256": a.sha256,
        }
        for a in application.attachments.order_by("pk")
    ]
    return {
        "reference": str(application.reference),
        "notice": {"id": application.notice_id, "title": application.notice.title},
        "organisation": application.organisation_id,
        "offerer": {name: _json_value(getattr(application, name)) for name in OFFERER_FIELDS},
        "declarations": {name: _json_value(getattr(application, name)) for name in DECLARATION_FIELDS},
        "units": units,
        "attachments": attachments,
    }


def package_hash(package: dict[str, Any]) -> str:
    canonical = json.dumps(package, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def protocol_register(
    *,
    direction: str,
    sender: str,
    recipient: str,
    subject: str,
    sha256: str,
    application: Application | None = None,
    when: datetime | None = None,
) -> ProtocolEntry:
    """Register a document in the protocol: the next number of the current year (Europe/Rome).

    Must run inside the caller's transaction: the year's counter row stays locked until
    commit, so concurrent registrations queue and a rollback gives the number back (no gaps).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("protocol_register must run inside a transaction")
    rome = timezone.get_default_timezone()  # the year of the register is Italian legal time, not the request's
    started = when or timezone.now()
    year = timezone.localtime(started, rome).year
    ProtocolCounter.objects.bulk_create([ProtocolCounter(year=year, last_number=0)], ignore_conflicts=True)
    ProtocolCounter.objects.filter(year=year).update(last_number=F("last_number") + 1)
    number = ProtocolCounter.objects.values_list("last_number", flat=True).get(year=year)
    if when is None:
        # Read once the counter is locked, so a higher number never has an earlier time; a
        # registration that waited for the lock across midnight of 31 December keeps its year.
        when = timezone.now()
        if timezone.localtime(when, rome).year != year:
            when = started
    return ProtocolEntry.objects.create(
        year=year,
        number=number,
        registered_at=when,
        direction=direction,
        sender=sender[:255],
        recipient=recipient[:255],
        subject=subject[:500],
        sha256=sha256,
        application=application,
    )


@transaction.atomic
def application_submit(*, application: Application, by: User) -> Application:
    """Submit a complete draft: freeze its content, protocol it, queue receipt and e-mail.

    Idempotent: a second call (double click, retry) on a submitted manifestation returns it
    unchanged and registers nothing. Raises SubmissionIncomplete listing every missing item,
    ValidationError if the notice is closed, PermissionDenied if ``by`` may not submit.
    """
    # The row lock (PostgreSQL) or the immediate transaction (SQLite) serialises double clicks.
    # of=("self",): lock the manifestation only, not the notice joined with it (that would
    # queue every submission to the same Avviso behind one another, and the Avviso's edits too).
    locked = Application.objects.select_for_update(of=("self",)).select_related("notice").get(pk=application.pk)
    if not by.has_perm("applications.view_record", locked):
        raise PermissionDenied
    if locked.status != ApplicationStatus.DRAFT:
        if locked.protocol_id:
            return Application.objects.select_related("notice", "protocol").get(pk=locked.pk)
        raise ValidationError(_("La manifestazione non è più una bozza."))
    if not has_transition_perm(locked.submit, by) or not by.has_perm("applications.submit", locked):
        raise PermissionDenied
    if not locked.notice.is_open:
        raise ValidationError(_("L'avviso è chiuso: non è più possibile presentare manifestazioni di interesse."))
    items = completeness.missing_items(locked)
    if items:
        raise SubmissionIncomplete(items)
    if not can_proceed(locked.submit):
        raise ValidationError(_("La manifestazione non è più una bozza."))
    package = application_package(application=locked)
    digest = package_hash(package)
    locked.submit()
    locked.package = package
    locked.package_sha256 = digest
    # The number is taken last, so the counter stays locked for as short a time as possible.
    locked.protocol = protocol_register(
        direction=ProtocolDirection.INCOMING,
        sender="%s (%s)" % (locked.offerer_name, locked.offerer_tax_code),
        recipient=locked.notice.rup or "",
        subject=_("Manifestazione di interesse - %(notice)s") % {"notice": locked.notice.title},
        sha256=digest,
        application=locked,
    )
    locked.submitted_at = locked.protocol.registered_at
    locked.save()
    audit.record(
        target=locked,
        verb="application.submitted",
        by=by,
        from_state=ApplicationStatus.DRAFT,
        to_state=locked.status,
        data={"protocol": locked.protocol.display_number, "sha256": digest},
    )
    document_jobs_request(application=locked, kinds=[GeneratedKind.RECEIPT])
    return locked


@transaction.atomic
def application_withdraw(*, application: Application, by: User, reason: str) -> Application:
    """Withdraw a submitted manifestation (before a contract), with the offerer's reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indica il motivo del ritiro.")})
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not can_proceed(locked.withdraw):
        raise ValidationError(_("In questo stato la manifestazione non può essere ritirata."))
    if not has_transition_perm(locked.withdraw, by):
        raise PermissionDenied
    from_state = locked.status
    locked.withdraw(reason=reason)
    locked.save()
    audit.record(
        target=locked, verb="application.withdrawn", by=by, from_state=from_state, to_state=locked.status, reason=reason
    )
    return locked


# --- Documents outbox ----------------------------------------------------------


def document_jobs_request(*, application: Application, kinds: list[str]) -> list[DocumentJob]:
    """Write pending jobs in the caller's transaction and send them to the worker after commit."""
    jobs = [DocumentJob.objects.create(application=application, kind=kind) for kind in kinds]
    ids = [job.pk for job in jobs]
    transaction.on_commit(lambda: document_jobs_send(job_ids=ids))
    return jobs


def document_jobs_send(*, job_ids: list[int]) -> int:
    """Enqueue the jobs; a broker failure is logged (no data) and left to the sweep."""
    from .tasks import document_job_run_task

    sent = 0
    for job_id in job_ids:
        try:
            document_job_run_task.apply_async(kwargs={"job_id": job_id})
            sent += 1
        except Exception as error:  # broker down: the outbox row stays pending
            logger.warning("application job %s not sent (%s); the sweep will retry", job_id, type(error).__name__)
    return sent


def document_jobs_resend_pending(*, older_than_seconds: int = 30) -> int:
    """Send again every receipt job pending for longer than ``older_than_seconds`` (the review's
    communications have their own sweep, ``review.review_jobs_resend_pending``)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        DocumentJob.objects.filter(
            kind=GeneratedKind.RECEIPT, done_at__isnull=True, requested_at__lte=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    return document_jobs_send(job_ids=ids)


def _generated_document_store(*, application: Application, kind: str, pdf: bytes, source: str) -> GeneratedDocument:
    from . import documents

    latest = GeneratedDocument.objects.filter(application=application, kind=kind).order_by("-version").first()
    version = (latest.version if latest else 0) + 1
    document = GeneratedDocument(
        application=application,
        kind=kind,
        version=version,
        filename=documents.receipt_filename(application=application, version=version),
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        source_hash=source,
    )
    document.file.save("generated", ContentFile(pdf), save=False)
    document.save()
    audit.record(
        target=application,
        verb="application.receipt_generated",
        data={"document": document.pk, "version": version, "sha256": document.sha256},
    )
    return document


def _receipt_message(*, application: Application, document: GeneratedDocument) -> EmailMessage:
    """The confirmation e-mail (in Italian, like the receipt) with the receipt attached."""
    registered = timezone.localtime(application.protocol.registered_at, timezone.get_default_timezone())
    with translation.override(PDF_LANGUAGE):
        number = application.protocol.display_number
        subject = _("Housing Mix - ricevuta di presentazione, protocollo n. %(number)s") % {"number": number}
        body = _(
            "Gentile %(name)s,\n\n"
            "la manifestazione di interesse per l'avviso «%(notice)s» è stata presentata e registrata "
            "al protocollo n. %(number)s il %(date)s alle ore %(time)s.\n\n"
            "In allegato trova la ricevuta di presentazione in PDF, con il riepilogo di quanto presentato e le "
            "impronte SHA-256 dei documenti. La ricevuta resta disponibile nella sua area personale del portale.\n\n"
            "Impronta SHA-256 del contenuto presentato: %(sha256)s\n\n"
            "Questo messaggio è inviato automaticamente: per informazioni usi i contatti indicati nell'avviso."
        ) % {
            "name": application.offerer_name,
            "notice": application.package["notice"]["title"],
            "number": number,
            "date": registered.strftime("%d/%m/%Y"),
            "time": registered.strftime("%H:%M"),
            "sha256": application.package_sha256,
        }
    message = EmailMessage(subject=subject, body=body, to=[application.email])
    with document.file.open("rb") as handle:
        message.attach(document.filename, handle.read(), "application/pdf")
    return message


def document_job_run(*, job_id: int) -> GeneratedDocument | None:
    """Run one outbox job: render the receipt (a new version unless one from the same
    source exists), e-mail it to the offerer, then mark the job done.

    Returns the document, or None if the job is unknown or already done. Safe to run
    twice, even concurrently: the document and the e-mail are written under a lock on the
    job row, and ``emailed_at`` records the send, so a retry after an SMTP failure neither
    renders again nor sends twice. Any error is counted on the job (``attempts``,
    ``last_error``: the exception's class only, never data) and raised for the task to retry.
    """
    from . import documents

    job = (
        DocumentJob.objects.select_related("application__protocol", "application__notice")
        .filter(pk=job_id, done_at__isnull=True)
        .first()
    )
    if job is None:
        return None
    application = job.application
    try:
        if job.kind != GeneratedKind.RECEIPT:
            raise ValueError("unknown document job kind")
        html, _title = documents.receipt_html(application=application)
        source = documents.source_hash(html)
        existing = GeneratedDocument.objects.filter(application=application, kind=job.kind, source_hash=source)
        pdf = None if existing.exists() else documents.render_pdf(html)
        with transaction.atomic():
            locked = DocumentJob.objects.select_for_update().filter(pk=job.pk, done_at__isnull=True).first()
            if locked is None:  # finished by a concurrent run
                return None
            document = existing.order_by("-version").first()
            if document is None:
                pdf = pdf or documents.render_pdf(html)
                document = _generated_document_store(application=application, kind=job.kind, pdf=pdf, source=source)
        with transaction.atomic():
            locked = DocumentJob.objects.select_for_update().filter(pk=job.pk, done_at__isnull=True).first()
            if locked is None:
                return None
            emailed_at = locked.emailed_at
            if emailed_at is None and application.email:
                # Sent under the lock: a concurrent run waits here, then finds the job done.
                _receipt_message(application=application, document=document).send()
                emailed_at = timezone.now()
                audit.record(target=application, verb="application.receipt_emailed", data={"document": document.pk})
            DocumentJob.objects.filter(pk=job.pk).update(
                emailed_at=emailed_at, done_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
            )
    except Exception as error:
        DocumentJob.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1, last_error=type(error).__name__)
        raise
    return document


# --- Exports ---------------------------------------------------------------------------


def export_permitted(*, kind: str, user: User) -> bool:
    from .models import ExportKind

    permission = "applications.review_workspace" if kind == ExportKind.REVIEW_QUEUE else "properties.view_registry"
    return rules.has_perm(permission, user)


@transaction.atomic
def export_request(*, kind: str, fmt: str, query: str, by: User) -> tuple[ExportJob, bytes | None]:
    """Record an export and, for at most ``EXPORT_SYNC_MAX_ROWS`` rows, build it now.

    Returns the job and the file's bytes (None when the worker builds it: it is sent after
    commit, and the sweep sends it again if the broker is down). Either way the export is
    in the audit trail. Raises PermissionDenied for users who may not see these data.
    """
    from . import exports

    if not export_permitted(kind=kind, user=by):
        raise PermissionDenied
    if fmt not in exports.CONTENT_TYPES or kind not in ExportKind.values:
        raise ValidationError(_("Formato di esportazione non disponibile."))
    name, queryset = exports.filtered(kind=kind, user=by, query=query)
    count = queryset.count()
    job = ExportJob.objects.create(requested_by=by, kind=kind, fmt=fmt, query=query[:2000], rows=count)
    audit.record(target=job, verb="export.requested", by=by, data={"kind": kind, "fmt": fmt, "rows": count})
    if count > settings.EXPORT_SYNC_MAX_ROWS:
        transaction.on_commit(lambda: export_jobs_send(job_ids=[job.pk]))
        return job, None
    header, rows = exports.rows_for(kind=kind, queryset=queryset)
    body = exports.body_bytes(fmt=fmt, name=name, header=header, rows=rows)
    job.status, job.done_at = ExportStatus.DONE, timezone.now()
    job.filename = exports.filename_for(name=name, fmt=fmt)
    job.save(update_fields=["status", "done_at", "filename"])
    return job, body


def export_jobs_send(*, job_ids: list[int]) -> int:
    """Enqueue export jobs; a broker failure is logged and left to the sweep."""
    from .tasks import export_job_run_task

    sent = 0
    for job_id in job_ids:
        try:
            export_job_run_task.apply_async(kwargs={"job_id": job_id})
            sent += 1
        except Exception as error:  # broker down: the job stays pending
            logger.warning("export job %s not sent (%s); the sweep will retry", job_id, type(error).__name__)
    return sent


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Build the file of a pending export with the requester's own scope; None if already done.

    Safe to run twice: the file is stored under a lock on the job row, once.
    """
    from . import exports

    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id, status=ExportStatus.PENDING).first()
    if job is None:
        return None
    try:
        name, queryset = exports.filtered(kind=job.kind, user=job.requested_by, query=job.query)
        header, rows = exports.rows_for(kind=job.kind, queryset=queryset)
        body = exports.body_bytes(fmt=job.fmt, name=name, header=header, rows=rows)
    except Exception as error:
        ExportJob.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1, last_error=type(error).__name__)
        raise
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().filter(pk=job.pk, status=ExportStatus.PENDING).first()
        if locked is None:
            return None
        locked.filename = exports.filename_for(name=name, fmt=locked.fmt)
        locked.rows = len(rows)
        locked.file.save("export", ContentFile(body), save=False)
        locked.status, locked.done_at = ExportStatus.DONE, timezone.now()
        locked.attempts += 1
        locked.save()
    return locked


def export_jobs_sweep(*, older_than_seconds: int = 30) -> int:
    """Send again the exports still pending; mark as failed those pending for a day; delete
    the files older than ``EXPORT_RETENTION_DAYS`` (they hold personal data)."""
    now = timezone.now()
    ExportJob.objects.filter(status=ExportStatus.PENDING, created_at__lte=now - timedelta(days=1)).update(
        status=ExportStatus.FAILED
    )
    expired = ExportJob.objects.filter(created_at__lte=now - timedelta(days=settings.EXPORT_RETENTION_DAYS)).exclude(
        file=""
    )
    names = list(expired.values_list("file", flat=True))
    expired.update(file="")
    delete_files(names)
    ids = list(
        ExportJob.objects.filter(
            status=ExportStatus.PENDING, created_at__lte=now - timedelta(seconds=older_than_seconds)
        ).values_list("pk", flat=True)[:100]
    )
    return export_jobs_send(job_ids=ids)
