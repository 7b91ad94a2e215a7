import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified_offerer():
    user = UserFactory(offerer=True, email="lucia.verdi@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _login(client, password):
    return client.post(reverse("account_login"), {"login": "lucia.verdi@example.org", "password": password})


def test_verified_offerer_logs_in_with_the_right_password(client, verified_offerer):
    response = _login(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(verified_offerer.pk)


def test_wrong_password_is_refused_with_the_login_form_again(client, verified_offerer):
    response = _login(client, "password-sbagliata")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'id="error-summary"' in response.content.decode()


def test_account_is_locked_after_five_failures_even_with_the_right_password(client, verified_offerer):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _login(client, "password-sbagliata").status_code == 200

    fifth = _login(client, "password-sbagliata")
    assert fifth.status_code == 429
    assert AccessAttempt.objects.get(username="lucia.verdi@example.org").failures_since_start == 5

    response = _login(client, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    content = response.content.decode()
    assert "Accesso temporaneamente bloccato" in content
    assert "60 minuti" in content
    assert 'href="%s"' % reverse("account_reset_password") in content
    # The typed address is not echoed back on the lockout page.
    assert "lucia.verdi@example.org" not in content


def test_lockout_of_one_account_does_not_block_another(client, verified_offerer):
    other = UserFactory(offerer=True, email="paolo.neri@example.org")
    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    for _ in range(5):
        _login(client, "password-sbagliata")

    response = client.post(reverse("account_login"), {"login": "paolo.neri@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_failed_logins_and_lockout_leave_no_email_in_the_logs(client, verified_offerer, caplog):
    caplog.set_level("DEBUG")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _login(client, "password-sbagliata")
    assert AccessAttempt.objects.exists()
    assert "account " in caplog.text  # axes did log, with the pseudonym
    assert "lucia.verdi@example.org" not in caplog.text
