"""Factories for manifestations of interest, their units and attachments: one module, a trait
for every state, each state reached through the services (never by writing ``status``).

``ApplicationFactory(complete=True)`` is a draft that passes ``completeness.missing_items()``:
a private owner with a valid codice fiscale, one complete unit (``units=N`` for more) with a
photo and its documents, the signatory's identity document, every declaration.

The lifecycle traits go on from there, each through the service a user would call:
``submitted`` (``application_submit``: protocolled, package frozen, receipt job queued),
``under_review`` (assigned by Ufficio di Piano staff), ``info_requested``, ``site_visit``,
``eligible``, ``notice_of_refusal``, ``not_eligible`` (after the offerer's observations) and
``withdrawn``. ``lifecycle__reviewer=`` assigns someone else than a new staff member (e.g. a
social worker of the units' comune); ``lifecycle__decider=`` decides.
"""

import hashlib
import io
import itertools
from datetime import date, timedelta
from decimal import Decimal

import factory
from codicefiscale import codicefiscale
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.models import (
    PERSON_OFFERER,
    Application,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    IdDocumentType,
    SignatoryRole,
    SignatureMode,
)
from housingmix.accounts.models import OffererKind
from housingmix.territory.models import Ambito, Comune
from properties.models import (
    AvailabilityForm,
    CadastralCategory,
    Condition,
    EnergyClass,
    Furnishing,
    Heating,
    HousingUnit,
    Occupancy,
    Target,
)
from tests.accounts.factories import UserFactory
from tests.notices.factories import NoticeFactory

_files = itertools.count(1)

# Documents in the files each unit needs (DOMAIN.md, "Attachments"), besides its photo.
UNIT_DOCUMENTS = [AttachmentKind.CADASTRAL_SURVEY, AttachmentKind.FLOOR_PLAN, AttachmentKind.TITLE_DEED]


def pdf_bytes(text: str = "") -> bytes:
    """A tiny, valid one-page PDF; ``text`` (or a counter) makes its SHA-256 unique."""
    marker = (text or "documento %d" % next(_files)).encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%% " + marker + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def png_bytes() -> bytes:
    """A tiny PNG photo, a different colour each time (so a different SHA-256)."""
    from PIL import Image

    n = next(_files)
    out = io.BytesIO()
    Image.new("RGB", (8, 6), ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256)).save(out, "PNG")
    return out.getvalue()


def person_tax_code(n: int, *, first_name: str = "Maria", last_name: str = "Rossi") -> str:
    """A valid codice fiscale (born in Lodi, a different day for each ``n``)."""
    born = date(1950, 1, 1) + timedelta(days=n % 18000)
    return codicefiscale.encode(
        lastname=last_name, firstname=first_name, gender="F", birthdate=born.strftime("%d/%m/%Y"), birthplace="Lodi"
    )


def comune_in_ambito() -> Comune:
    """Lodi, in the portal's Ambito (seeded by a migration; recreated if a transactional test emptied the tables)."""
    comune = Comune.objects.filter(istat_code="098031").first()
    if comune is None:
        ambito, _created = Ambito.objects.get_or_create(
            code="lodi",
            defaults={"name": "Ambito territoriale di Lodi", "office_name": "Ufficio di Piano dell'Ambito di Lodi"},
        )
        comune = Comune.objects.create(
            ambito=ambito,
            name="Lodi",
            istat_code="098031",
            cadastral_code="E648",
            province="LO",
            postcodes=["26900"],
            is_capofila=True,
        )
    return comune


def upload(kind: str, *, name: str | None = None) -> SimpleUploadedFile:
    """A real file for ``attachment_add``: a PNG for photos, a PDF otherwise."""
    if kind == AttachmentKind.PHOTO:
        return SimpleUploadedFile(name or "foto.png", png_bytes(), content_type="image/png")
    return SimpleUploadedFile(name or "%s.pdf" % kind, pdf_bytes(), content_type="application/pdf")


