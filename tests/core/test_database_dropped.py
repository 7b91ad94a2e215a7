"""Faults: the database connection drops in the middle of a request that writes (an offerer's
draft, a submission, a back-office action). The answer is the portal's 503 page in Italian, with
no stack trace and no personal data; the transaction leaves nothing half-written; the broken
connection is closed, so the next request works. The drop is real (tests/db_faults.py)."""

import importlib
import logging

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from applications.models import Application, ApplicationStatus
from housingmix.core.models import AuditEvent
from housingmix.core.outbox import Job
from housingmix.core.protocol.models import ProtocolEntry
from housingmix.notices.models import Notice, NoticeStatus
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.db_faults import connection_dropped
from tests.notices.factories import NoticeFactory

# A real drop kills the transaction a plain django_db test runs in: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _territory():
    """The Ambito and comuni of the data migration, emptied by earlier transactional tests."""
    from django.apps import apps

    importlib.import_module("housingmix.territory.migrations.0002_ambito_lodi").seed(apps, None)


def _assert_unavailable_page(response, *private: str) -> None:
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"]
    assert '<html lang="it">' in page
    assert "<h1>Servizio momentaneamente non disponibile</h1>" in page
    assert "Traceback" not in page and "Error" not in page
    for value in private:
        assert value not in page


def _one_log_line(caplog, *private: str) -> str:
    records = [r for r in caplog.records if r.name == "housingmix.core.middleware"]
    assert len(records) == 1
    line = records[0].getMessage()
    assert "\n" not in line and records[0].exc_info is None
    for value in private:
        assert value not in line
    return line


def test_draft_save_cut_before_commit_keeps_the_draft_as_it_was(client, caplog):
    application = ApplicationFactory(offerer_address="Via Vecchia 1")
    owner = application.created_by
    client.force_login(owner)
    url = reverse("applications:offerer", kwargs={"ref": application.reference})
    caplog.set_level(logging.ERROR)

    with connection_dropped(after_write=1) as state:
        response = client.post(url, {"offerer_address": "Via Nuova 9"})

    assert state["dropped"]
    _assert_unavailable_page(response, application.offerer_tax_code, owner.email, "Via Nuova 9")
    line = _one_log_line(caplog, str(application.reference), application.offerer_tax_code, "Via Nuova 9")
    assert "applications:offerer" in line
    assert Application.objects.get(pk=application.pk).offerer_address == "Via Vecchia 1"

    # Django reconnects: the same session saves the step on the next request.
    response = client.post(url, {"offerer_address": "Via Nuova 9"})
    assert response.status_code in (200, 302)
    assert Application.objects.get(pk=application.pk).offerer_address == "Via Nuova 9"


def test_submission_cut_halfway_registers_nothing_and_the_retry_gets_number_one(client, caplog):
    application = ApplicationFactory(complete=True)
    client.force_login(application.created_by)
    url = reverse("applications:summary", kwargs={"ref": application.reference})
    caplog.set_level(logging.ERROR)

    with connection_dropped(before_write=3) as state:
        response = client.post(url, {"confirm": "on"})

    assert state["dropped"]
    _assert_unavailable_page(response, application.offerer_tax_code, application.offerer_name)
    _one_log_line(caplog, str(application.reference))
    application = Application.objects.get(pk=application.pk)
    assert (application.status, application.protocol_id) == (ApplicationStatus.DRAFT, None)
    assert not ProtocolEntry.objects.exists()
    assert not AuditEvent.objects.filter(verb="application.submitted").exists()
    assert not Job.objects.exists()

    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.protocol.number == 1
    assert AuditEvent.objects.filter(verb="application.submitted").count() == 1


def test_back_office_action_cut_halfway_leaves_the_notice_published(client, caplog):
    notice = NoticeFactory(published=True)
    staff = UserFactory(staff=True)
    client.force_login(staff)
    entries = LogEntry.objects.count()
    data = {"action": "action_close", "_selected_action": [notice.pk]}
    changelist = reverse("admin:notices_notice_changelist")
    caplog.set_level(logging.ERROR)

    # The first write (django-auditlog's entry) is done, the notice's UPDATE is never sent.
    with connection_dropped(before_write=2) as state:
        response = client.post(changelist, data)

    assert state["dropped"]
    _assert_unavailable_page(response, staff.email)
    assert "admin:notices_notice_changelist" in _one_log_line(caplog, staff.email)
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PUBLISHED
    assert not AuditEvent.objects.filter(verb="notice.closed").exists()
    assert LogEntry.objects.count() == entries

    response = client.post(changelist, data, follow=True)
    assert "Avvisi chiusi: 1" in response.content.decode()
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.CLOSED
    assert AuditEvent.objects.filter(verb="notice.closed").count() == 1


@pytest.mark.django_db
def test_an_error_of_the_data_is_still_a_server_error():
    """Only a lost connection is a 503: a constraint violated by the code is a bug, a 500."""
    from django.db import IntegrityError, transaction

    from housingmix.core.middleware import database_unavailable

    user = UserFactory()
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        type(user).objects.bulk_create([user])
    assert not database_unavailable(raised.value)
    assert not database_unavailable(ValueError("not the database"))
