"""Every write on manifestations of interest: the draft and its units, attachments, submission
(frozen, hashed, protocolled), withdrawal, and the receipt's outbox handler.

The machinery is core's: ``workflow`` runs transitions, ``protocol`` numbers, ``outbox`` defers,
``documents`` versions PDFs, ``uploads`` checks and stores files, ``drafts`` freezes packages.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from housingmix.accounts.models import MembershipRole, OffererKind, Organisation, User
from housingmix.core import audit, drafts, outbox, protocol, uploads, workflow
from housingmix.core.documents import document_store
from housingmix.core.mail import email_queue
from housingmix.core.pdf import PDF_LANGUAGE
from housingmix.identity.selectors import IdentityInfo, verified_identity_for
from housingmix.notices.models import Notice, NoticeKind
from properties.models import HousingUnit

from . import completeness
from .models import (
    PERSON_OFFERER,
    RECEIPT_JOB,
    WITHDRAWABLE_STATUSES,
    Application,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    GeneratedKind,
    SignatoryRole,
    SignatureMode,
)
from .rules import is_application_owner

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


def _keep_verified_codes(application: Application, *, user: User) -> None:
    """A codice fiscale verified with SPID or CIE is the signatory's, and a private owner's: it
    replaces whatever was typed (in memory; the caller saves)."""
    identity = verified_identity_for(user)
    if identity is None:
        return
    application.signatory_tax_code = identity.fiscal_code
    if application.offerer_type == PERSON_OFFERER:
        application.offerer_tax_code = identity.fiscal_code


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


def application_set_organisation(*, application: Application, organisation: Organisation, user: User) -> None:
    """Copy the organisation's record into the offerer fields (in memory; the caller saves).

    Raises PermissionDenied unless ``user`` is a member of ``organisation``."""
    membership = organisation.memberships.filter(user=user).first()
    if membership is None:
        raise PermissionDenied
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
    _keep_verified_codes(application, user=by)
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
    _keep_verified_codes(application, user=application.created_by)
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
    transaction.on_commit(lambda: uploads.delete_files(files))


# --- Units of a draft ----------------------------------------------------------

# Fields copied when a unit is duplicated (everything describing the unit and the offer).
COPY_EXCLUDE = {"id", "application", "position", "created_at", "updated_at"}


def _next_position(application: Application) -> int:
    return (application.units.aggregate(p=Max("position"))["p"] or 0) + 1


@transaction.atomic
def unit_add(*, application: Application, by: User) -> HousingUnit:
    """Add an empty unit at the end of a draft."""
    ensure_editable(application=application, by=by)
    unit = HousingUnit.objects.create(application=application, position=_next_position(application))
    audit.record(target=application, verb="application.unit_added", by=by, data={"unit": unit.pk})
    return unit


@transaction.atomic
def unit_update(*, unit: HousingUnit, by: User, fields: dict[str, Any]) -> HousingUnit:
    """Save the given fields of a unit in a draft (partial: a draft may be incomplete)."""
    ensure_editable(application=unit.application, by=by)
    for name, value in fields.items():
        field = HousingUnit._meta.get_field(name)
        if value is None and not field.null:
            value = [] if name in ("targets", "guarantees") else ""
        setattr(unit, name, value)
    unit.save()
    return unit


@transaction.atomic
def unit_duplicate(*, unit: HousingUnit, by: User) -> HousingUnit:
    """Copy a unit's data and terms into a new unit (photos and documents are not copied)."""
    application = unit.application
    ensure_editable(application=application, by=by)
    copy = HousingUnit(application=application, position=_next_position(application))
    for field in HousingUnit._meta.concrete_fields:
        if field.name not in COPY_EXCLUDE:
            setattr(copy, field.attname, getattr(unit, field.attname))
    copy.label = ("%s (2)" % unit.label)[:80] if unit.label else ""
    copy.flat_number = ""
    copy.cadastral_sub = ""
    copy.save()
    audit.record(target=application, verb="application.unit_duplicated", by=by, data={"from": unit.pk, "unit": copy.pk})
    return copy


