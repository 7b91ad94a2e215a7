"""Which registry units fit a household, ranked, each with the reasons it fits or does not.

Hard rules (a unit that fails one does not fit): availability in the programme, beds for every
member, the surface-per-occupant rule of ``properties.fitness``, step-free access when a member
needs it. Soft rules (they rank): the household's preferred comuni, rent within its means,
available soon, a target matching the household. The hard rules and the ranking run in the
database on the registry's own rows (``ranked_units``); a page keeps their ids, then reads those
rows with their unit and comune and writes their reasons (``page_assessments``).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import BooleanField, Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from housingmix.core.numbers import euro
from properties.fitness import required_surface
from properties.models import PROPOSABLE, RegistryEntry, Target

from .models import Household, HousingSituation, adult_born_by

# A unit available later than this is still listed, but ranked lower.
SOON_DAYS = 90


@dataclass(frozen=True)
class Reason:
    code: str
    ok: bool | None  # None: data missing, the worker judges
    hard: bool
    text: str


@dataclass
class Assessment:
    entry: RegistryEntry
    reasons: list[Reason] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return all(r.ok is True for r in self.reasons if r.hard)

    @property
    def score(self) -> int:
        return sum(1 for r in self.reasons if not r.hard and r.ok)

    def as_json(self) -> list[dict]:
        return [{"code": r.code, "ok": r.ok, "hard": r.hard, "text": r.text} for r in self.reasons]


@dataclass(frozen=True)
class Needs:
    """What the rules ask of a unit for one household (read once per search)."""

    occupants: int
    required_m2: int
    step_free: bool
    comuni: frozenset[int]
    budget: object
    targets: frozenset[str]
    soon: date  # available by this day counts as soon


def _people_and_comuni(household: Household) -> tuple[list[tuple], set[int]]:
    """Each member's (birth date, step-free need, whether a disability is recorded) and the
    preferred comuni: what the household page already loaded (``selectors.household_get``
    prefetches both), else one query. That query asks the database only whether a disability is
    recorded (an empty column): the description is not read, nor decrypted."""
    loaded = getattr(household, "_prefetched_objects_cache", {})
    if "members" in loaded and "preferred_comuni" in loaded:
        people = [(m.birth_date, m.needs_step_free, bool(m.disability)) for m in household.members.all()]
        return people, {c.pk for c in household.preferred_comuni.all()}
    # One row per member and preferred comune (a household has a few of each).
    recorded = Case(When(members__disability="", then=Value(False)), default=Value(True), output_field=BooleanField())
    rows = (
        Household.objects.filter(pk=household.pk)
        .order_by()
        .values_list("members__pk", "members__birth_date", "members__needs_step_free", recorded, "preferred_comuni")
    )
    people, comuni = {}, set()
    for member, born, step_free, disability, comune_id in rows:
        if member is not None:
            people[member] = (born, step_free, disability)
        if comune_id is not None:
            comuni.add(comune_id)
    return list(people.values()), comuni


def household_needs(household: Household) -> Needs:
    people, comuni = _people_and_comuni(household)
    today = timezone.localdate()
    adult_by = adult_born_by(today)
    adults = [born for born, _step_free, _disability in people if born <= adult_by]
    targets = {Target.ANY}
    if len(adults) < len(people):
        targets.add(Target.FAMILIES)
    if len(people) == 1:
        targets.add(Target.SINGLES)
    if people and all((today - born).days >= 65 * 365 for born, _step_free, _disability in people):
        targets.add(Target.ELDERLY)
    if household.housing_situation == HousingSituation.VIOLENCE:
        targets.add(Target.WOMEN_VIOLENCE)
    if household.housing_situation == HousingSituation.LEAVING_CARE:
        targets.add(Target.CARE_LEAVERS)
    if any(disability for _born, _step_free, disability in people):
        targets.add(Target.DISABILITY)
    return Needs(
        occupants=len(people),
        required_m2=required_surface(len(people)),
        step_free=any(step_free for _born, step_free, _disability in people),
        comuni=frozenset(comuni or {household.comune_id}),
        budget=household.monthly_budget,
        targets=frozenset(targets),
        soon=today + timedelta(days=SOON_DAYS),
    )


class RankedUnits:
    """The registry ranked for one household's needs: fitting first (without ``fitting_only``),
    then by soft points (preferred comune, rent within the budget, available soon), then
    soonest, then by id. Only available registry rows; with ``fitting_only`` the units that fail
    a hard rule are left out, without it they follow the fitting ones (a hard rule whose data is
    missing, NULL in SQL, counts as not fitting).

    What ``Paginator`` takes: ``count()`` and slices; a slice is a ``RankedPage`` (``ids()``, or
    iterate its rows). The ranking is one SQL statement written here, on the registry's own
    columns: built by the ORM, the statement cost as much again to compose as to run (about 40 %
    of the matching page's database work; bench/beneficiaries_bench.py). It runs unchanged on
    SQLite and PostgreSQL; tests/beneficiaries/test_matching_ranking.py pins the order on both.
    """

    def __init__(self, needs: Needs, fitting_only: bool):
        self.needs, self.fitting_only = needs, fitting_only

    def _sql(self) -> tuple[str, str, str, list, list]:
        """(FROM and WHERE, the ORDER BY, the id column, the WHERE's params, the ORDER BY's)."""
        meta, quote = RegistryEntry._meta, connection.ops.quote_name
        c = {name: quote(meta.get_field(name).column) for name in COLUMNS}
        needs = self.needs
        hard = "%s IN (%s) AND %s >= %%s AND %s >= %%s" % (
            c["availability"],
            ", ".join(["%s"] * len(PROPOSABLE)),
            c["beds"],
            c["surface_m2"],
        )
        hard_params = [str(value) for value in PROPOSABLE] + [needs.occupants, needs.required_m2]
        if needs.step_free:
            hard += " AND %s" % c["step_free"]
        comuni = sorted(needs.comuni)
        in_comune = "%s IN (%s)" % (c["comune"], ", ".join(["%s"] * len(comuni))) if comuni else "1 = 0"
        rent_ok = "%s IS NULL" % c["monthly_rent"]
        order_params = [*comuni]
        if needs.budget is not None:
            rent_ok += " OR %s <= %%s" % c["monthly_rent"]
            order_params.append(needs.budget)
        order_params.append(needs.soon.isoformat())
        point = "CASE WHEN %s THEN 1 ELSE 0 END"
        points = " + ".join(
            point % condition
            for condition in (
                in_comune,
                rent_ok,
                "%s IS NULL OR %s <= %%s" % (c["available_from"], c["available_from"]),
            )
        )
        order = "(%s) DESC, %s ASC, %s ASC" % (points, c["available_from"], c["id"])
        where, where_params = "%s" % c["is_available"], []
        if self.fitting_only:
            where, where_params = "%s AND %s" % (where, hard), hard_params
        else:
            order = "(%s) DESC, %s" % (point % hard, order)
            order_params = hard_params + order_params
        return "FROM %s WHERE %s" % (quote(meta.db_table), where), order, c["id"], where_params, order_params

    def count(self) -> int:
        source, _order, _id, params, _order_params = self._sql()
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) " + source, params)
            return cursor.fetchone()[0]

    def __len__(self) -> int:
        return self.count()

    def ids(self, start: int = 0, stop: int | None = None) -> list[int]:
        """The ids of the ranked rows from ``start`` to ``stop`` (the end, without it)."""
        source, order, id_column, params, order_params = self._sql()
        sql = "SELECT %s %s ORDER BY %s" % (id_column, source, order)
        if stop is not None:
            sql += " LIMIT %s OFFSET %s" % (max(stop - start, 0), start)
        elif start:
            no_limit = connection.ops.no_limit_value()
            sql += (" LIMIT %s" % no_limit if no_limit is not None else "") + " OFFSET %s" % start
        with connection.cursor() as cursor:
            cursor.execute(sql, params + order_params)
            return [row[0] for row in cursor.fetchall()]

    def __getitem__(self, key):
        if isinstance(key, slice) and key.step is None and (key.start or 0) >= 0 and (key.stop or 0) >= 0:
            return RankedPage(self, key.start or 0, key.stop)
        raise TypeError("RankedUnits takes slices with non-negative bounds (a page)")

    def __iter__(self):
        return iter(self[0:None])


# The registry's fields the ranking reads (RankedUnits._sql), by their columns.
COLUMNS = (
    *("id", "is_available", "availability", "beds", "surface_m2", "step_free"),
    *("comune", "monthly_rent", "available_from"),
)


@dataclass(frozen=True)
class RankedPage:
    """One slice of ``RankedUnits``: its ids in rank order, or its rows (iterate) with unit and comune."""

    ranked: RankedUnits
    start: int
    stop: int | None

    def ids(self) -> list[int]:
        return self.ranked.ids(self.start, self.stop)

    def __len__(self) -> int:
        return len(self.ids())

    def __iter__(self):
        return iter(_rows_in_order(self.ids()))


def ranked_units(*, needs: Needs, fitting_only: bool = True) -> RankedUnits:
    """The registry ranked for ``needs`` (``RankedUnits``): paginate it, then ``page_assessments``."""
    return RankedUnits(needs, fitting_only)


# What a page of assessments reads: the rules' columns (``_assess``), the unit's name
# (``HousingUnit.display_name``) and targets, the comune's name; not the hundred columns of the
# three rows (a third of the page's time on PostgreSQL went to selecting and building them).
# tests/beneficiaries/test_matching_ranking.py counts the page's queries at 10 and 100 units: a
# field read here but left out would cost a query per row there.
PAGE_FIELDS = (
    *("is_available", "availability", "beds", "surface_m2", "step_free", "monthly_rent", "available_from"),
    *("unit__label", "unit__street", "unit__street_number", "unit__staircase", "unit__flat_number"),
    *("unit__position", "unit__targets", "comune__name"),
)


def _rows_in_order(ids: list[int]) -> list[RegistryEntry]:
    """The rows of ``ids`` with their unit and comune, in that order (a row deleted meanwhile is left out)."""
    rows = RegistryEntry.objects.select_related("unit", "comune").only(*PAGE_FIELDS).order_by().in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def page_assessments(*, needs: Needs, entries: RankedPage) -> list[Assessment]:
    """The assessments of one page of ``ranked_units`` (its slice), in its order.

    The sort keeps the page's ids only; then its rows are read by primary key with their unit and
    comune (joined before the sort, PostgreSQL joined every fitting unit to keep twenty-five),
    and only they get their reasons.
    """
    texts = _Texts(needs)
    return [_assess(entry, needs, texts) for entry in _rows_in_order(entries.ids())]


class _Texts:
    """The reasons' sentences, translated once for a whole page instead of once per unit and rule."""

    def __init__(self, needs: Needs):
        self.available = _("Alloggio disponibile per un abbinamento.")
        self.unavailable = _("Alloggio non disponibile: %(state)s.")
        self.no_beds = _("Posti letto non indicati.")
        self.beds = _("%(beds)s posti letto per %(people)s persone.")
        self.no_surface = _("Superficie non indicata.")
        self.surface = _("%(surface)s m² per %(people)s persone: ne servono almeno %(required)s.")
        self.step_free = _("Accesso senza barriere architettoniche richiesto: presente.")
        self.no_step_free = _("Accesso senza barriere architettoniche richiesto: assente.")
        self.in_comune = _("Nel comune preferito dal nucleo (%(comune)s).")
        self.out_of_comune = _("Fuori dai comuni preferiti (%(comune)s).")
        self.no_rent = _("Nessun canone (comodato, concessione o ospitalità).")
        self.rent_unknown = _("Canone %(rent)s: sostenibilità non indicata.")
        self.rent_within = _("Canone %(rent)s entro la quota sostenibile di %(budget)s.")
        self.rent_over = _("Canone %(rent)s oltre la quota sostenibile di %(budget)s.")
        self.soon = _("Disponibile subito o entro tre mesi.")
        self.later = _("Disponibile solo dal %(date)s.")
        self.target = _("Destinatari indicati dal proprietario compatibili con il nucleo.")
        self.other_target = _("Il proprietario preferisce altri destinatari.")
        self.budget = euro(needs.budget) if needs.budget is not None else ""


def unit_assessment(*, household: Household, entry: RegistryEntry, needs: Needs | None = None) -> Assessment:
    """Every rule for one unit, with the sentence that explains it."""
    needs = needs or household_needs(household)
    return _assess(entry, needs, _Texts(needs))


def _assess(entry: RegistryEntry, needs: Needs, texts: _Texts) -> Assessment:
    reasons = []
    proposable = entry.is_available and entry.availability in PROPOSABLE
    text = texts.available if proposable else texts.unavailable % {"state": entry.get_availability_display()}
    reasons.append(Reason("availability", proposable, True, text))
    if entry.beds is None:
        reasons.append(Reason("beds", None, True, texts.no_beds))
    else:
        text = texts.beds % {"beds": entry.beds, "people": needs.occupants}
        reasons.append(Reason("beds", entry.beds >= needs.occupants, True, text))
    if entry.surface_m2 is None:
        reasons.append(Reason("surface", None, True, texts.no_surface))
    else:
        text = texts.surface % {"surface": entry.surface_m2, "people": needs.occupants, "required": needs.required_m2}
        reasons.append(Reason("surface", entry.surface_m2 >= needs.required_m2, True, text))
    if needs.step_free:
        text = texts.step_free if entry.step_free else texts.no_step_free
        reasons.append(Reason("step_free", entry.step_free, True, text))
    in_comune = entry.comune_id in needs.comuni
    text = (texts.in_comune if in_comune else texts.out_of_comune) % {"comune": entry.comune}
    reasons.append(Reason("comune", in_comune, False, text))
    if entry.monthly_rent is None:
        reasons.append(Reason("rent", True, False, texts.no_rent))
    elif needs.budget is None:
        reasons.append(Reason("rent", None, False, texts.rent_unknown % {"rent": euro(entry.monthly_rent)}))
    else:
        ok = entry.monthly_rent <= needs.budget
        text = (texts.rent_within if ok else texts.rent_over) % {
            "rent": euro(entry.monthly_rent),
            "budget": texts.budget,
        }
        reasons.append(Reason("rent", ok, False, text))
    if entry.available_from is None or entry.available_from <= needs.soon:
        reasons.append(Reason("dates", True, False, texts.soon))
    else:
        text = texts.later % {"date": entry.available_from.strftime("%d/%m/%Y")}
        reasons.append(Reason("dates", False, False, text))
    unit_targets = set(entry.unit.targets or [])
    if unit_targets:
        shared = unit_targets & needs.targets
        text = texts.target if shared else texts.other_target
        reasons.append(Reason("target", bool(shared), False, text))
    return Assessment(entry=entry, reasons=reasons)


def units_for(*, household: Household, fitting_only: bool = True) -> tuple[Needs, RankedUnits]:
    """The needs of ``household`` and the ranked registry for them (paginate, then ``page_assessments``)."""
    needs = household_needs(household)
    return needs, ranked_units(needs=needs, fitting_only=fitting_only)
