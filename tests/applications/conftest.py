import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.accounts.factories import UserFactory
from tests.applications.factories_review import social_worker, submitted_application


@pytest.fixture
def staff(db):
    return UserFactory(staff=True)


@pytest.fixture
def reviewer(db):
    return social_worker("Lodi", first_name="Sara", last_name="Neri")


@pytest.fixture
def application(db):
    return submitted_application(units=2)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (tasks, e-mails) as a real commit would."""

    def runner(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return runner


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client

    return _login


def pdf_upload(name: str = "visura.pdf", text: str = "integrazione") -> SimpleUploadedFile:
    """A small valid PDF (content sniffing needs the real magic bytes)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def png_upload(name: str = "foto.png") -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 80)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
