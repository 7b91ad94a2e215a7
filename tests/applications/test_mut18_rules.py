"""The stake a manifestation's rules keep for one page: per user (issue 18, mutation testing)."""

import pytest

from applications import rules as app_rules
from applications.models import Application
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.applications.factories import ApplicationFactory

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


def _read_with_the_reader(reader, *pks):
    """The manifestations as the review detail reads them: the reader's relation annotated."""
    rows = Application.objects.annotate(**app_rules.reader_annotations(reader.pk)).filter(pk__in=pks)
    return {row.pk: row for row in rows}


def test_the_reader_annotations_say_whether_the_reader_belongs_to_the_body_it_is_made_for():
    body, other_body = OrganisationFactory(), OrganisationFactory()
    member, outsider = UserFactory(), UserFactory()
    MembershipFactory(user=member, organisation=body)
    MembershipFactory(user=outsider, organisation=other_body)
    for_the_body = ApplicationFactory(organisation=body)
    for_the_other = ApplicationFactory(organisation=other_body)
    private = ApplicationFactory()
    pks = (for_the_body.pk, for_the_other.pk, private.pk)
    as_member = _read_with_the_reader(member, *pks)
    assert [as_member[pk].reader_member for pk in pks] == [True, False, False]
    as_outsider = _read_with_the_reader(outsider, *pks)
    assert [as_outsider[pk].reader_member for pk in pks] == [False, True, False]
    assert all(row.reader_stake is False for row in as_member.values())


def test_a_body_without_a_codice_fiscale_is_no_stake_in_a_manifestation_without_one():
    """Empty codes match nothing: a member of a body whose code is blank has no stake in a
    manifestation whose offerer and signatory codes are blank."""
    blank = OrganisationFactory()
    type(blank).objects.filter(pk=blank.pk).update(tax_code="")
    member = UserFactory()
    MembershipFactory(user=member, organisation=blank)
    application = ApplicationFactory()
    Application.objects.filter(pk=application.pk).update(offerer_tax_code="", signatory_tax_code="")
    assert _read_with_the_reader(member, application.pk)[application.pk].reader_stake is False


def test_what_the_detail_read_is_what_the_rules_answer_without_asking_again(django_assert_num_queries):
    """reader_remember keeps the annotations as the rules' answers: no query, and the answer read
    with the record even when the memberships change after it (one page, one answer)."""
    body = OrganisationFactory()
    member, outsider = UserFactory(), UserFactory()
    MembershipFactory(user=member, organisation=body)
    application = ApplicationFactory(organisation=body)
    as_member = _read_with_the_reader(member, application.pk)[application.pk]
    as_outsider = _read_with_the_reader(outsider, application.pk)[application.pk]
    app_rules.reader_remember(member, as_member)
    app_rules.reader_remember(outsider, as_outsider)
    MembershipFactory(user=outsider, organisation=body)  # after the record was read
    with django_assert_num_queries(0):
        assert app_rules.is_application_owner(member, as_member) is True
        assert app_rules.is_application_owner(outsider, as_outsider) is False
        assert app_rules.has_stake_in(member, as_member) is True


def test_a_manifestation_for_no_body_keeps_no_membership_answer():
    reader = UserFactory()
    application = ApplicationFactory()
    row = _read_with_the_reader(reader, application.pk)[application.pk]
    app_rules.reader_remember(reader, row)
    assert "_member_memo" not in row.__dict__
    assert app_rules.is_application_owner(reader, row) is False


def test_without_the_read_answer_the_membership_is_asked_once_a_page(django_assert_num_queries):
    body = OrganisationFactory()
    member = UserFactory()
    MembershipFactory(user=member, organisation=body)
    application = Application.objects.get(pk=ApplicationFactory(organisation=body).pk)
    with django_assert_num_queries(1):
        assert app_rules.is_application_owner(member, application) is True
        assert app_rules.is_application_owner(member, application) is True
    assert application.__dict__["_member_memo"] == {(member.pk, body.pk): True}
