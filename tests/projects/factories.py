"""Builders for co-design: every state reached through the services a user would call.

``codesign_call()`` is a published call on an open co-design notice with the default grid;
``ets_operator()`` an operator of a new ETS; ``submitted_proposal(call)`` a complete proposal
(``grouping=True``: an ATS of two, both confirmed) submitted and protocolled;
``evaluation(call, proposals, members=2)`` closes the window, admits the proposals and seats the
commission; ``score_all(...)`` has each member declare and score; ``ranked_call()`` the whole way.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.messages import get_messages
from django.utils import timezone

from housingmix.accounts.models import Membership, MembershipRole
from housingmix.accounts.roles import Role
from housingmix.notices.models import Notice, NoticeKind
from projects import services
from projects.models import ActionLine, BudgetKind, ParticipantSide
from projects.selectors import leaf_criteria
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.applications.factories import comune_in_ambito
from tests.notices.factories import NoticeFactory


def fresh(obj):
    """The row again from the database (FSM fields are protected: no ``refresh_from_db``),
    keeping the helpers' attributes (``staff``, ``operator``, ``partner_user``)."""
    again = type(obj).objects.get(pk=obj.pk)
    for name in ("staff", "operator", "partner_user"):
        if hasattr(obj, name):
            setattr(again, name, getattr(obj, name))
    return again


def staff_user(**kwargs):
    return UserFactory(staff=True, **kwargs)


def ets_operator(*, name: str | None = None, runts: str = "12345", **user):
    """A user with the ETS operator role, legal representative of a new ETS."""
    organisation = OrganisationFactory(**({"name": name} if name else {}), runts_number=runts)
    operator = UserFactory(roles=[Role.ETS_OPERATOR], **user)
    Membership.objects.create(user=operator, organisation=organisation, role=MembershipRole.LEGAL_REPRESENTATIVE)
    return operator, organisation


def commission_user(**kwargs):
    return UserFactory(roles=[Role.COMMISSION], **kwargs)


def codesign_notice(*, days: int = 30, **kwargs) -> Notice:
    comune_in_ambito()
    now = timezone.now()
    return NoticeFactory(
        kind=NoticeKind.CODESIGN,
        title=kwargs.pop("title", "Avviso di co-progettazione Housing Mix"),
        opens_at=now - timedelta(hours=1),
        closes_at=now - timedelta(hours=1) + timedelta(days=days),
        **kwargs,
    )


def codesign_call(*, by=None, publish: bool = True, days: int = 30, **fields):
    by = by or staff_user()
    notice = codesign_notice(days=days)
    fields.setdefault("objectives", "Co-progettare i servizi dell'abitare in transizione.")
    fields.setdefault("requirements", "ETS iscritti al RUNTS con esperienza nel territorio.")
    fields.setdefault("staff_hours", 400)
    fields.setdefault("budget_eur", Decimal("150000.00"))
    call = services.call_create(notice=notice, by=by, **fields)
    if publish:
        call = services.call_publish(call=call, by=by)
    call.staff = by
    return call


def fill_proposal(proposal, by, *, public=Decimal("10000.00"), ets=Decimal("2500.00")):
    services.proposal_update(
        proposal=proposal,
        by=by,
        fields={
            "title": "Casa comune %s" % proposal.organisation.name,
            "summary": "Accompagnamento all'autonomia di nuclei in transizione.",
            "experience": "Dieci anni di servizi abitativi nel Lodigiano.",
            "declares_runts": True,
            "declares_no_exclusion": True,
            "declares_truthful": True,
        },
    )
    services.proposal_action_save(
        proposal=proposal,
        by=by,
        line=ActionLine.AUTONOMY,
        activities="Tutoraggio domestico e gestione della casa.",
        staff_hours=300,
        volunteer_hours=120,
        units_brought=2,
        indicator="Nuclei autonomi",
        baseline="0",
        target="8",
        timeline="12 mesi",
    )
    services.budget_line_add(
        proposal=proposal, by=by, kind=BudgetKind.HUMAN, description="Educatori", public_amount=public, ets_amount=ets
    )
    return proposal


