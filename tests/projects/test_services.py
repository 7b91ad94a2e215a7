"""The rules of co-design, each asserted on rows, states, audit events and raised errors."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from housingmix.core import audit
from housingmix.core.audit.models import AuditEvent
from housingmix.core.mail import JOB_KIND
from housingmix.core.models import OutgoingEmail
from housingmix.core.protocol import entries_for
from housingmix.notices.models import NoticeStatus
from projects import services
from projects.models import (
    AgreementStatus,
    CallStatus,
    ProposalStatus,
    ReportStatus,
    Score,
    ScoringMode,
    SessionStatus,
)
from projects.selectors import call_scoring_complete, proposal_budget_totals, ranking_compute
from tests.applications.conftest import pdf_upload
from tests.projects.factories import (
    active_project,
    codesign_call,
    commission_user,
    ets_operator,
    evaluation,
    fill_proposal,
    fresh,
    ranked_call,
    schedule_session,
    score,
    submitted_proposal,
)

pytestmark = pytest.mark.django_db


def verbs(obj):
    return list(audit.events_for(obj).values_list("verb", flat=True))


# --- The call ---------------------------------------------------------------------------


def test_call_gets_the_default_grid_of_100_points_and_threshold_60():
    call = codesign_call(publish=False)
    assert [c.max_points for c in call.criteria.all()] == [40, 20, 15, 15, 10]
    assert call.max_points == 100
    assert call.admission_threshold == 60
    assert call.min_open_days == 20


def test_publication_refuses_a_window_shorter_than_the_minimum():
    call = codesign_call(publish=False, days=19)
    with pytest.raises(ValidationError, match="almeno 20 giorni"):
        services.call_publish(call=call, by=call.staff)
    call = fresh(call)
    assert call.status == CallStatus.DRAFT and call.notice.status == NoticeStatus.DRAFT
    assert "codesign_call.published" not in verbs(call)


def test_the_minimum_window_is_configurable_per_call():
    call = codesign_call(publish=False, days=25, min_open_days=30)
    with pytest.raises(ValidationError, match="almeno 30 giorni"):
        services.call_publish(call=call, by=call.staff)
    call = codesign_call(publish=False, days=20)
    services.call_publish(call=call, by=call.staff)
    call = fresh(call)
    assert call.status == CallStatus.PUBLISHED and call.notice.status == NoticeStatus.PUBLISHED
    assert "codesign_call.published" in verbs(call)


def test_grid_with_sub_criteria_must_add_up():
    call = codesign_call(publish=False)
    bad = [
        {
            "title": "Qualità",
            "max_points": 40,
            "children": [{"title": "A", "max_points": 20}, {"title": "B", "max_points": 10}],
        }
    ]
    with pytest.raises(ValidationError, match="devono sommare"):
        services.call_grid_set(call=call, by=call.staff, grid=bad)
    good = [
        {
            "title": "Qualità",
            "max_points": 60,
            "children": [{"title": "A", "max_points": 30}, {"title": "B", "max_points": 30}],
        },
        {"title": "Rete", "max_points": 40},
    ]
    services.call_grid_set(call=call, by=call.staff, grid=good, threshold=Decimal("50"))
    assert call.criteria.count() == 4 and call.max_points == 160  # parents and children listed; leaves scored
    from projects.selectors import leaf_criteria

    assert [c.title for c in leaf_criteria(call)] == ["A", "B", "Rete"]


def test_only_staff_create_calls():
    operator, _org = ets_operator()
    from tests.projects.factories import codesign_notice

    with pytest.raises(PermissionDenied):
        services.call_create(notice=codesign_notice(), by=operator, objectives="x", requirements="y")


# --- Proposals ---------------------------------------------------------------------------


def test_budget_totals_and_co_financing_share():
    call = codesign_call()
    operator, org = ets_operator()
    proposal = services.proposal_start(call=call, by=operator, organisation=org)
    services.budget_line_add(
        proposal=proposal,
        by=operator,
        kind="housing",
        description="Alloggi",
        public_amount=Decimal("6000"),
        ets_amount=Decimal("2000"),
    )
    services.budget_line_add(
        proposal=proposal,
        by=operator,
        kind="human",
        description="Educatori",
        public_amount=Decimal("9000"),
        ets_amount=Decimal("3000"),
    )
    services.budget_line_add(
        proposal=proposal,
        by=operator,
        kind="human",
        description="Volontari",
        public_amount=Decimal("0"),
        ets_amount=Decimal("1000.50"),
    )
    totals = proposal_budget_totals(proposal=proposal)
    assert totals["kinds"]["human"]["public"] == Decimal("9000") and totals["kinds"]["human"]["ets"] == Decimal(
        "4000.50"
    )
    assert totals["kinds"]["housing"]["total"] == Decimal("8000")
    assert totals["public"] == Decimal("15000") and totals["ets"] == Decimal("6000.50")
    assert totals["total"] == Decimal("21000.50")
    assert totals["ets_share"] == Decimal("28.57")  # 6000.50 / 21000.50


def test_empty_budget_has_no_share():
    call = codesign_call()
    operator, org = ets_operator()
    proposal = services.proposal_start(call=call, by=operator, organisation=org)
    assert proposal_budget_totals(proposal=proposal)["ets_share"] is None


def test_only_an_ets_with_runts_number_may_propose():
    call = codesign_call()
    operator, org = ets_operator()
    type(org).objects.filter(pk=org.pk).update(runts_number="")
    org = fresh(org)
    with pytest.raises(ValidationError, match="RUNTS"):
        services.proposal_start(call=call, by=operator, organisation=org)


def test_missing_items_are_listed_at_once_and_nothing_is_numbered():
    call = codesign_call()
    operator, org = ets_operator()
    proposal = services.proposal_start(call=call, by=operator, organisation=org)
    with pytest.raises(services.SubmissionIncomplete) as error:
        services.proposal_submit(proposal=proposal, by=operator)
    steps = [item.step for item in error.value.items]
    assert steps == sorted(steps, key=["body", "declarations", "actions", "budget"].index)
    assert {"body", "declarations", "actions", "budget"} <= set(steps)
    proposal = fresh(proposal)
    assert proposal.status == ProposalStatus.DRAFT and proposal.protocol_id is None


def test_grouping_members_must_all_confirm_before_submission():
    call = codesign_call()
    operator, org = ets_operator()
    proposal = services.proposal_start(call=call, by=operator, organisation=org, is_grouping=True)
    fill_proposal(proposal, operator)
    partner_user, partner = ets_operator(name="Associazione Seconda")
    member = services.proposal_member_add(proposal=proposal, by=operator, organisation=partner, role="Mandante")
    with pytest.raises(services.SubmissionIncomplete, match="non ha ancora confermato"):
        services.proposal_submit(proposal=proposal, by=operator)
    # The lead cannot confirm for the partner.
    with pytest.raises(PermissionDenied):
        services.proposal_member_confirm(member=member, by=operator)
    services.proposal_member_confirm(member=member, by=partner_user)
    submitted = services.proposal_submit(proposal=proposal, by=operator)
    assert submitted.status == ProposalStatus.SUBMITTED
    assert [m["confirmed_at"] is not None for m in submitted.package["members"]] == [True, True]
    assert verbs(submitted)[:2] == ["proposal.submitted", "proposal.member_confirmed"]


def test_submission_freezes_hashes_numbers_and_queues_the_receipt(django_capture_on_commit_callbacks):
    call = codesign_call()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = submitted_proposal(call)
    assert proposal.protocol_id and proposal.package["totals"]["total"] == "12500.00"
    from housingmix.core.drafts import package_hash

    assert proposal.package_sha256 == package_hash(proposal.package) == proposal.protocol.sha256
    assert list(entries_for(proposal)) == [proposal.protocol]
    event = audit.events_for(proposal).get(verb="proposal.submitted")
    assert (event.from_state, event.to_state) == (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)
    assert OutgoingEmail.objects.filter(subject__contains=proposal.protocol.display_number).exists()
    # Frozen: a later edit is refused and a double submit changes nothing.
    with pytest.raises(ValidationError):
        services.proposal_update(proposal=proposal, by=proposal.operator, fields={"title": "Altro"})
    again = services.proposal_submit(proposal=proposal, by=proposal.operator)
    assert again.protocol_id == proposal.protocol_id and verbs(proposal).count("proposal.submitted") == 1
    assert JOB_KIND


def test_no_ets_sees_another_ets_proposal():
    call = codesign_call()
    mine = submitted_proposal(call)
    other = submitted_proposal(call, grouping=True)
    assert rules.has_perm("projects.view_proposal", mine.operator, mine)
    assert not rules.has_perm("projects.view_proposal", mine.operator, other)
    assert not rules.has_perm("projects.view_proposal", other.operator, mine)
    # A grouping member sees its own grouping's proposal, and not the other.
    assert rules.has_perm("projects.view_proposal", other.partner_user, other)
    assert not rules.has_perm("projects.view_proposal", other.partner_user, mine)


# --- Commission --------------------------------------------------------------------------


def test_conflict_declaration_blocks_scoring():
    call = codesign_call()
    proposal = submitted_proposal(call)
    first, second = evaluation(call, [proposal])
    criteria = {c.pk: (Decimal("1"), "motivo") for c in call.criteria.all()}
    # Before declaring: neither sees nor scores.
    assert not rules.has_perm("projects.view_proposal", first, proposal)
    with pytest.raises(PermissionDenied):
        services.scores_record(proposal=proposal, by=first, scores=criteria)
    services.conflict_declare(proposal=proposal, by=first, has_conflict=True, note="Parente del presidente")
    with pytest.raises(PermissionDenied):
        services.scores_record(proposal=proposal, by=first, scores=criteria)
    assert not rules.has_perm("projects.view_proposal", first, proposal)
    assert not Score.objects.exists()
    assert "proposal.conflict_declared" in verbs(proposal)
    # The excluded member does not count: the other one's score completes the evaluation.
    score(proposal, second, [30, 15, 10, 10, 8])
    assert call_scoring_complete(call=call)
    (row,) = ranking_compute(call=call)
    assert row.total == Decimal("73")


def test_a_declaration_cannot_be_changed():
    call = codesign_call()
    proposal = submitted_proposal(call)
    first, _second = evaluation(call, [proposal])
    services.conflict_declare(proposal=proposal, by=first, has_conflict=True)
    with pytest.raises(ValidationError):
        services.conflict_declare(proposal=proposal, by=first, has_conflict=False)


def test_scores_are_blind_until_every_member_has_scored():
    call = codesign_call()
    proposal = submitted_proposal(call)
    first, second = evaluation(call, [proposal])
    staff = call.staff
    score(proposal, first, [30, 15, 10, 10, 8])
    assert not rules.has_perm("projects.view_all_scores", first, proposal)
    assert not rules.has_perm("projects.view_all_scores", staff, proposal)
    services.conflict_declare(proposal=proposal, by=second, has_conflict=False)
    assert not rules.has_perm("projects.view_all_scores", second, proposal)
    score_points = {c.pk: (Decimal("5"), "ok") for c in call.criteria.all()}
    services.scores_record(proposal=proposal, by=second, scores=score_points)
    assert rules.has_perm("projects.view_all_scores", first, proposal)
    assert rules.has_perm("projects.view_all_scores", staff, proposal)
    # Never the ETS.
    assert not rules.has_perm("projects.view_all_scores", proposal.operator, proposal)


def test_points_beyond_the_maximum_or_without_reason_are_refused():
    call = codesign_call()
    proposal = submitted_proposal(call)
    first, _second = evaluation(call, [proposal])
    services.conflict_declare(proposal=proposal, by=first, has_conflict=False)
    criteria = list(call.criteria.all())
    too_many = {c.pk: (c.max_points + 1 if i == 0 else Decimal(1), "x") for i, c in enumerate(criteria)}
    with pytest.raises(ValidationError, match="va da 0 a"):
        services.scores_record(proposal=proposal, by=first, scores=too_many)
    no_reason = {c.pk: (Decimal(1), "  ") for c in criteria}
    with pytest.raises(ValidationError, match="Motiva"):
        services.scores_record(proposal=proposal, by=first, scores=no_reason)
    assert not Score.objects.exists()


def test_ranking_mean_threshold_and_order():
    call, first, second, _seats = ranked_call(
        [
            [[30, 15, 10, 10, 8], [34, 15, 12, 10, 6]],  # means 32, 15, 11, 10, 7 = 75
            [[20, 10, 10, 5, 5], [22, 12, 6, 5, 3]],  # means 21, 11, 8, 5, 4 = 49 < 60
        ]
    )
    assert call.status == CallStatus.RANKED and call.ranking_protocol_id
    assert first.status == ProposalStatus.RANKED and first.final_score == Decimal("75.00") and first.rank == 1
    assert second.status == ProposalStatus.BELOW_THRESHOLD and second.final_score == Decimal("49.00")
    assert "inferiore alla soglia" in second.exclusion_reason
    event = audit.events_for(second).get(verb="proposal.below_threshold")
    assert event.from_state == ProposalStatus.ADMITTED and "soglia" in event.reason
    assert "codesign_call.ranking_published" in verbs(call)


def test_mean_is_rounded_to_the_cent_per_criterion():
    call, first, _second, _seats = ranked_call(
        [[[31, 15, 10, 10, 8], [30, 14, 10, 10, 8]], [[31, 15, 10, 10, 8], [30, 15, 10, 10, 8]]]
    )
    # 30.5 + 14.5 + 10 + 10 + 8 = 73 for the first; 30.5 + 15 + ... = 73.5 for the second.
    assert first.final_score == Decimal("73.00") and first.rank == 2


def test_tie_break_first_criterion_then_earlier_protocol():
    call = codesign_call()
    a = submitted_proposal(call)
    b = submitted_proposal(call)
    c = submitted_proposal(call)
    (member,) = evaluation(call, [a, b, c], members=1)
    score(a, member, [30, 20, 10, 10, 10])  # 80, first criterion 30
    score(b, member, [35, 15, 10, 10, 10])  # 80, first criterion 35: ahead of a
    score(c, member, [35, 15, 10, 10, 10])  # 80, 35, later protocol than b
    rows = ranking_compute(call=call)
    assert [r.proposal.pk for r in rows] == [b.pk, c.pk, a.pk]
    assert [r.position for r in rows] == [1, 2, 3]


def test_joint_score_mode_uses_the_agreed_points():
    call = codesign_call(scoring_mode=ScoringMode.JOINT)
    proposal = submitted_proposal(call)
    evaluation(call, [proposal])
    assert not call_scoring_complete(call=call)
    services.joint_scores_record(
        proposal=proposal,
        by=call.staff,
        scores={
            c.pk: (Decimal(p), "concordato") for c, p in zip(call.criteria.all(), [35, 18, 12, 12, 8], strict=True)
        },
    )
    assert call_scoring_complete(call=call)
    services.ranking_publish(call=call, by=call.staff)
    proposal = fresh(proposal)
    assert proposal.final_score == Decimal("85.00") and proposal.rank == 1


def test_ranking_refused_until_everyone_scored_and_nothing_changes():
    call = codesign_call()
    proposal = submitted_proposal(call)
    first, _second = evaluation(call, [proposal])
    score(proposal, first, [30, 15, 10, 10, 8])
    with pytest.raises(ValidationError, match="Non tutti"):
        services.ranking_publish(call=call, by=call.staff)
    call = fresh(call)
    proposal = fresh(proposal)
    assert call.status == CallStatus.EVALUATION and proposal.status == ProposalStatus.ADMITTED
    assert call.ranking_protocol_id is None


def test_illegal_transitions_are_refused_with_nothing_changed():
    call = codesign_call()
    proposal = submitted_proposal(call)
    before = AuditEvent.objects.count()
    # Evaluation before the deadline.
    with pytest.raises(ValidationError):
        services.call_start_evaluation(call=call, by=call.staff)
    # Admitting twice.
    services.proposal_admissibility(proposal=proposal, by=call.staff, admitted=True, reason="ok")
    with pytest.raises(ValidationError, match="Operazione non consentita"):
        services.proposal_admissibility(proposal=proposal, by=call.staff, admitted=False, reason="no")
    proposal = fresh(proposal)
    assert proposal.status == ProposalStatus.ADMITTED and proposal.admissibility_reason == "ok"
    assert AuditEvent.objects.count() == before + 1
    # An ETS may not check admissibility.
    other = submitted_proposal(call)
    with pytest.raises(PermissionDenied):
        services.proposal_admissibility(proposal=other, by=proposal.operator, admitted=True, reason="")


# --- Table, project, agreement, reports ------------------------------------------------------


def test_minutes_need_the_approval_of_every_participant(django_capture_on_commit_callbacks):
    call, first, _second, _seats = ranked_call()
    with django_capture_on_commit_callbacks(execute=True):
        session = schedule_session(call, first)
    invitations = OutgoingEmail.objects.filter(subject__startswith="Convocazione")
    assert invitations.count() == 2 and invitations.first().attachments[0]["mimetype"] == "text/calendar"
    services.session_move(session=session, by=call.staff, starts_at=timezone.now() + timedelta(days=5))
    assert OutgoingEmail.objects.filter(subject__startswith="Seduta spostata").count() == 2
    with pytest.raises(ValidationError):  # minutes before the session is held
        services.session_minutes_write(session=session, by=call.staff, minutes="Testo")
    services.session_hold(session=session, by=call.staff)
    services.session_minutes_write(session=session, by=call.staff, minutes="Il tavolo approva il cronoprogramma.")
    session = fresh(session)
    assert session.status == SessionStatus.MINUTES_DRAFT
    services.minutes_approve(session=session, by=call.staff)
    session = fresh(session)
    assert session.status == SessionStatus.MINUTES_DRAFT and session.minutes_protocol_id is None
    outsider = commission_user()
    with pytest.raises(PermissionDenied):
        services.minutes_approve(session=session, by=outsider)
    services.minutes_approve(session=session, by=first.operator)
    session = fresh(session)
    assert session.status == SessionStatus.MINUTES_APPROVED and session.minutes_protocol_id
    assert verbs(session).count("session.minutes_approved_by") == 2
    assert "session.minutes_approved" in verbs(session)


def test_editing_minutes_clears_the_approvals_given():
    call, first, _second, _seats = ranked_call()
    session = schedule_session(call, first)
    services.session_hold(session=session, by=call.staff)
    services.session_minutes_write(session=session, by=call.staff, minutes="Prima stesura")
    services.minutes_approve(session=session, by=first.operator)
    services.session_minutes_write(session=session, by=call.staff, minutes="Seconda stesura")
    assert not session.participants.filter(approved_at__isnull=False).exists()


def test_final_project_is_versioned():
    call, first, _second, _seats = ranked_call()
    project = services.project_create(proposal=first, by=call.staff)
    assert project.current.number == 1 and project.current.public_total == Decimal("10000.00")
    lines = [dict(project.current.lines[0], public_amount="12000", ets_amount="3000")]
    services.project_version_add(project=project, by=call.staff, lines=lines, note="Dopo il tavolo")
    assert list(project.versions.values_list("number", flat=True)) == [2, 1]
    assert project.current.public_total == Decimal("12000.00")
    assert project.versions.get(number=1).public_total == Decimal("10000.00")


def test_agreement_signed_only_with_a_signed_file_checked_by_content():
    call, first, _second, _seats = ranked_call()
    project, agreement = active_project(call, first)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("convenzione.pdf", b"not really a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.agreement_sign(agreement=agreement, by=call.staff, upload=fake)
    agreement = fresh(agreement)
    assert agreement.status == AgreementStatus.DRAFT and not agreement.signed_file
    with pytest.raises(ValidationError):  # activation before the signature
        services.agreement_activate(agreement=agreement, by=call.staff)
    signed = services.agreement_sign(agreement=agreement, by=call.staff, upload=pdf_upload("firmata.pdf"))
    assert signed.status == AgreementStatus.SIGNED and signed.protocol_id and signed.signed_sha256
    services.agreement_activate(agreement=agreement, by=call.staff)
    agreement = fresh(agreement)
    assert agreement.status == AgreementStatus.ACTIVE
    assert verbs(agreement)[:2] == ["agreement.activated", "agreement.signed"]
    with pytest.raises(ValidationError):  # the project is frozen once signed
        services.project_version_add(project=project, by=call.staff, lines=project.current.lines)


def _active(call, proposal):
    project, agreement = active_project(call, proposal)
    services.agreement_sign(agreement=agreement, by=call.staff, upload=pdf_upload("firmata.pdf"))
    services.agreement_activate(agreement=agreement, by=call.staff)
    return project


def test_only_the_projects_ets_sees_and_edits_its_reports_sent_back_then_approved():
    call, first, second, _seats = ranked_call(
        [[[30, 15, 10, 10, 8], [34, 15, 12, 10, 6]], [[36, 18, 12, 12, 9], [38, 16, 13, 12, 9]]]
    )
    project = _active(call, first)
    with pytest.raises(PermissionDenied):
        services.report_create(
            project=project, by=second.operator, period_start=date(2026, 4, 1), period_end=date(2026, 6, 30)
        )
    report = services.report_create(
        project=project, by=first.operator, period_start=date(2026, 4, 1), period_end=date(2026, 6, 30)
    )
    assert not rules.has_perm("projects.view_report", second.operator, report)
    with pytest.raises(PermissionDenied):
        services.report_update(report=report, by=second.operator, activities="x", hours=1)
    services.report_update(report=report, by=first.operator, activities="Tutoraggio a 4 nuclei", hours=120)
    services.report_cost_add(
        report=report,
        by=first.operator,
        kind="human",
        description="Educatori",
        amount=Decimal("2500"),
        receipt=pdf_upload("fattura.pdf"),
    )
    services.report_indicator_add(
        report=report, by=first.operator, line="c", name="Nuclei autonomi", value=Decimal("2")
    )
    services.report_submit(report=report, by=first.operator)
    report = fresh(report)
    assert report.status == ReportStatus.SUBMITTED and report.protocol_id
    with pytest.raises(PermissionDenied):  # the ETS does not approve its own report
        services.report_approve(report=report, by=first.operator)
    services.report_send_back(report=report, by=call.staff, notes="Allegare il registro presenze")
    report = fresh(report)
    assert report.status == ReportStatus.SENT_BACK and report.staff_notes == "Allegare il registro presenze"
    services.report_update(
        report=report, by=first.operator, activities="Tutoraggio a 4 nuclei, registro allegato", hours=120
    )
    services.report_submit(report=report, by=first.operator)
    services.report_approve(report=report, by=call.staff)
    report = fresh(report)
    assert report.status == ReportStatus.APPROVED
    assert verbs(report) == [
        "report.approved",
        "report.submitted",
        "report.sent_back",
        "report.submitted",
        "report.started",
    ]
    with pytest.raises(PermissionDenied):  # approved: no more edits
        services.report_update(report=report, by=first.operator, activities="x", hours=1)


def test_every_transition_is_audited_with_from_and_to():
    call, first, _second, _seats = ranked_call()
    for verb, source, target in [
        ("codesign_call.published", CallStatus.DRAFT, CallStatus.PUBLISHED),
        ("codesign_call.evaluation_started", CallStatus.PUBLISHED, CallStatus.EVALUATION),
        ("codesign_call.ranking_published", CallStatus.EVALUATION, CallStatus.RANKED),
    ]:
        event = audit.events_for(call).get(verb=verb)
        assert (event.from_state, event.to_state) == (source, target) and event.actor == call.staff
    for verb in ["proposal.submitted", "proposal.admitted", "proposal.ranked"]:
        assert audit.events_for(first).filter(verb=verb).exclude(to_state="").exists()
