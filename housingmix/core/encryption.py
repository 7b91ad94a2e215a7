"""Encryption at rest of special-category personal data (GDPR art. 9 and 32): a model field.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under the keys of
``FIELD_ENCRYPTION_KEYS`` (comma separated, newest first): the newest encrypts, every key
decrypts, so a new key is put first and ``manage.py encryption_rotate`` re-encrypts every stored
value under it before the old key is dropped. A database dump or a raw SQL read shows tokens,
never the values.

Without the variable (development, tests) one key is derived from SECRET_KEY with HKDF under a
label of its own, so it is never the secret key itself; ``check --deploy`` refuses that in
production (``core.E101``). Encrypted fields cannot be filtered, ordered or indexed by value:
only their emptiness is visible (``""`` is stored as ``""``), which is what lets a page say that
such data exists without showing it.
"""

import base64
import functools
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models

logger = logging.getLogger(__name__)

_HKDF_INFO = b"housingmix.core.encryption field key v1"


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key (a key was dropped too early)."""


def _derived_development_key() -> bytes:
    secret = settings.SECRET_KEY.encode("utf-8")
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(secret)
    return base64.urlsafe_b64encode(raw)


def configured_keys() -> list[bytes]:
    """The keys in use, newest first (the derived development key when none is configured)."""
    keys = [k.strip().encode("ascii") for k in settings.FIELD_ENCRYPTION_KEYS if k.strip()]
    return keys or [_derived_development_key()]


@functools.cache
def _fernet_for(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def fernet() -> MultiFernet:
    """The MultiFernet of the configured keys (cached per key set, so settings overrides apply)."""
    return _fernet_for(tuple(configured_keys()))


def encrypt(value: str) -> str:
    """The token of ``value`` under the newest key; ``""`` stays ``""``."""
    if value in (None, ""):
        return value
    return fernet().encrypt(str(value).encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The value of ``token`` (any configured key); raises DecryptionError if none opens it."""
    if token in (None, ""):
        return token
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise DecryptionError("an encrypted value cannot be opened with the configured keys") from exc


def generate_key() -> str:
    """A new random key, to be put first in FIELD_ENCRYPTION_KEYS."""
    return Fernet.generate_key().decode("ascii")


class EncryptedTextField(models.TextField):
    """Text stored encrypted. Python sees the clear value; the column holds a Fernet token."""

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value)

    def get_lookup(self, lookup_name):
        # A token differs at every encryption: only emptiness can be asked of the database.
        if lookup_name not in ("exact", "isnull", "in"):
            return None
        return super().get_lookup(lookup_name)

    def value_to_string(self, obj):
        # Serialisation (dumpdata) keeps the value encrypted.
        return encrypt(self.value_from_object(obj))


class EncryptedBooleanField(EncryptedTextField):
    """A yes/no/unknown answer stored encrypted ("" = not answered)."""

    description = "Boolean encrypted at rest"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        clear = decrypt(value)
        return {"1": True, "0": False}.get(clear)

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("1", "true", "yes", "on")

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None:
            return ""
        return encrypt("1" if value else "0")

    def formfield(self, **kwargs):
        from django import forms

        return forms.NullBooleanField(required=False, label=self.verbose_name, help_text=self.help_text)


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted fields and the names of those fields."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def rotate(*, batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every stored value under the newest key; {model label: rows rewritten}.

    Each row is read (decrypted with whichever key opens it) and written back (encrypted with
    the newest). Safe to run twice; raises DecryptionError if some value opens with no key.
    """
    from django.db import transaction

    counts = {}
    for model, names in encrypted_fields():
        done = 0
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), batch_size):
            with transaction.atomic():
                rows = model._default_manager.select_for_update().filter(pk__in=pks[start : start + batch_size])
                for row in rows:
                    model._default_manager.filter(pk=row.pk).update(**{n: getattr(row, n) for n in names})
                    done += 1
        counts[model._meta.label] = done
    return counts


@checks.register(checks.Tags.security, deploy=True)
def encryption_keys_configured(app_configs, **kwargs):
    """``check --deploy``: production must set its own FIELD_ENCRYPTION_KEYS."""
    if not [k for k in settings.FIELD_ENCRYPTION_KEYS if k.strip()]:
        return [
            checks.Error(
                "FIELD_ENCRYPTION_KEYS is not set: special-category data would be encrypted with a key "
                "derived from DJANGO_SECRET_KEY.",
                hint="Generate a key with `manage.py encryption_rotate --generate-key` and set FIELD_ENCRYPTION_KEYS.",
                id="core.E101",
            )
        ]
    return []


@checks.register(checks.Tags.security)
def encryption_keys_valid(app_configs, **kwargs):
    """Every configured key is a valid Fernet key (32 url-safe base64 bytes)."""
    errors = []
    for position, key in enumerate(k for k in settings.FIELD_ENCRYPTION_KEYS if k.strip()):
        try:
            Fernet(key.strip().encode("ascii"))
        except (ValueError, TypeError):
            errors.append(
                checks.Error(
                    "FIELD_ENCRYPTION_KEYS: key number %d is not a valid Fernet key." % (position + 1),
                    id="core.E102",
                )
            )
    return errors