class OffererFactory(UserFactory):
    """A private owner with the offerer role, a valid codice fiscale and a phone number."""

    first_name = "Maria"
    last_name = "Rossi"
    tax_code = factory.Sequence(person_tax_code)
    phone = "+39 0371 409111"
    offerer_kind = OffererKind.PERSON
    offerer = True


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft manifestation by a private owner, prefilled as ``application_start`` would."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    notice = factory.SubFactory(NoticeFactory, published=True)
    created_by = factory.SubFactory(OffererFactory)
    offerer_type = PERSON_OFFERER
    offerer_name = factory.LazyAttribute(lambda o: "%s %s" % (o.created_by.first_name, o.created_by.last_name))
    offerer_tax_code = factory.LazyAttribute(lambda o: o.created_by.tax_code)
    signatory_first_name = factory.LazyAttribute(lambda o: o.created_by.first_name)
    signatory_last_name = factory.LazyAttribute(lambda o: o.created_by.last_name)
    signatory_tax_code = factory.LazyAttribute(lambda o: o.created_by.tax_code)
    signatory_role = SignatoryRole.OWNER
    email = factory.LazyAttribute(lambda o: o.created_by.email)
    phone = factory.LazyAttribute(lambda o: o.created_by.phone)

    class Params:
        complete = factory.Trait(
            offerer_address="Via Garibaldi 12",
            offerer_postcode="26900",
            offerer_city="Lodi",
            offerer_province="LO",
            id_document_type=IdDocumentType.ID_CARD,
            id_document_number="CA12345AB",
            id_document_expiry=date(2035, 1, 31),
            declares_truthful=True,
            declares_title=True,
            accepts_checks=True,
            accepts_terms=True,
            privacy_read=True,
            signature_mode=SignatureMode.AUTHENTICATED,
            declarations_at=factory.LazyFunction(timezone.now),
            # Post-generation hooks take trait values as keyword arguments (``units=N`` still overrides).
            units__count=1,
            identity_document__add=True,
        )
        submitted = factory.Trait(complete=True, lifecycle__state=ApplicationStatus.SUBMITTED)
        under_review = factory.Trait(complete=True, lifecycle__state=ApplicationStatus.UNDER_REVIEW)
        info_requested = factory.Trait(complete=True, lifecycle__state=ApplicationStatus.INFO_REQUESTED)
        site_visit = factory.Trait(complete=True, lifecycle__state=ApplicationStatus.SITE_VISIT)
        eligible = factory.Trait(complete=True, lifecycle__state=ApplicationStatus.ELIGIBLE)
        notice_of_refusal = factory.Trait(complete=True, lifecycle__state=ApplicationStatus.NOTICE_OF_REFUSAL)
        not_eligible = factory.Trait(complete=True, lifecycle__state=ApplicationStatus.NOT_ELIGIBLE)
        withdrawn = factory.Trait(complete=True, lifecycle__state=ApplicationStatus.WITHDRAWN)

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        """``units=N``: N complete units, each with a photo, cadastral survey, floor plan and title deed
        (uploaded through ``attachment_add``, so type, size and SHA-256 are real)."""
        count = extracted if extracted is not None else kwargs.pop("count", 0)
        kwargs.pop("count", None)
        if not create or not count:
            return
        from applications.services import attachment_add

        start = self.units.count()
        for position in range(start + 1, start + count + 1):
            unit = HousingUnitFactory(application=self, position=position, **kwargs)
            for kind in [AttachmentKind.PHOTO, *UNIT_DOCUMENTS]:
                attachment_add(application=self, by=self.created_by, upload=upload(kind), kind=kind, unit=unit)

    @factory.post_generation
    def identity_document(self, create, extracted, **kwargs):
        """``identity_document=True``: the signatory's identity document (for every unit)."""
        if not create or not (extracted or kwargs.get("add")):
            return
        from applications.services import attachment_add

        kind = AttachmentKind.ID_DOCUMENT
        attachment_add(application=self, by=self.created_by, upload=upload(kind, name="carta-identita.pdf"), kind=kind)

    @factory.post_generation
    def lifecycle(self, create, extracted, **kwargs):
        """``lifecycle__state=``: take the complete draft to that state through the services."""
        state = extracted or kwargs.get("state")
        if not create or not state:
            return
        saved = advance(self, state, reviewer=kwargs.get("reviewer"), decider=kwargs.get("decider"))
        # The status field is protected (no assignment, no refresh_from_db): copy the saved row's values.
        for field in Application._meta.concrete_fields:
            self.__dict__[field.attname] = getattr(saved, field.attname)
        self._state.fields_cache.pop("protocol", None)
        self._state.fields_cache.pop("assigned_to", None)


# The road from a draft to each state (DOMAIN.md, "States").
_ROAD = {
    ApplicationStatus.SUBMITTED: [],
    ApplicationStatus.UNDER_REVIEW: ["assign"],
    ApplicationStatus.INFO_REQUESTED: ["assign", "request_info"],
    ApplicationStatus.SITE_VISIT: ["assign", "visit"],
    ApplicationStatus.ELIGIBLE: ["assign", "visit", "eligible"],
    ApplicationStatus.NOTICE_OF_REFUSAL: ["assign", "refusal"],
    ApplicationStatus.NOT_ELIGIBLE: ["assign", "refusal", "observations", "not_eligible"],
    ApplicationStatus.WITHDRAWN: ["withdraw"],
}


