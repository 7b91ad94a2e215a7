"""Every write of the review (istruttoria): assignment, checklist, notes, soccorso istruttorio,
site visits, decisions, the offerer's answers and the communications' outbox.

Each transition runs on the row locked with SELECT ... FOR UPDATE: two reviewers acting at
once are serialised, and the second finds the state already changed and is refused with
``StaleTransition`` (nothing is written). The history shown on the pages is the
AuditEvent rows written here (who, when, from, to, reason).
"""

import hashlib
import logging
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from housingmix.accounts.models import User
from housingmix.accounts.roles import Role
from housingmix.core import audit, outbox, protocol, uploads, workflow
from housingmix.core.calendar import add_working_days, event_ics
from housingmix.core.documents import document_store
from housingmix.core.mail import email_queue
from properties.models import HousingUnit
from properties.services import registry_entry_create

from ..models import (
    OPEN_REVIEW_STATUSES,
    Application,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    CheckItem,
    CheckOutcome,
    Decision,
    DecisionKind,
    GeneratedKind,
    InfoRequest,
    InternalNote,
    OffererReply,
    ReplyKind,
    ReviewCheck,
    SiteVisit,
    SiteVisitPhoto,
    SiteVisitPlan,
    UnitOutcome,
    UnitOutcomeKind,
    VisitCheckItem,
)
from ..rules import has_stake_in
from ..services import offerer_label
from .selectors import unit_outcomes_current

logger = logging.getLogger(__name__)

REVIEW_DOCUMENT_KINDS = [
    GeneratedKind.INFO_REQUEST,
    GeneratedKind.SITE_VISIT_REPORT,
    GeneratedKind.REFUSAL_NOTICE,
    GeneratedKind.DECISION,
]


# Outbox kinds of the communications, one per document kind ("applications.info_request", …).
COMMUNICATION_JOBS = {kind: "applications.%s" % kind for kind in REVIEW_DOCUMENT_KINDS}

StaleTransition = workflow.StaleTransition


# --- Helpers -------------------------------------------------------------------


def _lock(application: Application, expected_status: str | None) -> Application:
    return workflow.lock(application, expected_status=expected_status, select_related=("notice",))


def _check_can_review(application: Application, by: User) -> None:
    if not by.has_perm("applications.review_record", application):
        raise PermissionDenied(_("Non sei l'istruttore di questa manifestazione."))


def _transition(locked: Application, name: str, *, by: User, verb: str, **kwargs: Any) -> Application:
    return workflow.transition_run(locked, name, by=by, verb=verb, clean_exclude=("package",), **kwargs)


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
    email_queue(message)


def _notify_reviewer(application: Application, *, subject: str, body: str) -> None:
    reviewer = application.assigned_to
    if reviewer is None or not reviewer.email:
        return
    with translation.override("it"):
        link = settings.SITE_URL + reverse("review:detail", kwargs={"ref": application.reference})
    message = EmailMultiAlternatives(
        subject=subject, body="%s\n\n%s\n" % (body, link), from_email=settings.DEFAULT_FROM_EMAIL, to=[reviewer.email]
    )
    email_queue(message)


def _subject(application: Application, text: str) -> str:
    return "%s - %s" % (text, _("manifestazione prot. %(number)s") % {"number": application.protocol_number})


def _outgoing_protocol(application: Application, *, subject: str, digest_of: str):
    return protocol.register(
        direction=protocol.OUTGOING,
        record=application,
        sender=application.notice.rup or _("Ufficio di Piano"),
        recipient=offerer_label(application),
        subject=subject,
        sha256=hashlib.sha256(digest_of.encode("utf-8")).hexdigest(),
    )


def _incoming_protocol(application: Application, *, subject: str, sha256: str, when=None):
    return protocol.register(
        direction=protocol.INCOMING,
        record=application,
        sender=offerer_label(application),
        recipient=application.notice.rup or "",
        subject=subject,
        sha256=sha256,
        when=when,
    )


