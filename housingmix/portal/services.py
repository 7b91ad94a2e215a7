"""Writes of the municipal model's pages: page ratings, availability, appointments."""

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from housingmix.core import audit
from housingmix.core.mail import email_queue
from housingmix.territory.selectors import ambito_current

from . import text
from .models import (
    NEGATIVE_ANSWERS,
    POSITIVE_ANSWERS,
    POSITIVE_THRESHOLD,
    Appointment,
    AppointmentStatus,
    AvailabilitySlot,
    Feedback,
    Office,
    Service,
)
from .selectors import BOOKING_LEAD_TIME

logger = logging.getLogger(__name__)

ANONYMISED_EMAIL = "anonimo@invalid.invalid"
FEEDBACK_PAGE_MAX = 200
FEEDBACK_DETAILS_MAX = 200


class SlotUnavailable(Exception):
    """The slot was booked by someone else meanwhile, withdrawn, or is no longer bookable."""


# --- Feedback -------------------------------------------------------------------------------
def feedback_answer_fits(*, rating: int, answer: str) -> bool:
    """The model asks what was liked for 4-5 stars and where the difficulties were for 1-3."""
    if not answer:
        return True
    return answer in (POSITIVE_ANSWERS if rating > POSITIVE_THRESHOLD else NEGATIVE_ANSWERS)


@transaction.atomic
def feedback_record(
    *, page: str, rating: int, answer: str, details: str, language: str, submission: uuid.UUID
) -> tuple[Feedback, bool]:
    """Store one rating of ``page`` (a path, query string dropped) without personal data.

    The same ``submission`` sent twice (a double click, a retried request) is stored once:
    returns the row and whether it was created. Raises ValidationError on a rating outside
    1-5 or an answer that does not belong to the rating's follow-up question."""
    if rating not in range(1, 6):
        raise ValidationError(_("Scegli una valutazione da 1 a 5 stelle."))
    if not feedback_answer_fits(rating=rating, answer=answer):
        raise ValidationError(_("La risposta scelta non corrisponde alla valutazione."))
    page = (page or "/").split("?", 1)[0].split("#", 1)[0][:FEEDBACK_PAGE_MAX] or "/"
    if not page.startswith("/"):
        raise ValidationError(_("Pagina non valida."))
    details = text.redact_personal_data(" ".join((details or "").split()))[:FEEDBACK_DETAILS_MAX]
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                page=page, rating=rating, answer=answer, details=details, language=language[:5], submission=submission
            )
        return feedback, True
    except IntegrityError:
        return Feedback.objects.get(submission=submission), False


# --- Availability ---------------------------------------------------------------------------
@dataclass
class SlotSeries:
    office: Office
    first_day: date
    last_day: date
    weekdays: list[int]  # 0 = Monday
    start: time
    end: time
    minutes: int


@transaction.atomic
def slots_generate(*, series: SlotSeries, by) -> int:
    """Publish slots of ``series.minutes`` between ``start`` and ``end`` on the chosen weekdays;
    slots that already exist are left as they are. Returns how many were created."""
    if series.minutes < 5 or series.start >= series.end or series.first_day > series.last_day:
        raise ValidationError(_("Controlla date, orari e durata delle disponibilità."))
    if (series.last_day - series.first_day).days > 366:
        raise ValidationError(_("Si possono creare disponibilità per un anno al massimo."))
    created = 0
    day = series.first_day
    step = timedelta(minutes=series.minutes)
    while day <= series.last_day:
        if day.weekday() in series.weekdays:
            start = timezone.make_aware(datetime.combine(day, series.start))
            day_end = timezone.make_aware(datetime.combine(day, series.end))
            while start + step <= day_end:
                _slot, was_created = AvailabilitySlot.objects.get_or_create(
                    office=series.office, starts_at=start, defaults={"ends_at": start + step}
                )
                created += was_created
                start += step
        day += timedelta(days=1)
    audit.record(target=series.office, verb="portal.slots_published", by=by, data={"created": created})
    return created


