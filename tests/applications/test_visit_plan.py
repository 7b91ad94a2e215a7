"""Issue 11, item 3: a site visit names the units visited; the offerer is told the date of a
planned visit in advance (e-mail with an iCalendar attachment) and finds it in their area."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from applications.models import Application, GeneratedKind, SiteVisit
from applications.review import services as review
from housingmix.core.documents import documents_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(application, staff, reviewer, run_on_commit):
    run_on_commit(review.review_assign, application=application, reviewer=reviewer, by=staff)
    return Application.objects.get(pk=application.pk)


def test_planned_visit_reaches_the_owner_with_an_ics_and_in_their_area(committing_client, login, assigned, reviewer):
    second = assigned.units.order_by("position", "pk")[1]
    when = timezone.localtime(timezone.now() + timedelta(days=7)).replace(hour=10, minute=30, second=0, microsecond=0)
    c = login(reviewer)
    page = c.get(reverse("review:detail", kwargs={"ref": assigned.reference})).content.decode()
    assert "Programma il sopralluogo" in page and 'type="datetime-local"' in page
    mail.outbox.clear()
    response = c.post(
        reverse("review:visit_plan", kwargs={"ref": assigned.reference}),
        {"plan-starts_at": when.strftime("%Y-%m-%dT%H:%M"), "plan-units": [str(second.pk)], "plan-notes": "Citofono 3"},
    )
    assert response.status_code == 302

    (message,) = [m for m in mail.outbox if assigned.email in m.to]
    assert when.strftime("%d/%m/%Y") in message.body and "10:30" in message.body
    assert second.display_name in message.body
    name, content, mimetype = message.attachments[0]
    assert name == "sopralluogo.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == when and second.display_name in str(event.get("location"))

    owner = login(assigned.created_by)
    status = owner.get(reverse("review:offerer_status", kwargs={"ref": assigned.reference})).content.decode()
    assert "Sopralluoghi programmati" in status and when.strftime("%d/%m/%Y") in status and "10:30" in status
    assert "Sopralluogo programmato" in status  # the public history
    plan = assigned.visit_plans.get()
    ics = owner.get(reverse("review:offerer_visit_ics", kwargs={"ref": assigned.reference, "pk": plan.pk}))
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content


def test_a_visit_in_the_past_cannot_be_planned(client, login, assigned, reviewer):
    response = login(reviewer).post(
        reverse("review:visit_plan", kwargs={"ref": assigned.reference}),
        {"plan-starts_at": "2020-01-01T10:00", "plan-units": [str(assigned.units.first().pk)]},
    )
    assert response.status_code == 400
    assert "Il sopralluogo si programma per una data futura." in response.content.decode()
    assert not assigned.visit_plans.exists()


def test_visit_report_names_the_units_visited(committing_client, login, assigned, reviewer):
    first, second = assigned.units.order_by("position", "pk")
    response = login(reviewer).post(
        reverse("review:site_visit", kwargs={"ref": assigned.reference}),
        {
            "visit-expected_status": "under_review",
            "visit-visit_date": timezone.localdate().isoformat(),
            "visit-units": [str(first.pk)],
            "visit-attendees": "Sara Neri",
        },
    )
    assert response.status_code == 302
    visit = SiteVisit.objects.get()
    assert list(visit.units.all()) == [first]
    document = documents_of(assigned, kinds=[GeneratedKind.SITE_VISIT_REPORT]).get()
    with document.file.open("rb") as handle:
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Alloggi visitati" in text and first.display_name in text and second.display_name not in text
