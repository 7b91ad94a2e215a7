import itertools

import pytest
from stdnum import luhn

_counter = itertools.count(1)


def body_tax_code() -> str:
    """A fresh 11-digit codice fiscale of a body: valid partita IVA with a Lodi office code (098)."""
    base = "%07d098" % (1000000 + next(_counter))
    return base + luhn.calc_check_digit(base)


@pytest.fixture
def make_tax_code():
    return body_tax_code


@pytest.fixture
def offerer(db):
    from tests.accounts.factories import UserFactory

    return UserFactory(offerer=True)


@pytest.fixture
def login(client):
    """Log ``user`` in with allauth's backend: django-axes' backend, first in the list, cannot load users."""

    def _login(user):
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client

    return _login


@pytest.fixture
def client(committing_client):
    """Sign-up and password-reset e-mails leave from the outbox on commit: commit like real requests."""
    return committing_client
