"""Indicator values in reports, over HTTP: the ETS records a value per indicator of the project
(the targets of the final project the agreement pins); the report and the project show progress
as a table, counting approved reports only."""

from datetime import date

import pytest
from django.urls import reverse

from projects import services
from projects.models import ReportIndicator
from tests.applications.conftest import pdf_upload
from tests.projects.factories import ranked_call

pytestmark = pytest.mark.django_db


def _project_with_report(login):
    call, first, _second, _seats = ranked_call()
    project = services.project_create(proposal=first, by=call.staff)
    agreement = services.agreement_create(
        project=project, by=call.staff, starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31)
    )
    services.agreement_sign(agreement=agreement, by=call.staff, upload=pdf_upload("firmata.pdf"))
    services.agreement_activate(agreement=agreement, by=call.staff)
    ets = login(first.operator)
    ets.post(
        reverse("projects:report_create", kwargs={"pk": project.pk}),
        {"period_start": "2026-04-01", "period_end": "2026-06-30"},
    )
    return call, first, project, project.reports.get()


def _row(page: str, name: str) -> str:
    start = page.index('<th scope="row">%s</th>' % name)
    return page[start : page.index("</tr>", start)]


def test_ets_records_indicator_values_and_progress_counts_approved_reports(login):
    call, first, project, report = _project_with_report(login)
    url = reverse("projects:report_detail", kwargs={"pk": report.pk})
    ets = login(first.operator)
    page = ets.get(url).content.decode()
    # The factory's proposal commits to "Nuclei autonomi", target 8.
    assert "Nuclei autonomi" in page and "Obiettivo: 8" in page and 'name="ind-indicator_0"' in page
    ets.post(url, {"save_indicators": "1", "ind-indicator_0": "3"})
    (value,) = ReportIndicator.objects.filter(report=report)
    assert value.name == "Nuclei autonomi" and value.value == 3
    row = _row(ets.get(url).content.decode(), "Nuclei autonomi")
    assert ">3<" in row and ">0<" in row  # this report 3, approved total still 0
    ets.post(url, {"save": "1", "activities": "Tutoraggio", "hours": "40"})
    ets.post(url, {"submit": "1"})
    login(call.staff).post(url, {"approve": "1"})
    project_page = login(call.staff).get(reverse("projects:project_detail", kwargs={"pk": project.pk}))
    row = _row(project_page.content.decode(), "Nuclei autonomi")
    assert ">8<" in row and ">3<" in row and "37,5%" in row


def test_bad_indicator_input_is_a_message_not_a_500(login):
    _call, first, _project, report = _project_with_report(login)
    url = reverse("projects:report_detail", kwargs={"pk": report.pk})
    ets = login(first.operator)
    for bad in ("-1", "tre", "1" * 40):
        response = ets.post(url, {"save_indicators": "1", "ind-indicator_0": bad})
        assert response.status_code == 200 and "Controlla i valori degli indicatori" in response.content.decode()
    assert not ReportIndicator.objects.filter(report=report).exists()


def test_values_are_frozen_once_submitted_and_refused_to_another_ets(login):
    call, first, _project, report = _project_with_report(login)
    url = reverse("projects:report_detail", kwargs={"pk": report.pk})
    ets = login(first.operator)
    ets.post(url, {"save_indicators": "1", "ind-indicator_0": "2"})
    ets.post(url, {"save": "1", "activities": "Tutoraggio", "hours": "40"})
    ets.post(url, {"submit": "1"})
    page = ets.get(url).content.decode()
    assert 'name="ind-indicator_0"' not in page
    ets.post(url, {"save_indicators": "1", "ind-indicator_0": "7"})
    assert ReportIndicator.objects.get(report=report).value == 2
