"""CSV and XLSX writers shared by every export.

Cells that a spreadsheet would read as a formula (starting with = + - @, tab or CR) get a
leading apostrophe (OWASP "CSV injection"); in XLSX they are also stored as plain strings.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
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


def display(value):
    """Dates as dd/mm/yyyy (with the time in Europe/Rome), booleans as sì/no."""
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
        writer.writerow([escape_cell(display(v)) for v in row])
    # BOM: Excel opens UTF-8 CSV correctly only with it.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([escape_cell(str(h)) for h in header])
    for cell in sheet[1]:
        cell.data_type = TYPE_STRING
    for row in rows:
        values = [escape_cell(display(v)) for v in row]
        sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula, whatever the text
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def body_bytes(*, fmt: str, name: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    if fmt not in CONTENT_TYPES:
        raise ValueError("unknown export format")
    return csv_bytes(header, rows) if fmt == "csv" else xlsx_bytes(header, rows, title=name)


def filename_for(*, name: str, fmt: str) -> str:
    return "%s-%s.%s" % (name, timezone.localtime().strftime("%Y%m%d-%H%M"), fmt)


def file_response(body, *, fmt: str, filename: str) -> HttpResponse:
    result = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    result["Content-Disposition"] = 'attachment; filename="%s"' % filename
    result["Cache-Control"] = "private, no-store"
    return result
