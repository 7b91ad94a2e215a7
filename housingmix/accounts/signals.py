"""Keep each role's admin permissions in step with roles.ROLE_PERMISSIONS after every migrate."""

from django.contrib.auth.models import Group, Permission


def roles_sync_permissions(**kwargs) -> None:
    from .roles import ROLE_PERMISSIONS, Role

    for role in Role.values:
        Group.objects.get_or_create(name=role)
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found:
                wanted.append(found)
        group.permissions.set(wanted)
