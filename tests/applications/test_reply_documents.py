"""Issue 11, item 5: the reply to a request for documents never files a document under a kind
the owner did not choose, and says which unit each document is for."""

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationStatus, Attachment
from applications.review import services as review
from tests.applications.conftest import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(application, staff, reviewer, run_on_commit):
    run_on_commit(review.review_assign, application=application, reviewer=reviewer, by=staff)
    run_on_commit(review.info_request_create, application=application, items="Planimetria", by=reviewer)
    return Application.objects.get(pk=application.pk)


def test_kind_menu_starts_on_a_neutral_choice(client, login, requested):
    page = (
        login(requested.created_by)
        .get(reverse("review:offerer_status", kwargs={"ref": requested.reference}))
        .content.decode()
    )
    select = page.split('name="integration-kind_1"')[1].split("</select>")[0]
    first_option = select.split("<option")[1]
    assert 'value=""' in first_option and "Scegli…" in first_option
    assert "selected" not in select.split("<option")[2]  # nothing else preselected
    assert 'name="integration-unit_1"' in page  # two units: the owner says which one


def test_a_document_without_a_kind_is_refused_and_nothing_is_filed(client, login, requested):
    response = login(requested.created_by).post(
        reverse("review:offerer_integration", kwargs={"ref": requested.reference}),
        {"integration-text": "Ecco", "integration-file_1": pdf_upload()},
    )
    assert response.status_code == 400
    assert "Scegli il tipo di documento." in response.content.decode()
    assert not Attachment.objects.filter(is_integration=True).exists()
    assert Application.objects.get(pk=requested.pk).status == ApplicationStatus.INFO_REQUESTED


def test_each_document_is_filed_for_the_unit_the_owner_chose(client, login, requested):
    second = requested.units.order_by("position", "pk")[1]
    response = login(requested.created_by).post(
        reverse("review:offerer_integration", kwargs={"ref": requested.reference}),
        {
            "integration-kind_1": "floor_plan",
            "integration-unit_1": str(second.pk),
            "integration-file_1": pdf_upload("planimetria.pdf"),
            "integration-kind_2": "id_document",
            "integration-file_2": pdf_upload("documento.pdf"),
        },
    )
    assert response.status_code == 302
    plan = Attachment.objects.get(is_integration=True, filename="planimetria.pdf")
    assert plan.kind == "floor_plan" and plan.unit == second
    assert Attachment.objects.get(is_integration=True, filename="documento.pdf").unit is None
