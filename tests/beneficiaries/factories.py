"""Households, plans, units of the registry and the people around them, for the beneficiaries tests."""

from datetime import date
from decimal import Decimal

from codicefiscale import codicefiscale
from django.contrib.auth.models import Permission

from beneficiaries import services
from beneficiaries.models import HousingSituation, Occupation, Relation
from housingmix.accounts.models import Membership, MembershipRole
from housingmix.accounts.roles import Role
from properties.models import RegistryEntry
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.applications.factories import HousingUnitFactory, comune, comune_in_ambito

# Known people of the flows: their names and codici fiscali must never reach a log or a URL.
PEOPLE = [
    ("Giulia", "Bianchetti", date(1985, 4, 12), "F", Relation.HEAD, Occupation.UNEMPLOYED),
    ("Luca", "Bianchetti", date(2015, 9, 3), "M", Relation.CHILD, Occupation.NONE),
    ("Anna", "Verdolini", date(1950, 1, 20), "F", Relation.HEAD, Occupation.RETIRED),
]
DISABILITY = "Invalidità civile 75%, sclerosi multipla"
HEALTH = "Terapia settimanale presso il CPS"


def tax_code(first: str, last: str, born: date, gender: str) -> str:
    return codicefiscale.encode(
        lastname=last, firstname=first, gender=gender, birthdate=born.strftime("%d/%m/%Y"), birthplace="Lodi"
    )


def member_data(index: int = 0, **overrides) -> dict:
    first, last, born, gender, relation, occupation = PEOPLE[index]
    data = {
        "first_name": first,
        "last_name": last,
        "tax_code": tax_code(first, last, born, gender),
        "birth_date": born,
        "relation": relation,
        "occupation": occupation,
    }
    data.update(overrides)
    return data


def worker(comune_name: str = "Lodi", **kwargs):
    return UserFactory(
        social_worker=True, comune=comune(comune_name) if comune_name != "Lodi" else comune_in_ambito(), **kwargs
    )


def supervisor(comune_name: str = "Lodi"):
    place = comune(comune_name) if comune_name != "Lodi" else comune_in_ambito()
    return UserFactory(roles=[Role.SOCIAL_SUPERVISOR], comune=place)


def staff(*, special: bool = False):
    user = UserFactory(staff=True)
    if special:
        user.user_permissions.add(Permission.objects.get(codename="view_special_category"))
    return user


def dpo():
    return UserFactory(roles=[Role.DPO], is_staff=True)


def ets_operator(organisation):
    user = UserFactory(roles=[Role.ETS_OPERATOR])
    Membership.objects.create(user=user, organisation=organisation, role=MembershipRole.DELEGATE)
    return user


def household(*, by=None, special: bool = True, members=(0, 1), organisation=None, **fields):
    """A household referred by ``by`` (default: a new social worker of Lodi) with a disabled head."""
    by = by or worker()
    rows = []
    for position, index in enumerate(members):
        extra = {}
        if special and position == 0:
            extra = {"disability": DISABILITY, "health_notes": HEALTH, "needs_step_free": True}
        rows.append(member_data(index, **extra))
    defaults = {
        "comune": by.comune,
        "housing_situation": HousingSituation.EVICTION,
        "isee_value": Decimal("6500.00"),
        "monthly_budget": Decimal("350.00"),
        "managing_organisation": organisation,
    }
    defaults.update(fields)
    return services.household_refer(by=by, members=rows, **defaults)


def registry_entry(**fields) -> RegistryEntry:
    """A unit in the registry (made directly: the review that puts it there is tested elsewhere)."""
    unit_fields = {k[len("unit__") :]: fields.pop(k) for k in list(fields) if k.startswith("unit__")}
    unit = HousingUnitFactory(**unit_fields)
    values = {
        "unit": unit,
        "application": unit.application,
        "comune": unit.comune,
        "available_from": date(2026, 12, 15),
        "availability_form": unit.availability_form,
        "monthly_rent": Decimal("320.00"),
        "beds": 3,
        "surface_m2": Decimal("70.00"),
        "step_free": True,
    }
    values.update(fields)
    return RegistryEntry.objects.create(**values)


def ets():
    return OrganisationFactory()
