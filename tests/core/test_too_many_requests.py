"""The too-many-requests page (429): django-allauth's rate limits and the portal's own forms show
a page of the portal, in the visitor's language."""

import pytest
from allauth.core.ratelimit import respond_429
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "html_lang"),
    [("it", "Troppe richieste", '<html lang="it">'), ("en", "Too many requests", '<html lang="en">')],
)
def test_allauth_rate_limit_answers_with_the_portal_page(rf, language, heading, html_lang):
    request = rf.post("/account/password/reset/")
    request.user = AnonymousUser()
    with translation.override(language):
        response = respond_429(request)
    page = response.content.decode()

    assert response.status_code == 429
    assert html_lang in page
    assert "<h1>%s</h1>" % heading in page
    assert 'data-element="main-navigation"' in page
    assert "Too Many Requests" not in page
