"""What a request costs before the page's own work: no query for a page that reads nothing,
persistent connections, the audit actor looked up only when something is written."""

import os

import pytest
from auditlog.models import LogEntry
from django.conf import settings as django_settings
from django.db import connection
from django.db.models.signals import pre_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from housingmix.core.middleware import cache_directives
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


def test_logged_in_constant_page_costs_no_query(client, floor):
    user = UserFactory()
    client.force_login(user)
    queries, response = _queries(client, "/__floor__/")
    # Database sessions, and still no query: the page reads neither the session nor the user, and
    # the session cookie alone keeps a logged-in visitor's answer private, never stored.
    assert queries == []
    assert {"private", "no-store"} <= cache_directives(response)


def test_a_page_kept_a_minute_is_private_for_a_session_cookie_the_view_never_read(client, floor):
    client.force_login(UserFactory())
    queries, response = _queries(client, "/__floor_minute__/")
    assert queries == []
    assert {"private", "no-store"} <= cache_directives(response)
    # The same with a cookie whose session no longer exists: nothing was read to find out.
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "x" * 32
    assert {"private", "no-store"} <= cache_directives(_queries(client, "/__floor_minute__/")[1])


def test_a_session_the_view_read_decides_without_reading_it_again(client, floor):
    # Anonymous with a session (a login begun, a message pending): the view's own header stands.
    session = client.session
    session["seen"] = True
    session.save()
    queries, response = _queries(client, "/__floor_minute_session__/")
    assert len(queries) == 1 and "django_session" in queries[0], queries
    assert cache_directives(response) == {"max-age"}
    # Logged in, the same page is private.
    client.force_login(UserFactory())
    queries, response = _queries(client, "/__floor_minute_session__/")
    assert len(queries) == 1, queries
    assert {"private", "no-store", "max-age"} <= cache_directives(response)


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
    response = client.post(
        "/__floor_write__/",
        {"n": "1"},
        HTTP_X_CORRELATION_ID="typed-by-anyone",
        HTTP_X_FORWARDED_FOR="198.51.100.9",  # no trusted proxy: ignored
        HTTP_X_FORWARDED_PORT="8443",  # the same
        REMOTE_PORT="51234",
    )
    assert response.status_code == 200
    topic = FaqTopic.objects.get(name="Argomento 1")
    entry = LogEntry.objects.get_for_object(topic).get()
    assert entry.actor == user
    assert entry.actor_email == user.email
    assert (entry.remote_addr, entry.remote_port) == ("127.0.0.1", 51234)
    # A client's correlation header is not written into the record.
    assert entry.cid is None


def test_a_request_connects_no_receiver_of_its_own(client, floor):
    client.force_login(UserFactory())
    client.get("/__floor__/")  # the middleware is built (and its one receiver connected)
    outside = len(pre_save.receivers)
    assert client.get("/__floor_receivers__/").content == str(outside).encode()
    assert len(pre_save.receivers) == outside


def test_a_write_after_the_request_carries_nothing_of_it(client, floor):
    user = UserFactory()
    client.force_login(user)
    client.post("/__floor_write__/", {"n": "3"}, REMOTE_ADDR="192.0.2.7")
    # The same thread writes again, outside any request (a task, a command): no actor, no address.
    later = FaqTopic.objects.create(name="Argomento 4")
    inside = LogEntry.objects.get_for_object(FaqTopic.objects.get(name="Argomento 3")).get()
    outside = LogEntry.objects.get_for_object(later).get()
    assert (inside.actor, inside.remote_addr) == (user, "192.0.2.7")
    assert (outside.actor, outside.remote_addr) == (None, None)


def test_an_anonymous_write_has_no_actor(client, floor):
    client.post("/__floor_write__/", {"n": "2"}, HTTP_X_FORWARDED_PORT="8443")
    entry = LogEntry.objects.get_for_object(FaqTopic.objects.get(name="Argomento 2")).get()
    assert entry.actor is None
    assert entry.remote_port is None  # no connection port, and the header is not the proxy's


def test_behind_the_proxy_the_audit_has_the_forwarded_client_and_port(client, floor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        "/__floor_write__/",
        {"n": "5"},
        HTTP_X_FORWARDED_FOR="203.0.113.5",
        HTTP_X_FORWARDED_PORT="443",
        REMOTE_PORT="9",
    )
    client.post("/__floor_write__/", {"n": "6"}, HTTP_X_FORWARDED_FOR="203.0.113.6", HTTP_X_FORWARDED_PORT="a port")
    first, second = (
        LogEntry.objects.get_for_object(FaqTopic.objects.get(name="Argomento %d" % n)).get() for n in (5, 6)
    )
    assert (first.remote_addr, first.remote_port) == ("203.0.113.5", 443)
    assert (second.remote_addr, second.remote_port) == ("203.0.113.6", None)
