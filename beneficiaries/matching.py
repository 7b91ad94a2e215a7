"""Which registry units fit a household, ranked, each with the reasons it fits or does not.

Hard rules (a unit that fails one does not fit): availability in the programme, beds for every
member, the surface-per-occupant rule of ``properties.fitness``, step-free access when a member
needs it. Soft rules (they rank): the household's preferred comuni, rent within its means,
available soon, a target matching the household. Ranking and the hard rules run in the
database (one indexed query and a page of rows); the reasons are written for the page's rows.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import BooleanField, Case, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from housingmix.core.numbers import euro
from properties.fitness import required_surface
from properties.models import PROPOSABLE, RegistryEntry, Target

from .models import Household, HousingSituation

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


def household_needs(household: Household) -> Needs:
    members = list(household.members.all())
    today = timezone.localdate()
    adults = [m for m in members if not m.is_minor]
    targets = {Target.ANY}
    if len(adults) < len(members):
        targets.add(Target.FAMILIES)
    if len(members) == 1:
        targets.add(Target.SINGLES)
    if members and all((today - m.birth_date).days >= 65 * 365 for m in members):
        targets.add(Target.ELDERLY)
    if household.housing_situation == HousingSituation.VIOLENCE:
        targets.add(Target.WOMEN_VIOLENCE)
    if household.housing_situation == HousingSituation.LEAVING_CARE:
        targets.add(Target.CARE_LEAVERS)
    if any(m.disability for m in members):
        targets.add(Target.DISABILITY)
    comuni = {c.pk for c in household.preferred_comuni.all()} or {household.comune_id}
    return Needs(
        occupants=len(members),
        required_m2=required_surface(len(members)),
        step_free=any(m.needs_step_free for m in members),
        comuni=frozenset(comuni),
        budget=household.monthly_budget,
        targets=frozenset(targets),
    )


def _fits_q(needs: Needs) -> Q:
    q = Q(is_available=True, availability__in=PROPOSABLE, beds__gte=needs.occupants, surface_m2__gte=needs.required_m2)
    if needs.step_free:
        q &= Q(step_free=True)
    return q


def ranked_units(*, needs: Needs, fitting_only: bool = True) -> QuerySet[RegistryEntry]:
    """The registry ranked for ``needs``: fitting first, then by soft points, then soonest.

    Each row is annotated with ``fits`` and ``points``; with ``fitting_only`` the rest is left out.
    """
    soon = timezone.localdate() + timedelta(days=SOON_DAYS)
    point = lambda q: Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())  # noqa: E731
    rent_ok = Q(monthly_rent__isnull=True)
    if needs.budget is not None:
        rent_ok |= Q(monthly_rent__lte=needs.budget)
    # The unit and the comune are fetched for the page's rows only (prefetch runs after the slice):
    # joined before the sort, PostgreSQL hashed every fitting unit's row to keep twenty-five.
    queryset = RegistryEntry.objects.prefetch_related("unit", "comune").filter(is_available=True)
    if fitting_only:
        queryset = queryset.filter(_fits_q(needs))
    queryset = queryset.annotate(
        fits=ExpressionWrapper(_fits_q(needs), output_field=BooleanField()),
        points=point(Q(comune_id__in=needs.comuni))
        + point(rent_ok)
        + point(Q(available_from__isnull=True) | Q(available_from__lte=soon)),
    )
    order = [F("points").desc(), "available_from", "pk"]
    # Every row fits when only fitting rows are kept: sorting on it would be work for nothing.
    return queryset.order_by(*order) if fitting_only else queryset.order_by(F("fits").desc(), *order)


def unit_assessment(*, household: Household, entry: RegistryEntry, needs: Needs | None = None) -> Assessment:
    """Every rule for one unit, with the sentence that explains it."""
    needs = needs or household_needs(household)
    reasons = []
    proposable = entry.is_available and entry.availability in PROPOSABLE
    reasons.append(
        Reason(
            "availability",
            proposable,
            True,
            _("Alloggio disponibile per un abbinamento.")
            if proposable
            else _("Alloggio non disponibile: %(state)s.") % {"state": entry.get_availability_display()},
        )
    )
    if entry.beds is None:
        reasons.append(Reason("beds", None, True, _("Posti letto non indicati.")))
    else:
        ok = entry.beds >= needs.occupants
        reasons.append(
            Reason(
                "beds",
                ok,
                True,
                _("%(beds)s posti letto per %(people)s persone.") % {"beds": entry.beds, "people": needs.occupants},
            )
        )
    if entry.surface_m2 is None:
        reasons.append(Reason("surface", None, True, _("Superficie non indicata.")))
    else:
        ok = entry.surface_m2 >= needs.required_m2
        reasons.append(
            Reason(
                "surface",
                ok,
                True,
                _("%(surface)s m² per %(people)s persone: ne servono almeno %(required)s.")
                % {"surface": entry.surface_m2, "people": needs.occupants, "required": needs.required_m2},
            )
        )
    if needs.step_free:
        reasons.append(
            Reason(
                "step_free",
                entry.step_free,
                True,
                _("Accesso senza barriere architettoniche richiesto: presente.")
                if entry.step_free
                else _("Accesso senza barriere architettoniche richiesto: assente."),
            )
        )
    in_comune = entry.comune_id in needs.comuni
    reasons.append(
        Reason(
            "comune",
            in_comune,
            False,
            _("Nel comune preferito dal nucleo (%(comune)s).") % {"comune": entry.comune}
            if in_comune
            else _("Fuori dai comuni preferiti (%(comune)s).") % {"comune": entry.comune},
        )
    )
    if entry.monthly_rent is None:
        reasons.append(Reason("rent", True, False, _("Nessun canone (comodato, concessione o ospitalità).")))
    elif needs.budget is None:
        reasons.append(
            Reason(
                "rent",
                None,
                False,
                _("Canone %(rent)s: sostenibilità non indicata.") % {"rent": euro(entry.monthly_rent)},
            )
        )
    else:
        ok = entry.monthly_rent <= needs.budget
        reasons.append(
            Reason(
                "rent",
                ok,
                False,
                _("Canone %(rent)s entro la quota sostenibile di %(budget)s.")
                % {"rent": euro(entry.monthly_rent), "budget": euro(needs.budget)}
                if ok
                else _("Canone %(rent)s oltre la quota sostenibile di %(budget)s.")
                % {"rent": euro(entry.monthly_rent), "budget": euro(needs.budget)},
            )
        )
    soon = timezone.localdate() + timedelta(days=SOON_DAYS)
    if entry.available_from is None or entry.available_from <= soon:
        reasons.append(Reason("dates", True, False, _("Disponibile subito o entro tre mesi.")))
    else:
        reasons.append(
            Reason(
                "dates",
                False,
                False,
                _("Disponibile solo dal %(date)s.") % {"date": entry.available_from.strftime("%d/%m/%Y")},
            )
        )
    unit_targets = set(entry.unit.targets or [])
    if unit_targets:
        shared = unit_targets & needs.targets
        reasons.append(
            Reason(
                "target",
                bool(shared),
                False,
                _("Destinatari indicati dal proprietario compatibili con il nucleo.")
                if shared
                else _("Il proprietario preferisce altri destinatari."),
            )
        )
    return Assessment(entry=entry, reasons=reasons)


def units_for(*, household: Household, fitting_only: bool = True) -> tuple[Needs, QuerySet[RegistryEntry]]:
    """The needs of ``household`` and the ranked registry for them (paginate, then assess)."""
    needs = household_needs(household)
    return needs, ranked_units(needs=needs, fitting_only=fitting_only)
