"""The draft services at their edges: who may start and edit, what a cleared field becomes,
the numbering of units after a removal, a receipt job whose manifestation is gone."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications import services
from applications.models import RECEIPT_JOB, Application, AttachmentKind, SignatoryRole
from housingmix.accounts.models import MembershipRole, OffererKind
from housingmix.core.outbox import Job
from properties.models import HousingUnit
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.applications.factories import ApplicationFactory, HousingUnitFactory, OffererFactory, upload
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db


# --- Starting ----------------------------------------------------------------------


def test_only_an_offerer_starts_a_manifestation(open_notice):
    with pytest.raises(PermissionDenied):
        services.application_start(notice=open_notice, by=UserFactory(staff=True))
    assert not Application.objects.exists()


def test_a_closed_notice_takes_no_manifestation(offerer):
    with pytest.raises(ValidationError) as excinfo:
        services.application_start(notice=NoticeFactory(expired=True), by=offerer)
    assert excinfo.value.messages == ["Questo avviso non accetta manifestazioni di interesse in questo momento."]
    assert not Application.objects.exists()


def test_an_account_registered_for_a_body_starts_for_that_body(open_notice):
    membership = MembershipFactory(role=MembershipRole.DELEGATE)
    user = membership.user
    user.offerer_kind = OffererKind.ORGANISATION
    user.save(update_fields=["offerer_kind"])
    application = services.application_start(notice=open_notice, by=user)
    organisation = membership.organisation
    assert application.organisation == organisation
    assert application.offerer_type == organisation.type
    assert application.offerer_name == organisation.name
    assert application.offerer_tax_code == organisation.tax_code
    assert application.signatory_role == SignatoryRole.DELEGATE


def test_nobody_starts_for_a_body_they_do_not_belong_to(open_notice, offerer):
    with pytest.raises(PermissionDenied):
        services.application_start(notice=open_notice, by=offerer, organisation=OrganisationFactory())
    assert not Application.objects.exists()


# --- Editing -----------------------------------------------------------------------


def test_another_account_cannot_edit_a_draft():
    application = ApplicationFactory()
    stranger = OffererFactory()
    with pytest.raises(PermissionDenied):
        services.unit_add(application=application, by=stranger)
    with pytest.raises(PermissionDenied):
        services.application_update(application=application, by=stranger, fields={"phone": "0371 1"})
    assert not application.units.exists()


def test_a_field_outside_the_form_is_never_written():
    application = ApplicationFactory()
    with pytest.raises(ValueError, match="not editable: notice"):
        services.application_update(application=application, by=application.created_by, fields={"notice": None})


def test_a_cleared_field_is_stored_empty_not_null():
    application = ApplicationFactory(complete=True)
    services.application_update(
        application=application,
        by=application.created_by,
        fields={"accepts_terms": None, "offerer_address": None},
    )
    saved = Application.objects.get(pk=application.pk)
    assert saved.accepts_terms is False
    assert saved.offerer_address == ""
    assert saved.declarations_at is None  # one declaration missing: no longer all declared


def test_cleared_unit_lists_and_texts_are_stored_empty():
    application = ApplicationFactory()
    unit = HousingUnitFactory(application=application, position=1, targets=["families"], guarantees=["rent_fund"])
    services.unit_update(
        unit=unit, by=application.created_by, fields={"targets": None, "guarantees": None, "street": None}
    )
    saved = HousingUnit.objects.get(pk=unit.pk)
    assert (saved.targets, saved.guarantees, saved.street) == ([], [], "")


def test_removing_a_unit_renumbers_the_others_and_takes_its_files(django_capture_on_commit_callbacks):
    application = ApplicationFactory()
    first, second, third = (HousingUnitFactory(application=application, position=p) for p in (1, 2, 3))
    services.attachment_add(
        application=application,
        by=application.created_by,
        upload=upload(AttachmentKind.FLOOR_PLAN),
        kind=AttachmentKind.FLOOR_PLAN,
        unit=second,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.unit_remove(unit=second, by=application.created_by)
    assert list(application.units.order_by("position").values_list("pk", "position")) == [
        (first.pk, 1),
        (third.pk, 2),
    ]
    assert not application.attachments.exists()
    services.unit_remove(unit=HousingUnit.objects.get(pk=third.pk), by=application.created_by)
    assert list(application.units.values_list("pk", "position")) == [(first.pk, 1)]


# --- The receipt job ---------------------------------------------------------------


def test_a_receipt_job_for_a_manifestation_no_longer_there_does_nothing():
    job = Job(kind=RECEIPT_JOB, target_id=987654, data={})
    assert services.receipt_job_run(job) is None
