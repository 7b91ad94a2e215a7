"""The receipt PDF and its e-mail: content, tagging, idempotence, SMTP failures."""

import io
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone, translation
from pypdf import PdfReader

from applications import documents
from applications.models import RECEIPT_JOB, GeneratedKind
from applications.selectors import generated_document_get_for_user
from housingmix.core import mail as core_mail
from housingmix.core import outbox
from housingmix.core.documents import GeneratedDocument, documents_of
from housingmix.core.documents import services as document_services
from housingmix.core.models import AuditEvent
from housingmix.core.outbox import Job, JobStatus
from housingmix.core.outbox.tasks import outbox_job_run_task
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, OffererFactory

pytestmark = pytest.mark.django_db


def _receipt(application) -> GeneratedDocument:
    return documents_of(application, kinds=[GeneratedKind.RECEIPT]).get()


def _receipt_job(application) -> Job:
    return Job.objects.get(kind=RECEIPT_JOB, target_id=str(application.pk))


def _email_jobs() -> list[Job]:
    return list(Job.objects.filter(kind=core_mail.JOB_KIND).order_by("pk"))


def _run_emails() -> None:
    """What the worker does next: send the queued e-mails."""
    for job in _email_jobs():
        outbox.run(job_id=job.pk)


def _reader(document: GeneratedDocument) -> PdfReader:
    with document.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def _text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _events(application, verb):
    return AuditEvent.objects.filter(object_id=str(application.pk), verb=verb)


@pytest.fixture
def submitted(run_on_commit):
    """Two units, submitted; the receipt job runs on commit (eager Celery)."""
    return run_on_commit(ApplicationFactory, submitted=True, units=2)


@pytest.fixture
def pending():
    """Submitted, with the receipt job still pending (its commit never happened)."""
    application = ApplicationFactory(submitted=True)
    return application, _receipt_job(application)


@pytest.fixture
def render_count(monkeypatch):
    """How many times WeasyPrint was asked for a PDF."""
    calls = []
    original = document_services.render_pdf

    def counting(html):
        calls.append(1)
        return original(html)

    monkeypatch.setattr(document_services, "render_pdf", counting)
    return calls


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1234.56", "€ 1.234,56"),
        ("1234567.5", "€ 1.234.567,50"),
        ("450", "€ 450,00"),
        ("0", "€ 0,00"),
        ("-12.3", "€ -12,30"),
        (None, ""),
    ],
)
def test_euro_is_formatted_the_italian_way(value, expected):
    from housingmix.core.numbers import euro

    assert euro(value) == expected


def test_numbers_use_the_decimal_comma():
    from housingmix.core.numbers import number_it

    assert [number_it(v) for v in ["65.50", "3.5", "120.00", "12345.25"]] == [
        "65,5",
        "3,5",
        "120",
        "12.345,25",
    ]


def test_receipt_shows_protocol_timestamp_units_and_hashes(submitted):
    text = _text(_reader(_receipt(submitted)))
    entry = submitted.protocol
    assert "Ricevuta di presentazione" in text
    assert entry.display_number in text
    assert timezone.localtime(entry.registered_at).strftime("%d/%m/%Y %H:%M") in text
    assert submitted.notice.title in text
    for unit in submitted.units.all():
        assert unit.address in text
    assert "€ 1.234,56" in text
    assert "01/03/2027" in text
    assert "36 mesi" in text
    for attachment in submitted.attachments.all():
        assert attachment.filename in text
        assert attachment.sha256 in text
    assert submitted.package_sha256 in text
    assert "Maria Rossi" in text and submitted.offerer_tax_code in text


def test_receipt_lists_the_declarations_made_in_full(submitted):
    text = _text(_reader(_receipt(submitted)))
    assert "artt. 46 e 47 del DPR 445/2000" in text
    assert "sanzioni penali previste dall'art. 76" in text
    assert "ai sensi dell'art. 71 del DPR 445/2000" in text
    assert "di accettare integralmente le condizioni dell'avviso «%s»" % submitted.notice.title in text
    assert "informativa sul trattamento dei dati personali" in text
    assert "di avere titolo a offrire gli alloggi indicati" in text


def test_receipt_is_tagged_like_the_notice_pdfs(submitted):
    reader = _reader(_receipt(submitted))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "it-IT"
    assert reader.metadata.title == "Ricevuta di presentazione - prot. n. %s" % submitted.protocol.display_number
    assert root["/MarkInfo"]["/Marked"]


def test_receipt_is_in_italian_whatever_the_active_language(pending):
    application, job = pending
    with translation.override("en"):
        outbox.run(job_id=job.pk)
        _run_emails()
    assert "Ricevuta di presentazione" in _text(_reader(_receipt(application)))
    assert "ricevuta di presentazione, protocollo n." in mail.outbox[0].subject
    assert mail.outbox[0].body.startswith("Gentile Maria Rossi,")


