"""The sites framework's record follows SITE_URL (core.sites), so allauth's e-mails greet from
the portal, not from the host name of the request."""

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from housingmix.core.sites import SITE_NAME

pytestmark = pytest.mark.django_db

PASSWORD = "Casa-di-corte-Lodi-2026"


def _signup(client, email="giulia.bianchi@example.org"):
    response = client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Giulia",
            "last_name": "Bianchi",
            "tax_code": "RSSMRA80A01E648Q",
            "offerer_kind": "person",
            "privacy_accepted": "on",
        },
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    return message


def test_the_migrated_site_carries_site_url_and_the_portal_name(settings):
    site = Site.objects.get_current()

    assert (site.pk, site.domain, site.name) == (settings.SITE_ID, "127.0.0.1:8000", SITE_NAME)
    assert settings.SITE_URL == "http://127.0.0.1:8000"


@pytest.fixture
def client(committing_client):
    """The sign-up e-mail leaves from the outbox on commit: commit like a real request."""
    return committing_client


def test_signup_email_greets_from_the_portal_not_from_a_host_name(client):
    message = _signup(client)

    greeting = message.body.strip().splitlines()[0]
    assert greeting == "Gentile utente, ti scriviamo dal portale Housing Mix dell'Ambito territoriale di Lodi."
    assert "testserver" not in greeting and "127.0.0.1" not in greeting


def test_every_migrate_brings_the_site_in_step_with_site_url(client, settings):
    settings.SITE_URL = "https://housingmix.example.org"

    call_command("migrate", verbosity=0)  # nothing to apply: only the post-migrate steps run

    assert Site.objects.get_current().domain == "housingmix.example.org"
    message = _signup(client)
    assert message.body.startswith("Gentile utente, ti scriviamo dal portale Housing Mix")
    # The confirmation link and the signature point at SITE_URL, never at the request's host.
    assert "https://housingmix.example.org/" in message.body
    assert "testserver" not in message.body


def test_site_sync_command_sets_the_site_for_make_run(settings):
    settings.SITE_URL = "http://127.0.0.1:8123"

    call_command("site_sync", verbosity=0)

    assert Site.objects.get_current().domain == "127.0.0.1:8123"