# --- Appointments ---------------------------------------------------------------------------
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def appointment_book(
    *,
    slot_id: int,
    service: Service,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    message: str = "",
    language: str = "it",
    user=None,
) -> tuple[Appointment, str]:
    """Book ``slot_id`` for ``service``; returns the appointment and its cancellation token
    (shown once, in the e-mail's link; only its hash is kept).

    Two people choosing the same slot at once: the slot row is locked, so the second waits
    and then finds it taken; the partial unique index on live bookings refuses a second one
    even where the lock is not available. Raises SlotUnavailable in both cases."""
    slot = AvailabilitySlot.objects.select_for_update().select_related("office").filter(pk=slot_id).first()
    if (
        slot is None
        or not slot.is_published
        or slot.starts_at < timezone.now() + BOOKING_LEAD_TIME
        or not service.bookable
        or not service.booking_offices.filter(pk=slot.office_id).exists()
    ):
        raise SlotUnavailable
    if Appointment.objects.filter(slot=slot, status=AppointmentStatus.BOOKED).exists():
        raise SlotUnavailable
    token = secrets.token_urlsafe(32)
    appointment = Appointment(
        slot=slot,
        service=service,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        message=message.strip(),
        language=language,
        user=user if user is not None and user.is_authenticated else None,
        cancel_token_sha256=_token_hash(token),
    )
    appointment.full_clean()
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError:
        raise SlotUnavailable from None
    audit.record(target=appointment, verb="portal.appointment_booked", by=appointment.user)
    transaction.on_commit(lambda: _appointment_mail(appointment=appointment, token=token, cancelled=False))
    return appointment, token


def appointment_get_by_token(*, token: str) -> Appointment | None:
    if not token or len(token) > 100:
        return None
    return (
        Appointment.objects.select_related("slot__office", "service")
        .filter(cancel_token_sha256=_token_hash(token))
        .first()
    )


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, by=None, by_staff: bool = False) -> Appointment:
    """Cancel a live appointment; the slot is free again at once. Cancelling twice changes nothing."""
    locked = Appointment.objects.select_for_update().select_related("slot__office", "service").get(pk=appointment.pk)
    if locked.status != AppointmentStatus.BOOKED:
        return locked
    locked.status = AppointmentStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    audit.record(
        target=locked,
        verb="portal.appointment_cancelled",
        by=by,
        data={"by": "staff" if by_staff else "citizen"},
    )
    transaction.on_commit(lambda: _appointment_mail(appointment=locked, token="", cancelled=True))
    return locked


def appointment_ics(*, appointment: Appointment, cancelled: bool = False) -> bytes:
    """The appointment as an iCalendar event (RFC 5545); a cancellation has METHOD:CANCEL."""
    import icalendar

    slot = appointment.slot
    office = slot.office
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Housing Mix//Appuntamenti//IT")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", "appointment-%d@%s" % (appointment.pk, settings.SITE_URL.split("//")[-1].split("/")[0]))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add("sequence", 1 if cancelled else 0)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("summary", "%s - %s" % (appointment.service.tr("title"), office.tr("name")))
    event.add("location", "%s, %s %s" % (office.street_address, office.postcode, office.city))
    if office.email:
        event.add("organizer", "mailto:%s" % office.email)
    calendar.add_component(event)
    return calendar.to_ical()


def _appointment_mail(*, appointment: Appointment, token: str, cancelled: bool) -> None:
    """Confirmation (with the ICS and the cancellation link) or cancellation notice, in the
    language of the booking; a copy to the office when it has an e-mail address."""
    with translation.override(appointment.language):
        context = {
            "appointment": appointment,
            "slot_start": timezone.localtime(appointment.slot.starts_at),
            "office": appointment.slot.office,
            "ambito": ambito_current(),
            "cancel_url": settings.SITE_URL + reverse("portal:booking_cancel", kwargs={"token": token})
            if token
            else "",
            "cancelled": cancelled,
            "site_url": settings.SITE_URL,
        }
        service_title = appointment.service.tr("title")
        if cancelled:
            subject = _("Appuntamento annullato: %(service)s") % {"service": service_title}
        else:
            subject = _("Appuntamento confermato: %(service)s") % {"service": service_title}
        body = render_to_string("portal/email/appointment.txt", context)
        message = EmailMultiAlternatives(subject=subject, body=body, to=[appointment.email])
        message.attach(
            "appuntamento.ics", appointment_ics(appointment=appointment, cancelled=cancelled), "text/calendar"
        )
        email_queue(message)
        office_email = appointment.slot.office.email
    if office_email:
        with translation.override("it"):
            body = render_to_string("portal/email/appointment_office.txt", context)
            when = context["slot_start"].strftime("%d/%m/%Y %H:%M")
            if cancelled:
                subject = _("Appuntamento annullato del %(when)s") % {"when": when}
            else:
                subject = _("Nuovo appuntamento il %(when)s") % {"when": when}
            email_queue(EmailMultiAlternatives(subject=subject, body=body, to=[office_email]))


@transaction.atomic
def appointments_anonymise(*, now: datetime | None = None) -> int:
    """Erase the applicant's data of appointments that ended APPOINTMENT_RETENTION_DAYS ago
    (the agenda keeps date, office, service and state). Safe to run twice; returns the count."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.APPOINTMENT_RETENTION_DAYS)
    return Appointment.objects.filter(slot__ends_at__lt=limit, anonymised_at__isnull=True).update(
        first_name="-", last_name="-", email=ANONYMISED_EMAIL, phone="", message="", user=None, anonymised_at=now
    )