def info_request_deadline(start: date | None = None) -> date:
    """The default deadline of a soccorso istruttorio (REVIEW_INFO_REQUEST_DAYS, working days by
    default: weekends, Italian holidays and the province's patron saint skipped)."""
    start = start or timezone.localdate()
    days = settings.REVIEW_INFO_REQUEST_DAYS
    if settings.REVIEW_INFO_REQUEST_BUSINESS_DAYS:
        return add_working_days(start, days)
    return start + timedelta(days=days)


def reviewer_is_eligible(*, application: Application, reviewer: User) -> bool:
    """Who may be assigned: Ambito staff, or a social worker of the comune of one of the units.

    A social worker reviews where they work; a manifestation with units in several comuni
    can go to a worker of any of them. The offerer's own accounts, the members of the offering
    organisation and whoever the manifestation is made for or signed by are never eligible.
    """
    if not reviewer.is_active or has_stake_in(reviewer, application):
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


def _store_integrations(*, application: Application, by: User, uploads: Iterable[tuple]) -> list[Attachment]:
    """New attachments marked ``is_integration``: what was filed before is never touched.
    Every file is checked before any is stored, so a refused file leaves nothing behind.
    ``uploads``: (file, kind) or (file, kind, unit pk or None) for a document about one unit."""
    from housingmix.core import uploads as store

    unit_ids = set(application.units.values_list("pk", flat=True))
    accepted = []
    for upload, kind, *rest in uploads:
        unit_id = rest[0] if rest else None
        if unit_id is not None and unit_id not in unit_ids:
            raise ValidationError(_("L'alloggio indicato non fa parte della manifestazione."))
        accepted.append((store.accept(upload, policy=store.DOCUMENTS), kind, unit_id))
    stored = []
    for item, kind, unit_id in accepted:
        attachment = Attachment(
            application=application,
            unit_id=unit_id,
            kind=kind if kind in AttachmentKind.values else AttachmentKind.OTHER,
            filename=item.filename,
            content_type=item.mime,
            size=item.size,
            sha256=item.sha256,
            is_integration=True,
            uploaded_by=by,
        )
        store.store(attachment, item, thumbnail_field="thumbnail")
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
    reply.protocol = _incoming_protocol(
        locked, subject=_("Integrazione documentale"), sha256=_reply_digest(text, attachments), when=now
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
    outcomes: Mapping[int, Mapping[str, tuple[str, str]]],
    summary: str = "",
    photos: Iterable[Any] = (),
    units: Iterable[HousingUnit] | None = None,
    expected_status: str | None = None,
) -> SiteVisit:
    """Record a sopralluogo of ``units`` (default: every unit); from UNDER_REVIEW the
    manifestation moves to SITE_VISIT.

    ``outcomes`` is the checklist of each unit visited: unit pk -> VisitCheckItem -> (outcome,
    note); a unit not visited, an unknown item or outcome raise ValidationError. Photos are
    checked by content. Queues the visit report PDF.
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
    visited = _units_of(locked, units)
    rows = _visit_rows(outcomes, visited)
    visit = SiteVisit(
        application=locked,
        visit_date=visit_date,
        attendees=attendees,
        outcomes=rows,
        summary=(summary or "").strip(),
        recorded_by=by,
    )
    accepted = [uploads.accept(upload, policy=uploads.IMAGES) for upload in photos]
    visit.full_clean()
    visit.save()
    visit.units.set(visited)
    for item in accepted:
        photo = SiteVisitPhoto(visit=visit, content_type=item.mime, sha256=item.sha256)
        uploads.store(photo, item)
        photo.save()
    audit.record(
        target=locked,
        verb="application.site_visit_recorded",
        by=by,
        data={"visit": visit.pk, "date": visit_date.isoformat()},
    )
    review_jobs_request(application=locked, kind=GeneratedKind.SITE_VISIT_REPORT, source_id=visit.pk)
    return visit


def _visit_rows(outcomes: Mapping[int, Mapping[str, tuple[str, str]]], visited: list[HousingUnit]) -> list[dict]:
    """The stored rows of the per-unit checklists, in the order of the units and of the items;
    empty items are left out."""
    by_pk = {u.pk: u for u in visited}
    if any(pk not in by_pk for pk in outcomes):
        raise ValidationError(_("Le verifiche riguardano solo gli alloggi visitati."))
    rows = []
    for unit in visited:
        checks = outcomes.get(unit.pk) or {}
        if any(item not in VisitCheckItem.values for item in checks):
            raise ValidationError(_("Esito non valido."))
        for item in VisitCheckItem.values:
            outcome, note = checks.get(item, ("", ""))
            outcome, note = outcome or "", (note or "").strip()
            if outcome not in CheckOutcome.values and outcome != "":
                raise ValidationError(_("Esito non valido."))
            if item == VisitCheckItem.NOTES and outcome:
                raise ValidationError(_("Esito non valido."))
            if outcome or note:
                rows.append({"unit": unit.pk, "item": item, "outcome": outcome, "note": note})
    return rows


def _units_of(application: Application, units: Iterable[HousingUnit] | None) -> list[HousingUnit]:
    """``units`` checked to be the manifestation's (None: all of them); at least one."""
    own = list(application.units.order_by("position", "pk"))
    if units is None:
        return own
    wanted = {u.pk for u in units}
    chosen = [u for u in own if u.pk in wanted]
    if not chosen or len(chosen) != len(wanted):
        raise ValidationError({"units": _("Scegli uno o più alloggi della manifestazione.")})
    return chosen


