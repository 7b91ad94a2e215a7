"""The co-design back office (Django admin) for support staff: every list loads with its filters
and search; protocolled acts are read-only; nothing is added or deleted there."""

import pytest
from django.urls import reverse

from projects.models import (
    Agreement,
    CodesignCall,
    ConflictDeclaration,
    FinalProject,
    JointScore,
    Proposal,
    Report,
    Score,
    TableSession,
)
from tests.accounts.factories import UserFactory
from tests.projects.factories import active_project, codesign_call, fresh, ranked_call, schedule_session

pytestmark = pytest.mark.django_db

MODELS = [CodesignCall, Proposal, Score, JointScore, ConflictDeclaration, TableSession, FinalProject, Agreement, Report]


def _url(model, view, *args):
    return reverse("admin:projects_%s_%s" % (model._meta.model_name, view), args=args)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(staff=True), backend="housingmix.accounts.backends.AuthenticationBackend")
    return client


def test_every_list_loads_with_search_and_filters(admin_client):
    call, first, _second, _seats = ranked_call()
    schedule_session(call, first)
    active_project(call, first)
    for model in MODELS:
        response = admin_client.get(_url(model, "changelist"))
        assert response.status_code == 200, model
        assert admin_client.get(_url(model, "changelist"), {"q": "Cooperativa"}).status_code == 200
        assert _url(model, "add") not in response.content.decode()
    page = admin_client.get(_url(Proposal, "changelist"), {"status__exact": "ranked", "q": first.organisation.name})
    assert first.organisation.name in page.content.decode()
    assert first.protocol.display_number in page.content.decode()


def test_protocolled_acts_are_read_only(admin_client):
    call, first, _second, _seats = ranked_call()
    for obj in [call, first, Score.objects.filter(proposal=first).first()]:
        model = type(obj)
        page = admin_client.get(_url(model, "change", obj.pk))
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode(), model
    response = admin_client.post(_url(Proposal, "change", first.pk), {"title": "Riscritta"})
    assert response.status_code == 403 and fresh(first).title != "Riscritta"
    assert admin_client.post(_url(Proposal, "delete", first.pk), {"post": "yes"}).status_code == 403
    assert Proposal.objects.filter(pk=first.pk).exists()
    assert admin_client.get(_url(Proposal, "add")).status_code == 403


def test_a_draft_call_can_have_its_text_corrected_but_not_its_state(admin_client):
    call = codesign_call(publish=False)
    url = _url(CodesignCall, "change", call.pk)
    page = admin_client.get(url).content.decode()
    assert 'name="objectives"' in page and 'name="status"' not in page
    response = admin_client.post(
        url,
        {
            "objectives": "Obiettivi corretti",
            "requirements": call.requirements,
            "staff_hours": "10",
            "budget_eur": "1000.00",
            "appeal_days": "30",
            "status": "ranked",
            **{
                "%s-%s" % (prefix, key): "0"
                for prefix in ("criteria", "commission")
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    call = fresh(call)
    assert call.objectives == "Obiettivi corretti" and call.status == "draft"


def test_the_admin_is_closed_to_an_ets_operator(client):
    call, first, _second, _seats = ranked_call()
    client.force_login(first.operator, backend="housingmix.accounts.backends.AuthenticationBackend")
    response = client.get(_url(Proposal, "changelist"))
    assert response.status_code == 302 and "login" in response.url
