import uuid

import pytest
from django.urls import NoReverseMatch, reverse

from tests.accounts.factories import UserFactory


@pytest.fixture(autouse=True)
def _applications_urls(settings):
    """Until the offerer views are routed, completeness links resolve against a stand-in URLconf."""
    try:
        reverse("applications:offerer", kwargs={"ref": uuid.uuid4()})
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.applications.urls"


@pytest.fixture
def staff(db):
    return UserFactory(staff=True)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (the receipt job) as a real commit would."""

    def runner(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return runner
