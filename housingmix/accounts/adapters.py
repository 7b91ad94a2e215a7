from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings

from housingmix.core.mail import email_queue
from housingmix.territory.selectors import ambito_current

# Links of allauth's e-mails that it builds from the request's host name.
LINK_KEYS = ("activate_url", "password_reset_url")


def _on_site_url(url: str) -> str:
    """``url`` with SITE_URL's scheme and host instead of the request's (never the host name)."""
    parts = urlsplit(url)
    return settings.SITE_URL + parts.path + ("?%s" % parts.query if parts.query else "")


class AccountAdapter(DefaultAccountAdapter):
    """Self sign-up creates offerers only; staff accounts are created by administrators."""

    def save_user(self, request, user, form, commit=True):
        from .services import offerer_signup_complete

        user = super().save_user(request, user, form, commit=commit)
        if commit:
            offerer_signup_complete(user=user, data=form.cleaned_data)
        return user

    def get_login_redirect_url(self, request):
        """Accounts that need a second factor enrol or verify it first (accounts.two_factor)."""
        from . import two_factor

        url = super().get_login_redirect_url(request)
        if two_factor.requires_two_factor(request.user) and not two_factor.is_verified(request):
            return two_factor.verification_url(url)
        return url

    def send_mail(self, template_prefix: str, email: str, ctx: dict) -> None:
        """Like allauth's, but in the portal's voice and sent by the worker (core.mail.email_queue).

        The messages name the Ambito, the programme and the office's contacts; links and the
        "site" allauth's own templates mention come from SITE_URL, never the request's host.
        """
        request = context.request
        ambito = ambito_current()
        portal = "Housing Mix - %s" % ambito.name if ambito else "Housing Mix"
        full = {
            "request": request,
            "email": email,
            **ctx,
            "current_site": SimpleNamespace(name=portal, domain=urlsplit(settings.SITE_URL).netloc),
            "ambito": ambito,
            "site_url": settings.SITE_URL + "/",
        }
        for key in LINK_KEYS:
            if full.get(key):
                full[key] = _on_site_url(full[key])
        email_queue(self.render_mail(template_prefix, email, full))
