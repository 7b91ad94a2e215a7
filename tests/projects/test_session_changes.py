"""Moving and cancelling a table session over HTTP: every participant receives the update with the
same UID and a higher SEQUENCE, or the cancellation (METHOD:CANCEL); bad input is a message."""

import base64
from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from housingmix.core.models import OutgoingEmail
from projects.models import SessionStatus
from tests.projects.factories import ets_operator, fresh, ranked_call, schedule_session

pytestmark = pytest.mark.django_db


def _event(email: OutgoingEmail):
    (attachment,) = email.attachments
    assert attachment["mimetype"] == "text/calendar"
    calendar = icalendar.Calendar.from_ical(base64.b64decode(attachment["content"]))
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_moved_session_sends_the_update_with_the_same_uid_and_a_higher_sequence(login):
    call, first, _second, _seats = ranked_call()
    session = schedule_session(call, first)
    (invite,) = OutgoingEmail.objects.filter(subject__startswith="Convocazione", to=[first.operator.email])
    _cal, original = _event(invite)
    client = login(call.staff)
    detail = reverse("projects:session_detail", kwargs={"pk": session.pk})
    assert "Sposta la seduta" in client.get(detail).content.decode()
    url = reverse("projects:session_move", kwargs={"pk": session.pk})
    assert client.get(url).status_code == 200
    new_start = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    response = client.post(url, {"starts_at": _local(new_start), "place": "Palazzo Broletto, Lodi"})
    assert response.status_code == 302 and response.url == detail
    session = fresh(session)
    assert session.starts_at == new_start and session.place == "Palazzo Broletto, Lodi"
    updates = OutgoingEmail.objects.filter(subject__startswith="Seduta spostata")
    assert updates.count() == 2  # staff and the ETS operator
    update = updates.get(to=[first.operator.email])
    assert "Palazzo Broletto" in update.body and timezone.localtime(new_start).strftime("%d/%m/%Y %H:%M") in update.body
    _cal, event = _event(update)
    assert str(event["uid"]) == str(original["uid"])
    assert int(event["sequence"]) == int(original["sequence"]) + 1
    assert event.decoded("dtstart") == new_start
    # A second move goes one higher again.
    client.post(url, {"starts_at": _local(new_start + timedelta(days=1)), "place": "Palazzo Broletto, Lodi"})
    latest = OutgoingEmail.objects.filter(subject__startswith="Seduta spostata", to=[first.operator.email])
    _cal, event = _event(latest.order_by("-pk").first())
    assert int(event["sequence"]) == int(original["sequence"]) + 2


def test_move_refuses_a_past_date_and_garbage_without_a_500(login):
    call, first, _second, _seats = ranked_call()
    session = schedule_session(call, first)
    client = login(call.staff)
    url = reverse("projects:session_move", kwargs={"pk": session.pk})
    past = client.post(url, {"starts_at": _local(timezone.now() - timedelta(days=1)), "place": "Lodi"})
    assert past.status_code == 200 and "deve essere futura" in past.content.decode()
    garbage = client.post(url, {"starts_at": "domani", "place": "x" * 500, "online_link": "non un link"})
    assert garbage.status_code == 200
    assert fresh(session).starts_at == session.starts_at
    assert not OutgoingEmail.objects.filter(subject__startswith="Seduta spostata").exists()


def test_cancelled_session_sends_method_cancel_to_every_participant(login):
    call, first, _second, _seats = ranked_call()
    session = schedule_session(call, first)
    (invite,) = OutgoingEmail.objects.filter(subject__startswith="Convocazione", to=[first.operator.email])
    _cal, original = _event(invite)
    client = login(call.staff)
    url = reverse("projects:session_cancel", kwargs={"pk": session.pk})
    assert client.post(url, {"reason": ""}).status_code == 200  # the reason is required
    assert fresh(session).status == SessionStatus.SCHEDULED
    client.post(url, {"reason": "Indisponibilità della sala"})
    session = fresh(session)
    assert session.status == SessionStatus.CANCELLED and session.cancel_reason == "Indisponibilità della sala"
    cancellations = OutgoingEmail.objects.filter(subject__startswith="Seduta annullata")
    assert cancellations.count() == 2
    mail = cancellations.get(to=[first.operator.email])
    assert "Indisponibilità della sala" in mail.body
    calendar, event = _event(mail)
    assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == str(original["uid"]) and int(event["sequence"]) > int(original["sequence"])
    # A cancelled session cannot be moved or cancelled again.
    detail = reverse("projects:session_detail", kwargs={"pk": session.pk})
    page = client.get(detail).content.decode()
    assert "Sposta la seduta" not in page and "Indisponibilità della sala" in page
    moved = client.post(reverse("projects:session_move", kwargs={"pk": session.pk}), {"starts_at": "2030-01-01T10:00"})
    assert moved.status_code == 302 and not OutgoingEmail.objects.filter(subject__startswith="Seduta spostata").exists()


def test_only_staff_move_or_cancel(login):
    call, first, _second, _seats = ranked_call()
    session = schedule_session(call, first)
    ets = login(first.operator)
    assert ets.get(reverse("projects:session_move", kwargs={"pk": session.pk})).status_code == 404
    assert ets.post(reverse("projects:session_cancel", kwargs={"pk": session.pk}), {"reason": "x"}).status_code == 404
    outsider, _org = ets_operator()
    assert login(outsider).get(reverse("projects:session_cancel", kwargs={"pk": session.pk})).status_code == 404
    assert fresh(session).status == SessionStatus.SCHEDULED
