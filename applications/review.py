"""Every write of the review (istruttoria): assignment, checklist, notes, soccorso istruttorio,
site visits, decisions, the offerer's answers and the communications' outbox.

Each transition runs on the row locked with SELECT ... FOR UPDATE: two reviewers acting at
once are serialised, and the second finds the state already changed and is refused with
``StaleTransition`` (nothing is written). The history shown on the pages is the
AuditEvent rows written here (who, when, from, to, reason).
"""

import hashlib
import logging
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from housingmix.accounts.models import User
from housingmix.accounts.roles import Role
from housingmix.core import audit
from housingmix.core.mail import email_queue
from housingmix.core.uploads import APPLICATION_TYPES, sha256_of, validate_upload
from properties.models import HousingUnit, RegistryEntry

from .calendar import add_business_days
from .models import (
    Application,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    CheckItem,
    CheckOutcome,
    Decision,
    DecisionKind,
    DocumentJob,
    GeneratedDocument,
    GeneratedKind,
    InfoRequest,
    InternalNote,
    OffererReply,
    ProtocolDirection,
    ReplyKind,
    ReviewCheck,
    SiteVisit,
    SiteVisitPhoto,
)
from .services import _safe_filename, protocol_register

logger = logging.getLogger(__name__)

# States in which the review is open: checklist, notes and reassignment are possible.
OPEN_REVIEW_STATUSES = [
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.SITE_VISIT,
    ApplicationStatus.NOTICE_OF_REFUSAL,
]
# Events the offerer sees in their area; the others (reads, notes, checks) are internal.
PUBLIC_VERBS = {
    "application.submitted",
    "application.review_started",
    "application.info_requested",
    "application.info_answered",
    "application.review_resumed",
    "application.site_visit_started",
    "application.refusal_notified",
    "application.observations_filed",
    "application.reconsidered",
    "application.declared_eligible",
    "application.declared_not_eligible",
    "application.withdrawn",
}
REVIEW_DOCUMENT_KINDS = [
    GeneratedKind.INFO_REQUEST,
    GeneratedKind.SITE_VISIT_REPORT,
    GeneratedKind.REFUSAL_NOTICE,
    GeneratedKind.DECISION,
]


class StaleTransition(ValidationError):
    """The manifestation changed since the page was loaded (another reviewer acted first)."""


# --- Helpers -------------------------------------------------------------------


def _lock(application: Application, expected_status: str | None) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if expected_status and locked.status != expected_status:
        raise StaleTransition(
            _(
                "Nel frattempo la manifestazione è stata modificata da un altro utente (ora è «%(state)s»): "
                "ricarica la pagina e verifica prima di procedere."
            )
            % {"state": locked.get_status_display()}
        )
    return locked


def _check_can_review(application: Application, by: User) -> None:
    if not by.has_perm("applications.review_record", application):
        raise PermissionDenied(_("Non sei l'istruttore di questa manifestazione."))


def _transition(
    locked: Application,
    name: str,
    *,
    by: User,
    verb: str,
    reason: str = "",
    data: dict | None = None,
    **kwargs: Any,
) -> Application:
    """Run transition ``name`` on a locked row: state first, then the rules permission."""
    method = getattr(locked, name)
    if not can_proceed(method):
        raise ValidationError(
            _("Operazione non consentita: la manifestazione è nello stato «%(state)s».")
            % {"state": locked.get_status_display()}
        )
    if not has_transition_perm(method, by):
        raise PermissionDenied(_("Non hai i permessi per questa operazione su questa manifestazione."))
    from_state = locked.status
    method(**kwargs)
    locked.full_clean(exclude=["status", "package"])  # status: protected FSM field
    locked.save()
    audit.record(
        target=locked, verb=verb, by=by, from_state=from_state, to_state=locked.status, reason=reason, data=data
    )
    return locked


def _offerer_address(application: Application) -> str:
    return application.email or application.created_by.email


