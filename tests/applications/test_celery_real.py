"""The receipt through a real broker: a live worker on Redis, and an unreachable broker."""

import io

import pytest
from django.core import mail
from django.db import transaction
from pypdf import PdfReader

from applications import services
from applications.models import ApplicationStatus, DocumentJob, GeneratedDocument
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
                DocumentJob.objects.filter(application=application, done_at__isnull=False).exists()
                or proc.poll() is not None
            ),
            timeout=90,
        )
        assert proc.poll() is None, "the worker process died"
        assert done
    job = DocumentJob.objects.get(application=application)
    assert job.emailed_at is not None and job.last_error == ""
    document = GeneratedDocument.objects.get(application=application)
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
        job = DocumentJob.objects.get(application=application)
        assert job.done_at is None
        assert not GeneratedDocument.objects.filter(application=application).exists()
        assert mail.outbox == []
    # The broker is back (eager here): the beat sweep re-sends the pending job.
    assert services.document_jobs_resend_pending(older_than_seconds=0) == 1
    assert GeneratedDocument.objects.filter(application=application).count() == 1
    job.refresh_from_db()
    assert job.done_at is not None and job.emailed_at is not None
    assert len(mail.outbox) == 1
    assert submitted.protocol.display_number in mail.outbox[0].subject
