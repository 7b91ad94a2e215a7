from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from housingmix.core import audit

from .models import Membership, MembershipRole, Organisation, User
from .roles import Role


@transaction.atomic
def offerer_signup_complete(*, user: User, data: dict[str, Any]) -> User:
    """Store the sign-up extras and give the new account the offerer role.

    Self sign-up never grants any other role.
    """
    user.first_name = data.get("first_name", user.first_name)
    user.last_name = data.get("last_name", user.last_name)
    user.tax_code = data.get("tax_code", user.tax_code)
    user.offerer_kind = data.get("offerer_kind", user.offerer_kind)
    user.full_clean(exclude=["password", "comune"])
    user.save()
    user.groups.add(Group.objects.get(name=Role.OFFERER))
    audit.record(target=user, verb="account.signed_up", by=user)
    return user


@transaction.atomic
def organisation_register(
    *, by: User, organisation: Organisation, role: str, office: str = "", proxy_document=None
) -> Organisation:
    """Register a new organisation with ``by`` as its legal representative or delegate.

    Raises ValidationError if the tax code is already registered: joining an existing
    organisation needs its legal representative, never self-service.
    """
    if Organisation.objects.filter(tax_code=organisation.tax_code).exists():
        raise ValidationError(
            {
                "tax_code": _(
                    "Un'organizzazione con questo codice fiscale è già registrata. "
                    "Chiedi al suo legale rappresentante di aggiungerti, oppure scrivi all'Ufficio di Piano."
                )
            }
        )
    if role == MembershipRole.DELEGATE and not proxy_document:
        raise ValidationError({"proxy_document": _("Chi agisce come delegato deve allegare la procura.")})
    organisation.full_clean()
    organisation.save()
    membership = Membership(user=by, organisation=organisation, role=role, office=office)
    if proxy_document:
        membership.proxy_document = proxy_document
    membership.full_clean()
    membership.save()
    audit.record(target=organisation, verb="organisation.registered", by=by, data={"role": role})
    return organisation
