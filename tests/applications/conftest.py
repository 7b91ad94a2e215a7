import io
from datetime import timedelta

import pytest
from codicefiscale import codicefiscale
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from housingmix.accounts.roles import Role
from housingmix.notices.models import NoticeKind
from housingmix.territory.models import Comune
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, social_worker
from tests.notices.factories import NoticeFactory


def person_tax_code(surname="Rossi", name="Maria", birth="01/02/1970") -> str:
    return codicefiscale.encode(lastname=surname, firstname=name, gender="F", birthdate=birth, birthplace="Lodi")


def pdf_upload(name: str = "visura.pdf", text: str = "integrazione") -> SimpleUploadedFile:
    """A small valid PDF (content sniffing needs the real magic bytes)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def png_upload(name="foto.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def open_notice(db):
    now = timezone.now()
    return NoticeFactory(
        published=True, kind=NoticeKind.INTEREST, opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=20)
    )


@pytest.fixture
def offerer(db):
    return UserFactory(roles=[Role.OFFERER], offerer_kind="person", tax_code=person_tax_code(), phone="0371 123456")


@pytest.fixture
def lodi(db):
    return Comune.objects.get(name="Lodi")


@pytest.fixture
def staff(db):
    return UserFactory(staff=True)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (tasks, e-mails) as a real commit would."""

    def runner(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return runner


@pytest.fixture
def reviewer(db):
    return social_worker("Lodi", first_name="Sara", last_name="Neri")


@pytest.fixture
def application(db):
    return ApplicationFactory(submitted=True, units=2)
