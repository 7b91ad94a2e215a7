"""Who may do what in co-design (object-level, via django-rules).

An ETS sees and edits only the proposals, projects and reports of the organisations its account
belongs to: never another ETS's proposal or any score. A commission member sees a proposal only
after declaring, for it, that there is no conflict of interest (L. 241/1990 art. 6-bis); a
declared conflict keeps them out of it. Individual scores stay blind until every member has scored.
"""

import rules

from housingmix.accounts.rules import is_ambito_staff


def _organisation_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_projects_org_ids"):
        user._projects_org_ids = set(user.memberships.values_list("organisation_id", flat=True))
    return user._projects_org_ids


def _proposal_party_ids(proposal) -> set[int]:
    return {proposal.organisation_id, *proposal.members.values_list("organisation_id", flat=True)}


@rules.predicate
def is_ets_operator(user):
    from housingmix.accounts.models import OrganisationType
    from housingmix.accounts.roles import Role

    return (
        user.is_authenticated
        and user.has_role(Role.ETS_OPERATOR)
        and user.memberships.filter(organisation__type=OrganisationType.ETS).exists()
    )


@rules.predicate
def is_proposal_party(user, proposal):
    """A member of the lead organisation or of an organisation of the grouping."""
    return proposal is not None and bool(_organisation_ids(user) & _proposal_party_ids(proposal))


@rules.predicate
def is_proposal_lead(user, proposal):
    return proposal is not None and proposal.organisation_id in _organisation_ids(user)


@rules.predicate
def is_proposal_draft(user, proposal):
    return proposal is not None and proposal.is_draft


@rules.predicate
def is_member_organisation(user, member):
    """The legal representative or a delegate of the organisation of a grouping member."""
    return member is not None and member.organisation_id in _organisation_ids(user)


def _seat(user, call):
    if not user.is_authenticated or call is None:
        return None
    return call.commission.filter(user=user).first()


@rules.predicate
def is_commission_member(user, call):
    return _seat(user, call) is not None


@rules.predicate
def is_commission_member_for(user, proposal):
    return proposal is not None and _seat(user, proposal.call) is not None


@rules.predicate
def declared_no_conflict(user, proposal):
    seat = _seat(user, proposal.call) if proposal is not None else None
    return seat is not None and seat.declarations.filter(proposal=proposal, has_conflict=False).exists()


@rules.predicate
def is_scorable(user, proposal):
    from .models import CallStatus, ProposalStatus

    return (
        proposal is not None
        and proposal.status == ProposalStatus.ADMITTED
        and proposal.call.status == CallStatus.EVALUATION
    )


@rules.predicate
def scoring_complete(user, proposal):
    from .selectors import call_scoring_complete

    return proposal is not None and call_scoring_complete(call=proposal.call)


@rules.predicate
def is_session_participant(user, session):
    return session is not None and user.is_authenticated and session.participants.filter(user=user).exists()


@rules.predicate
def is_project_party(user, project):
    return project is not None and is_proposal_party(user, project.proposal)


@rules.predicate
def is_report_party(user, report):
    return report is not None and is_proposal_party(user, report.project.proposal)


@rules.predicate
def is_report_editable(user, report):
    from .models import Agreement, AgreementStatus, ReportStatus

    return (
        report is not None
        and report.status in (ReportStatus.DRAFT, ReportStatus.SENT_BACK)
        and Agreement.objects.filter(project_id=report.project_id, status=AgreementStatus.ACTIVE).exists()
    )


rules.add_perm("projects.manage_call", is_ambito_staff)
rules.add_perm("projects.start_proposal", is_ets_operator)
rules.add_perm("projects.view_proposal", is_proposal_party | is_ambito_staff | declared_no_conflict)
rules.add_perm("projects.edit_proposal", is_proposal_lead & is_proposal_draft)
rules.add_perm("projects.submit_proposal", is_proposal_lead & is_proposal_draft)
rules.add_perm("projects.confirm_membership", is_member_organisation)
rules.add_perm("projects.check_admissibility", is_ambito_staff & ~is_proposal_party)
rules.add_perm("projects.sit_on_commission", is_commission_member)
rules.add_perm("projects.declare_conflict", is_commission_member_for & ~is_proposal_party)
rules.add_perm("projects.score", is_commission_member_for & declared_no_conflict & is_scorable & ~is_proposal_party)
# Everybody's scores, for staff and for the commission: only once every member has scored.
rules.add_perm(
    "projects.view_all_scores", (is_ambito_staff | declared_no_conflict) & ~is_proposal_party & scoring_complete
)
rules.add_perm("projects.run_table", is_ambito_staff)
rules.add_perm("projects.view_session", is_ambito_staff | is_session_participant)
rules.add_perm("projects.approve_minutes", is_session_participant)
rules.add_perm("projects.manage_agreement", is_ambito_staff)
rules.add_perm("projects.view_project", is_ambito_staff | is_project_party)
rules.add_perm("projects.start_report", is_project_party)
rules.add_perm("projects.view_report", is_ambito_staff | is_report_party)
rules.add_perm("projects.edit_report", is_report_party & is_report_editable)
rules.add_perm("projects.review_report", is_ambito_staff & ~is_report_party)
