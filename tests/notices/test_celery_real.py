"""PDF rendering through a real broker: a live worker on Redis, and an unreachable broker."""

import pytest
from django.db import transaction

from housingmix.core import outbox
from housingmix.core.documents import documents_of
from housingmix.core.outbox import Job, JobStatus
from housingmix.notices import services
from housingmix.notices.models import DocumentKind
from tests.accounts.factories import UserFactory
from tests.celery_helpers import broker, wait_for, worker_process
from tests.notices.factories import FaqEntryFactory, NoticeFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_the_pdfs_after_publishing(settings, tmp_path):
    staff = UserFactory(staff=True)
    notice = NoticeFactory(title="Avviso reso da un worker reale")
    FaqEntryFactory(notice=notice)
    with worker_process(media_root=settings.MEDIA_ROOT) as proc:
        with transaction.atomic():
            services.notice_publish(notice=notice, by=staff)
        done = wait_for(
            lambda: documents_of(notice).count() == 2 or proc.poll() is not None,
            timeout=90,
        )
        assert proc.poll() is None, "the worker process died"
        assert done
    document = documents_of(notice, kinds=[DocumentKind.NOTICE_PDF]).get()
    with document.file.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    assert not Job.objects.filter(target_id=str(notice.pk), status=JobStatus.PENDING).exists()


@pytest.mark.django_db(transaction=True)
def test_publishing_succeeds_with_the_broker_down_and_the_pdf_comes_later(client):
    staff = UserFactory(staff=True)
    notice = NoticeFactory()
    FaqEntryFactory(notice=notice)
    # Port 1 on loopback: nothing listens, the connection is refused like a stopped Redis.
    with broker("redis://127.0.0.1:1/0"):
        with transaction.atomic():
            services.notice_publish(notice=notice, by=staff)
        assert notice.is_public
        assert Job.objects.filter(target_id=str(notice.pk), status=JobStatus.PENDING).count() == 2
        assert not documents_of(notice).exists()
        page = client.get(notice.get_absolute_url())
        assert page.status_code == 200
        assert "in preparazione" in page.content.decode()
    # The broker is back (eager here): the beat sweep re-sends the pending jobs.
    assert outbox.sweep(older_than_seconds=0) == 2
    kinds = set(documents_of(notice).values_list("kind", flat=True))
    assert kinds == {DocumentKind.NOTICE_PDF, DocumentKind.FAQ_PDF}
    assert not Job.objects.filter(status=JobStatus.PENDING).exists()
    assert "in preparazione" not in client.get(notice.get_absolute_url()).content.decode()
