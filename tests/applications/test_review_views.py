import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.models import Application, ApplicationStatus, Attachment, GeneratedKind
from applications.review import services as review
from housingmix.core.documents import documents_of
from housingmix.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.applications.conftest import pdf_upload
from tests.applications.factories import ApplicationFactory, in_comune, social_worker

pytestmark = pytest.mark.django_db


def _assign(application, staff, reviewer, run_on_commit):
    run_on_commit(review.review_assign, application=application, reviewer=reviewer, by=staff)
    return Application.objects.get(pk=application.pk)


def test_queue_for_staff_lists_every_submitted_one(client, login, staff, application):
    other = ApplicationFactory(submitted=True, offerer_name="Fondazione Esempio")
    response = login(staff).get(reverse("review:queue"))
    assert response.status_code == 200
    assert application.offerer_name.encode() in response.content and b"Fondazione Esempio" in response.content
    assert other.protocol_number.encode() in response.content


def test_social_worker_sees_only_assigned(client, login, staff, reviewer, application, run_on_commit):
    ApplicationFactory(submitted=True, offerer_name="Non assegnata Srl")
    _assign(application, staff, reviewer, run_on_commit)
    response = login(reviewer).get(reverse("review:queue"))
    assert response.status_code == 200
    assert application.offerer_name.encode() in response.content
    assert b"Non assegnata Srl" not in response.content


def test_queue_refused_to_offerer_and_anonymous(client, login, application):
    assert client.get(reverse("review:queue")).status_code == 302
    assert login(application.created_by).get(reverse("review:queue")).status_code == 403


def test_queue_filters_by_state_comune_and_overdue(client, login, staff, reviewer, run_on_commit):
    lodi = ApplicationFactory(submitted=True, offerer_name="Offerente Lodi")
    codogno = ApplicationFactory(submitted=True, offerer_name="Offerente Codogno", **in_comune("Codogno"))
    _assign(lodi, staff, reviewer, run_on_commit)
    c = login(staff)
    page = c.get(reverse("review:queue"), {"status": "under_review"}).content
    assert b"Offerente Lodi" in page and b"Offerente Codogno" not in page
    comune_id = codogno.units.first().comune_id
    page = c.get(reverse("review:queue"), {"comune": comune_id}).content
    assert b"Offerente Codogno" in page and b"Offerente Lodi" not in page
    request = review.info_request_create(application=lodi, items="Visura", by=reviewer)
    type(request).objects.filter(pk=request.pk).update(deadline=timezone.localdate() - timezone.timedelta(days=1))
    page = c.get(reverse("review:queue"), {"overdue": "yes"}).content
    assert b"Offerente Lodi" in page and b"Offerente Codogno" not in page
    assert b"integrazione scaduta" in page


def test_detail_read_is_audited_and_other_reviewer_gets_404(client, login, staff, reviewer, application, run_on_commit):
    application = _assign(application, staff, reviewer, run_on_commit)
    url = reverse("review:detail", kwargs={"ref": application.reference})
    response = login(reviewer).get(url)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(verb="application.viewed", actor=reviewer, object_id=str(application.pk)).exists()
    assert b"Istruttoria avviata" in response.content  # the history
    assert login(social_worker("Codogno")).get(url).status_code == 404
    assert login(application.created_by).get(url).status_code == 403


