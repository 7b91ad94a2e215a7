"""The offerer's reads, scoped and ordered as the pages show them: the list (newest first, with
the unit count, in one query), the units (by position, with their photos only), the attachments,
the draft to resume, and a generated document only for who may download it."""

import itertools
import uuid
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from applications import selectors
from applications.models import Application, Attachment, AttachmentKind
from applications.services import attachment_add
from housingmix.core.documents import GeneratedDocument
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, HousingUnitFactory, OffererFactory, upload
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db


def _created(application, minutes_ago):
    Application.objects.filter(pk=application.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_the_offerer_s_list_is_newest_first_then_by_number_with_the_unit_count(django_assert_num_queries):
    from tests.accounts.factories import MembershipFactory, OrganisationFactory

    me = OffererFactory()
    organisation = OrganisationFactory(name="Cooperativa La Casa")
    MembershipFactory(user=me, organisation=organisation)
    old = ApplicationFactory(created_by=me, organisation=organisation, submitted=True)
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
    assert [count for _pk, count, *_rest in rows] == [3, 0, 0, 1]
    assert (rows[-1][3].number, rows[-1][4].name) == (old.protocol.number, "Cooperativa La Casa")


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
    # Shown in the order they were uploaded (the second one's time set earlier: it comes first).
    Attachment.objects.filter(pk=photos[1].pk).update(created_at=timezone.now() - timedelta(hours=1))
    with django_assert_num_queries(2):
        units = list(selectors.application_units(application=draft))
        seen = [(u.pk, u.comune.name, [p.pk for p in u.photos]) for u in units]
    assert seen == [(first.pk, "Lodi", [photos[1].pk, photos[0].pk]), (second.pk, "Lodi", [])]


def test_attachments_are_grouped_by_kind_in_upload_order_with_their_unit(django_assert_num_queries):
    draft = ApplicationFactory()
    unit = HousingUnitFactory(application=draft, position=1)
    by = draft.created_by
    plan_1 = attachment_add(application=draft, by=by, upload=upload("floor_plan"), kind="floor_plan", unit=unit)
    survey = attachment_add(
        application=draft, by=by, upload=upload("cadastral_survey"), kind="cadastral_survey", unit=unit
    )
    plan_2 = attachment_add(application=draft, by=by, upload=upload("floor_plan"), kind="floor_plan", unit=unit)
    plan_3 = attachment_add(application=draft, by=by, upload=upload("floor_plan"), kind="floor_plan", unit=unit)
    Attachment.objects.filter(pk=plan_3.pk).update(created_at=timezone.now() - timedelta(hours=1))
    with django_assert_num_queries(1):
        listed = [(a.pk, a.unit.position) for a in selectors.application_attachments(application=draft)]
    assert listed == [(survey.pk, 1), (plan_3.pk, 1), (plan_1.pk, 1), (plan_2.pk, 1)]


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


_VERSIONS = itertools.count(1)


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
        version=next(_VERSIONS),
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


def test_the_inbox_lists_the_communications_of_my_and_my_organisation_s_submitted_manifestations():
    from django.contrib.contenttypes.models import ContentType

    from tests.accounts.factories import MembershipFactory, OrganisationFactory

    organisation = OrganisationFactory()
    me, colleague = OffererFactory(), OffererFactory()
    MembershipFactory(user=me, organisation=organisation)
    mine = ApplicationFactory(created_by=me, submitted=True)
    ours = ApplicationFactory(created_by=colleague, organisation=organisation, submitted=True)
    theirs = ApplicationFactory(submitted=True)
    draft = ApplicationFactory(created_by=me)
    new, twin = _document(ours), _document(ours)
    old = _document(mine)  # the highest id, yet the oldest: the date decides, not the id
    _document(theirs)
    _document(draft)
    GeneratedDocument.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    GeneratedDocument.objects.filter(pk__in=[new.pk, twin.pk]).update(created_at=timezone.now() - timedelta(days=1))
    # A document of another kind of record whose id happens to be my manifestation's.
    notice_document = _document(mine)
    GeneratedDocument.objects.filter(pk=notice_document.pk).update(
        owner_type=ContentType.objects.get_for_model(mine.notice), created_at=timezone.now()
    )
    rows = list(selectors.inbox_for_user(user=me))
    assert [d.pk for d in rows] == [twin.pk, new.pk, old.pk]
    assert [(d.application_reference, d.application_protocol, d.application_year) for d in rows] == [
        (ours.reference, ours.protocol.number, ours.protocol.year),
        (ours.reference, ours.protocol.number, ours.protocol.year),
        (mine.reference, mine.protocol.number, mine.protocol.year),
    ]


def test_a_communication_is_read_for_who_opened_it_only():
    from applications.services import communication_mark_read
    from tests.accounts.factories import MembershipFactory, OrganisationFactory

    organisation = OrganisationFactory()
    me, colleague = OffererFactory(), OffererFactory()
    MembershipFactory(user=me, organisation=organisation)
    MembershipFactory(user=colleague, organisation=organisation)
    ours = ApplicationFactory(created_by=colleague, organisation=organisation, submitted=True)
    first, second = _document(ours), _document(ours)
    communication_mark_read(user=colleague, document=first)
    assert {d.pk: d.is_read for d in selectors.inbox_for_user(user=colleague)} == {first.pk: True, second.pk: False}
    assert {d.pk: d.is_read for d in selectors.inbox_for_user(user=me)} == {first.pk: False, second.pk: False}
    assert (selectors.inbox_unread_count(user=colleague), selectors.inbox_unread_count(user=me)) == (1, 2)


def test_the_offerer_s_history_shows_public_steps_with_their_state_names():
    from housingmix.core import audit

    submitted = ApplicationFactory(submitted=True)
    # Its files were uploaded (an internal step, in the full trail) before it was submitted.
    assert "application.attachment_added" in [e.verb for e in audit.history(submitted, public_only=False)]
    history = selectors.application_public_history(application=submitted)
    assert "application.attachment_added" not in [e.verb for e in history]
    event = next(e for e in history if e.verb == "application.submitted")
    assert (event.verb_label, event.from_label, event.to_label) == ("Presentata e protocollata", "Bozza", "Presentata")


def test_the_receipt_is_pending_until_its_job_is_done():
    from applications.models import RECEIPT_JOB
    from housingmix.core import outbox
    from housingmix.core.outbox import Job, JobStatus
    from housingmix.core.outbox import services as outbox_services

    submitted = ApplicationFactory(submitted=True)
    assert selectors.application_receipt_pending(application=submitted)
    Job.objects.filter(kind=RECEIPT_JOB, target_id=str(submitted.pk)).update(status=JobStatus.DONE)
    outbox.register("mut18.other", lambda job: None)
    try:
        outbox.request("mut18.other", target=submitted)  # another kind of work on it: not the receipt
        assert not selectors.application_receipt_pending(application=submitted)
    finally:
        outbox_services._HANDLERS.pop("mut18.other")


def test_the_manifestation_comes_with_what_its_page_shows_in_one_query(django_assert_num_queries):
    from tests.accounts.factories import MembershipFactory, OrganisationFactory

    organisation = OrganisationFactory(name="Cooperativa La Casa")
    me = OffererFactory()
    MembershipFactory(user=me, organisation=organisation)
    submitted = ApplicationFactory(created_by=me, organisation=organisation, submitted=True)
    found = selectors.application_get_for_user(user=me, reference=submitted.reference)
    with django_assert_num_queries(0):
        shown = (found.notice.title, found.protocol.number, found.organisation.name, found.created_by.email)
    assert shown == (submitted.notice.title, submitted.protocol.number, "Cooperativa La Casa", me.email)
    assert selectors.application_get_for_user(user=OffererFactory(), reference=submitted.reference) is None
