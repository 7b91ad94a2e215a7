"""Review actions as the reviewer and the offerer meet them, over HTTP (issue 18): internal notes,
resuming after a soccorso istruttorio, reconsidering after observations, the final refusal,
the offerer's observations, the reviewer's downloads; and the communications' PDF reused for
the same source."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import (
    Application,
    ApplicationStatus,
    Decision,
    DecisionKind,
    GeneratedKind,
    InternalNote,
    OffererReply,
)
from applications.review import services as review
from housingmix.core import outbox
from housingmix.core.documents import documents_of
from housingmix.core.models import AuditEvent
from housingmix.core.outbox.models import Job, JobStatus
from tests.applications.conftest import pdf_upload, png_upload
from tests.applications.factories import ApplicationFactory, social_worker

pytestmark = pytest.mark.django_db


def _url(name, application, **kwargs):
    return reverse("review:%s" % name, kwargs={"ref": application.reference, **kwargs})


def _status(application):
    return Application.objects.get(pk=application.pk).status


def test_note_add_over_http(client, login, reviewer):
    application = ApplicationFactory(under_review=True, lifecycle__reviewer=reviewer)
    c = login(reviewer)
    response = c.post(_url("note_add", application), {"note-text": "Chiamare il proprietario"})
    assert response.status_code == 302 and response["Location"].endswith("#note-interne")
    note = InternalNote.objects.get(application=application)
    assert (note.author, note.text) == (reviewer, "Chiamare il proprietario")
    page = c.get(_url("detail", application)).content.decode()
    assert "Chiamare il proprietario" in page
    # An empty note: the page again, with the form's error, nothing written.
    response = c.post(_url("note_add", application), {"note-text": ""})
    assert response.status_code == 400 and InternalNote.objects.count() == 1
    # Nobody else writes notes on it.
    assert login(social_worker("Lodi")).post(_url("note_add", application), {"note-text": "x"}).status_code == 404
    assert login(application.created_by).post(_url("note_add", application), {"note-text": "x"}).status_code == 403
    assert InternalNote.objects.count() == 1


def test_resume_over_http_closes_the_open_request(client, login, reviewer):
    application = ApplicationFactory(info_requested=True, lifecycle__reviewer=reviewer)
    c = login(reviewer)
    url = _url("resume", application)
    response = c.post(url, {"resume-reason": "", "resume-expected_status": "info_requested"})
    assert response.status_code == 400 and _status(application) == ApplicationStatus.INFO_REQUESTED
    response = c.post(url, {"resume-reason": "Termine scaduto", "resume-expected_status": "info_requested"})
    assert response.status_code == 302
    assert _status(application) == ApplicationStatus.UNDER_REVIEW
    assert not application.info_requests.filter(closed_at__isnull=True).exists()
    event = AuditEvent.objects.get(verb="application.review_resumed", object_id=str(application.pk))
    assert (event.actor, event.reason) == (reviewer, "Termine scaduto")


def test_offerer_observations_then_reconsider_over_http(client, login, staff):
    application = ApplicationFactory(notice_of_refusal=True, lifecycle__decider=staff)
    offerer = application.created_by
    response = login(offerer).post(
        reverse("review:offerer_observations", kwargs={"ref": application.reference}),
        {
            "observations-text": "La superficie è di 70 m²",
            "observations-kind_1": "other",
            "observations-file_1": pdf_upload("perizia.pdf"),
        },
    )
    assert response.status_code == 302
    reply = OffererReply.objects.get(application=application)
    assert reply.text == "La superficie è di 70 m²" and reply.protocol is not None
    assert reply.attachments.count() == 1
    # Empty observations: refused with the form's message.
    response = login(offerer).post(
        reverse("review:offerer_observations", kwargs={"ref": application.reference}), {"observations-text": ""}
    )
    assert response.status_code == 400 and "Scrivi le tue osservazioni" in response.content.decode()
    # Staff accept them: the review is open again.
    c = login(staff)
    response = c.post(
        _url("reconsider", application),
        {"reconsider-reason": "Osservazioni accolte", "reconsider-expected_status": "notice_of_refusal"},
    )
    assert response.status_code == 302
    assert _status(application) == ApplicationStatus.UNDER_REVIEW


def test_not_eligible_waits_for_the_window_then_decides_over_http(client, login, staff, reviewer):
    application = ApplicationFactory(notice_of_refusal=True, lifecycle__decider=staff)
    c = login(staff)
    data = {"not_eligible-reasons": "Motivi confermati", "not_eligible-expected_status": "notice_of_refusal"}
    response = c.post(_url("not_eligible", application), data)
    assert response.status_code == 400
    assert "non è possibile decidere" in response.content.decode()
    assert _status(application) == ApplicationStatus.NOTICE_OF_REFUSAL
    notice = application.decisions.get(kind=DecisionKind.REFUSAL_NOTICE)
    Decision.objects.filter(pk=notice.pk).update(reply_deadline=timezone.localdate() - timezone.timedelta(days=1))
    # A social worker never decides, even when assigned.
    Application.objects.filter(pk=application.pk).update(assigned_to=reviewer)
    response = login(reviewer).post(_url("not_eligible", application), data)
    assert response.status_code in (400, 403)
    assert _status(application) == ApplicationStatus.NOTICE_OF_REFUSAL
    response = login(staff).post(_url("not_eligible", application), data)
    assert response.status_code == 302
    assert _status(application) == ApplicationStatus.NOT_ELIGIBLE
    decision = application.decisions.get(kind=DecisionKind.NOT_ELIGIBLE)
    assert (decision.decided_by, decision.reasons) == (staff, "Motivi confermati")


def test_reviewer_downloads_attachment_and_visit_photo_audited(client, login, reviewer):
    application = ApplicationFactory(under_review=True, lifecycle__reviewer=reviewer)
    visit = review.site_visit_record(
        application=application,
        by=reviewer,
        visit_date=timezone.localdate(),
        attendees="Sara Neri",
        outcomes={},
        photos=[png_upload("cucina.png")],
    )
    photo = visit.photos.get()
    attachment = application.attachments.first()
    c = login(reviewer)
    response = c.get(_url("attachment", application, pk=attachment.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] in (b"%PDF", b"\x89PNG")
    response = c.get(_url("visit_photo", application, pk=photo.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    viewed = AuditEvent.objects.filter(verb="application.viewed", actor=reviewer, object_id=str(application.pk))
    assert {tuple(sorted((e.data or {}).keys())) for e in viewed} >= {("attachment",), ("visit_photo",)}
    # The offerer and other workers get none of them.
    other = login(social_worker("Lodi"))
    assert other.get(_url("visit_photo", application, pk=photo.pk)).status_code == 404
    assert login(application.created_by).get(_url("attachment", application, pk=attachment.pk)).status_code == 403


def test_communication_rendered_again_from_the_same_source_reuses_the_version(staff, run_on_commit, monkeypatch):
    from housingmix.core.documents import services as document_services

    application = ApplicationFactory(under_review=True, lifecycle__decider=staff)
    request = run_on_commit(review.info_request_create, application=application, items="Visura", by=staff)
    job = Job.objects.get(kind="applications.%s" % GeneratedKind.INFO_REQUEST)
    assert job.status == JobStatus.DONE
    [document] = documents_of(application).filter(kind=GeneratedKind.INFO_REQUEST)
    assert document.source_id == request.pk
    renders = []
    original = document_services.render_pdf
    monkeypatch.setattr(document_services, "render_pdf", lambda html: renders.append(1) or original(html))
    Job.objects.filter(pk=job.pk).update(status=JobStatus.PENDING, done_at=None)
    assert outbox.run(job_id=job.pk) == document
    assert renders == []  # found before rendering, not only under the lock
    assert documents_of(application).filter(kind=GeneratedKind.INFO_REQUEST).count() == 1
    assert outbox.run(job_id=job.pk) is None  # a finished job returns at once