def visit_plan_ics(plan: SiteVisitPlan) -> bytes:
    """The planned visit as an iCalendar event (e-mail attachment and download)."""
    units = list(plan.units.select_related("comune").order_by("position", "pk"))
    with translation.override("it"):
        return event_ics(
            uid="sopralluogo-%d@%s" % (plan.pk, settings.SITE_URL.split("://", 1)[-1]),
            start=plan.starts_at,
            end=plan.starts_at + timedelta(minutes=plan.duration_minutes),
            summary=_("Sopralluogo Housing Mix - manifestazione prot. %(number)s")
            % {"number": plan.application.protocol_number},
            location="; ".join("%s%s" % (u.display_name, ", %s" % u.comune.name if u.comune_id else "") for u in units),
            description=plan.notes,
        )


@transaction.atomic
def site_visit_plan(
    *,
    application: Application,
    by: User,
    starts_at,
    units: Iterable[HousingUnit] | None = None,
    notes: str = "",
    duration_minutes: int = 60,
) -> SiteVisitPlan:
    """Plan a sopralluogo of ``units`` and tell the offerer in advance: an e-mail with the
    event as an iCalendar attachment, and the date in their area (history and status page)."""
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Il sopralluogo si programma per una data futura.")})
    locked = _lock(application, None)
    _check_can_review(locked, by)
    if locked.status not in (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.SITE_VISIT):
        raise ValidationError(
            _("Operazione non consentita: la manifestazione è nello stato «%(state)s».")
            % {"state": locked.get_status_display()}
        )
    chosen = _units_of(locked, units)
    plan = SiteVisitPlan(
        application=locked,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        notes=(notes or "").strip(),
        planned_by=by,
    )
    plan.full_clean()
    plan.save()
    plan.units.set(chosen)
    when = timezone.localtime(starts_at)
    audit.record(
        target=locked,
        verb="application.site_visit_planned",
        by=by,
        data={"plan": plan.pk, "starts_at": starts_at.isoformat(), "units": [u.pk for u in chosen]},
    )
    to = _offerer_address(locked)
    if to:
        with translation.override("it"):
            link = settings.SITE_URL + reverse("review:offerer_status", kwargs={"ref": locked.reference})
        body = _(
            "Ti comunichiamo che il sopralluogo degli alloggi indicati è programmato per il %(date)s alle %(time)s:\n"
            "%(units)s\n\n%(notes)s\nIn allegato trovi l'appuntamento da aggiungere al tuo calendario."
        ) % {
            "date": when.strftime("%d/%m/%Y"),
            "time": when.strftime("%H:%M"),
            "units": "\n".join("- %s" % u.display_name for u in chosen),
            "notes": plan.notes,
        }
        message = EmailMultiAlternatives(
            subject=_subject(locked, _("Sopralluogo programmato")),
            body="%s\n\n%s\n%s\n" % (body, _("Trovi i dettagli e le comunicazioni nella tua area personale:"), link),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
        )
        message.attach("sopralluogo.ics", visit_plan_ics(plan), "text/calendar")
        email_queue(message)
    return plan


