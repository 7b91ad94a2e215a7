"""The e-mails a co-design decision sends to the ETS concerned, triggered over HTTP as staff do:
admissibility (with the reasons), the published ranking (position, score, appeal window), a report
approved or sent back (with the notes), the agreement ready to sign (its PDF attached)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from housingmix.core.documents.models import GeneratedDocument
from housingmix.core.mail import JOB_KIND
from housingmix.core.models import OutgoingEmail
from housingmix.core.outbox import Job
from projects import services
from tests.applications.conftest import pdf_upload
from tests.projects.factories import (
    close_window,
    codesign_call,
    evaluation,
    fresh,
    ranked_call,
    score,
    submitted_proposal,
)

pytestmark = pytest.mark.django_db


def _mails_to(user):
    return [m for m in OutgoingEmail.objects.order_by("pk") if m.to == [user.email]]


def test_admitted_and_not_admitted_proposals_are_told_with_the_reasons(login):
    call = codesign_call()
    admitted, refused = submitted_proposal(call), submitted_proposal(call)
    close_window(call)
    services.call_start_evaluation(call=call, by=call.staff)
    client = login(call.staff)
    client.post(
        reverse("projects:proposal_admissibility", kwargs={"pk": admitted.pk}),
        {"admit": "1", "reason": "Requisiti presenti"},
    )
    client.post(
        reverse("projects:proposal_admissibility", kwargs={"pk": refused.pk}),
        {"refuse": "1", "reason": "Manca l'iscrizione al RUNTS del partner"},
    )
    (yes,) = [m for m in _mails_to(admitted.operator) if m.subject.startswith("Proposta ammessa")]
    assert admitted.protocol.display_number in yes.subject
    assert "ammessa alla valutazione" in yes.body and admitted.title in yes.body
    assert reverse("projects:proposal_detail", kwargs={"pk": admitted.pk}) in yes.body
    (no,) = [m for m in _mails_to(refused.operator) if m.subject.startswith("Proposta non ammessa")]
    assert "Manca l'iscrizione al RUNTS del partner" in no.body and "non è stata ammessa" in no.body
    # The broker carries the stored message's id only.
    job = Job.objects.filter(kind=JOB_KIND, target_id=str(no.pk)).get()
    assert job.data == {}


def test_ranking_published_tells_each_ets_its_position_score_and_appeal_window():
    call, first, second, _seats = ranked_call()
    # ranked_call publishes through the service: the same e-mails a staff click sends.
    call = fresh(call)
    (to_second,) = [m for m in _mails_to(second.operator) if m.subject.startswith("Graduatoria pubblicata")]
    assert "al 1° posto con 87,50 punti su 100,00" in to_second.body
    assert call.ranking_protocol.display_number in to_second.body
    assert "entro 30 giorni" in to_second.body and call.appeal_deadline.strftime("%d/%m/%Y") in to_second.body
    (to_first,) = [m for m in _mails_to(first.operator) if m.subject.startswith("Graduatoria pubblicata")]
    assert "al 2° posto con 75,00 punti" in to_first.body
    # Each ETS reads its own result only.
    assert second.organisation.name not in to_first.body and "87,50" not in to_first.body


def test_ranking_published_over_http_tells_a_proposal_below_threshold(login):
    call = codesign_call()
    proposal = submitted_proposal(call)
    seats = evaluation(call, [proposal])
    for member in seats:
        score(proposal, member, [20, 10, 5, 5, 5])
    login(call.staff).post(reverse("projects:call_action", kwargs={"pk": call.pk, "action": "publish_ranking"}))
    (mail,) = [m for m in _mails_to(proposal.operator) if m.subject.startswith("Graduatoria pubblicata")]
    assert "45,00 punti" in mail.body and "sotto la soglia di ammissione di 60,00 punti" in mail.body
    assert "ricorso entro 30 giorni" in mail.body


def _active_project(call, proposal):
    project = services.project_create(proposal=proposal, by=call.staff)
    agreement = services.agreement_create(
        project=project, by=call.staff, starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31)
    )
    services.agreement_sign(agreement=agreement, by=call.staff, upload=pdf_upload("firmata.pdf"))
    services.agreement_activate(agreement=agreement, by=call.staff)
    return project


def test_report_sent_back_with_the_notes_then_approved(login):
    call, first, _second, _seats = ranked_call()
    project = _active_project(call, first)
    ets = login(first.operator)
    ets.post(
        reverse("projects:report_create", kwargs={"pk": project.pk}),
        {"period_start": "2026-04-01", "period_end": "2026-06-30"},
    )
    report = project.reports.get()
    url = reverse("projects:report_detail", kwargs={"pk": report.pk})
    ets.post(url, {"save": "1", "activities": "Tutoraggio", "hours": "40"})
    ets.post(url, {"submit": "1"})
    staff = login(call.staff)
    staff.post(url, {"send_back": "1", "back-notes": "Manca il registro delle presenze"})
    (back,) = [m for m in _mails_to(first.operator) if m.subject.startswith("Rendicontazione rinviata")]
    assert project.title in back.subject and "Manca il registro delle presenze" in back.body
    assert "dal 01/04/2026 al 30/06/2026" in back.body and url in back.body
    login(first.operator).post(url, {"submit": "1"})
    login(call.staff).post(url, {"approve": "1"})
    (ok,) = [m for m in _mails_to(first.operator) if m.subject.startswith("Rendicontazione approvata")]
    assert "è stata approvata" in ok.body


def test_agreement_ready_to_sign_is_emailed_with_its_pdf(login, committing_client):
    call, first, _second, _seats = ranked_call()
    project = services.project_create(proposal=first, by=call.staff)
    committing_client.force_login(call.staff, backend="housingmix.accounts.backends.AuthenticationBackend")
    committing_client.post(
        reverse("projects:agreement_action", kwargs={"pk": project.pk, "action": "draft"}),
        {"starts_on": "2026-04-01", "ends_on": "2027-03-31"},
    )
    (mail,) = [m for m in _mails_to(first.operator) if m.subject.startswith("Convenzione pronta per la firma")]
    assert "dal 01/04/2026 al 31/03/2027" in mail.body
    (attachment,) = mail.attachments
    document = GeneratedDocument.objects.get(pk=attachment["document"])
    with document.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert project.title in text
