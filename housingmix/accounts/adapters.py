from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.contrib.sites.shortcuts import get_current_site

from housingmix.core.mail import email_queue


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
        """Like allauth's, but the message is sent by the worker (core.mail.email_queue)."""
        request = context.request
        full = {"request": request, "email": email, "current_site": get_current_site(request), **ctx}
        email_queue(self.render_mail(template_prefix, email, full))
