"""Data-subject rights: erasure where the law allows, recorded; the record of processing
activities; the signed pact uploaded under the core policy."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from beneficiaries import services
from beneficiaries.models import Member, SupportPlan
from housingmix.core.models import AuditEvent
from tests.applications.factories import pdf_bytes
from tests.beneficiaries import factories as f

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user, backend="housingmix.accounts.backends.AuthenticationBackend")


def test_erasure_by_the_dpo_only_after_the_plan_ends_with_a_reason(client):
    worker, dpo = f.worker(), f.dpo()
    household = f.household(by=worker)
    url = reverse("beneficiaries:erase", args=[household.pk])
    _login(client, worker)
    assert client.get(url).status_code == 403
    _login(client, dpo)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Richiesta dell'interessato, art. 17 c. 1 a"})
    assert "in corso" in response.content.decode()  # refused: the plan is open
    services.plan_transition(plan=household.plan, name="interrupt", by=worker, reason="Rinuncia")
    assert "motivo" in client.post(url, {"reason": ""}).content.decode()
    response = client.post(url, {"reason": "Richiesta dell'interessato, art. 17 c. 1 a"})
    assert response.status_code == 302
    assert AuditEvent.objects.get(verb="household.erased").reason.startswith("Richiesta")
    with connection.cursor() as cursor:
        cursor.execute("SELECT first_name, last_name, tax_code FROM beneficiaries_member")
        assert "Bianchetti" not in repr(cursor.fetchall())
    assert Member.objects.filter(household=household, disability="").count() == 2


def test_processing_record_lists_what_is_held(client):
    f.household()
    _login(client, f.staff())
    assert client.get(reverse("beneficiaries:processing_record")).status_code == 403
    _login(client, f.dpo())
    page = client.get(reverse("beneficiaries:processing_record")).content.decode()
    assert "note sanitarie" in page and "codice fiscale" in page and "nuclei familiari" in page


def test_signed_pact_upload_refuses_non_pdf_and_stores_a_pdf(client):
    worker = f.worker()
    household = f.household(by=worker)
    _login(client, worker)
    url = reverse("beneficiaries:pact_upload", args=[household.pk])
    client.post(url, {"signed_pact": SimpleUploadedFile("patto.txt", b"ciao", content_type="text/plain")})
    assert not SupportPlan.objects.get(pk=household.plan.pk).signed_pact
    client.post(
        url, {"signed_pact": SimpleUploadedFile("patto.pdf", pdf_bytes("patto"), content_type="application/pdf")}
    )
    plan = SupportPlan.objects.get(pk=household.plan.pk)
    assert plan.signed_pact and len(plan.signed_pact_sha256) == 64
    response = client.get(reverse("beneficiaries:signed_pact_download", args=[household.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    _login(client, f.ets_operator(f.ets()))
    assert client.get(reverse("beneficiaries:signed_pact_download", args=[household.pk])).status_code == 404