@transaction.atomic
def unit_remove(*, unit: HousingUnit, by: User) -> None:
    """Remove a unit and its photos and documents from a draft."""
    application = unit.application
    ensure_editable(application=application, by=by)
    names = []
    for attachment in unit.attachments.all():
        names.append(attachment.file.name)
        if attachment.thumbnail:
            names.append(attachment.thumbnail.name)
    audit.record(target=application, verb="application.unit_removed", by=by, data={"unit": unit.pk})
    unit.delete()
    # Keep the numbering 1..n so "Alloggio 2" stays meaningful.
    for position, remaining in enumerate(application.units.order_by("position", "pk"), start=1):
        if remaining.position != position:
            HousingUnit.objects.filter(pk=remaining.pk).update(position=position)
    transaction.on_commit(lambda: uploads.delete_files(names))


# --- Attachments -------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, application: Application, by: User, upload, kind: str, unit=None, description: str = ""
) -> Attachment:
    """Attach a file to a draft: checked by content (photos: images only), size-limited, SHA-256
    kept, photos with a thumbnail without metadata.

    Raises ValidationError with a message for the user on a bad file or kind (nothing is stored),
    PermissionDenied for a unit of another manifestation.
    """
    ensure_editable(application=application, by=by)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Scegli il tipo di documento.")})
    if unit is not None and unit.application_id != application.pk:
        raise PermissionDenied
    if kind == AttachmentKind.PHOTO and unit is None:
        raise ValidationError({"unit": _("Indica a quale alloggio si riferisce la fotografia.")})
    accepted = uploads.accept(upload, policy=uploads.IMAGES if kind == AttachmentKind.PHOTO else uploads.DOCUMENTS)
    attachment = Attachment(
        application=application,
        unit=unit,
        kind=kind,
        description=(description or "").strip()[:200],
        filename=accepted.filename,
        content_type=accepted.mime,
        size=accepted.size,
        sha256=accepted.sha256,
        uploaded_by=by,
    )
    uploads.store(attachment, accepted, thumbnail_field="thumbnail")
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
    transaction.on_commit(lambda: uploads.delete_files(names))


# --- Submission and protocol ------------------------------------------------------


def application_package(*, application: Application) -> dict[str, Any]:
    """The content filed: offerer, declarations, units with terms, and each attachment's SHA-256.

    Its canonical JSON is what the protocol's hash is computed on.
    """
    unit_fields = [
        f.name
        for f in HousingUnit._meta.get_fields()
        if getattr(f, "concrete", False) and f.name not in ("id", "application", "created_at", "updated_at")
    ]
    units = []
    for unit in application.units.select_related("comune").order_by("position", "pk"):
        data = {name: drafts.json_value(getattr(unit, name)) for name in unit_fields if name != "comune"}
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
        "offerer": {name: drafts.json_value(getattr(application, name)) for name in OFFERER_FIELDS},
        "declarations": {name: drafts.json_value(getattr(application, name)) for name in DECLARATION_FIELDS},
        "units": units,
        "attachments": attachments,
    }


def offerer_label(application: Application) -> str:
    """How the offerer is named in the protocol register: name and codice fiscale."""
    return "%s (%s)" % (application.offerer_name, application.offerer_tax_code)


