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


VICTIM_ADDRESS = "203.0.113.10"
ATTACKER_ADDRESS = "198.51.100.66"


def _login_from(client, address, password, login="lucia.verdi@example.org", **extra):
    return client.post(reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=address, **extra)


def test_wrong_passwords_from_another_address_do_not_lock_the_holder_out(client, verified_offerer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt = _login_from(client, ATTACKER_ADDRESS, "password-sbagliata")
    assert attempt.status_code == 429  # the attacker's address is locked for this account
    assert _login_from(client, ATTACKER_ADDRESS, PASSWORD).status_code == 429

    response = _login_from(client, VICTIM_ADDRESS, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(verified_offerer.pk)


def test_usernames_sprayed_from_one_address_are_throttled(client, verified_offerer):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit < 30
    # 29 usernames with one common password each, then the holder's own: 30 usernames from one
    # address (and no more posts than allauth's own 30 a minute, which would answer 429 anyway).
    responses = [
        _login_from(client, ATTACKER_ADDRESS, "Estate2026!", login="persona%d@example.org" % n) for n in range(29)
    ]

    # Each username was tried once, so no account is locked: the address limit stops the spray.
    statuses = [response.status_code for response in responses]
    assert statuses == [200] * (limit - 1) + [429] * (29 - limit + 1)
    assert "anche per account diversi" in responses[-1].content.decode()
    # Even the right password does not get through from that address meanwhile…
    blocked = _login_from(client, ATTACKER_ADDRESS, PASSWORD)
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "troppi tentativi di accesso non riusciti, anche per account diversi" in blocked.content.decode()
    # …while the holder logs in from their own.
    assert _login_from(client, VICTIM_ADDRESS, PASSWORD).status_code == 302


def test_staff_unlock_an_address_in_the_back_office(client, verified_offerer):
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        _login_from(client, ATTACKER_ADDRESS, "password-sbagliata", login="persona%d@example.org" % n)
    assert _login_from(client, ATTACKER_ADDRESS, PASSWORD).status_code == 429

    staff = UserFactory(staff=True)
    client.force_login(staff, backend="housingmix.accounts.backends.AuthenticationBackend")
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = client.get(changelist, {"ip_address": ATTACKER_ADDRESS})
    assert page.status_code == 200
    rows = list(AccessAttempt.objects.filter(ip_address=ATTACKER_ADDRESS).values_list("pk", flat=True))
    assert rows
    confirm = client.post(changelist, {"action": "delete_selected", "_selected_action": rows})
    assert confirm.status_code == 200  # the confirmation page
    done = client.post(changelist, {"action": "delete_selected", "_selected_action": rows, "post": "yes"})
    assert done.status_code == 302
    assert not AccessAttempt.objects.filter(ip_address=ATTACKER_ADDRESS).exists()
    client.logout()

    assert _login_from(client, ATTACKER_ADDRESS, PASSWORD).status_code == 302


def test_behind_the_proxy_the_address_the_proxy_saw_counts_not_the_one_typed(client, verified_offerer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The client types a different left-most entry each time; the proxy appends what it saw.
        attempt = _login_from(
            client,
            "10.0.0.2",
            "password-sbagliata",
            HTTP_X_FORWARDED_FOR="192.0.2.%d, %s" % (n + 1, ATTACKER_ADDRESS),
        )

    assert attempt.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER_ADDRESS}
    # Another client behind the same proxy is not affected.
    response = _login_from(client, "10.0.0.2", PASSWORD, HTTP_X_FORWARDED_FOR=VICTIM_ADDRESS)
    assert response.status_code == 302


def test_without_the_proxy_x_forwarded_for_is_ignored(client, verified_offerer, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt = _login_from(
            client, ATTACKER_ADDRESS, "password-sbagliata", HTTP_X_FORWARDED_FOR="192.0.2.%d" % (n + 1)
        )

    assert attempt.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER_ADDRESS}
