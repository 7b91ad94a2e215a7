"""What stops a submission, one rule at a time: a complete draft changed in one point lists
exactly that problem, in Italian, on the step where it is fixed."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from applications import completeness
from applications.models import Application, AttachmentKind, SignatoryRole, SignatureMode
from housingmix.accounts.models import MembershipRole, OrganisationType
from housingmix.territory.models import Ambito, Comune
from properties.models import Condition, HousingUnit, Occupancy
from tests.accounts.factories import MembershipFactory
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    application = ApplicationFactory(complete=True)
    assert completeness.missing_items(application) == []
    return application


def _problems(application) -> list[tuple[str, str]]:
    fresh = Application.objects.get(pk=application.pk)
    return [(item.step, item.message) for item in completeness.missing_items(fresh)]


def _set_unit(application, **fields):
    HousingUnit.objects.filter(application=application).update(**fields)
    return application.units.get()


def test_a_comune_outside_the_ambito_is_refused(draft):
    other = Ambito.objects.create(code="cremona", name="Ambito di Cremona", office_name="Ufficio di Piano di Cremona")
    cremona = Comune.objects.create(
        ambito=other, name="Cremona", istat_code="019036", cadastral_code="D150", province="CR", postcodes=["26100"]
    )
    unit = _set_unit(draft, comune=cremona, postcode="26100")
    assert _problems(draft) == [("unit_data", "%s: il comune non fa parte dell'Ambito" % unit.display_name)]


def test_a_unit_needing_works_describes_them_and_their_cost(draft):
    unit = _set_unit(draft, condition=Condition.SMALL_WORKS, works_description=" ", works_cost=None)
    assert _problems(draft) == [
        ("unit_data", "%s: descrivi i lavori necessari" % unit.display_name),
        ("unit_data", "%s: indica il costo stimato dei lavori" % unit.display_name),
    ]


def test_an_occupied_unit_says_when_it_will_be_free(draft):
    unit = _set_unit(draft, occupancy=Occupancy.OCCUPIED, free_from=None)
    assert _problems(draft) == [("unit_data", "%s: indica da quando l'alloggio sarà libero" % unit.display_name)]


def test_an_expired_energy_certificate_is_refused(draft):
    unit = _set_unit(draft, ape_expiry=timezone.localdate() - timedelta(days=1))
    assert _problems(draft) == [("unit_data", "%s: l'APE è scaduto" % unit.display_name)]


def test_a_digital_signature_asks_for_the_signed_summary_instead_of_the_identity_document(draft):
    Application.objects.filter(pk=draft.pk).update(signature_mode=SignatureMode.DIGITAL_SIGNATURE)
    assert _problems(draft) == [("attachments", "Manca: %s" % AttachmentKind.SIGNED_SUMMARY.label)]


def test_an_invalid_tax_code_of_the_offerer_is_refused(draft):
    Application.objects.filter(pk=draft.pk).update(offerer_tax_code="RSSMRA70B41E648X")
    assert _problems(draft) == [("offerer", "Il codice fiscale dell'offerente non è valido")]


def test_a_private_owner_signs_as_owner(draft):
    Application.objects.filter(pk=draft.pk).update(signatory_role=SignatoryRole.LEGAL_REPRESENTATIVE)
    assert _problems(draft) == [("offerer", "Un privato cittadino firma come proprietario o titolare del diritto")]


def test_an_expired_identity_document_is_refused(draft):
    Application.objects.filter(pk=draft.pk).update(id_document_expiry=date(2020, 1, 1))
    assert _problems(draft) == [("offerer", "Il documento d'identità è scaduto")]


def _for_organisation(draft, *, role=MembershipRole.LEGAL_REPRESENTATIVE, **fields):
    """The draft made for a public body (an ETS needs its statute and RUNTS record as well)."""
    membership = MembershipFactory(user=draft.created_by, role=role, organisation__type=OrganisationType.PUBLIC_BODY)
    organisation = membership.organisation
    values = {
        "organisation": organisation,
        "offerer_type": organisation.type,
        "offerer_name": organisation.name,
        "offerer_tax_code": organisation.tax_code,
        "offerer_runts_number": organisation.runts_number,
        "signatory_role": SignatoryRole.LEGAL_REPRESENTATIVE,
    }
    values.update(fields)
    Application.objects.filter(pk=draft.pk).update(**values)


def test_a_body_complete_with_its_legal_representative_passes(draft):
    _for_organisation(draft)
    assert _problems(draft) == []


def test_a_body_must_be_one_registered_in_the_personal_area(draft):
    _for_organisation(draft, organisation=None)
    assert _problems(draft) == [
        ("offerer", "Scegli l'ente per cui agisci tra quelli registrati nella tua area personale")
    ]


def test_an_ets_needs_its_runts_number(draft):
    _for_organisation(draft, offerer_type=OrganisationType.ETS, offerer_runts_number="")
    assert ("offerer", "Per un ETS il numero di iscrizione al RUNTS è obbligatorio.") in _problems(draft)


def test_a_body_is_not_signed_by_an_owner(draft):
    _for_organisation(draft, signatory_role=SignatoryRole.OWNER)
    assert _problems(draft) == [("offerer", "Per un ente firma il legale rappresentante o un delegato con procura")]


def test_a_delegate_signs_as_delegate(draft):
    _for_organisation(draft, role=MembershipRole.DELEGATE)
    assert _problems(draft) == [
        ("offerer", "Sei registrato come delegato di questo ente: firma come delegato con procura")
    ]
    Application.objects.filter(pk=draft.pk).update(signatory_role=SignatoryRole.DELEGATE)
    assert _problems(draft) == [("attachments", "Manca: Procura")]
