"""The surface-per-occupant rule (D.M. Sanità 5 luglio 1975): 28 m² for one, 38 for two, +10 each."""

from decimal import Decimal

import pytest

from properties.fitness import max_occupants, required_surface, unit_fit
from properties.models import HousingUnit


@pytest.mark.parametrize("people, m2", [(0, 0), (1, 28), (2, 38), (3, 48), (4, 58), (6, 78)])
def test_required_surface(people, m2):
    assert required_surface(people) == m2


@pytest.mark.parametrize("m2, people", [(None, 0), ("27.99", 0), (28, 1), ("37.9", 1), (38, 2), ("57.99", 3), (58, 4)])
def test_max_occupants(m2, people):
    assert max_occupants(m2) == people


def test_the_rule_is_a_setting(settings):
    settings.REVIEW_SURFACE_PER_OCCUPANT = (30, 45, 15)
    assert [required_surface(n) for n in (1, 2, 3)] == [30, 45, 60]


def test_unit_fit_by_beds():
    assert unit_fit(HousingUnit(beds=3, surface_m2=Decimal("48"))).ok is True
    fit = unit_fit(HousingUnit(beds=3, surface_m2=Decimal("47.5")))
    assert (fit.ok, fit.required_m2, fit.max_occupants) == (False, 48, 2)
    assert unit_fit(HousingUnit(beds=None, surface_m2=Decimal("50"))).ok is None