def advance(application: Application, state: str, *, reviewer=None, decider=None) -> Application:
    """Submit a complete draft and take it to ``state`` as its users would: staff assign (to
    ``reviewer``, default a new staff member), the reviewer asks, visits; ``decider`` (default a
    new staff member) decides; the offerer files observations or withdraws."""
    from applications.review import services as review
    from applications.services import application_submit, application_withdraw

    offerer = application.created_by
    current = application_submit(application=application, by=offerer)
    staff = decider or UserFactory(staff=True)
    reviewer = reviewer or staff
    for step in _ROAD[state]:
        if step == "assign":
            review.review_assign(application=current, reviewer=reviewer, by=staff)
        elif step == "request_info":
            review.info_request_create(application=current, items="Visura catastale aggiornata", by=reviewer)
        elif step == "visit":
            review.site_visit_record(
                application=current,
                by=reviewer,
                visit_date=timezone.localdate(),
                attendees="L'istruttore e il proprietario",
                outcomes={unit.pk: {"habitability": ("ok", "")} for unit in current.units.all()},
                summary="Alloggio in buono stato.",
            )
        elif step == "eligible":
            review.decision_eligible(application=current, by=staff, reasons="Alloggio idoneo per il programma.")
        elif step == "refusal":
            review.refusal_notice_issue(application=current, by=staff, reasons="Superficie insufficiente.")
        elif step == "observations":
            review.refusal_reply(application=current, by=offerer, text="La superficie è stata misurata male.")
        elif step == "not_eligible":
            review.decision_not_eligible(
                application=current, by=staff, reasons="Le osservazioni non superano i motivi."
            )
        elif step == "withdraw":
            application_withdraw(application=current, by=offerer, reason="Alloggio affittato nel frattempo.")
        current = Application.objects.get(pk=application.pk)
    return Application.objects.select_related("notice", "protocol", "created_by", "assigned_to").get(pk=application.pk)


class HousingUnitFactory(factory.django.DjangoModelFactory):
    """A unit with every field required at submission: a flat in Lodi offered at canone concordato."""

    class Meta:
        model = HousingUnit

    application = factory.SubFactory(ApplicationFactory)
    position = 1
    street = "Via Garibaldi"
    street_number = factory.Sequence(lambda n: str(n + 1))
    flat_number = "4"
    comune = factory.LazyFunction(comune_in_ambito)
    postcode = "26900"
    cadastral_sheet = "12"
    cadastral_parcel = "345"
    cadastral_sub = "7"
    cadastral_category = CadastralCategory.A3
    cadastral_class = "2"
    cadastral_income = Decimal("511.29")
    surface_m2 = Decimal("65.50")
    rooms = Decimal("3.5")
    bedrooms = 2
    bathrooms = 1
    beds = 3
    floor = 1
    has_lift = True
    step_free = False
    heating = Heating.AUTONOMOUS
    energy_class = EnergyClass.D
    ape_code = "1509800012345/24"
    ape_expiry = date(2034, 6, 30)
    furnishing = Furnishing.PARTLY
    condition = Condition.GOOD
    has_habitability = True
    electric_compliant = True
    gas_compliant = True
    occupancy = Occupancy.FREE
    condo_fees_month = Decimal("45.00")
    availability_form = AvailabilityForm.LEASE_AGREED
    monthly_rent = Decimal("1234.56")
    available_from = date(2027, 3, 1)
    duration_months = 36
    renewable = True
    targets = factory.LazyFunction(lambda: [Target.FAMILIES, Target.ELDERLY])
    co_housing = False
    guarantees = factory.LazyFunction(lambda: ["rent_fund"])


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A stored file of a manifestation, written directly (no service): a PDF unless ``content`` says otherwise."""

    class Meta:
        model = Attachment

    class Params:
        content = factory.LazyFunction(pdf_bytes)

    application = factory.SubFactory(ApplicationFactory)
    unit = None
    kind = AttachmentKind.OTHER
    filename = factory.Sequence(lambda n: "documento-%d.pdf" % n)
    content_type = "application/pdf"
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="upload"))
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    uploaded_by = factory.LazyAttribute(lambda o: o.application.created_by)


def comune(name: str = "Lodi") -> Comune:
    return Comune.objects.get(name=name)


def in_comune(name: str) -> dict:
    """Factory keyword arguments putting the units in comune ``name`` (with its first CAP)."""
    place = comune(name)
    return {"units__comune": place, "units__postcode": (place.postcodes or [""])[0]}


def social_worker(comune_name: str = "Lodi", **kwargs):
    """A social worker of comune ``comune_name``."""
    return UserFactory(social_worker=True, comune=comune(comune_name), **kwargs)
