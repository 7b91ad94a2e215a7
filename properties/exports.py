"""The registry's export: same filters as the page, one row per available unit."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from housingmix.core.exports import ExportSpec

from . import selectors


def registry_rows(queryset) -> tuple[list[str], list[list]]:
    header = [
        _("Alloggio"),
        _("Indirizzo"),
        _("Comune"),
        _("Forma"),
        _("Disponibile dal"),
        _("Disponibile fino al"),
        _("Canone mensile (€)"),
        _("Posti letto"),
        _("Superficie (m²)"),
        _("Senza barriere"),
        _("Co-housing"),
        _("Protocollo della manifestazione"),
    ]
    rows = [
        [
            e.unit.display_name,
            e.unit.address,
            e.comune.name,
            e.get_availability_form_display(),
            e.available_from,
            e.available_until,
            e.monthly_rent,
            e.beds,
            e.surface_m2,
            e.step_free,
            e.co_housing,
            e.application.protocol_number,
        ]
        for e in queryset
    ]
    return header, rows


REGISTRY_EXPORT = ExportSpec(
    kind="registry",
    label=gettext_lazy("Registro degli alloggi"),
    permission="properties.view_registry",
    name="registro-alloggi",
    queryset=lambda user, data: selectors.registry_filterset(data=data).qs,
    rows=registry_rows,
)
