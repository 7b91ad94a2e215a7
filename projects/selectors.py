"""Every non-trivial read of co-design: budget totals, scoring state, the ranking arithmetic, lists."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q, QuerySet

from .models import (
    ZERO,
    ActionLine,
    Agreement,
    BudgetKind,
    CodesignCall,
    Criterion,
    FinalProject,
    Proposal,
    ProposalStatus,
    Report,
    ReportIndicator,
    ReportStatus,
    ScoringMode,
)

CENT = Decimal("0.01")


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def proposal_budget_totals(*, proposal: Proposal) -> dict:
    """Totals of the resource budget by kind and overall, and the ETS co-financing share (%
    of the total, two decimals; None for an empty budget)."""
    kinds = {kind: {"label": label, "public": ZERO, "ets": ZERO, "total": ZERO} for kind, label in BudgetKind.choices}
    for line in proposal.budget_lines.all():
        row = kinds[line.kind]
        row["public"] += line.public_amount
        row["ets"] += line.ets_amount
        row["total"] += line.total
    public = sum((row["public"] for row in kinds.values()), ZERO)
    ets = sum((row["ets"] for row in kinds.values()), ZERO)
    total = public + ets
    return {
        "kinds": kinds,
        "public": public,
        "ets": ets,
        "total": total,
        "ets_share": _q(ets * 100 / total) if total else None,
    }


def leaf_criteria(call: CodesignCall) -> list[Criterion]:
    """The criteria that are scored: those without sub-criteria, in grid order."""
    criteria = list(call.criteria.all())
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if c.pk not in parents]


def top_criteria(call: CodesignCall) -> list[Criterion]:
    return [c for c in call.criteria.all() if c.parent_id is None]


def _top_of(criteria: list[Criterion]) -> dict[int, int]:
    """criterion id → id of its top-level criterion."""
    by_id = {c.pk: c for c in criteria}
    result = {}
    for c in criteria:
        top = c
        while top.parent_id:
            top = by_id[top.parent_id]
        result[c.pk] = top.pk
    return result


def scoring_status(*, call: CodesignCall) -> dict[int, dict]:
    """For each admitted proposal: members who may score it (declared no conflict), members
    excluded by a conflict, members who have not declared yet, members who scored every criterion."""
    seats = list(call.commission.all())
    leaves = {c.pk for c in leaf_criteria(call)}
    proposals = Proposal.objects.filter(
        call=call, status__in=[ProposalStatus.ADMITTED, ProposalStatus.RANKED, ProposalStatus.BELOW_THRESHOLD]
    ).prefetch_related("conflict_declarations", "scores")
    result = {}
    for proposal in proposals:
        declared = {d.member_id: d.has_conflict for d in proposal.conflict_declarations.all()}
        scored: dict[int, set[int]] = {}
        for score in proposal.scores.all():
            scored.setdefault(score.member_id, set()).add(score.criterion_id)
        eligible = [s.pk for s in seats if declared.get(s.pk) is False]
        result[proposal.pk] = {
            "eligible": eligible,
            "conflicted": [s.pk for s in seats if declared.get(s.pk) is True],
            "undeclared": [s.pk for s in seats if s.pk not in declared],
            "done": [m for m in eligible if leaves <= scored.get(m, set())],
        }
    return result


def call_scoring_complete(*, call: CodesignCall) -> bool:
    """True once every member has declared on every admitted proposal and every member without a
    conflict has scored every criterion of it (and at least one member could score each)."""
    if call.scoring_mode == ScoringMode.JOINT:
        leaves = {c.pk for c in leaf_criteria(call)}
        admitted = Proposal.objects.filter(call=call, status=ProposalStatus.ADMITTED).prefetch_related("joint_scores")
        return call.commission.exists() and all(
            leaves <= {s.criterion_id for s in p.joint_scores.all()} for p in admitted
        )
    status = scoring_status(call=call)
    if not status or not call.commission.exists():
        return False
    return all(
        not row["undeclared"] and row["eligible"] and set(row["done"]) == set(row["eligible"])
        for row in status.values()
    )


@dataclass
class RankingRow:
    proposal: Proposal
    total: Decimal
    by_criterion: dict[int, Decimal] = field(default_factory=dict)  # top-level criterion id → points
    admitted: bool = True
    reason: str = ""
    position: int | None = None


def ranking_compute(*, call: CodesignCall) -> list[RankingRow]:
    """The commission's scores and the ranking of the admitted proposals.

    Score per criterion: the mean of the members without a conflict (or the joint score, by the
    call's mode), rounded to the cent; the total is their sum. A total below the call's threshold
    is excluded with its reason. Ties are broken by the higher score on the first criterion of
    the grid, then by the earlier protocol number.
    """
    from django.utils.translation import gettext as _

    criteria = list(call.criteria.all())
    tops = [c.pk for c in criteria if c.parent_id is None]
    top_of = _top_of(criteria)
    proposals = (
        Proposal.objects.filter(
            call=call, status__in=[ProposalStatus.ADMITTED, ProposalStatus.RANKED, ProposalStatus.BELOW_THRESHOLD]
        )
        .select_related("organisation", "protocol")
        .prefetch_related("scores", "joint_scores", "conflict_declarations")
    )
    rows = []
    for proposal in proposals:
        per_top = {pk: ZERO for pk in tops}
        if call.scoring_mode == ScoringMode.JOINT:
            for score in proposal.joint_scores.all():
                per_top[top_of[score.criterion_id]] += score.points
        else:
            eligible = {d.member_id for d in proposal.conflict_declarations.all() if not d.has_conflict}
            sums: dict[int, Decimal] = {}
            for score in proposal.scores.all():
                if score.member_id in eligible:
                    sums[score.criterion_id] = sums.get(score.criterion_id, ZERO) + score.points
            for criterion_id, total in sums.items():
                per_top[top_of[criterion_id]] += _q(total / len(eligible))
        total = sum(per_top.values(), ZERO)
        row = RankingRow(proposal=proposal, total=total, by_criterion=per_top)
        if total < call.admission_threshold:
            row.admitted = False
            row.reason = _("Punteggio %(score)s inferiore alla soglia di ammissione di %(threshold)s punti.") % {
                "score": str(total).replace(".", ","),
                "threshold": str(call.admission_threshold).replace(".", ","),
            }
        rows.append(row)
    first = tops[0] if tops else None

    def key(row: RankingRow):
        entry = row.proposal.protocol
        return (
            -row.total,
            -(row.by_criterion.get(first, ZERO)),
            (entry.year, entry.number) if entry else (9999, 0),
        )

    rows.sort(key=key)
    position = 0
    for row in rows:
        if row.admitted:
            position += 1
            row.position = position
    return rows


def proposals_for_user(*, user) -> QuerySet[Proposal]:
    """The proposals of the organisations the user belongs to (lead or member), newest first."""
    org_ids = list(user.memberships.values_list("organisation_id", flat=True))
    return (
        Proposal.objects.filter(Q(organisation_id__in=org_ids) | Q(members__organisation_id__in=org_ids))
        .distinct()
        .select_related("call__notice", "organisation", "protocol")
        .order_by("-pk")
    )


def proposals_for_call(*, call: CodesignCall) -> QuerySet[Proposal]:
    """Submitted proposals of a call for staff, protocol order."""
    return (
        Proposal.objects.filter(call=call)
        .exclude(status=ProposalStatus.DRAFT)
        .select_related("organisation", "protocol", "final_project")
        .order_by("protocol__year", "protocol__number", "pk")
    )


def calls_list() -> QuerySet[CodesignCall]:
    return CodesignCall.objects.select_related("notice").order_by("-pk")


def reports_for_project(*, project: FinalProject) -> QuerySet[Report]:
    return Report.objects.filter(project=project).select_related("protocol").order_by("-period_start", "-pk")


def reports_list() -> QuerySet[Report]:
    return Report.objects.select_related("project__proposal__organisation", "protocol").order_by("-pk")


def project_with_versions(*, pk: int) -> FinalProject:
    return (
        FinalProject.objects.select_related("proposal__organisation", "call__notice")
        .prefetch_related(Prefetch("versions"), "proposal__actions", "proposal__budget_lines")
        .get(pk=pk)
    )


@dataclass
class IndicatorProgress:
    """One indicator of the project against its target: this report's value and the approved total."""

    line: str
    line_label: str
    name: str
    target: str
    target_value: Decimal | None
    value: Decimal | None = None  # in the report being looked at
    approved_total: Decimal = Decimal("0")
    key: str = ""

    @property
    def reached_percent(self) -> Decimal | None:
        """The approved total over a numeric target, in percent (None when the target is not a number)."""
        if not self.target_value:
            return None
        return (self.approved_total * 100 / self.target_value).quantize(Decimal("0.1"))


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(str(text).strip().replace(".", "").replace(",", ".")) if str(text).strip() else None
    except ArithmeticError:
        return None
    return value if value is not None and value.is_finite() else None


def project_indicators(*, project: FinalProject) -> list[dict]:
    """The indicators the project committed to: those of the version the agreement pins (else the
    current version), one per line and name, in the order of the project."""
    agreement = Agreement.objects.filter(project=project).select_related("version").first()
    version = agreement.version if agreement is not None else project.current
    seen, indicators = set(), []
    for line in (version.lines if version else []) or []:
        name = str(line.get("indicator") or "").strip()
        if name and (line.get("line"), name) not in seen:
            seen.add((line.get("line"), name))
            indicators.append({"line": line.get("line"), "name": name, "target": str(line.get("target") or "")})
    return indicators


def indicator_progress(*, project: FinalProject, report: Report | None = None) -> list[IndicatorProgress]:
    """Each indicator of the project with its target, the value in ``report`` and the total of the
    values in approved reports (the progress the Ufficio di Piano has accepted)."""
    labels = dict(ActionLine.choices)
    approved: dict[tuple[str, str], Decimal] = {}
    for row in ReportIndicator.objects.filter(report__project=project, report__status=ReportStatus.APPROVED):
        approved[(row.line, row.name)] = approved.get((row.line, row.name), Decimal("0")) + row.value
    mine = {(r.line, r.name): r.value for r in report.indicators.all()} if report is not None else {}
    rows = []
    for index, item in enumerate(project_indicators(project=project)):
        key = (item["line"], item["name"])
        rows.append(
            IndicatorProgress(
                line=item["line"],
                line_label=str(labels.get(item["line"], item["line"])),
                name=item["name"],
                target=item["target"],
                target_value=_number(item["target"]),
                value=mine.get(key),
                approved_total=approved.get(key, Decimal("0")),
                key="indicator_%d" % index,
            )
        )
    return rows
