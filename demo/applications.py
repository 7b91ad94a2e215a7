"""Demo manifestations for ``make run``: offerers of different types with drafts and submissions.

Everything goes through the services (start, units, uploads, submission), so the demo has
the same protocol numbers, audit trail and receipts as real use.
"""

import io
from datetime import timedelta

from codicefiscale import codicefiscale
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from stdnum import luhn

from applications import services
from applications.models import Application
from housingmix.accounts.models import Membership, MembershipRole, Organisation, OrganisationType, User
from housingmix.accounts.roles import Role
from housingmix.notices.models import Notice, NoticeKind
from housingmix.territory.models import Comune

# A minimal valid PDF: enough for the content check, small enough for a demo.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _body_code(serial: int) -> str:
    base = "%07d098" % (2000000 + serial)
    return base + luhn.calc_check_digit(base)


def _photo(label: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    image = Image.new("RGB", (800, 600), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 260, 680, 560), fill=(235, 235, 230))
    draw.polygon([(80, 270), (400, 60), (720, 270)], fill=(150, 60, 50))
    draw.rectangle((360, 400, 440, 560), fill=(90, 60, 40))
    draw.text((20, 20), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


UNIT_BASE = {
    "cadastral_category": "A/3",
    "cadastral_class": "2",
    "bathrooms": 1,
    "has_lift": False,
    "step_free": False,
    "heating": "autonomous",
    "energy_class": "D",
    "furnishing": "furnished",
    "condition": "good",
    "has_habitability": True,
    "electric_compliant": True,
    "gas_compliant": True,
    "occupancy": "free",
    "renewable": True,
    "co_housing": False,
}


def _units(application: Application, by: User, units: list[dict]) -> None:
    today = timezone.localdate()
    for index, data in enumerate(units):
        unit = services.unit_add(application=application, by=by)
        fields = {
            **UNIT_BASE,
            "ape_code": "LO%08d" % (application.pk * 10 + index),
            "ape_expiry": today + timedelta(days=1500),
            "available_from": today + timedelta(days=60),
            **data,
        }
        fields["comune"] = Comune.objects.get(name=fields["comune"])
        fields["postcode"] = fields["comune"].postcodes[0]
        services.unit_update(unit=unit, by=by, fields=fields)
        services.attachment_add(
            application=application,
            by=by,
            upload=_photo(fields["street"], (70, 110 + 30 * index, 160)),
            kind="photo",
            unit=unit,
        )


def _documents(application: Application, by: User, *, ets: bool = False) -> None:
    kinds = ["id_document", "cadastral_survey", "floor_plan", "title_deed"]
    if ets:
        kinds += ["statute", "runts_record"]
    for kind in kinds:
        services.attachment_add(application=application, by=by, upload=_pdf("%s.pdf" % kind), kind=kind)


def _declare(application: Application, by: User, *, id_number: str) -> None:
    services.application_update(
        application=application,
        by=by,
        fields={
            "id_document_type": "id_card",
            "id_document_number": id_number,
            "id_document_expiry": timezone.localdate() + timedelta(days=2000),
            "offerer_address": application.offerer_address or "Via Garibaldi 3",
            "offerer_postcode": application.offerer_postcode or "26900",
            "offerer_city": application.offerer_city or "Lodi",
            "offerer_province": application.offerer_province or "LO",
            "phone": application.phone or "0371 111222",
            "declares_truthful": True,
            "declares_title": True,
            "accepts_checks": True,
            "accepts_terms": True,
            "privacy_read": True,
            "signature_mode": "authenticated",
        },
    )


def _offerer(email: str, first: str, last: str, birth: str, gender: str, password: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
    if created:
        user.set_password(password)
        user.tax_code = codicefiscale.encode(
            lastname=last, firstname=first, gender=gender, birthdate=birth, birthplace="Lodi"
        )
        user.phone = "0371 555000"
        user.save()
        user.groups.add(*Group.objects.filter(name=Role.OFFERER))
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _organisation(user: User, *, serial: int, kind: str, name: str, office: str) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        tax_code=_body_code(serial),
        defaults={
            "type": kind,
            "name": name,
            "pec": "demo%d@pec.example.org" % serial,
            "address": "Piazza della Vittoria %d" % serial,
            "postcode": "26900",
            "city": "Lodi",
            "province": "LO",
        },
    )
    Membership.objects.get_or_create(
        user=user, organisation=org, defaults={"role": MembershipRole.LEGAL_REPRESENTATIVE, "office": office}
    )
    return org


def seed_demo_applications(*, password: str) -> int:
    """Create the demo manifestations once; returns how many were created (0 if they exist)."""
    notice = Notice.objects.filter(kind=NoticeKind.INTEREST, slug__startswith="housing-mix-manifestazione").first()
    if notice is None or not notice.is_open or Application.objects.exists():
        return 0
    created = 0
    with transaction.atomic():
        # A private owner: one submitted manifestation with two flats.
        marco = User.objects.get(email="offerente@housingmix.demo")
        if not marco.tax_code:
            marco.tax_code = codicefiscale.encode(
                lastname="Rossi", firstname="Marco", gender="M", birthdate="14/05/1962", birthplace="Lodi"
            )
            marco.offerer_kind = "person"
            marco.save()
        application = services.application_start(notice=notice, by=marco)
        _units(
            application,
            marco,
            [
                {
                    "label": "Bilocale in centro",
                    "street": "Corso Umberto I",
                    "street_number": "21",
                    "comune": "Lodi",
                    "cadastral_sheet": "45",
                    "cadastral_parcel": "210",
                    "cadastral_sub": "4",
                    "surface_m2": 58,
                    "rooms": 3,
                    "bedrooms": 1,
                    "beds": 2,
                    "floor": 1,
                    "has_lift": True,
                    "availability_form": "lease_agreed",
                    "monthly_rent": 520,
                    "duration_months": 60,
                    "targets": ["singles", "elderly"],
                },
                {
                    "label": "Trilocale con giardino",
                    "street": "Via Dante",
                    "street_number": "8",
                    "comune": "Codogno",
                    "cadastral_sheet": "12",
                    "cadastral_parcel": "88",
                    "cadastral_sub": "2",
                    "surface_m2": 84,
                    "rooms": 4.5,
                    "bedrooms": 2,
                    "beds": 4,
                    "floor": 0,
                    "step_free": True,
                    "availability_form": "lease_agreed",
                    "monthly_rent": 610,
                    "duration_months": 60,
                    "targets": ["families"],
                    "co_housing": True,
                    "shared_spaces": "Giardino condiviso",
                },
            ],
        )
        _documents(application, marco)
        _declare(application, marco, id_number="CA10000AA")
        marco_application = services.application_submit(application=application, by=marco)
        created += 1

        # A parish: a flat in the parish house on free loan.
        don = _offerer("parrocchia@housingmix.demo", "Giovanni", "Bassi", "03/09/1958", "M", password)
        parish = _organisation(
            don, serial=11, kind=OrganisationType.CHURCH, name="Parrocchia di San Bassiano (demo)", office="Parroco"
        )
        application = services.application_start(notice=notice, by=don, organisation=parish)
        _units(
            application,
            don,
            [
                {
                    "label": "Alloggio nella casa parrocchiale",
                    "street": "Via San Bassiano",
                    "street_number": "2",
                    "comune": "Lodi Vecchio",
                    "cadastral_sheet": "3",
                    "cadastral_parcel": "51",
                    "surface_m2": 72,
                    "rooms": 4,
                    "bedrooms": 2,
                    "beds": 3,
                    "floor": 1,
                    "condition": "small_works",
                    "works_description": "Tinteggiatura e sostituzione della caldaia",
                    "works_cost": 6500,
                    "availability_form": "free_loan",
                    "duration_months": 36,
                    "targets": ["women_violence", "families"],
                    "guarantees": ["renovation"],
                }
            ],
        )
        _documents(application, don)
        _declare(application, don, id_number="CA20000BB")
        services.application_submit(application=application, by=don)
        created += 1

        # The regional housing company: two flats offered in concession.
        aler_user = _offerer("aler@housingmix.demo", "Laura", "Ferri", "22/11/1975", "F", password)
        aler = _organisation(
            aler_user, serial=12, kind=OrganisationType.ALER, name="ALER Pavia-Lodi (demo)", office="Direttrice"
        )
        application = services.application_start(notice=notice, by=aler_user, organisation=aler)
        _units(
            application,
            aler_user,
            [
                {
                    "street": "Viale Piacenza",
                    "street_number": "40",
                    "comune": "Casalpusterlengo",
                    "cadastral_sheet": "7",
                    "cadastral_parcel": "402",
                    "cadastral_sub": "%d" % n,
                    "surface_m2": 64 + n,
                    "rooms": 3.5,
                    "bedrooms": 2,
                    "beds": 3,
                    "floor": n,
                    "has_lift": True,
                    "step_free": True,
                    "furnishing": "unfurnished",
                    "availability_form": "concession",
                    "duration_months": 96,
                    "targets": ["any"],
                }
                for n in (1, 2)
            ],
        )
        _documents(application, aler_user)
        _declare(application, aler_user, id_number="CA30000CC")
        aler_application = services.application_submit(application=application, by=aler_user)
        created += 1

        # A cooperative (ETS) still drafting: one flat, documents missing.
        sara = User.objects.get(email="ets@housingmix.demo")
        coop = Organisation.objects.filter(memberships__user=sara).first()
        application = services.application_start(notice=notice, by=sara, organisation=coop)
        _units(
            application,
            sara,
            [
                {
                    "label": "Monolocale per co-housing",
                    "street": "Via Defendente",
                    "street_number": "15",
                    "comune": "Lodi",
                    "cadastral_sheet": "44",
                    "cadastral_parcel": "17",
                    "surface_m2": 34,
                    "rooms": 1.5,
                    "bedrooms": 0,
                    "beds": 1,
                    "floor": 2,
                    "availability_form": "lease_transitional",
                    "monthly_rent": 300,
                    "duration_months": 12,
                    "co_housing": True,
                    "targets": ["care_leavers"],
                }
            ],
        )
        created += 1
        _review(marco_application, aler_application)
    return created


def _review(eligible: Application, questioned: Application) -> None:
    """Some review history: one manifestation declared eligible (its units in the registry)
    after checks and a site visit, another waiting for documents."""
    from applications.models import VISIT_CHECKED_ITEMS, CheckItem, CheckOutcome
    from applications.review import services as review

    staff = User.objects.get(email="staff@housingmix.demo")
    worker = User.objects.get(email="assistente@housingmix.demo")
    review.review_assign(application=eligible, reviewer=worker, by=staff)
    for unit in eligible.units.all():
        checks = {item: (CheckOutcome.OK, "") for item in CheckItem.values}
        review.review_checks_save(application=eligible, unit=unit, checks=checks, by=worker)
    review.site_visit_record(
        application=eligible,
        by=worker,
        visit_date=timezone.localdate(),
        attendees="Chiara Galli (assistente sociale), Marco Rossi (proprietario)",
        outcomes={
            unit.pk: {item: (CheckOutcome.OK, "") for item in VISIT_CHECKED_ITEMS} for unit in eligible.units.all()
        },
        summary="Alloggi in buono stato, arredati e subito abitabili.",
    )
    review.decision_eligible(
        application=eligible, by=staff, reasons="Alloggi conformi ai requisiti dell'avviso e idonei ai destinatari."
    )
    review.review_assign(application=questioned, reviewer=staff, by=staff)
    review.info_request_create(
        application=questioned,
        by=staff,
        items="Certificati di conformità degli impianti elettrico e gas dei due alloggi.",
    )
