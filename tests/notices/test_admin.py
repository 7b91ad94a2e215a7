from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from housingmix.core.models import AuditEvent
from housingmix.notices.models import Notice, NoticeStatus
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db


def _form_data(**overrides):
    now = timezone.localtime()
    data = {
        "title": "Avviso creato dal back office",
        "kind": "interest",
        "summary": "Sintesi dell'avviso.",
        "body": "Testo integrale.",
        "act_number": "12/2026",
        "act_date": now.strftime("%d/%m/%Y"),
        "opens_at_0": now.strftime("%d/%m/%Y"),
        "opens_at_1": "09:00",
        "closes_at_0": (now + timedelta(days=30)).strftime("%d/%m/%Y"),
        "closes_at_1": "12:00",
        "rup": "Dott.ssa Anna Bianchi",
        "faq-TOTAL_FORMS": "0",
        "faq-INITIAL_FORMS": "0",
        "faq-MIN_NUM_FORMS": "0",
        "faq-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_staff_creates_a_draft_and_publishes_it_with_the_action(client, staff):
    client.force_login(staff)
    response = client.post(reverse("admin:notices_notice_add"), _form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = Notice.objects.get(title="Avviso creato dal back office")
    assert notice.status == NoticeStatus.DRAFT
    response = client.post(
        reverse("admin:notices_notice_changelist"),
        {"action": "action_publish", "_selected_action": [notice.pk]},
        follow=True,
    )
    assert "Avvisi pubblicati: 1" in response.content.decode()
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PUBLISHED
    assert AuditEvent.objects.filter(verb="notice.published", actor=staff).exists()


def test_editing_a_published_notice_needs_a_reason_and_amends_it(client, staff):
    notice = NoticeFactory(published=True)
    client.force_login(staff)
    url = reverse("admin:notices_notice_change", args=[notice.pk])
    data = _form_data(title="Titolo rettificato")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Indica il motivo della rettifica" in response.content.decode()
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PUBLISHED
    response = client.post(url, {**data, "amendment_reason": "Errore nel titolo"})
    assert response.status_code == 302
    notice = Notice.objects.get(pk=notice.pk)
    assert (notice.status, notice.title) == (NoticeStatus.AMENDED, "Titolo rettificato")
    assert notice.revisions.get().reason == "Errore nel titolo"


def test_withdrawal_asks_for_confirmation_and_reason(client, staff):
    notice = NoticeFactory(published=True)
    client.force_login(staff)
    url = reverse("admin:notices_notice_withdraw", args=[notice.pk])
    assert "Conferma il ritiro" in client.get(url).content.decode()
    client.post(url, {"reason": ""})
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PUBLISHED
    client.post(url, {"reason": "Ritiro in autotutela"})
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.WITHDRAWN


def test_attachment_upload_with_a_bad_file_shows_a_message(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    notice = NoticeFactory(published=True)
    client.force_login(staff)
    response = client.post(
        reverse("admin:notices_notice_upload", args=[notice.pk]),
        {"kind": "annex", "title": "Allegato A", "upload": SimpleUploadedFile("a.pdf", b"not a pdf at all")},
    )
    assert response.status_code == 200
    assert "non è di un tipo ammesso" in response.content.decode()
    assert notice.documents.count() == 0


def test_publish_action_explains_why_a_notice_cannot_go_out(client, staff):
    notice = NoticeFactory(closes_at=timezone.now() + timedelta(days=3))
    client.force_login(staff)
    response = client.post(
        reverse("admin:notices_notice_changelist"),
        {"action": "action_publish", "_selected_action": [notice.pk]},
        follow=True,
    )
    assert "deve restare aperto almeno 15 giorni" in response.content.decode()
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.DRAFT
