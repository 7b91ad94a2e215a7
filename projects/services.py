"""Every write of co-design. The machinery is core's: ``workflow`` runs and audits transitions,
``protocol`` numbers acts, ``outbox`` defers PDFs and e-mails, ``documents`` versions PDFs,
``uploads`` checks files, ``drafts`` freezes and hashes the submitted proposal.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from housingmix.accounts.models import Organisation, OrganisationType, User
from housingmix.core import audit, drafts, outbox, protocol, uploads, workflow
from housingmix.core.caching import public_pages_invalidate
from housingmix.core.calendar import event_ics
from housingmix.core.documents import document_store
from housingmix.core.mail import email_queue
from housingmix.core.numbers import number_it
from housingmix.core.pdf import PDF_LANGUAGE
from housingmix.notices.models import Notice, NoticeKind, NoticeStatus
from housingmix.notices.services import notice_publish

from .models import (
    DEFAULT_GRID,
    ActionLine,
    Agreement,
    AgreementStatus,
    BudgetKind,
    BudgetLine,
    CallStatus,
    CodesignCall,
    CommissionMember,
    ConflictDeclaration,
    Criterion,
    FinalProject,
    FinalProjectVersion,
    GeneratedKind,
    JointScore,
    Proposal,
    ProposalAction,
    ProposalMember,
    ProposalStatus,
    Report,
    ReportCost,
    ReportIndicator,
    Score,
    ScoringMode,
    SessionParticipant,
    SessionStatus,
    TableSession,
)
from .selectors import call_scoring_complete, leaf_criteria, proposal_budget_totals, ranking_compute

RECEIPT_JOB = "projects.proposal_receipt"
RANKING_JOB = "projects.ranking"
MINUTES_JOB = "projects.minutes"
AGREEMENT_JOB = "projects.agreement"

PROPOSAL_FIELDS = ["title", "summary", "experience", "declares_runts", "declares_no_exclusion", "declares_truthful"]
DECLARATIONS = ["declares_runts", "declares_no_exclusion", "declares_truthful"]


class SubmissionIncomplete(ValidationError):
    """Raised by ``proposal_submit`` with every missing item (``items``)."""

    def __init__(self, items: list[drafts.MissingItem]):
        super().__init__([item.message for item in items])
        self.items = items


def _require(user: User, permission: str, obj=None) -> None:
    import rules

    if not rules.has_perm(permission, user, obj):
        raise PermissionDenied(_("Non hai i permessi per questa operazione."))


def _ets_check(organisation: Organisation) -> None:
    if organisation.type != OrganisationType.ETS or not organisation.runts_number:
        raise ValidationError(
            _("Solo un Ente del Terzo settore iscritto al RUNTS può partecipare: «%(name)s» non lo è.")
            % {"name": organisation.name}
        )


def _ets_notify(
    *,
    proposal: Proposal,
    template: str,
    subject,
    params: dict,
    link: tuple[str, int],
    context: dict,
    user: User | None = None,
    documents=(),
) -> None:
    """E-mail a decision to the ETS of ``proposal``: its PEC, else ``user`` (default: who started the
    proposal). Written in Italian, the language of the acts; stored by ``email_queue`` in this
    transaction, so the broker carries the message's id only."""
    recipient = proposal.organisation.pec or (user or proposal.created_by).email
    if not recipient:
        return
    with translation.override(PDF_LANGUAGE):
        body = render_to_string(
            "projects/email/%s.txt" % template,
            {
                **context,
                "proposal": proposal,
                "link": settings.SITE_URL + reverse(link[0], kwargs={"pk": link[1]}),
                "site_url": settings.SITE_URL,
            },
        )
        message = EmailMessage(subject=str(subject) % params, body=body, to=[recipient])
    email_queue(message, documents=documents)


def _date(value) -> str:
    return formats.date_format(value, "d/m/Y") if value else ""


# --- The call --------------------------------------------------------------------------


def grid_validate(grid: list[dict]) -> None:
    """A grid: [{title, max_points, children: [{title, max_points}]}]; the points of the
    sub-criteria add up to their criterion's. Raises ValidationError."""
    if not grid:
        raise ValidationError(_("La griglia di valutazione deve avere almeno un criterio."))
    for item in grid:
        children = item.get("children") or []
        if not str(item.get("title") or "").strip() or Decimal(str(item.get("max_points") or 0)) <= 0:
            raise ValidationError(_("Ogni criterio ha un titolo e un punteggio massimo maggiore di zero."))
        if children and sum(Decimal(str(c["max_points"])) for c in children) != Decimal(str(item["max_points"])):
            raise ValidationError(
                _("I sotto-criteri di «%(title)s» devono sommare %(points)s punti.")
                % {"title": item["title"], "points": item["max_points"]}
            )


def default_grid() -> list[dict]:
    return [{"title": str(title), "max_points": points, "children": []} for title, points in DEFAULT_GRID]


@transaction.atomic
def call_grid_set(*, call: CodesignCall, by: User, grid: list[dict], threshold: Decimal | None = None) -> CodesignCall:
    """Replace the call's grid (only while the call is a draft). Raises ValidationError."""
    _require(by, "projects.manage_call", call)
    locked = workflow.lock(call)
    if locked.status != CallStatus.DRAFT:
        raise ValidationError(_("La griglia non può più essere modificata dopo la pubblicazione."))
    grid_validate(grid)
    locked.criteria.all().delete()
    position = 0
    for item in grid:
        position += 1
        parent = Criterion.objects.create(
            call=locked, position=position, title=item["title"], max_points=Decimal(str(item["max_points"]))
        )
        for child in item.get("children") or []:
            position += 1
            Criterion.objects.create(
                call=locked,
                parent=parent,
                position=position,
                title=child["title"],
                max_points=Decimal(str(child["max_points"])),
            )
    if threshold is not None:
        locked.admission_threshold = threshold
        locked.save(update_fields=["admission_threshold", "updated_at"])
    audit.record(target=locked, verb="codesign_call.grid_set", by=by, data={"criteria": position})
    return locked


@transaction.atomic
def call_create(*, notice: Notice, by: User, grid: list[dict] | None = None, units=(), **fields: Any) -> CodesignCall:
    """The co-design side of a notice of kind co-design, with the default grid unless given.

    Raises ValidationError for a notice of another kind, PermissionDenied for non-staff.
    """
    _require(by, "projects.manage_call")
    if notice.kind != NoticeKind.CODESIGN:
        raise ValidationError(_("L'avviso collegato deve essere di tipo co-progettazione."))
    fields.setdefault("action_lines", list(ActionLine.values))
    call = CodesignCall(notice=notice, created_by=by, **fields)
    call.full_clean(exclude=["status"])
    call.save()
    if units:
        call.units.set(units)
    audit.record(target=call, verb="codesign_call.created", by=by, to_state=call.status)
    call_grid_set(call=call, by=by, grid=grid or default_grid())
    return call


