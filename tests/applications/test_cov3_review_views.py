"""Review pages over HTTP at their edges: proposing an outcome, asking for an integration,
declaring units eligible, the checklist's refusals, decisions asked in a state that has none,
and downloads of things that do not exist."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationStatus, CheckItem, InfoRequest, ReviewCheck
from applications.review import services as review
from housingmix.core.models import AuditEvent
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _url(name, application, **kwargs):
    return reverse("review:%s" % name, kwargs={"ref": application.reference, **kwargs})


def _status(application):
    return Application.objects.get(pk=application.pk).status


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def reviewing(application, staff, run_on_commit):
    return run_on_commit(review.review_assign, application=application, reviewer=staff, by=staff)


def test_reviewer_proposes_an_outcome_and_the_office_is_left_to_decide(client, login, reviewing, staff):
    login(staff)
    response = client.post(
        _url("propose", reviewing), {"proposal-outcome": "eligible", "proposal-reasons": "Alloggio conforme"}
    )
    assert response.status_code == 302
    assert _messages(response) == ["Proposta di esito registrata: la decisione spetta all'Ufficio di Piano."]
    event = AuditEvent.objects.get(object_id=str(reviewing.pk), verb="application.outcome_proposed")
    assert event.data == {"outcome": "eligible"}
    assert _status(reviewing) == ApplicationStatus.UNDER_REVIEW


def test_a_proposal_while_waiting_for_an_integration_is_refused_with_the_reason(client, login, staff):
    application = ApplicationFactory(info_requested=True, lifecycle__reviewer=staff)
    login(staff)
    response = client.post(
        _url("propose", application), {"proposal-outcome": "eligible", "proposal-reasons": "Alloggio conforme"}
    )
    assert response.status_code == 400
    assert _messages(response) == ["La proposta di esito si formula durante l'istruttoria."]
    assert not AuditEvent.objects.filter(verb="application.outcome_proposed").exists()


def test_reviewer_asks_for_an_integration_over_http(client, login, reviewing, staff):
    login(staff)
    deadline = timezone.localdate() + timezone.timedelta(days=15)
    response = client.post(
        _url("info_request", reviewing),
        {"info-items": "Planimetria aggiornata", "info-deadline": deadline.isoformat()},
    )
    assert response.status_code == 302
    assert _status(reviewing) == ApplicationStatus.INFO_REQUESTED
    request = InfoRequest.objects.get(application=reviewing)
    assert (request.items, request.deadline) == ("Planimetria aggiornata", deadline)


def test_an_integration_request_without_items_re_shows_the_form(client, login, reviewing, staff):
    login(staff)
    response = client.post(_url("info_request", reviewing), {"info-items": "", "info-deadline": ""})
    assert response.status_code == 400
    assert set(response.context["info_request_form"].errors) == {"items", "deadline"}
    assert _status(reviewing) == ApplicationStatus.UNDER_REVIEW


def test_office_declares_the_chosen_units_eligible_after_the_visit(client, login, staff):
    application = ApplicationFactory(site_visit=True, units=2, lifecycle__reviewer=staff)
    first, second = application.units.order_by("position")
    login(staff)
    response = client.post(
        _url("eligible", application), {"eligible-reasons": "Conforme", "eligible-units": [first.pk]}
    )
    assert response.status_code == 302
    # The unit left out is not dropped: it gets a preavviso di diniego.
    assert _status(application) == ApplicationStatus.NOTICE_OF_REFUSAL


def test_checklist_of_a_unit_of_another_manifestation_is_404(client, login, reviewing, staff):
    other = ApplicationFactory(submitted=True)
    login(staff)
    response = client.post(_url("checklist", reviewing, unit=other.units.get().pk), {})
    assert response.status_code == 404


def test_checklist_with_an_unknown_outcome_re_shows_the_form(client, login, reviewing, staff):
    unit = reviewing.units.first()
    login(staff)
    field = "unit%d-outcome_%s" % (unit.pk, CheckItem.values[0])
    response = client.post(_url("checklist", reviewing, unit=unit.pk), {field: "forse"})
    assert response.status_code == 400
    shown = dict(response.context["checklist_forms"])[unit]
    assert shown.is_bound and field.split("-", 1)[1] in shown.errors  # the typed form, with its error
    assert not ReviewCheck.objects.exists()


def test_checklist_after_the_decision_is_refused_with_a_message(client, login, staff):
    application = ApplicationFactory(eligible=True, lifecycle__reviewer=staff, lifecycle__decider=staff)
    unit = application.units.first()
    login(staff)
    field = "unit%d-outcome_%s" % (unit.pk, CheckItem.values[0])
    response = client.post(_url("checklist", application, unit=unit.pk), {field: "ok"})
    assert response.status_code == 302
    assert _messages(response) == ["La verifica si registra solo durante l'istruttoria."]
    assert not ReviewCheck.objects.exists()


def test_per_unit_outcomes_in_a_state_without_decisions_change_nothing(client, login, staff):
    application = ApplicationFactory(info_requested=True, lifecycle__reviewer=staff)
    login(staff)
    response = client.post(_url("outcomes", application), {"outcomes-reasons": "x"})
    assert response.status_code == 302
    assert _messages(response) == [
        "Operazione non consentita: la manifestazione è nello stato «Integrazione richiesta»."
    ]
    assert _status(application) == ApplicationStatus.INFO_REQUESTED


@pytest.mark.parametrize("name", ["visit_photo", "document"])
def test_reviewer_download_of_something_that_does_not_exist_is_404(client, login, reviewing, staff, name):
    login(staff)
    assert client.get(_url(name, reviewing, pk=987654)).status_code == 404


@pytest.mark.parametrize("name", ["offerer_document", "offerer_visit_ics"])
def test_offerer_download_of_something_that_does_not_exist_is_404(client, login, reviewing, name):
    login(reviewing.created_by)
    assert client.get(_url(name, reviewing, pk=987654)).status_code == 404


def test_an_assigned_social_worker_posting_outcomes_is_told_it_is_not_theirs_to_decide(client, login, reviewer):
    application = ApplicationFactory(site_visit=True, lifecycle__reviewer=reviewer)
    unit = application.units.get()
    login(reviewer)
    response = client.post(
        _url("outcomes", application),
        {"outcomes-reasons": "Conforme", "outcomes-outcome_%d" % unit.pk: "eligible"},
    )
    assert response.status_code == 302
    # Not "the state does not allow it": the state does, the role does not.
    assert _messages(response) == ["Non hai i permessi per questa operazione su questa pratica."]
    assert _status(application) == ApplicationStatus.SITE_VISIT
