import pytest

from tests.accounts.factories import UserFactory


@pytest.fixture
def staff(db):
    return UserFactory(staff=True)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (task enqueueing, cache invalidation) as a real commit would."""

    def runner(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return runner
