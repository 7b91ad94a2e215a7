"""Issue 11, item 6: one codice fiscale, one personal account. A second sign-up with a codice
fiscale already registered is refused with a clear Italian message and creates nothing."""

import pytest
from django.core import mail
from django.urls import reverse

from housingmix.accounts.models import User
from tests.accounts.factories import UserFactory
from tests.accounts.test_signup import _signup_data

pytestmark = pytest.mark.django_db


def test_second_account_with_the_same_tax_code_is_refused(client):
    UserFactory(offerer=True, email="prima@example.org", tax_code="RSSMRA80A01E648Q")
    response = client.post(
        reverse("account_signup"), _signup_data(email="seconda@example.org", tax_code="rssmra80a01e648q")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Esiste già un account con questo codice fiscale" in content
    assert "prima@example.org" not in content  # the other account's address is never shown
    assert not User.objects.filter(email="seconda@example.org").exists()
    assert not mail.outbox


def test_a_new_tax_code_signs_up(client):
    UserFactory(offerer=True, email="prima@example.org", tax_code="RSSMRA80A01E648Q")
    other = "BNCGLI85M41F205B"
    response = client.post(reverse("account_signup"), _signup_data(email="seconda@example.org", tax_code=other))
    assert response.status_code == 302
    assert User.objects.get(email="seconda@example.org").tax_code == other
