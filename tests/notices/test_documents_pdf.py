import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from housingmix.core import outbox
from housingmix.core.documents import documents_of
from housingmix.core.outbox import Job, JobStatus
from housingmix.notices import services
from housingmix.notices.models import DocumentKind, FaqEntry
from tests.notices.factories import FaqEntryFactory, FaqTopicFactory, NoticeFactory

pytestmark = pytest.mark.django_db


def _pdf(notice, kind) -> PdfReader:
    document = documents_of(notice, kinds=[kind]).first()
    with document.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def _text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def published(staff, run_on_commit):
    notice = NoticeFactory(title="Avviso Housing Mix per alloggi temporanei", act_number="412/2026")
    topic = FaqTopicFactory(name="Chi può partecipare")
    for i in range(3):
        FaqEntryFactory(notice=notice, topic=topic, question="Posso partecipare come parrocchia numero %d?" % i)
    run_on_commit(services.notice_publish, notice=notice, by=staff)
    return notice


def test_notice_pdf_has_title_dates_and_page_numbers(published):
    text = _text(_pdf(published, DocumentKind.NOTICE_PDF))
    assert "Avviso Housing Mix per alloggi temporanei" in text
    assert timezone.localtime(published.closes_at).strftime("%d/%m/%Y %H:%M") in text
    assert timezone.localtime(published.opens_at).strftime("%d/%m/%Y") in text
    assert "412/2026" in text
    assert "Pagina 1 di" in text


def test_faq_pdf_lists_every_question_and_update_date(published):
    text = _text(_pdf(published, DocumentKind.FAQ_PDF))
    for entry in FaqEntry.objects.filter(notice=published):
        assert entry.question in text
    latest = max(e.updated_at for e in FaqEntry.objects.filter(notice=published))
    assert "FAQ aggiornate al %s" % timezone.localtime(latest).strftime("%d/%m/%Y") in text


def test_pdf_is_tagged_with_language_and_title(published):
    reader = _pdf(published, DocumentKind.NOTICE_PDF)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "it-IT"
    assert reader.metadata.title == published.title
    assert root["/MarkInfo"]["/Marked"]


def test_rendering_unchanged_content_makes_no_new_version(published, run_on_commit):
    before = documents_of(published).count()
    run_on_commit(
        services.document_jobs_request, notice=published, kinds=[DocumentKind.NOTICE_PDF, DocumentKind.FAQ_PDF]
    )
    assert documents_of(published).count() == before
    assert not Job.objects.filter(status=JobStatus.PENDING).exists()


def test_faq_change_makes_exactly_one_new_faq_version(published, staff, run_on_commit):
    entry = FaqEntry.objects.filter(notice=published).first()
    entry.answer = "Risposta aggiornata: sì, tramite il ramo ETS."
    run_on_commit(services.faq_entry_save, entry=entry, by=staff)
    versions = list(documents_of(published, kinds=[DocumentKind.FAQ_PDF]).values_list("version", flat=True))
    assert sorted(versions) == [1, 2]
    assert documents_of(published, kinds=[DocumentKind.NOTICE_PDF]).count() == 1
    assert "Risposta aggiornata" in _text(_pdf(published, DocumentKind.FAQ_PDF))


def test_amendment_makes_a_new_notice_pdf_version(published, staff, run_on_commit):
    run_on_commit(
        services.notice_update,
        notice=published,
        by=staff,
        reason="Proroga",
        closes_at=published.closes_at + timedelta(days=10),
    )
    assert documents_of(published, kinds=[DocumentKind.NOTICE_PDF]).count() == 2
    assert "Proroga" in _text(_pdf(published, DocumentKind.NOTICE_PDF))


def test_faq_updated_date_follows_the_latest_change(published, staff, client):
    entry = FaqEntry.objects.filter(notice=published).first()
    FaqEntry.objects.filter(pk=entry.pk).update(updated_at=timezone.now() + timedelta(days=3))
    response = client.get(published.get_absolute_url())
    expected = timezone.localtime(timezone.now() + timedelta(days=3)).strftime("%d/%m/%Y")
    assert "FAQ aggiornate al %s" % expected in response.content.decode()


def test_task_is_safe_to_run_twice(published):
    from housingmix.core.outbox.tasks import outbox_job_run_task

    job = Job.objects.filter(target_id=str(published.pk)).first()
    assert outbox_job_run_task.apply(kwargs={"job_id": job.pk}).get() is True
    Job.objects.filter(pk=job.pk).update(status=JobStatus.PENDING)  # as if the worker died before marking it
    assert outbox.run(job_id=job.pk) == documents_of(published, kinds=[job.kind.split(".")[1]]).get()
    assert documents_of(published).count() == 2