@transaction.atomic
def call_publish(*, call: CodesignCall, by: User) -> CodesignCall:
    """DRAFT → PUBLISHED, publishing its notice too. Refuses a window shorter than the call's minimum."""
    locked = workflow.lock(call, select_related=("notice",))
    if problems := locked.window_problems():
        raise ValidationError(problems)
    if locked.notice.status == NoticeStatus.DRAFT:
        notice_publish(notice=locked.notice, by=by)
    workflow.transition_run(locked, "publish", by=by, verb="codesign_call.published")
    transaction.on_commit(public_pages_invalidate)
    return locked


@transaction.atomic
def call_start_evaluation(*, call: CodesignCall, by: User) -> CodesignCall:
    """PUBLISHED → EVALUATION once the notice's deadline has passed."""
    locked = workflow.lock(call, select_related=("notice",))
    if locked.notice.closes_at > timezone.now():
        raise ValidationError(_("La valutazione inizia dopo la scadenza dell'avviso."))
    return workflow.transition_run(locked, "start_evaluation", by=by, verb="codesign_call.evaluation_started")


@transaction.atomic
def commission_appoint(
    *, call: CodesignCall, by: User, act_number: str, act_date: date, members: list[User], president: User | None = None
) -> CodesignCall:
    """Record the act of appointment (numbered in the protocol) and seat its members."""
    _require(by, "projects.manage_call", call)
    locked = workflow.lock(call)
    if locked.commission_protocol_id:
        raise ValidationError(_("La commissione di questo avviso è già stata nominata."))
    if not members or not act_number.strip():
        raise ValidationError(_("Indica il numero dell'atto di nomina e almeno un componente."))
    locked.commission_act_number, locked.commission_act_date = act_number, act_date
    locked.commission_protocol = protocol.register(
        direction=protocol.OUTGOING,
        record=locked,
        sender=str(locked.notice.rup),
        recipient=", ".join(str(m) for m in members),
        subject=_("Nomina della commissione di valutazione - %(title)s") % {"title": locked.notice.title},
        sha256=drafts.package_hash({"act": act_number, "date": act_date, "members": [m.pk for m in members]}),
    )
    locked.save(update_fields=["commission_act_number", "commission_act_date", "commission_protocol", "updated_at"])
    for user in members:
        CommissionMember.objects.create(call=locked, user=user, is_president=user == president)
    audit.record(
        target=locked,
        verb="codesign_call.commission_appointed",
        by=by,
        data={"protocol": locked.commission_protocol.display_number, "members": len(members)},
    )
    return locked


# --- Proposals -------------------------------------------------------------------------


def _ensure_editable(proposal: Proposal, by: User) -> None:
    if not proposal.is_draft:
        raise ValidationError(_("La proposta è già stata presentata: non può più essere modificata."))
    _require(by, "projects.edit_proposal", proposal)


@transaction.atomic
def proposal_start(*, call: CodesignCall, by: User, organisation: Organisation, is_grouping: bool = False) -> Proposal:
    """A draft proposal of ``organisation`` (its account holder ``by``), lead of itself.

    Raises ValidationError if the call is not open or the body is not an ETS in the RUNTS,
    PermissionDenied if ``by`` is not an ETS operator of it.
    """
    _require(by, "projects.start_proposal")
    if not organisation.memberships.filter(user=by).exists():
        raise PermissionDenied
    _ets_check(organisation)
    if call.status != CallStatus.PUBLISHED or not call.notice.is_open:
        raise ValidationError(_("Questo avviso non accetta proposte in questo momento."))
    proposal = Proposal.objects.create(call=call, organisation=organisation, created_by=by, is_grouping=is_grouping)
    # Starting the proposal is the lead's own confirmation.
    ProposalMember.objects.create(
        proposal=proposal,
        organisation=organisation,
        role=_("Capofila"),
        is_lead=True,
        confirmed_at=timezone.now(),
        confirmed_by=by,
    )
    audit.record(target=proposal, verb="proposal.started", by=by, to_state=proposal.status)
    return proposal


@transaction.atomic
def proposal_update(*, proposal: Proposal, by: User, fields: dict[str, Any]) -> Proposal:
    """Save the fields of a step (only the names in PROPOSAL_FIELDS)."""
    _ensure_editable(proposal, by)
    unknown = set(fields) - set(PROPOSAL_FIELDS)
    if unknown:
        raise ValueError("not editable: %s" % ", ".join(sorted(unknown)))
    for name, value in fields.items():
        setattr(proposal, name, value if value is not None else "")
    if any(name in DECLARATIONS for name in fields):
        proposal.declarations_at = timezone.now() if all(getattr(proposal, n) for n in DECLARATIONS) else None
    proposal.full_clean(exclude=["status"])
    proposal.save()
    return proposal


@transaction.atomic
def proposal_member_add(*, proposal: Proposal, by: User, organisation: Organisation, role: str) -> ProposalMember:
    """Add a body to the grouping; it must confirm in the portal before submission."""
    _ensure_editable(proposal, by)
    if not proposal.is_grouping:
        raise ValidationError(_("Una proposta presentata da un solo ente non ha componenti."))
    _ets_check(organisation)
    if proposal.members.filter(organisation=organisation).exists():
        raise ValidationError(_("Questo ente fa già parte del raggruppamento."))
    member = ProposalMember.objects.create(proposal=proposal, organisation=organisation, role=role)
    audit.record(target=proposal, verb="proposal.member_added", by=by, data={"organisation": organisation.pk})
    return member


@transaction.atomic
def proposal_member_confirm(*, member: ProposalMember, by: User) -> ProposalMember:
    """The member's legal representative or delegate confirms membership (recorded once)."""
    _require(by, "projects.confirm_membership", member)
    locked = ProposalMember.objects.select_for_update().select_related("proposal").get(pk=member.pk)
    if not locked.proposal.is_draft:
        raise ValidationError(_("La proposta è già stata presentata."))
    if locked.confirmed_at is None:
        locked.confirmed_at, locked.confirmed_by = timezone.now(), by
        locked.save(update_fields=["confirmed_at", "confirmed_by"])
        audit.record(
            target=locked.proposal,
            verb="proposal.member_confirmed",
            by=by,
            data={"organisation": locked.organisation_id},
        )
    return locked


