"""The transition runner's refusals word for word, its defaults, and the kinds of permission a
django-fsm transition may carry (a rules name, a function, none)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from housingmix.accounts.models import User
from housingmix.core import workflow
from housingmix.core.models import AuditEvent
from housingmix.notices.models import Notice, NoticeStatus
from tests.accounts.factories import UserFactory
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db


def _publish_transition(notice):
    return workflow._available_now(notice)["publish"]


def test_a_stale_page_is_told_in_full_what_happened_and_what_to_do():
    notice = NoticeFactory(published=True)
    with pytest.raises(workflow.StaleTransition) as error, transaction.atomic():
        workflow.lock(notice, expected_status=NoticeStatus.DRAFT)
    assert error.value.messages == [
        "Nel frattempo la pratica è stata modificata da un altro utente (ora è «Pubblicato»): "
        "ricarica la pagina e verifica prima di procedere."
    ]


def test_the_refusals_of_an_illegal_state_and_of_a_missing_permission_read_in_full():
    notice = NoticeFactory()
    with pytest.raises(ValidationError) as illegal, transaction.atomic():
        workflow.transition_run(workflow.lock(notice), "close", by=UserFactory(staff=True), verb="notice.closed")
    assert illegal.value.messages == ["Operazione non consentita: la pratica è nello stato «Bozza»."]
    with pytest.raises(PermissionDenied) as denied, transaction.atomic():
        workflow.transition_run(workflow.lock(notice), "publish", by=UserFactory(offerer=True), verb="notice.published")
    assert str(denied.value) == "Non hai i permessi per questa operazione su questa pratica."


def test_a_state_outside_the_choices_is_named_as_stored():
    # e.g. a row written before a state was renamed: shown as stored, not as "None".
    assert workflow.state_label(Notice(status="sconosciuto")) == "sconosciuto"
    assert workflow.state_label(Notice(status=NoticeStatus.CLOSED)) == "Chiuso"


def test_a_model_without_a_state_field_is_a_programming_error_named_by_model():
    with pytest.raises(TypeError, match=r"^accounts\.User has no FSM field$"):
        workflow.state_field(User)


def test_the_record_is_validated_by_default_and_nothing_is_saved_when_it_is_invalid():
    notice = NoticeFactory(contact_email="non-è-una-mail")
    with pytest.raises(ValidationError) as error, transaction.atomic():
        workflow.transition_run(workflow.lock(notice), "publish", by=UserFactory(staff=True), verb="notice.published")
    assert "contact_email" in error.value.message_dict
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.DRAFT
    assert not AuditEvent.objects.filter(verb="notice.published").exists()


def test_without_a_reason_the_audit_records_none_and_a_system_run_no_actor_even_if_one_is_given():
    staff = UserFactory(staff=True)
    notice = NoticeFactory(published=True)
    with transaction.atomic():
        workflow.transition_run(
            workflow.lock(notice), "close", by=staff, verb="notice.closed", system=True, clean=False
        )
    event = AuditEvent.objects.get(verb="notice.closed")
    assert (event.actor, event.reason) == (None, "")


def test_a_permission_given_as_a_function_is_asked_with_the_record_and_the_user(monkeypatch):
    notice = NoticeFactory()
    allowed, refused = UserFactory(), UserFactory()
    asked = []

    def only_allowed(instance, user):
        asked.append((instance, user))
        return user == allowed and instance == notice

    monkeypatch.setattr(_publish_transition(notice), "permission", only_allowed)
    assert workflow.permitted(notice, "publish", allowed) is True
    assert workflow.permitted(notice, "publish", refused) is False
    assert workflow.available(notice, allowed, ["publish"]) == {"publish": True}
    assert workflow.available(notice, refused, ["publish"]) == {"publish": False}
    assert asked == [(notice, allowed), (notice, refused), (notice, allowed), (notice, refused)]


def test_a_transition_without_a_permission_is_open_to_anybody_while_a_rules_one_is_per_record(monkeypatch):
    notice = NoticeFactory()
    offerer = UserFactory(offerer=True)
    assert workflow.available(notice, offerer, ["publish"]) == {"publish": False}
    monkeypatch.setattr(_publish_transition(notice), "permission", None)
    assert workflow.permitted(notice, "publish", offerer) is True
    assert workflow.available(notice, offerer, ["publish"]) == {"publish": True}
    assert workflow.permitted(notice, "archive", offerer) is False


def test_available_and_permitted_ask_rules_about_this_record():
    from tests.applications.factories import ApplicationFactory

    draft = ApplicationFactory()
    owner, other = draft.created_by, UserFactory(offerer=True)
    # applications.submit is granted on the object (its owner, while a draft): asked without the
    # record, nobody would be its owner.
    assert workflow.available(draft, owner, ["submit"]) == {"submit": True}
    assert workflow.permitted(draft, "submit", owner) is True
    assert workflow.available(draft, other, ["submit"]) == {"submit": False}
    assert workflow.permitted(draft, "submit", other) is False


def test_the_reason_and_the_data_given_go_into_the_audit_trail():
    staff = UserFactory(staff=True)
    notice = NoticeFactory(published=True)
    with transaction.atomic():
        workflow.transition_run(
            workflow.lock(notice),
            "withdraw",
            by=staff,
            verb="notice.withdrawn",
            reason="Errore nei requisiti",
            data={"atto": "12/2027"},
            clean=False,
            motive="Errore nei requisiti",
        )
    event = AuditEvent.objects.get(verb="notice.withdrawn")
    assert (event.actor, event.reason, event.data) == (staff, "Errore nei requisiti", {"atto": "12/2027"})
