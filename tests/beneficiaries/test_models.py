"""Households and plans: validation, encryption at rest, the plan's workflow."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from beneficiaries import services
from beneficiaries.models import Household, Member, PlanStatus, SupportPlan
from housingmix.core.models import AuditEvent
from tests.beneficiaries import factories as f

pytestmark = pytest.mark.django_db


def test_refer_creates_household_members_and_referred_plan():
    worker = f.worker()
    household = f.household(by=worker)
    assert household.social_worker == worker
    assert household.members.count() == 2
    assert household.plan.status == PlanStatus.REFERRED
    event = AuditEvent.objects.get(verb="household.referred")
    assert event.actor == worker and event.data == {"members": 2, "plan": household.plan.pk}


def test_invalid_codice_fiscale_is_refused_in_italian():
    with pytest.raises(ValidationError) as error:
        f.household(members=())  # no member
    assert "almeno un componente" in str(error.value)
    bad = f.member_data(0, tax_code="RSSMRA80A01E648Z")
    with pytest.raises(ValidationError) as error:
        services.household_refer(
            by=f.worker(), members=[bad], comune=f.comune_in_ambito(), housing_situation="eviction"
        )
    assert "codice fiscale" in str(error.value)
    assert not Household.objects.exists()


def test_birth_date_must_match_the_codice_fiscale():
    wrong = f.member_data(0, birth_date=date(1985, 4, 13))
    with pytest.raises(ValidationError) as error:
        services.household_refer(
            by=f.worker(), members=[wrong], comune=f.comune_in_ambito(), housing_situation="eviction"
        )
    assert "data di nascita" in str(error.value)


def test_only_a_social_worker_refers():
    with pytest.raises(PermissionDenied):
        f.household(by=f.staff())


def test_special_category_is_encrypted_at_rest_raw_sql():
    household = f.household()
    member = household.members.order_by("pk").first()
    assert Member.objects.get(pk=member.pk).disability == f.DISABILITY
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM beneficiaries_member")
        dump = repr(cursor.fetchall())
    assert "sclerosi" not in dump and "CPS" not in dump and "75%" not in dump
    assert "Bianchetti" in dump  # names are not special categories (they are protected by access rules)
    assert Member.objects.get(pk=member.pk).needs_step_free is True
    assert household.members.order_by("pk").last().needs_step_free is None


def test_rotation_reencrypts_under_the_new_key(settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    member = f.household().members.order_by("pk").first()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("encryption_rotate", verbosity=0)
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert Member.objects.get(pk=member.pk).health_notes == f.HEALTH


def _plan_to(plan, by, *names):
    for name in names:
        if name == "sign_pact" and not plan.goals.exists():
            services.goal_add(
                plan=plan,
                by=by,
                description="Trovare lavoro",
                indicator="Contratto",
                baseline="no",
                target="sì",
                due_on=date(2027, 6, 30),
            )
        plan = services.plan_transition(plan=plan, name=name, by=by, reason="motivo %s" % name)
    return plan


def test_plan_workflow_is_dated_reasoned_and_audited():
    worker = f.worker()
    plan = f.household(by=worker).plan
    plan = _plan_to(plan, worker, "start_assessment", "start_drafting", "sign_pact")
    assert plan.status == PlanStatus.PACT_SIGNED
    assert plan.pact_signed_on is not None and plan.status_reason == "motivo sign_pact"
    verbs = list(
        AuditEvent.objects.filter(object_id=str(plan.pk), verb__startswith="plan.").values_list(
            "verb", "to_state", "reason"
        )
    )
    assert ("plan.pact_signed", "pact_signed", "motivo sign_pact") in verbs


def test_pact_cannot_be_signed_without_goals():
    worker = f.worker()
    plan = f.household(by=worker).plan
    for name in ("start_assessment", "start_drafting"):
        plan = services.plan_transition(plan=plan, name=name, by=worker)
    with pytest.raises(ValidationError):
        services.plan_transition(plan=plan, name="sign_pact", by=worker)
    assert SupportPlan.objects.get(pk=plan.pk).status == PlanStatus.PLAN_DRAFT


def test_interrupt_needs_a_reason_and_another_comune_worker_is_refused():
    worker = f.worker()
    plan = f.household(by=worker).plan
    with pytest.raises(ValidationError):
        services.plan_transition(plan=plan, name="interrupt", by=worker, reason="")
    with pytest.raises(PermissionDenied):
        services.plan_transition(plan=plan, name="start_assessment", by=f.worker("Codogno"))
    plan = services.plan_transition(plan=plan, name="interrupt", by=worker, reason="Trasferito fuori Ambito")
    assert plan.status == PlanStatus.INTERRUPTED
    assert Household.objects.get(pk=plan.household_id).closed_at is not None
