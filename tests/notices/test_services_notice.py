import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from housingmix.core.documents import documents_of
from housingmix.core.models import AuditEvent
from housingmix.notices import services
from housingmix.notices.models import DocumentKind, NoticeDocument, NoticeStatus
from tests.accounts.factories import UserFactory
from tests.notices.factories import FaqEntryFactory, NoticeFactory

pytestmark = pytest.mark.django_db


def test_publish_moves_draft_to_published_and_audits(staff, run_on_commit):
    notice = NoticeFactory()
    run_on_commit(services.notice_publish, notice=notice, by=staff)
    notice.refresh_from_db(fields=["published_at"])
    assert notice.status == NoticeStatus.PUBLISHED
    assert notice.published_at is not None
    event = AuditEvent.objects.get(verb="notice.published")
    assert (event.actor, event.from_state, event.to_state) == (staff, "draft", "published")


def test_publish_renders_notice_and_faq_pdfs(staff, run_on_commit):
    notice = NoticeFactory()
    FaqEntryFactory(notice=notice)
    run_on_commit(services.notice_publish, notice=notice, by=staff)
    kinds = set(documents_of(notice).values_list("kind", flat=True))
    assert kinds == {DocumentKind.NOTICE_PDF, DocumentKind.FAQ_PDF}
    assert not NoticeDocument.objects.filter(notice=notice).exists()  # uploads only


def test_publish_refused_to_offerer(db):
    notice = NoticeFactory()
    with pytest.raises(PermissionDenied):
        services.notice_publish(notice=notice, by=UserFactory(offerer=True))
    assert NoticeFactory._meta.model.objects.get(pk=notice.pk).status == NoticeStatus.DRAFT


def test_publish_refused_when_closing_before_opening(staff):
    notice = NoticeFactory()
    notice.closes_at = notice.opens_at
    with pytest.raises(ValidationError):
        services.notice_publish(notice=notice, by=staff)


def test_amendment_keeps_previous_version_dated(staff, run_on_commit):
    notice = NoticeFactory(published=True)
    old_title = notice.title
    run_on_commit(
        services.notice_update, notice=notice, by=staff, reason="Correzione della scadenza", title="Titolo corretto"
    )
    notice.refresh_from_db(fields=["title", "amended_at"])
    assert notice.status == NoticeStatus.AMENDED
    assert notice.title == "Titolo corretto"
    revision = notice.revisions.get()
    assert revision.number == 1
    assert revision.content["title"] == old_title
    assert revision.reason == "Correzione della scadenza"
    assert revision.valid_until == notice.amended_at or revision.valid_until <= notice.amended_at
    assert AuditEvent.objects.filter(verb="notice.amended", reason="Correzione della scadenza").exists()


def test_amendment_without_reason_is_refused(staff):
    notice = NoticeFactory(published=True)
    with pytest.raises(ValidationError) as error:
        services.notice_update(notice=notice, by=staff, reason="  ", title="Altro titolo")
    assert "amendment_reason" in error.value.message_dict
    assert notice.revisions.count() == 0


def test_closed_notice_cannot_be_edited(staff):
    notice = NoticeFactory(closed=True)
    with pytest.raises(ValidationError):
        services.notice_update(notice=notice, by=staff, reason="x", title="Nuovo titolo")


def test_draft_edit_makes_no_revision(staff):
    notice = NoticeFactory()
    services.notice_update(notice=notice, by=staff, title="Bozza rivista")
    assert notice.revisions.count() == 0
    assert notice.status == NoticeStatus.DRAFT


def test_withdraw_requires_a_reason(staff):
    notice = NoticeFactory(published=True)
    with pytest.raises(ValidationError):
        services.notice_withdraw(notice=notice, by=staff, reason="")
    services.notice_withdraw(notice=notice, by=staff, reason="Errore materiale nei requisiti")
    assert notice.status == NoticeStatus.WITHDRAWN
    assert notice.status_reason == "Errore materiale nei requisiti"


def test_archive_only_after_close(staff):
    notice = NoticeFactory(published=True)
    with pytest.raises(ValidationError):
        services.notice_archive(notice=notice, by=staff)
    services.notice_close(notice=notice, by=staff)
    services.notice_archive(notice=notice, by=staff)
    assert notice.status == NoticeStatus.ARCHIVED


def test_scheduler_closes_expired_notices_only(db):
    expired = NoticeFactory(expired=True)
    live = NoticeFactory(published=True)
    assert services.notices_close_expired() == 1
    expired.refresh_from_db(fields=["closed_at"])
    assert type(expired).objects.get(pk=expired.pk).status == NoticeStatus.CLOSED
    assert type(live).objects.get(pk=live.pk).status == NoticeStatus.PUBLISHED


def test_upload_rejects_file_whose_content_is_not_allowed(staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    notice = NoticeFactory(published=True)
    fake_pdf = SimpleUploadedFile("modulo.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.document_upload(notice=notice, kind=DocumentKind.ANNEX, title="Allegato", upload=fake_pdf, by=staff)
    assert "non è di un tipo ammesso" in str(error.value)
    assert not NoticeDocument.objects.exists()


def test_upload_of_same_title_makes_a_new_version_with_hash(staff):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    notice = NoticeFactory(published=True)
    first = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"
    second = b"%PDF-1.4\n2 0 obj<<>>endobj\n%%EOF"
    for content in (first, second):
        services.document_upload(
            notice=notice,
            kind=DocumentKind.APPLICATION_FORM,
            title="Modulo",
            upload=SimpleUploadedFile("m.pdf", content),
            by=staff,
        )
    versions = list(NoticeDocument.objects.filter(notice=notice).order_by("version"))
    assert [d.version for d in versions] == [1, 2]
    assert versions[1].sha256 == hashlib.sha256(second).hexdigest()
    assert versions[0].filename == "modulo-v1.pdf"


@pytest.mark.parametrize(
    ("kind", "days", "allowed"),
    [("interest", 14, False), ("interest", 15, True), ("codesign", 19, False), ("codesign", 20, True)],
)
def test_publication_needs_the_minimum_open_window(staff, kind, days, allowed):
    from datetime import timedelta

    notice = NoticeFactory(kind=kind)
    notice.closes_at = notice.opens_at + timedelta(days=days)
    if allowed:
        services.notice_publish(notice=notice, by=staff)
        assert notice.status == NoticeStatus.PUBLISHED
    else:
        with pytest.raises(ValidationError) as error:
            services.notice_publish(notice=notice, by=staff)
        assert "almeno" in " ".join(error.value.messages)
