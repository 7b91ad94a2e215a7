"""What a manifestation still lacks before it can be submitted, step by step.

A draft may be saved at any point; this module lists every missing or inconsistent
item at once, each with the step (and the page) where it is fixed.
"""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from housingmix.accounts.models import MembershipRole, OrganisationType
from housingmix.accounts.validators import validate_body_tax_code, validate_person_tax_code
from housingmix.core.drafts import MissingItem, Step, missing_items_sorted
from housingmix.notices.models import NoticeKind
from housingmix.territory.selectors import ambito_current
from properties.models import DURATION_LIMITS, RENT_FORMS, WORKS_CONDITIONS, HousingUnit, Occupancy

from .models import PERSON_OFFERER, Application, AttachmentKind, SignatoryRole, SignatureMode

# The steps of the form, in order: (slug, label, url name). Unit steps are per unit.
STEPS = [
    Step("offerer", gettext_lazy("Offerente e firmatario"), "applications:offerer"),
    Step("units", gettext_lazy("Alloggi"), "applications:units"),
    Step("unit_data", gettext_lazy("Dati degli alloggi"), "applications:units"),
    Step("terms", gettext_lazy("Condizioni dell'offerta"), "applications:units"),
    Step("attachments", gettext_lazy("Allegati"), "applications:attachments"),
    Step("declarations", gettext_lazy("Dichiarazioni"), "applications:declarations"),
    Step("summary", gettext_lazy("Riepilogo e invio"), "applications:summary"),
]

OFFERER_REQUIRED = [
    "offerer_type",
    "offerer_name",
    "offerer_tax_code",
    "offerer_address",
    "offerer_postcode",
    "offerer_city",
    "offerer_province",
    "signatory_first_name",
    "signatory_last_name",
    "signatory_tax_code",
    "signatory_role",
    "id_document_type",
    "id_document_number",
    "id_document_expiry",
    "email",
    "phone",
]
UNIT_DATA_REQUIRED = [
    "street",
    "street_number",
    "comune",
    "postcode",
    "cadastral_sheet",
    "cadastral_parcel",
    "cadastral_category",
    "surface_m2",
    "rooms",
    "bedrooms",
    "bathrooms",
    "beds",
    "floor",
    "has_lift",
    "step_free",
    "heating",
    "energy_class",
    "ape_code",
    "ape_expiry",
    "furnishing",
    "condition",
    "has_habitability",
    "electric_compliant",
    "gas_compliant",
    "occupancy",
]
TERMS_REQUIRED = ["availability_form", "available_from", "duration_months", "renewable", "co_housing"]
DECLARATIONS = ["declares_truthful", "declares_title", "accepts_checks", "accepts_terms", "privacy_read"]


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _unit_items(unit: HousingUnit, ref, photos: int, today: date, ambito) -> list[MissingItem]:
    items = []
    data_url = reverse("applications:unit_data", kwargs={"ref": ref, "unit": unit.pk})
    terms_url = reverse("applications:unit_terms", kwargs={"ref": ref, "unit": unit.pk})
    name = unit.display_name

    def add(step, url, message):
        items.append(MissingItem(step, _("%(unit)s: %(problem)s") % {"unit": name, "problem": message}, url))

    for field in UNIT_DATA_REQUIRED:
        if _empty(getattr(unit, field)):
            add("unit_data", data_url, _("manca «%(field)s»") % {"field": _label(HousingUnit, field)})
    if unit.comune_id and ambito and unit.comune.ambito_id != ambito.pk:
        add("unit_data", data_url, _("il comune non fa parte dell'Ambito"))
    if unit.comune_id and unit.postcode and unit.postcode not in (unit.comune.postcodes or []):
        add("unit_data", data_url, _("il CAP non corrisponde al comune"))
    if unit.condition in WORKS_CONDITIONS:
        if not unit.works_description.strip():
            add("unit_data", data_url, _("descrivi i lavori necessari"))
        if unit.works_cost is None:
            add("unit_data", data_url, _("indica il costo stimato dei lavori"))
    if unit.occupancy == Occupancy.OCCUPIED and unit.free_from is None:
        add("unit_data", data_url, _("indica da quando l'alloggio sarà libero"))
    if unit.ape_expiry and unit.ape_expiry < today:
        add("unit_data", data_url, _("l'APE è scaduto"))
    if photos == 0:
        add("unit_data", data_url, _("carica almeno una fotografia"))

    for field in TERMS_REQUIRED:
        if _empty(getattr(unit, field)):
            add("terms", terms_url, _("manca «%(field)s»") % {"field": _label(HousingUnit, field)})
    if not unit.targets:
        add("terms", terms_url, _("scegli almeno un destinatario (o «nessuna preferenza»)"))
    if unit.availability_form in RENT_FORMS and unit.monthly_rent is None:
        add("terms", terms_url, _("indica il canone mensile proposto"))
    if unit.availability_form and unit.duration_months:
        low, high = DURATION_LIMITS[unit.availability_form]
        if unit.duration_months < low or (high is not None and unit.duration_months > high):
            add("terms", terms_url, _("la durata non è ammessa per la forma scelta"))
    return items