@transaction.atomic
def proposal_action_save(*, proposal: Proposal, by: User, line: str, **fields: Any) -> ProposalAction:
    """Create or replace the proposal's action on ``line``."""
    _ensure_editable(proposal, by)
    if line not in proposal.call.action_lines:
        raise ValidationError(_("Questa linea di azione non è prevista dall'avviso."))
    action = ProposalAction.objects.filter(proposal=proposal, line=line).first() or ProposalAction(
        proposal=proposal, line=line
    )
    for name, value in fields.items():
        setattr(action, name, value)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def budget_line_add(
    *, proposal: Proposal, by: User, kind: str, description: str, public_amount: Decimal, ets_amount: Decimal
) -> BudgetLine:
    _ensure_editable(proposal, by)
    line = BudgetLine(
        proposal=proposal, kind=kind, description=description, public_amount=public_amount, ets_amount=ets_amount
    )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def budget_line_remove(*, line: BudgetLine, by: User) -> None:
    _ensure_editable(line.proposal, by)
    line.delete()


def proposal_missing_items(*, proposal: Proposal) -> list[drafts.MissingItem]:
    """Everything that prevents submission, listed at once in step order."""
    from .steps import STEPS

    def url(step):
        return reverse("projects:proposal_step", kwargs={"pk": proposal.pk, "step": step})

    items = []
    if not proposal.title.strip() or not proposal.summary.strip():
        items.append(drafts.MissingItem("body", _("Indica il titolo e la sintesi della proposta."), url("body")))
    if not proposal.experience.strip():
        items.append(drafts.MissingItem("body", _("Descrivi l'esperienza nel territorio."), url("body")))
    for member in proposal.members.select_related("organisation"):
        if member.confirmed_at is None:
            items.append(
                drafts.MissingItem(
                    "body",
                    _("«%(name)s» non ha ancora confermato l'adesione al raggruppamento.")
                    % {"name": member.organisation.name},
                    url("body"),
                )
            )
    if proposal.is_grouping and proposal.members.count() < 2:
        items.append(drafts.MissingItem("body", _("Un raggruppamento ha almeno due enti."), url("body")))
    if not all(getattr(proposal, n) for n in DECLARATIONS):
        items.append(
            drafts.MissingItem("declarations", _("Rendi tutte le dichiarazioni richieste."), url("declarations"))
        )
    if not proposal.actions.exists():
        items.append(drafts.MissingItem("actions", _("Descrivi almeno una linea di azione."), url("actions")))
    if not proposal.budget_lines.exists():
        items.append(drafts.MissingItem("budget", _("Inserisci almeno una voce di budget."), url("budget")))
    return drafts.missing_items_sorted(items, STEPS)


def proposal_package(*, proposal: Proposal) -> dict:
    """The frozen content of the proposal (what is hashed and shown on the receipt)."""
    totals = proposal_budget_totals(proposal=proposal)
    return {
        "reference": str(proposal.reference),
        "call": {"id": proposal.call_id, "title": proposal.call.notice.title},
        "lead": {
            "name": proposal.organisation.name,
            "tax_code": proposal.organisation.tax_code,
            "runts_number": proposal.organisation.runts_number,
        },
        "is_grouping": proposal.is_grouping,
        "members": [
            {
                "name": m.organisation.name,
                "tax_code": m.organisation.tax_code,
                "runts_number": m.organisation.runts_number,
                "role": m.role,
                "is_lead": m.is_lead,
                "confirmed_at": m.confirmed_at.isoformat() if m.confirmed_at else None,
            }
            for m in proposal.members.select_related("organisation")
        ],
        "title": proposal.title,
        "summary": proposal.summary,
        "experience": proposal.experience,
        "declarations": {name: getattr(proposal, name) for name in DECLARATIONS},
        "actions": [
            {
                "line": a.line,
                "activities": a.activities,
                "staff_hours": a.staff_hours,
                "volunteer_hours": a.volunteer_hours,
                "units_brought": a.units_brought,
                "partners": a.partners,
                "timeline": a.timeline,
                "indicator": a.indicator,
                "baseline": a.baseline,
                "target": a.target,
            }
            for a in proposal.actions.all()
        ],
        "budget": [
            {
                "kind": b.kind,
                "description": b.description,
                "public_amount": str(b.public_amount),
                "ets_amount": str(b.ets_amount),
            }
            for b in proposal.budget_lines.all()
        ],
        "totals": {
            "public": str(totals["public"]),
            "ets": str(totals["ets"]),
            "total": str(totals["total"]),
            "ets_share": str(totals["ets_share"]) if totals["ets_share"] is not None else None,
        },
    }


@transaction.atomic
def proposal_submit(*, proposal: Proposal, by: User) -> Proposal:
    """Freeze, hash, number and queue the receipt of a complete proposal; a double click changes nothing.

    Raises SubmissionIncomplete with every missing item, ValidationError if the call is closed.
    """
    locked = workflow.lock(proposal, select_related=("call__notice", "organisation"))
    if locked.protocol_id:
        return locked
    _require(by, "projects.submit_proposal", locked)
    if not locked.call.notice.is_open:
        raise ValidationError(_("Il termine per presentare le proposte è scaduto."))
    if items := proposal_missing_items(proposal=locked):
        raise SubmissionIncomplete(items)
    locked.package = proposal_package(proposal=locked)
    locked.package_sha256 = drafts.package_hash(locked.package)
    locked.protocol = protocol.register(
        direction=protocol.INCOMING,
        record=locked,
        sender=locked.lead_label,
        recipient=str(locked.call.notice.rup),
        subject=_("Proposta di co-progettazione - %(title)s") % {"title": locked.call.notice.title},
        sha256=locked.package_sha256,
    )
    workflow.transition_run(
        locked, "submit", by=by, verb="proposal.submitted", data={"protocol": locked.protocol.display_number}
    )
    outbox.request(RECEIPT_JOB, target=locked)
    return locked