def submitted_proposal(call, *, grouping: bool = False, operator=None, organisation=None, **amounts):
    if operator is None:
        operator, organisation = ets_operator()
    proposal = services.proposal_start(call=call, by=operator, organisation=organisation, is_grouping=grouping)
    fill_proposal(proposal, operator, **amounts)
    if grouping:
        partner_user, partner = ets_operator(name="Associazione Partner %d" % proposal.pk)
        member = services.proposal_member_add(proposal=proposal, by=operator, organisation=partner, role="Partner")
        services.proposal_member_confirm(member=member, by=partner_user)
    proposal = services.proposal_submit(proposal=proposal, by=operator)
    proposal.operator = operator
    proposal.partner_user = partner_user if grouping else None
    return proposal


def close_window(call):
    Notice.objects.filter(pk=call.notice_id).update(
        opens_at=timezone.now() - timedelta(days=40), closes_at=timezone.now() - timedelta(minutes=1)
    )
    call.notice = Notice.objects.get(pk=call.notice_id)


def evaluation(call, proposals, *, members: int = 2):
    """Window closed, evaluation started, every proposal admitted, ``members`` appointed."""
    staff = call.staff
    close_window(call)
    services.call_start_evaluation(call=call, by=staff)
    for proposal in proposals:
        services.proposal_admissibility(proposal=proposal, by=staff, admitted=True, reason="Requisiti presenti")
    seats = [commission_user(first_name="Commissario", last_name="N%d" % i) for i in range(members)]
    services.commission_appoint(
        call=call, by=staff, act_number="55/2026", act_date=date(2026, 3, 1), members=seats, president=seats[0]
    )
    return seats


def score(proposal, member, points: list):
    """``member`` declares no conflict and gives ``points`` (one per leaf criterion, in grid order)."""
    services.conflict_declare(proposal=proposal, by=member, has_conflict=False)
    criteria = leaf_criteria(proposal.call)
    services.scores_record(
        proposal=proposal,
        by=member,
        scores={c.pk: (Decimal(str(p)), "Motivazione %s" % c.title) for c, p in zip(criteria, points, strict=True)},
    )


def ranked_call(points_by_proposal: list[list[list]] | None = None, *, grouping_second: bool = True):
    """A call with two proposals (the second an ATS) scored by two members and ranked."""
    call = codesign_call()
    first = submitted_proposal(call)
    second = submitted_proposal(call, grouping=grouping_second)
    seats = evaluation(call, [first, second])
    points_by_proposal = points_by_proposal or [
        [[30, 15, 10, 10, 8], [34, 15, 12, 10, 6]],
        [[36, 18, 12, 12, 9], [38, 16, 13, 12, 9]],
    ]
    for proposal, per_member in zip([first, second], points_by_proposal, strict=True):
        for member, points in zip(seats, per_member, strict=True):
            score(proposal, member, points)
    services.ranking_publish(call=call, by=call.staff)
    return fresh(call), fresh(first), fresh(second), seats
    return call, first, second, seats


def active_project(call, proposal):
    staff = call.staff
    project = services.project_create(proposal=proposal, by=staff)
    agreement = services.agreement_create(
        project=project, by=staff, starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31)
    )
    return project, agreement


def schedule_session(call, proposal, *, public=None):
    public = public or call.staff
    return services.session_schedule(
        call=call,
        by=call.staff,
        starts_at=timezone.now() + timedelta(days=3),
        agenda="1. Avvio del tavolo\n2. Cronoprogramma",
        place="Sala consiliare, Lodi",
        participants=[
            (public, ParticipantSide.PUBLIC, None),
            (proposal.operator, ParticipantSide.ETS, proposal.organisation),
        ],
    )


def messages_of(response) -> list[str]:
    """The messages a response left for its page, as texts."""
    return [str(m) for m in get_messages(response.wsgi_request)]
