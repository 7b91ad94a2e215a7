import hashlib

import pytest

from applications import completeness
from applications.models import RECEIPT_JOB, ApplicationStatus, AttachmentKind
from housingmix.accounts.roles import Role
from housingmix.accounts.validators import validate_person_tax_code
from housingmix.core.outbox import Job
from tests.applications.factories import ApplicationFactory, AttachmentFactory, HousingUnitFactory, OffererFactory

pytestmark = pytest.mark.django_db


def test_complete_draft_has_nothing_missing():
    application = ApplicationFactory(complete=True)
    assert application.is_draft
    assert completeness.missing_items(application) == []


def test_complete_draft_with_two_units_has_nothing_missing():
    application = ApplicationFactory(complete=True, units=2)
    assert application.units.count() == 2
    assert application.attachments.filter(kind=AttachmentKind.PHOTO).count() == 2
    assert completeness.missing_items(application) == []


def test_submitted_factory_is_protocolled_with_a_queued_receipt():
    application = ApplicationFactory(submitted=True)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.protocol_number.endswith("/%d" % application.protocol.year)
    assert application.package["units"]
    assert Job.objects.filter(kind=RECEIPT_JOB, target_id=str(application.pk)).count() == 1


def test_offerer_has_the_role_and_a_valid_tax_code():
    user = OffererFactory()
    assert user.has_role(Role.OFFERER)
    validate_person_tax_code(user.tax_code)
    assert OffererFactory().tax_code != user.tax_code


def test_unit_and_attachment_factories_store_real_rows():
    unit = HousingUnitFactory()
    attachment = AttachmentFactory(application=unit.application, unit=unit, kind=AttachmentKind.FLOOR_PLAN)
    with attachment.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.file.name.startswith("private/applications/")
