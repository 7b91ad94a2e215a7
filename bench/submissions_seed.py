"""Data for bench/submissions.py, made through the portal's own services.

`python -m bench.submissions_seed N OUT.json`: an open notice and N offerers, each with a
logged-in session and a complete draft (one unit, a photo, the required documents, the
declarations); writes what the clients need to OUT.json.
`python -m bench.submissions_seed --register`: prints the protocol numbers of this year.
"""

import io
import json
import os
import sys
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "housingmix.settings")
django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from codicefiscale import codicefiscale  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

from applications import services  # noqa: E402
from applications.models import Application  # noqa: E402
from bench.common import login_backend  # noqa: E402
from housingmix.accounts.models import User  # noqa: E402
from housingmix.accounts.roles import Role  # noqa: E402
from housingmix.core.protocol.models import ProtocolEntry  # noqa: E402
from housingmix.notices import services as notice_services  # noqa: E402
from housingmix.notices.models import NoticeKind  # noqa: E402
from housingmix.territory.models import Comune  # noqa: E402

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PASSWORD = "Bench-Password-2026!"  # noqa: S105  # nosec B105: a throw-away bench database
FIRST_NAMES = ["Anna", "Marco", "Giulia", "Luca", "Sara", "Paolo", "Elena", "Davide"]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 150), (80, 120, 160)).save(out, "PNG")
    return out.getvalue()


def _notice(staff: User):
    now = timezone.now()
    notice = notice_services.notice_create(
        by=staff,
        title="Avviso di prova per il benchmark delle presentazioni",
        kind=NoticeKind.INTEREST,
        act_number="1/2026",
        act_date=timezone.localdate(),
        summary="Avviso di prova.",
        body="Testo di prova.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        rup="RUP di prova",
    )
    return notice_services.notice_publish(notice=notice, by=staff)


def _offerer(n: int, password_hash: str) -> User:
    first, last = FIRST_NAMES[n % len(FIRST_NAMES)], "Bench%03d" % n
    user = User.objects.create(
        password=password_hash,
        email="bench%03d@example.org" % n,
        first_name=first,
        last_name=last,
        offerer_kind="person",
        phone="0371 %06d" % n,
        tax_code=codicefiscale.encode(
            lastname=last, firstname=first, gender="M", birthdate="01/01/%d" % (1950 + n % 40), birthplace="Lodi"
        ),
    )
    user.groups.add(Group.objects.get(name=Role.OFFERER))
    # A verified address, as a real account has: the login then goes straight to the portal.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _complete_draft(user: User, notice, lodi: Comune, png: bytes) -> Application:
    today = timezone.localdate()
    application = services.application_start(notice=notice, by=user)
    services.application_update(
        application=application,
        by=user,
        fields={
            "offerer_address": "Via Roma 1",
            "offerer_postcode": "26900",
            "offerer_city": "Lodi",
            "offerer_province": "LO",
            "id_document_type": "id_card",
            "id_document_number": "CA%05dBB" % user.pk,
            "id_document_expiry": today + timedelta(days=1000),
            "declares_truthful": True,
            "declares_title": True,
            "accepts_checks": True,
            "accepts_terms": True,
            "privacy_read": True,
            "signature_mode": "authenticated",
        },
    )
    unit = services.unit_add(application=application, by=user)
    services.unit_update(
        unit=unit,
        by=user,
        fields={
            "street": "Via Roma", "street_number": str(user.pk), "comune": lodi, "postcode": "26900",
            "cadastral_sheet": "10", "cadastral_parcel": "20", "cadastral_sub": str(user.pk),
            "cadastral_category": "A/3", "surface_m2": 60, "rooms": 3, "bedrooms": 1, "bathrooms": 1, "beds": 2,
            "floor": 1, "has_lift": True, "step_free": False, "heating": "autonomous", "energy_class": "D",
            "ape_code": "APE%05d" % user.pk, "ape_expiry": today + timedelta(days=900), "furnishing": "furnished",
            "condition": "good", "has_habitability": True, "electric_compliant": True, "gas_compliant": True,
            "occupancy": "free", "availability_form": "lease_agreed", "monthly_rent": 450,
            "available_from": today + timedelta(days=30), "duration_months": 60, "renewable": True,
            "targets": ["any"], "co_housing": False,
        },
    )  # fmt: skip
    services.attachment_add(
        application=application, by=user, unit=unit, kind="photo",
        upload=SimpleUploadedFile("foto.png", png, content_type="image/png"),
    )  # fmt: skip
    for kind in ("id_document", "cadastral_survey", "floor_plan", "title_deed"):
        services.attachment_add(
            application=application, by=user, kind=kind,
            upload=SimpleUploadedFile("%s.pdf" % kind, PDF, content_type="application/pdf"),
        )  # fmt: skip
    return application


def _session(user: User) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = login_backend()
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def seed(count: int) -> list[dict]:
    staff = User.objects.create(email="bench-staff@example.org", is_staff=True)
    staff.groups.add(Group.objects.get(name=Role.STAFF))
    notice = _notice(staff)
    lodi = Comune.objects.get(name="Lodi")
    png = _png()
    fields = [
        "offerer_name", "offerer_tax_code", "offerer_address", "offerer_postcode", "offerer_city", "offerer_province",
        "signatory_first_name", "signatory_last_name", "signatory_tax_code", "signatory_role", "id_document_type",
        "id_document_number", "email", "phone",
    ]  # fmt: skip
    rows = []
    # One hash for every offerer (bench/load.py logs them in): hashing each would cost seconds.
    password_hash = make_password(PASSWORD)
    for n in range(count):
        user = _offerer(n, password_hash)
        application = _complete_draft(user, notice, lodi, png)
        form = {name: str(getattr(application, name)) for name in fields}
        form["id_document_expiry"] = application.id_document_expiry.strftime("%d/%m/%Y")
        rows.append(
            {
                "session": _session(user),
                "offerer_url": reverse("applications:offerer", kwargs={"ref": application.reference}),
                "summary_url": reverse("applications:summary", kwargs={"ref": application.reference}),
                "offerer_form": form,
                "email": user.email,
                "password": PASSWORD,
            }
        )
    return rows


def register() -> dict:
    year = timezone.localdate().year
    numbers = sorted(ProtocolEntry.objects.filter(year=year).values_list("number", flat=True))
    submitted = Application.objects.filter(status="submitted").count()
    return {"numbers": numbers, "submitted": submitted}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--register"]:
        print(json.dumps(register()))
        return 0
    count, out = int(argv[0]), argv[1]
    rows = seed(count)
    with open(out, "w") as handle:
        json.dump(rows, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