def proposal_receipt_job_run(job: outbox.Job):
    """Outbox handler: the receipt PDF (a new version only if its source changed), e-mailed once
    to the lead's PEC or the submitter."""
    from . import documents

    proposal = (
        Proposal.objects.select_related("protocol", "organisation", "created_by").filter(pk=job.target_id).first()
    )
    if proposal is None or proposal.protocol_id is None:
        return None
    html, title = documents.receipt_html(proposal=proposal)
    document, created = document_store(
        owner=proposal,
        kind=GeneratedKind.RECEIPT,
        html=html,
        title=title,
        filename=lambda v: "ricevuta-proposta-%s-v%d.pdf" % (proposal.protocol.display_number.replace("/", "-"), v),
        job=job,
    )
    if created:
        audit.record(target=proposal, verb="proposal.receipt_generated", data={"document": document.pk})
    with outbox.step(job, "emailed") as todo:
        recipient = proposal.organisation.pec or proposal.created_by.email
        if todo and recipient:
            with translation.override(PDF_LANGUAGE):
                message = EmailMessage(
                    subject=_("Ricevuta della proposta prot. n. %(number)s")
                    % {"number": proposal.protocol.display_number},
                    body=_(
                        "La proposta «%(title)s» è stata protocollata con il numero %(number)s. "
                        "In allegato la ricevuta."
                    )
                    % {"title": proposal.title, "number": proposal.protocol.display_number},
                    to=[recipient],
                )
            email_queue(message, documents=[document])
    return document


@transaction.atomic
def proposal_admissibility(*, proposal: Proposal, by: User, admitted: bool, reason: str) -> Proposal:
    """SUBMITTED → ADMITTED or NOT_ADMITTED, with the reasons (required for a refusal)."""
    locked = workflow.lock(proposal, select_related=("call__notice", "organisation", "created_by", "protocol"))
    if not admitted and not reason.strip():
        raise ValidationError(_("Indica i motivi della non ammissione."))
    if admitted:
        workflow.transition_run(locked, "admit", by=by, verb="proposal.admitted", reason=reason, note=reason)
        subject = gettext_lazy("Proposta ammessa alla valutazione - prot. n. %(number)s")
    else:
        workflow.transition_run(
            locked, "refuse_admission", by=by, verb="proposal.not_admitted", reason=reason, note=reason
        )
        subject = gettext_lazy("Proposta non ammessa - prot. n. %(number)s")
    _ets_notify(
        proposal=locked,
        template="admissibility",
        subject=subject,
        params={"number": locked.protocol.display_number},
        link=("projects:proposal_detail", locked.pk),
        context={"admitted": admitted, "reason": reason.strip(), "notice_title": locked.call.notice.title},
    )
    return locked


# --- Commission ------------------------------------------------------------------------


def _current(proposal: Proposal) -> Proposal:
    """The proposal and its call as they are now (the rules read both states)."""
    return Proposal.objects.select_related("call__notice").get(pk=proposal.pk)


def _seat(call: CodesignCall, user: User) -> CommissionMember:
    seat = call.commission.filter(user=user).first()
    if seat is None:
        raise PermissionDenied(_("Non fai parte della commissione di questo avviso."))
    return seat


@transaction.atomic
def conflict_declare(*, proposal: Proposal, by: User, has_conflict: bool, note: str = "") -> ConflictDeclaration:
    """The member's declaration on ``proposal`` (once: it cannot be changed afterwards)."""
    proposal = _current(proposal)
    _require(by, "projects.declare_conflict", proposal)
    seat = _seat(proposal.call, by)
    if ConflictDeclaration.objects.filter(member=seat, proposal=proposal).exists():
        raise ValidationError(_("Hai già reso la dichiarazione per questa proposta."))
    declaration = ConflictDeclaration.objects.create(
        member=seat, proposal=proposal, has_conflict=has_conflict, note=note
    )
    audit.record(
        target=proposal, verb="proposal.conflict_declared", by=by, data={"member": seat.pk, "conflict": has_conflict}
    )
    return declaration


def _points_check(criterion: Criterion, points: Decimal, reason: str) -> None:
    if points < 0 or points > criterion.max_points:
        raise ValidationError(
            _("Il punteggio di «%(title)s» va da 0 a %(max)s.")
            % {"title": criterion.title, "max": criterion.max_points}
        )
    if not str(reason).strip():
        raise ValidationError(_("Motiva il punteggio di «%(title)s».") % {"title": criterion.title})


@transaction.atomic
def scores_record(*, proposal: Proposal, by: User, scores: dict[int, tuple[Decimal, str]]) -> list[Score]:
    """The member's points and reasons on every scored criterion of ``proposal`` (replaces theirs).

    Raises PermissionDenied for a member with a conflict (or without a declaration), ValidationError
    for points out of range, a missing reason or a missing criterion.
    """
    proposal = _current(proposal)
    _require(by, "projects.score", proposal)
    seat = _seat(proposal.call, by)
    leaves = leaf_criteria(proposal.call)
    missing = [c.title for c in leaves if c.pk not in scores]
    if missing:
        raise ValidationError(_("Manca il punteggio di: %(list)s.") % {"list": ", ".join(missing)})
    saved = []
    for criterion in leaves:
        points, reason = scores[criterion.pk]
        points = Decimal(str(points))
        _points_check(criterion, points, reason)
        score, _created = Score.objects.update_or_create(
            member=seat, proposal=proposal, criterion=criterion, defaults={"points": points, "reason": reason}
        )
        saved.append(score)
    audit.record(target=proposal, verb="proposal.scored", by=by, data={"member": seat.pk})
    return saved


@transaction.atomic
def joint_scores_record(*, proposal: Proposal, by: User, scores: dict[int, tuple[Decimal, str]]) -> list[JointScore]:
    """The commission's agreed score (calls in joint mode), recorded by staff."""
    proposal = _current(proposal)
    _require(by, "projects.manage_call", proposal.call)
    if proposal.call.scoring_mode != ScoringMode.JOINT or proposal.status != ProposalStatus.ADMITTED:
        raise ValidationError(_("Il punteggio collegiale non è previsto per questa proposta."))
    saved = []
    for criterion in leaf_criteria(proposal.call):
        if criterion.pk not in scores:
            raise ValidationError(_("Manca il punteggio di: %(list)s.") % {"list": criterion.title})
        points, reason = scores[criterion.pk]
        points = Decimal(str(points))
        _points_check(criterion, points, reason)
        score, _created = JointScore.objects.update_or_create(
            proposal=proposal, criterion=criterion, defaults={"points": points, "reason": reason}
        )
        saved.append(score)
    audit.record(target=proposal, verb="proposal.joint_scored", by=by)
    return saved


