"""Whose manifestation it is: the offerer's own list, organisations (ETS, legal representative,
delegate with power of attorney, other members), and nobody reviewing or deciding on a
manifestation that is theirs or their organisation's (issue 18)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications import completeness
from applications.models import Application, ApplicationStatus, AttachmentKind, SignatoryRole
from applications.review import services as review
from applications.services import attachment_add
from housingmix.accounts.models import MembershipRole, OffererKind, OrganisationType
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.applications.factories import ApplicationFactory, OffererFactory, person_tax_code, social_worker, upload

pytestmark = pytest.mark.django_db


def _member(organisation, role=MembershipRole.LEGAL_REPRESENTATIVE, **user):
    user = OffererFactory(offerer_kind=OffererKind.ORGANISATION, **user)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


# --- The offerer's own records (selectors._owned_by) ----------------------------------


def test_offerer_list_shows_own_and_organisation_records_only(client, login):
    organisation = OrganisationFactory(name="Cooperativa La Casa")
    me = _member(organisation)
    colleague = _member(organisation, role=MembershipRole.DELEGATE)
    mine = ApplicationFactory(created_by=me, offerer_name="Mia bozza personale")
    ours = ApplicationFactory(created_by=colleague, organisation=organisation, offerer_name="Cooperativa La Casa")
    ApplicationFactory(offerer_name="Estraneo Uno")
    ApplicationFactory(organisation=OrganisationFactory(), offerer_name="Altra Cooperativa")

    page = login(me).get(reverse("applications:list")).content.decode()
    assert "Mia bozza personale" in page and "Cooperativa La Casa" in page
    assert "Estraneo Uno" not in page and "Altra Cooperativa" not in page
    assert str(mine.reference) in page and str(ours.reference) in page

    page = login(OffererFactory()).get(reverse("applications:list")).content.decode()
    assert "Mia bozza personale" not in page and "Cooperativa La Casa" not in page


# --- Organisations -----------------------------------------------------------------


def test_legal_representative_starts_for_the_ets_by_http(client, login, open_notice):
    organisation = OrganisationFactory(type=OrganisationType.ETS, name="ETS Abitare Insieme", runts_number="54321")
    me = _member(organisation)
    c = login(me)
    response = c.post(
        reverse("applications:start", kwargs={"slug": open_notice.slug}), {"on_behalf_of": str(organisation.pk)}
    )
    assert response.status_code == 302
    application = Application.objects.get(created_by=me)
    assert application.organisation == organisation
    assert (application.offerer_type, application.offerer_name, application.offerer_tax_code) == (
        OrganisationType.ETS,
        "ETS Abitare Insieme",
        organisation.tax_code,
    )
    assert application.offerer_runts_number == "54321"
    assert application.signatory_role == SignatoryRole.LEGAL_REPRESENTATIVE
    missing = [item.message for item in completeness.missing_items(application)]
    assert any(str(AttachmentKind.STATUTE.label) in text for text in missing)
    assert any(str(AttachmentKind.RUNTS_RECORD.label) in text for text in missing)
    assert not any(str(AttachmentKind.PROXY.label) in text for text in missing)  # a legal representative needs none


def test_delegate_needs_the_power_of_attorney(client, login, open_notice):
    organisation = OrganisationFactory(type=OrganisationType.ETS)
    delegate = _member(organisation, role=MembershipRole.DELEGATE)
    login(delegate).post(
        reverse("applications:start", kwargs={"slug": open_notice.slug}), {"on_behalf_of": str(organisation.pk)}
    )
    application = Application.objects.get(created_by=delegate)
    assert application.signatory_role == SignatoryRole.DELEGATE
    labels = [item.message for item in completeness.missing_items(application)]
    assert any(str(AttachmentKind.PROXY.label) in text for text in labels)
    for kind in (AttachmentKind.PROXY, AttachmentKind.STATUTE, AttachmentKind.RUNTS_RECORD):
        attachment_add(application=application, by=delegate, upload=upload(kind), kind=kind)
    labels = [item.message for item in completeness.missing_items(application)]
    for kind in (AttachmentKind.PROXY, AttachmentKind.STATUTE, AttachmentKind.RUNTS_RECORD):
        assert not any(str(kind.label) in text for text in labels)


def test_other_members_reach_the_organisation_draft_outsiders_do_not(client, login):
    organisation = OrganisationFactory()
    author = _member(organisation)
    colleague = _member(organisation, role=MembershipRole.DELEGATE)
    application = ApplicationFactory(created_by=author, organisation=organisation)
    url = reverse("applications:detail", kwargs={"ref": application.reference})
    assert login(colleague).get(url).status_code == 200
    assert (
        login(colleague).get(reverse("applications:offerer", kwargs={"ref": application.reference})).status_code == 200
    )
    assert login(OffererFactory()).get(url).status_code == 404
    assert login(_member(OrganisationFactory())).get(url).status_code == 404


def test_a_member_who_leaves_loses_access(client, login):
    organisation = OrganisationFactory()
    colleague = _member(organisation)
    application = ApplicationFactory(organisation=organisation)
    url = reverse("applications:detail", kwargs={"ref": application.reference})
    assert login(colleague).get(url).status_code == 200
    colleague.memberships.all().delete()
    assert login(colleague).get(url).status_code == 404


# --- Nobody reviews or decides on their own manifestation ------------------------------


def test_reviewer_is_eligible_refuses_the_offerer_and_the_offering_organisation():
    organisation = OrganisationFactory()
    staff_member = _member(organisation)
    staff_member.groups.add(*UserFactory(staff=True).groups.all())
    application = ApplicationFactory(submitted=True, organisation=organisation)
    assert not review.reviewer_is_eligible(application=application, reviewer=application.created_by)
    assert not review.reviewer_is_eligible(application=application, reviewer=staff_member)
    assert review.reviewer_is_eligible(application=application, reviewer=UserFactory(staff=True))
    assert review.reviewer_is_eligible(application=application, reviewer=social_worker("Lodi"))
    assert not review.reviewer_is_eligible(application=application, reviewer=social_worker("Codogno"))
    assert not review.reviewer_is_eligible(application=application, reviewer=UserFactory(staff=True, is_active=False))
    assert not review.reviewer_is_eligible(application=application, reviewer=OffererFactory())


def test_staff_cannot_assign_the_offerer_as_reviewer(staff):
    application = ApplicationFactory(submitted=True)
    application.created_by.groups.add(*staff.groups.all())  # the offerer is also Ambito staff
    with pytest.raises(ValidationError):
        review.review_assign(application=application, reviewer=application.created_by, by=staff)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


def test_staff_offerer_can_neither_review_nor_decide_their_own(client, login):
    application = ApplicationFactory(site_visit=True)
    owner = application.created_by
    owner.groups.add(*UserFactory(staff=True).groups.all())
    owner.is_staff = True
    owner.save()
    assert not owner.has_perm("applications.review", application)
    assert not owner.has_perm("applications.decide", application)
    assert not owner.has_perm("applications.assign_reviewer", application)
    with pytest.raises(PermissionDenied):
        review.decision_eligible(application=application, by=owner, reasons="Idonea")
    response = login(owner).post(
        reverse("review:eligible", kwargs={"ref": application.reference}),
        {"eligible-reasons": "Idonea", "eligible-expected_status": "site_visit"},
    )
    assert response.status_code in (403, 404)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SITE_VISIT


def test_a_manifestation_made_for_the_reviewer_by_a_delegate_is_theirs_too():
    """The defect of issue 18: filed by someone else for a staff member (same codice fiscale as
    the offerer or the signatory), or for a body whose codice fiscale is the one of an
    organisation the staff member belongs to: they neither review, nor decide, nor get assigned."""
    code = person_tax_code(4242, first_name="Anna", last_name="Bianchi")
    staff_person = UserFactory(staff=True, tax_code=code)
    application = ApplicationFactory(site_visit=True, offerer_tax_code=code.lower())
    for perm in ("review", "review_record", "decide", "propose_outcome", "assign_reviewer"):
        assert not staff_person.has_perm("applications.%s" % perm, application), perm
    assert not review.reviewer_is_eligible(application=application, reviewer=staff_person)
    with pytest.raises(PermissionDenied):
        review.decision_eligible(application=application, by=staff_person, reasons="Idonea")
    with pytest.raises(PermissionDenied):
        review.review_note_add(application=application, text="nota", by=staff_person)

    signed = ApplicationFactory(site_visit=True, signatory_tax_code=code)
    assert not staff_person.has_perm("applications.decide", signed)

    body = OrganisationFactory()
    member = UserFactory(staff=True)
    MembershipFactory(user=member, organisation=body)
    # A record naming the body without the link to it (as a draft may, before the body is chosen).
    for_the_body = ApplicationFactory(offerer_tax_code=body.tax_code)
    assert not member.has_perm("applications.decide", for_the_body)
    assert not review.reviewer_is_eligible(application=for_the_body, reviewer=member)
    # Anyone else on the staff still decides.
    other = UserFactory(staff=True, tax_code=person_tax_code(77, first_name="Luca", last_name="Verdi"))
    assert other.has_perm("applications.decide", application)
    assert other.has_perm("applications.review", application)


def test_assigned_social_worker_who_is_a_member_cannot_review(staff, run_on_commit):
    organisation = OrganisationFactory()
    worker = social_worker("Lodi")
    MembershipFactory(user=worker, organisation=organisation)
    application = ApplicationFactory(submitted=True, organisation=organisation)
    with pytest.raises(ValidationError):
        review.review_assign(application=application, reviewer=worker, by=staff)
    assert not worker.has_perm("applications.review_record", application)