# --- The reviewer's proposal ----------------------------------------------------------

PROPOSABLE_OUTCOMES = {DecisionKind.ELIGIBLE, DecisionKind.REFUSAL_NOTICE}


@transaction.atomic
def outcome_propose(*, application: Application, by: User, outcome: str, reasons: str) -> None:
    """The assigned reviewer proposes an outcome (eligible, or a preavviso di diniego) with
    reasons; the Ufficio di Piano decides. Recorded in the internal history only.

    Raises PermissionDenied unless ``by`` reviews it, ValidationError for an unknown outcome or
    outside an open review.
    """
    reasons = _reasons(reasons)
    if outcome not in PROPOSABLE_OUTCOMES:
        raise ValidationError({"outcome": _("Scegli l'esito proposto.")})
    locked = _lock(application, None)
    if not by.has_perm("applications.propose_outcome", locked):
        raise PermissionDenied(_("Non sei l'istruttore di questa manifestazione."))
    if locked.status not in (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.SITE_VISIT):
        raise ValidationError(_("La proposta di esito si formula durante l'istruttoria."))
    audit.record(target=locked, verb="application.outcome_proposed", by=by, reason=reasons, data={"outcome": outcome})


# --- Decisions ---------------------------------------------------------------------


def _decision(
    locked: Application, *, kind: str, reasons: str, by: User, digest: str = "", outcomes=(), **extra: Any
) -> Decision:
    subjects = {
        DecisionKind.REFUSAL_NOTICE: _("Preavviso di diniego"),
        DecisionKind.ELIGIBLE: _("Comunicazione di esito: idonea"),
        DecisionKind.NOT_ELIGIBLE: _("Comunicazione di esito: non idonea"),
    }
    decision = Decision(application=locked, kind=kind, reasons=reasons, decided_by=by, **extra)
    decision.protocol = _outgoing_protocol(
        locked, subject=subjects[kind], digest_of="%s|%s|%s" % (kind, reasons, digest)
    )
    decision.full_clean()
    decision.save()
    for row in outcomes:
        row.decision = decision
    UnitOutcome.objects.bulk_create(list(outcomes))
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
    """Preavviso di diniego (L. 241/1990 art. 10-bis) for every unit: reasons and a reply window
    of REVIEW_REFUSAL_REPLY_DAYS. Per-unit outcomes: ``units_decide``."""
    reasons = _reasons(reasons)
    units = application.units.all()
    return units_decide(
        application=application,
        by=by,
        reasons=reasons,
        outcomes={u.pk: (UnitOutcomeKind.REFUSAL_NOTICE, reasons) for u in units},
        expected_status=expected_status,
    )


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
    reply.protocol = _incoming_protocol(
        locked, subject=_("Osservazioni al preavviso di diniego"), sha256=_reply_digest(text, attachments)
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


def _pending_notice(locked: Application) -> Decision | None:
    return locked.decisions.filter(kind=DecisionKind.REFUSAL_NOTICE).order_by("-decided_at", "-pk").first()


@transaction.atomic
def units_decide(
    *,
    application: Application,
    by: User,
    reasons: str,
    outcomes: dict[int, tuple[str, str]],
    expected_status: str | None = None,
) -> Decision:
    """One act deciding each unit: ``outcomes`` maps unit pk to (outcome, reasons).

    During the review (after the site visit for an eligible unit) a unit is eligible or gets a
    preavviso di diniego; after a preavviso, each unit that had one is eligible or not eligible
    (once observations arrived or the window closed), and the units already eligible keep
    their outcome. Every unit must have one: none is silently dropped. The manifestation's
    state follows its units: a pending preavviso on any unit → NOTICE_OF_REFUSAL; otherwise
    ELIGIBLE if any unit is eligible, NOT_ELIGIBLE if none is. Eligible units enter the
    registry; the letter of the act lists every unit with its outcome and reasons.
    """
    reasons = _reasons(reasons)
    locked = _lock(application, expected_status)
    _check_can_review(locked, by)
    units = list(locked.units.select_related("comune").order_by("position", "pk"))
    previous = unit_outcomes_current(locked)
    after_notice = locked.status == ApplicationStatus.NOTICE_OF_REFUSAL
    if after_notice:
        notice = _pending_notice(locked)
        if notice is not None and notice.reply_deadline >= timezone.localdate() and not notice.replies.exists():
            raise ValidationError(
                _("Il termine per le osservazioni scade il %(date)s: fino ad allora non è possibile decidere.")
                % {"date": notice.reply_deadline.strftime("%d/%m/%Y")}
            )
        allowed = {UnitOutcomeKind.ELIGIBLE, UnitOutcomeKind.NOT_ELIGIBLE}
        # Units decided eligible in the preavviso act keep that outcome; the others are decided now.
        to_decide = [u for u in units if not (u.pk in previous and previous[u.pk].outcome == UnitOutcomeKind.ELIGIBLE)]
    elif locked.status in (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.SITE_VISIT):
        allowed = {UnitOutcomeKind.ELIGIBLE, UnitOutcomeKind.REFUSAL_NOTICE}
        to_decide = units
    else:
        raise ValidationError(
            _("Operazione non consentita: la manifestazione è nello stato «%(state)s».")
            % {"state": locked.get_status_display()}
        )
    rows: list[UnitOutcome] = []
    errors = []
    for unit in to_decide:
        outcome, unit_reasons = outcomes.get(unit.pk, ("", ""))
        unit_reasons = (unit_reasons or "").strip()
        if outcome in UnitOutcomeKind.values and outcome not in allowed:
            raise ValidationError(
                _("Operazione non consentita: la manifestazione è nello stato «%(state)s».")
                % {"state": locked.get_status_display()}
            )
        if outcome not in allowed:
            errors.append(_("Scegli l'esito dell'alloggio %(unit)s.") % {"unit": unit.display_name})
            continue
        if outcome != UnitOutcomeKind.ELIGIBLE and not unit_reasons:
            errors.append(_("Scrivi la motivazione per l'alloggio %(unit)s.") % {"unit": unit.display_name})
            continue
        if outcome == UnitOutcomeKind.ELIGIBLE and locked.status == ApplicationStatus.UNDER_REVIEW:
            raise ValidationError(_("Un alloggio si dichiara idoneo dopo il sopralluogo."))
        if outcome == UnitOutcomeKind.ELIGIBLE and unit.comune_id is None:
            errors.append(_("Un alloggio senza comune non può entrare nel registro."))
            continue
        rows.append(UnitOutcome(unit=unit, outcome=outcome, reasons=unit_reasons))
    if errors:
        raise ValidationError(errors)
    decided = {row.unit_id for row in rows}
    carried = [
        UnitOutcome(unit=u, outcome=previous[u.pk].outcome, reasons=previous[u.pk].reasons, carried=True)
        for u in units
        if u.pk not in decided
    ]
    kinds = {row.outcome for row in rows + carried}
    data = {"units": {str(row.unit_id): row.outcome for row in rows}}
    if UnitOutcomeKind.REFUSAL_NOTICE in kinds:
        _transition(locked, "notify_refusal", by=by, verb="application.refusal_notified", reason=reasons, data=data)
        act_kind = DecisionKind.REFUSAL_NOTICE
    elif UnitOutcomeKind.ELIGIBLE in kinds:
        name = "declare_eligible_after_notice" if after_notice else "declare_eligible"
        _transition(locked, name, by=by, verb="application.declared_eligible", reason=reasons, data=data)
        act_kind = DecisionKind.ELIGIBLE
    else:
        _transition(
            locked, "declare_not_eligible", by=by, verb="application.declared_not_eligible", reason=reasons, data=data
        )
        act_kind = DecisionKind.NOT_ELIGIBLE
    extra = {}
    if act_kind == DecisionKind.REFUSAL_NOTICE:
        extra["reply_deadline"] = timezone.localdate() + timedelta(days=settings.REVIEW_REFUSAL_REPLY_DAYS)
    digest = "|".join("%s:%s:%s" % (r.unit_id, r.outcome, r.reasons) for r in rows)
    decision = _decision(locked, kind=act_kind, reasons=reasons, by=by, digest=digest, outcomes=rows + carried, **extra)
    newly_eligible = [r.unit for r in rows if r.outcome == UnitOutcomeKind.ELIGIBLE]
    decision.units.set([r.unit for r in rows + carried if r.outcome == UnitOutcomeKind.ELIGIBLE])
    for unit in newly_eligible:
        registry_entry_create(unit=unit, by=by)
    if act_kind == DecisionKind.REFUSAL_NOTICE:
        subject = _("Preavviso di diniego")
        body = _("Puoi presentare osservazioni e documenti entro il %(date)s.") % {
            "date": extra["reply_deadline"].strftime("%d/%m/%Y")
        }
    elif act_kind == DecisionKind.ELIGIBLE:
        subject = _("Esito: idonea")
        body = _("La tua manifestazione è stata dichiarata idonea. La comunicazione di esito è nella tua area.")
    else:
        subject = _("Esito: non idonea")
        body = _("La tua manifestazione non è stata ritenuta idonea. La comunicazione di esito è nella tua area.")
    labels = dict(UnitOutcomeKind.choices)
    lines = [
        "- %s: %s%s" % (r.unit.display_name, labels[r.outcome], (" (%s)" % r.reasons) if r.reasons else "")
        for r in rows + carried
    ]
    _notify_offerer(
        locked,
        subject=_subject(locked, subject),
        body="%s\n\n%s\n%s" % (body, _("Esito di ciascun alloggio:"), "\n".join(lines)),
    )
    return decision


@transaction.atomic
def decision_eligible(
    *,
    application: Application,
    by: User,
    reasons: str,
    units: Iterable[HousingUnit] | None = None,
    expected_status: str | None = None,
) -> Decision:
    """Declare the manifestation eligible. ``units`` (default: all) are eligible; any unit left
    out gets a preavviso di diniego with the same reasons, never silently dropped."""
    reasons = _reasons(reasons)
    chosen = None if units is None else {u.pk for u in units}
    if chosen is not None and not chosen:
        raise ValidationError({"units": _("Scegli almeno un alloggio idoneo.")})
    outcomes = {
        u.pk: (UnitOutcomeKind.ELIGIBLE, "")
        if chosen is None or u.pk in chosen
        else (UnitOutcomeKind.REFUSAL_NOTICE, reasons)
        for u in application.units.all()
    }
    return units_decide(
        application=application, by=by, reasons=reasons, outcomes=outcomes, expected_status=expected_status
    )


@transaction.atomic
def decision_not_eligible(
    *, application: Application, by: User, reasons: str, expected_status: str | None = None
) -> Decision:
    """Final refusal of every unit still open, after the preavviso: allowed once observations
    arrived or the window closed."""
    reasons = _reasons(reasons)
    return units_decide(
        application=application,
        by=by,
        reasons=reasons,
        outcomes={u.pk: (UnitOutcomeKind.NOT_ELIGIBLE, reasons) for u in application.units.all()},
        expected_status=expected_status,
    )


# --- Communications (outbox) -------------------------------------------------------


def review_jobs_request(*, application: Application, kind: str, source_id: int) -> outbox.Job:
    """Request the PDF of a communication in the caller's transaction (rendered by the worker)."""
    return outbox.request(COMMUNICATION_JOBS[kind], target=application, data={"source_id": source_id})


def communication_job_run(job: outbox.Job):
    """Outbox handler: render one communication (request, visit report, preavviso, outcome) as a
    GeneratedDocument of the manifestation; the same source rendered again with the same content
    gives back the existing version."""
    from . import documents

    kind = job.kind.split(".", 1)[1]
    source_id = job.data["source_id"]
    application = Application.objects.select_related("protocol").filter(pk=job.target_id).first()
    if application is None:
        return None
    html, filename, title = documents.communication_html(kind=kind, source_id=source_id)
    document, _created = document_store(
        owner=application,
        kind=kind,
        html=html,
        title=title,
        filename=lambda version: filename,
        source_id=source_id,
        job=job,
    )
    return document
