"""The review services' refusals, each with the message the reviewer or the offerer reads, and
the idempotent no-ops (a second identical save, the same reviewer assigned twice)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from applications.models import (
    ApplicationStatus,
    CheckItem,
    CheckOutcome,
    DecisionKind,
    InfoRequest,
    ReviewCheck,
    UnitOutcomeKind,
    VisitCheckItem,
)
from applications.review import services as review
from housingmix.core.models import AuditEvent
from tests.applications.conftest import pdf_upload
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

NOT_ALLOWED = "Operazione non consentita: la manifestazione è nello stato «%s»."


def _events(application, verb):
    return AuditEvent.objects.filter(object_id=str(application.pk), verb=verb)


def _messages(excinfo) -> list[str]:
    return list(excinfo.value.messages)


def _field_messages(excinfo, field) -> list[str]:
    return excinfo.value.message_dict[field]


@pytest.fixture
def reviewing(application, staff, run_on_commit):
    """The two-unit manifestation under review, assigned to Ambito staff."""
    return run_on_commit(review.review_assign, application=application, reviewer=staff, by=staff)


# --- Assignment --------------------------------------------------------------------


def test_assigning_the_same_reviewer_again_changes_nothing(reviewing, staff, run_on_commit):
    sent = len(mail.outbox)
    again = run_on_commit(review.review_assign, application=reviewing, reviewer=staff, by=staff)
    assert again.assigned_to_id == staff.pk
    assert not _events(reviewing, "application.reassigned").exists()
    assert len(mail.outbox) == sent  # nobody is told twice


def test_a_withdrawn_manifestation_cannot_be_assigned(staff):
    withdrawn = ApplicationFactory(withdrawn=True)
    with pytest.raises(ValidationError) as excinfo:
        review.review_assign(application=withdrawn, reviewer=staff, by=staff)
    assert _messages(excinfo) == [NOT_ALLOWED % "Ritirata"]
    assert withdrawn.assigned_to_id is None


# --- Checklist and notes -----------------------------------------------------------


def test_checks_on_a_unit_of_another_manifestation_are_refused(reviewing, staff):
    other = ApplicationFactory(submitted=True)
    with pytest.raises(PermissionDenied):
        review.review_checks_save(
            application=reviewing, unit=other.units.get(), checks={CheckItem.values[0]: ("", "")}, by=staff
        )
    assert not ReviewCheck.objects.exists()


def test_checks_are_recorded_only_during_the_review(staff):
    eligible = ApplicationFactory(eligible=True, lifecycle__decider=staff)
    with pytest.raises(ValidationError) as excinfo:
        review.review_checks_save(
            application=eligible,
            unit=eligible.units.first(),
            checks={CheckItem.values[0]: (CheckOutcome.values[0], "")},
            by=staff,
        )
    assert _messages(excinfo) == ["La verifica si registra solo durante l'istruttoria."]


@pytest.mark.parametrize("checks", [{"voce_inventata": ("", "")}, {CheckItem.values[0]: ("forse", "")}])
def test_an_unknown_item_or_outcome_is_refused(reviewing, staff, checks):
    with pytest.raises(ValidationError) as excinfo:
        review.review_checks_save(application=reviewing, unit=reviewing.units.first(), checks=checks, by=staff)
    assert _messages(excinfo) == ["Esito non valido."]
    assert not ReviewCheck.objects.exists()


def test_saving_the_same_checks_twice_records_one_audit_event(reviewing, staff):
    unit = reviewing.units.first()
    checks = {CheckItem.values[0]: (CheckOutcome.values[0], " visura conforme ")}
    first = review.review_checks_save(application=reviewing, unit=unit, checks=checks, by=staff)
    second = review.review_checks_save(application=reviewing, unit=unit, checks=checks, by=staff)
    assert [c.pk for c in first] == [c.pk for c in second]
    assert second[0].note == "visura conforme"
    assert _events(reviewing, "application.checks_recorded").count() == 1


def test_an_empty_internal_note_is_refused(reviewing, staff):
    with pytest.raises(ValidationError) as excinfo:
        review.review_note_add(application=reviewing, text="   ", by=staff)
    assert _field_messages(excinfo, "text") == ["Scrivi il testo della nota."]


# --- Soccorso istruttorio ----------------------------------------------------------


def test_an_info_request_needs_its_items_and_a_future_deadline(reviewing, staff):
    with pytest.raises(ValidationError) as excinfo:
        review.info_request_create(application=reviewing, items=" ", by=staff)
    assert _field_messages(excinfo, "items") == ["Elenca i documenti o i chiarimenti richiesti."]
    with pytest.raises(ValidationError) as excinfo:
        review.info_request_create(application=reviewing, items="Visura", by=staff, deadline=timezone.localdate())
    assert _field_messages(excinfo, "deadline") == ["Il termine deve essere successivo a oggi."]
    assert not InfoRequest.objects.exists()


@pytest.fixture
def info_requested(reviewing, staff, run_on_commit):
    run_on_commit(review.info_request_create, application=reviewing, items="Planimetria aggiornata", by=staff)
    return reviewing


def test_an_empty_integration_is_refused(info_requested):
    with pytest.raises(ValidationError) as excinfo:
        review.info_request_answer(application=info_requested, by=info_requested.created_by, text="  ")
    assert _messages(excinfo) == ["Carica almeno un documento o scrivi un chiarimento."]


def test_an_integration_about_a_unit_of_another_manifestation_is_refused(info_requested):
    other = ApplicationFactory(submitted=True)
    with pytest.raises(ValidationError) as excinfo:
        review.info_request_answer(
            application=info_requested,
            by=info_requested.created_by,
            uploads=[(pdf_upload(), "floor_plan", other.units.get().pk)],
        )
    assert _messages(excinfo) == ["L'alloggio indicato non fa parte della manifestazione."]
    assert not info_requested.attachments.filter(is_integration=True).exists()


def test_resuming_the_review_needs_a_reason(info_requested, staff):
    with pytest.raises(ValidationError) as excinfo:
        review.review_resume(application=info_requested, by=staff, reason="")
    assert _field_messages(excinfo, "reason") == ["Indica il motivo."]


# --- Site visit --------------------------------------------------------------------


def _visit(application, by, **kwargs):
    values = {"visit_date": timezone.localdate(), "attendees": "Sara Neri", "outcomes": {}}
    values.update(kwargs)
    return review.site_visit_record(application=application, by=by, **values)


def test_a_site_visit_needs_who_was_there_and_a_past_date(reviewing, staff):
    with pytest.raises(ValidationError) as excinfo:
        _visit(reviewing, staff, attendees=" ")
    assert _field_messages(excinfo, "attendees") == ["Indica chi era presente."]
    with pytest.raises(ValidationError) as excinfo:
        _visit(reviewing, staff, visit_date=timezone.localdate() + timedelta(days=1))
    assert _field_messages(excinfo, "visit_date") == ["Il sopralluogo si registra dopo averlo svolto."]


def test_no_site_visit_while_waiting_for_an_integration(info_requested, staff):
    with pytest.raises(ValidationError) as excinfo:
        _visit(info_requested, staff)
    assert _messages(excinfo) == [NOT_ALLOWED % "Integrazione richiesta"]


@pytest.mark.parametrize(
    "checks",
    [{VisitCheckItem.values[0]: ("forse", "")}, {VisitCheckItem.NOTES: (CheckOutcome.values[0], "nota")}],
)
def test_a_visit_outcome_that_does_not_exist_is_refused(reviewing, staff, checks):
    unit = reviewing.units.first()
    with pytest.raises(ValidationError) as excinfo:
        _visit(reviewing, staff, units=[unit], outcomes={unit.pk: checks})
    assert _messages(excinfo) == ["Esito non valido."]


def test_a_visit_of_a_unit_of_another_manifestation_is_refused(reviewing, staff):
    other = ApplicationFactory(submitted=True)
    with pytest.raises(ValidationError) as excinfo:
        _visit(reviewing, staff, units=[other.units.get()])
    assert _field_messages(excinfo, "units") == ["Scegli uno o più alloggi della manifestazione."]


def test_a_visit_is_planned_in_the_future_and_during_the_review(reviewing, staff, info_requested):
    with pytest.raises(ValidationError) as excinfo:
        review.site_visit_plan(application=reviewing, by=staff, starts_at=timezone.now() - timedelta(hours=1))
    assert _field_messages(excinfo, "starts_at") == ["Il sopralluogo si programma per una data futura."]
    with pytest.raises(ValidationError) as excinfo:
        review.site_visit_plan(application=info_requested, by=staff, starts_at=timezone.now() + timedelta(days=3))
    assert _messages(excinfo) == [NOT_ALLOWED % "Integrazione richiesta"]


# --- Outcomes and decisions --------------------------------------------------------


def test_an_outcome_is_proposed_only_during_the_review(info_requested, staff):
    with pytest.raises(ValidationError) as excinfo:
        review.outcome_propose(application=info_requested, by=staff, outcome=DecisionKind.ELIGIBLE, reasons="x")
    assert _messages(excinfo) == ["La proposta di esito si formula durante l'istruttoria."]


def test_a_decision_needs_its_reasons(reviewing, staff):
    with pytest.raises(ValidationError) as excinfo:
        review.refusal_notice_issue(application=reviewing, by=staff, reasons="  ")
    assert _field_messages(excinfo, "reasons") == ["Scrivi la motivazione."]


def test_eligible_with_an_empty_choice_of_units_is_refused(reviewing, staff):
    with pytest.raises(ValidationError) as excinfo:
        review.decision_eligible(application=reviewing, by=staff, reasons="Conforme", units=[])
    assert _field_messages(excinfo, "units") == ["Scegli almeno un alloggio idoneo."]


def test_units_are_not_decided_once_the_manifestation_is_withdrawn(staff):
    withdrawn = ApplicationFactory(withdrawn=True)
    with pytest.raises(ValidationError) as excinfo:
        review.units_decide(application=withdrawn, by=staff, reasons="x", outcomes={})
    assert _messages(excinfo) == [NOT_ALLOWED % "Ritirata"]


def test_not_eligible_is_not_an_outcome_during_the_review(reviewing, staff):
    outcomes = {u.pk: (UnitOutcomeKind.NOT_ELIGIBLE, "x") for u in reviewing.units.all()}
    with pytest.raises(ValidationError) as excinfo:
        review.units_decide(application=reviewing, by=staff, reasons="x", outcomes=outcomes)
    assert _messages(excinfo) == [NOT_ALLOWED % "In istruttoria"]


def test_every_unit_needs_an_outcome_and_eligible_needs_the_site_visit(reviewing, staff):
    first, second = reviewing.units.order_by("position")
    with pytest.raises(ValidationError) as excinfo:
        review.units_decide(
            application=reviewing, by=staff, reasons="x", outcomes={first.pk: (UnitOutcomeKind.REFUSAL_NOTICE, "x")}
        )
    assert _messages(excinfo) == ["Scegli l'esito dell'alloggio %s." % second.display_name]
    outcomes = {u.pk: (UnitOutcomeKind.ELIGIBLE, "") for u in (first, second)}
    with pytest.raises(ValidationError) as excinfo:
        review.units_decide(application=reviewing, by=staff, reasons="x", outcomes=outcomes)
    assert _messages(excinfo) == ["Un alloggio si dichiara idoneo dopo il sopralluogo."]
    assert reviewing.status == ApplicationStatus.UNDER_REVIEW


def test_an_eligible_unit_without_a_comune_cannot_enter_the_registry(reviewing, staff):
    _visit(reviewing, staff)
    first = reviewing.units.order_by("position").first()
    type(first).objects.filter(pk=first.pk).update(comune=None)
    with pytest.raises(ValidationError) as excinfo:
        review.decision_eligible(application=reviewing, by=staff, reasons="Conforme")
    assert "Un alloggio senza comune non può entrare nel registro." in _messages(excinfo)


# --- The offerer's observations ----------------------------------------------------


def test_observations_only_by_the_owner_and_only_on_a_preavviso(reviewing, staff):
    with pytest.raises(PermissionDenied):
        review.refusal_reply(application=reviewing, by=staff, text="Osservazioni")
    with pytest.raises(ValidationError) as excinfo:
        review.refusal_reply(application=reviewing, by=reviewing.created_by, text="Osservazioni")
    assert _messages(excinfo) == ["Non ci sono preavvisi di diniego a cui rispondere."]
