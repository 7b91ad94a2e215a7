"""Final project, agreement and reports over HTTP: the refusals a staff member or an ETS meets
(missing dates, no file, unknown action, a report outside an active agreement, incomplete forms)
come back as Italian messages on the same page, never a 500."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import AgreementStatus, ReportStatus
from tests.applications.conftest import pdf_upload
from tests.projects.factories import active_project, fresh, messages_of, ranked_call

pytestmark = pytest.mark.django_db


def _action(project, name):
    return reverse("projects:agreement_action", kwargs={"pk": project.pk, "action": name})


def test_agreement_actions_refuse_bad_input_with_a_message(login):
    call, first, _second, _seats = ranked_call()
    project = services.project_create(proposal=first, by=call.staff)
    client = login(call.staff)
    detail = reverse("projects:project_detail", kwargs={"pk": project.pk})

    # No agreement yet: only "draft" makes sense.
    assert client.post(_action(project, "sign")).status_code == 404
    response = client.post(_action(project, "draft"), {"starts_on": "", "ends_on": "2027-03-31"})
    assert response.url == detail and "Indica le date di inizio e fine." in messages_of(response)
    assert not hasattr(fresh(project), "agreement")

    client.post(_action(project, "draft"), {"starts_on": "2026-04-01", "ends_on": "2027-03-31"})
    agreement = fresh(project).agreement
    response = client.post(_action(project, "sign"), {})
    assert "Scegli il file della convenzione firmata." in messages_of(response)
    assert fresh(agreement).status == AgreementStatus.DRAFT
    assert client.post(_action(project, "tear-up")).status_code == 404

    # Closing a draft is not a transition the agreement has.
    response = client.post(_action(project, "close"))
    assert response.status_code == 302 and messages_of(response)
    assert fresh(agreement).status == AgreementStatus.DRAFT


def test_agreement_closes_once_active_and_an_unknown_document_is_a_404(login):
    call, first, _second, _seats = ranked_call()
    project, agreement = active_project(call, first)
    services.agreement_sign(agreement=agreement, by=call.staff, upload=pdf_upload("firmata.pdf"))
    services.agreement_activate(agreement=agreement, by=call.staff)
    client = login(call.staff)
    response = client.post(_action(project, "close"))
    assert "Operazione eseguita." in messages_of(response)
    assert fresh(agreement).status == AgreementStatus.CLOSED

    # The PDF is rendered by the outbox worker (not run here): no document id is served yet.
    missing = reverse("projects:agreement_document", kwargs={"pk": project.pk, "doc": 999999})
    assert client.get(missing).status_code == 404


def test_a_missing_project_or_report_is_a_404(login):
    call, first, _second, _seats = ranked_call()
    client = login(call.staff)
    assert client.get(reverse("projects:project_detail", kwargs={"pk": 999999})).status_code == 404
    assert client.get(reverse("projects:report_detail", kwargs={"pk": 999999})).status_code == 404


def test_report_creation_refused_without_an_active_agreement_or_with_bad_dates(login):
    call, first, _second, _seats = ranked_call()
    project, agreement = active_project(call, first)  # agreement still a draft
    client = login(first.operator)
    url = reverse("projects:report_create", kwargs={"pk": project.pk})
    detail = reverse("projects:project_detail", kwargs={"pk": project.pk})

    response = client.post(url, {"period_start": "2026-04-01"})
    assert response.url == detail and "Indica il periodo rendicontato." in messages_of(response)
    response = client.post(url, {"period_start": "2026-04-01", "period_end": "2026-06-30"})
    assert "Si rendiconta solo un progetto con la convenzione in corso." in messages_of(response)

    services.agreement_sign(agreement=agreement, by=call.staff, upload=pdf_upload("firmata.pdf"))
    services.agreement_activate(agreement=agreement, by=call.staff)
    response = client.post(url, {"period_start": "2026-06-30", "period_end": "2026-04-01"})
    assert "Il periodo rendicontato non è valido." in messages_of(response)
    assert not project.reports.exists()


def test_report_page_refuses_incomplete_forms_with_a_message(login):
    call, first, _second, _seats = ranked_call()
    project, agreement = active_project(call, first)
    services.agreement_sign(agreement=agreement, by=call.staff, upload=pdf_upload("firmata.pdf"))
    services.agreement_activate(agreement=agreement, by=call.staff)
    report = services.report_create(
        project=project, by=first.operator, period_start=agreement.starts_on, period_end=agreement.ends_on
    )
    url = reverse("projects:report_detail", kwargs={"pk": report.pk})
    ets = login(first.operator)

    response = ets.post(url, {"add_cost": "1", "cost-kind": "human"})
    assert response.status_code == 200 and "Controlla i dati del costo." in response.content.decode()
    response = ets.post(url, {"nothing": "1"})
    assert response.status_code == 200 and "Controlla i dati inseriti." in response.content.decode()
    assert not report.costs.exists()

    ets.post(url, {"save": "1", "activities": "Tutoraggio", "hours": "40"})
    ets.post(url, {"submit": "1"})
    assert fresh(report).status == ReportStatus.SUBMITTED
    staff = login(call.staff)
    response = staff.post(url, {"send_back": "1", "back-notes": ""})
    assert response.status_code == 200 and "Indica che cosa va modificato." in response.content.decode()
    assert fresh(report).status == ReportStatus.SUBMITTED

    listing = staff.get(reverse("projects:report_list"))
    assert listing.status_code == 200 and list(listing.context["page_obj"]) == [fresh(report)]
