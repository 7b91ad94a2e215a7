import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.identity.factories import DigitalIdentityFactory

pytestmark = pytest.mark.django_db


def _change_page(client, user):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin, backend="housingmix.accounts.backends.AuthenticationBackend")
    return client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()


def test_verified_tax_code_is_read_only_in_the_back_office(client):
    identity = DigitalIdentityFactory()
    html = _change_page(client, identity.user)
    assert 'name="tax_code"' not in html
    assert identity.fiscal_code in html


def test_typed_tax_code_stays_editable(client):
    html = _change_page(client, UserFactory(tax_code="RSSMRA80A01E648Q"))
    assert 'name="tax_code"' in html
