"""The DPO's access-request report (GDPR art. 15) as a tagged PDF: the data held and the audit
trail of one household; the download is audited; nobody else gets it."""

import io
import logging

import pytest
from django.urls import reverse
from pypdf import PdfReader

from housingmix.core.models import AuditEvent
from tests.beneficiaries import factories as f

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user, backend="housingmix.accounts.backends.AuthenticationBackend")


def _text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_dpo_downloads_a_tagged_pdf_with_the_data_and_every_access(client, caplog):
    worker = f.worker()
    household = f.household(by=worker)
    _login(client, worker)
    client.get(reverse("beneficiaries:detail", args=[household.pk]))  # a read the trail must show
    dpo = f.dpo()
    _login(client, dpo)
    url = reverse("beneficiaries:export_pdf", args=[household.pk])
    assert str(household.pk) in url and "Bianchetti" not in url

    with caplog.at_level(logging.DEBUG):
        response = client.get(url)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]) == "it-IT" and "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Diritto di accesso - nucleo %s" % household.code
    text = _text(response.content)
    assert household.code in text
    assert "Invalidità civile 75%" in text  # the data subject gets the special categories too
    assert dpo.get_full_name() in text  # the officer who answers
    assert "Nucleo segnalato" in text and "Consultazione del nucleo" in text  # changes and reads
    assert worker.get_full_name() in text
    assert "Esportazione per diritto di accesso" in text  # the download itself, in its own trail
    exported = AuditEvent.objects.get(verb="household.exported", actor=dpo)
    assert exported.data == {"format": "pdf"}
    assert AuditEvent.objects.filter(verb="household.export_viewed", actor=dpo).count() == 1
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "Invalidità" not in logged and "Bianchetti" not in logged


def test_nobody_but_the_dpo_gets_the_pdf(client):
    worker = f.worker()
    household = f.household(by=worker)
    url = reverse("beneficiaries:export_pdf", args=[household.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page, nothing served
    assert "/accounts/" in client.get(url)["Location"] or "login" in client.get(url)["Location"]
    _login(client, worker)
    assert client.get(url).status_code == 403  # sees the household, may not export it
    _login(client, f.staff(special=True))
    assert client.get(url).status_code == 403
    _login(client, f.worker("Codogno"))
    assert client.get(url).status_code == 404  # another comune's worker: not even its existence
    _login(client, f.dpo())
    assert client.get(reverse("beneficiaries:export_pdf", args=[household.pk + 999])).status_code == 404
    assert not AuditEvent.objects.filter(verb="household.exported").exists()


def test_the_dpo_pages_link_the_pdf(client):
    household = f.household()
    _login(client, f.dpo())
    page = client.get(reverse("beneficiaries:reads", args=[household.pk])).content.decode()
    assert reverse("beneficiaries:export_pdf", args=[household.pk]) in page