@transaction.atomic
def ranking_publish(*, call: CodesignCall, by: User) -> list:
    """Close the evaluation: every admitted proposal placed or excluded below the threshold (each
    transition audited), the ranking numbered in the protocol, its PDF and the score sheets queued.

    Raises ValidationError while some member has still to declare or score.
    """
    locked = workflow.lock(call, select_related=("notice",))
    if locked.status != CallStatus.EVALUATION:
        raise ValidationError(_("La graduatoria si pubblica al termine della valutazione."))
    _require(by, "projects.manage_call", locked)
    if not call_scoring_complete(call=locked):
        raise ValidationError(_("Non tutti i componenti della commissione hanno dichiarato e valutato ogni proposta."))
    rows = ranking_compute(call=locked)
    for row in rows:
        proposal = workflow.lock(row.proposal)
        if row.admitted:
            workflow.transition_run(
                proposal,
                "place",
                by=by,
                verb="proposal.ranked",
                data={"score": str(row.total), "rank": row.position},
                score=row.total,
                rank=row.position,
            )
        else:
            workflow.transition_run(
                proposal,
                "exclude_below_threshold",
                by=by,
                verb="proposal.below_threshold",
                reason=row.reason,
                score=row.total,
                note=row.reason,
            )
    locked.ranking_protocol = protocol.register(
        direction=protocol.OUTGOING,
        record=locked,
        sender=str(locked.notice.rup),
        recipient=_("Albo pretorio"),
        subject=_("Graduatoria della co-progettazione - %(title)s") % {"title": locked.notice.title},
        sha256=drafts.package_hash({"rows": [[r.proposal.pk, str(r.total), r.position] for r in rows]}),
    )
    workflow.transition_run(
        locked,
        "publish_ranking",
        by=by,
        verb="codesign_call.ranking_published",
        data={"protocol": locked.ranking_protocol.display_number},
    )
    outbox.request(RANKING_JOB, target=locked)
    transaction.on_commit(public_pages_invalidate)  # the call's public page shows the ranking
    max_points = locked.max_points
    for row in rows:
        proposal = Proposal.objects.select_related("organisation", "created_by").get(pk=row.proposal.pk)
        _ets_notify(
            proposal=proposal,
            template="ranking",
            subject=gettext_lazy("Graduatoria pubblicata - %(title)s"),
            params={"title": locked.notice.title},
            link=("projects:proposal_detail", proposal.pk),
            context={
                "ranked": row.admitted,
                "position": row.position,
                "score": number_it(row.total, 2),
                "max_points": number_it(max_points, 2),
                "threshold": number_it(locked.admission_threshold, 2),
                "reason": row.reason,
                "notice_title": locked.notice.title,
                "ranking_number": locked.ranking_protocol.display_number,
                "appeal_days": locked.appeal_days,
                "appeal_deadline": _date(locked.appeal_deadline),
            },
        )
    return rows


def ranking_job_run(job: outbox.Job):
    """Outbox handler: the ranking PDF of the call and one score sheet per evaluated proposal."""
    from . import documents

    call = CodesignCall.objects.select_related("notice", "ranking_protocol").filter(pk=job.target_id).first()
    if call is None or call.ranking_protocol_id is None:
        return None
    html, title = documents.ranking_html(call=call)
    ranking, _created = document_store(
        owner=call,
        kind=GeneratedKind.RANKING,
        html=html,
        title=title,
        filename=lambda v: "graduatoria-%s-v%d.pdf" % (call.pk, v),
        job=job,
    )
    for proposal in call.proposals.filter(status__in=[ProposalStatus.RANKED, ProposalStatus.BELOW_THRESHOLD]):
        html, title = documents.score_sheet_html(proposal=proposal)
        document_store(
            owner=proposal,
            kind=GeneratedKind.SCORE_SHEET,
            html=html,
            title=title,
            filename=lambda v, p=proposal: "scheda-valutazione-%s-v%d.pdf" % (p.pk, v),
            job=job,
        )
    return ranking


# --- Co-design table -------------------------------------------------------------------


SESSION_CHANGES = ("session.moved", "session.cancelled")


def session_ics(*, session: TableSession, sequence: int = 0, cancelled: bool = False) -> bytes:
    """The session as an iCalendar event (core's ``event_ics``): one UID for the session's life,
    each move or the cancellation raising the SEQUENCE so calendars update or remove it."""
    host = settings.SITE_URL.split("//")[-1].split("/")[0]
    return event_ics(
        uid="codesign-session-%d@%s" % (session.pk, host),
        start=session.starts_at,
        end=session.starts_at + timezone.timedelta(hours=2),
        summary="%s - %s" % (session, session.call.notice.title),
        location=session.online_link or session.place,
        description=session.agenda,
        sequence=sequence,
        cancelled=cancelled,
    )


def _invite(session: TableSession, *, update: bool, cancelled: bool = False) -> None:
    """E-mail every participant the invitation, its update or its cancellation, with the ICS."""
    sequence = audit.events_for(session).filter(verb__in=SESSION_CHANGES).count()
    ics = session_ics(session=session, sequence=sequence, cancelled=cancelled)
    with translation.override(PDF_LANGUAGE):
        label = "%s - %s" % (session, session.call.notice.title)
        if cancelled:
            subject = _("Seduta annullata: %(session)s") % {"session": label}
        elif update:
            subject = _("Seduta spostata: %(session)s") % {"session": label}
        else:
            subject = _("Convocazione: %(session)s") % {"session": label}
        body = _("Data e ora: %(when)s\nLuogo: %(place)s\nOrdine del giorno:\n%(agenda)s") % {
            "when": timezone.localtime(session.starts_at).strftime("%d/%m/%Y %H:%M"),
            "place": session.online_link or session.place,
            "agenda": session.agenda,
        }
        if cancelled:
            body = "%s\n\n%s\n%s" % (
                _("La seduta è annullata e va tolta dal calendario (in allegato l'annullamento)."),
                _("Motivo: %(reason)s") % {"reason": session.cancel_reason},
                body,
            )
        elif update:
            body = "%s\n\n%s" % (
                _("La seduta è stata spostata: in allegato l'appuntamento aggiornato per il calendario."),
                body,
            )
    for participant in session.participants.select_related("user"):
        if participant.user.email:
            message = EmailMessage(subject=subject, body=body, to=[participant.user.email])
            message.attach("seduta-%d.ics" % session.number, ics, "text/calendar")
            email_queue(message)


