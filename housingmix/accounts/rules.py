import rules

from .roles import Role


@rules.predicate
def is_ambito_staff(user):
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.STAFF))


@rules.predicate
def is_dpo(user):
    return user.is_authenticated and user.has_role(Role.DPO)


@rules.predicate
def is_organisation_member(user, organisation):
    return (
        user.is_authenticated and organisation is not None and organisation.memberships.filter(user_id=user.pk).exists()
    )


@rules.predicate
def is_offerer(user):
    return user.is_authenticated and user.has_role(Role.OFFERER)


rules.add_perm("accounts.view_organisation_record", is_organisation_member | is_ambito_staff)
rules.add_perm("accounts.register_organisation", is_offerer)
