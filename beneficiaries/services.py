"""Every write on households, plans, matches, placements, actions and outcomes.

Each service checks its ``rules`` permission, validates, writes, and records one AuditEvent in
the same transaction. Audit data holds ids, dates and codes, never names, codici fiscali or
special-category values. E-mails go through ``core.mail`` (the outbox) and name the household
by its code only.
"""

from datetime import date
from decimal import Decimal

import rules
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from housingmix.accounts.models import User
from housingmix.core import audit, mail, workflow
from properties.models import PROPOSABLE, RegistryEntry, UnitAvailability
from properties.services import registry_availability_set

from .models import (
    FOLLOW_UP_MONTHS,
    PACT_JOB,
    PACT_KIND,
    FollowUp,
    Goal,
    GoalProgress,
    Household,
    Match,
    MatchStatus,
    Member,
    Outcome,
    Placement,
    PlanStatus,
    Review,
    SupportAction,
    SupportPlan,
)
from .selectors import placements_needing_registration

# Transition name → audit verb of the plan's workflow.
PLAN_TRANSITIONS = {
    "start_assessment": "plan.assessment_started",
    "start_drafting": "plan.drafting_started",
    "sign_pact": "plan.pact_signed",
    "place": "plan.placed",
    "activate": "plan.activated",
    "extend": "plan.extended",
    "end_positive": "plan.ended_positive",
    "end_negative": "plan.ended_negative",
    "interrupt": "plan.interrupted",
}
# Transitions that need a reason (why the plan stops or changes course).
REASON_REQUIRED = {"extend", "end_positive", "end_negative", "interrupt"}


def _require(perm: str, user, obj=None) -> None:
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied(_("Non hai i permessi per questa operazione su questo nucleo."))


def _notify(user: User | None, *, subject: str, body: str) -> None:
    """An e-mail to a portal user through the outbox (no personal data of the household)."""
    if user is None or not user.email:
        return
    mail.email_queue(EmailMessage(subject=subject, body=body, to=[user.email]))


