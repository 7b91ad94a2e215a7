from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "housingmix.identity"
    label = "identity"
    verbose_name = _("Identità digitale (SPID e CIE)")

    def ready(self):
        from housingmix.accounts import area

        from . import checks  # noqa: F401  (registers the system checks)
        from .selectors import session_identity, verified_identity_for

        area.register(
            "identity",
            lambda request: {
                "identity": verified_identity_for(request.user),
                "identity_session": session_identity(request),
            },
        )
