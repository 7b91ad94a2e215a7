"""The relying party's private keys: generated for the test federation, read from files
or the environment in production."""

import json
from pathlib import Path

from cryptojwt.jwk.rsa import new_rsa_key

from .conf import TEST_KID_PREFIX


def generate_test_jwks(*, use: str, count: int = 1) -> list[dict]:
    """Fresh RSA keys marked as test keys by their kid (refused in production)."""
    keys = []
    for _ in range(count):
        key = new_rsa_key(use=use)
        jwk = key.serialize(private=True)
        jwk["kid"] = TEST_KID_PREFIX + key.thumbprint("SHA-256").decode()[:32]
        keys.append(jwk)
    return keys


def jwks_from_source(*, path: str, value: str) -> list[dict]:
    """A JSON list of private JWKs (or {"keys": [...]}) from ``path`` or, failing that, ``value``."""
    raw = Path(path).read_text() if path else value
    if not raw:
        return []
    data = json.loads(raw)
    keys = data.get("keys", []) if isinstance(data, dict) else data
    if not isinstance(keys, list) or not all(isinstance(k, dict) and k.get("kid") for k in keys):
        raise ValueError("not a list of JWKs with kid")
    return keys


def is_test_key(jwk: dict) -> bool:
    return str(jwk.get("kid", "")).startswith(TEST_KID_PREFIX)