def _link(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


# --- Households -------------------------------------------------------------------------------


@transaction.atomic
def household_refer(*, by: User, members: list[dict], preferred_comuni=(), **fields) -> Household:
    """Refer a household: the referring social worker becomes its reference worker, the plan
    starts REFERRED. ``members`` are dicts of Member fields (at least one).

    Raises PermissionDenied for anybody but a social worker with a comune, ValidationError for
    invalid data (every member is validated: codice fiscale, birth date matching it).
    """
    _require("beneficiaries.refer_household", by)
    if not members:
        raise ValidationError(_("Indica almeno un componente del nucleo."))
    household = Household(social_worker=by, **fields)
    household.full_clean(exclude=["social_worker"])
    household.save()
    household.preferred_comuni.set(preferred_comuni)
    seen = set()
    for data in members:
        member = Member(household=household, **data)
        # Before full_clean(), whose uniqueness check would answer first with Django's generic message.
        code = (member.tax_code or "").strip().upper()
        if code and code in seen:
            raise ValidationError(_("Lo stesso codice fiscale compare due volte nel nucleo."))
        seen.add(code)
        member.full_clean()
        member.save()
    plan = SupportPlan.objects.create(household=household)
    audit.record(target=household, verb="household.referred", by=by, data={"members": len(members), "plan": plan.pk})
    return household


@transaction.atomic
def member_add(*, household: Household, by: User, **fields) -> Member:
    """Add a member to a household; raises PermissionDenied or ValidationError."""
    _require("beneficiaries.change_household", by, household)
    member = Member(household=household, **fields)
    member.full_clean()
    member.save()
    audit.record(target=household, verb="household.member_added", by=by, data={"member": member.pk})
    return member


@transaction.atomic
def household_project_link(*, household: Household, project, by: User) -> Household:
    """Link the household to the active co-design project under which its ETS operates (or
    unlink it with ``project=None``); raises PermissionDenied or ValidationError."""
    _require("beneficiaries.change_household", by, household)
    locked = Household.objects.select_for_update(of=("self",)).get(pk=household.pk)
    locked.project = project
    locked.full_clean(exclude=["social_worker"])  # limit_choices_to: an active agreement only
    locked.save(update_fields=["project", "updated_at"])
    audit.record(target=locked, verb="household.project_linked", by=by, data={"project": getattr(project, "pk", None)})
    return locked


# --- Plan -------------------------------------------------------------------------------------


@transaction.atomic
def plan_transition(
    *, plan: SupportPlan, name: str, by: User, reason: str = "", expected_status: str | None = None, **kwargs
) -> SupportPlan:
    """Run one transition of the plan's workflow, dated, with its reason, audited.

    Raises ValidationError (unknown transition, missing reason, state not allowing it, stale
    page) and PermissionDenied.
    """
    if name not in PLAN_TRANSITIONS:
        raise ValidationError(_("Operazione sconosciuta."))
    reason = (reason or "").strip()
    if name in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Indica il motivo.")})
    locked = workflow.lock(plan, expected_status=expected_status)
    locked = workflow.transition_run(
        locked, name, by=by, verb=PLAN_TRANSITIONS[name], reason=reason, reason_text=reason, **kwargs
    )
    if locked.is_ended:
        Household.objects.filter(pk=locked.household_id).update(closed_at=timezone.now())
    return locked


@transaction.atomic
def goal_add(*, plan: SupportPlan, by: User, **fields) -> Goal:
    """Add a goal (indicator, baseline, target, date) to a plan not yet ended."""
    _require("beneficiaries.manage_plan", by, plan)
    if plan.is_ended:
        raise ValidationError(_("Il progetto è concluso."))
    goal = Goal(plan=plan, **fields)
    goal.full_clean()
    goal.save()
    audit.record(target=plan, verb="plan.goal_added", by=by, data={"goal": goal.pk})
    return goal


@transaction.atomic
def review_record(*, plan: SupportPlan, by: User, held_on: date, notes: str, progress: dict[int, dict]) -> Review:
    """Record a review against the plan's goals (``progress``: goal id → {value, reached, note})
    and set the next review date (every ``review_every_months``)."""
    _require("beneficiaries.manage_plan", by, plan)
    if plan.status not in (PlanStatus.ACTIVE, PlanStatus.EXTENDED, PlanStatus.PLACED):
        raise ValidationError(_("Le verifiche si registrano sui progetti in corso."))
    goals = {g.pk: g for g in plan.goals.all()}
    unknown = set(progress) - set(goals)
    if unknown:
        raise ValidationError(_("Obiettivo non appartenente al progetto."))
    review = Review.objects.create(plan=plan, held_on=held_on, notes=notes, by=by)
    for goal_id, values in progress.items():
        GoalProgress.objects.create(
            review=review,
            goal=goals[goal_id],
            value=values.get("value", ""),
            reached=bool(values.get("reached")),
            note=values.get("note", ""),
        )
    SupportPlan.objects.filter(pk=plan.pk).update(
        next_review_on=held_on + relativedelta(months=plan.review_every_months), review_reminded_on=None
    )
    audit.record(target=plan, verb="plan.reviewed", by=by, data={"review": review.pk, "goals": len(progress)})
    return review


def reviews_remind_due(*, today: date | None = None, days_before: int = 7) -> int:
    """Remind the reference worker of each review due within ``days_before`` days, once per
    due date; returns how many. Safe to run twice."""
    today = today or timezone.localdate()
    sent = 0
    ids = list(
        SupportPlan.objects.filter(
            status__in=[PlanStatus.ACTIVE, PlanStatus.EXTENDED],
            next_review_on__isnull=False,
            next_review_on__lte=today + relativedelta(days=days_before),
            review_reminded_on__isnull=True,
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            plan = (
                SupportPlan.objects.select_for_update(of=("self",))
                .select_related("household__social_worker")
                .filter(pk=pk, review_reminded_on__isnull=True)
                .first()
            )
            if plan is None:
                continue
            plan.review_reminded_on = today
            plan.save(update_fields=["review_reminded_on"])
            audit.record(target=plan, verb="plan.review_reminded", data={"due": plan.next_review_on.isoformat()})
            _notify(
                plan.household.social_worker,
                subject=_("Verifica del progetto %(code)s") % {"code": plan.household.code},
                body=_("La verifica del progetto del nucleo %(code)s è prevista per il %(date)s.\n%(link)s")
                % {
                    "code": plan.household.code,
                    "date": plan.next_review_on.strftime("%d/%m/%Y"),
                    "link": _link("beneficiaries:detail", pk=plan.household_id),
                },
            )
            sent += 1
    return sent


@transaction.atomic
def action_record(*, plan: SupportPlan, by: User, **fields) -> SupportAction:
    """Record an action of one of the four lines, with the acting user as operator."""
    _require("beneficiaries.record_action", by, plan)
    action = SupportAction(plan=plan, operator=by, **fields)
    action.full_clean()
    action.save()
    audit.record(target=plan, verb="plan.action_recorded", by=by, data={"action": action.pk, "line": action.line})
    return action


@transaction.atomic
def outcome_record(*, plan: SupportPlan, by: User, kind: str, note: str = "") -> Outcome:
    """Record the outcome of an ended plan and schedule the follow-ups at 6 and 12 months."""
    _require("beneficiaries.manage_plan", by, plan)
    if not plan.is_ended:
        raise ValidationError(_("L'esito si registra alla conclusione del progetto."))
    if Outcome.objects.filter(plan=plan).exists():
        raise ValidationError(_("L'esito di questo progetto è già registrato."))
    outcome = Outcome(plan=plan, kind=kind, note=note, by=by)
    outcome.full_clean()
    outcome.save()
    end = plan.ended_on or timezone.localdate()
    for months in FOLLOW_UP_MONTHS:
        FollowUp.objects.create(outcome=outcome, months=months, due_on=end + relativedelta(months=months))
    audit.record(target=plan, verb="plan.outcome_recorded", by=by, data={"kind": kind})
    return outcome


def follow_ups_remind_due(*, today: date | None = None) -> int:
    """Remind the reference worker of each follow-up now due, once; returns how many."""
    today = today or timezone.localdate()
    sent = 0
    ids = list(
        FollowUp.objects.filter(done_on__isnull=True, reminded_on__isnull=True, due_on__lte=today).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        with transaction.atomic():
            follow_up = (
                FollowUp.objects.select_for_update(of=("self",))
                .select_related("outcome__plan__household__social_worker")
                .filter(pk=pk, reminded_on__isnull=True)
                .first()
            )
            if follow_up is None:
                continue
            follow_up.reminded_on = today
            follow_up.save(update_fields=["reminded_on"])
            plan = follow_up.outcome.plan
            audit.record(target=plan, verb="plan.follow_up_reminded", data={"months": follow_up.months})
            _notify(
                plan.household.social_worker,
                subject=_("Follow-up a %(months)s mesi del nucleo %(code)s")
                % {"months": follow_up.months, "code": plan.household.code},
                body=_("È il momento del follow-up a %(months)s mesi dalla conclusione del progetto.\n%(link)s")
                % {"months": follow_up.months, "link": _link("beneficiaries:detail", pk=plan.household_id)},
            )
            sent += 1
    return sent


@transaction.atomic
def follow_up_record(*, follow_up: FollowUp, by: User, **fields) -> FollowUp:
    """Record what a follow-up found."""
    plan = follow_up.outcome.plan
    _require("beneficiaries.manage_plan", by, plan)
    for name, value in fields.items():
        setattr(follow_up, name, value)
    follow_up.done_on = follow_up.done_on or timezone.localdate()
    follow_up.full_clean()
    follow_up.save()
    audit.record(target=plan, verb="plan.follow_up_recorded", by=by, data={"months": follow_up.months})
    return follow_up


# --- Matching ---------------------------------------------------------------------------------


@transaction.atomic
def match_propose(*, household: Household, entry: RegistryEntry, by: User) -> Match:
    """Propose a registry unit to a household, with the matching reasons frozen.

    A unit is proposed to one household at a time: a unit already matched raises ValidationError
    (the database constraint ``match_one_open_per_unit`` holds it even under concurrency).
    """
    from .matching import unit_assessment

    _require("beneficiaries.propose_match", by, household)
    entry = RegistryEntry.objects.select_for_update(of=("self",)).select_related("application").get(pk=entry.pk)
    if entry.availability not in PROPOSABLE:
        raise ValidationError(_("L'alloggio non è disponibile: è già abbinato o in uso."))
    assessment = unit_assessment(household=household, entry=entry)
    try:
        with transaction.atomic():
            match = Match.objects.create(household=household, entry=entry, proposed_by=by, reasons=assessment.as_json())
    except IntegrityError as exc:
        raise ValidationError(_("L'alloggio è già proposto a un altro nucleo.")) from exc
    registry_availability_set(entry=entry, availability=UnitAvailability.MATCHED, by=by, data={"match": match.pk})
    audit.record(target=match, verb="match.proposed", by=by, data={"entry": entry.pk, "score": assessment.score})
    audit.record(target=household, verb="match.proposed", by=by, data={"match": match.pk, "entry": entry.pk})
    owner = entry.application.created_by if entry.application_id else None
    _notify(
        owner,
        subject=_("Proposta di abbinamento per il suo alloggio"),
        body=_("L'Ufficio di Piano propone un nucleo del programma per l'alloggio. Accetti o rifiuti qui:\n%(link)s")
        % {"link": _link("beneficiaries:match_decide", pk=match.pk)},
    )
    _notify(
        household.social_worker,
        subject=_("Proposta di abbinamento per il nucleo %(code)s") % {"code": household.code},
        body=_("È stato proposto un alloggio al nucleo. Accetti o rifiuti qui:\n%(link)s")
        % {"link": _link("beneficiaries:match_decide", pk=match.pk)},
    )
    return match


@transaction.atomic
def match_decide(*, match: Match, by: User, side: str, decision: str, reason: str = "") -> Match:
    """Record the owner's (``side="owner"``) or the social worker's (``"worker"``) decision.

    A refusal needs a reason and declines the match at once (the unit is free again); the
    match is accepted when both sides accepted. Raises PermissionDenied, ValidationError.
    """
    reason = (reason or "").strip()
    if side not in ("owner", "worker") or decision not in ("accepted", "declined"):
        raise ValidationError(_("Decisione non valida."))
    locked = workflow.lock(match, select_related=("entry__application", "household__social_worker"))
    _require("beneficiaries.decide_match_%s" % side, by, locked)
    if locked.status != MatchStatus.PROPOSED:
        raise ValidationError(_("Sull'abbinamento è già stata presa una decisione."))
    if decision == "declined" and not reason:
        raise ValidationError({"reason": _("Indica il motivo del rifiuto.")})
    if getattr(locked, "%s_decision" % side):
        raise ValidationError(_("Hai già deciso su questo abbinamento."))
    setattr(locked, "%s_decision" % side, decision)
    setattr(locked, "%s_reason" % side, reason)
    setattr(locked, "%s_decided_at" % side, timezone.now())
    locked.save()
    audit.record(target=locked, verb="match.decided", by=by, reason=reason, data={"side": side, "decision": decision})
    if decision == "declined":
        workflow.transition_run(locked, "decline", by=by, verb="match.declined", reason=reason, system=True)
        registry_availability_set(
            entry=locked.entry, availability=UnitAvailability.AVAILABLE, by=by, data={"match": locked.pk}
        )
    elif locked.owner_decision == "accepted" and locked.worker_decision == "accepted":
        workflow.transition_run(locked, "accept", by=by, verb="match.accepted", system=True)
    return locked


# --- Placement --------------------------------------------------------------------------------


@transaction.atomic
def placement_create(*, match: Match, by: User, **fields) -> Placement:
    """Record the contract of an accepted match; the unit becomes "contract signed" and the plan
    (if its pact is signed) PLACED. Raises PermissionDenied, ValidationError."""
    locked = workflow.lock(match, select_related=("entry", "household__social_worker"))
    _require("beneficiaries.manage_placement", by, locked.household)
    if locked.status != MatchStatus.ACCEPTED:
        raise ValidationError(_("Serve un abbinamento accettato dal proprietario e dall'assistente sociale."))
    if Placement.objects.filter(match=locked).exists():
        raise ValidationError(_("L'inserimento di questo abbinamento è già registrato."))
    placement = Placement(household=locked.household, entry=locked.entry, match=locked, **fields)
    if locked.entry.co_housing and not placement.house_rules_accepted:
        raise ValidationError({"house_rules_accepted": _("In co-housing il regolamento di convivenza va accettato.")})
    placement.full_clean(exclude=["match", "status"])
    placement.save()
    registry_availability_set(
        entry=locked.entry, availability=UnitAvailability.CONTRACT_SIGNED, by=by, data={"placement": placement.pk}
    )
    audit.record(target=placement, verb="placement.created", by=by, data={"entry": locked.entry_id})
    audit.record(target=locked.household, verb="placement.created", by=by, data={"placement": placement.pk})
    plan = locked.household.plan
    if plan.status == PlanStatus.PACT_SIGNED:
        plan_transition(plan=plan, name="place", by=by, reason=_("Contratto sottoscritto"))
    return placement


@transaction.atomic
def placement_register(*, placement: Placement, by: User, registered_on: date, code: str) -> Placement:
    """Record the registration with the tax agency (date and code)."""
    locked = workflow.lock(placement, select_related=("household__social_worker",))
    _require("beneficiaries.manage_placement", by, locked.household)
    locked.tax_registered_on = registered_on
    locked.tax_registration_code = (code or "").strip()
    if not locked.tax_registration_code:
        raise ValidationError({"tax_registration_code": _("Indica il codice di registrazione.")})
    locked.full_clean(exclude=["match", "status"])
    locked.save()
    late = registered_on > locked.registration_deadline if locked.registration_deadline else False
    audit.record(
        target=locked, verb="placement.registered", by=by, data={"on": registered_on.isoformat(), "late": late}
    )
    return locked


@transaction.atomic
def placement_move_in(*, placement: Placement, by: User) -> Placement:
    """The household moved in: the unit is in use and the plan (if PLACED) ACTIVE."""
    locked = workflow.lock(placement, select_related=("entry", "household__social_worker"))
    _require("beneficiaries.manage_placement", by, locked.household)
    workflow.transition_run(locked, "move_in", by=by, verb="placement.moved_in", system=True, clean=False)
    registry_availability_set(entry=locked.entry, availability=UnitAvailability.IN_USE, by=by)
    plan = locked.household.plan
    if plan.status == PlanStatus.PLACED:
        plan_transition(plan=plan, name="activate", by=by, reason=_("Ingresso nell'alloggio"))
    return locked


@transaction.atomic
def placement_end(*, placement: Placement, by: User, reason: str) -> Placement:
    """End a placement (with a reason): the unit is free again for another household."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indica il motivo.")})
    locked = workflow.lock(placement, select_related=("entry", "household__social_worker"))
    _require("beneficiaries.manage_placement", by, locked.household)
    workflow.transition_run(locked, "end", by=by, verb="placement.ended", reason=reason, system=True, clean=False)
    registry_availability_set(entry=locked.entry, availability=UnitAvailability.ENDED, by=by)
    return locked


def placements_overdue(*, today: date | None = None):
    """Placements past the 30-day registration deadline and not registered (the overdue list)."""
    today = today or timezone.localdate()
    return [p for p in placements_needing_registration() if p.registration_deadline < today]


def registrations_remind(*, today: date | None = None, days_before: int = 7) -> int:
    """Remind the reference worker of each contract to register within ``days_before`` days of its
    deadline, or past it, once per placement; returns how many. Safe to run twice."""
    today = today or timezone.localdate()
    sent = 0
    for candidate in placements_needing_registration():
        if candidate.registration_reminded_on is not None:
            continue
        if candidate.registration_deadline > today + relativedelta(days=days_before):
            continue
        with transaction.atomic():
            placement = (
                Placement.objects.select_for_update(of=("self",))
                .select_related("household__social_worker")
                .filter(pk=candidate.pk, registration_reminded_on__isnull=True, tax_registered_on__isnull=True)
                .first()
            )
            if placement is None:
                continue
            placement.registration_reminded_on = today
            placement.save(update_fields=["registration_reminded_on"])
            overdue = placement.registration_deadline < today
            audit.record(
                target=placement,
                verb="placement.registration_reminded",
                data={"deadline": placement.registration_deadline.isoformat(), "overdue": overdue},
            )
            _notify(
                placement.household.social_worker,
                subject=_("Registrazione del contratto del nucleo %(code)s") % {"code": placement.household.code},
                body=_("Il contratto va registrato all'Agenzia delle Entrate entro il %(date)s.\n%(link)s")
                % {
                    "date": placement.registration_deadline.strftime("%d/%m/%Y"),
                    "link": _link("beneficiaries:detail", pk=placement.household_id),
                },
            )
            sent += 1
    return sent


def placement_rent_split_default(*, monthly_rent: Decimal, household_share: Decimal) -> Decimal:
    """The programme's contribution when the household pays ``household_share`` of the rent."""
    return max(Decimal("0"), monthly_rent - household_share)


# --- Pact (PDF) -------------------------------------------------------------------------------


@transaction.atomic
def pact_request(*, plan: SupportPlan, by: User) -> None:
    """Queue the rendering of the pact (outbox; a double click adds no second job)."""
    from housingmix.core import outbox

    _require("beneficiaries.manage_plan", by, plan)
    outbox.request(PACT_JOB, target=plan, coalesce=True)
    audit.record(target=plan, verb="plan.pact_generated", by=by)


def pact_job_run(job) -> None:
    """Outbox handler: render the pact as a new version unless the same source exists."""
    from housingmix.core.documents import document_store

    from . import documents

    plan = (
        SupportPlan.objects.select_related("household__social_worker", "household__comune")
        .filter(pk=job.target_id)
        .first()
    )
    if plan is None:
        return None
    html, title = documents.pact_html(plan=plan)
    document_store(
        owner=plan,
        kind=PACT_KIND,
        html=html,
        title=title,
        filename=lambda version: documents.pact_filename(plan=plan, version=version),
        job=job,
    )
    return None


# --- Retention (GDPR art. 5 c. 1 e) ------------------------------------------------------------

PSEUDONYM = "-"


def households_pseudonymise(*, now=None) -> int:
    """Pseudonymise the households closed more than BENEFICIARIES_RETENTION_DAYS ago: names,
    codici fiscali, contacts, notes and special categories are blanked, birth dates kept to the
    year (for the aggregates); states, dates, comuni, actions' hours and outcomes stay. Returns
    how many; safe to run twice."""
    from datetime import timedelta

    now = now or timezone.now()
    limit = now - timedelta(days=settings.BENEFICIARIES_RETENTION_DAYS)
    ids = list(
        Household.objects.filter(closed_at__lt=limit, pseudonymised_at__isnull=True).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            household = Household.objects.select_for_update().filter(pk=pk, pseudonymised_at__isnull=True).first()
            if household is None:
                continue
            _pseudonymise(household, now=now)
            audit.record(target=household, verb="household.pseudonymised")
    return len(ids)


def _pseudonymise(household: Household, *, now) -> None:
    """Blank what identifies the members (the aggregates keep states, dates, comuni, hours);
    the generated pacts and the signed copy go too, files included."""
    from housingmix.core.documents import documents_of
    from housingmix.core.uploads import delete_files

    for position, member in enumerate(household.members.order_by("pk"), start=1):
        member.first_name = PSEUDONYM
        member.last_name = "%s-%d" % (household.code, position)
        member.tax_code = "X%015d" % member.pk
        member.birth_date = member.birth_date.replace(month=1, day=1)
        member.disability = ""
        member.health_notes = ""
        member.needs_step_free = None
        member.save()
    household.contact_phone = ""
    household.contact_email = ""
    household.housing_notes = ""
    household.needs = ""
    household.pseudonymised_at = now
    household.save()
    SupportAction.objects.filter(plan__household=household).update(note="")
    Review.objects.filter(plan__household=household).update(notes="")
    plan = SupportPlan.objects.get(household=household)
    documents = documents_of(plan)
    names = [d.file.name for d in documents if d.file] + ([plan.signed_pact.name] if plan.signed_pact else [])
    documents.delete()
    SupportPlan.objects.filter(pk=plan.pk).update(signed_pact="", signed_pact_sha256="")
    transaction.on_commit(lambda: delete_files(names))


@transaction.atomic
def household_erase(*, household: Household, by: User, reason: str) -> Household:
    """Erase the personal data of a household on a data subject's request (GDPR art. 17), where
    the law allows it (the DPO states why in ``reason``): as pseudonymisation, at once, recorded.
    Raises PermissionDenied for anybody but the DPO, ValidationError without a reason or for an
    open plan (a household still accompanied keeps its data for the service, art. 17 c. 3 b)."""
    _require("beneficiaries.export_subject", by, household)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indica il motivo e la base giuridica della cancellazione.")})
    locked = Household.objects.select_for_update().get(pk=household.pk)
    if locked.pseudonymised_at is not None:
        raise ValidationError(_("I dati di questo nucleo sono già stati cancellati."))
    if not SupportPlan.objects.get(household=locked).is_ended:
        raise ValidationError(_("Il progetto è in corso: concludilo prima di cancellare i dati."))
    _pseudonymise(locked, now=timezone.now())
    audit.record(target=locked, verb="household.erased", by=by, reason=reason)
    return locked


@transaction.atomic
def signed_pact_upload(*, plan: SupportPlan, by: User, upload) -> SupportPlan:
    """Store the signed copy of the pact (a PDF or a P7M, core upload policy SIGNED)."""
    from housingmix.core import uploads

    _require("beneficiaries.manage_plan", by, plan)
    accepted = uploads.accept(upload, policy=uploads.SIGNED)
    locked = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    uploads.store(locked, accepted, file_field="signed_pact")
    locked.signed_pact_sha256 = accepted.sha256
    locked.save(update_fields=["signed_pact", "signed_pact_sha256", "updated_at"])
    audit.record(
        target=locked, verb="plan.pact_uploaded", by=by, data={"sha256": accepted.sha256, "size": accepted.size}
    )
    return locked
