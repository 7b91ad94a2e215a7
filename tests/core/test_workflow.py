"""The one transition runner: lock, stale page, state, permission (rules, for superusers too), audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from housingmix.core import workflow
from housingmix.core.models import AuditEvent
from housingmix.notices.models import Notice, NoticeStatus
from tests.accounts.factories import UserFactory
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db


def test_transition_saves_and_audits_who_when_from_to():
    staff = UserFactory(staff=True)
    notice = NoticeFactory()
    with transaction.atomic():
        locked = workflow.lock(notice, expected_status=NoticeStatus.DRAFT)
        workflow.transition_run(locked, "publish", by=staff, verb="notice.published", clean=False)
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PUBLISHED
    event = AuditEvent.objects.get(verb="notice.published")
    assert (event.actor, event.from_state, event.to_state) == (staff, "draft", "published")


def test_stale_page_is_refused_and_nothing_changes():
    notice = NoticeFactory(published=True)
    with pytest.raises(workflow.StaleTransition, match="un altro utente") as error, transaction.atomic():
        workflow.lock(notice, expected_status=NoticeStatus.DRAFT)
    assert "Pubblicato" in error.value.messages[0] or "pubblicato" in error.value.messages[0].lower()
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PUBLISHED


def test_illegal_transition_is_refused_with_the_state_named():
    staff = UserFactory(staff=True)
    notice = NoticeFactory()
    with pytest.raises(ValidationError, match="stato"), transaction.atomic():
        workflow.transition_run(workflow.lock(notice), "archive", by=staff, verb="notice.archived")
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.DRAFT
    assert not AuditEvent.objects.exists()


def test_permission_comes_from_rules_not_from_superuser_flags():
    notice = NoticeFactory()
    offerer = UserFactory(offerer=True)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied), transaction.atomic():
        workflow.transition_run(workflow.lock(notice), "publish", by=offerer, verb="notice.published")
    # The rules predicate of notices lets superusers publish (is_ambito_staff includes them): the
    # runner asks rules, which answers for each object, the same question a view asks.
    assert workflow.permitted(notice, "publish", superuser) is True
    assert workflow.permitted(notice, "publish", offerer) is False
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.DRAFT


def test_available_answers_what_the_service_accepts():
    staff, offerer = UserFactory(staff=True), UserFactory(offerer=True)
    notice = NoticeFactory()
    assert workflow.available(notice, staff, ["publish", "archive"]) == {"publish": True, "archive": False}
    assert workflow.available(notice, offerer, ["publish"]) == {"publish": False}
    assert "publish" in workflow.available(notice, staff)


def test_system_transition_runs_without_a_user_and_is_audited_as_such():
    notice = NoticeFactory(published=True)
    with transaction.atomic():
        workflow.transition_run(workflow.lock(notice), "close", by=None, verb="notice.closed", system=True, clean=False)
    assert AuditEvent.objects.get(verb="notice.closed").actor is None
