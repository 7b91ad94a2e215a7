"""Keep each role's admin permissions in step with roles.ROLE_PERMISSIONS after every migrate."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS


def _last_app_with_models():
    configs = [config for config in apps.get_app_configs() if config.models_module is not None]
    return configs[-1] if configs else None


def roles_sync_permissions(sender=None, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Once per migrate (and per test-database flush), after the last app's permissions exist: a
    handful of queries, not one per permission per app."""
    from .roles import ROLE_PERMISSIONS, Role

    if sender is not None and sender is not _last_app_with_models():
        return
    groups = Group.objects.using(using)
    existing = set(groups.filter(name__in=Role.values).values_list("name", flat=True))
    groups.bulk_create([Group(name=role) for role in Role.values if role not in existing])
    by_name = {group.name: group for group in groups.filter(name__in=list(ROLE_PERMISSIONS))}
    permissions = {
        "%s.%s" % (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.using(using).select_related("content_type")
    }
    for role, names in ROLE_PERMISSIONS.items():
        by_name[role].permissions.set([permissions[name] for name in names if name in permissions])
