import pytest
from django.test import RequestFactory
from django.urls import reverse

from housingmix.core import views

pytestmark = pytest.mark.django_db


def test_not_found_page_is_in_the_portal_style_and_italian(client):
    response = client.get("/non-esiste/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="it">' in page
    assert 'data-element="main-navigation"' in page
    assert "non-esiste" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_not_found_page_in_english(client):
    response = client.get("/en/does-not-exist/")
    assert response.status_code == 404
    assert '<html lang="en">' in response.content.decode()


def test_server_error_page_renders_without_a_request_context():
    response = views.server_error(RequestFactory().get("/qualsiasi/?cf=RSSMRA80A01E648Q"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "RSSMRA80A01E648Q" not in page
    assert "<h1" in page


def test_forbidden_and_bad_request_pages(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert views.permission_denied(request).status_code == 403
    assert views.bad_request(request).status_code == 400


def test_form_sent_without_csrf_token_gets_an_explanation(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Modulo scaduto" in response.content.decode()
