"""Each predicate of applications/rules.py on its edges (issue 18: mutation testing showed the
assigned-reviewer rule unpinned outside the review tests). Unsaved manifestations where the
predicate reads only their fields."""

import pytest
from django.contrib.auth.models import AnonymousUser

from applications import rules as app_rules
from applications.models import Application
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.applications.factories import ApplicationFactory, person_tax_code, social_worker

pytestmark = pytest.mark.django_db


def test_assigned_reviewer_is_the_assigned_account_only():
    worker, other = social_worker("Lodi"), social_worker("Lodi")
    assigned = Application(assigned_to_id=worker.pk)
    assert app_rules.is_assigned_reviewer(worker, assigned)
    assert not app_rules.is_assigned_reviewer(other, assigned)
    assert not app_rules.is_assigned_reviewer(worker, Application(assigned_to_id=None))
    assert not app_rules.is_assigned_reviewer(worker, None)
    # The anonymous user's pk is None: an unassigned manifestation is still not theirs.
    assert not app_rules.is_assigned_reviewer(AnonymousUser(), Application(assigned_to_id=None))
    assert not app_rules.is_assigned_reviewer(AnonymousUser(), None)


def test_social_worker_role():
    assert app_rules.is_social_worker(social_worker("Lodi"))
    assert not app_rules.is_social_worker(UserFactory(staff=True))
    assert not app_rules.is_social_worker(AnonymousUser())


def test_owner_is_the_author_or_a_member_of_the_organisation():
    author, member, outsider = UserFactory(), UserFactory(), UserFactory()
    organisation = OrganisationFactory()
    MembershipFactory(user=member, organisation=organisation)
    MembershipFactory(user=outsider, organisation=OrganisationFactory())
    personal = Application(created_by_id=author.pk)
    for_the_body = Application(created_by_id=author.pk, organisation_id=organisation.pk)
    assert app_rules.is_application_owner(author, personal)
    assert not app_rules.is_application_owner(member, personal)
    assert app_rules.is_application_owner(member, for_the_body)
    assert not app_rules.is_application_owner(outsider, for_the_body)
    assert not app_rules.is_application_owner(outsider, personal)
    assert not app_rules.is_application_owner(AnonymousUser(), Application(created_by_id=None))
    assert not app_rules.is_application_owner(author, None)


def test_stake_by_codice_fiscale_whatever_the_case():
    code = person_tax_code(9090, first_name="Paola", last_name="Neri")
    person = UserFactory(tax_code=code.lower())
    assert app_rules.has_stake_in(person, Application(offerer_tax_code=code))
    assert app_rules.has_stake_in(person, Application(signatory_tax_code=code.lower()))
    assert not app_rules.has_stake_in(person, Application(offerer_tax_code=person_tax_code(1)))
    assert not app_rules.has_stake_in(person, Application())  # no codes at all
    assert not app_rules.has_stake_in(UserFactory(tax_code=""), Application(offerer_tax_code="XXXX"))
    assert not app_rules.has_stake_in(AnonymousUser(), Application(offerer_tax_code=code))
    assert not app_rules.has_stake_in(person, None)


def test_stake_through_a_body_named_by_its_codice_fiscale():
    body = OrganisationFactory()
    member = UserFactory()
    MembershipFactory(user=member, organisation=body)
    assert app_rules.has_stake_in(member, Application(offerer_tax_code=body.tax_code))
    assert not app_rules.has_stake_in(member, Application(offerer_tax_code=OrganisationFactory().tax_code))
    assert not app_rules.has_stake_in(UserFactory(), Application(offerer_tax_code=body.tax_code))


def test_draft_and_submitted():
    draft = Application()
    assert app_rules.is_draft(None, draft) and not app_rules.is_submitted(None, draft)
    assert not app_rules.is_draft(None, None) and not app_rules.is_submitted(None, None)
    submitted = ApplicationFactory(submitted=True)
    assert app_rules.is_submitted(None, submitted) and not app_rules.is_draft(None, submitted)
