"""What a downloaded export looks like beyond the formula escaping: dates and times as an Italian
reader expects them, amounts as numbers, the sheet's name, the file's name and the response's
headers (a private download the browser must not keep)."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from housingmix.core.exports import writers


def test_an_aware_time_is_shown_in_rome_to_the_minute_and_a_naive_one_as_its_day():
    assert writers.display(datetime(2027, 3, 1, 23, 30, tzinfo=UTC)) == "02/03/2027 00:30"
    assert writers.display(datetime(2027, 7, 9, 8, 5, tzinfo=UTC)) == "09/07/2027 10:05"
    assert writers.display(datetime(2027, 3, 1, 23, 30)) == "01/03/2027"
    assert writers.display(date(2027, 12, 31)) == "31/12/2027"
    assert writers.display("01/02/2027") == "01/02/2027"


def test_csv_shows_the_same_dates_and_times():
    body = writers.csv_bytes(["Presentata"], [[datetime(2027, 3, 1, 23, 30, tzinfo=UTC)], [date(2027, 1, 2)]])
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Presentata"], ["02/03/2027 00:30"], ["02/01/2027"]]


def test_xlsx_names_its_sheet_within_excel_s_31_characters_and_keeps_the_header():
    name = "manifestazioni-di-interesse-lodi-2027"
    body = writers.xlsx_bytes(["Riferimento", "=Totale"], [["HM-1", "x"]], title=name)
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.title == name[:31]
    assert [c.value for c in sheet[1]] == ["Riferimento", "'=Totale"]


def test_xlsx_writes_amounts_as_numbers_and_text_as_text():
    body = writers.xlsx_bytes(["Canone", "Nome"], [[Decimal("1234.56"), "Rossi"]], title="canoni")
    sheet = load_workbook(io.BytesIO(body)).active
    amount, text = sheet[2]
    assert (amount.value, amount.data_type) == (1234.56, "n")
    assert (text.value, text.data_type) == ("Rossi", "s")


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="^unknown export format$"):
        writers.body_bytes(fmt="exe", name="x", header=["a"], rows=[])
    assert writers.body_bytes(fmt="csv", name="x", header=["a"], rows=[]).decode("utf-8-sig") == "a\r\n"


@time_machine.travel(datetime(2027, 3, 1, 23, 5, tzinfo=UTC), tick=False)
def test_the_file_is_named_after_the_export_and_the_time_in_rome():
    assert writers.filename_for(name="istruttorie", fmt="xlsx") == "istruttorie-20270302-0005.xlsx"


def test_the_download_is_an_attachment_never_kept_by_the_browser():
    response = writers.file_response(b"a;b\r\n", fmt="csv", filename="registro-20270302-0005.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="registro-20270302-0005.csv"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == b"a;b\r\n"
    xlsx = writers.file_response(b"", fmt="xlsx", filename="r.xlsx")
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
