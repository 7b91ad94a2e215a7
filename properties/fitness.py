"""The surface-per-occupant rule of the review checklist (DOMAIN.md, "fitness for target").

D.M. Sanità 5 luglio 1975, art. 2: at least 28 m² for one person, 38 for two and 10 more
for each further person. The figures are a setting (REVIEW_SURFACE_PER_OCCUPANT).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings


def required_surface(occupants: int) -> int:
    """The minimum surface in m² for ``occupants`` people (0 for nobody)."""
    first, second, each_more = settings.REVIEW_SURFACE_PER_OCCUPANT
    if occupants <= 0:
        return 0
    if occupants == 1:
        return first
    return second + each_more * (occupants - 2)


def max_occupants(surface_m2) -> int:
    """How many people the surface allows under the rule."""
    if surface_m2 is None:
        return 0
    surface = Decimal(surface_m2)
    people = 0
    while required_surface(people + 1) <= surface:
        people += 1
    return people


@dataclass(frozen=True)
class Fit:
    beds: int | None
    surface_m2: Decimal | None
    required_m2: int | None
    max_occupants: int
    ok: bool | None  # None: data missing, the reviewer decides


def unit_fit(unit) -> Fit:
    """Whether the unit's surface fits its beds (one occupant per bed)."""
    if unit.beds is None or unit.surface_m2 is None:
        return Fit(unit.beds, unit.surface_m2, None, max_occupants(unit.surface_m2), None)
    required = required_surface(unit.beds)
    return Fit(unit.beds, unit.surface_m2, required, max_occupants(unit.surface_m2), unit.surface_m2 >= required)
