"""CSV and XLSX exports of the review queue and the unit registry, filters applied.

Cells that a spreadsheet would read as a formula (starting with = + - @, tab or CR) get a
leading apostrophe (OWASP "CSV injection"); in XLSX they are also stored as plain strings.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def escape_cell(value):
    """The value as a spreadsheet should show it: text never starts a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _display(value):
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value.tzinfo else value.strftime("%d/%m/%Y")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return _("sì") if value else _("no")
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([escape_cell(str(h)) for h in header])
    for row in rows:
        writer.writerow([escape_cell(_display(v)) for v in row])
    # BOM: Excel opens UTF-8 CSV correctly only with it.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([str(h) for h in header])
    for row in rows:
        values = [escape_cell(_display(v)) for v in row]
        sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula, whatever the text
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def body_bytes(*, fmt: str, name: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    return csv_bytes(header, rows) if fmt == "csv" else xlsx_bytes(header, rows, title=name)


def filename_for(*, name: str, fmt: str) -> str:
    return "%s-%s.%s" % (name, timezone.localtime().strftime("%Y%m%d-%H%M"), fmt)


def response(*, fmt: str, name: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    body = body_bytes(fmt=fmt, name=name, header=header, rows=rows)
    return file_response(body, fmt=fmt, filename=filename_for(name=name, fmt=fmt))


def file_response(body, *, fmt: str, filename: str) -> HttpResponse:
    result = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    result["Content-Disposition"] = 'attachment; filename="%s"' % filename
    result["Cache-Control"] = "private, no-store"
    return result


def filtered(*, kind: str, user, query: str):
    """(file name stem, queryset) of an export: the same filters and scope as the page."""
    from django.http import QueryDict

    from properties import selectors as registry_selectors

    from . import review_selectors
    from .models import ExportKind

    data = QueryDict(query) or None
    if kind == ExportKind.REVIEW_QUEUE:
        return "istruttorie", review_selectors.review_queue_filterset(user=user, data=data).qs
    return "registro-alloggi", registry_selectors.registry_filterset(data=data).qs


def rows_for(*, kind: str, queryset) -> tuple[list[str], list[list]]:
    from .models import ExportKind

    return review_queue_rows(queryset) if kind == ExportKind.REVIEW_QUEUE else registry_rows(queryset)


def review_queue_rows(queryset) -> tuple[list[str], list[list]]:
    header = [
        _("Protocollo"),
        _("Presentata il"),
        _("Offerente"),
        _("Tipo di offerente"),
        _("Avviso"),
        _("Comuni degli alloggi"),
        _("Alloggi"),
        _("Stato"),
        _("Istruttore"),
        _("Integrazione scaduta"),
    ]
    rows = []
    for a in queryset:
        rows.append(
            [
                "%07d/%d" % (a.protocol.number, a.protocol.year) if a.protocol_id else "",
                a.submitted_at,
                a.offerer_name,
                a.get_offerer_type_display(),
                a.notice.title,
                ", ".join(sorted({u.comune.name for u in a.unit_list if u.comune_id})),
                len(a.unit_list),
                a.get_status_display(),
                (a.assigned_to.get_full_name() or a.assigned_to.email) if a.assigned_to_id else "",
                a.is_overdue,
            ]
        )
    return header, rows


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
