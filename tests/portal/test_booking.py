"""Appointments: booked from published slots, confirmed with an ICS, cancelled by link, never twice."""

import re
import threading
from datetime import date, time, timedelta

import icalendar
import pytest
from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, connections, transaction
from django.urls import reverse
from django.utils import timezone

from housingmix.core.models import AuditEvent
from housingmix.portal import selectors, services
from housingmix.portal.models import Appointment, AppointmentStatus, AvailabilitySlot
from tests.accounts.factories import UserFactory

from .conftest import parse_strict
from .factories import OfficeFactory, ServiceFactory, SlotFactory

CANCEL_LINK = re.compile(r"http://\S+/prenota-appuntamento/annulla/(?P<token>[\w-]+)/")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def book(slot, service, **overrides):
    data = dict(
        slot_id=slot.pk,
        service=service,
        first_name="Lucia",
        last_name="Verdi",
        email="lucia.verdi@example.org",
        phone="333 1234567",
        message="Vorrei offrire un bilocale a Codogno.",
        language="it",
    )
    data.update(overrides)
    return services.appointment_book(**data)


def booking_post(client, slot, service, **overrides):
    data = {
        "office": slot.office.slug,
        "service": service.slug,
        "slot": str(slot.pk),
        "first_name": "Lucia",
        "last_name": "Verdi",
        "email": "lucia.verdi@example.org",
        "phone": "",
        "message": "",
        "privacy": "on",
    }
    data.update(overrides)
    return client.post(reverse("portal:booking"), data)


@pytest.mark.django_db
def test_citizen_books_a_free_slot_and_gets_the_confirmation_with_an_ics(client, model_site, run_on_commit):
    service, slot = model_site["service"], model_site["slots"][0]

    page = client.get(reverse("portal:booking"), {"service": service.slug})
    assert page.status_code == 200
    assert [s.pk for s in page.context["form"].fields["slot"].queryset] == [s.pk for s in model_site["slots"]]

    response = run_on_commit(booking_post, client, slot, service)

    assert response.status_code == 302 and response["Location"] == reverse("portal:booking_done")
    appointment = Appointment.objects.get()
    assert (appointment.slot, appointment.service, appointment.status) == (slot, service, AppointmentStatus.BOOKED)
    assert AuditEvent.objects.filter(verb="portal.appointment_booked", object_id=str(appointment.pk)).exists()
    done = client.get(response["Location"])
    assert "lucia.verdi@example.org" in done.content.decode()
    parse_strict(done.content)
    assert slot not in selectors.slots_free(office=slot.office)

    citizen, office = mail.outbox
    assert citizen.to == ["lucia.verdi@example.org"] and office.to == [slot.office.email]
    assert service.title in citizen.subject
    (name, content, mimetype) = citizen.attachments[0]
    assert (name, mimetype) == ("appuntamento.ics", "text/calendar")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == slot.starts_at
    assert event.decoded("dtend") == slot.ends_at
    assert str(event["status"]) == "CONFIRMED"
    link = CANCEL_LINK.search(citizen.body)
    assert link is not None
    # The link identifies the booking by a random token only, never by personal data.
    assert "lucia" not in link.group(0).lower() and "verdi" not in link.group(0).lower()
    assert appointment.cancel_token_sha256 != link.group("token")


@pytest.mark.django_db
def test_cancellation_by_link_frees_the_slot_and_sends_a_cancel_ics(client, model_site, run_on_commit):
    service, slot = model_site["service"], model_site["slots"][1]
    appointment, token = run_on_commit(book, slot, service)
    mail.outbox.clear()
    cancel_url = reverse("portal:booking_cancel", kwargs={"token": token})

    page = client.get(cancel_url)
    assert page.status_code == 200 and "Annulla l'appuntamento" in page.content.decode()
    parse_strict(page.content)
    assert page["Cache-Control"].startswith("private") or "no-store" in page["Cache-Control"]
    response = run_on_commit(client.post, cancel_url)

    assert response.status_code == 200
    assert "L'appuntamento è stato annullato" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.cancelled_at
    assert slot in selectors.slots_free(office=slot.office)
    event = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(event["method"]) == "CANCEL"
    # The freed slot can be booked again.
    again, _token = book(slot, service, email="paolo@example.org")
    assert again.status == AppointmentStatus.BOOKED
    # A second click on the link changes nothing.
    assert "già stato annullato" in client.post(cancel_url).content.decode()


@pytest.mark.django_db
def test_unknown_cancellation_token_is_not_found(client):
    assert client.get(reverse("portal:booking_cancel", kwargs={"token": "x" * 43})).status_code == 404


@pytest.mark.django_db
def test_a_booked_slot_cannot_be_booked_again(model_site):
    service, slot = model_site["service"], model_site["slots"][0]
    book(slot, service)

    with pytest.raises(services.SlotUnavailable):
        book(slot, service, email="paolo@example.org")
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_live_booking_of_a_slot(model_site):
    service, slot = model_site["service"], model_site["slots"][0]
    first, _token = book(slot, service)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            slot=slot, service=service, first_name="A", last_name="B", email="a@example.org", cancel_token_sha256="x"
        )
    services.appointment_cancel(appointment=first)
    Appointment.objects.create(
        slot=slot, service=service, first_name="A", last_name="B", email="a@example.org", cancel_token_sha256="y"
    )
    assert Appointment.objects.filter(slot=slot, status=AppointmentStatus.BOOKED).count() == 1


