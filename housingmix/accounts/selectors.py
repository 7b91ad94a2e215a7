from django.db.models import QuerySet

from .models import Membership, Organisation, User


def organisation_list_for_user(*, user: User) -> QuerySet[Membership]:
    """The user's memberships with their organisations (one query)."""
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def organisation_get_for_user(*, user: User, pk: int) -> Organisation | None:
    """The organisation if ``user`` may see it (member or Ambito staff), else None."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not user.has_perm("accounts.view_organisation_record", organisation):
        return None
    return organisation


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__last_name")
