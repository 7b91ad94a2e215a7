"""Large exports are built by the worker; every export is recorded; files expire."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from housingmix.core import outbox
from housingmix.core.exports import ExportJob, ExportStatus, export_request
from housingmix.core.exports.services import exports_purge
from housingmix.core.models import AuditEvent
from housingmix.core.outbox import Job
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.celery_helpers import broker

pytestmark = pytest.mark.django_db


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_small_export_is_sent_at_once_and_recorded(login, staff):
    ApplicationFactory(submitted=True, offerer_name="Ente Uno")
    response = login(staff).get(reverse("review:queue_export", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert [row[2] for row in _rows(response.content)[1:]] == ["Ente Uno"]
    job = ExportJob.objects.get()
    assert (job.requested_by, job.kind, job.rows, job.status, job.file.name) == (
        staff,
        "review_queue",
        1,
        ExportStatus.DONE,
        "",
    )
    event = AuditEvent.objects.get(verb="export.requested")
    assert event.actor == staff and event.data == {"kind": "review_queue", "fmt": "csv", "rows": 1}


def test_large_export_is_built_by_the_worker_for_its_requester_only(settings, login, staff, run_on_commit, client):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    for n in range(3):
        ApplicationFactory(submitted=True, offerer_name="Ente %d" % n)
    c = login(staff)
    response = run_on_commit(c.get, reverse("review:queue_export", kwargs={"fmt": "csv"}), {"status": "submitted"})
    assert response.status_code == 302 and response["Location"] == reverse("review:exports")
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.rows == 3 and job.query == "status=submitted"
    page = c.get(reverse("review:exports")).content.decode()
    assert job.filename in page
    download = c.get(reverse("review:export_download", kwargs={"pk": job.pk}))
    assert sorted(row[2] for row in _rows(b"".join(download.streaming_content))[1:]) == ["Ente 0", "Ente 1", "Ente 2"]
    other = UserFactory(staff=True)
    c.force_login(other)
    assert c.get(reverse("review:export_download", kwargs={"pk": job.pk})).status_code == 404


def test_export_waits_for_the_broker_and_the_sweep_sends_it(settings, staff, django_capture_on_commit_callbacks):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    ApplicationFactory(submitted=True, offerer_name="Ente Uno")
    with broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        job, body = export_request(kind="review_queue", fmt="xlsx", query="", by=staff)
    assert body is None
    job.refresh_from_db()
    assert job.status == ExportStatus.PENDING
    Job.objects.filter(kind="core.export").update(requested_at=timezone.now() - timedelta(minutes=2))
    assert outbox.sweep() == 1  # eager again: the worker is back
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.file and job.rows == 1


def test_social_worker_may_not_export_the_registry(login, reviewer):
    assert login(reviewer).get(reverse("registry:export", kwargs={"fmt": "csv"})).status_code == 403
    assert not ExportJob.objects.exists()


def test_export_files_are_deleted_after_the_retention_period(settings, staff):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    ApplicationFactory(submitted=True)
    job, _body = export_request(kind="review_queue", fmt="csv", query="", by=staff)
    outbox.run(job_id=Job.objects.get(kind="core.export", target_id=str(job.pk)).pk)
    job.refresh_from_db()
    name = job.file.name
    assert default_storage.exists(name)
    ExportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(days=settings.EXPORT_RETENTION_DAYS + 1)
    )
    assert exports_purge() == 1
    job.refresh_from_db()
    assert not job.file and not default_storage.exists(name)