@pytest.mark.django_db
def test_slot_taken_meanwhile_asks_to_choose_another(client, model_site):
    service, slot = model_site["service"], model_site["slots"][0]
    book(slot, service, email="first@example.org")

    response = booking_post(client, slot, service)

    assert response.status_code == 200
    assert Appointment.objects.count() == 1
    assert "non è più disponibile" in response.content.decode()


@pytest.mark.django_db
def test_slots_of_another_office_or_too_soon_are_refused(model_site):
    service = model_site["service"]
    other = SlotFactory(office=OfficeFactory())
    soon = SlotFactory(office=service.office, starts_at=timezone.now() + timedelta(minutes=30))

    for slot in (other, soon):
        with pytest.raises(services.SlotUnavailable):
            book(slot, service)


@pytest.mark.django_db
def test_booking_requires_the_privacy_acknowledgement(client, model_site):
    response = booking_post(client, model_site["slots"][0], model_site["service"], privacy="")

    assert response.status_code == 200
    assert not Appointment.objects.exists()
    assert "informativa" in response.content.decode()


@pytest.mark.django_db
def test_booking_form_is_prefilled_for_a_logged_in_user(client, model_site):
    client.force_login(UserFactory(first_name="Marco", last_name="Rossi", email="marco@example.org"))

    page = client.get(reverse("portal:booking"), {"service": model_site["service"].slug})

    assert page.context["form"].initial["email"] == "marco@example.org"


@pytest.mark.django_db
def test_bookings_are_limited_per_client(client, model_site, settings):
    settings.BOOKING_RATE_LIMIT_PER_HOUR = 1
    service, slots = model_site["service"], model_site["slots"]
    booking_post(client, slots[0], service)

    response = booking_post(client, slots[1], service, email="other@example.org")

    assert response.status_code == 429
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_staff_cancel_from_the_agenda_and_the_citizen_is_told(client, model_site, django_capture_on_commit_callbacks):
    appointment, _token = book(model_site["slots"][0], model_site["service"])
    client.force_login(UserFactory(staff=True))
    mail.outbox.clear()

    agenda = client.get(reverse("admin:portal_appointment_changelist"), follow=True)
    assert agenda.status_code == 200 and "Verdi" in agenda.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:portal_appointment_changelist") + "?status__exact=booked",
            {"action": "cancel", "_selected_action": [appointment.pk]},
        )

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert mail.outbox[0].to == ["lucia.verdi@example.org"]
    assert AuditEvent.objects.get(verb="portal.appointment_cancelled").data == {"by": "staff"}


@pytest.mark.django_db
def test_staff_publish_a_series_of_slots_once(client):
    office = OfficeFactory()
    staff = UserFactory(staff=True)
    client.force_login(staff)
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    data = {
        "office": office.pk,
        "first_day": monday.isoformat(),
        "last_day": (monday + timedelta(days=6)).isoformat(),
        "weekdays": ["0", "2"],
        "start": "09:00",
        "end": "11:00",
        "minutes": "30",
    }

    response = client.post(reverse("admin:portal_availabilityslot_series"), data)
    client.post(reverse("admin:portal_availabilityslot_series"), data)

    assert response.status_code == 302
    slots = AvailabilitySlot.objects.filter(office=office).order_by("starts_at")
    assert slots.count() == 8
    first = timezone.localtime(slots[0].starts_at)
    assert (first.date(), first.time()) == (monday, time(9, 0))


@pytest.mark.django_db
def test_personal_data_of_past_appointments_is_erased(model_site, settings):
    appointment, _token = book(model_site["slots"][0], model_site["service"])
    later = model_site["slots"][0].ends_at + timedelta(days=settings.APPOINTMENT_RETENTION_DAYS + 1)

    assert services.appointments_anonymise(now=later) == 1
    assert services.appointments_anonymise(now=later) == 0

    appointment.refresh_from_db()
    assert (appointment.first_name, appointment.phone, appointment.message) == ("-", "", "")
    assert "lucia" not in appointment.email and appointment.anonymised_at == later


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except services.SlotUnavailable:
            results[index] = ("taken", None)
        except Exception as error:  # surfaced by the assertions
            results[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_slot_give_exactly_one_appointment():
    service = ServiceFactory()
    slot = SlotFactory(office=service.office)

    results = _race([lambda n=n: book(slot, service, email="persona%d@example.org" % n) for n in range(5)])

    assert sorted(r[0] for r in results) == ["ok", "taken", "taken", "taken", "taken"], results
    assert Appointment.objects.filter(slot=slot, status=AppointmentStatus.BOOKED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_booking_and_cancellation_keep_one_live_booking():
    service = ServiceFactory()
    slot = SlotFactory(office=service.office)
    first, _token = book(slot, service)

    results = _race(
        [lambda: services.appointment_cancel(appointment=first)]
        + [lambda n=n: book(slot, service, email="persona%d@example.org" % n) for n in range(3)]
    )

    assert all(r[0] in ("ok", "taken") for r in results), results
    assert Appointment.objects.filter(slot=slot, status=AppointmentStatus.BOOKED).count() <= 1


@pytest.mark.django_db
def test_slot_series_refuses_nonsense():
    with pytest.raises(Exception, match="Controlla"):
        services.slots_generate(
            series=services.SlotSeries(
                office=OfficeFactory(),
                first_day=date(2027, 1, 10),
                last_day=date(2027, 1, 1),
                weekdays=[0],
                start=time(9),
                end=time(12),
                minutes=30,
            ),
            by=None,
        )
