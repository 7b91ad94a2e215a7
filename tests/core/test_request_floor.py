"""What a request costs before the page's own work: no query for a page that reads nothing,
persistent connections, the audit actor looked up only when something is written."""

import os

import pytest
from auditlog.models import LogEntry
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from housingmix.notices.models import FaqTopic
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

FLOOR_URLS = "tests.core.floor_urls"


@pytest.fixture
def floor(settings):
    settings.ROOT_URLCONF = FLOOR_URLS


def _queries(client, url, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries], response


@pytest.mark.skipif("DJANGO_CONN_MAX_AGE" in os.environ, reason="the environment overrides the default")
def test_persistent_connections_with_health_checks_by_default():
    db = django_settings.DATABASES["default"]
    assert db["CONN_MAX_AGE"] == 600
    assert db["CONN_HEALTH_CHECKS"] is True


def test_anonymous_constant_page_costs_no_query(client, floor):
    queries, response = _queries(client, "/__floor__/")
    assert queries == []
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("name", ["privacy", "accessibility", "legal_notes"])
def test_anonymous_public_page_from_the_page_cache_costs_no_query(client, name):
    url = reverse(name)
    client.get(url)  # renders and fills the page cache
    queries, response = _queries(client, url)
    assert queries == [], queries
    assert "public" in response["Cache-Control"]


def test_logged_in_constant_page_reads_the_session_only(client, floor):
    user = UserFactory()
    client.force_login(user)
    queries, response = _queries(client, "/__floor__/")
    # One query: the session row (database sessions). The user is not loaded: nothing needs it.
    assert len(queries) == 1, queries
    assert "django_session" in queries[0]
    # Still a logged-in visitor's answer: private, never stored.
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_logged_in_constant_page_costs_no_query_with_cached_sessions(client, floor, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    user = UserFactory()
    client.force_login(user)  # writes the session to the database and the cache
    queries, response = _queries(client, "/__floor__/")
    assert queries == []
    assert "no-store" in response["Cache-Control"]


def test_sessions_are_cached_only_with_a_shared_cache():
    # LocMem is per process: a session ended in one worker would live on in another's copy.
    expected = "cached_db" if django_settings.REDIS_CACHE_URL else "db"
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.%s" % expected


def test_a_write_by_a_logged_in_user_still_records_the_actor(client, floor):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/__floor_write__/", {"n": "1"})
    assert response.status_code == 200
    topic = FaqTopic.objects.get(name="Argomento 1")
    entry = LogEntry.objects.get_for_object(topic).get()
    assert entry.actor == user
    assert entry.actor_email == user.email
    assert entry.remote_addr == "127.0.0.1"


def test_an_anonymous_write_has_no_actor(client, floor):
    client.post("/__floor_write__/", {"n": "2"})
    entry = LogEntry.objects.get_for_object(FaqTopic.objects.get(name="Argomento 2")).get()
    assert entry.actor is None
