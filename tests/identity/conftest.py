"""A relying party configured against a fake provider, whose HTTP answers (token and
userinfo endpoints) are served in-process: the boundary is ``requests``, as with a real
provider. The live federation is exercised by tests/browser/test_identity_flow.py."""

import json
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from cryptojwt.jws.utils import left_hash

from housingmix.identity.conf import federation_settings
from tests.identity.factories import CIE_OP, SPID_OP

RP_ID = "http://127.0.0.1:8000/"
PERSON = {
    "given_name": "Mario",
    "family_name": "Rossi",
    "email": "mario.rossi@example.org",
    "https://attributes.eid.gov.it/fiscal_number": "TINIT-RSSMRA80A01E648Q",
}


@pytest.fixture
def federation(settings):
    """Settings of the test federation on its default loopback URLs."""
    settings.SPID_CIE_TEST_FEDERATION = True
    for key, value in federation_settings(
        test_federation=True,
        testfed_spid_url="http://127.0.0.1:8010",
        testfed_cie_url="http://127.0.0.1:8011",
        spid_trust_anchor="",
        cie_trust_anchor="",
        spid_providers=[],
        cie_provider=None,
        http_timeout=2,
    ).items():
        setattr(settings, key, value)
    return settings


@pytest.fixture
def rp(db, federation):
    from housingmix.identity.keys import generate_test_jwks
    from housingmix.identity.services import relying_party_configure

    return relying_party_configure(
        entity_id=RP_ID,
        site_url=RP_ID,
        jwks_fed=generate_test_jwks(use="sig"),
        jwks_core=generate_test_jwks(use="sig") + generate_test_jwks(use="enc"),
        authority_hints=["http://127.0.0.1:8010/"],
        trust_marks=[],
        organization_name="Housing Mix",
        contacts=["ops@example.org"],
    )


class _Response:
    def __init__(self, status_code, body):
        self.status_code = status_code
        self.content = body.encode() if isinstance(body, str) else body

    def json(self):
        return json.loads(self.content)


@dataclass
class FakeProvider:
    """One OpenID provider of the federation: signs tokens, encrypts userinfo for the RP."""

    issuer: str
    rp: object
    key: dict = field(default=None)
    person: dict = field(default_factory=lambda: dict(PERSON))
    id_token_overrides: dict = field(default_factory=dict)
    tamper: bool = False
    calls: list = field(default_factory=list)
    revoked: list = field(default_factory=list)

    def __post_init__(self):
        from cryptojwt.jwk.rsa import new_rsa_key
        from spid_cie_oidc.entity.jwks import create_jwk

        self.key = create_jwk(key=new_rsa_key(use="sig"))

    @property
    def public(self):
        from spid_cie_oidc.entity.jwks import public_jwk_from_private_jwk

        return public_jwk_from_private_jwk(self.key)

    def metadata(self):
        base = self.issuer.rstrip("/")
        return {
            "issuer": self.issuer,
            "authorization_endpoint": base + "/authorization",
            "token_endpoint": base + "/token",
            "userinfo_endpoint": base + "/userinfo",
            "revocation_endpoint": base + "/revocation",
            "jwks": {"keys": [self.public]},
        }

    def tokens(self, nonce):
        from spid_cie_oidc.entity.jwtse import create_jws

        now = int(time.time())
        access = create_jws(
            {
                "iss": self.issuer,
                "sub": "pairwise-sub",
                "aud": [self.issuer],
                "iat": now,
                "exp": now + 600,
                "jti": str(uuid.uuid4()),
            },
            self.key,
        )
        claims = {
            "iss": self.issuer,
            "sub": "pairwise-sub",
            "aud": [self.rp.sub],
            "iat": now,
            "exp": now + 600,
            "nonce": nonce,
            "acr": "https://www.spid.gov.it/SpidL2",
            "at_hash": left_hash(access, "HS256"),
            "jti": str(uuid.uuid4()),
        }
        claims.update(self.id_token_overrides)
        id_token = create_jws(claims, self.key)
        if self.tamper:
            head, payload, signature = id_token.split(".")
            import base64

            from spid_cie_oidc.entity.jwtse import unpad_jwt_payload

            forged = dict(unpad_jwt_payload(id_token), sub="someone-else")
            payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
            id_token = ".".join((head, payload, signature))
        return {"access_token": access, "id_token": id_token, "token_type": "Bearer", "expires_in": 600}

    def userinfo(self):
        from spid_cie_oidc.entity.jwks import public_jwk_from_private_jwk
        from spid_cie_oidc.entity.jwtse import create_jwe, create_jws

        enc = next(k for k in self.rp.jwks_core if k.get("use") == "enc")
        jws = create_jws({"sub": "pairwise-sub", **self.person}, self.key)
        return create_jwe(jws, public_jwk_from_private_jwk(enc), cty="JWT")


@pytest.fixture
def provider(rp, monkeypatch):
    """The SPID test provider; ``provider.start(client)`` begins a login as the begin view would."""
    from housingmix.identity import oidc

    fake = FakeProvider(issuer=SPID_OP, rp=rp)
    state_nonce = {}

    def post(url, data=None, **kwargs):
        fake.calls.append(url)
        if url.endswith("/token"):
            return _Response(200, json.dumps(fake.tokens(state_nonce[data["state"]])))
        if url.endswith("/revocation"):
            fake.revoked.append(data["token"])
            return _Response(200, "")
        return _Response(404, "")

    def get(url, headers=None, **kwargs):
        fake.calls.append(url)
        return _Response(200, fake.userinfo())

    monkeypatch.setattr(oidc.requests, "post", post)
    monkeypatch.setattr(oidc.requests, "get", get)

    def start(client, *, kind="spid", link_user=None, nonce=None):
        from spid_cie_oidc.relying_party.models import OidcAuthentication

        state = uuid.uuid4().hex
        nonce = nonce or uuid.uuid4().hex
        state_nonce[state] = nonce
        issuer = SPID_OP if kind == "spid" else CIE_OP
        fake.issuer = issuer
        OidcAuthentication.objects.create(
            client_id=rp.sub,
            state=state,
            endpoint=issuer + "authorization",
            provider_id=issuer,
            provider_configuration=fake.metadata(),
            data=json.dumps(
                {"state": state, "nonce": nonce, "code_verifier": "v" * 50, "redirect_uri": RP_ID + "oidc/rp/callback"}
            ),
        )
        session = client.session
        session["identity_pending"] = {
            "state": state,
            "kind": kind,
            "provider_id": issuer,
            "link_user_id": link_user.pk if link_user else None,
        }
        session.save()
        return "/oidc/rp/callback?" + urlencode({"code": "the-code", "state": state, "iss": issuer})

    fake.start = start
    return fake