@transaction.atomic
def session_schedule(
    *,
    call: CodesignCall,
    by: User,
    starts_at,
    agenda: str,
    place: str = "",
    online_link: str = "",
    participants: list[tuple[User, str, Organisation | None]] = (),
) -> TableSession:
    """Schedule a table session with its participants and e-mail them the invitation (ICS)."""
    _require(by, "projects.manage_call", call)
    if call.status != CallStatus.RANKED:
        raise ValidationError(_("Il tavolo di co-progettazione si avvia dopo la pubblicazione della graduatoria."))
    if not (place or online_link):
        raise ValidationError(_("Indica il luogo o il collegamento online."))
    number = (TableSession.objects.filter(call=call).aggregate(m=Max("number"))["m"] or 0) + 1
    session = TableSession(
        call=call, number=number, starts_at=starts_at, agenda=agenda, place=place, online_link=online_link
    )
    session.full_clean(exclude=["status"])
    session.save()
    for user, side, organisation in participants:
        SessionParticipant.objects.create(session=session, user=user, side=side, organisation=organisation)
    audit.record(target=session, verb="session.scheduled", by=by, to_state=session.status)
    _invite(session, update=False)
    return session


@transaction.atomic
def session_move(
    *, session: TableSession, by: User, starts_at, place: str | None = None, online_link: str | None = None
) -> TableSession:
    """Move a scheduled session (date, place or link) and send everyone the updated invitation
    (same UID, higher SEQUENCE); ``place`` or ``online_link`` left ``None`` stay as they are.

    Raises ValidationError for a date in the past, no place nor link, or nothing changed;
    StaleTransition if the session is no longer scheduled.
    """
    _require(by, "projects.run_table", session)
    locked = workflow.lock(session, expected_status=SessionStatus.SCHEDULED, select_related=("call__notice",))
    # ``None`` keeps what the session has.
    place = locked.place if place is None else place
    online_link = locked.online_link if online_link is None else online_link
    if starts_at <= timezone.now():
        raise ValidationError(_("La nuova data della seduta deve essere futura."))
    if not (place or online_link):
        raise ValidationError(_("Indica il luogo o il collegamento online."))
    before = {"starts_at": locked.starts_at, "place": locked.place, "online_link": locked.online_link}
    after = {"starts_at": starts_at, "place": place, "online_link": online_link}
    if before == after:
        raise ValidationError(_("La data e il luogo sono quelli già comunicati: nulla da aggiornare."))
    locked.starts_at, locked.place, locked.online_link = starts_at, place, online_link
    locked.full_clean(exclude=["status"])
    locked.save(update_fields=["starts_at", "place", "online_link", "updated_at"])
    audit.record(
        target=locked,
        verb="session.moved",
        by=by,
        data={"from": before["starts_at"].isoformat(), "to": starts_at.isoformat()},
    )
    _invite(locked, update=True)
    return locked


@transaction.atomic
def session_cancel(*, session: TableSession, by: User, reason: str) -> TableSession:
    """SCHEDULED → CANCELLED with the reason; everyone receives the cancellation (METHOD:CANCEL).

    Raises ValidationError without a reason, StaleTransition if the session is no longer scheduled.
    """
    _require(by, "projects.run_table", session)
    if not reason.strip():
        raise ValidationError(_("Indica il motivo dell'annullamento."))
    locked = workflow.lock(session, expected_status=SessionStatus.SCHEDULED, select_related=("call__notice",))
    workflow.transition_run(locked, "cancel", by=by, verb="session.cancelled", reason=reason, note=reason)
    _invite(locked, update=True, cancelled=True)
    return locked


@transaction.atomic
def session_hold(*, session: TableSession, by: User) -> TableSession:
    return workflow.transition_run(workflow.lock(session), "hold", by=by, verb="session.held")


@transaction.atomic
def session_minutes_write(*, session: TableSession, by: User, minutes: str) -> TableSession:
    """Write the minutes (HELD) and put them up for approval (MINUTES_DRAFT); editing again in
    MINUTES_DRAFT clears the approvals already given."""
    locked = workflow.lock(session)
    _require(by, "projects.run_table", locked)
    if locked.status not in (SessionStatus.HELD, SessionStatus.MINUTES_DRAFT):
        raise ValidationError(_("Il verbale si scrive dopo la seduta e prima della sua approvazione."))
    locked.minutes = minutes
    locked.save(update_fields=["minutes", "updated_at"])
    if locked.status == SessionStatus.HELD:
        workflow.transition_run(locked, "draft_minutes", by=by, verb="session.minutes_drafted")
    else:
        locked.participants.update(approved_at=None)
        audit.record(target=locked, verb="session.minutes_edited", by=by)
    return locked


@transaction.atomic
def minutes_approve(*, session: TableSession, by: User) -> TableSession:
    """A participant approves the minutes (recorded once); when all have, they are approved,
    numbered in the protocol and rendered as PDF."""
    locked = workflow.lock(session, expected_status=SessionStatus.MINUTES_DRAFT)
    _require(by, "projects.approve_minutes", locked)
    participant = locked.participants.get(user=by)
    if participant.approved_at is None:
        participant.approved_at = timezone.now()
        participant.save(update_fields=["approved_at"])
        audit.record(target=locked, verb="session.minutes_approved_by", by=by, data={"participant": participant.pk})
    if locked.all_approved():
        locked.minutes_protocol = protocol.register(
            direction=protocol.OUTGOING,
            record=locked,
            sender=str(locked.call.notice.rup),
            recipient=_("Partecipanti al tavolo"),
            subject=_("Verbale della seduta n. %(number)s - %(title)s")
            % {"number": locked.number, "title": locked.call.notice.title},
            sha256=drafts.package_hash({"minutes": locked.minutes}),
        )
        workflow.transition_run(locked, "approve_minutes", by=by, verb="session.minutes_approved", system=True)
        outbox.request(MINUTES_JOB, target=locked)
    return locked


def minutes_job_run(job: outbox.Job):
    from . import documents

    session = TableSession.objects.select_related("call__notice", "minutes_protocol").filter(pk=job.target_id).first()
    if session is None or session.minutes_protocol_id is None:
        return None
    html, title = documents.minutes_html(session=session)
    document, _created = document_store(
        owner=session,
        kind=GeneratedKind.MINUTES,
        html=html,
        title=title,
        filename=lambda v: "verbale-seduta-%d-v%d.pdf" % (session.number, v),
        job=job,
    )
    return document


# --- Final project and agreement -------------------------------------------------------


