"""The callback refuses every answer that does not hold, with an Italian message, and then
nothing is created (no account, no identity, no audit event)."""

import logging
import time

from django.urls import reverse

from housingmix.accounts.models import User
from housingmix.identity.models import DigitalIdentity, IdentityEvent, IdentityEventKind
from housingmix.identity.selectors import session_identity
from tests.accounts.factories import UserFactory

SECURITY_MESSAGE = "non ha superato i controlli di sicurezza"
REPLAY_MESSAGE = "è già stata usata"


def _nothing_created():
    return not User.objects.exists() and not DigitalIdentity.objects.exists() and not IdentityEvent.objects.exists()


def test_valid_answer_logs_in_a_new_person(client, provider):
    response = client.get(provider.start(client))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:area")
    user = User.objects.get()
    assert (user.first_name, user.tax_code) == ("Mario", "RSSMRA80A01E648Q")
    area = client.get(reverse("accounts:area"))
    assert "RSSMRA80A01E648Q" in area.content.decode()
    assert "Sei entrato con SPID" in area.content.decode()
    info = session_identity(area.wsgi_request)
    assert (info.provider_kind, info.level, info.fiscal_code) == ("spid", 2, "RSSMRA80A01E648Q")


def test_tampered_id_token_refused(client, provider):
    provider.tamper = True
    response = client.get(provider.start(client))
    assert response.status_code == 403
    assert SECURITY_MESSAGE in response.content.decode()
    assert _nothing_created()


def test_expired_id_token_refused(client, provider):
    provider.id_token_overrides = {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}
    response = client.get(provider.start(client))
    assert response.status_code == 403 and SECURITY_MESSAGE in response.content.decode()
    assert _nothing_created()


def test_id_token_for_another_audience_refused(client, provider):
    provider.id_token_overrides = {"aud": ["https://another-rp.example.org/"]}
    response = client.get(provider.start(client))
    assert response.status_code == 403 and SECURITY_MESSAGE in response.content.decode()
    assert _nothing_created()


def test_id_token_from_another_issuer_refused(client, provider):
    provider.id_token_overrides = {"iss": "https://idp.example.org/"}
    response = client.get(provider.start(client))
    assert response.status_code == 403
    assert _nothing_created()


def test_replayed_nonce_refused(client, provider):
    # An ID token minted for an earlier login (its nonce) replayed into a new one.
    provider.id_token_overrides = {"nonce": "nonce-of-an-earlier-login"}
    response = client.get(provider.start(client))
    assert response.status_code == 403 and SECURITY_MESSAGE in response.content.decode()
    assert _nothing_created()


def test_replayed_state_refused(client, provider):
    callback = provider.start(client)
    assert client.get(callback).status_code == 302
    client.logout()
    replay = client.get(callback)
    assert replay.status_code == 403 and REPLAY_MESSAGE in replay.content.decode()
    assert User.objects.count() == 1
    assert IdentityEvent.objects.filter(kind=IdentityEventKind.LOGIN).count() == 1


def test_state_started_in_another_browser_refused(client, provider, django_db_blocker):
    from django.test import Client

    callback = provider.start(Client())  # pending state stored in another session
    response = client.get(callback)
    assert response.status_code == 403 and REPLAY_MESSAGE in response.content.decode()
    assert _nothing_created()
    assert provider.calls == []  # the provider is not even asked for tokens


def test_level_1_refused(client, provider):
    provider.id_token_overrides = {"acr": "https://www.spid.gov.it/SpidL1"}
    response = client.get(provider.start(client))
    assert response.status_code == 403 and "livello 2" in response.content.decode()
    assert _nothing_created()


def test_provider_error_refused(client, provider):
    provider.start(client)
    response = client.get("/oidc/rp/callback?error=access_denied&state=x")
    assert response.status_code == 403 and "annullato" in response.content.decode()
    assert _nothing_created()


def test_untrusted_provider_refused_before_anything_is_stored(client, rp):
    from spid_cie_oidc.relying_party.models import OidcAuthentication

    response = client.get(reverse("identity:spid"), {"provider": "https://idp.evil.example/"})
    assert response.status_code == 400
    assert "non è tra quelli riconosciuti" in response.content.decode()
    assert not OidcAuthentication.objects.exists()
    assert "identity_pending" not in client.session


def test_link_from_a_password_session(client, provider):
    user = UserFactory(email="mario.rossi@example.org", tax_code="", offerer=True)
    client.force_login(user, backend="housingmix.accounts.backends.AuthenticationBackend")
    response = client.get(provider.start(client, link_user=user))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.tax_code == "RSSMRA80A01E648Q"
    assert IdentityEvent.objects.get(user=user).kind == IdentityEventKind.LINKED


def test_tokens_and_personal_data_never_logged(client, provider, caplog):
    caplog.set_level(logging.DEBUG)
    callback = provider.start(client)
    assert client.get(callback).status_code == 302
    client.get(callback)  # a replay, refused: logged too
    tokens = provider.tokens("n")  # same shape as the real ones
    texts = [record.getMessage() for record in caplog.records]
    assert texts, "the login must leave some log line"
    for text in texts:
        assert "eyJ" not in text, text  # no JWT (ID, access or request object token)
        assert "the-code" not in text
        for value in ("RSSMRA80A01E648Q", "Mario", "mario.rossi@example.org"):
            assert value not in text
    assert tokens["access_token"] not in "".join(texts)


def test_logout_revokes_the_provider_token_and_audits(client, provider):
    client.get(provider.start(client))
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert len(provider.revoked) == 1
    assert IdentityEvent.objects.filter(kind=IdentityEventKind.LOGOUT).count() == 1
    assert "_auth_user_id" not in client.session
