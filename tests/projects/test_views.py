"""The co-design pages over HTTP: who sees what, the multi-step draft, the commission, the table,
the agreement upload and reports; constant queries on the lists."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from projects import services
from projects.models import AgreementStatus, ProposalStatus, ReportStatus, Score, SessionStatus
from tests.applications.conftest import pdf_upload
from tests.projects.factories import (
    codesign_call,
    ets_operator,
    evaluation,
    fresh,
    ranked_call,
    schedule_session,
    submitted_proposal,
)

pytestmark = pytest.mark.django_db


def test_public_call_page_shows_the_ranking_names_and_scores_only(client):
    call, first, second, _seats = ranked_call()
    response = client.get(reverse("projects:call_detail", kwargs={"pk": call.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert second.organisation.name in body and "87,50" in body and "75,00" in body
    assert call.ranking_protocol.display_number in body and "Termine per il ricorso" in body
    assert "Motivazione" not in body  # no reasons or members' scores on the public page


def test_draft_call_has_no_public_page(client):
    call = codesign_call(publish=False)
    assert client.get(reverse("projects:call_detail", kwargs={"pk": call.pk})).status_code == 404


def test_ets_multi_step_draft_submit_and_receipt(login, django_capture_on_commit_callbacks):
    call = codesign_call()
    operator, organisation = ets_operator()
    client = login(operator)
    response = client.post(
        reverse("projects:proposal_start", kwargs={"call": call.pk}), {"organisation": organisation.pk}
    )
    proposal = organisation.proposals.get()
    assert response.status_code == 302 and response.url.endswith("/passo/body/")

    def step(name):
        return reverse("projects:proposal_step", kwargs={"pk": proposal.pk, "step": name})

    # Submission with everything missing lists every missing item at once.
    response = client.post(step("summary"), {"confirm": "on"})
    body = response.content.decode()
    assert response.status_code == 200 and "Mancano ancora" in body
    assert "Rendi tutte le dichiarazioni richieste" in body and "Inserisci almeno una voce di budget" in body
    client.post(step("body"), {"title": "Casa comune", "summary": "Sintesi", "experience": "Dieci anni", "next": "1"})
    client.post(
        step("declarations"), {"declares_runts": "on", "declares_no_exclusion": "on", "declares_truthful": "on"}
    )
    client.post(
        step("actions"),
        {"line": "c", "activities": "Tutoraggio", "staff_hours": 100, "volunteer_hours": 10, "units_brought": 1},
    )
    client.post(
        step("budget"), {"kind": "human", "description": "Educatori", "public_amount": "8000", "ets_amount": "2000"}
    )
    response = client.get(step("budget"))
    assert "20,00%" in response.content.decode() or "20.00%" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(step("summary"), {"confirm": "on"})
    proposal = fresh(proposal)
    assert response.status_code == 302 and proposal.status == ProposalStatus.SUBMITTED
    detail = client.get(reverse("projects:proposal_detail", kwargs={"pk": proposal.pk})).content.decode()
    assert proposal.protocol.display_number in detail and "Scarica la ricevuta" in detail
    from housingmix.core.documents import documents_of

    document = documents_of(proposal).get()
    download = client.get(reverse("projects:proposal_document", kwargs={"pk": proposal.pk, "doc": document.pk}))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    # Frozen: the steps now lead to the detail page.
    assert client.get(step("body")).status_code == 302


def test_another_ets_gets_404_on_a_proposal(login):
    call = codesign_call()
    proposal = submitted_proposal(call)
    other, _org = ets_operator()
    client = login(other)
    assert client.get(reverse("projects:proposal_detail", kwargs={"pk": proposal.pk})).status_code == 404
    assert client.get(reverse("projects:proposal_step", kwargs={"pk": proposal.pk, "step": "body"})).status_code == 404


def test_grouping_member_confirms_from_the_proposal_page(login):
    call = codesign_call()
    operator, organisation = ets_operator()
    proposal = services.proposal_start(call=call, by=operator, organisation=organisation, is_grouping=True)
    partner_user, partner = ets_operator(name="Associazione Seconda")
    member = services.proposal_member_add(proposal=proposal, by=operator, organisation=partner, role="Mandante")
    client = login(partner_user)
    page = client.get(reverse("projects:proposal_detail", kwargs={"pk": proposal.pk})).content.decode()
    assert "Conferma l'adesione di Associazione Seconda al raggruppamento" in page
    client.post(reverse("projects:member_confirm", kwargs={"pk": proposal.pk, "member": member.pk}))
    assert fresh(member).confirmed_at is not None


def test_commission_declares_before_seeing_then_scores(login):
    call = codesign_call()
    proposal = submitted_proposal(call)
    first, _second = evaluation(call, [proposal])
    client = login(first)
    home = client.get(reverse("projects:commission_home")).content.decode()
    assert "Rendi la dichiarazione" in home
    # Before declaring, the score page (with the proposal's content) is refused.
    response = client.get(reverse("projects:score", kwargs={"pk": proposal.pk}))
    assert response.status_code == 302
    declare = client.get(reverse("projects:conflict_declare", kwargs={"pk": proposal.pk})).content.decode()
    assert escape(proposal.summary) not in declare
    response = client.post(reverse("projects:conflict_declare", kwargs={"pk": proposal.pk}), {"has_conflict": "0"})
    assert response.url == reverse("projects:score", kwargs={"pk": proposal.pk})
    page = client.get(response.url).content.decode()
    assert escape(proposal.summary) in page and "Punteggi di tutti i componenti" not in page
    data = {}
    for criterion in call.criteria.all():
        data["points_%d" % criterion.pk] = str(criterion.max_points - 1)
        data["reason_%d" % criterion.pk] = "Motivo"
    client.post(reverse("projects:score", kwargs={"pk": proposal.pk}), data)
    assert Score.objects.filter(member__user=first, proposal=proposal).count() == 5


def test_conflicted_member_cannot_score_over_http(login):
    call = codesign_call()
    proposal = submitted_proposal(call)
    first, _second = evaluation(call, [proposal])
    client = login(first)
    client.post(reverse("projects:conflict_declare", kwargs={"pk": proposal.pk}), {"has_conflict": "1"})
    data = {"points_%d" % c.pk: "1" for c in call.criteria.all()} | {
        "reason_%d" % c.pk: "x" for c in call.criteria.all()
    }
    response = client.post(reverse("projects:score", kwargs={"pk": proposal.pk}), data)
    assert response.status_code == 302 and not Score.objects.exists()


def test_staff_pages_refuse_an_ets(login):
    call = codesign_call()
    operator, _org = ets_operator()
    client = login(operator)
    assert client.get(reverse("projects:call_manage", kwargs={"pk": call.pk})).status_code == 404
    assert client.get(reverse("projects:call_list")).status_code == 404
    client = login(call.staff)
    assert client.get(reverse("projects:call_manage", kwargs={"pk": call.pk})).status_code == 200


def test_staff_publish_refused_for_short_window_over_http(login):
    call = codesign_call(publish=False, days=10)
    client = login(call.staff)
    response = client.post(reverse("projects:call_action", kwargs={"pk": call.pk, "action": "publish"}), follow=True)
    assert "almeno 20 giorni" in response.content.decode()


def test_minutes_approved_by_each_participant_over_http(login):
    call, first, _second, _seats = ranked_call()
    session = schedule_session(call, first)
    staff_client = login(call.staff)
    url = reverse("projects:session_detail", kwargs={"pk": session.pk})
    staff_client.post(url, {"hold": "1"})
    staff_client.post(url, {"minutes": "Verbale della prima seduta.", "minutes_save": "1"})
    staff_client.post(url, {"approve": "1"})
    assert fresh(session).status == SessionStatus.MINUTES_DRAFT
    ets_client = login(first.operator)
    page = ets_client.get(url).content.decode()
    assert "Approvo il verbale" in page
    ets_client.post(url, {"approve": "1"})
    assert fresh(session).status == SessionStatus.MINUTES_APPROVED
    outsider, _org = ets_operator()
    assert login(outsider).get(url).status_code == 404


def test_agreement_generated_signed_uploaded_and_activated(login):
    call, first, _second, _seats = ranked_call()
    project = services.project_create(proposal=first, by=call.staff)
    client = login(call.staff)

    def action(name):
        return reverse("projects:agreement_action", kwargs={"pk": project.pk, "action": name})

    client.post(action("draft"), {"starts_on": "2026-04-01", "ends_on": "2027-03-31"})
    agreement = project.agreement
    response = client.post(action("sign"), {"file": pdf_upload("convenzione-firmata.pdf")}, follow=True)
    assert response.status_code == 200
    agreement = fresh(agreement)
    assert agreement.status == AgreementStatus.SIGNED and agreement.protocol_id
    client.post(action("activate"))
    assert fresh(agreement).status == AgreementStatus.ACTIVE
    page = client.get(reverse("projects:project_detail", kwargs={"pk": project.pk})).content.decode()
    assert "Confronto con la proposta" in page and agreement.protocol.display_number in page


def test_report_filed_sent_back_then_approved_over_http(login):
    call, first, second, _seats = ranked_call(
        [[[30, 15, 10, 10, 8], [34, 15, 12, 10, 6]], [[36, 18, 12, 12, 9], [38, 16, 13, 12, 9]]]
    )
    project = services.project_create(proposal=first, by=call.staff)
    agreement = services.agreement_create(
        project=project, by=call.staff, starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31)
    )
    services.agreement_sign(agreement=agreement, by=call.staff, upload=pdf_upload("firmata.pdf"))
    services.agreement_activate(agreement=agreement, by=call.staff)
    ets = login(first.operator)
    response = ets.post(
        reverse("projects:report_create", kwargs={"pk": project.pk}),
        {"period_start": "2026-04-01", "period_end": "2026-06-30"},
    )
    report = project.reports.get()
    url = reverse("projects:report_detail", kwargs={"pk": report.pk})
    assert response.url == url
    ets.post(url, {"save": "1", "activities": "Tutoraggio", "hours": "40"})
    ets.post(
        url,
        {
            "add_cost": "1",
            "cost-kind": "human",
            "cost-description": "Educatori",
            "cost-amount": "1200",
            "cost-receipt": pdf_upload("fattura.pdf"),
        },
    )
    ets.post(url, {"submit": "1"})
    assert fresh(report).status == ReportStatus.SUBMITTED
    assert login(second.operator).get(url).status_code == 404
    staff = login(call.staff)
    staff.post(url, {"send_back": "1", "back-notes": "Manca il registro"})
    assert fresh(report).status == ReportStatus.SENT_BACK
    ets = login(first.operator)
    assert "Manca il registro" in ets.get(url).content.decode()
    ets.post(url, {"submit": "1"})
    login(call.staff).post(url, {"approve": "1"})
    report = fresh(report)
    assert report.status == ReportStatus.APPROVED and report.costs.get().amount == Decimal("1200")


def _proposals(call, n):
    return [submitted_proposal(call) for _ in range(n)]


@pytest.mark.parametrize("size", [2, 6])
def test_call_manage_and_proposal_list_queries_do_not_grow(login, django_assert_max_num_queries, size):
    call = codesign_call()
    _proposals(call, size)
    client = login(call.staff)
    url = reverse("projects:call_manage", kwargs={"pk": call.pk})
    client.get(url)
    with django_assert_max_num_queries(24):
        assert client.get(url).status_code == 200


def test_exports_of_proposals_scores_and_reports_for_staff_only(login):
    call, first, second, _seats = ranked_call()
    client = login(call.staff)
    proposals = client.get(reverse("projects:export", kwargs={"kind": "codesign_proposals", "fmt": "csv"}))
    body = proposals.content.decode("utf-8-sig")
    assert proposals.status_code == 200 and first.protocol.display_number in body and second.organisation.name in body
    scores = client.get(reverse("projects:export", kwargs={"kind": "codesign_scores", "fmt": "csv"}))
    assert scores.status_code == 200 and "Motivazione Qualità della proposta progettuale" in scores.content.decode(
        "utf-8-sig"
    )
    reports = client.get(reverse("projects:export", kwargs={"kind": "codesign_reports", "fmt": "csv"}))
    assert reports.status_code == 200
    assert (
        login(first.operator)
        .get(reverse("projects:export", kwargs={"kind": "codesign_scores", "fmt": "csv"}))
        .status_code
        == 404
    )
