"""PDFs of manifestations of interest (the submission receipt), tagged PDF/UA-1 in Italian.

The receipt is rendered only from what was filed (``Application.package``) and from the
protocol entry, so the same submission always gives the same HTML (and source hash).
"""

from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from housingmix.core.numbers import euro, number_it
from housingmix.core.pdf import PDF_LANGUAGE, pdf_context
from properties.models import AvailabilityForm, HousingUnit

from .models import OFFERER_TYPE_CHOICES, Application, AttachmentKind, SignatoryRole, SignatureMode

# What each declaration flag of the package means, in full (DPR 445/2000; GDPR art. 13).
# Each sentence completes "Il firmatario dichiara:".
DECLARATION_TEXTS = {
    "declares_truthful": [
        gettext_lazy(
            "ai sensi degli artt. 46 e 47 del DPR 445/2000, che i dati e le informazioni riportati nella "
            "manifestazione di interesse e nei documenti allegati sono veritieri e corrispondono alla situazione attuale;"
        ),
        gettext_lazy(
            "di essere consapevole delle sanzioni penali previste dall'art. 76 del DPR 445/2000 per le dichiarazioni "
            "mendaci, la formazione o l'uso di atti falsi, e della decadenza dai benefici prevista dall'art. 75 "
            "dello stesso decreto;"
        ),
    ],
    "declares_title": [
        gettext_lazy(
            "di avere titolo a offrire gli alloggi indicati, in quanto proprietario o titolare di un diritto reale o "
            "personale di godimento che consente di metterli a disposizione nella forma e per la durata proposte;"
        ),
    ],
    "accepts_checks": [
        gettext_lazy(
            "di essere a conoscenza che l'Ambito effettua controlli, anche a campione, sulla veridicità delle "
            "dichiarazioni sostitutive ai sensi dell'art. 71 del DPR 445/2000;"
        ),
    ],
    "accepts_terms": [
        gettext_lazy("di aver letto e di accettare integralmente le condizioni dell'avviso «%(notice)s»;"),
    ],
    "privacy_read": [
        gettext_lazy(
            "di aver letto l'informativa sul trattamento dei dati personali resa ai sensi dell'art. 13 del "
            "Regolamento (UE) 2016/679 (GDPR)."
        ),
    ],
}


def _date(value) -> str:
    if not value:
        return ""
    return (value if isinstance(value, date) else date.fromisoformat(str(value)[:10])).strftime("%d/%m/%Y")


def _rome(value: datetime) -> datetime:
    # The protocol's time is legal time in Italy, whatever timezone a request activated.
    return timezone.localtime(value, timezone.get_default_timezone())


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("sì") if value else _("no")


def _unit_rows(unit: dict) -> dict:
    shell = HousingUnit(
        position=unit.get("position") or 1,
        label=unit.get("label") or "",
        street=unit.get("street") or "",
        street_number=unit.get("street_number") or "",
        staircase=unit.get("staircase") or "",
        flat_number=unit.get("flat_number") or "",
    )
    forms = dict(AvailabilityForm.choices)
    cadastral = ", ".join(
        part
        for part in [
            _("sezione %s") % unit["cadastral_section"] if unit.get("cadastral_section") else "",
            _("foglio %s") % unit["cadastral_sheet"] if unit.get("cadastral_sheet") else "",
            _("particella %s") % unit["cadastral_parcel"] if unit.get("cadastral_parcel") else "",
            _("subalterno %s") % unit["cadastral_sub"] if unit.get("cadastral_sub") else "",
            _("categoria %s") % unit["cadastral_category"] if unit.get("cadastral_category") else "",
        ]
        if part
    )
    duration = ""
    if unit.get("duration_months"):
        duration = _("%(months)s mesi") % {"months": unit["duration_months"]}
        if unit.get("renewable") is not None:
            duration += ", %s" % (_("rinnovabile") if unit["renewable"] else _("non rinnovabile"))
    return {
        "name": shell.display_name,
        "address": shell.address,
        "comune": unit.get("comune") or "",
        "postcode": unit.get("postcode") or "",
        "cadastral": cadastral,
        "surface": ("%s m²" % number_it(unit.get("surface_m2"))) if unit.get("surface_m2") else "",
        "rooms": number_it(unit.get("rooms")),
        "beds": unit.get("beds"),
        "availability_form": forms.get(unit.get("availability_form"), unit.get("availability_form") or ""),
        "monthly_rent": euro(unit.get("monthly_rent")),
        "available_from": _date(unit.get("available_from")),
        "duration": duration,
        "co_housing": _yes_no(unit.get("co_housing")),
    }


