"""Matching's ranking and reasons pinned on a small hand-built registry, and its queries: a fixed
number whatever the size of the registry."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries import matching, selectors
from beneficiaries.models import Household
from properties.models import Target, UnitAvailability
from tests.applications.factories import ApplicationFactory, comune
from tests.beneficiaries import factories as f

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Europe/Rome"))  # "soon" runs to 01/03/2027
LATE = date(2027, 6, 1)

# The reasons of a unit that passes every rule (the household: two people, one needing step-free
# access, Lodi, €350 a month), in their order; each unit below states only where it differs.
FITS = {
    "availability": (True, "Alloggio disponibile per un abbinamento."),
    "beds": (True, "3 posti letto per 2 persone."),
    "surface": (True, "70.00 m² per 2 persone: ne servono almeno 38."),
    "step_free": (True, "Accesso senza barriere architettoniche richiesto: presente."),
    "comune": (True, "Nel comune preferito dal nucleo (Lodi)."),
    "rent": (True, "Canone € 320,00 entro la quota sostenibile di € 350,00."),
    "dates": (True, "Disponibile subito o entro tre mesi."),
    "target": (True, "Destinatari indicati dal proprietario compatibili con il nucleo."),
}
CODOGNO = (False, "Fuori dai comuni preferiti (Codogno).")
RENT_300 = (True, "Canone € 300,00 entro la quota sostenibile di € 350,00.")
RENT_500 = (False, "Canone € 500,00 oltre la quota sostenibile di € 350,00.")
LATER = (False, "Disponibile solo dal 01/06/2027.")
DIFFERENCES = {
    "A": {"rent": RENT_300},
    "B": {"rent": RENT_300},
    "C": {"comune": CODOGNO, "rent": RENT_300},
    "D": {"rent": RENT_500, "target": (False, "Il proprietario preferisce altri destinatari.")},
    "E": {"rent": (True, "Nessun canone (comodato, concessione o ospitalità)."), "dates": LATER},
    "F": {"comune": CODOGNO, "rent": RENT_500, "dates": LATER},
    "G": {"comune": CODOGNO, "rent": RENT_500},
    "H": {"beds": (False, "1 posti letto per 2 persone."), "rent": RENT_300},
    "I": {"surface": (False, "30.00 m² per 2 persone: ne servono almeno 38."), "rent": RENT_300},
    "J": {"step_free": (False, "Accesso senza barriere architettoniche richiesto: assente."), "comune": CODOGNO},
    "K": {"availability": (False, "Alloggio non disponibile: Abbinato a un nucleo.")},
    "L": {"beds": (None, "Posti letto non indicati.")},
    "M": {"surface": (None, "Superficie non indicata."), "comune": CODOGNO, "dates": LATER},
}


def _registry() -> dict:
    """Units in Lodi unless said, 3 beds, 70 m², step-free, €320, available from 15/12/2026."""
    codogno = comune("Codogno")
    rent = lambda amount: {"monthly_rent": None if amount is None else Decimal(amount)}  # noqa: E731
    return {
        # Three points (preferred comune, rent, soon): the sooner first.
        "A": f.registry_entry(**rent(300), unit__targets=[Target.FAMILIES]),
        "B": f.registry_entry(**rent(300), available_from=date(2026, 12, 10)),
        # Two points: the sooner first, C before D on the same day (created first).
        "C": f.registry_entry(comune=codogno, **rent(300), available_from=date(2026, 12, 5)),
        "D": f.registry_entry(**rent(500), available_from=date(2026, 12, 5), unit__targets=[Target.ELDERLY]),
        "E": f.registry_entry(**rent(None), available_from=LATE),
        # One point (no date counts as available now), then none.
        "G": f.registry_entry(comune=codogno, **rent(500), available_from=None),
        "F": f.registry_entry(comune=codogno, **rent(500), available_from=LATE),
        # Not fitting, listed only with the others: by points, then date.
        "H": f.registry_entry(beds=1, **rent(300), available_from=date(2026, 12, 20)),
        "I": f.registry_entry(surface_m2=Decimal("30"), **rent(300), available_from=date(2026, 12, 1)),
        "J": f.registry_entry(step_free=False, comune=codogno, available_from=date(2026, 12, 2)),
        "K": f.registry_entry(availability=UnitAvailability.MATCHED, available_from=date(2026, 12, 3)),
        # A rule without its data does not fit (and ranks among those that do not, on either database).
        "L": f.registry_entry(beds=None, available_from=date(2026, 12, 4)),
        "M": f.registry_entry(surface_m2=None, comune=codogno, available_from=LATE),
        # Out of the programme: never listed.
        "N": f.registry_entry(is_available=False),
    }


# The registry of ``_registry()`` ranked for the household of two, fitting units only and all.
ORDERS = ((True, "BACDEGF"), (False, "BACDEGFIKLHJM"))


def _expected(name: str) -> list[tuple]:
    return [(code, *DIFFERENCES[name].get(code, reason)) for code, reason in FITS.items()]


@time_machine.travel(NOW, tick=False)
def test_ranking_order_and_reasons_are_pinned():
    household = f.household(members=(0, 1))
    entries = _registry()
    name = {entry.pk: key for key, entry in entries.items()}
    for fitting_only, order in ORDERS:
        needs, queryset = matching.units_for(household=household, fitting_only=fitting_only)
        assert queryset.count() == len(order)
        rows = matching.page_assessments(needs=needs, entries=queryset[:25])
        assert "".join(name[row.entry.pk] for row in rows) == order
        for row in rows:
            assert [(r.code, r.ok, r.text) for r in row.reasons] == _expected(name[row.entry.pk])
            assert row.fits == (name[row.entry.pk] in "ABCDEFG")
            single = matching.unit_assessment(household=household, entry=row.entry)
            assert single.reasons == row.reasons  # one unit alone (a proposal) reads the same
        # Pages follow each other in the same order.
        pages = [matching.page_assessments(needs=needs, entries=queryset[i : i + 3]) for i in range(0, len(order), 3)]
        assert "".join(name[row.entry.pk] for page in pages for row in page) == order
    assert [row.score for row in matching.page_assessments(needs=needs, entries=queryset[:3])] == [4, 4, 3]


@time_machine.travel(NOW, tick=False)
def test_the_ranking_reads_as_a_sequence_from_any_offset_and_refuses_what_is_not_a_page():
    household = f.household(members=(0, 1))
    entries = _registry()
    name = {entry.pk: key for key, entry in entries.items()}
    for fitting_only, order in ORDERS:
        _needs, ranked = matching.units_for(household=household, fitting_only=fitting_only)
        assert len(ranked) == ranked.count() == len(order)
        # From an offset to the end (no LIMIT: SQLite writes one anyway), as ids and as rows.
        assert "".join(name[pk] for pk in ranked[4:].ids()) == order[4:]
        assert "".join(name[entry.pk] for entry in ranked[4:]) == order[4:]
        assert "".join(name[entry.pk] for entry in ranked) == order
        assert len(ranked[1:3]) == 2 and ranked[5:2].ids() == []
    for not_a_page in (0, slice(-1, None), slice(0, 10, 2)):
        with pytest.raises(TypeError):
            ranked[not_a_page]


@time_machine.travel(NOW, tick=False)
def test_needs_read_alike_from_the_page_prefetch_and_from_one_query():
    household = f.household(members=(0, 1))  # the head has a disability and needs step-free access
    household.preferred_comuni.set([comune("Codogno"), comune("Lodi")])
    plain = Household.objects.get(pk=household.pk)
    with CaptureQueriesContext(connection) as queried:
        needs = matching.household_needs(plain)
    loaded = selectors.household_get(pk=household.pk)
    with CaptureQueriesContext(connection) as prefetched:
        assert matching.household_needs(loaded) == needs
    assert (len(queried), len(prefetched)) == (1, 0)
    assert needs.occupants == 2 and needs.required_m2 == 38 and needs.step_free
    assert needs.comuni == {comune("Codogno").pk, comune("Lodi").pk}
    assert needs.targets == {Target.ANY, Target.FAMILIES, Target.DISABILITY}
    assert needs.budget == Decimal("350.00") and needs.soon == date(2027, 3, 1)

    alone = f.household(members=(2,), special=False, monthly_budget=None)  # born 1950, no special data
    needs = matching.household_needs(Household.objects.get(pk=alone.pk))
    assert needs.occupants == 1 and needs.required_m2 == 28 and not needs.step_free
    assert needs.comuni == {alone.comune_id} and needs.budget is None
    assert needs.targets == {Target.ANY, Target.SINGLES, Target.ELDERLY}
    entry = f.registry_entry(step_free=False, monthly_rent=Decimal("500"))
    reasons = {r.code: (r.ok, r.text) for r in matching.unit_assessment(household=alone, entry=entry).reasons}
    assert "step_free" not in reasons and reasons["rent"] == (None, "Canone € 500,00: sostenibilità non indicata.")


def _units(first: int, last: int, application) -> None:
    for position in range(first, last + 1):
        f.registry_entry(unit__application=application, unit__position=position, beds=2 + position % 3)


@time_machine.travel(NOW, tick=False)
def test_matching_queries_stay_constant_with_the_registry(client):
    household = f.household(members=(0, 1))
    application = ApplicationFactory()
    staff = f.staff()
    client.force_login(staff, backend="housingmix.accounts.backends.AuthenticationBackend")
    url = reverse("beneficiaries:units", args=[household.pk])
    client.get(url)  # the first request after login also writes the session
    counts, units = [], 0
    for total in (10, 100):
        _units(units + 1, total, application)
        units = total
        plain = Household.objects.get(pk=household.pk)
        with CaptureQueriesContext(connection) as direct:
            needs, queryset = matching.units_for(household=plain)
            rows = matching.page_assessments(needs=needs, entries=queryset[:25])
        assert len(rows) == min(total, 25)
        pages = []
        for query in ("", "?tutti=1"):
            with CaptureQueriesContext(connection) as page:
                response = client.get(url + query)
            assert response.status_code == 200
            pages.append(len(page))
        counts.append((len(direct), pages))
    # Needs, the ranked page's ids, its rows with unit and comune: three, at 10 units as at 100.
    assert counts[0] == counts[1] and counts[0][0] == 3
    # The page loads the household with its members and preferred comuni only (not the plan,
    # actions, matches and placements of the household's page): 16 queries before, 12 then, 11
    # since the account and its second-factor device are one query (accounts.backends).
    assert counts[0][1] == [11, 11]
    # With the household as the page loads it, its needs cost no query: the ranked ids and the rows.
    loaded = selectors.household_for_matching(pk=household.pk)
    with CaptureQueriesContext(connection) as direct:
        needs, queryset = matching.units_for(household=loaded)
        assert len(matching.page_assessments(needs=needs, entries=queryset[:25])) == 25
    assert len(direct) == 2