def _lines_from_proposal(proposal: Proposal) -> list[dict]:
    budget: dict[str, list] = {}
    for b in proposal.budget_lines.all():
        budget.setdefault(b.kind, []).append(b)
    lines = []
    for action in proposal.actions.all():
        lines.append(
            {
                "line": action.line,
                "activities": action.activities,
                "responsible": proposal.organisation.name,
                "public_amount": "0.00",
                "ets_amount": "0.00",
                "indicator": action.indicator,
                "target": action.target,
                "schedule": action.timeline,
            }
        )
    totals = proposal_budget_totals(proposal=proposal)
    if lines:
        # The budget is by kind, not by line: the table splits it; it starts on the first line.
        lines[0]["public_amount"], lines[0]["ets_amount"] = str(totals["public"]), str(totals["ets"])
    return lines


@transaction.atomic
def project_create(*, proposal: Proposal, by: User, title: str = "") -> FinalProject:
    """The final project of a ranked proposal, version 1 copied from the proposal."""
    _require(by, "projects.manage_call", proposal.call)
    proposal = workflow.lock(proposal)  # a double click must not reach the unique constraint (a 500)
    if proposal.status != ProposalStatus.RANKED:
        raise ValidationError(_("Solo una proposta in graduatoria diventa un progetto definitivo."))
    if FinalProject.objects.filter(proposal=proposal).exists():
        raise ValidationError(_("Questa proposta ha già un progetto definitivo."))
    project = FinalProject.objects.create(call=proposal.call, proposal=proposal, title=title or proposal.title)
    FinalProjectVersion.objects.create(
        project=project, number=1, lines=_lines_from_proposal(proposal), note=_("Dalla proposta"), created_by=by
    )
    audit.record(target=project, verb="project.created", by=by, data={"version": 1})
    return project


def lines_validate(lines: list[dict]) -> list[dict]:
    clean = []
    for line in lines:
        if line.get("line") not in ActionLine.values or not str(line.get("activities") or "").strip():
            raise ValidationError(_("Ogni riga ha una linea di azione e le attività."))
        try:
            public, ets = Decimal(str(line.get("public_amount") or 0)), Decimal(str(line.get("ets_amount") or 0))
        except ArithmeticError:
            raise ValidationError(_("Gli importi devono essere numeri.")) from None
        if public < 0 or ets < 0:
            raise ValidationError(_("Gli importi non possono essere negativi."))
        clean.append(
            {
                **line,
                "public_amount": str(public.quantize(Decimal("0.01"))),
                "ets_amount": str(ets.quantize(Decimal("0.01"))),
            }
        )
    return clean


