from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "housingmix.accounts"
    label = "accounts"
    verbose_name = _("Utenti e organizzazioni")

    def ready(self):
        from auditlog.registry import auditlog
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from .models import Membership, Organisation, User
        from .role_cache import roles_changed
        from .signals import roles_sync_permissions

        post_migrate.connect(roles_sync_permissions, dispatch_uid="accounts_roles_sync")
        # A role granted or revoked, or a group changed: the cached role names are stale.
        m2m_changed.connect(roles_changed, sender=User.groups.through, dispatch_uid="accounts_roles_m2m")
        post_save.connect(roles_changed, sender=Group, dispatch_uid="accounts_roles_group_saved")
        post_delete.connect(roles_changed, sender=Group, dispatch_uid="accounts_roles_group_deleted")

        auditlog.register(User, exclude_fields=["password", "last_login"])

        from django.utils.translation import gettext_lazy as _

        from housingmix.core import audit

        audit.register(
            {
                "account.two_factor_enrolled": audit.Verb(_("Verifica in due passaggi attivata")),
                "account.recovery_code_used": audit.Verb(_("Accesso con un codice di recupero")),
                "account.two_factor_reset": audit.Verb(_("Verifica in due passaggi azzerata")),
            }
        )
        auditlog.register(Organisation)
        auditlog.register(Membership)
