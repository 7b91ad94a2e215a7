"""Submitting and withdrawing a manifestation: preconditions, frozen content, audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from applications import completeness, services
from applications.models import RECEIPT_JOB, Application, ApplicationStatus, AttachmentKind
from housingmix.core import drafts
from housingmix.core.models import AuditEvent
from housingmix.core.outbox import Job, JobStatus
from housingmix.core.protocol import ProtocolCounter, ProtocolEntry
from housingmix.notices.models import Notice
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, OffererFactory, upload

pytestmark = pytest.mark.django_db


def _fresh(application) -> Application:
    """Read the row again (the status field is protected: no refresh_from_db)."""
    return Application.objects.select_related("protocol").get(pk=application.pk)


def _events(application, verb):
    return AuditEvent.objects.filter(object_id=str(application.pk), verb=verb)


def _nothing_registered():
    return not ProtocolEntry.objects.exists() and not ProtocolCounter.objects.filter(last_number__gt=0).exists()


# --- Submitting --------------------------------------------------------------------


def test_submission_protocols_freezes_and_queues_the_receipt():
    application = ApplicationFactory(complete=True)
    submitted = services.application_submit(application=application, by=application.created_by)
    row = _fresh(application)
    assert row.status == ApplicationStatus.SUBMITTED
    assert row.protocol == submitted.protocol
    entry = row.protocol
    assert entry.record == application
    assert entry.sha256 == row.package_sha256
    assert entry.registered_at == row.submitted_at
    assert entry.sender == "Maria Rossi (%s)" % application.offerer_tax_code
    assert application.notice.title in entry.subject
    assert Job.objects.filter(kind=RECEIPT_JOB, target_id=str(application.pk), status=JobStatus.PENDING).count() == 1
    [event] = _events(application, "application.submitted")
    assert event.actor == application.created_by
    assert event.data == {"protocol": entry.display_number, "sha256": row.package_sha256}


def test_double_submit_gives_one_protocol_number_and_one_job():
    application = ApplicationFactory(complete=True)
    first = services.application_submit(application=application, by=application.created_by)
    again = services.application_submit(application=application, by=application.created_by)
    assert again.protocol_id == first.protocol_id
    assert ProtocolEntry.objects.count() == 1
    assert ProtocolCounter.objects.get(year=first.protocol.year).last_number == first.protocol.number
    assert Job.objects.filter(kind=RECEIPT_JOB, target_id=str(application.pk)).count() == 1
    assert _events(application, "application.submitted").count() == 1


@pytest.mark.parametrize(
    "close",
    [
        {"closes_at": timezone.now() - timedelta(minutes=1)},
        {"status": "closed"},
        {"opens_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["deadline-passed", "closed-by-staff", "not-yet-open"],
)
def test_closed_notice_refuses_submission_and_nothing_changes(close):
    application = ApplicationFactory(complete=True)
    Notice.objects.filter(pk=application.notice_id).update(**close)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, by=application.created_by)
    assert error.value.messages == ["L'avviso è chiuso: non è più possibile presentare manifestazioni di interesse."]
    row = _fresh(application)
    assert row.status == ApplicationStatus.DRAFT
    assert row.protocol_id is None and row.package is None and row.package_sha256 == ""
    assert _nothing_registered()
    assert not Job.objects.exists()
    assert not _events(application, "application.submitted").exists()


def test_incomplete_draft_lists_every_missing_item_across_steps():
    application = ApplicationFactory()  # as just started: offerer prefilled, nothing else
    with pytest.raises(services.SubmissionIncomplete) as error:
        services.application_submit(application=application, by=application.created_by)
    items = error.value.items
    assert {item.step for item in items} == {"offerer", "units", "attachments", "declarations"}
    messages = [item.message for item in items]
    assert "Manca «indirizzo (sede legale o residenza)»" in messages
    assert "Manca «documento d'identità»" in messages
    assert "Aggiungi almeno un alloggio" in messages
    assert "Manca: Documento d'identità del firmatario" in messages
    assert "Rendi tutte le dichiarazioni richieste" in messages
    assert "Scegli la modalità di sottoscrizione" in messages
    assert error.value.messages == messages
    assert all(item.url for item in items)
    assert _fresh(application).status == ApplicationStatus.DRAFT
    assert _nothing_registered()


def test_incomplete_units_are_listed_per_unit_and_step():
    application = ApplicationFactory(complete=True, units=2)
    first, second = application.units.order_by("position")
    application.units.filter(pk=first.pk).update(floor=None, monthly_rent=None)
    application.units.filter(pk=second.pk).update(postcode="20121", duration_months=20)
    application.attachments.filter(unit=second, kind=AttachmentKind.FLOOR_PLAN).delete()
    items = completeness.missing_items(application)
    by_step = {(item.step, item.message) for item in items}
    first_name, second_name = first.display_name, second.display_name
    assert by_step == {
        ("unit_data", "%s: manca «piano»" % first_name),
        ("terms", "%s: indica il canone mensile proposto" % first_name),
        ("unit_data", "%s: il CAP non corrisponde al comune" % second_name),
        ("terms", "%s: la durata non è ammessa per la forma scelta" % second_name),
        ("attachments", "%s: manca Planimetria" % second_name),
    }
    with pytest.raises(services.SubmissionIncomplete) as error:
        services.application_submit(application=application, by=application.created_by)
    assert [item.message for item in error.value.items] == [item.message for item in items]


def test_another_offerer_cannot_submit():
    application = ApplicationFactory(complete=True)
    with pytest.raises(PermissionDenied):
        services.application_submit(application=application, by=OffererFactory())
    assert _fresh(application).status == ApplicationStatus.DRAFT
    assert _nothing_registered()


def test_staff_cannot_submit_for_the_offerer():
    application = ApplicationFactory(complete=True)
    with pytest.raises(PermissionDenied):
        services.application_submit(application=application, by=UserFactory(staff=True))
    assert _nothing_registered()


# --- Frozen content ----------------------------------------------------------------


def test_submitted_content_is_frozen():
    application = ApplicationFactory(submitted=True)
    owner = application.created_by
    files = set(application.attachments.values_list("pk", "sha256"))
    with pytest.raises(ValidationError):
        services.ensure_editable(application=application, by=owner)
    with pytest.raises(ValidationError):
        services.attachment_add(
            application=application, by=owner, upload=upload(AttachmentKind.OTHER), kind=AttachmentKind.OTHER
        )
    with pytest.raises(ValidationError):
        services.application_update(application=application, by=owner, fields={"phone": "+39 333 0000000"})
    with pytest.raises(ValidationError):
        services.attachment_remove(attachment=application.attachments.first(), by=owner)
    with pytest.raises(ValidationError):
        services.application_delete_draft(application=application, by=owner)
    row = _fresh(application)
    assert set(row.attachments.values_list("pk", "sha256")) == files
    assert row.phone == application.phone


def test_package_hash_is_the_hash_of_the_stored_package():
    application = ApplicationFactory(submitted=True)
    row = _fresh(application)  # read back from the database: the JSON round trip keeps the hash
    assert drafts.package_hash(row.package) == row.package_sha256 == row.protocol.sha256
    assert {a["sha256"] for a in row.package["attachments"]} == set(row.attachments.values_list("sha256", flat=True))
    assert row.package["units"][0]["monthly_rent"] == "1234.56"
    assert row.package["declarations"]["declares_truthful"] is True


def test_package_is_what_was_filed_not_later_rows():
    application = ApplicationFactory(submitted=True)
    application.units.update(street="Via Cambiata")
    row = _fresh(application)
    assert row.package["units"][0]["street"] == "Via Garibaldi"
    assert drafts.package_hash(row.package) == row.package_sha256


# --- Withdrawal ----------------------------------------------------------------------


def test_withdrawal_needs_a_reason():
    application = ApplicationFactory(submitted=True)
    for reason in ["", "   ", None]:
        with pytest.raises(ValidationError) as error:
            services.application_withdraw(application=application, by=application.created_by, reason=reason)
        assert error.value.message_dict == {"reason": ["Indica il motivo del ritiro."]}
    assert _fresh(application).status == ApplicationStatus.SUBMITTED


def test_withdrawal_by_the_owner_is_audited():
    application = ApplicationFactory(submitted=True)
    withdrawn = services.application_withdraw(
        application=application, by=application.created_by, reason="  L'alloggio è stato venduto.  "
    )
    row = _fresh(application)
    assert row.status == ApplicationStatus.WITHDRAWN == withdrawn.status
    assert row.withdrawal_reason == "L'alloggio è stato venduto."
    assert row.withdrawn_at is not None
    [event] = _events(application, "application.withdrawn")
    assert event.actor == application.created_by
    assert (event.from_state, event.to_state) == (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN)
    assert event.reason == "L'alloggio è stato venduto."
    assert row.protocol_id == application.protocol_id  # the registration stays


@pytest.mark.parametrize("status", [ApplicationStatus.UNDER_REVIEW, ApplicationStatus.MATCHED])
def test_withdrawal_possible_until_a_contract(status):
    application = ApplicationFactory(submitted=True)
    Application.objects.filter(pk=application.pk).update(status=status)
    services.application_withdraw(application=_fresh(application), by=application.created_by, reason="Ci ho ripensato")
    assert _fresh(application).status == ApplicationStatus.WITHDRAWN


@pytest.mark.parametrize(
    "status",
    [ApplicationStatus.CONTRACT_SIGNED, ApplicationStatus.IN_USE, ApplicationStatus.ENDED, ApplicationStatus.WITHDRAWN],
)
def test_withdrawal_refused_from_other_states(status):
    application = ApplicationFactory(submitted=True)
    Application.objects.filter(pk=application.pk).update(status=status)
    with pytest.raises(ValidationError):
        services.application_withdraw(application=_fresh(application), by=application.created_by, reason="Ritiro")
    assert _fresh(application).status == status
    assert not _events(application, "application.withdrawn").exists()


def test_a_draft_cannot_be_withdrawn():
    application = ApplicationFactory(complete=True)
    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, by=application.created_by, reason="Ritiro")
    assert _fresh(application).status == ApplicationStatus.DRAFT


@pytest.mark.parametrize("who", ["another_offerer", "staff"])
def test_only_the_owner_can_withdraw(who):
    application = ApplicationFactory(submitted=True)
    user = OffererFactory() if who == "another_offerer" else UserFactory(staff=True)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application, by=user, reason="Ritiro")
    assert _fresh(application).status == ApplicationStatus.SUBMITTED
    assert not _events(application, "application.withdrawn").exists()
