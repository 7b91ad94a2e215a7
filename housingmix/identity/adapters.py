from housingmix.accounts.adapters import AccountAdapter as PortalAccountAdapter


class AccountAdapter(PortalAccountAdapter):
    """The portal's allauth adapter, plus: a logout also ends the SPID/CIE provider's session."""

    def logout(self, request):
        from .views import provider_logout

        provider_logout(request)
        super().logout(request)
