"""The exports registry and the writers every export uses (formula escaping in CSV and XLSX)."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from housingmix.core.exports import ExportJob, export_request, writers
from tests.accounts.factories import UserFactory

DANGEROUS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_every_formula_prefix_is_escaped(value):
    assert writers.escape_cell(value) == "'" + value


def test_plain_values_are_left_alone():
    assert [writers.escape_cell(v) for v in ["Lodi", "1.234,56", 12, None]] == ["Lodi", "1.234,56", 12, ""]


def test_csv_escapes_header_and_cells():
    body = writers.csv_bytes(["=Intestazione"], [[v] for v in DANGEROUS])
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["'=Intestazione"]
    assert [r[0] for r in rows[1:]] == ["'" + v for v in DANGEROUS]


def test_xlsx_stores_every_dangerous_value_as_text():
    from openpyxl import load_workbook

    body = writers.xlsx_bytes(["Nome"], [[v] for v in DANGEROUS], title="prova")
    sheet = load_workbook(io.BytesIO(body)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # XML turns a carriage return into a line feed on reading; the apostrophe is what matters.
    assert [c.value for c in cells] == ["'" + v.replace("\r", "\n") for v in DANGEROUS]
    assert {c.data_type for c in cells} == {"s"}


def test_dates_and_booleans_are_written_the_italian_way():
    from datetime import date

    assert writers.display(date(2027, 3, 1)) == "01/03/2027"
    assert writers.display(True) == "sì" and writers.display(False) == "no"


@pytest.mark.django_db
def test_unknown_kind_or_format_is_refused_and_nothing_recorded():
    staff = UserFactory(staff=True)
    with pytest.raises(ValidationError):
        export_request(kind="everything", fmt="csv", query="", by=staff)
    with pytest.raises(ValidationError):
        export_request(kind="review_queue", fmt="exe", query="", by=staff)
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_export_needs_the_permission_of_its_kind():
    with pytest.raises(PermissionDenied):
        export_request(kind="registry", fmt="csv", query="", by=UserFactory(offerer=True))
    assert not ExportJob.objects.exists()


def test_every_registered_export_has_a_label_and_a_permission():
    from housingmix.core.exports import specs

    registered = specs()
    assert {"review_queue", "registry"} <= set(registered)
    for spec in registered.values():
        assert str(spec.label) and spec.permission and spec.name
