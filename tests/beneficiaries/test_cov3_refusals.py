"""The beneficiaries services' refusals on a plan just referred, each with its Italian message,
and the programme's share of the rent."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from beneficiaries import services
from beneficiaries.models import Household, HousingSituation, Match, Outcome, PlanStatus, Review
from tests.beneficiaries import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def social_worker(db):
    return f.worker()


@pytest.fixture
def plan(social_worker):
    return f.household(by=social_worker).plan


def test_the_same_tax_code_twice_in_a_household_is_refused(social_worker):
    with pytest.raises(ValidationError) as excinfo:
        services.household_refer(
            by=social_worker,
            members=[f.member_data(0), f.member_data(0)],
            comune=social_worker.comune,
            housing_situation=HousingSituation.EVICTION,
            isee_value=Decimal("6500.00"),
            monthly_budget=Decimal("350.00"),
        )
    assert excinfo.value.messages == ["Lo stesso codice fiscale compare due volte nel nucleo."]
    assert not Household.objects.exists()


def test_an_unknown_plan_transition_is_refused(plan, social_worker):
    with pytest.raises(ValidationError) as excinfo:
        services.plan_transition(plan=plan, name="delete_everything", by=social_worker)
    assert excinfo.value.messages == ["Operazione sconosciuta."]
    assert plan.status == PlanStatus.REFERRED


def test_reviews_are_recorded_only_on_plans_in_progress(plan, social_worker):
    with pytest.raises(ValidationError) as excinfo:
        services.review_record(plan=plan, by=social_worker, held_on=date(2026, 11, 30), notes="", progress={})
    assert excinfo.value.messages == ["Le verifiche si registrano sui progetti in corso."]
    assert not Review.objects.exists()


def test_the_outcome_is_recorded_only_once_the_plan_has_ended(plan, social_worker):
    with pytest.raises(ValidationError) as excinfo:
        services.outcome_record(plan=plan, by=social_worker, kind="autonomy")
    assert excinfo.value.messages == ["L'esito si registra alla conclusione del progetto."]
    assert not Outcome.objects.exists()


@pytest.mark.parametrize(("side", "decision"), [("landlord", "accepted"), ("owner", "maybe")])
def test_a_match_decision_that_does_not_exist_is_refused(social_worker, side, decision):
    with pytest.raises(ValidationError) as excinfo:
        services.match_decide(match=Match(), by=social_worker, side=side, decision=decision)
    assert excinfo.value.messages == ["Decisione non valida."]


@pytest.mark.parametrize(
    ("rent", "share", "contribution"),
    [("650.00", "350.00", "300.00"), ("300.00", "350.00", "0")],
)
def test_the_programme_pays_the_rest_of_the_rent_never_less_than_nothing(rent, share, contribution):
    assert services.placement_rent_split_default(monthly_rent=Decimal(rent), household_share=Decimal(share)) == Decimal(
        contribution
    )
