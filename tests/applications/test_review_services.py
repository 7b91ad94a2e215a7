import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from applications.models import (
    Application,
    ApplicationStatus,
    Attachment,
    CheckItem,
    CheckOutcome,
    Decision,
    DecisionKind,
    GeneratedKind,
    InfoRequest,
    ReviewCheck,
    VisitCheckItem,
)
from applications.review import services as review
from housingmix.core import outbox
from housingmix.core.calendar import add_working_days
from housingmix.core.documents import GeneratedDocument, documents_of
from housingmix.core.models import AuditEvent
from housingmix.core.outbox import Job
from housingmix.core.protocol import ProtocolDirection
from properties.models import RegistryEntry
from tests.accounts.factories import UserFactory
from tests.applications.conftest import pdf_upload, png_upload
from tests.applications.factories import ApplicationFactory, social_worker

pytestmark = pytest.mark.django_db


def _events(application, verb):
    return AuditEvent.objects.filter(object_id=str(application.pk), verb=verb)


def _pdf_text(document: GeneratedDocument) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages), reader


def _assigned(application, staff, reviewer, run_on_commit):
    return run_on_commit(review.review_assign, application=application, reviewer=reviewer, by=staff)


def _under_visit(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    return run_on_commit(
        review.site_visit_record,
        application=application,
        by=reviewer,
        visit_date=timezone.localdate(),
        attendees="Sara Neri (assistente sociale), il proprietario",
        outcomes={
            unit.pk: {VisitCheckItem.SYSTEMS: (CheckOutcome.OK, "impianti a norma")} for unit in application.units.all()
        },
        summary="Alloggio in buono stato.",
        photos=[png_upload()],
    )


# --- Assignment -------------------------------------------------------------------


def test_staff_assigns_and_review_starts_with_history_and_email(application, staff, reviewer, run_on_commit):
    result = _assigned(application, staff, reviewer, run_on_commit)

    assert result.status == ApplicationStatus.UNDER_REVIEW
    assert result.assigned_to == reviewer
    event = _events(application, "application.review_started").get()
    assert (event.actor, event.from_state, event.to_state) == (staff, "submitted", "under_review")
    recipients = [m.to[0] for m in mail.outbox]
    assert application.email in recipients and reviewer.email in recipients


def test_social_worker_cannot_assign(application, reviewer):
    with pytest.raises(PermissionDenied):
        review.review_assign(application=application, reviewer=reviewer, by=reviewer)
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.SUBMITTED and application.assigned_to is None


def test_assigning_another_comunes_social_worker_is_refused(application, staff):
    other = social_worker("Codogno")
    with pytest.raises(ValidationError, match="comune dell'alloggio"):
        review.review_assign(application=application, reviewer=other, by=staff)
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.SUBMITTED
    assert not _events(application, "application.review_started").exists()


def test_offerer_cannot_assign_their_own(application, reviewer):
    with pytest.raises(PermissionDenied):
        review.review_assign(application=application, reviewer=reviewer, by=application.created_by)


def test_reassignment_keeps_state_and_is_audited(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    second = social_worker("Lodi")
    result = review.review_assign(application=application, reviewer=second, by=staff)
    assert result.status == ApplicationStatus.UNDER_REVIEW and result.assigned_to == second
    assert _events(application, "application.reassigned").count() == 1


# --- Soccorso istruttorio -----------------------------------------------------------


def test_assigned_reviewer_requests_documents_protocolled_with_pdf(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    mail.outbox.clear()

    request = run_on_commit(
        review.info_request_create, application=application, items="Planimetria aggiornata", by=reviewer
    )

    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.INFO_REQUESTED
    assert request.protocol.direction == ProtocolDirection.OUTGOING
    assert request.deadline == add_working_days(timezone.localdate(), 10)
    event = _events(application, "application.info_requested").get()
    assert event.reason == "Planimetria aggiornata" and event.actor == reviewer
    document = documents_of(application, kinds=[GeneratedKind.INFO_REQUEST]).get()
    text, reader = _pdf_text(document)
    assert "Richiesta di integrazione documentale" in text
    assert request.protocol.display_number in text and "Planimetria aggiornata" in text
    assert reader.trailer["/Root"]["/Lang"] == "it-IT"
    assert [m.to[0] for m in mail.outbox] == [application.email]


def test_request_for_documents_refused_in_wrong_state(application, reviewer, staff):
    # Submitted but not yet assigned: the social worker is not its reviewer.
    with pytest.raises(PermissionDenied):
        review.info_request_create(application=application, items="x", by=reviewer)
    with pytest.raises(ValidationError, match="Operazione non consentita"):
        review.info_request_create(application=application, items="x", by=staff)
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.SUBMITTED
    assert not InfoRequest.objects.exists()


def test_not_assigned_social_worker_of_same_comune_is_refused(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    colleague = social_worker("Lodi")
    with pytest.raises(PermissionDenied, match="istruttore"):
        review.info_request_create(application=application, items="x", by=colleague)
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_other_comunes_reviewer_is_refused(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    with pytest.raises(PermissionDenied):
        review.site_visit_record(
            application=application,
            by=social_worker("Codogno"),
            visit_date=timezone.localdate(),
            attendees="x",
            outcomes={},
        )
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_offerer_cannot_act_on_the_review(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    owner = application.created_by
    for call in (
        lambda: review.info_request_create(application=application, items="x", by=owner),
        lambda: review.refusal_notice_issue(application=application, by=owner, reasons="x"),
        lambda: review.review_note_add(application=application, text="x", by=owner),
    ):
        with pytest.raises(PermissionDenied):
            call()
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert not application.internal_notes.exists()


def test_offerer_integration_is_a_new_protocolled_document(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    run_on_commit(review.info_request_create, application=application, items="Visura", by=reviewer)

    reply = run_on_commit(
        review.info_request_answer,
        application=application,
        by=application.created_by,
        text="Allego la visura",
        uploads=[(pdf_upload(), "cadastral_survey")],
    )

    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert reply.protocol.direction == ProtocolDirection.INCOMING
    attachment = Attachment.objects.get(application=application, is_integration=True)
    assert attachment.kind == "cadastral_survey"
    assert list(reply.attachments.all()) == [attachment]
    request = InfoRequest.objects.get()
    assert request.answered_at is not None and not request.is_open
    assert _events(application, "application.info_answered").get().actor == application.created_by


def test_integration_refused_without_open_request(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    with pytest.raises(ValidationError, match="richieste di integrazione aperte"):
        review.info_request_answer(application=application, by=application.created_by, text="ecco")
    assert not Attachment.objects.filter(is_integration=True).exists()


def test_integration_refused_for_another_offerer(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    review.info_request_create(application=application, items="Visura", by=reviewer)
    with pytest.raises(PermissionDenied):
        review.info_request_answer(application=application, by=UserFactory(offerer=True), text="ecco")
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.INFO_REQUESTED


def test_reviewer_resumes_after_an_unanswered_request(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    review.info_request_create(application=application, items="Visura", by=reviewer)
    review.review_resume(application=application, by=reviewer, reason="Termine scaduto")
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert InfoRequest.objects.get().closed_at is not None


def test_overdue_request_reminds_the_reviewer_once(application, staff, reviewer, run_on_commit):
    from applications.tasks import info_requests_remind_overdue_task

    _assigned(application, staff, reviewer, run_on_commit)
    request = review.info_request_create(application=application, items="Visura", by=reviewer)
    mail.outbox.clear()

    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        assert run_on_commit(info_requests_remind_overdue_task.apply).get() == 0
    later = timezone.make_aware(
        timezone.datetime.combine(request.deadline + timedelta(days=1), timezone.datetime.min.time())
    ) + timedelta(hours=10)
    with time_machine.travel(later, tick=False):
        assert run_on_commit(info_requests_remind_overdue_task.apply).get() == 1
        assert run_on_commit(info_requests_remind_overdue_task.apply).get() == 0
        request.refresh_from_db()
        assert request.is_overdue and request.reminded_at is not None

    assert [m.to[0] for m in mail.outbox] == [reviewer.email]
    assert "scaduta" in mail.outbox[0].subject
    assert _events(application, "application.info_request_overdue").count() == 1


# --- Checklist and notes ---------------------------------------------------------------


def test_checklist_records_each_item_with_note(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    unit = application.units.first()
    review.review_checks_save(
        application=application,
        unit=unit,
        checks={CheckItem.DOCUMENTS: (CheckOutcome.MISSING, "manca APE"), CheckItem.COSTS: (CheckOutcome.OK, "")},
        by=reviewer,
    )
    check = ReviewCheck.objects.get(unit=unit, item=CheckItem.DOCUMENTS)
    assert (check.outcome, check.note, check.updated_by) == (CheckOutcome.MISSING, "manca APE", reviewer)
    assert _events(application, "application.checks_recorded").get().data["documents"] == "missing"


def test_internal_note_is_added_by_reviewer(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    note = review.review_note_add(application=application, text="Chiamare il proprietario", by=reviewer)
    assert note.author == reviewer and application.internal_notes.count() == 1


# --- Site visit and decisions ----------------------------------------------------------


def test_site_visit_moves_to_site_visit_with_report_pdf(application, staff, reviewer, run_on_commit):
    visit = _under_visit(application, staff, reviewer, run_on_commit)
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.SITE_VISIT
    assert visit.photos.count() == 1
    document = documents_of(application, kinds=[GeneratedKind.SITE_VISIT_REPORT]).get()
    text, _reader = _pdf_text(document)
    assert "Verbale di sopralluogo" in text and "impianti a norma" in text


def test_eligible_decision_fills_the_registry_with_protocolled_letter(application, staff, reviewer, run_on_commit):
    _under_visit(application, staff, reviewer, run_on_commit)

    decision = run_on_commit(
        review.decision_eligible,
        application=application,
        by=staff,
        reasons="Requisiti verificati",
        expected_status=ApplicationStatus.SITE_VISIT,
    )

    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.ELIGIBLE and application.decided_at is not None
    units = list(application.units.order_by("position", "pk"))
    assert {e.unit for e in RegistryEntry.objects.all()} == set(units)
    entry = RegistryEntry.objects.get(unit=units[0])
    assert entry.comune == units[0].comune and entry.beds == units[0].beds
    assert decision.protocol.direction == ProtocolDirection.OUTGOING
    document = documents_of(application, kinds=[GeneratedKind.DECISION]).get()
    text, _reader = _pdf_text(document)
    assert "idonea" in text and decision.protocol.display_number in text
    assert all(unit.display_name in text for unit in units)


def test_eligible_for_some_units_gives_the_others_a_preavviso_never_drops_them(
    application, staff, reviewer, run_on_commit
):
    """The old bug: one unit declared eligible, the other silently dropped. Now the other unit
    gets a preavviso di diniego in the same act, and the letter names both."""
    _under_visit(application, staff, reviewer, run_on_commit)
    unit, other = application.units.order_by("position", "pk")

    decision = run_on_commit(
        review.decision_eligible, application=application, by=staff, reasons="Requisiti verificati", units=[unit]
    )

    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.NOTICE_OF_REFUSAL
    assert decision.kind == "refusal_notice" and decision.reply_deadline is not None
    assert {(o.unit_id, o.outcome) for o in decision.unit_outcomes.all()} == {
        (unit.pk, "eligible"),
        (other.pk, "refusal_notice"),
    }
    assert RegistryEntry.objects.get().unit == unit
    text, _reader = _pdf_text(documents_of(application, kinds=[GeneratedKind.REFUSAL_NOTICE]).get())
    assert unit.display_name in text and other.display_name in text and "Preavviso di diniego" in text


def test_eligible_refused_before_the_site_visit(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    with pytest.raises(ValidationError):
        review.decision_eligible(application=application, by=reviewer, reasons="ok")
    assert not RegistryEntry.objects.exists() and not Decision.objects.exists()


def test_refusal_path_with_observations_then_not_eligible(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    notice = run_on_commit(
        review.refusal_notice_issue, application=application, by=staff, reasons="Superficie insufficiente"
    )
    assert notice.reply_deadline == timezone.localdate() + timedelta(days=10)
    assert GeneratedDocument.objects.filter(kind=GeneratedKind.REFUSAL_NOTICE).count() == 1

    with pytest.raises(ValidationError, match="fino ad allora"):
        review.decision_not_eligible(application=application, by=staff, reasons="x")

    reply = review.refusal_reply(
        application=application, by=application.created_by, text="La superficie è 60 m²", uploads=[(pdf_upload(), "")]
    )
    assert reply.protocol.direction == ProtocolDirection.INCOMING
    assert Attachment.objects.get(is_integration=True) in reply.attachments.all()

    run_on_commit(review.decision_not_eligible, application=application, by=staff, reasons="Confermato")
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.NOT_ELIGIBLE
    assert Decision.objects.filter(kind=DecisionKind.NOT_ELIGIBLE).count() == 1
    assert _events(application, "application.declared_not_eligible").get().from_state == "notice_of_refusal"


def test_not_eligible_allowed_once_the_reply_window_closed(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    review.refusal_notice_issue(application=application, by=staff, reasons="Superficie insufficiente")
    with time_machine.travel(timezone.now() + timedelta(days=11), tick=False):
        with pytest.raises(ValidationError, match="scaduto"):
            review.refusal_reply(application=application, by=application.created_by, text="tardi")
        review.decision_not_eligible(application=application, by=staff, reasons="Nessuna osservazione")
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.NOT_ELIGIBLE


def test_reconsider_after_observations(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    review.refusal_notice_issue(application=application, by=staff, reasons="x")
    review.review_reconsider(application=application, by=staff, reason="Osservazioni accolte")
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_stale_page_is_refused_with_a_clear_message(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    review.info_request_create(application=application, items="Visura", by=reviewer)
    with pytest.raises(review.StaleTransition, match="un altro utente"):
        review.refusal_notice_issue(
            application=application, by=staff, reasons="x", expected_status=ApplicationStatus.UNDER_REVIEW
        )
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.INFO_REQUESTED
    assert not Decision.objects.exists()


def test_offerer_withdraws_during_review(application, staff, reviewer, run_on_commit):
    from applications.services import application_withdraw

    _assigned(application, staff, reviewer, run_on_commit)
    application_withdraw(application=application, by=application.created_by, reason="Venduto")
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        review.info_request_create(application=application, items="x", by=reviewer)


def test_document_job_is_idempotent(application, staff, reviewer, run_on_commit):
    _assigned(application, staff, reviewer, run_on_commit)
    run_on_commit(review.info_request_create, application=application, items="Visura", by=reviewer)
    job = Job.objects.get(kind="applications.info_request", target_id=str(application.pk))
    assert outbox.run(job_id=job.pk) is None  # done already
    Job.objects.filter(pk=job.pk).update(status="pending")  # as if the worker died before marking it
    assert outbox.run(job_id=job.pk) == documents_of(application, kinds=[GeneratedKind.INFO_REQUEST]).get()
    assert GeneratedDocument.objects.filter(kind=GeneratedKind.INFO_REQUEST).count() == 1


def test_every_transition_is_in_the_history(application, staff, reviewer, run_on_commit):
    _under_visit(application, staff, reviewer, run_on_commit)
    review.decision_eligible(application=application, by=staff, reasons="ok")
    states = list(
        AuditEvent.objects.filter(object_id=str(application.pk))
        .exclude(to_state="")
        .order_by("pk")
        .values_list("from_state", "to_state")
    )
    assert states == [
        ("draft", "submitted"),
        ("submitted", "under_review"),
        ("under_review", "site_visit"),
        ("site_visit", "eligible"),
    ]


def test_business_days_skip_weekends_and_holidays():
    # 22/12/2026 is a Tuesday: 25 and 26 December, 1 and 6 January and the weekends are skipped.
    assert add_working_days(date(2026, 12, 22), 10) == date(2027, 1, 8)
    # Easter Monday 2027 is 29 March.
    assert add_working_days(date(2027, 3, 26), 1) == date(2027, 3, 30)


def test_application_rows_untouched_by_refused_moves(application, reviewer):
    before = Application.objects.filter(pk=application.pk).values().get()
    with pytest.raises(PermissionDenied):
        review.decision_eligible(application=application, by=reviewer, reasons="x")
    assert Application.objects.filter(pk=application.pk).values().get() == before


# --- Who decides: the Ufficio di Piano; the assigned social worker reviews and proposes ----------------


@pytest.mark.parametrize(
    "decide",
    [
        lambda a, by: review.decision_eligible(application=a, by=by, reasons="Idonea"),
        lambda a, by: review.refusal_notice_issue(application=a, by=by, reasons="Superficie insufficiente"),
    ],
    ids=["eligible", "refusal-notice"],
)
def test_assigned_social_worker_may_not_decide(application, staff, reviewer, run_on_commit, decide):
    _under_visit(application, staff, reviewer, run_on_commit)
    before = Application.objects.filter(pk=application.pk).values().get()
    with pytest.raises(PermissionDenied):
        decide(application, reviewer)
    assert Application.objects.filter(pk=application.pk).values().get() == before
    assert not Decision.objects.exists() and not RegistryEntry.objects.exists()


def test_ambito_staff_decide_what_the_social_worker_reviewed(application, staff, reviewer, run_on_commit):
    _under_visit(application, staff, reviewer, run_on_commit)
    decision = review.decision_eligible(application=application, by=staff, reasons="Idonea")
    assert decision.decided_by == staff
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.ELIGIBLE


def test_social_worker_proposes_an_outcome_for_staff(application, staff, reviewer, run_on_commit):
    _under_visit(application, staff, reviewer, run_on_commit)
    review.outcome_propose(application=application, by=reviewer, outcome=DecisionKind.ELIGIBLE, reasons="Tutto ok")
    [event] = _events(application, "application.outcome_proposed")
    assert (event.actor, event.reason, event.data) == (reviewer, "Tutto ok", {"outcome": "eligible"})
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SITE_VISIT
    with pytest.raises(ValidationError):
        review.outcome_propose(application=application, by=reviewer, outcome="not_eligible", reasons="x")
    with pytest.raises(PermissionDenied):
        review.outcome_propose(application=application, by=social_worker("Lodi"), outcome="eligible", reasons="x")


def test_nobody_decides_a_manifestation_of_their_own_organisation(staff, run_on_commit):
    from tests.accounts.factories import MembershipFactory

    member = MembershipFactory(user=UserFactory(staff=True)).user
    organisation = member.memberships.get().organisation
    application = ApplicationFactory(site_visit=True, organisation=organisation)
    with pytest.raises(PermissionDenied):
        review.decision_eligible(application=application, by=member, reasons="x")
    with pytest.raises(PermissionDenied):
        review.info_request_create(application=application, items="x", by=member)
    assert not review.reviewer_is_eligible(application=application, reviewer=member)
    assert not review.reviewer_is_eligible(application=application, reviewer=application.created_by)