def _attachment_items(application: Application, units: list[HousingUnit], kinds: dict) -> list[MissingItem]:
    """``kinds`` maps kind to the set of unit ids covered (None: covers every unit)."""
    items = []
    url = reverse("applications:attachments", kwargs={"ref": application.reference})
    labels = dict(AttachmentKind.choices)

    def need(kind):
        items.append(MissingItem("attachments", _("Manca: %(kind)s") % {"kind": labels[kind]}, url))

    if application.signature_mode == SignatureMode.DIGITAL_SIGNATURE:
        if AttachmentKind.SIGNED_SUMMARY not in kinds:
            need(AttachmentKind.SIGNED_SUMMARY)
    elif application.signature_mode == SignatureMode.DIGITAL_IDENTITY:
        pass  # CAD art. 65 c. 1 b: the SPID/CIE authentication identifies the signatory
    elif AttachmentKind.ID_DOCUMENT not in kinds:
        need(AttachmentKind.ID_DOCUMENT)
    for kind in (AttachmentKind.CADASTRAL_SURVEY, AttachmentKind.FLOOR_PLAN, AttachmentKind.TITLE_DEED):
        covered = kinds.get(kind)
        if covered is None and kind in kinds:
            continue  # one file for every unit
        for unit in units:
            if not covered or unit.pk not in covered:
                items.append(
                    MissingItem(
                        "attachments",
                        _("%(unit)s: manca %(kind)s") % {"unit": unit.display_name, "kind": labels[kind]},
                        url,
                    )
                )
    if application.signatory_role == SignatoryRole.DELEGATE and AttachmentKind.PROXY not in kinds:
        need(AttachmentKind.PROXY)
    if application.offerer_type == OrganisationType.ETS:
        for kind in (AttachmentKind.STATUTE, AttachmentKind.RUNTS_RECORD):
            if kind not in kinds:
                need(kind)
    return items


def _offerer_items(application: Application, today: date) -> list[MissingItem]:
    items = []
    url = reverse("applications:offerer", kwargs={"ref": application.reference})

    def add(message):
        items.append(MissingItem("offerer", message, url))

    for field in OFFERER_REQUIRED:
        if _empty(getattr(application, field)):
            add(_("Manca «%(field)s»") % {"field": _label(Application, field)})
    is_person = application.offerer_type == PERSON_OFFERER
    if application.offerer_type and not is_person and application.organisation_id is None:
        add(_("Scegli l'ente per cui agisci tra quelli registrati nella tua area personale"))
    if application.offerer_tax_code:
        try:
            (validate_person_tax_code if is_person else validate_body_tax_code)(application.offerer_tax_code)
        except Exception:
            add(_("Il codice fiscale dell'offerente non è valido"))
    if application.offerer_type == OrganisationType.ETS and not application.offerer_runts_number:
        add(_("Per un ETS il numero di iscrizione al RUNTS è obbligatorio."))
    if is_person and application.signatory_role and application.signatory_role != SignatoryRole.OWNER:
        add(_("Un privato cittadino firma come proprietario o titolare del diritto"))
    if not is_person and application.signatory_role == SignatoryRole.OWNER:
        add(_("Per un ente firma il legale rappresentante o un delegato con procura"))
    if application.organisation_id and application.signatory_role:
        membership = application.organisation.memberships.filter(user=application.created_by).first()
        if (
            membership
            and membership.role == MembershipRole.DELEGATE
            and (application.signatory_role == SignatoryRole.LEGAL_REPRESENTATIVE)
        ):
            add(_("Sei registrato come delegato di questo ente: firma come delegato con procura"))
    if application.id_document_expiry and application.id_document_expiry < today:
        add(_("Il documento d'identità è scaduto"))
    return items


def missing_items(application: Application) -> list[MissingItem]:
    """Every item that prevents submission, in step order (empty when the manifestation is complete)."""
    today = timezone.localdate()
    ambito = ambito_current()
    items = []
    notice = application.notice
    if notice.kind != NoticeKind.INTEREST or not notice.is_open:
        items.append(
            MissingItem(
                "summary",
                _("L'avviso non è aperto: la manifestazione non può essere presentata."),
                notice.get_absolute_url(),
            )
        )
    items += _offerer_items(application, today)
    units = list(application.units.select_related("comune").order_by("position", "pk"))
    if not units:
        items.append(
            MissingItem(
                "units",
                _("Aggiungi almeno un alloggio"),
                reverse("applications:units", kwargs={"ref": application.reference}),
            )
        )
    kinds: dict = {}
    photos: dict[int, int] = {}
    for kind, unit_id in application.attachments.values_list("kind", "unit_id"):
        if kind == AttachmentKind.PHOTO and unit_id:
            photos[unit_id] = photos.get(unit_id, 0) + 1
        if unit_id is None:
            kinds[kind] = None
        elif kinds.get(kind, set()) is not None:
            kinds.setdefault(kind, set()).add(unit_id)
    for unit in units:
        items += _unit_items(unit, application.reference, photos.get(unit.pk, 0), today, ambito)
    items += _attachment_items(application, units, kinds)
    declarations_url = reverse("applications:declarations", kwargs={"ref": application.reference})
    if not all(getattr(application, name) for name in DECLARATIONS):
        items.append(MissingItem("declarations", _("Rendi tutte le dichiarazioni richieste"), declarations_url))
    if not application.signature_mode:
        items.append(MissingItem("declarations", _("Scegli la modalità di sottoscrizione"), declarations_url))
    return missing_items_sorted(items, STEPS)
