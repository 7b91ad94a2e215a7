import pytest
from django.test import RequestFactory
from django.utils import timezone

from housingmix.identity.selectors import SESSION_KEY, session_identity, verified_identity_for
from tests.accounts.factories import UserFactory
from tests.identity.factories import DigitalIdentityFactory

pytestmark = pytest.mark.django_db


def _request(user, data=None):
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    if data is not None:
        request.session[SESSION_KEY] = data
    return request


def test_verified_identity_for_a_linked_account():
    identity = DigitalIdentityFactory(last_level=2)
    info = verified_identity_for(identity.user)
    assert (info.fiscal_code, info.provider_kind, info.level) == ("RSSMRA80A01E648Q", "spid", 2)


def test_no_verified_identity_for_a_password_account():
    assert verified_identity_for(UserFactory()) is None


def test_session_identity_only_for_the_session_that_used_it():
    user, other = UserFactory(), UserFactory()
    data = {
        "user_id": user.pk,
        "provider_kind": "cie",
        "provider_name": "CIE di prova",
        "provider_id": "http://127.0.0.1:8011/oidc/op/",
        "level": 2,
        "authenticated_at": timezone.now().isoformat(),
        "fiscal_code": "VRDNNA85E52F205D",
    }
    info = session_identity(_request(user, data))
    assert info.as_dict()["mode"] == "digital_identity"
    assert "identità digitale CIE di livello 2" in info.statement
    assert "VRDNNA85E52F205D" in info.statement
    assert session_identity(_request(other, data)) is None  # another user's session data
    assert session_identity(_request(user)) is None  # a password session
