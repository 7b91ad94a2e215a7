"""A notice's page tells which PDFs are being prepared with one query, whatever their number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from housingmix.core.outbox import Job, JobStatus
from housingmix.notices.models import RENDER_JOBS, DocumentKind
from housingmix.notices.selectors import document_pending_kinds
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db


def test_pending_kinds_in_one_query():
    notice = NoticeFactory(published=True)
    Job.objects.filter(status=JobStatus.PENDING).delete()
    assert document_pending_kinds(notice=notice) == set()
    Job.objects.create(kind=RENDER_JOBS[DocumentKind.FAQ_PDF], target=notice)
    with CaptureQueriesContext(connection) as captured:
        pending = document_pending_kinds(notice=notice)
    assert pending == {DocumentKind.FAQ_PDF}
    assert len(captured.captured_queries) == 1
