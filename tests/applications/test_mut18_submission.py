"""The submission's protocol entry field by field, its refusals word for word, and the signature
by digital identity (the codice fiscale matched whatever its case, the identity frozen whole)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications import services
from applications.models import Application, ApplicationStatus, AttachmentKind, SignatureMode
from housingmix.core.protocol import ProtocolDirection, ProtocolEntry
from housingmix.identity.selectors import IdentityInfo
from housingmix.notices.models import Notice
from tests.applications.factories import ApplicationFactory
from tests.identity.factories import SPID_OP, DigitalIdentityFactory

pytestmark = pytest.mark.django_db

CODE = "RSSMRA80A01E648Q"


def _identity(code: str = CODE) -> IdentityInfo:
    return IdentityInfo(
        provider_kind="spid",
        provider_name="SPID di prova (locale)",
        provider_id=SPID_OP,
        level=2,
        authenticated_at=timezone.now(),
        fiscal_code=code,
    )


def _spid_draft():
    owner = DigitalIdentityFactory(fiscal_code=CODE, user__phone="0371 409111").user
    application = ApplicationFactory(complete=True, created_by=owner)
    application.attachments.filter(kind=AttachmentKind.ID_DOCUMENT).delete()
    services.application_update(
        application=application, by=owner, fields={"signature_mode": SignatureMode.DIGITAL_IDENTITY}
    )
    return owner, Application.objects.get(pk=application.pk)


def test_the_protocol_entry_is_incoming_from_the_offerer_to_the_rup_about_the_notice():
    application = ApplicationFactory(complete=True)
    submitted = services.application_submit(application=application, by=application.created_by)
    entry = ProtocolEntry.objects.get(pk=submitted.protocol_id)
    assert entry.direction == ProtocolDirection.INCOMING
    assert entry.recipient == "Dott.ssa Anna Bianchi"
    assert entry.subject == "Manifestazione di interesse - %s" % application.notice.title
    assert entry.sender == "%s (%s)" % (application.offerer_name, application.offerer_tax_code)


def test_without_a_rup_the_entry_names_no_recipient():
    application = ApplicationFactory(complete=True)
    Notice.objects.filter(pk=application.notice_id).update(rup="")
    submitted = services.application_submit(
        application=Application.objects.get(pk=application.pk), by=application.created_by
    )
    assert ProtocolEntry.objects.get(pk=submitted.protocol_id).recipient == ""


def test_a_second_submission_returns_the_registered_one_with_its_entry():
    application = ApplicationFactory(complete=True)
    first = services.application_submit(application=application, by=application.created_by)
    again = services.application_submit(application=application, by=application.created_by)
    assert (again.pk, again.status, again.protocol.display_number) == (
        first.pk,
        ApplicationStatus.SUBMITTED,
        first.protocol.display_number,
    )
    assert again.notice == application.notice


def test_a_record_no_longer_a_draft_but_never_registered_is_refused():
    application = ApplicationFactory(complete=True)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.WITHDRAWN)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, by=application.created_by)
    assert error.value.messages == ["La manifestazione non è più una bozza."]
    assert not ProtocolEntry.objects.exists()


def test_signing_by_identity_without_a_spid_or_cie_session_says_how_to_proceed():
    owner, application = _spid_draft()
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, by=owner, identity=None)
    assert error.value.messages == [
        "Per sottoscrivere con l'identità digitale entra nel portale con SPID o CIE, "
        "oppure scegli un'altra modalità di sottoscrizione."
    ]


def test_signing_by_another_person_s_identity_is_refused_in_words():
    owner, application = _spid_draft()
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, by=owner, identity=_identity("BNCLCU75C03C816V"))
    assert error.value.messages == [
        "L'identità digitale con cui sei entrato non è quella del firmatario indicato nella manifestazione."
    ]
    assert not ProtocolEntry.objects.exists()


def test_the_identity_s_codice_fiscale_matches_whatever_its_case_and_is_frozen_whole():
    owner, application = _spid_draft()
    identity = _identity(CODE.lower())
    submitted = services.application_submit(application=application, by=owner, identity=identity)
    assert submitted.package["signature"] == identity.as_dict()
    row = Application.objects.get(pk=submitted.pk)
    assert row.package["signature"]["fiscal_code"] == CODE.lower()
    assert row.status == ApplicationStatus.SUBMITTED


def test_a_signatory_code_stored_in_lower_case_still_matches_the_identity():
    owner, application = _spid_draft()
    Application.objects.filter(pk=application.pk).update(signatory_tax_code=CODE.lower())
    submitted = services.application_submit(
        application=Application.objects.get(pk=application.pk), by=owner, identity=_identity()
    )
    assert submitted.protocol_id is not None


def test_a_submission_not_signed_by_identity_freezes_no_signature():
    application = ApplicationFactory(complete=True)
    submitted = services.application_submit(application=application, by=application.created_by)
    assert "signature" not in submitted.package
    assert "signature" not in Application.objects.get(pk=submitted.pk).package
