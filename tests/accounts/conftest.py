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
def client(committing_client):
    """Sign-up and password-reset e-mails leave from the outbox on commit: commit like real requests."""
    return committing_client