def test_assign_through_the_page(client, login, staff, reviewer, application):
    response = login(staff).post(
        reverse("review:assign", kwargs={"ref": application.reference}),
        {"assign-reviewer": reviewer.pk, "assign-expected_status": "submitted"},
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.UNDER_REVIEW


def test_stale_page_shows_a_clear_message(client, login, staff, reviewer, application, run_on_commit):
    application = _assign(application, staff, reviewer, run_on_commit)
    review.info_request_create(application=application, items="Visura", by=reviewer)
    response = login(staff).post(
        reverse("review:refusal_notice", kwargs={"ref": application.reference}),
        {"refusal-reasons": "Non conforme", "refusal-expected_status": "under_review"},
    )
    assert response.status_code == 400
    assert b"un altro utente" in response.content
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.INFO_REQUESTED


def test_checklist_saved_through_the_page_with_fit_rule_shown(
    client, login, staff, reviewer, application, run_on_commit
):
    application = _assign(application, staff, reviewer, run_on_commit)
    unit = application.units.first()
    unit.surface_m2, unit.beds = 30, 2  # 38 m² needed for two
    unit.save()
    c = login(reviewer)
    response = c.post(
        reverse("review:checklist", kwargs={"ref": application.reference, "unit": unit.pk}),
        {"unit%d-outcome_fitness" % unit.pk: "not_ok", "unit%d-note_fitness" % unit.pk: "troppo piccolo"},
    )
    assert response.status_code == 302
    assert unit.review_checks.get(item="fitness").outcome == "not_ok"
    page = c.get(reverse("review:detail", kwargs={"ref": application.reference})).content.decode()
    assert "non conforme (servono 38 m²; la superficie basta per 1 persone)" in page


def test_offerer_never_sees_internal_notes(client, login, staff, reviewer, application, run_on_commit):
    application = _assign(application, staff, reviewer, run_on_commit)
    review.review_note_add(application=application, text="Proprietario poco collaborativo", by=reviewer)
    review.review_checks_save(
        application=application,
        unit=application.units.first(),
        checks={"costs": ("not_ok", "canone alto")},
        by=reviewer,
    )
    page = login(application.created_by).get(reverse("review:offerer_status", kwargs={"ref": application.reference}))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Istruttoria avviata" in content
    assert "Proprietario poco collaborativo" not in content and "Nota interna" not in content
    assert "canone alto" not in content and "Verifiche registrate" not in content


def test_offerer_page_is_404_for_others(client, login, application, staff):
    url = reverse("review:offerer_status", kwargs={"ref": application.reference})
    assert login(UserFactory(offerer=True)).get(url).status_code == 404


def test_offerer_uploads_integration_through_the_page(client, login, staff, reviewer, application, run_on_commit):
    application = _assign(application, staff, reviewer, run_on_commit)
    run_on_commit(review.info_request_create, application=application, items="Planimetria", by=reviewer)
    c = login(application.created_by)
    url = reverse("review:offerer_status", kwargs={"ref": application.reference})
    assert "Planimetria" in c.get(url).content.decode()
    response = c.post(
        reverse("review:offerer_integration", kwargs={"ref": application.reference}),
        {"integration-text": "Ecco", "integration-kind_1": "floor_plan", "integration-file_1": pdf_upload()},
    )
    assert response.status_code == 302
    assert Attachment.objects.filter(application=application, is_integration=True).count() == 1
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.UNDER_REVIEW


def test_offerer_bad_file_is_refused_and_nothing_changes(client, login, staff, reviewer, application, run_on_commit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = _assign(application, staff, reviewer, run_on_commit)
    review.info_request_create(application=application, items="Planimetria", by=reviewer)
    response = login(application.created_by).post(
        reverse("review:offerer_integration", kwargs={"ref": application.reference}),
        {"integration-kind_1": "other", "integration-file_1": SimpleUploadedFile("x.pdf", b"MZ not a pdf at all")},
    )
    assert response.status_code == 400
    assert "non è di un tipo ammesso" in response.content.decode()
    assert not Attachment.objects.filter(is_integration=True).exists()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.INFO_REQUESTED


def test_offerer_downloads_the_decision_pdf(client, login, staff, reviewer, application, run_on_commit):
    application = _assign(application, staff, reviewer, run_on_commit)
    run_on_commit(review.refusal_notice_issue, application=application, by=staff, reasons="Non conforme")
    document = documents_of(application, kinds=[GeneratedKind.REFUSAL_NOTICE]).get()
    c = login(application.created_by)
    response = c.get(reverse("review:offerer_document", kwargs={"ref": application.reference, "pk": document.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def _formula_application():
    return ApplicationFactory(submitted=True, offerer_name='=HYPERLINK("http://x","clic")')


def test_queue_export_csv_escapes_formulas_and_applies_filters(client, login, staff):
    _formula_application()
    ApplicationFactory(submitted=True, offerer_name="Altro", **in_comune("Codogno"))
    comune_id = Application.objects.get(offerer_name="Altro").units.first().comune_id
    c = login(staff)
    response = c.get(reverse("review:queue_export", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    names = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x","clic")' in names and "Altro" in names
    filtered = c.get(reverse("review:queue_export", kwargs={"fmt": "csv"}), {"comune": comune_id})
    rows = list(csv.reader(io.StringIO(filtered.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[2] for row in rows[1:]] == ["Altro"]


def test_queue_export_xlsx_stores_formulas_as_text(client, login, staff):
    _formula_application()
    response = login(staff).get(reverse("review:queue_export", kwargs={"fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=3)
    assert cell.value == '\'=HYPERLINK("http://x","clic")' and cell.data_type == "s"
    assert sheet.cell(row=1, column=1).value == "Protocollo"


def test_social_worker_export_contains_only_their_own(client, login, staff, reviewer, application, run_on_commit):
    _assign(application, staff, reviewer, run_on_commit)
    ApplicationFactory(submitted=True, offerer_name="Non mia")
    response = login(reviewer).get(reverse("review:queue_export", kwargs={"fmt": "csv"}))
    text = response.content.decode("utf-8-sig")
    assert application.offerer_name in text and "Non mia" not in text


def _eligible(application, staff, reviewer, run_on_commit):
    application = _assign(application, staff, reviewer, run_on_commit)
    review.site_visit_record(
        application=application, by=reviewer, visit_date=timezone.localdate(), attendees="Sara Neri", outcomes={}
    )
    run_on_commit(review.decision_eligible, application=application, by=staff, reasons="Idonea")
    return application


def test_dashboard_counts_and_chart(client, login, staff, reviewer, application, run_on_commit):
    _assign(application, staff, reviewer, run_on_commit)
    ApplicationFactory(submitted=True)
    response = login(staff).get(reverse("review:dashboard"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<svg" in content and "In istruttoria" in content and "Presentata" in content
    assert login(reviewer).get(reverse("review:dashboard")).status_code == 403


def test_reviewer_downloads_are_audited_and_scoped(client, login, staff, reviewer, application, run_on_commit):
    application = _assign(application, staff, reviewer, run_on_commit)
    run_on_commit(review.info_request_create, application=application, items="Visura", by=reviewer)
    review.info_request_answer(
        application=application, by=application.created_by, text="ecco", uploads=[(pdf_upload(), "other")]
    )
    attachment = Attachment.objects.get(application=application, is_integration=True)
    c = login(reviewer)
    url = reverse("review:attachment", kwargs={"ref": application.reference, "pk": attachment.pk})
    response = c.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    event = AuditEvent.objects.filter(verb="application.viewed", actor=reviewer).latest("pk")
    assert event.data == {"attachment": attachment.pk}
    other = ApplicationFactory(submitted=True)
    wrong = reverse("review:attachment", kwargs={"ref": other.reference, "pk": attachment.pk})
    assert login(staff).get(wrong).status_code == 404
