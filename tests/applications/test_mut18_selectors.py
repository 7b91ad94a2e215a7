"""The offerer's reads, scoped and ordered as the pages show them: the list (newest first, with
the unit count, in one query), the units (by position, with their photos only), the attachments,
the draft to resume, and a generated document only for who may download it."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from applications import selectors
from applications.models import Application, AttachmentKind
from applications.services import attachment_add
from housingmix.core.documents import GeneratedDocument
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, HousingUnitFactory, OffererFactory, upload
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db


def _created(application, minutes_ago):
    Application.objects.filter(pk=application.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_the_offerer_s_list_is_newest_first_then_by_number_with_the_unit_count(django_assert_num_queries):
    me = OffererFactory()
    old = ApplicationFactory(created_by=me)
    new = ApplicationFactory(created_by=me)
    same_a, same_b = ApplicationFactory(created_by=me), ApplicationFactory(created_by=me)
    _created(old, 60)
    _created(new, 1)
    for twin in (same_a, same_b):
        Application.objects.filter(pk=twin.pk).update(created_at=timezone.now() - timedelta(minutes=30))
    for position in (1, 2, 3):
        HousingUnitFactory(application=new, position=position)
    with django_assert_num_queries(1):
        rows = [
            (a.pk, a.unit_count, a.notice.title, a.protocol, a.organisation)
            for a in selectors.application_list_for_offerer(user=me)
        ]
    assert [pk for pk, *_rest in rows] == [new.pk, same_b.pk, same_a.pk, old.pk]
    assert [count for _pk, count, *_rest in rows] == [3, 0, 0, 0]


def test_units_come_by_position_with_their_photos_only_in_upload_order(django_assert_num_queries):
    draft = ApplicationFactory()
    second = HousingUnitFactory(application=draft, position=2)
    first = HousingUnitFactory(application=draft, position=1)
    photos = [
        attachment_add(
            application=draft, by=draft.created_by, upload=upload(AttachmentKind.PHOTO), kind="photo", unit=first
        )
        for _i in range(2)
    ]
    attachment_add(
        application=draft, by=draft.created_by, upload=upload(AttachmentKind.FLOOR_PLAN), kind="floor_plan", unit=first
    )
    with django_assert_num_queries(2):
        units = list(selectors.application_units(application=draft))
        seen = [(u.pk, u.comune.name, [p.pk for p in u.photos]) for u in units]
    assert seen == [(first.pk, "Lodi", [p.pk for p in photos]), (second.pk, "Lodi", [])]


def test_attachments_are_grouped_by_kind_in_upload_order_with_their_unit(django_assert_num_queries):
    draft = ApplicationFactory()
    unit = HousingUnitFactory(application=draft, position=1)
    by = draft.created_by
    plan_1 = attachment_add(application=draft, by=by, upload=upload("floor_plan"), kind="floor_plan", unit=unit)
    survey = attachment_add(
        application=draft, by=by, upload=upload("cadastral_survey"), kind="cadastral_survey", unit=unit
    )
    plan_2 = attachment_add(application=draft, by=by, upload=upload("floor_plan"), kind="floor_plan", unit=unit)
    with django_assert_num_queries(1):
        listed = [(a.pk, a.unit.position) for a in selectors.application_attachments(application=draft)]
    assert listed == [(survey.pk, 1), (plan_1.pk, 1), (plan_2.pk, 1)]


def test_the_draft_to_resume_is_the_user_s_own_newest_for_that_notice():
    me, notice = OffererFactory(), NoticeFactory(published=True)
    ApplicationFactory(notice=notice)  # someone else's draft
    ApplicationFactory(created_by=me)  # mine, for another notice
    ApplicationFactory(created_by=me, notice=notice, submitted=True)  # mine, no longer a draft
    assert selectors.application_draft_for_notice(user=me, notice=notice) is None
    older = ApplicationFactory(created_by=me, notice=notice)
    newer = ApplicationFactory(created_by=me, notice=notice)
    _created(older, 10)
    assert selectors.application_draft_for_notice(user=me, notice=notice) == newer


def _document(application, **fields):
    from django.contrib.contenttypes.models import ContentType

    document = GeneratedDocument(
        owner_type=ContentType.objects.get_for_model(Application),
        owner_id=str(application.pk),
        kind="receipt",
        filename="ricevuta.pdf",
        size=4,
        sha256="0" * 64,
        source_hash="1" * 64,
        **fields,
    )
    document.file.save("ricevuta", ContentFile(b"%PDF"), save=False)
    document.save()
    return document


def test_a_generated_document_is_found_only_for_who_may_download_it_and_only_on_its_own_record():
    submitted = ApplicationFactory(submitted=True)
    draft = ApplicationFactory()
    document, draft_document = _document(submitted), _document(draft)
    ref, staff = submitted.reference, UserFactory(staff=True)
    get = selectors.generated_document_get_for_user
    assert get(user=submitted.created_by, reference=ref, pk=document.pk) == document
    assert get(user=staff, reference=ref, pk=document.pk) == document
    assert get(user=OffererFactory(), reference=ref, pk=document.pk) is None
    assert get(user=submitted.created_by, reference=ref, pk=draft_document.pk) is None
    assert get(user=submitted.created_by, reference=uuid.uuid4(), pk=document.pk) is None
    # A draft's documents: its owner only, staff included among the refused.
    assert get(user=draft.created_by, reference=draft.reference, pk=draft_document.pk) == draft_document
    assert get(user=staff, reference=draft.reference, pk=draft_document.pk) is None
