"""A household linked to the active co-design project under which its ETS operates: the
operators of that project's ETS (lead and ATS members) see its non-health data, the operators
of another project's ETS do not, and nobody does once the agreement is closed."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from beneficiaries import services
from beneficiaries.models import Household
from housingmix.core.models import AuditEvent
from projects import services as project_services
from tests.applications.conftest import pdf_upload
from tests.beneficiaries import factories as f
from tests.projects.factories import ranked_call

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user, backend="housingmix.accounts.backends.AuthenticationBackend")


def _project(call, proposal, *, activate: bool = True):
    project = project_services.project_create(proposal=proposal, by=call.staff)
    agreement = project_services.agreement_create(
        project=project, by=call.staff, starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31)
    )
    if activate:
        project_services.agreement_sign(agreement=agreement, by=call.staff, upload=pdf_upload("firmata.pdf"))
        project_services.agreement_activate(agreement=agreement, by=call.staff)
    return project, agreement


@pytest.fixture
def projects():
    call, first, second, _seats = ranked_call()
    ours, agreement = _project(call, second)  # an ATS: lead and partner
    theirs, _ = _project(call, first)
    return call, second, first, ours, theirs, agreement


def test_the_projects_ets_sees_the_household_without_health_data_another_projects_ets_does_not(client, projects):
    call, ours_proposal, theirs_proposal, ours, _theirs, agreement = projects
    worker = f.worker()
    household = f.household(by=worker)
    services.household_project_link(household=household, project=ours, by=worker)
    assert AuditEvent.objects.filter(verb="household.project_linked", data={"project": ours.pk}).exists()
    detail = reverse("beneficiaries:detail", args=[household.pk])

    for operator in (ours_proposal.operator, ours_proposal.partner_user):  # the lead and the ATS partner
        _login(client, operator)
        response = client.get(detail)
        assert response.status_code == 200
        page = response.content.decode()
        assert household.code in page and "Bianchetti" in page
        assert f.DISABILITY not in page and f.HEALTH not in page
        assert household.code in client.get(reverse("beneficiaries:list")).content.decode()
    assert AuditEvent.objects.filter(verb="household.viewed", actor=ours_proposal.operator).exists()

    _login(client, theirs_proposal.operator)
    assert client.get(detail).status_code == 404
    assert household.code not in client.get(reverse("beneficiaries:list")).content.decode()

    project_services.agreement_close(agreement=agreement, by=call.staff)
    _login(client, ours_proposal.operator)
    assert client.get(detail).status_code == 404  # the project has ended: so has the access


def test_only_an_active_project_can_be_linked_and_only_by_who_may_change_the_household(projects):
    call, _ours_proposal, theirs_proposal, ours, _theirs, agreement = projects
    worker = f.worker()
    household = f.household(by=worker)
    with pytest.raises(PermissionDenied):  # an ETS operator may not link a household to a project
        services.household_project_link(household=household, project=ours, by=theirs_proposal.operator)
    project_services.agreement_close(agreement=agreement, by=call.staff)
    with pytest.raises(ValidationError):
        services.household_project_link(household=household, project=ours, by=worker)
    assert Household.objects.get(pk=household.pk).project_id is None


def test_the_reference_worker_links_the_project_from_the_household_page(client, projects):
    call, ours_proposal, _theirs_proposal, ours, _theirs, agreement = projects
    worker = f.worker()
    household = f.household(by=worker)
    url = reverse("beneficiaries:project_link", args=[household.pk])
    _login(client, ours_proposal.operator)
    assert client.post(url, {"project": ours.pk}).status_code == 404  # cannot see it yet, cannot link
    _login(client, worker)
    assert (
        reverse("beneficiaries:project_link", args=[household.pk])
        in client.get(reverse("beneficiaries:detail", args=[household.pk])).content.decode()
    )
    assert client.post(url, {"project": "nonsense"}).status_code == 302
    assert Household.objects.get(pk=household.pk).project_id is None
    assert client.post(url, {"project": ours.pk}).status_code == 302
    assert Household.objects.get(pk=household.pk).project_id == ours.pk
    _login(client, ours_proposal.operator)
    assert client.post(url, {"project": ""}).status_code == 403  # sees it now, may not change it
    assert Household.objects.get(pk=household.pk).project_id == ours.pk
