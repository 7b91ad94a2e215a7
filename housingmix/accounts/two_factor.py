"""Two-factor authentication (django-otp) for the accounts that read other people's data: Ufficio di
Piano staff, social workers and their supervisors, commission members, the DPO, administrators
(and any staff or superuser account). A TOTP app on the phone, plus ten single-use recovery codes.

Enrolment happens on the first login; until the session is verified, every back-office, review,
co-design (staff, commission) and beneficiaries URL sends the account to the verification page
(TwoFactorMiddleware); the public pages of those apps stay open.
"""

from urllib.parse import urlencode

import django_otp
import django_otp.middleware
from django.apps import apps
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from housingmix.core import audit

from . import backends
from .roles import Role

TWO_FACTOR_ROLES = {
    Role.STAFF,
    Role.SOCIAL_WORKER,
    Role.SOCIAL_SUPERVISOR,
    Role.COMMISSION,
    Role.DPO,
    Role.ADMINISTRATOR,
}
RECOVERY_CODES = 10
TOTP_NAME = "app"
STATIC_NAME = "codici-di-recupero"

# URL namespaces (and single names) behind the second factor, and the names exempt from it.
ENFORCED_NAMESPACES = {"admin", "review", "registry", "applications", "projects", "beneficiaries"}
EXEMPT_NAMES = {
    "admin:login",
    "admin:logout",
    # Public pages: a call and its ranking, the beneficiaries' open data.
    "projects:call_detail",
    "projects:ranking_pdf",
    "beneficiaries:open_data",
}
EXEMPT_PREFIXES = ("review:offerer_",)  # an offerer's own pages about their manifestation


def requires_two_factor(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.is_staff or any(user.has_role(role) for role in TWO_FACTOR_ROLES)


def is_verified(request) -> bool:
    is_verified_ = getattr(request.user, "is_verified", None)
    return bool(is_verified_ and is_verified_())


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (a new secret if none is pending)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    return device or TOTPDevice.objects.create(user=user, confirmed=False, name=TOTP_NAME)


@transaction.atomic
def enrolment_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm ``device`` with a code it generated: the account's other devices are replaced, ten
    recovery codes are made (returned, shown once) and the session is verified. None if the code
    is wrong."""
    if not device.verify_token(token):
        return None
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_new(user=user)
    django_otp.login(request, device)
    audit.record(target=user, verb="account.two_factor_enrolled", by=user)
    return codes


@transaction.atomic
def recovery_codes_new(*, user) -> list[str]:
    """Replace the account's recovery codes with ten new ones."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=STATIC_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def verify(*, request, token: str) -> bool:
    """Verify the session with a code of the app or a recovery code (used up); django-otp slows
    down repeated wrong codes on each device."""
    token = "".join(token.split())
    device = django_otp.match_token(request.user, token)
    if device is None:
        return False
    django_otp.login(request, device)
    if isinstance(device, StaticDevice):
        audit.record(target=request.user, verb="account.recovery_code_used", by=request.user)
    return True


def qr_svg(text: str) -> str:
    """An inline SVG of the QR code for ``text`` (no image request, nothing for the CSP to allow)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode").split("?>", 1)[-1]


def is_enforced(match) -> bool:
    """Whether the page of ``match`` (the request's ResolverMatch) asks for the second factor."""
    name = match.view_name
    if name in EXEMPT_NAMES or name.startswith(EXEMPT_PREFIXES):
        return False
    return bool(set(match.namespaces) & ENFORCED_NAMESPACES)


def verification_url(next_path: str) -> str:
    return reverse("accounts:two_factor") + "?" + urlencode({"next": next_path})


def _session_device(request, normalize):
    """(device model, pk) of the device the session says verified it, None if it names none or
    nothing django-otp would load (the same parsing as ``Device.from_persistent_id``)."""
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return None
    try:
        model_label, device_pk = normalize(persistent_id).rsplit("/", 1)
        app_label, model_name = model_label.split(".")
        model = apps.get_model(app_label, model_name)
        device_pk = int(device_pk)
    except (ValueError, LookupError):
        return None
    return (model, device_pk) if issubclass(model, Device) else None


class OTPMiddleware(django_otp.middleware.OTPMiddleware):
    """django-otp's, with the session's device read in the same query as the account
    (``accounts.backends``): one query less on every page of a verified staff member. What
    django-otp decides is unchanged: a device of another account, unconfirmed or gone verifies
    nothing and leaves the session."""

    def _verify_user_sync(self, request, user):
        wanted = _session_device(request, self._normalize_persistent_id)
        if wanted is None and request.session.get(DEVICE_ID_SESSION_KEY):
            # Not a device id (django-otp would fail on some: a model that is no device): it
            # verifies nothing, and leaves the session as a device that is gone does.
            del request.session[DEVICE_ID_SESSION_KEY]
        if wanted is None or hasattr(request, "_cached_user"):
            return super()._verify_user_sync(request, user)
        found = []
        token = backends.session_device.set((*wanted, found))
        try:
            authenticated = user.is_authenticated  # loads the account (Django's get_user, the backend)
        finally:
            backends.session_device.reset(token)
        self._init_user_fields(user)
        if authenticated:
            device = found[0] if found else self._device_from_persistent_id(request.session[DEVICE_ID_SESSION_KEY])
            user.otp_device = self._finalize_device(request, user, device)
        return user


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: an account that needs a second factor and has not given it
    in this session is sent from back-office and review URLs to the verification (or enrolment) page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Django has resolved the URL by now: its match is read, not resolved a second time; and a
        # page outside the enforced URLs never loads the session or the user.
        if not is_enforced(request.resolver_match):
            return None
        user = getattr(request, "user", None)
        if user is not None and requires_two_factor(user) and not is_verified(request):
            return redirect(verification_url(request.get_full_path()))
        return None


@transaction.atomic
def two_factor_reset(*, user, by=None) -> int:
    """Remove every device of ``user`` (a lost phone): the account enrols again at its next login."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    audit.record(target=user, verb="account.two_factor_reset", by=by)
    return removed
