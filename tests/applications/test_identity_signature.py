"""A manifestation signed with the SPID/CIE identity of the session (CAD art. 65 c. 1 b): the
codice fiscale comes from the identity and stays fixed, the signature needs no copy of an ID, the
receipt states it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications import completeness, services
from applications.models import Application, AttachmentKind, SignatureMode
from housingmix.core import outbox
from housingmix.core.documents import documents_of
from housingmix.identity.selectors import SESSION_KEY, IdentityInfo
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
    """A complete draft of a private owner whose codice fiscale was verified with SPID, to be
    signed by identity (so without the copy of an ID document)."""
    owner = DigitalIdentityFactory(fiscal_code=CODE, user__phone="0371 409111").user
    application = ApplicationFactory(complete=True, created_by=owner)
    application.attachments.filter(kind=AttachmentKind.ID_DOCUMENT).delete()
    services.application_update(
        application=application, by=owner, fields={"signature_mode": SignatureMode.DIGITAL_IDENTITY}
    )
    return owner, Application.objects.get(pk=application.pk)


def _login_with_spid(client, user):
    client.force_login(user, backend="housingmix.accounts.backends.AuthenticationBackend")
    session = client.session
    info = _identity(user.tax_code)
    session[SESSION_KEY] = {**info.as_dict(), "user_id": user.pk}
    session.save()
    return client


def test_signature_by_identity_needs_no_copy_of_an_id_document():
    _owner, application = _spid_draft()
    assert completeness.missing_items(application) == []
    application.signature_mode = SignatureMode.AUTHENTICATED
    assert any("Documento d'identità" in item.message for item in completeness.missing_items(application))


def test_submission_by_identity_freezes_it_and_the_receipt_states_it(run_on_commit):
    owner, application = _spid_draft()
    submitted = run_on_commit(services.application_submit, application=application, by=owner, identity=_identity())
    assert submitted.package["signature"]["provider_kind"] == "spid"
    assert submitted.package["signature"]["fiscal_code"] == CODE
    receipt = documents_of(submitted, kinds=["receipt"]).get()
    with receipt.file.open("rb") as handle:
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Sottoscritta con identità digitale SPID di livello 2" in text
    assert CODE in text


@pytest.mark.parametrize("identity", [None, _identity("BNCLCU75C03C816V")], ids=["no-spid-session", "another-person"])
def test_signature_by_identity_is_refused_without_the_signatory_s_own_session(identity):
    owner, application = _spid_draft()
    with pytest.raises(ValidationError):
        services.application_submit(application=application, by=owner, identity=identity)
    assert Application.objects.get(pk=application.pk).is_draft
    assert not outbox.Job.objects.filter(kind="applications.receipt").exists()


def test_the_verified_codice_fiscale_cannot_be_typed_differently(client):
    owner, application = _spid_draft()
    c = _login_with_spid(client, owner)
    url = reverse("applications:offerer", kwargs={"ref": application.reference})
    page = c.get(url).content.decode()
    assert 'name="offerer_tax_code"' in page and "disabled" in page.split('name="offerer_tax_code"')[1][:200]
    assert "Verificato con la tua identità digitale" in page
    c.post(url, {"offerer_tax_code": "BNCLCU75C03C816V", "signatory_tax_code": "BNCLCU75C03C816V"})
    row = Application.objects.get(pk=application.pk)
    assert row.offerer_tax_code == CODE and row.signatory_tax_code == CODE


def test_the_identity_signature_is_offered_only_to_a_spid_session(client):
    owner, application = _spid_draft()
    url = reverse("applications:declarations", kwargs={"ref": application.reference})
    client.force_login(owner, backend="housingmix.accounts.backends.AuthenticationBackend")
    assert SignatureMode.DIGITAL_IDENTITY.value not in client.get(url).content.decode()
    c = _login_with_spid(client, owner)
    assert SignatureMode.DIGITAL_IDENTITY.value in c.get(url).content.decode()


def test_submitting_through_the_page_with_a_spid_session(client, django_capture_on_commit_callbacks):
    owner, application = _spid_draft()
    c = _login_with_spid(client, owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("applications:summary", kwargs={"ref": application.reference}))
    assert response.status_code == 302
    row = Application.objects.get(pk=application.pk)
    assert row.protocol_id and row.package["signature"]["level"] == 2
