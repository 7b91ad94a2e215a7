"""The receipt through a real broker: a live worker on Redis, and an unreachable broker."""

import io

import pytest
from django.core import mail
from django.db import transaction
from pypdf import PdfReader

from applications import services
from applications.models import RECEIPT_JOB, ApplicationStatus
from housingmix.core import mail as core_mail
from housingmix.core import outbox
from housingmix.core.documents import documents_of
from housingmix.core.outbox import Job, JobStatus
from tests.applications.factories import ApplicationFactory
from tests.celery_helpers import broker, wait_for, worker_process


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_produces_the_receipt_after_submission(settings):
    application = ApplicationFactory(complete=True)
    with worker_process(media_root=settings.MEDIA_ROOT) as proc:
        with transaction.atomic():
            submitted = services.application_submit(application=application, by=application.created_by)
        done = wait_for(
            lambda: (
                Job.objects.filter(kind=core_mail.JOB_KIND, status=JobStatus.DONE).exists() or proc.poll() is not None
            ),
            timeout=90,
        )
        assert proc.poll() is None, "the worker process died"
        assert done
    job = Job.objects.get(kind=RECEIPT_JOB, target_id=str(application.pk))
    assert (job.status, job.steps, job.last_error) == (JobStatus.DONE, ["emailed"], "")
    document = documents_of(application).get()
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert submitted.protocol.display_number in text
    assert submitted.package_sha256 in text


@pytest.mark.django_db(transaction=True)
def test_submission_succeeds_with_the_broker_down_and_the_receipt_comes_later():
    application = ApplicationFactory(complete=True)
    # Port 1 on loopback: nothing listens, the connection is refused like a stopped Redis.
    with broker("redis://127.0.0.1:1/0"):
        with transaction.atomic():
            submitted = services.application_submit(application=application, by=application.created_by)
        assert submitted.status == ApplicationStatus.SUBMITTED
        assert submitted.protocol_number
        job = Job.objects.get(kind=RECEIPT_JOB, target_id=str(application.pk))
        assert job.status == JobStatus.PENDING
        assert not documents_of(application).exists()
        assert mail.outbox == []
    # The broker is back (eager here): the beat sweep re-sends the pending job.
    assert outbox.sweep(older_than_seconds=0) == 1
    assert documents_of(application).count() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.steps == ["emailed"]
    assert len(mail.outbox) == 1
    assert submitted.protocol.display_number in mail.outbox[0].subject