def _signature_statement(signature: dict | None) -> str:
    """The receipt's sentence for a submission signed by SPID/CIE (CAD art. 65 c. 1 b), from the
    identity frozen in the package."""
    if not signature:
        return ""
    from django.utils.dateparse import parse_datetime

    from housingmix.identity.selectors import IdentityInfo

    return IdentityInfo(
        provider_kind=signature["provider_kind"],
        provider_name=signature["provider_name"],
        provider_id=signature["provider_id"],
        level=signature["level"],
        authenticated_at=parse_datetime(signature["authenticated_at"]),
        fiscal_code=signature["fiscal_code"],
    ).statement


def receipt_context(*, application: Application) -> dict:
    """What the receipt shows, built from the frozen package and the protocol entry only.

    Raises ValueError if the manifestation has not been protocolled.
    """
    package, entry = application.package, application.protocol
    if not package or entry is None:
        raise ValueError("the receipt needs a submitted, protocolled manifestation")
    offerer = package["offerer"]
    declarations = package["declarations"]
    registered = _rome(entry.registered_at)
    units_by_id = {}
    units = []
    for unit in package["units"]:
        rows = _unit_rows(unit)
        units_by_id[unit["id"]] = rows["name"]
        units.append(rows)
    kinds = dict(AttachmentKind.choices)
    attachments = [
        {
            "kind": kinds.get(a["kind"], a["kind"]),
            "filename": a["filename"],
            "unit": units_by_id.get(a["unit"], "") if a["unit"] else _("tutti gli alloggi"),
            "sha256": a["sha256"],
        }
        for a in package["attachments"]
    ]
    notice_title = package["notice"]["title"]
    made = [
        str(text) % {"notice": notice_title}
        for name, texts in DECLARATION_TEXTS.items()
        if declarations.get(name)
        for text in texts
    ]
    signatory = " ".join(p for p in [offerer.get("signatory_first_name"), offerer.get("signatory_last_name")] if p)
    offerer_place = " ".join(
        p
        for p in [
            offerer.get("offerer_postcode"),
            offerer.get("offerer_city"),
            "(%s)" % offerer["offerer_province"] if offerer.get("offerer_province") else "",
        ]
        if p
    )
    return {
        "protocol_number": entry.display_number,
        "registered_date": registered.strftime("%d/%m/%Y"),
        "registered_time": registered.strftime("%H:%M"),
        "protocol_subject": entry.subject,
        "notice_title": notice_title,
        "reference": package["reference"],
        "offerer": {
            "type": dict(OFFERER_TYPE_CHOICES).get(offerer.get("offerer_type"), ""),
            "name": offerer.get("offerer_name", ""),
            "tax_code": offerer.get("offerer_tax_code", ""),
            "vat_number": offerer.get("offerer_vat_number", ""),
            "runts_number": offerer.get("offerer_runts_number", ""),
            "address": ", ".join(p for p in [offerer.get("offerer_address"), offerer_place] if p),
            "email": offerer.get("email", ""),
            "pec": offerer.get("pec", ""),
            "phone": offerer.get("phone", ""),
        },
        "signatory": {
            "name": signatory,
            "tax_code": offerer.get("signatory_tax_code", ""),
            "role": dict(SignatoryRole.choices).get(offerer.get("signatory_role"), ""),
        },
        "signature_mode": dict(SignatureMode.choices).get(declarations.get("signature_mode"), ""),
        "signature_statement": _signature_statement(package.get("signature")),
        "declarations": made,
        "units": units,
        "attachments": attachments,
        "package_sha256": application.package_sha256,
    }


def receipt_html(*, application: Application) -> tuple[str, str]:
    """The receipt's HTML and title (always in Italian), deterministic for the same submission.

    Raises ValueError if the manifestation has not been protocolled.
    """
    with translation.override(PDF_LANGUAGE):
        data = receipt_context(application=application)
        title = _("Ricevuta di presentazione - prot. n. %(number)s") % {"number": data["protocol_number"]}
        html = render_to_string("applications/pdf/receipt.html", pdf_context(title=title, **data))
    return html, title


def receipt_filename(*, application: Application, version: int) -> str:
    """``ricevuta-0000123-2026.pdf``, with ``-v2`` and so on for later versions."""
    base = "ricevuta-%s" % application.protocol.display_number.replace("/", "-")
    return "%s%s.pdf" % (base, "" if version == 1 else "-v%d" % version)
