"""Staff pages of co-design over HTTP: creating a call, appointing the commission, checking
admissibility, convening the table; every refusal comes back as an Italian message, never a 500."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import CallStatus, CodesignCall, ProposalStatus, TableSession
from tests.accounts.factories import UserFactory
from tests.projects.factories import (
    close_window,
    codesign_call,
    codesign_notice,
    commission_user,
    ets_operator,
    evaluation,
    fresh,
    messages_of,
    ranked_call,
    staff_user,
    submitted_proposal,
)

pytestmark = pytest.mark.django_db


def test_staff_create_a_call_on_a_draft_notice_with_the_default_grid(login):
    staff = staff_user()
    notice = codesign_notice()
    client = login(staff)
    assert client.get(reverse("projects:call_create")).status_code == 200
    response = client.post(
        reverse("projects:call_create"),
        {
            "notice": notice.pk,
            "objectives": "Servizi dell'abitare",
            "requirements": "ETS iscritti al RUNTS",
            "staff_hours": 200,
            "budget_eur": "50000",
            "min_open_days": 20,
            "admission_threshold": 60,
            "scoring_mode": "mean",
        },
    )
    call = CodesignCall.objects.get(notice=notice)
    assert response.status_code == 302 and response.url == reverse("projects:call_manage", kwargs={"pk": call.pk})
    assert "Avviso di co-progettazione creato con la griglia predefinita." in messages_of(response)
    assert call.status == CallStatus.DRAFT and call.criteria.exists()
    listing = client.get(reverse("projects:call_list"))
    assert listing.status_code == 200 and notice.title in listing.content.decode()


def test_call_pages_are_a_404_for_an_ets_operator(login):
    operator, _organisation = ets_operator()
    client = login(operator)
    assert client.get(reverse("projects:call_list")).status_code == 404
    assert client.get(reverse("projects:call_create")).status_code == 404
    assert client.get(reverse("projects:report_list")).status_code == 404


def test_an_unknown_call_action_is_a_404_and_a_refused_one_a_message(login):
    call = codesign_call()
    client = login(call.staff)
    assert client.post(reverse("projects:call_action", kwargs={"pk": call.pk, "action": "explode"})).status_code == 404
    # The notice is still open: evaluation cannot start yet.
    response = client.post(reverse("projects:call_action", kwargs={"pk": call.pk, "action": "start_evaluation"}))
    assert response.status_code == 302
    assert "La valutazione inizia dopo la scadenza dell'avviso." in messages_of(response)
    assert fresh(call).status == CallStatus.PUBLISHED


def test_commission_appointment_by_email_and_its_refusals(login):
    call = codesign_call()
    client = login(call.staff)
    url = reverse("projects:commission_appoint", kwargs={"pk": call.pk})
    president, member = commission_user(email="presidente@example.org"), commission_user(email="membro@example.org")

    response = client.post(url, {"act_number": "", "act_date": "", "emails": ""})
    assert "Compila tutti i campi della nomina." in messages_of(response)

    response = client.post(
        url,
        {"act_number": "12/2026", "act_date": "2026-03-01", "emails": "presidente@example.org\nnessuno@example.org"},
    )
    assert "Nessun account con queste e-mail: nessuno@example.org." in messages_of(response)
    assert not fresh(call).commission.exists()

    response = client.post(
        url,
        {"act_number": "12/2026", "act_date": "2026-03-01", "emails": " Presidente@Example.org \n\nmembro@example.org"},
    )
    assert response.status_code == 302 and "Commissione nominata e atto protocollato." in messages_of(response)
    seats = {s.user_id: s.is_president for s in fresh(call).commission.all()}
    assert seats == {president.pk: True, member.pk: False}

    response = client.post(url, {"act_number": "13/2026", "act_date": "2026-03-02", "emails": "membro@example.org"})
    assert "La commissione di questo avviso è già stata nominata." in messages_of(response)
    assert fresh(call).commission.count() == 2


def test_admissibility_refusal_needs_reasons_then_is_recorded(login):
    call = codesign_call()
    proposal = submitted_proposal(call)
    close_window(call)
    client = login(call.staff)
    client.post(reverse("projects:call_action", kwargs={"pk": call.pk, "action": "start_evaluation"}))
    url = reverse("projects:proposal_admissibility", kwargs={"pk": proposal.pk})
    assert client.get(url).status_code == 200

    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "Indica i motivi della non ammissione." in response.content.decode()
    assert fresh(proposal).status == ProposalStatus.SUBMITTED

    response = client.post(url, {"reason": "Manca l'iscrizione al RUNTS"})
    assert response.status_code == 302 and response.url == reverse("projects:call_manage", kwargs={"pk": call.pk})
    assert fresh(proposal).status == ProposalStatus.NOT_ADMITTED


def test_ets_proposal_list_shows_only_open_published_calls(login):
    open_call = codesign_call()
    codesign_call(publish=False)
    operator, _organisation = ets_operator()
    client = login(operator)
    response = client.get(reverse("projects:proposal_list"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["open_calls"]] == [open_call.pk]


def test_staff_convene_the_table_with_the_ranked_ets(login):
    call, first, second, _seats = ranked_call()
    client = login(call.staff)
    url = reverse("projects:session_create", kwargs={"pk": call.pk})
    assert client.get(url).status_code == 200
    starts = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"starts_at": starts, "place": "Sala consiliare", "agenda": "1. Avvio"})
    session = TableSession.objects.get(call=call)
    assert response.status_code == 302 and response.url == reverse("projects:session_detail", kwargs={"pk": session.pk})
    assert "Seduta convocata: i partecipanti ricevono l'invito per e-mail." in messages_of(response)
    users = set(session.participants.values_list("user_id", flat=True))
    assert call.staff.pk in users and first.operator.pk in users and second.operator.pk in users


def test_a_proposal_not_ranked_cannot_become_a_project(login):
    call = codesign_call()
    proposal = submitted_proposal(call)
    evaluation(call, [proposal])
    client = login(call.staff)
    response = client.post(reverse("projects:project_create", kwargs={"pk": proposal.pk}))
    assert response.status_code == 302 and response.url == reverse("projects:call_manage", kwargs={"pk": call.pk})
    assert messages_of(response) and not hasattr(fresh(proposal), "final_project")


def test_unknown_export_kind_is_a_404(login):
    client = login(UserFactory(staff=True))
    assert client.get(reverse("projects:export", kwargs={"kind": "passwords", "fmt": "csv"})).status_code == 404


def test_a_double_click_on_create_project_gives_one_project_and_a_message(login):
    call, first, _second, _seats = ranked_call()
    client = login(call.staff)
    url = reverse("projects:project_create", kwargs={"pk": first.pk})
    assert client.post(url).status_code == 302
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("projects:call_manage", kwargs={"pk": call.pk})
    assert "Questa proposta ha già un progetto definitivo." in messages_of(response)
    assert type(fresh(first).final_project).objects.filter(proposal=first).count() == 1