def _notify_offerer(application: Application, *, subject: str, body: str) -> None:
    """E-mail the offerer after commit; the same event is in the history of their area."""
    to = _offerer_address(application)
    if not to:
        return
    with translation.override("it"):
        link = settings.SITE_URL + reverse("review:offerer_status", kwargs={"ref": application.reference})
    message = EmailMultiAlternatives(
        subject=subject,
        body="%s\n\n%s\n%s\n" % (body, _("Trovi i dettagli e le comunicazioni nella tua area personale:"), link),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    transaction.on_commit(lambda: email_queue(message))


def _notify_reviewer(application: Application, *, subject: str, body: str) -> None:
    reviewer = application.assigned_to
    if reviewer is None or not reviewer.email:
        return
    with translation.override("it"):
        link = settings.SITE_URL + reverse("review:detail", kwargs={"ref": application.reference})
    message = EmailMultiAlternatives(
        subject=subject, body="%s\n\n%s\n" % (body, link), from_email=settings.DEFAULT_FROM_EMAIL, to=[reviewer.email]
    )
    transaction.on_commit(lambda: email_queue(message))


def _subject(application: Application, text: str) -> str:
    return "%s - %s" % (text, _("manifestazione prot. %(number)s") % {"number": application.protocol_number})


def _outgoing_protocol(application: Application, *, subject: str, digest_of: str):
    return protocol_register(
        direction=ProtocolDirection.OUTGOING,
        sender=application.notice.rup or _("Ufficio di Piano"),
        recipient="%s (%s)" % (application.offerer_name, application.offerer_tax_code),
        subject=subject,
        sha256=hashlib.sha256(digest_of.encode("utf-8")).hexdigest(),
        application=application,
    )


def info_request_deadline(start: date | None = None) -> date:
    """The default deadline of a soccorso istruttorio (REVIEW_INFO_REQUEST_DAYS, business days by default)."""
    start = start or timezone.localdate()
    days = settings.REVIEW_INFO_REQUEST_DAYS
    if settings.REVIEW_INFO_REQUEST_BUSINESS_DAYS:
        return add_business_days(start, days)
    return start + timedelta(days=days)


def reviewer_is_eligible(*, application: Application, reviewer: User) -> bool:
    """Who may be assigned: Ambito staff, or a social worker of the comune of one of the units.

    A social worker reviews where they work; a manifestation with units in several comuni
    can go to a worker of any of them. The offerer's own accounts are never eligible.
    """
    if not reviewer.is_active or reviewer.pk == application.created_by_id:
        return False
    if (
        application.organisation_id
        and reviewer.memberships.filter(organisation_id=application.organisation_id).exists()
    ):
        return False
    if reviewer.has_role(Role.STAFF):
        return True
    if not reviewer.has_role(Role.SOCIAL_WORKER) or reviewer.comune_id is None:
        return False
    return application.units.filter(comune_id=reviewer.comune_id).exists()


# --- Assignment, views, checklist, notes ------------------------------------------


def application_viewed(*, application: Application, by: User, data: dict | None = None) -> None:
    """Audit a reviewer's or staff member's read of a manifestation.

    Reads go to AuditEvent ("application.viewed", never shown to the offerer) rather than
    django-auditlog's access log: the DPO reads them beside the review history of the same
    manifestation, and registering Application with auditlog would also copy every change
    of the frozen JSON package into its diff log.
    """
    audit.record(target=application, verb="application.viewed", by=by, data=data)


@transaction.atomic
def review_assign(
    *, application: Application, reviewer: User, by: User, expected_status: str | None = None
) -> Application:
    """Assign (or reassign) the reviewer; a submitted manifestation enters UNDER_REVIEW.

    Raises PermissionDenied unless ``by`` is Ambito staff, ValidationError if ``reviewer``
    may not review it or the state does not allow assignment, StaleTransition on a stale page.
    """
    locked = _lock(application, expected_status)
    if not by.has_perm("applications.assign_reviewer", locked):
        raise PermissionDenied(_("Solo l'Ufficio di Piano assegna le istruttorie."))
    if not reviewer_is_eligible(application=locked, reviewer=reviewer):
        raise ValidationError(
            _("Puoi assegnare solo personale dell'Ufficio di Piano o un'assistente sociale del comune dell'alloggio.")
        )
    data = {"reviewer": reviewer.pk}
    if locked.status == ApplicationStatus.SUBMITTED:
        _transition(locked, "start_review", by=by, verb="application.review_started", data=data, reviewer=reviewer)
        _notify_offerer(
            locked,
            subject=_subject(locked, _("Istruttoria avviata")),
            body=_("L'istruttoria della tua manifestazione di interesse è stata avviata."),
        )
    elif locked.status in OPEN_REVIEW_STATUSES:
        if locked.assigned_to_id == reviewer.pk:
            return locked
        locked.assigned_to = reviewer
        locked.assigned_at = timezone.now()
        locked.save(update_fields=["assigned_to", "assigned_at", "updated_at"])
        audit.record(target=locked, verb="application.reassigned", by=by, data=data)
    else:
        raise ValidationError(
            _("Operazione non consentita: la manifestazione è nello stato «%(state)s».")
            % {"state": locked.get_status_display()}
        )
    _notify_reviewer(
        locked,
        subject=_subject(locked, _("Nuova istruttoria assegnata")),
        body=_("Ti è stata assegnata l'istruttoria di una manifestazione di interesse."),
    )
    return locked


@transaction.atomic
def review_checks_save(
    *, application: Application, unit: HousingUnit, checks: dict[str, tuple[str, str]], by: User
) -> list[ReviewCheck]:
    """Record the checklist of one unit: ``checks`` maps item to (outcome, note).

    Raises PermissionDenied unless ``by`` reviews it, ValidationError outside an open review.
    """
    locked = _lock(application, None)
    _check_can_review(locked, by)
    if unit.application_id != locked.pk:
        raise PermissionDenied
    if locked.status not in OPEN_REVIEW_STATUSES:
        raise ValidationError(_("La verifica si registra solo durante l'istruttoria."))
    saved, changed = [], {}
    existing = {c.item: c for c in ReviewCheck.objects.filter(unit=unit)}
    for item, (outcome, note) in checks.items():
        if item not in CheckItem.values or (outcome and outcome not in CheckOutcome.values):
            raise ValidationError(_("Esito non valido."))
        note = (note or "").strip()
        check = existing.get(item) or ReviewCheck(application=locked, unit=unit, item=item)
        if check.pk and check.outcome == outcome and check.note == note:
            saved.append(check)
            continue
        check.outcome, check.note, check.updated_by, check.updated_at = outcome, note, by, timezone.now()
        check.full_clean()
        check.save()
        changed[item] = outcome
        saved.append(check)
    if changed:
        audit.record(target=locked, verb="application.checks_recorded", by=by, data={"unit": unit.pk, **changed})
    return saved


@transaction.atomic
def review_note_add(*, application: Application, text: str, by: User) -> InternalNote:
    """Add an internal note (never shown to the offerer)."""
    application = _lock(application, None)
    _check_can_review(application, by)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Scrivi il testo della nota.")})
    note = InternalNote(application=application, author=by, text=text)
    note.full_clean()
    note.save()
    audit.record(target=application, verb="application.note_added", by=by, data={"note": note.pk})
    return note


# --- Soccorso istruttorio ---------------------------------------------------------


@transaction.atomic
def info_request_create(
    *,
    application: Application,
    items: str,
    by: User,
    deadline: date | None = None,
    expected_status: str | None = None,
) -> InfoRequest:
    """Ask the offerer for missing documents or clarifications by ``deadline`` (default: REVIEW_INFO_REQUEST_DAYS).

    Protocols the outgoing request, queues its PDF and e-mails the offerer. Raises
    PermissionDenied, ValidationError (state, empty list, past deadline) or StaleTransition.
    """
    items = (items or "").strip()
    if not items:
        raise ValidationError({"items": _("Elenca i documenti o i chiarimenti richiesti.")})
    deadline = deadline or info_request_deadline()
    if deadline <= timezone.localdate():
        raise ValidationError({"deadline": _("Il termine deve essere successivo a oggi.")})
    locked = _lock(application, expected_status)
    _check_can_review(locked, by)
    _transition(locked, "request_info", by=by, verb="application.info_requested", reason=items)
    request = InfoRequest(application=locked, requested_by=by, items=items, deadline=deadline)
    request.protocol = _outgoing_protocol(
        locked, subject=_("Richiesta di integrazione documentale"), digest_of="%s|%s" % (items, deadline.isoformat())
    )
    request.full_clean()
    request.save()
    review_jobs_request(application=locked, kind=GeneratedKind.INFO_REQUEST, source_id=request.pk)
    _notify_offerer(
        locked,
        subject=_subject(locked, _("Richiesta di integrazione")),
        body=_("Ti chiediamo di integrare la manifestazione entro il %(date)s con:\n%(items)s")
        % {"date": deadline.strftime("%d/%m/%Y"), "items": items},
    )
    return request


def _store_integrations(*, application: Application, by: User, uploads: Iterable[tuple[Any, str]]) -> list[Attachment]:
    """New attachments marked ``is_integration``: what was filed before is never touched."""
    stored = []
    for upload, kind in uploads:
        if kind not in AttachmentKind.values:
            kind = AttachmentKind.OTHER
        mime = validate_upload(upload, allowed=APPLICATION_TYPES, max_bytes=settings.APPLICATION_UPLOAD_MAX_BYTES)
        attachment = Attachment(
            application=application,
            kind=kind,
            filename=_safe_filename(upload.name, APPLICATION_TYPES[mime]),
            content_type=mime,
            size=upload.size,
            sha256=sha256_of(upload),
            is_integration=True,
            uploaded_by=by,
        )
        attachment.file.save("upload", upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _reply_digest(text: str, attachments: list[Attachment]) -> str:
    payload = text + "|" + "|".join(a.sha256 for a in attachments)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@transaction.atomic
def info_request_answer(
    *, application: Application, by: User, text: str = "", uploads: Iterable[tuple[Any, str]] = ()
) -> OffererReply:
    """The offerer's integrazione: new protocolled documents; the review resumes (UNDER_REVIEW).

    Raises PermissionDenied unless ``by`` owns the manifestation, ValidationError if nothing
    is requested now, the reply is empty or a file is refused (nothing is stored then).
    """
    locked = _lock(application, None)
    if not by.has_perm("applications.answer_request", locked):
        raise PermissionDenied
    request = locked.info_requests.filter(closed_at__isnull=True).order_by("-created_at").first()
    if request is None or locked.status != ApplicationStatus.INFO_REQUESTED:
        raise ValidationError(_("Non ci sono richieste di integrazione aperte per questa manifestazione."))
    uploads = list(uploads)
    text = (text or "").strip()
    if not uploads and not text:
        raise ValidationError(_("Carica almeno un documento o scrivi un chiarimento."))
    attachments = _store_integrations(application=locked, by=by, uploads=uploads)
    now = timezone.now()
    reply = OffererReply(application=locked, kind=ReplyKind.INTEGRATION, info_request=request, text=text, created_by=by)
    reply.protocol = protocol_register(
        direction=ProtocolDirection.INCOMING,
        sender="%s (%s)" % (locked.offerer_name, locked.offerer_tax_code),
        recipient=locked.notice.rup or "",
        subject=_("Integrazione documentale"),
        sha256=_reply_digest(text, attachments),
        application=locked,
        when=now,
    )
    reply.save()
    reply.attachments.set(attachments)
    request.answered_at = request.closed_at = now
    request.save(update_fields=["answered_at", "closed_at"])
    _transition(
        locked,
        "answer_info_request",
        by=by,
        verb="application.info_answered",
        data={"protocol": reply.protocol.display_number, "attachments": [a.pk for a in attachments]},
    )
    _notify_reviewer(
        locked,
        subject=_subject(locked, _("Integrazione ricevuta")),
        body=_("L'offerente ha risposto alla richiesta di integrazione."),
    )
    return reply


@transaction.atomic
def review_resume(
    *, application: Application, by: User, reason: str, expected_status: str | None = None
) -> Application:
    """Resume the review without an answer (e.g. the deadline passed); closes the open request."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indica il motivo.")})
    locked = _lock(application, expected_status)
    _check_can_review(locked, by)
    _transition(locked, "resume_review", by=by, verb="application.review_resumed", reason=reason)
    locked.info_requests.filter(closed_at__isnull=True).update(closed_at=timezone.now())
    _notify_offerer(locked, subject=_subject(locked, _("Istruttoria ripresa")), body=reason)
    return locked


def info_requests_remind_overdue(*, today: date | None = None) -> int:
    """Flag each open request past its deadline and remind its reviewer once; returns how many.

    Safe to run twice: a reminded request is not reminded again.
    """
    today = today or timezone.localdate()
    sent = 0
    ids = list(
        InfoRequest.objects.filter(
            closed_at__isnull=True,
            reminded_at__isnull=True,
            deadline__lt=today,
            application__status=ApplicationStatus.INFO_REQUESTED,  # not once withdrawn
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            request = (
                InfoRequest.objects.select_for_update()
                .filter(pk=pk, reminded_at__isnull=True, closed_at__isnull=True)
                .first()
            )
            if request is None:
                continue
            application = Application.objects.select_related("assigned_to", "protocol").get(pk=request.application_id)
            request.reminded_at = timezone.now()
            request.save(update_fields=["reminded_at"])
            audit.record(
                target=application,
                verb="application.info_request_overdue",
                data={"request": request.pk, "deadline": request.deadline.isoformat()},
            )
            _notify_reviewer(
                application,
                subject=_subject(application, _("Richiesta di integrazione scaduta")),
                body=_("Il termine del %(date)s è scaduto senza risposta: riprendi l'istruttoria o decidi.")
                % {"date": request.deadline.strftime("%d/%m/%Y")},
            )
            sent += 1
    return sent


# --- Site visit --------------------------------------------------------------------


@transaction.atomic
def site_visit_record(
    *,
    application: Application,
    by: User,
    visit_date: date,
    attendees: str,
    outcomes: dict[str, tuple[str, str]],
    summary: str = "",
    photos: Iterable[Any] = (),
    expected_status: str | None = None,
) -> SiteVisit:
    """Record a sopralluogo; from UNDER_REVIEW the manifestation moves to SITE_VISIT.

    ``outcomes`` maps checklist item to (outcome, note). Photos are checked by content.
    Queues the visit report PDF.
    """
    attendees = (attendees or "").strip()
    if not attendees:
        raise ValidationError({"attendees": _("Indica chi era presente.")})
    if visit_date > timezone.localdate():
        raise ValidationError({"visit_date": _("Il sopralluogo si registra dopo averlo svolto.")})
    locked = _lock(application, expected_status)
    _check_can_review(locked, by)
    if locked.status == ApplicationStatus.UNDER_REVIEW:
        _transition(locked, "start_site_visit", by=by, verb="application.site_visit_started")
    elif locked.status != ApplicationStatus.SITE_VISIT:
        raise ValidationError(
            _("Operazione non consentita: la manifestazione è nello stato «%(state)s».")
            % {"state": locked.get_status_display()}
        )
    rows = []
    for item, (outcome, note) in outcomes.items():
        if item not in CheckItem.values or (outcome and outcome not in CheckOutcome.values):
            raise ValidationError(_("Esito non valido."))
        rows.append({"item": item, "outcome": outcome, "note": (note or "").strip()})
    visit = SiteVisit(
        application=locked,
        visit_date=visit_date,
        attendees=attendees,
        outcomes=rows,
        summary=(summary or "").strip(),
        recorded_by=by,
    )
    visit.full_clean()
    visit.save()
    images = {m: e for m, e in APPLICATION_TYPES.items() if m.startswith("image/")}
    for upload in photos:
        mime = validate_upload(upload, allowed=images, max_bytes=settings.APPLICATION_UPLOAD_MAX_BYTES)
        photo = SiteVisitPhoto(visit=visit, content_type=mime, sha256=sha256_of(upload))
        photo.file.save("photo", upload, save=False)
        photo.save()
    audit.record(
        target=locked,
        verb="application.site_visit_recorded",
        by=by,
        data={"visit": visit.pk, "date": visit_date.isoformat()},
    )
    review_jobs_request(application=locked, kind=GeneratedKind.SITE_VISIT_REPORT, source_id=visit.pk)
    return visit


# --- Decisions ---------------------------------------------------------------------


def _decision(locked: Application, *, kind: str, reasons: str, by: User, **extra: Any) -> Decision:
    subjects = {
        DecisionKind.REFUSAL_NOTICE: _("Preavviso di diniego"),
        DecisionKind.ELIGIBLE: _("Comunicazione di esito: idonea"),
        DecisionKind.NOT_ELIGIBLE: _("Comunicazione di esito: non idonea"),
    }
    decision = Decision(application=locked, kind=kind, reasons=reasons, decided_by=by, **extra)
    decision.protocol = _outgoing_protocol(locked, subject=subjects[kind], digest_of="%s|%s" % (kind, reasons))
    decision.full_clean()
    decision.save()
    document_kind = GeneratedKind.REFUSAL_NOTICE if kind == DecisionKind.REFUSAL_NOTICE else GeneratedKind.DECISION
    review_jobs_request(application=locked, kind=document_kind, source_id=decision.pk)
    return decision


def _reasons(reasons: str) -> str:
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("Scrivi la motivazione.")})
    return reasons


@transaction.atomic
def refusal_notice_issue(
    *, application: Application, by: User, reasons: str, expected_status: str | None = None
) -> Decision:
    """Preavviso di diniego (L. 241/1990 art. 10-bis): reasons and a reply window of REVIEW_REFUSAL_REPLY_DAYS."""
    reasons = _reasons(reasons)
    locked = _lock(application, expected_status)
    _check_can_review(locked, by)
    _transition(locked, "notify_refusal", by=by, verb="application.refusal_notified", reason=reasons)
    deadline = timezone.localdate() + timedelta(days=settings.REVIEW_REFUSAL_REPLY_DAYS)
    decision = _decision(locked, kind=DecisionKind.REFUSAL_NOTICE, reasons=reasons, by=by, reply_deadline=deadline)
    _notify_offerer(
        locked,
        subject=_subject(locked, _("Preavviso di diniego")),
        body=_("Puoi presentare osservazioni e documenti entro il %(date)s.") % {"date": deadline.strftime("%d/%m/%Y")},
    )
    return decision


@transaction.atomic
def refusal_reply(
    *, application: Application, by: User, text: str, uploads: Iterable[tuple[Any, str]] = ()
) -> OffererReply:
    """The offerer's observations on a preavviso di diniego, within its window; protocolled on arrival."""
    locked = _lock(application, None)
    if not by.has_perm("applications.answer_request", locked):
        raise PermissionDenied
    notice = locked.decisions.filter(kind=DecisionKind.REFUSAL_NOTICE).order_by("-decided_at", "-pk").first()
    if locked.status != ApplicationStatus.NOTICE_OF_REFUSAL or notice is None:
        raise ValidationError(_("Non ci sono preavvisi di diniego a cui rispondere."))
    if notice.reply_deadline < timezone.localdate():
        raise ValidationError(_("Il termine per presentare osservazioni è scaduto."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Scrivi le tue osservazioni.")})
    attachments = _store_integrations(application=locked, by=by, uploads=list(uploads))
    reply = OffererReply(application=locked, kind=ReplyKind.OBSERVATIONS, decision=notice, text=text, created_by=by)
    reply.protocol = protocol_register(
        direction=ProtocolDirection.INCOMING,
        sender="%s (%s)" % (locked.offerer_name, locked.offerer_tax_code),
        recipient=locked.notice.rup or "",
        subject=_("Osservazioni al preavviso di diniego"),
        sha256=_reply_digest(text, attachments),
        application=locked,
    )
    reply.save()
    reply.attachments.set(attachments)
    audit.record(
        target=locked,
        verb="application.observations_filed",
        by=by,
        data={"protocol": reply.protocol.display_number, "attachments": [a.pk for a in attachments]},
    )
    _notify_reviewer(
        locked,
        subject=_subject(locked, _("Osservazioni ricevute")),
        body=_("L'offerente ha presentato osservazioni al preavviso di diniego."),
    )
    return reply


@transaction.atomic
def review_reconsider(
    *, application: Application, by: User, reason: str, expected_status: str | None = None
) -> Application:
    """The observations are accepted: back to UNDER_REVIEW."""
    reason = _reasons(reason)
    locked = _lock(application, expected_status)
    _check_can_review(locked, by)
    _transition(locked, "reconsider", by=by, verb="application.reconsidered", reason=reason)
    _notify_offerer(locked, subject=_subject(locked, _("Istruttoria riaperta")), body=reason)
    return locked


@transaction.atomic
def decision_eligible(
    *,
    application: Application,
    by: User,
    reasons: str,
    units: Iterable[HousingUnit] | None = None,
    expected_status: str | None = None,
) -> Decision:
    """Declare the manifestation eligible; ``units`` (default: all) enter the unit registry.

    Protocols and queues the outcome letter; e-mails the offerer.
    """
    reasons = _reasons(reasons)
    locked = _lock(application, expected_status)
    _check_can_review(locked, by)
    all_units = list(locked.units.select_related("comune").order_by("position", "pk"))
    chosen = all_units if units is None else [u for u in all_units if u.pk in {x.pk for x in units}]
    if not chosen:
        raise ValidationError({"units": _("Scegli almeno un alloggio idoneo.")})
    if any(u.comune_id is None for u in chosen):
        raise ValidationError({"units": _("Un alloggio senza comune non può entrare nel registro.")})
    _transition(
        locked,
        "declare_eligible",
        by=by,
        verb="application.declared_eligible",
        reason=reasons,
        data={"units": [u.pk for u in chosen]},
    )
    decision = _decision(locked, kind=DecisionKind.ELIGIBLE, reasons=reasons, by=by)
    decision.units.set(chosen)
    for unit in chosen:
        until = None
        if unit.available_from and unit.duration_months:
            until = unit.available_from + timedelta(days=round(unit.duration_months * 30.44))
        RegistryEntry.objects.create(
            unit=unit,
            application=locked,
            comune_id=unit.comune_id,
            available_from=unit.available_from,
            available_until=until,
            availability_form=unit.availability_form,
            monthly_rent=unit.monthly_rent,
            beds=unit.beds,
            surface_m2=unit.surface_m2,
            step_free=bool(unit.step_free),
            co_housing=bool(unit.co_housing),
        )
    _notify_offerer(
        locked,
        subject=_subject(locked, _("Esito: idonea")),
        body=_("La tua manifestazione è stata dichiarata idonea. La comunicazione di esito è nella tua area."),
    )
    return decision


@transaction.atomic
def decision_not_eligible(
    *, application: Application, by: User, reasons: str, expected_status: str | None = None
) -> Decision:
    """Final refusal, after the preavviso: allowed once observations arrived or the window closed."""
    reasons = _reasons(reasons)
    locked = _lock(application, expected_status)
    _check_can_review(locked, by)
    notice = locked.decisions.filter(kind=DecisionKind.REFUSAL_NOTICE).order_by("-decided_at", "-pk").first()
    if (
        locked.status == ApplicationStatus.NOTICE_OF_REFUSAL
        and notice is not None
        and notice.reply_deadline >= timezone.localdate()
        and not notice.replies.exists()
    ):
        raise ValidationError(
            _("Il termine per le osservazioni scade il %(date)s: fino ad allora non è possibile decidere.")
            % {"date": notice.reply_deadline.strftime("%d/%m/%Y")}
        )
    _transition(locked, "declare_not_eligible", by=by, verb="application.declared_not_eligible", reason=reasons)
    decision = _decision(locked, kind=DecisionKind.NOT_ELIGIBLE, reasons=reasons, by=by)
    _notify_offerer(
        locked,
        subject=_subject(locked, _("Esito: non idonea")),
        body=_("La tua manifestazione non è stata ritenuta idonea. La comunicazione di esito è nella tua area."),
    )
    return decision


# --- Communications outbox ---------------------------------------------------------


def review_jobs_request(*, application: Application, kind: str, source_id: int) -> DocumentJob:
    """Write a pending job in the caller's transaction; send it to the worker after commit."""
    job = DocumentJob.objects.create(application=application, kind=kind, source_id=source_id)
    transaction.on_commit(lambda: review_jobs_send(job_ids=[job.pk]))
    return job


def review_jobs_send(*, job_ids: list[int]) -> int:
    """Enqueue the jobs; a broker failure is logged (no data) and left to the sweep."""
    from .tasks import review_document_job_run_task

    sent = 0
    for job_id in job_ids:
        try:
            review_document_job_run_task.apply_async(kwargs={"job_id": job_id})
            sent += 1
        except Exception as error:  # broker down: the outbox row stays pending
            logger.warning("review job %s not sent (%s); the sweep will retry", job_id, type(error).__name__)
    return sent


def review_jobs_resend_pending(*, older_than_seconds: int = 30) -> int:
    """Send again the review jobs pending for longer than ``older_than_seconds``."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        DocumentJob.objects.filter(
            kind__in=REVIEW_DOCUMENT_KINDS, done_at__isnull=True, requested_at__lte=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    return review_jobs_send(job_ids=ids)


def review_document_job_run(*, job_id: int) -> GeneratedDocument | None:
    """Render the communication of one job as a new GeneratedDocument version.

    Idempotent: a done job returns None; the same source rendered again with the same
    content reuses the existing version instead of writing a duplicate.
    """
    from django.core.files.base import ContentFile

    from . import review_documents

    job = DocumentJob.objects.select_related("application").filter(pk=job_id, done_at__isnull=True).first()
    if job is None:
        return None
    html, filename = review_documents.communication_html(kind=job.kind, source_id=job.source_id)
    digest = review_documents.source_hash(html)
    pdf = review_documents.render_pdf(html)
    with transaction.atomic():
        locked = DocumentJob.objects.select_for_update().filter(pk=job.pk, done_at__isnull=True).first()
        if locked is None:
            return None
        existing = GeneratedDocument.objects.filter(
            application_id=job.application_id, kind=job.kind, source_id=job.source_id, source_hash=digest
        ).first()
        document = existing
        if document is None:
            version = (
                GeneratedDocument.objects.filter(application_id=job.application_id, kind=job.kind).aggregate(
                    m=Max("version")
                )["m"]
                or 0
            ) + 1
            document = GeneratedDocument(
                application_id=job.application_id,
                kind=job.kind,
                version=version,
                filename=filename,
                size=len(pdf),
                sha256=hashlib.sha256(pdf).hexdigest(),
                source_hash=digest,
                source_id=job.source_id,
            )
            document.file.save("document.pdf", ContentFile(pdf), save=False)
            document.save()
        locked.done_at = timezone.now()
        locked.save(update_fields=["done_at"])
    return document
