"""A cache outage costs the cache only: pages, logins, sign-ups and password resets keep working,
and allauth's rate limits still count when the cache is up (housingmix/core/cache.py)."""

import socket
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import caches
from django.urls import reverse

from housingmix.accounts.models import User
from housingmix.settings import redis_cache
from tests.accounts.factories import PASSWORD, UserFactory
from tests.celery_helpers import redis_test_url
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db

CLIENT_ADDRESS = "203.0.113.7"
SIGNUP_PASSWORD = "Casa-di-corte-Lodi-2026"


def _closed_port_url() -> str:
    """A Redis URL on a port of 127.0.0.1 where nothing listens: a stopped Redis."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return "redis://127.0.0.1:%d/0" % port


@pytest.fixture
def dead_cache(settings):
    """The production cache configuration (REDIS_CACHE_URL) pointed at a Redis that is not there."""
    settings.CACHES = redis_cache(_closed_port_url())  # the setting_changed signal rebuilds the handlers
    assert caches["default"].get("anything", "unreachable") == "unreachable"


@pytest.fixture
def working_cache(settings):
    """The production cache configuration on the test Redis, in a key space of its own."""
    config = redis_cache(redis_test_url())
    config["default"]["KEY_PREFIX"] = "test-%s" % uuid.uuid4().hex
    settings.CACHES = config
    cache = caches["default"]
    cache.set("probe", "up")
    assert cache.get("probe") == "up", "the test Redis at %s is not reachable" % redis_test_url()
    yield cache
    cache.delete_pattern("*")


def _verified_user(email):
    user = UserFactory(offerer=True, email=email)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _signup_data(email):
    return {
        "email": email,
        "password1": SIGNUP_PASSWORD,
        "password2": SIGNUP_PASSWORD,
        "first_name": "Giulia",
        "last_name": "Bianchi",
        "tax_code": "RSSMRA80A01E648Q",
        "offerer_kind": "person",
        "privacy_accepted": "on",
    }


def test_public_pages_work_with_the_cache_server_down(client, dead_cache):
    notice = NoticeFactory(published=True, title="Avviso visibile anche senza cache")
    for url in (reverse("home"), reverse("notices:list"), notice.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
    assert "Avviso visibile anche senza cache" in response.content.decode()


def test_login_works_with_the_cache_server_down(client, dead_cache, caplog):
    caplog.set_level("WARNING")
    user = _verified_user("lucia.verdi@example.org")
    # More posts than the login rate limit (30 a minute per address) allows when it counts.
    for _ in range(35):
        response = client.post(reverse("account_login"), {}, REMOTE_ADDR=CLIENT_ADDRESS)
        assert response.status_code == 200

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, REMOTE_ADDR=CLIENT_ADDRESS
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "Cache server unreachable" in caplog.text
    assert user.email not in caplog.text
    assert CLIENT_ADDRESS not in caplog.text


@pytest.fixture
def client(committing_client):
    """E-mails leave from the outbox on commit: commit like real requests."""
    return committing_client


def test_signup_works_with_the_cache_server_down(client, dead_cache, caplog):
    caplog.set_level("WARNING")
    response = client.post(
        reverse("account_signup"), _signup_data("giulia.bianchi@example.org"), REMOTE_ADDR=CLIENT_ADDRESS
    )

    assert response.status_code == 302
    assert User.objects.filter(email="giulia.bianchi@example.org").exists()
    assert [m.to for m in mail.outbox] == [["giulia.bianchi@example.org"]]
    assert "giulia.bianchi@example.org" not in caplog.text
    assert CLIENT_ADDRESS not in caplog.text


def test_password_reset_works_with_the_cache_server_down(client, dead_cache):
    user = _verified_user("reset@example.org")

    response = client.post(reverse("account_reset_password"), {"email": user.email}, REMOTE_ADDR=CLIENT_ADDRESS)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_login_rate_limit_still_counts_when_the_cache_works(client, working_cache):
    for _ in range(30):  # allauth's default: 30 login posts a minute per address
        assert client.post(reverse("account_login"), {}, REMOTE_ADDR=CLIENT_ADDRESS).status_code == 200

    response = client.post(reverse("account_login"), {}, REMOTE_ADDR=CLIENT_ADDRESS)

    assert response.status_code == 429
    content = response.content.decode()
    assert "Troppe richieste" in content
    assert 'lang="it"' in content
    # Another address is not affected.
    assert client.post(reverse("account_login"), {}, REMOTE_ADDR="198.51.100.20").status_code == 200


def test_signup_rate_limit_still_counts_when_the_cache_works(client, working_cache):
    for _ in range(20):  # allauth's default: 20 sign-up posts a minute per address
        assert client.post(reverse("account_signup"), {}, REMOTE_ADDR=CLIENT_ADDRESS).status_code == 200

    response = client.post(reverse("account_signup"), _signup_data("tardi@example.org"), REMOTE_ADDR=CLIENT_ADDRESS)

    assert response.status_code == 429
    assert not User.objects.filter(email="tardi@example.org").exists()
