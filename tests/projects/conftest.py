import pytest


@pytest.fixture
def login(client):
    """``login(user)``: the test client logged in as ``user`` (through allauth's backend), returned."""

    def _login(user):
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client

    return _login
