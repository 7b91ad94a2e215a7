"""The stake a manifestation's rules keep for one page: per user (issue 18, mutation testing)."""

import pytest

from applications import rules as app_rules
from applications.models import Application
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_stake_kept_on_a_manifestation_is_per_user():
    """One page asks several rules about one manifestation; the answer kept for the member of the
    body named in it must not be given to the next user asked about the same object."""
    body = OrganisationFactory()
    member, outsider = UserFactory(staff=True), UserFactory(staff=True)
    MembershipFactory(user=member, organisation=body)
    for_the_body = Application(offerer_tax_code=body.tax_code)
    assert app_rules.has_stake_in(member, for_the_body)
    assert not app_rules.has_stake_in(outsider, for_the_body)
    assert app_rules.has_stake_in(member, for_the_body)