@transaction.atomic
def project_version_add(*, project: FinalProject, by: User, lines: list[dict], note: str = "") -> FinalProjectVersion:
    """A new version of the final project (the earlier ones stay); refused once the agreement is signed."""
    _require(by, "projects.manage_call", project.call)
    locked = FinalProject.objects.select_for_update().get(pk=project.pk)
    agreement = Agreement.objects.filter(project=locked).first()
    if agreement is not None and agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(_("Il progetto non si modifica dopo la firma della convenzione."))
    number = (locked.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = FinalProjectVersion.objects.create(
        project=locked, number=number, lines=lines_validate(lines), note=note, created_by=by
    )
    audit.record(target=locked, verb="project.versioned", by=by, data={"version": number})
    return version


@transaction.atomic
def agreement_create(*, project: FinalProject, by: User, starts_on: date, ends_on: date) -> Agreement:
    """The agreement (DRAFT) from the project's current version; its PDF is rendered by the outbox."""
    _require(by, "projects.manage_agreement")
    if ends_on <= starts_on:
        raise ValidationError(_("La fine della convenzione deve seguire il suo inizio."))
    agreement = Agreement.objects.filter(project=project).first()
    if agreement is not None:
        locked = workflow.lock(agreement, expected_status=AgreementStatus.DRAFT)
        locked.version, locked.starts_on, locked.ends_on = project.current, starts_on, ends_on
        locked.save()
    else:
        locked = Agreement.objects.create(
            project=project, version=project.current, starts_on=starts_on, ends_on=ends_on
        )
    audit.record(target=locked, verb="agreement.drafted", by=by, data={"version": locked.version.number})
    outbox.request(AGREEMENT_JOB, target=locked, coalesce=True)
    return locked


def agreement_job_run(job: outbox.Job):
    from . import documents

    agreement = Agreement.objects.select_related("project__call__notice", "version").filter(pk=job.target_id).first()
    if agreement is None:
        return None
    html, title = documents.agreement_html(agreement=agreement)
    document, _created = document_store(
        owner=agreement,
        kind=GeneratedKind.AGREEMENT,
        html=html,
        title=title,
        filename=lambda v: "convenzione-%d-v%d.pdf" % (agreement.pk, v),
        job=job,
    )
    # Each request (a first draft, a re-draft) tells the ETS once that the text is ready to sign.
    with outbox.step(job, "emailed") as todo:
        if todo and agreement.status == AgreementStatus.DRAFT:
            proposal = Proposal.objects.select_related("organisation", "created_by").get(
                pk=agreement.project.proposal_id
            )
            _ets_notify(
                proposal=proposal,
                template="agreement",
                subject=gettext_lazy("Convenzione pronta per la firma - %(title)s"),
                params={"title": agreement.project.title},
                link=("projects:proposal_detail", proposal.pk),
                context={
                    "project_title": agreement.project.title,
                    "starts_on": _date(agreement.starts_on),
                    "ends_on": _date(agreement.ends_on),
                },
                documents=[document],
            )
    return document


@transaction.atomic
def agreement_sign(*, agreement: Agreement, by: User, upload) -> Agreement:
    """Store the signed agreement (PDF or P7M, checked by content), number it, DRAFT → SIGNED."""
    _require(by, "projects.manage_agreement", agreement)
    accepted = uploads.accept(upload, policy=uploads.SIGNED)
    locked = workflow.lock(agreement, expected_status=AgreementStatus.DRAFT, select_related=("project__proposal",))
    uploads.store(locked, accepted, file_field="signed_file")
    locked.signed_sha256 = accepted.sha256
    locked.protocol = protocol.register(
        direction=protocol.INCOMING,
        record=locked,
        sender=locked.project.proposal.lead_label,
        recipient=_("Comune capofila"),
        subject=_("Convenzione firmata - %(title)s") % {"title": locked.project.title},
        sha256=accepted.sha256,
    )
    workflow.transition_run(
        locked, "sign", by=by, verb="agreement.signed", data={"sha256": accepted.sha256, "size": accepted.size}
    )
    return locked


@transaction.atomic
def agreement_activate(*, agreement: Agreement, by: User) -> Agreement:
    return workflow.transition_run(workflow.lock(agreement), "activate", by=by, verb="agreement.activated")


@transaction.atomic
def agreement_close(*, agreement: Agreement, by: User) -> Agreement:
    return workflow.transition_run(workflow.lock(agreement), "close", by=by, verb="agreement.closed")


# --- Reports ---------------------------------------------------------------------------


@transaction.atomic
def report_create(*, project: FinalProject, by: User, period_start: date, period_end: date) -> Report:
    """A draft report of the project's ETS (only while the agreement is active)."""
    _require(by, "projects.start_report", project)
    agreement = Agreement.objects.filter(project=project).first()
    if agreement is None or agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError(_("Si rendiconta solo un progetto con la convenzione in corso."))
    if period_end < period_start:
        raise ValidationError(_("Il periodo rendicontato non è valido."))
    report = Report.objects.create(project=project, period_start=period_start, period_end=period_end, created_by=by)
    audit.record(target=report, verb="report.started", by=by, to_state=report.status)
    return report


@transaction.atomic
def report_update(*, report: Report, by: User, activities: str, hours: int) -> Report:
    report = workflow.lock(report, select_related=("project__proposal",))
    _require(by, "projects.edit_report", report)
    report.activities, report.hours = activities, hours
    report.full_clean(exclude=["status"])
    report.save()
    return report


@transaction.atomic
def report_cost_add(
    *, report: Report, by: User, kind: str, description: str, amount: Decimal, receipt=None
) -> ReportCost:
    """A cost on a budget kind, with its receipt (PDF, image or P7M, checked by content)."""
    _require(by, "projects.edit_report", report)
    if kind not in BudgetKind.values:
        raise ValidationError(_("Tipo di risorsa non valido."))
    cost = ReportCost(report=report, kind=kind, description=description, amount=amount)
    cost.full_clean(exclude=["receipt"])
    if receipt is not None:
        accepted = uploads.accept(receipt, policy=uploads.DOCUMENTS)
        uploads.store(cost, accepted, file_field="receipt")
        cost.receipt_sha256 = accepted.sha256
    cost.save()
    return cost


@transaction.atomic
def report_indicator_add(*, report: Report, by: User, line: str, name: str, value: Decimal) -> ReportIndicator:
    _require(by, "projects.edit_report", report)
    indicator = ReportIndicator(report=report, line=line, name=name, value=value)
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def report_indicators_set(*, report: Report, by: User, values: dict[tuple[str, str], Decimal | None]) -> list:
    """Record the report's value of each indicator of the project, keyed by (action line, name);
    ``None`` clears it. Raises ValidationError for an indicator the project does not have or a
    negative value, PermissionDenied unless ``by`` may edit the report."""
    from .selectors import project_indicators

    locked = workflow.lock(report, select_related=("project__proposal",))
    _require(by, "projects.edit_report", locked)
    known = {(i["line"], i["name"]) for i in project_indicators(project=locked.project)}
    if unknown := sorted(name for (line, name) in values if (line, name) not in known):
        raise ValidationError(_("Indicatori non previsti dal progetto: %(list)s.") % {"list": ", ".join(unknown)})
    saved = []
    for (line, name), value in values.items():
        if value is None:
            ReportIndicator.objects.filter(report=locked, line=line, name=name).delete()
            continue
        if value < 0:
            raise ValidationError(_("Il valore di «%(name)s» non può essere negativo.") % {"name": name})
        indicator = ReportIndicator.objects.filter(report=locked, line=line, name=name).first() or ReportIndicator(
            report=locked, line=line, name=name
        )
        indicator.value = value
        indicator.full_clean()
        indicator.save()
        saved.append(indicator)
    audit.record(target=locked, verb="report.indicators_recorded", by=by, data={"indicators": len(saved)})
    return saved


@transaction.atomic
def report_submit(*, report: Report, by: User) -> Report:
    """DRAFT/SENT_BACK → SUBMITTED, numbered in the protocol."""
    locked = workflow.lock(report, select_related=("project__proposal__organisation",))
    if not workflow.permitted(locked, "submit", by):
        raise PermissionDenied(_("Non hai i permessi per questa operazione."))
    locked.protocol = protocol.register(
        direction=protocol.INCOMING,
        record=locked,
        sender=locked.project.proposal.lead_label,
        recipient=_("Ufficio di Piano"),
        subject=_("Rendicontazione - %(title)s") % {"title": locked.project.title},
        sha256=drafts.package_hash(
            {
                "activities": locked.activities,
                "hours": locked.hours,
                "costs": [[c.kind, str(c.amount), c.receipt_sha256] for c in locked.costs.all()],
                "indicators": [[i.line, i.name, str(i.value)] for i in locked.indicators.all()],
            }
        ),
    )
    return workflow.transition_run(
        locked, "submit", by=by, verb="report.submitted", data={"protocol": locked.protocol.display_number}
    )


def _report_notify(report: Report, *, approved: bool) -> None:
    proposal = Proposal.objects.select_related("organisation", "created_by").get(pk=report.project.proposal_id)
    subject = (
        gettext_lazy("Rendicontazione approvata - %(title)s")
        if approved
        else gettext_lazy("Rendicontazione rinviata per modifiche - %(title)s")
    )
    _ets_notify(
        proposal=proposal,
        template="report",
        subject=subject,
        params={"title": report.project.title},
        link=("projects:report_detail", report.pk),
        context={
            "approved": approved,
            "notes": report.staff_notes,
            "period_start": _date(report.period_start),
            "period_end": _date(report.period_end),
            "project_title": report.project.title,
        },
        user=report.created_by,
    )


@transaction.atomic
def report_send_back(*, report: Report, by: User, notes: str) -> Report:
    """SUBMITTED → SENT_BACK with the notes, e-mailed to the ETS. Raises ValidationError without notes."""
    if not notes.strip():
        raise ValidationError(_("Indica che cosa va modificato."))
    locked = workflow.lock(report, select_related=("project", "created_by"))
    workflow.transition_run(locked, "send_back", by=by, verb="report.sent_back", reason=notes, notes=notes)
    _report_notify(locked, approved=False)
    return locked


@transaction.atomic
def report_approve(*, report: Report, by: User) -> Report:
    """SUBMITTED → APPROVED, e-mailed to the ETS."""
    locked = workflow.lock(report, select_related=("project", "created_by"))
    workflow.transition_run(locked, "approve", by=by, verb="report.approved")
    _report_notify(locked, approved=True)
    return locked
