import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import two_factor as tf
from .area import area_context
from .forms import OrganisationForm, TwoFactorTokenForm
from .selectors import organisation_get_for_user, organisation_list_for_user, organisation_members
from .services import organisation_register


@login_required
def personal_area(request):
    user = request.user
    return render(
        request,
        "accounts/personal_area.html",
        {
            "memberships": organisation_list_for_user(user=user),
            "can_register_organisation": user.has_perm("accounts.register_organisation"),
            "can_review": rules.has_perm("applications.review_workspace", user),
            "can_see_dashboard": rules.has_perm("applications.view_review_dashboard", user),
            "can_see_registry": rules.has_perm("properties.view_registry", user),
            **area_context(request),
        },
    )


@login_required
def organisation_create(request):
    if not request.user.has_perm("accounts.register_organisation"):
        messages.error(request, _("Solo gli offerenti possono registrare un'organizzazione."))
        return redirect("accounts:area")
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = form.save(commit=False)
        try:
            organisation_register(
                by=request.user,
                organisation=organisation,
                role=data["membership_role"],
                office=data.get("office", ""),
                proxy_document=data.get("proxy_document"),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Organizzazione registrata."))
            return redirect(organisation.get_absolute_url())
    return render(request, "accounts/organisation_form.html", {"form": form})


@login_required
def organisation_detail(request, pk: int):
    organisation = organisation_get_for_user(user=request.user, pk=pk)
    if organisation is None:
        # Not "forbidden": whether another body's record exists is not disclosed.
        raise Http404
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": organisation, "members": organisation_members(organisation=organisation)},
    )


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return reverse("accounts:area")


@never_cache
@login_required
def two_factor(request):
    """Enrolment (QR code, first code, recovery codes shown once) or verification of the session."""
    user = request.user
    next_url = _safe_next(request)
    if not tf.requires_two_factor(user) or tf.is_verified(request):
        return redirect(next_url)
    form = TwoFactorTokenForm(request.POST or None)
    status = 200
    if not tf.has_device(user):
        device = tf.enrolment_device(user)
        if request.method == "POST" and form.is_valid():
            codes = tf.enrolment_confirm(request=request, device=device, token=form.cleaned_data["token"])
            if codes is not None:
                return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": next_url})
            form.add_error("token", _("Il codice non è corretto o è scaduto: inserisci quello che l'app mostra ora."))
        if request.method == "POST":
            status = 400
        return render(
            request,
            "accounts/two_factor_enrol.html",
            {"form": form, "next": next_url, "qr": tf.qr_svg(device.config_url), "secret": device_secret(device)},
            status=status,
        )
    if request.method == "POST" and form.is_valid():
        if tf.verify(request=request, token=form.cleaned_data["token"]):
            return redirect(next_url)
        form.add_error(
            "token",
            _("Il codice non è corretto, è scaduto o hai fatto troppi tentativi: attendi qualche secondo e riprova."),
        )
    if request.method == "POST":
        status = 400
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url}, status=status)


def device_secret(device) -> str:
    """The TOTP secret in base32, in groups of four, for apps that take it typed in."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
