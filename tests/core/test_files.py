"""Every stored file is served sandboxed (core.files.private_file_response), whoever downloads it."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from housingmix.core.files import private_file_response
from housingmix.notices import services
from housingmix.notices.models import DocumentKind
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, AttachmentFactory, pdf_bytes
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db


class _Stored:
    def __init__(self, name):
        self.name = name

    def open(self, mode):
        return default_storage.open(self.name, mode)


@pytest.mark.parametrize("inline", [True, False])
def test_private_files_are_sandboxed_and_never_stored(inline):
    name = default_storage.save("prova/visura.pdf", ContentFile(pdf_bytes()))

    response = private_file_response(
        _Stored(name), filename="visura.pdf", content_type="application/pdf", inline=inline
    )

    assert response["Content-Security-Policy"] == "sandbox"
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert response["Content-Disposition"].startswith("inline" if inline else "attachment")


def test_an_attachment_opened_by_its_owner_is_sandboxed(client):
    application = ApplicationFactory()
    attachment = AttachmentFactory(application=application)
    client.force_login(application.created_by, backend="housingmix.accounts.backends.AuthenticationBackend")

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_published_notice_document_is_sandboxed_too(client):
    staff = UserFactory(staff=True)
    notice = NoticeFactory(published=True)
    document = services.document_upload(
        notice=notice,
        kind=DocumentKind.ANNEX,
        title="Allegato",
        upload=SimpleUploadedFile("allegato.pdf", pdf_bytes(), content_type="application/pdf"),
        by=staff,
    )

    response = client.get(document.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"
