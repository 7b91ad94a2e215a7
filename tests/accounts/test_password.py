import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nuova-password-sicura-2026"


def _verified_user():
    user = UserFactory(offerer=True, email="reset@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_password_reset_by_email_lets_the_user_log_in_with_the_new_password(client):
    user = _verified_user()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/password/reset/key/[^\s]+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else "/" + path
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_answers_the_same_for_unknown_addresses(client):
    user = _verified_user()
    known = client.post(reverse("account_reset_password"), {"email": user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nessuno@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_password_change_needs_the_current_password(login):
    user = _verified_user()
    client = login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "sbagliata", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_production_settings_hash_passwords_with_a_strong_hasher():
    """The tests use a fast hasher (conftest.py); the portal's own settings keep Django's default."""
    import importlib

    from django.conf import global_settings

    portal = importlib.import_module("housingmix.settings")
    hashers = getattr(portal, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] in (
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    )


def test_a_short_password_is_refused_in_italian(client):
    """Django 5.2's message for a short password has no Italian translation in Django's catalogue:
    the project's validator says it in Italian (found by tests/core/test_hostile_input.py)."""
    data = {"email": "corta@example.org", "password1": "Ab1-x", "password2": "Ab1-x"}
    page = client.post(reverse("account_signup"), data).content.decode()
    assert "Questa password è troppo corta: deve contenere almeno 10 caratteri." in page
    assert "too short" not in page