def application_submit(*, application: Application, by: User, identity: IdentityInfo | None = None) -> Application:
    """Submit a complete draft: freeze its content, protocol it, queue receipt and e-mail.

    ``identity`` is the SPID/CIE identity of the submitting session (``identity.selectors.
    session_identity``): required when the signature mode is the digital identity, whose
    codice fiscale must be the signatory's; it is frozen in the package and stated on the receipt.

    Idempotent: a second call (double click, retry) on a submitted manifestation returns it
    unchanged and registers nothing. Raises SubmissionIncomplete listing every missing item,
    ValidationError if the notice is closed or the signature by identity does not hold,
    PermissionDenied if ``by`` may not submit.
    """
    # A `with` block, not the decorator: mutation testing (`make mutation`) reaches the body.
    with transaction.atomic():
        # The row lock (PostgreSQL) or the immediate transaction (SQLite) serialises double clicks;
        # only the manifestation's row is locked, not the notice joined with it.
        locked = workflow.lock(application, select_related=("notice",))
        if not by.has_perm("applications.view_record", locked):
            raise PermissionDenied
        if locked.status != ApplicationStatus.DRAFT:
            if locked.protocol_id:
                return Application.objects.select_related("notice", "protocol").get(pk=locked.pk)
            raise ValidationError(_("La manifestazione non è più una bozza."))
        if not workflow.permitted(locked, "submit", by):
            raise PermissionDenied
        if not locked.notice.is_open:
            raise ValidationError(_("L'avviso è chiuso: non è più possibile presentare manifestazioni di interesse."))
        items = completeness.missing_items(locked)
        if items:
            raise SubmissionIncomplete(items)
        signature = None
        if locked.signature_mode == SignatureMode.DIGITAL_IDENTITY:
            if identity is None:
                raise ValidationError(
                    _(
                        "Per sottoscrivere con l'identità digitale entra nel portale con SPID o CIE, "
                        "oppure scegli un'altra modalità di sottoscrizione."
                    )
                )
            if identity.fiscal_code.upper() != (locked.signatory_tax_code or "").upper():
                raise ValidationError(
                    _(
                        "L'identità digitale con cui sei entrato non è quella del firmatario indicato nella manifestazione."
                    )
                )
            signature = identity.as_dict()
        package = application_package(application=locked)
        if signature is not None:
            package["signature"] = signature
        digest = drafts.package_hash(package)
        locked.package = package
        locked.package_sha256 = digest
        # The number is taken last, so the year's counter stays locked for as short a time as possible.
        locked.protocol = protocol.register(
            direction=protocol.INCOMING,
            record=locked,
            sender=offerer_label(locked),
            recipient=locked.notice.rup or "",
            subject=_("Manifestazione di interesse - %(notice)s") % {"notice": locked.notice.title},
            sha256=digest,
        )
        workflow.transition_run(
            locked,
            "submit",
            by=by,
            verb="application.submitted",
            data={"protocol": locked.protocol.display_number, "sha256": digest},
            clean_exclude=("package",),
            when=locked.protocol.registered_at,
        )
        outbox.request(RECEIPT_JOB, target=locked)
        return locked


@transaction.atomic
def application_withdraw(*, application: Application, by: User, reason: str) -> Application:
    """Withdraw a submitted manifestation (before a contract), with the offerer's reason.

    Raises ValidationError without a reason or in a state that allows no withdrawal,
    PermissionDenied for anybody but the offerer.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indica il motivo del ritiro.")})
    locked = workflow.lock(application)
    if locked.status not in WITHDRAWABLE_STATUSES:
        raise ValidationError(_("In questo stato la manifestazione non può essere ritirata."))
    return workflow.transition_run(
        locked,
        "withdraw",
        by=by,
        verb="application.withdrawn",
        reason=reason,
        clean_exclude=("package",),
        motive=reason,
    )


# --- The receipt (outbox handler) -------------------------------------------------


def _receipt_message(*, application: Application) -> EmailMessage:
    """The confirmation e-mail (in Italian, like the receipt); the receipt is attached by the mailer."""
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
    return EmailMessage(subject=subject, body=body, to=[application.email])


def receipt_job_run(job: outbox.Job):
    """Outbox handler: render the receipt (a new version unless one from the same source exists)
    and e-mail it to the offerer, once.

    Safe to run twice, even concurrently: the document is stored under the job's lock and the
    e-mail is an outbox step, so a retry after a failure neither renders again nor sends twice.
    """
    from . import documents

    application = Application.objects.select_related("protocol", "notice").filter(pk=job.target_id).first()
    if application is None or application.protocol_id is None:
        return None
    html, title = documents.receipt_html(application=application)
    document, created = document_store(
        owner=application,
        kind=GeneratedKind.RECEIPT,
        html=html,
        title=title,
        filename=lambda version: documents.receipt_filename(application=application, version=version),
        job=job,
    )
    if created:
        audit.record(
            target=application,
            verb="application.receipt_generated",
            data={"document": document.pk, "version": document.version, "sha256": document.sha256},
        )
    with outbox.step(job, "emailed") as todo:
        if todo and application.email:
            email_queue(_receipt_message(application=application), documents=[document])
            audit.record(target=application, verb="application.receipt_emailed", data={"document": document.pk})
    return document


def communication_mark_read(*, user: User, document) -> None:
    """Record that ``user`` opened ``document`` (once; later openings change nothing)."""
    from .models import CommunicationRead

    CommunicationRead.objects.get_or_create(user=user, document=document)
