from pathlib import Path

import pytest


def pytest_configure(config):
    # The SQLite test database and the screenshots live here (see settings: TEST NAME).
    (Path(__file__).parent / "test-artifacts").mkdir(exist_ok=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded and generated files go to a per-test folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Unit tests run tasks in-process; tests marked ``worker`` use a real worker instead."""
    from housingmix.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True)
def _italian_by_default():
    """A request in English leaves English active in the thread: start every test in Italian."""
    from django.utils import translation

    translation.activate("it")
    yield
    translation.activate("it")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Every test user has a password: hashing it with the production hasher (PBKDF2, hundreds of
    thousands of rounds) cost a third of a second each. Production keeps the strong one
    (tests/accounts/test_password.py checks it)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def committing_client(client, django_capture_on_commit_callbacks):
    """A test client whose requests commit as real ones do: what a request leaves to the outbox
    (e-mails, PDFs) runs when the request ends, as the worker would run it."""
    original = client.request

    def request(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(**kwargs)

    client.request = request
    return client
