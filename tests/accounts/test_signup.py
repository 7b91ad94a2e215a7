import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from housingmix.accounts.models import User
from housingmix.accounts.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "Casa-di-corte-Lodi-2026"


def _signup_data(**overrides):
    data = {
        "email": "giulia.bianchi@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Giulia",
        "last_name": "Bianchi",
        "tax_code": "RSSMRA80A01E648Q",
        "offerer_kind": "person",
        "privacy_accepted": "on",
    }
    data.update(overrides)
    return data


def _confirmation_path(message) -> str:
    """The path of the confirmation link in the verification e-mail."""
    prefix = reverse("account_confirm_email", args=["KEY"]).removesuffix("KEY/")
    match = re.search(r"https?://[^/\s]+(%s[^\s]+)" % re.escape(prefix), message.body)
    assert match, message.body
    return match.group(1)


def _form_action(content: str) -> str:
    """The action of the page's confirmation form (a confirm-email path)."""
    prefix = reverse("account_confirm_email", args=["KEY"]).removesuffix("KEY/")
    match = re.search(r'<form[^>]*action="(%s[^"]+/)"' % re.escape(prefix), content)
    assert match, content
    return match.group(1)


def _is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_signup_page_shows_every_field_with_a_visible_label(client):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    for field_id in ("id_email", "id_password1", "id_password2", "id_first_name", "id_last_name", "id_tax_code"):
        assert 'for="%s"' % field_id in content
    assert "I campi contrassegnati con * sono obbligatori." in content


def test_signup_sends_verification_email_and_login_waits_for_it(client):
    response = client.post(reverse("account_signup"), _signup_data())

    assert response.status_code == 302
    user = User.objects.get(email="giulia.bianchi@example.org")
    assert user.tax_code == "RSSMRA80A01E648Q"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["giulia.bianchi@example.org"]
    assert not _is_logged_in(client)

    # Login before the address is confirmed: no session, only a new verification notice.
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not _is_logged_in(client)


def test_confirmed_address_lets_the_offerer_log_in(client):
    client.post(reverse("account_signup"), _signup_data())
    confirm_path = _confirmation_path(mail.outbox[0])

    # ACCOUNT_CONFIRM_EMAIL_ON_GET is off: the link opens a page with a confirm button.
    # A person opens the link later than the second the e-mail was written in.
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        page = client.get(confirm_path)
    assert page.status_code == 200
    # The form posts to a confirmation link of the same address: allauth signs the key again as it
    # renders the page, so its timestamp is the page's second, not the e-mail's (equal only when
    # both fall in the same second).
    action = _form_action(page.content.decode())
    assert action.split("/")[-2].split(":")[0] == confirm_path.split("/")[-2].split(":")[0]
    assert not EmailAddress.objects.get(email="giulia.bianchi@example.org").verified

    response = client.post(action)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="giulia.bianchi@example.org").verified
    assert not _is_logged_in(client)

    response = client.post(reverse("account_login"), {"login": "giulia.bianchi@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("accounts:area")
    assert _is_logged_in(client)
    user = User.objects.get(email="giulia.bianchi@example.org")
    assert list(user.groups.values_list("name", flat=True)) == [Role.OFFERER]
    area = client.get(reverse("accounts:area"))
    assert "Offerente" in area.content.decode()


def test_signup_with_invalid_tax_code_is_refused_with_a_clear_message(client):
    response = client.post(reverse("account_signup"), _signup_data(tax_code="RSSMRA80A01E648X"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "non è valido" in content
    assert 'href="#id_tax_code"' in content  # the error summary links to the field
    assert 'role="alert"' in content
    assert not User.objects.filter(email="giulia.bianchi@example.org").exists()
    assert mail.outbox == []


def test_signup_without_privacy_acknowledgement_is_refused(client):
    data = _signup_data()
    del data["privacy_accepted"]

    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    assert "devi dichiarare di aver letto" in response.content.decode()
    assert not User.objects.filter(email="giulia.bianchi@example.org").exists()


def test_signup_survives_a_dead_broker_and_smtp(client, settings, caplog):
    """With Redis and the SMTP server both down the account is still created, and the
    verification e-mail waits in the outbox for the sweep."""
    from housingmix.accounts.models import User
    from tests.celery_helpers import broker

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with broker("redis://127.0.0.1:1/0"):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "resiliente@example.org",
                "password1": "Una-password-robusta-2026",
                "password2": "Una-password-robusta-2026",
                "first_name": "Anna",
                "last_name": "Verdi",
                "tax_code": "RSSMRA80A01E648Q",
                "offerer_kind": "person",
                "privacy_accepted": "on",
            },
        )
    assert response.status_code == 302
    assert User.objects.filter(email="resiliente@example.org").exists()
    from housingmix.core.outbox import Job, JobStatus

    assert Job.objects.filter(kind="core.email", status=JobStatus.PENDING).count() == 1
    assert "not sent" in caplog.text
    assert "resiliente@example.org" not in caplog.text
