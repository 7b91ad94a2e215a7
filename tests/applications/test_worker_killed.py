"""Faults: the worker is killed (SIGKILL) while it renders a receipt. The job stays pending, the
sweep sends it again, a new worker does it once: one receipt document, one e-mail."""

import time

import pytest
from django.db import transaction

from applications import services
from applications.models import RECEIPT_JOB
from housingmix.core import mail as core_mail
from housingmix.core import outbox
from housingmix.core.documents import documents_of
from housingmix.core.outbox import Job, JobStatus
from tests.applications.factories import ApplicationFactory
from tests.celery_helpers import wait_for, worker_process


def _log_of(settings) -> str:
    return "".join(path.read_text() for path in settings.MEDIA_ROOT.parent.glob("worker-*.log"))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_receipt_interrupted_by_a_killed_worker_is_redone_once(settings):
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    application = ApplicationFactory(complete=True)
    with worker_process(media_root=settings.MEDIA_ROOT) as proc:
        with transaction.atomic():
            services.application_submit(application=application, by=application.created_by)
        job = Job.objects.get(kind=RECEIPT_JOB, target_id=str(application.pk))
        # The worker has taken the task: kill it while it renders the PDF (seconds of work).
        assert wait_for(
            lambda: "outbox_job_run_task" in _log_of(settings) and "received" in _log_of(settings), timeout=90
        )
        time.sleep(0.3)
        proc.kill()
        proc.wait(timeout=20)
    job.refresh_from_db()
    if job.status == JobStatus.DONE:  # the render beat the kill on this machine: nothing to redo
        pytest.skip("the worker finished the receipt before it could be killed")
    assert job.status == JobStatus.PENDING and job.steps == []
    assert not Job.objects.filter(kind=core_mail.JOB_KIND).exists()

    with worker_process(media_root=settings.MEDIA_ROOT) as proc:
        # The beat's sweep finds the pending job and sends it to the new worker.
        assert outbox.sweep(older_than_seconds=0) == 1
        assert wait_for(
            lambda: (
                Job.objects.filter(kind=core_mail.JOB_KIND, status=JobStatus.DONE).exists() or proc.poll() is not None
            ),
            timeout=120,
        )
        assert proc.poll() is None
        # A second sweep (the job is done) sends nothing more.
        assert outbox.sweep(older_than_seconds=0) == 0
    job.refresh_from_db()
    assert (job.status, job.steps) == (JobStatus.DONE, ["emailed"])
    assert documents_of(application).count() == 1
    assert Job.objects.filter(kind=core_mail.JOB_KIND).count() == 1
