import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from housingmix.core import encryption

KEY_OLD = Fernet.generate_key().decode()
KEY_NEW = Fernet.generate_key().decode()


def test_round_trip_and_token_is_not_the_value(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_OLD]
    token = encryption.encrypt("sclerosi multipla")
    assert "sclerosi" not in token
    assert encryption.decrypt(token) == "sclerosi multipla"
    assert encryption.encrypt("") == ""


def test_old_key_still_decrypts_after_a_new_key_is_put_first(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_OLD]
    token = encryption.encrypt("cecità")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_NEW, KEY_OLD]
    assert encryption.decrypt(token) == "cecità"
    settings.FIELD_ENCRYPTION_KEYS = [KEY_NEW]
    with pytest.raises(encryption.DecryptionError):
        encryption.decrypt(token)


def test_development_key_is_derived_not_the_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    (key,) = encryption.configured_keys()
    assert settings.SECRET_KEY.encode() not in key
    Fernet(key)  # a valid key
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789abcdef"
    assert encryption.configured_keys() != [key]


def test_deploy_check_refuses_missing_keys(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    errors = encryption.encryption_keys_configured(None)
    assert [e.id for e in errors] == ["core.E101"]
    settings.FIELD_ENCRYPTION_KEYS = [KEY_NEW]
    assert encryption.encryption_keys_configured(None) == []


def test_invalid_key_is_reported(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_NEW, "not-a-key"]
    errors = encryption.encryption_keys_valid(None)
    assert [e.id for e in errors] == ["core.E102"]
    assert "number 2" in errors[0].msg


def test_generate_key_command_prints_a_valid_key(capsys):
    call_command("encryption_rotate", "--generate-key")
    Fernet(capsys.readouterr().out.strip().encode())
