"""A verified staff member's account and second-factor device are read in one query
(accounts.backends, two_factor.OTPMiddleware), and nothing django-otp or Django decide about the
session changes: another account's device, an unconfirmed or removed one, a malformed id, an
inactive account, a changed password."""

import django_otp
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from housingmix.accounts import backends
from housingmix.accounts.two_factor import two_factor_reset
from tests.accounts.factories import UserFactory
from tests.accounts.two_factor_helpers import app_of

pytestmark = pytest.mark.django_db

QUEUE = reverse("review:queue")
TWO_FACTOR = reverse("accounts:two_factor")


def _session(client, persistent_id):
    session = client.session
    if persistent_id is None:
        session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    else:
        session[django_otp.DEVICE_ID_SESSION_KEY] = persistent_id
    session.save()


def _get(client, path=QUEUE):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, [q["sql"] for q in captured.captured_queries]


def _account_reads(sqls):
    return [sql for sql in sqls if 'FROM "accounts_user"' in sql or 'JOIN "accounts_user"' in sql]


def _device_reads(sqls):
    return [sql for sql in sqls if "otp_totp_totpdevice" in sql or "otp_static_staticdevice" in sql]


@pytest.fixture
def staff(client):
    user = UserFactory(staff=True)
    # Verified with the app (conftest), through the backend a real login goes through (allauth's
    # login form, SPID/CIE); a session of another backend reads the device as django-otp does.
    client.force_login(user, backend="housingmix.accounts.backends.AuthenticationBackend")
    client.get(QUEUE)  # the caches a first visit fills
    return user


def test_the_account_and_its_app_are_one_query(client, staff):
    response, sqls = _get(client)
    assert response.status_code == 200 and response.wsgi_request.user == staff
    assert response.wsgi_request.user.is_verified()
    assert response.wsgi_request.user.otp_device == app_of(staff)
    (read,) = _account_reads(sqls)
    assert _device_reads(sqls) == [read] and 'INNER JOIN "accounts_user"' in read
    assert backends.session_device.get() is None  # nothing left for the next request in this thread


def test_a_recovery_code_session_is_one_query_too(client, staff):
    static = StaticDevice.objects.create(user=staff, name="codici-di-recupero", confirmed=True)
    _session(client, static.persistent_id)
    response, sqls = _get(client)
    assert response.status_code == 200 and response.wsgi_request.user.otp_device == static
    assert len(_account_reads(sqls)) == 1 and len(_device_reads(sqls)) == 1


def test_another_accounts_device_verifies_nothing(client, staff):
    other = UserFactory(staff=True)
    _session(client, app_of(other).persistent_id)
    response, sqls = _get(client)
    assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)
    assert response.wsgi_request.user == staff and not response.wsgi_request.user.is_verified()
    assert django_otp.DEVICE_ID_SESSION_KEY not in client.session  # django-otp drops it, as before


def test_an_unconfirmed_device_verifies_nothing(client, staff):
    TOTPDevice.objects.filter(pk=app_of(staff).pk).update(confirmed=False)
    response, _sqls = _get(client)
    assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)
    assert response.wsgi_request.user == staff and not response.wsgi_request.user.is_verified()
    assert django_otp.DEVICE_ID_SESSION_KEY not in client.session


def test_a_reset_second_factor_sends_the_session_to_enrol_again(client, staff):
    two_factor_reset(user=staff)
    response, sqls = _get(client)
    assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)
    assert response.wsgi_request.user == staff and not response.wsgi_request.user.is_verified()


@pytest.mark.parametrize(
    "persistent_id",
    ["x", "otp_totp.totpdevice/abc", "otp_totp.totpdevice/", "auth.user/1", "nope.model/1", "a.b.c/1", "/", ""],
)
def test_a_malformed_device_id_verifies_nothing_and_breaks_nothing(client, staff, persistent_id):
    _session(client, persistent_id)
    response, _sqls = _get(client)
    assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)
    assert response.wsgi_request.user == staff
    assert not client.session.get(django_otp.DEVICE_ID_SESSION_KEY)


def test_a_session_of_another_backend_reads_the_device_as_django_otp_does(client):
    staff = UserFactory(staff=True)
    client.force_login(staff, backend="axes.backends.AxesBackend")
    client.get(QUEUE)  # the caches a first visit fills
    response, sqls = _get(client)
    assert response.status_code == 200 and response.wsgi_request.user.otp_device == app_of(staff)
    assert len(_account_reads(sqls)) == 1 and len(_device_reads(sqls)) == 1
    assert 'JOIN "accounts_user"' not in _device_reads(sqls)[0]


def test_an_inactive_account_with_its_device_is_logged_out(client, staff):
    type(staff).objects.filter(pk=staff.pk).update(is_active=False)
    response, _sqls = _get(client)
    assert not response.wsgi_request.user.is_authenticated
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_changed_password_ends_the_session_even_with_its_device(client, staff):
    staff.set_password("Una-nuova-password-lunga-7")
    staff.save()
    response, _sqls = _get(client)
    assert not response.wsgi_request.user.is_authenticated
    assert not client.session.get(django_otp.DEVICE_ID_SESSION_KEY)  # the session was flushed


def test_a_session_without_a_device_reads_the_account_alone(client, staff):
    _session(client, None)
    response, sqls = _get(client)
    assert response.status_code == 302 and response.wsgi_request.user == staff
    assert len(_account_reads(sqls)) == 1 and _device_reads(sqls) == []
