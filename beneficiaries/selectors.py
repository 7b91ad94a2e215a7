"""Reads of households and their records, each scoped to what the user may see.

Every view that shows a household calls ``household_read_record`` (core audit, ``is_read``
verbs): who, when, which parts.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from housingmix.accounts.roles import Role
from housingmix.core import audit
from housingmix.core.models import AuditEvent
from projects.models import AgreementStatus

from .models import (
    PACT_KIND,
    REGISTERED_CONTRACTS,
    Household,
    Match,
    MatchStatus,
    Member,
    Placement,
    PlacementStatus,
    SupportAction,
    SupportPlan,
)

# The parts of a household a page can show (recorded with each read).
PART_IDENTITY = "identity"  # members' names, codici fiscali, birth dates, contacts
PART_ECONOMIC = "economic"  # ISEE and means
PART_HOUSING = "housing"  # housing situation and needs
PART_PLAN = "plan"
PART_ACTIONS = "actions"
PART_SPECIAL = "special_category"  # health and disability (GDPR art. 9)


def households_visible_to(user) -> QuerySet[Household]:
    """The households ``user`` may list: all for staff and the DPO, their own for a social
    worker, their comune's for a supervisor, their organisation's for an ETS operator."""
    if not user.is_authenticated:
        return Household.objects.none()
    if user.is_superuser or user.has_role(Role.STAFF) or user.has_role(Role.DPO):
        return Household.objects.all()
    q = Q(pk__in=[])
    if user.has_role(Role.SOCIAL_WORKER):
        q |= Q(social_worker=user)
    if user.has_role(Role.SOCIAL_SUPERVISOR) and user.comune_id:
        q |= Q(social_worker__comune_id=user.comune_id)
    if user.has_role(Role.ETS_OPERATOR):
        q |= Q(managing_organisation__memberships__user=user)
        q |= Q(project__agreement__status=AgreementStatus.ACTIVE) & (
            Q(project__proposal__organisation__memberships__user=user)
            | Q(project__proposal__members__organisation__memberships__user=user)
        )
    return Household.objects.filter(q).distinct()


def household_list(*, user, comune=None, status=None) -> QuerySet[Household]:
    """The list page: one query per page whatever its size (plan, comune, worker joined; members
    counted)."""
    # A correlated count, computed for the page's rows only (a GROUP BY would read every household).
    members = Member.objects.filter(household=OuterRef("pk")).order_by().values("household").annotate(n=Count("pk"))
    queryset = (
        households_visible_to(user)
        .select_related("plan", "comune", "social_worker", "managing_organisation")
        .annotate(member_count=Subquery(members.values("n")[:1]))
    )
    if comune:
        queryset = queryset.filter(comune_id=comune)
    if status:
        queryset = queryset.filter(plan__status=status)
    return queryset.order_by("-referred_on", "-pk")


# What the permission rules (beneficiaries/rules.py) read of a household, loaded with it.
_READ_BY_THE_RULES = ("comune", "social_worker__comune", "managing_organisation", "project")


def household_get(*, pk: int) -> Household | None:
    """One household with everything its page shows, in a fixed number of queries."""
    return (
        Household.objects.select_related("plan", *_READ_BY_THE_RULES)
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("pk")),
            "preferred_comuni",
            "plan__goals",
            Prefetch("plan__reviews"),
            Prefetch("plan__actions", queryset=SupportAction.objects.select_related("operator")),
            Prefetch("matches", queryset=Match.objects.select_related("entry__unit", "entry__comune").order_by("-pk")),
            Prefetch("placements", queryset=Placement.objects.select_related("entry__unit").order_by("-pk")),
        )
        .filter(pk=pk)
        .first()
    )


def household_for_matching(*, pk: int) -> Household | None:
    """One household as the matching page needs it: what the permission rules read (its comune,
    social worker, organisation, project) and what its needs are made of (members and preferred
    comuni, so ``matching.household_needs`` costs no query); not the plan, actions, matches and
    placements the household's own page shows."""
    return (
        Household.objects.select_related(*_READ_BY_THE_RULES)
        .prefetch_related(Prefetch("members", queryset=Member.objects.order_by("pk")), "preferred_comuni")
        .filter(pk=pk)
        .first()
    )


