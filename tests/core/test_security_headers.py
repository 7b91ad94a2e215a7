"""Security headers and cookies on every public page, with production values."""

import pytest
from django.urls import reverse

from tests.notices.factories import FaqEntryFactory, NoticeFactory
from tests.url_patterns import pattern_path, url_patterns

pytestmark = pytest.mark.django_db

EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
}
FEATURES_OFF = ("camera", "microphone", "geolocation", "payment", "usb")


@pytest.fixture
def production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def _public_pages(client) -> list[str]:
    """Every URL pattern an anonymous visitor gets a page from (200), objects filled in."""
    notice = NoticeFactory(published=True, slug="avviso-pubblico")
    FaqEntryFactory(notice=notice)
    values = {"slug": notice.slug, "number": "1", "pk": "1", "filename": "x.pdf"}
    pages = []
    for pattern in url_patterns():
        if pattern.name and pattern.name.startswith("admin:"):
            continue
        if set(pattern.params) - set(values):
            continue  # needs an object an anonymous visitor cannot have (a manifestation, a key)
        path = pattern_path(pattern, values)
        if path and client.get(path, secure=True).status_code == 200:
            pages.append(path)
    return pages


def test_every_public_page_sends_the_security_headers(client, production):
    pages = _public_pages(client)
    for expected in ("/", "/avvisi/", "/avvisi/avviso-pubblico/", "/faq/", "/privacy/", "/account/login/"):
        assert expected in pages

    for path in pages:
        response = client.get(path, secure=True)
        for header, value in EXPECTED_HEADERS.items():
            assert response.get(header) == value, (path, header)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        policy = response["Permissions-Policy"]
        for feature in FEATURES_OFF:
            assert "%s=()" % feature in policy, (path, feature)
        assert response.has_header("Cache-Control"), path


def test_plain_http_is_redirected_to_https(client, production):
    response = client.get(reverse("notices:list"))

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_cookies_are_secure_httponly_and_same_site(client, production):
    cookies = {}
    for path in _public_pages(client) + [reverse("account_signup")]:
        cookies.update(client.get(path, secure=True).cookies)
    from allauth.account.models import EmailAddress

    from tests.accounts.factories import PASSWORD, UserFactory

    user = UserFactory(offerer=True, email="lucia.verdi@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    login = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, secure=True)
    assert login.status_code == 302
    cookies.update(login.cookies)

    assert {"csrftoken", "sessionid"} <= set(cookies)
    for name, morsel in cookies.items():
        assert morsel["secure"], name
        assert morsel["samesite"] == "Lax", name
    assert cookies["sessionid"]["httponly"]
