"""Helpers for the second factor in tests: a confirmed authenticator app and its current code."""

import django_otp
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def app_of(user) -> TOTPDevice:
    """The user's confirmed authenticator app (made if missing)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def code_of(device: TOTPDevice, *, step_offset: int = 0) -> str:
    """The code the app shows now (``step_offset`` 30-second steps later or earlier)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + step_offset * device.step
    return "%0*d" % (device.digits, totp.token())


def session_verify(session, user) -> None:
    """Mark ``session`` verified with the user's app, as django_otp.login does after a right code."""
    session[django_otp.DEVICE_ID_SESSION_KEY] = app_of(user).persistent_id
