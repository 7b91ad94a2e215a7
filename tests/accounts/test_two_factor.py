"""Two-factor authentication for the accounts that read others' data (accounts.two_factor): enrolment
at the first login, the second factor on every back-office and review URL, recovery codes used once.
Every test logs in through the login form (force_login gives a verified session: see conftest)."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from housingmix.accounts.roles import Role
from housingmix.core.models import AuditEvent
from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.two_factor_helpers import app_of, code_of
from tests.applications.factories import social_worker

pytestmark = pytest.mark.django_db

TWO_FACTOR = reverse("accounts:two_factor")
ENFORCED = (
    "/istruttoria/",
    "/istruttoria/cruscotto/",
    "/registro-alloggi/",
    "/backoffice/",
    reverse("projects:call_list"),
    reverse("beneficiaries:list"),
    reverse("beneficiaries:dashboard"),
)


def _login(client, user):
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return response


def _roles():
    return {
        "staff": UserFactory(staff=True),
        "social_worker": social_worker("Lodi"),
        "social_supervisor": UserFactory(roles=[Role.SOCIAL_SUPERVISOR], comune=social_worker("Lodi").comune),
        "commission": UserFactory(roles=[Role.COMMISSION]),
        "dpo": UserFactory(is_staff=True, roles=[Role.DPO]),
        "administrator": UserFactory(is_staff=True, roles=[Role.ADMINISTRATOR]),
    }


def test_staff_enrol_at_the_first_login_and_then_reach_the_review(client):
    staff = UserFactory(staff=True)
    response = _login(client, staff)
    assert response["Location"].startswith(TWO_FACTOR)
    for path in ENFORCED:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR), path
        assert "next=" in response["Location"]

    page = client.get(TWO_FACTOR + "?next=/istruttoria/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Attiva la verifica in due passaggi" in body and "<svg" in body
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert re.search(r'id="chiave-totp">[A-Z2-7 ]{20,}<', body)

    wrong = client.post(TWO_FACTOR, {"token": "000000", "next": "/istruttoria/"})
    assert wrong.status_code == 400
    assert "Il codice non è corretto o è scaduto" in wrong.content.decode()
    assert client.get("/istruttoria/").status_code == 302
    # Ten seconds later (django-otp makes a wrong code wait before the next one: see below).
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(seconds=10))

    done = client.post(TWO_FACTOR, {"token": code_of(device), "next": "/istruttoria/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert AuditEvent.objects.filter(verb="account.two_factor_enrolled", actor=staff).exists()
    for path in ENFORCED:
        assert client.get(path).status_code == 200, path


def test_the_next_login_asks_for_the_code_and_a_recovery_code_works_once(client):
    staff = UserFactory(staff=True)
    app = app_of(staff)
    from housingmix.accounts.two_factor import recovery_codes_new

    codes = recovery_codes_new(user=staff)
    _login(client, staff)
    page = client.get(TWO_FACTOR)
    assert page.status_code == 200 and "Inserisci il codice che l" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=staff, confirmed=False).exists()  # no new secret shown

    response = client.post(TWO_FACTOR, {"token": codes[0], "next": "/istruttoria/"})
    assert response.status_code == 302 and response["Location"] == "/istruttoria/"
    assert client.get("/istruttoria/").status_code == 200
    assert StaticToken.objects.filter(device__user=staff).count() == 9
    assert AuditEvent.objects.filter(verb="account.recovery_code_used").count() == 1

    client.post(reverse("account_logout"))
    _login(client, staff)
    reused = client.post(TWO_FACTOR, {"token": codes[0]})
    assert reused.status_code == 400
    assert "Il codice non è corretto" in reused.content.decode()
    assert client.get("/istruttoria/").status_code == 302
    TOTPDevice.objects.filter(pk=app.pk).update(  # the wrong code's wait is over
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=10)
    )
    assert client.post(TWO_FACTOR, {"token": code_of(app)}).status_code == 302
    assert client.get("/istruttoria/").status_code == 200


def test_every_role_that_reads_others_data_needs_the_second_factor(client):
    from tests.applications.factories import ApplicationFactory

    application = ApplicationFactory(submitted=True)
    for role, user in _roles().items():
        _login(client, user)
        for path in ENFORCED + (application.get_absolute_url(), reverse("projects:commission_home")):
            response = client.get(path)
            assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR), (role, path)
        client.post(reverse("account_logout"))


def test_the_public_pages_of_co_design_and_beneficiaries_need_no_second_factor(client):
    from tests.projects.factories import codesign_call

    call = codesign_call()
    _login(client, UserFactory(staff=True))
    assert client.get(reverse("projects:call_detail", kwargs={"pk": call.pk})).status_code == 200
    assert client.get(reverse("beneficiaries:open_data")).status_code == 200
    response = client.get(reverse("projects:call_manage", kwargs={"pk": call.pk}))
    assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)


def test_offerers_have_no_second_factor_on_their_own_pages(client):
    from tests.applications.factories import ApplicationFactory

    application = ApplicationFactory(submitted=True)
    response = _login(client, application.created_by)
    assert not response["Location"].startswith(TWO_FACTOR)
    assert client.get(application.get_absolute_url()).status_code == 200
    assert client.get(reverse("review:offerer_status", kwargs={"ref": application.reference})).status_code == 200
    # The page itself sends an offerer on.
    assert client.get(TWO_FACTOR).status_code == 302


def test_a_wrong_code_slows_down_the_next_attempts(client):
    staff = UserFactory(staff=True)
    app = app_of(staff)
    _login(client, staff)
    assert client.post(TWO_FACTOR, {"token": "123456"}).status_code == 400
    # Right away, even the right code is refused (django-otp's throttling), with an Italian message.
    refused = client.post(TWO_FACTOR, {"token": code_of(app)})
    assert refused.status_code == 400
    assert "troppi tentativi" in refused.content.decode()
    assert client.get("/istruttoria/").status_code == 302


def test_the_page_sends_nowhere_outside_the_site(client):
    staff = UserFactory(staff=True)
    app = app_of(staff)
    _login(client, staff)
    response = client.post(TWO_FACTOR, {"token": code_of(app), "next": "https://attacker.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:area")


def test_the_back_office_does_not_show_anyones_secret(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    index = client.get("/backoffice/").content.decode()
    assert "totpdevice" not in index and "staticdevice" not in index
    assert client.get("/backoffice/otp_totp/totpdevice/").status_code == 404


def test_a_lost_phone_is_reset_by_command_and_the_account_enrols_again(client):
    from django.core.management import call_command

    staff = UserFactory(staff=True)
    app_of(staff)
    call_command("two_factor_reset", staff.email, stdout=open("/dev/null", "w"))
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert AuditEvent.objects.filter(verb="account.two_factor_reset").exists()
    _login(client, staff)
    assert "Attiva la verifica in due passaggi" in client.get(TWO_FACTOR).content.decode()