def household_read_record(*, household: Household, user, parts: list[str], verb: str = "household.viewed") -> None:
    """Audit one read: who (the actor), when (the event's time), which parts."""
    audit.record(target=household, verb=verb, by=user, data={"parts": sorted(set(parts))})


def household_reads(*, household: Household) -> QuerySet[AuditEvent]:
    """The reads of one household, newest first (for the DPO)."""
    return (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Household),
            object_id=str(household.pk),
            verb__in=audit.read_verbs(),
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def placements_needing_registration() -> list[Placement]:
    """Current placements of a registered contract kind not yet registered, soonest deadline first."""
    return list(
        Placement.objects.filter(
            tax_registered_on__isnull=True,
            contract_kind__in=REGISTERED_CONTRACTS,
            status__in=[PlacementStatus.SIGNED, PlacementStatus.IN_USE],
        )
        .select_related("household", "entry__unit")
        .order_by("signed_on", "pk")
    )


def match_get(*, pk: int) -> Match | None:
    return (
        Match.objects.select_related("household__social_worker", "entry__unit", "entry__comune", "entry__application")
        .filter(pk=pk)
        .first()
    )


def open_matches_for_owner(*, user) -> QuerySet[Match]:
    """Proposals awaiting this owner's decision (their manifestations' units)."""
    return (
        Match.objects.filter(status=MatchStatus.PROPOSED, owner_decision="")
        .filter(Q(entry__application__created_by=user) | Q(entry__application__organisation__memberships__user=user))
        .select_related("entry__unit", "entry__comune")
        .distinct()
    )


def pact_latest(*, plan):
    """The latest generated version of the plan's pact, if any."""
    from housingmix.core.documents import documents_of

    return documents_of(plan, kinds=[PACT_KIND]).first()


def dashboard_figures() -> dict:
    """The programme dashboard for staff: households by state and comune, placements, average
    days from referral to placement, action hours by line and outcome, registration deadlines."""
    from django.db.models import Min, Sum

    from .models import ActionLine, OutcomeKind, PlanStatus

    by_state = dict(
        Household.objects.values_list("plan__status").annotate(n=Count("pk")).values_list("plan__status", "n")
    )
    by_comune = list(Household.objects.values("comune__name").annotate(n=Count("pk")).order_by("comune__name"))
    placements = Placement.objects.count()
    first_placement = Placement.objects.values("household_id").annotate(
        signed=Min("signed_on"), referred=Min("household__referred_on")
    )
    # Averaged in Python: date arithmetic differs between SQLite and PostgreSQL.
    waits = [(row["signed"] - row["referred"]).days for row in first_placement]
    hours = (
        SupportAction.objects.values("line", "plan__outcome__kind")
        .annotate(hours=Sum("hours"))
        .order_by("line", "plan__outcome__kind")
    )
    lines = dict(ActionLine.choices)
    kinds = dict(OutcomeKind.choices)
    return {
        "by_state": [(label, by_state.get(value, 0)) for value, label in PlanStatus.choices],
        "by_comune": by_comune,
        "placements": placements,
        "average_days": round(sum(waits) / len(waits)) if waits else None,
        "hours": [
            {
                "line": lines.get(r["line"], r["line"]),
                "outcome": kinds.get(r["plan__outcome__kind"], "-"),
                "hours": r["hours"],
            }
            for r in hours
        ],
        "registrations": placements_needing_registration()[:20],
    }


def household_audit_trail(*, household: Household) -> list[AuditEvent]:
    """Every access to and change of one household's data, oldest first: the events of the
    household, its plan, its matches and its placements, reads included (for the DPO)."""
    targets = Q(content_type=ContentType.objects.get_for_model(Household), object_id=str(household.pk))
    related = [
        (SupportPlan, list(SupportPlan.objects.filter(household=household).values_list("pk", flat=True))),
        (Match, list(household.matches.values_list("pk", flat=True))),
        (Placement, list(household.placements.values_list("pk", flat=True))),
    ]
    for model, pks in related:
        if pks:
            targets |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in pks])
    rows = list(AuditEvent.objects.filter(targets).select_related("actor").order_by("created_at", "pk"))
    for event in rows:
        event.verb_label = audit.label(event.verb)
    return rows
