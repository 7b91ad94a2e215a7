from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "housingmix.accounts"
    label = "accounts"
    verbose_name = _("Utenti e organizzazioni")

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from .signals import roles_sync_permissions

        post_migrate.connect(roles_sync_permissions, dispatch_uid="accounts_roles_sync")

        from .models import Membership, Organisation, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Organisation)
        auditlog.register(Membership)
