"""Grouping, commission and table pages over HTTP: adding a partner by tax code, confirming
twice, declaring twice, revisiting one's scores, acting on a session already held, and the
documents that do not exist; each answered with an Italian message or a plain 404."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import ConflictDeclaration, SessionStatus
from tests.projects.factories import (
    codesign_call,
    commission_user,
    ets_operator,
    evaluation,
    fresh,
    messages_of,
    ranked_call,
    schedule_session,
    score,
    submitted_proposal,
)

pytestmark = pytest.mark.django_db


def test_lead_adds_a_partner_by_tax_code_and_an_unknown_code_is_refused(login):
    call = codesign_call()
    operator, organisation = ets_operator()
    proposal = services.proposal_start(call=call, by=operator, organisation=organisation, is_grouping=True)
    _partner_user, partner = ets_operator(name="Cooperativa Partner")
    client = login(operator)
    url = reverse("projects:proposal_step", kwargs={"pk": proposal.pk, "step": "body"})

    response = client.post(url, {"add_member": "1", "member-tax_code": "ZZZZZZ00Z00Z000Z", "member-role": "Mandante"})
    assert response.status_code == 200
    assert "Nessun ente registrato con questo codice fiscale." in response.content.decode()
    assert not proposal.members.filter(organisation=partner).exists()

    data = {"add_member": "1", "member-tax_code": partner.tax_code, "member-role": "Mandante"}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == url
    assert "Ente aggiunto: deve confermare l'adesione dal proprio account." in messages_of(response)
    assert proposal.members.filter(organisation=partner).count() == 1

    response = client.post(url, data)
    assert "Questo ente fa già parte del raggruppamento." in response.content.decode()
    assert proposal.members.filter(organisation=partner).count() == 1


def test_confirming_membership_after_submission_is_refused(login):
    call = codesign_call()
    proposal = submitted_proposal(call, grouping=True)
    member = proposal.members.exclude(organisation=proposal.organisation).get()
    client = login(proposal.partner_user)
    response = client.post(reverse("projects:member_confirm", kwargs={"pk": proposal.pk, "member": member.pk}))
    assert response.url == reverse("projects:proposal_detail", kwargs={"pk": proposal.pk})
    assert messages_of(response) == ["La proposta è già stata presentata."]


def test_commission_home_is_a_404_for_someone_without_a_seat(login):
    client = login(commission_user())
    assert client.get(reverse("projects:commission_home")).status_code == 404
    assert client.get(reverse("projects:conflict_declare", kwargs={"pk": 999999})).status_code == 404


def test_a_member_declares_once_and_finds_their_scores_again(login):
    call = codesign_call()
    proposal = submitted_proposal(call)
    first, _second = evaluation(call, [proposal])
    score(proposal, first, [30, 15, 10, 10, 8])
    client = login(first)
    response = client.post(reverse("projects:conflict_declare", kwargs={"pk": proposal.pk}), {"has_conflict": "1"})
    assert response.status_code == 200
    assert "Hai già reso la dichiarazione per questa proposta." in response.content.decode()
    assert not ConflictDeclaration.objects.get(member__user=first, proposal=proposal).has_conflict

    form = client.get(reverse("projects:score", kwargs={"pk": proposal.pk})).context["form"]
    assert sorted(v for k, v in form.initial.items() if k.startswith("points_")) == [8, 10, 10, 15, 30]


def test_a_held_session_cannot_be_moved_or_cancelled(login):
    call, first, _second, _seats = ranked_call()
    session = schedule_session(call, first)
    services.session_hold(session=session, by=call.staff)
    client = login(call.staff)
    back = reverse("projects:session_detail", kwargs={"pk": session.pk})
    response = client.post(reverse("projects:session_cancel", kwargs={"pk": session.pk}), {"reason": "Sala chiusa"})
    assert response.url == back and "Si annulla solo una seduta ancora da svolgere." in messages_of(response)
    response = client.get(reverse("projects:session_move", kwargs={"pk": session.pk}))
    assert response.url == back and "Si sposta solo una seduta ancora da svolgere." in messages_of(response)
    assert fresh(session).status == SessionStatus.HELD


def test_documents_that_do_not_exist_are_a_404(login):
    call, first, _second, _seats = ranked_call()
    session = schedule_session(call, first)
    client = login(call.staff)
    assert client.get(reverse("projects:session_document", kwargs={"pk": session.pk, "doc": 999999})).status_code == 404
    assert client.get(reverse("projects:proposal_document", kwargs={"pk": first.pk, "doc": 999999})).status_code == 404
    assert client.get(reverse("projects:ranking_pdf", kwargs={"pk": call.pk, "doc": 999999})).status_code == 404
    draft = codesign_call(publish=False)
    assert client.get(reverse("projects:ranking_pdf", kwargs={"pk": draft.pk, "doc": 1})).status_code == 404