def test_receipt_is_rendered_from_the_frozen_package(submitted):
    before, _title = documents.receipt_html(application=submitted)
    assert document_services.source_hash(before) == _receipt(submitted).source_hash
    # A change behind the services' back does not reach the receipt: only what was filed does.
    submitted.units.update(street="Via Cambiata")
    after, _title = documents.receipt_html(application=submitted)
    assert after == before
    assert "Via Cambiata" not in after


def test_receipt_file_is_named_after_the_protocol(submitted):
    document = _receipt(submitted)
    assert document.filename == "ricevuta-%s.pdf" % submitted.protocol.display_number.replace("/", "-")
    assert document.version == 1
    with document.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    assert document.size == len(content)


def test_job_run_twice_makes_one_document_and_one_email(submitted, render_count):
    job = _receipt_job(submitted)
    assert job.status == JobStatus.DONE and job.steps == ["emailed"]
    assert outbox.run(job_id=job.pk) is None
    assert outbox_job_run_task.apply(kwargs={"job_id": job.pk}).get() is True
    assert documents_of(submitted).count() == 1
    assert len(_email_jobs()) == 1
    assert len(mail.outbox) == 1
    assert render_count == []


def test_job_found_pending_again_reuses_the_receipt_and_the_sent_email(submitted, render_count):
    """A worker lost after the work but before marking the job done: the sweep runs it again."""
    job = _receipt_job(submitted)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.PENDING, done_at=None)
    document = outbox.run(job_id=job.pk)
    _run_emails()
    assert document == _receipt(submitted)
    assert documents_of(submitted).count() == 1
    assert len(_email_jobs()) == 1
    assert len(mail.outbox) == 1
    assert render_count == []


def test_email_carries_the_receipt_and_the_protocol_number(submitted):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    number = submitted.protocol.display_number
    assert message.to == [submitted.email]
    assert number in message.subject
    assert number in message.body
    assert submitted.package_sha256 in message.body
    assert timezone.localtime(submitted.protocol.registered_at).strftime("%d/%m/%Y") in message.body
    document = _receipt(submitted)
    [(filename, content, mimetype)] = message.attachments
    with document.file.open("rb") as handle:
        assert content == handle.read()
    assert (filename, mimetype) == (document.filename, "application/pdf")


def test_smtp_failure_retries_later_and_sends_once_without_rendering_again(pending, monkeypatch, render_count):
    application, job = pending
    outbox.run(job_id=job.pk)
    [email_job] = _email_jobs()

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed to %s" % application.email)

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", refuse)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            outbox.run(job_id=email_job.pk)
    email_job.refresh_from_db()
    assert (email_job.status, email_job.attempts, email_job.last_error) == (
        JobStatus.PENDING,
        1,
        "SMTPServerDisconnected",
    )
    assert application.email not in email_job.last_error
    assert email_job.next_attempt_at > timezone.now()  # the sweep waits before trying again
    assert documents_of(application).count() == 1
    assert mail.outbox == []
    assert len(render_count) == 1

    outbox.run(job_id=email_job.pk)  # the sweep's retry, SMTP back

    email_job.refresh_from_db()
    assert (email_job.status, email_job.attempts, email_job.last_error) == (JobStatus.DONE, 2, "")
    assert len(mail.outbox) == 1
    assert len(render_count) == 1
    assert outbox.run(job_id=email_job.pk) is None
    assert outbox.run(job_id=job.pk) is None
    assert len(mail.outbox) == 1


def test_rendering_error_is_counted_without_data(pending, monkeypatch):
    application, job = pending

    def broken(html):
        raise RuntimeError("contenuto della ricevuta di %s" % application.offerer_name)

    monkeypatch.setattr(document_services, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        outbox.run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.attempts, job.last_error, job.status) == (1, "RuntimeError", JobStatus.PENDING)
    assert not documents_of(application).exists()
    assert _email_jobs() == []


def test_generation_and_email_are_in_the_audit_trail(submitted):
    document = _receipt(submitted)
    [generated] = _events(submitted, "application.receipt_generated")
    assert generated.actor is None
    assert generated.data == {"document": document.pk, "version": 1, "sha256": document.sha256}
    [emailed] = _events(submitted, "application.receipt_emailed")
    assert emailed.data == {"document": document.pk}
    assert submitted.email not in str(emailed.data)


def test_unknown_or_finished_job_does_nothing():
    assert outbox.run(job_id=987654) is None


def test_receipt_download_only_for_owner_and_staff(submitted):
    document = _receipt(submitted)
    ref = submitted.reference
    assert generated_document_get_for_user(user=submitted.created_by, reference=ref, pk=document.pk) == document
    assert generated_document_get_for_user(user=UserFactory(staff=True), reference=ref, pk=document.pk) == document
    assert generated_document_get_for_user(user=OffererFactory(), reference=ref, pk=document.pk) is None
    # Guessing ids: another manifestation's reference with this document's id finds nothing.
    other = ApplicationFactory()
    assert generated_document_get_for_user(user=other.created_by, reference=other.reference, pk=document.pk) is None
    assert generated_document_get_for_user(user=submitted.created_by, reference=ref, pk=document.pk + 1) is None
