import re
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
        "opens_at": now.strftime("%Y-%m-%dT09:00"),
        "closes_at": (now + timedelta(days=30)).strftime("%Y-%m-%dT12:00"),
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


# --- Issue 11, item 13 -------------------------------------------------------------------


def test_non_numeric_id_is_not_a_500(client, staff):
    client.force_login(staff)
    response = client.get("/backoffice/notices/notice/abc/change/")
    assert response.status_code in (302, 404)


def test_date_time_inputs_each_have_their_label(client, staff):
    client.force_login(staff)
    content = client.get(reverse("admin:notices_notice_add")).content.decode()
    for name in ("opens_at", "closes_at"):
        assert 'type="datetime-local" name="%s"' % name in content
        assert re.search(r'<label[^>]*for="id_%s"' % name, content)
        assert 'name="%s_0"' % name not in content


def test_added_message_elides_the_article(client, staff):
    client.force_login(staff)
    response = client.post(reverse("admin:notices_notice_add"), _form_data(), follow=True)
    content = response.content.decode()
    assert "L&#x27;avviso" in content or "L'avviso" in content
    assert "Il avviso" not in content


def test_notice_page_has_a_publish_button_and_lists_attachments(client, staff):
    from housingmix.notices import services

    client.force_login(staff)
    client.post(reverse("admin:notices_notice_add"), _form_data())
    notice = Notice.objects.get(title="Avviso creato dal back office")
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    services.document_upload(
        notice=notice,
        by=staff,
        kind="annex",
        title="Modulo di domanda",
        upload=SimpleUploadedFile("modulo.pdf", pdf, content_type="application/pdf"),
    )
    page = client.get(reverse("admin:notices_notice_change", args=[notice.pk])).content.decode()
    assert "Modulo di domanda" in page and "versione 1" in page
    assert 'form="notice-publish"' in page and 'id="notice-publish"' in page
    response = client.post(reverse("admin:notices_notice_publish", args=[notice.pk]))
    assert response.status_code == 302
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PUBLISHED
