"""Public pages revalidate: browsers and proxies may store them but ask again on every visit, and
a notice published meanwhile shows at once (core.caching.public_page)."""

import re

import pytest
from django.urls import reverse

from housingmix.notices import services
from tests.accounts.factories import UserFactory
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "home",
    "notices:list",
    "notices:archive",
    "notices:faq",
    "notices:feed_rss",
    "notices:feed_atom",
    "privacy",
    "accessibility",
    "legal_notes",
    "report",
]


def _max_age(response) -> int:
    match = re.search(r"max-age=(\d+)", response["Cache-Control"])
    assert match, response["Cache-Control"]
    return int(match.group(1))


@pytest.mark.parametrize("name", PUBLIC_URLS)
def test_public_pages_must_be_revalidated_and_carry_an_etag(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"public", "must-revalidate"} <= directives
    assert _max_age(response) == 0
    assert "s-maxage" not in response["Cache-Control"]  # the proxy is not told of publications either
    assert not response.has_header("Expires")
    assert response["ETag"]


def test_notice_page_sitemap_and_robots_revalidate_too(client):
    notice = NoticeFactory(published=True)
    for url in (notice.get_absolute_url(), "/sitemap.xml", "/robots.txt"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _max_age(response) == 0, url
        assert response["ETag"], url


def test_unchanged_page_is_answered_with_304(client):
    url = reverse("notices:list")
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert _max_age(again) == 0


def test_a_visitor_who_had_the_list_open_sees_a_notice_published_since(client, django_capture_on_commit_callbacks):
    staff = UserFactory(staff=True)
    url = reverse("notices:list")
    first = client.get(url)
    assert "Avviso pubblicato da poco" not in first.content.decode()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    notice = NoticeFactory(title="Avviso pubblicato da poco")
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_publish(notice=notice, by=staff)
    # The browser revalidates its stored copy (max-age=0, must-revalidate) with the ETag it has.
    response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 200
    assert "Avviso pubblicato da poco" in response.content.decode()
    assert response["ETag"] != first["ETag"]


def test_a_withdrawn_notice_shows_as_withdrawn_on_the_next_request(client, django_capture_on_commit_callbacks):
    staff = UserFactory(staff=True)
    notice = NoticeFactory(published=True, title="Avviso poi ritirato")
    url = reverse("notices:list")
    first = client.get(url)
    assert "Avviso poi ritirato" in first.content.decode()
    assert 'status-badge">Ritirato' not in first.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.notice_withdraw(notice=notice, by=staff, reason="Errore materiale nel testo.")
    response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert 'status-badge">Ritirato' in response.content.decode()
