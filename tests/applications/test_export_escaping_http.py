"""The review queue export as staff download it: no cell of an offerer's text starts a formula,
whatever prefix it starts with (= + - @ tab CR), in CSV and in XLSX (issue 18)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

NAMES = ["=SUM(A1)", "+39 Rossi", "-Rossi", "@Rossi", "\tRossi", "\rRossi"]


@pytest.fixture
def formulas(db):
    for name in NAMES:
        ApplicationFactory(submitted=True, offerer_name=name)


def test_csv_export_escapes_every_formula_prefix(client, login, staff, formulas):
    response = login(staff).get(reverse("review:queue_export", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert sorted(row[2] for row in rows[1:]) == sorted("'" + name for name in NAMES)


def test_xlsx_export_escapes_every_formula_prefix_as_text(client, login, staff, formulas):
    response = login(staff).get(reverse("review:queue_export", kwargs={"fmt": "xlsx"}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[2] for row in sheet.iter_rows(min_row=2)]
    # XML reads a carriage return back as a line feed; the leading apostrophe is what matters.
    assert sorted(c.value for c in cells) == sorted("'" + name.replace("\r", "\n") for name in NAMES)
    assert {c.data_type for c in cells} == {"s"}
