"""Matching with reasons, one household per unit, decisions, placements, registration reminders,
reviews and follow-ups on schedule, pseudonymisation after retention."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from beneficiaries import matching, services
from beneficiaries.models import ContractKind, FollowUp, Household, Match, MatchStatus, Member, PlanStatus, SupportPlan
from housingmix.core.models import AuditEvent, OutgoingEmail
from properties.models import RegistryEntry, UnitAvailability
from tests.accounts.factories import UserFactory
from tests.applications.factories import comune
from tests.beneficiaries import factories as f

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


def _codes(assessment):
    return {r.code: r.ok for r in assessment.reasons}


@time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=ROME), tick=False)
def test_units_ranked_with_reasons():
    household = f.household(members=(0, 1))  # two people, one needs step-free access
    good = f.registry_entry(beds=2, surface_m2=Decimal("40"), step_free=True, monthly_rent=Decimal("300"))
    far = f.registry_entry(
        beds=3, surface_m2=Decimal("60"), step_free=True, monthly_rent=Decimal("500"), comune=comune("Codogno")
    )
    small = f.registry_entry(beds=2, surface_m2=Decimal("30"), step_free=True)
    stairs = f.registry_entry(beds=4, surface_m2=Decimal("90"), step_free=False)
    few_beds = f.registry_entry(beds=1, surface_m2=Decimal("60"), step_free=True)
    needs, queryset = matching.units_for(household=household)
    assert needs.occupants == 2 and needs.required_m2 == 38 and needs.step_free
    assert list(queryset) == [good, far]  # fitting only; the preferred comune and the rent rank first
    reasons = _codes(matching.unit_assessment(household=household, entry=far))
    assert reasons["comune"] is False and reasons["rent"] is False and reasons["beds"] is True
    assert _codes(matching.unit_assessment(household=household, entry=small))["surface"] is False
    assert _codes(matching.unit_assessment(household=household, entry=stairs))["step_free"] is False
    assert _codes(matching.unit_assessment(household=household, entry=few_beds))["beds"] is False
    _needs, everything = matching.units_for(household=household, fitting_only=False)
    rows = list(everything)
    assert rows[:2] == [good, far] and set(rows[2:]) == {small, stairs, few_beds}
    text = matching.unit_assessment(household=household, entry=small)
    assert "30" in [r for r in text.reasons if r.code == "surface"][0].text


def test_a_unit_is_never_proposed_to_two_households():
    staff = f.staff()
    entry = f.registry_entry()
    first, second = f.household(), f.household()
    services.match_propose(household=first, entry=entry, by=staff)
    assert RegistryEntry.objects.get(pk=entry.pk).availability == UnitAvailability.MATCHED
    with pytest.raises(ValidationError):
        services.match_propose(household=second, entry=entry, by=staff)
    # The database holds it even without the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.create(household=second, entry=entry, proposed_by=staff)
    assert Match.objects.filter(entry=entry).count() == 1


def test_only_staff_propose():
    with pytest.raises(PermissionDenied):
        services.match_propose(household=f.household(), entry=f.registry_entry(), by=f.worker())


def test_decline_keeps_its_reason_and_frees_the_unit():
    staff = f.staff()
    household = f.household()
    entry = f.registry_entry()
    match = services.match_propose(household=household, entry=entry, by=staff)
    owner = entry.application.created_by
    with pytest.raises(ValidationError):
        services.match_decide(match=match, by=owner, side="owner", decision="declined", reason="")
    with pytest.raises(PermissionDenied):
        services.match_decide(match=match, by=f.worker(), side="worker", decision="accepted")
    match = services.match_decide(
        match=match, by=owner, side="owner", decision="declined", reason="Preferisco un anziano"
    )
    assert match.status == MatchStatus.DECLINED and match.owner_reason == "Preferisco un anziano"
    assert RegistryEntry.objects.get(pk=entry.pk).availability == UnitAvailability.AVAILABLE
    services.match_propose(household=f.household(), entry=entry, by=staff)  # free again


def _accepted_match(household=None, **entry_fields):
    staff = f.staff()
    household = household or f.household()
    entry = f.registry_entry(**entry_fields)
    match = services.match_propose(household=household, entry=entry, by=staff)
    services.match_decide(match=match, by=entry.application.created_by, side="owner", decision="accepted")
    match = services.match_decide(match=match, by=household.social_worker, side="worker", decision="accepted")
    assert match.status == MatchStatus.ACCEPTED
    return match


LEASE = {
    "contract_kind": ContractKind.LEASE_TRANSITIONAL,
    "signed_on": date(2026, 12, 1),
    "start_on": date(2026, 12, 15),
    "end_on": date(2027, 12, 14),
    "monthly_rent": Decimal("320"),
    "household_share": Decimal("120"),
    "contribution_share": Decimal("200"),
    "deposit": Decimal("640"),
}


def test_placement_validates_contract_and_split():
    match = _accepted_match()
    worker = match.household.social_worker
    with pytest.raises(ValidationError) as error:
        services.placement_create(match=match, by=worker, **{**LEASE, "end_on": date(2028, 12, 14)})
    assert "18 mesi" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.placement_create(match=match, by=worker, **{**LEASE, "household_share": Decimal("100")})
    assert "sommare" in str(error.value)
    placement = services.placement_create(match=match, by=worker, **LEASE)
    assert RegistryEntry.objects.get(pk=match.entry_id).availability == UnitAvailability.CONTRACT_SIGNED
    assert placement.registration_deadline == date(2026, 12, 31)


def test_registration_reminder_and_overdue_list_over_time(client):
    match = _accepted_match()
    worker = match.household.social_worker
    placement = services.placement_create(match=match, by=worker, **LEASE)
    with time_machine.travel(datetime(2026, 12, 10, 9, tzinfo=ROME), tick=False):
        assert services.registrations_remind() == 0  # deadline 31/12, more than a week away
        assert services.placements_overdue() == []
    with time_machine.travel(datetime(2026, 12, 26, 9, tzinfo=ROME), tick=False):
        assert services.registrations_remind() == 1
        assert services.registrations_remind() == 0  # once
        assert OutgoingEmail.objects.filter(to=[worker.email], subject__contains=match.household.code).exists()
    with time_machine.travel(datetime(2027, 1, 2, 9, tzinfo=ROME), tick=False):
        assert services.placements_overdue() == [placement]
        staff = f.staff()
        client.force_login(staff, backend="housingmix.accounts.backends.AuthenticationBackend")
        page = client.get(reverse("beneficiaries:registrations_overdue"))
        assert page.status_code == 200 and match.household.code in page.content.decode()
        services.placement_register(placement=placement, by=worker, registered_on=date(2027, 1, 2), code="TRX26T001234")
        assert services.placements_overdue() == []
    event = AuditEvent.objects.get(verb="placement.registered")
    assert event.data["late"] is True


def test_tasks_are_in_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "beneficiaries.tasks.registrations_remind_task",
        "beneficiaries.tasks.reviews_remind_task",
        "beneficiaries.tasks.follow_ups_remind_task",
        "beneficiaries.tasks.households_pseudonymise_task",
    } <= tasks


def _to_active(match):
    worker = match.household.social_worker
    plan = match.household.plan
    for name in ("start_assessment", "start_drafting"):
        plan = services.plan_transition(plan=plan, name=name, by=worker)
    goal = services.goal_add(
        plan=plan, by=worker, description="Lavoro stabile", indicator="Contratto", baseline="no", target="sì",
        due_on=date(2027, 9, 30),
    )  # fmt: skip
    plan = services.plan_transition(plan=plan, name="sign_pact", by=worker)
    placement = services.placement_create(match=match, by=worker, **LEASE)
    assert SupportPlan.objects.get(pk=plan.pk).status == PlanStatus.PLACED
    services.placement_move_in(placement=placement, by=worker)
    assert RegistryEntry.objects.get(pk=match.entry_id).availability == UnitAvailability.IN_USE
    return SupportPlan.objects.get(pk=plan.pk), goal


def test_review_reminded_then_recorded_and_follow_ups_after_positive_end():
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=ROME), tick=False):
        match = _accepted_match()
        plan, goal = _to_active(match)
        assert plan.status == PlanStatus.ACTIVE and plan.next_review_on == date(2027, 3, 1)
    worker = match.household.social_worker
    with time_machine.travel(datetime(2027, 2, 26, 9, tzinfo=ROME), tick=False):
        assert services.reviews_remind_due() == 1
        assert services.reviews_remind_due() == 0
        services.review_record(
            plan=plan,
            by=worker,
            held_on=date(2027, 2, 26),
            notes="",
            progress={goal.pk: {"value": "sì", "reached": True}},
        )
        assert SupportPlan.objects.get(pk=plan.pk).next_review_on == date(2027, 5, 26)
        plan = services.plan_transition(plan=plan, name="end_positive", by=worker, reason="Contratto a proprio nome")
        services.outcome_record(plan=plan, by=worker, kind="autonomous")
    assert list(FollowUp.objects.values_list("months", "due_on")) == [(6, date(2027, 8, 26)), (12, date(2028, 2, 26))]
    with time_machine.travel(datetime(2027, 8, 27, 9, tzinfo=ROME), tick=False):
        assert services.follow_ups_remind_due() == 1
        assert services.follow_ups_remind_due() == 0
    assert OutgoingEmail.objects.filter(subject__contains="6 mesi").exists()


def test_pseudonymisation_after_retention_keeps_aggregates(settings):
    settings.BENEFICIARIES_RETENTION_DAYS = 365
    worker = f.worker()
    with time_machine.travel(datetime(2026, 1, 10, 9, tzinfo=ROME), tick=False):
        household = f.household(by=worker)
        services.plan_transition(plan=household.plan, name="interrupt", by=worker, reason="Rinuncia")
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=ROME), tick=False):
        assert services.households_pseudonymise() == 0
    with time_machine.travel(datetime(2027, 1, 11, 9, tzinfo=ROME), tick=False):
        assert services.households_pseudonymise() == 1
        assert services.households_pseudonymise() == 0
    member = Member.objects.filter(household=household).order_by("pk").first()
    assert (
        member.last_name.startswith(household.code)
        and member.disability == ""
        and member.birth_date == date(1985, 1, 1)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT first_name, last_name, tax_code FROM beneficiaries_member")
        assert "Bianchetti" not in repr(cursor.fetchall())
    assert Household.objects.get(pk=household.pk).plan.status == PlanStatus.INTERRUPTED  # the aggregates stay


def test_match_pages_owner_and_worker_decide(client):
    household = f.household()
    entry = f.registry_entry()
    staff = f.staff()
    client.force_login(staff, backend="housingmix.accounts.backends.AuthenticationBackend")
    page = client.get(reverse("beneficiaries:units", args=[household.pk]))
    assert page.status_code == 200 and "Proponi" in page.content.decode()
    client.post(reverse("beneficiaries:match_propose", args=[household.pk, entry.pk]))
    match = Match.objects.get(household=household)
    for user, side in ((entry.application.created_by, "owner"), (household.social_worker, "worker")):
        client.force_login(user, backend="housingmix.accounts.backends.AuthenticationBackend")
        assert client.get(reverse("beneficiaries:match_decide", args=[match.pk])).status_code == 200
        response = client.post(reverse("beneficiaries:match_decide", args=[match.pk]), {"decision": "accepted"})
        assert response.status_code == 302, side
    assert Match.objects.get(pk=match.pk).status == MatchStatus.ACCEPTED
    client.force_login(UserFactory(offerer=True), backend="housingmix.accounts.backends.AuthenticationBackend")
    assert client.get(reverse("beneficiaries:match_decide", args=[match.pk])).status_code == 404
    client.force_login(household.social_worker, backend="housingmix.accounts.backends.AuthenticationBackend")
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in LEASE.items()}
    response = client.post(reverse("beneficiaries:placement_create", args=[match.pk]), data)
    assert response.status_code == 302
    assert household.placements.count() == 1
