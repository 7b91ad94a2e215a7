"""A full flow through the pages with known names and codici fiscali: none of them reaches a log
record; the open-data page never shows a group under 5; the pact is a tagged PDF."""

import io
import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from beneficiaries import exports, services
from beneficiaries.models import Household, PlanStatus, SupportAction
from housingmix.core.documents import documents_of
from tests.beneficiaries import factories as f

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


def _login(client, user):
    client.force_login(user, backend="housingmix.accounts.backends.AuthenticationBackend")


def _referral(worker) -> dict:
    head, child = f.member_data(0), f.member_data(1)
    data = {
        "comune": worker.comune_id,
        "housing_situation": "eviction",
        "isee_value": "6.500,00",
        "monthly_budget": "350",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "15",
    }
    for i, member in enumerate((head, child)):
        for key, value in member.items():
            data["members-%d-%s" % (i, key)] = value.isoformat() if isinstance(value, date) else value
    data["members-0-disability"] = f.DISABILITY
    data["members-0-needs_step_free"] = "1"
    return data


@time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=ROME), tick=False)
def test_full_flow_leaves_no_personal_data_in_logs(committing_client, caplog, settings):
    client = committing_client
    caplog.set_level(logging.DEBUG)
    organisation = f.ets()
    worker, staff, operator = f.worker(), f.staff(), f.ets_operator(organisation)
    entry = f.registry_entry()

    _login(client, worker)
    bad = _referral(worker) | {"members-0-tax_code": "BNCGLI85D52E648Z"}
    response = client.post(reverse("beneficiaries:create"), bad)
    assert response.status_code == 200 and "non è valido" in response.content.decode()
    response = client.post(
        reverse("beneficiaries:create"), _referral(worker) | {"managing_organisation": organisation.pk}
    )
    household = Household.objects.get()
    assert response.status_code == 302 and response["Location"] == household.get_absolute_url()
    assert household.members.count() == 2 and household.members.first().needs_step_free is True
    for name in ("start_assessment", "start_drafting"):
        client.post(reverse("beneficiaries:plan_transition", args=[household.pk, name]), {"reason": "ok"})
    client.post(
        reverse("beneficiaries:goal_add", args=[household.pk]),
        {"description": "Lavoro", "indicator": "Contratto", "baseline": "no", "target": "sì", "due_on": "2027-09-30"},
    )
    client.post(reverse("beneficiaries:plan_transition", args=[household.pk, "sign_pact"]), {"reason": "firmato"})
    client.post(reverse("beneficiaries:pact_generate", args=[household.pk]))
    pdf = client.get(reverse("beneficiaries:pact_download", args=[household.pk]))
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Patto per il progetto personalizzato" in text and "Lavoro" in text
    assert reader.trailer["/Root"]["/Lang"] == "it-IT" and "/StructTreeRoot" in reader.trailer["/Root"]
    assert documents_of(household.plan).count() == 1

    _login(client, staff)
    client.post(reverse("beneficiaries:match_propose", args=[household.pk, entry.pk]))
    match = household.matches.get()
    _login(client, entry.application.created_by)
    client.post(reverse("beneficiaries:match_decide", args=[match.pk]), {"decision": "accepted"})
    _login(client, worker)
    client.post(reverse("beneficiaries:match_decide", args=[match.pk]), {"decision": "accepted"})
    client.post(
        reverse("beneficiaries:placement_create", args=[match.pk]),
        {
            "contract_kind": "lease_transitional",
            "signed_on": "2026-12-01",
            "start_on": "2026-12-15",
            "end_on": "2027-12-14",
            "monthly_rent": "320",
            "household_share": "120",
            "contribution_share": "200",
            "deposit": "640",
        },
    )
    placement = household.placements.get()
    client.post(
        reverse("beneficiaries:placement_register", args=[placement.pk]),
        {"registered_on": "2026-12-10", "code": "TRX26T000001"},
    )
    client.post(reverse("beneficiaries:placement_move_in", args=[placement.pk]))
    assert household.plan.__class__.objects.get(pk=household.plan.pk).status == PlanStatus.ACTIVE

    _login(client, operator)
    page = client.get(household.get_absolute_url()).content.decode()
    assert "sclerosi" not in page and "Presenti, riservati" in page
    client.post(
        reverse("beneficiaries:action_add", args=[household.pk]),
        {"line": "autonomy", "done_on": "2026-12-20", "hours": "2", "note": "Spesa e bollette"},
    )
    assert SupportAction.objects.get().operator == operator
    # Forbidden reads are logged by Django: by path only.
    _login(client, f.worker("Codogno"))
    assert client.get(household.get_absolute_url()).status_code == 404

    secrets = set()
    for member in household.members.all():
        secrets |= {member.first_name, member.last_name, member.tax_code, f.DISABILITY}
    logged = "\n".join(
        "%s %s %r" % (record.name, record.getMessage(), getattr(record, "args", ())) for record in caplog.records
    )
    assert caplog.records  # something was logged (the 404 at least)
    for secret in secrets:
        assert secret not in logged, secret


def test_open_data_never_shows_a_group_under_five(client):
    worker_lodi, worker_codogno = f.worker(), f.worker("Codogno")
    for _ in range(7):
        f.household(by=worker_lodi, special=False, members=(0,))
    for _ in range(3):
        f.household(by=worker_codogno, special=False, members=(0,))
    ended = f.household(by=worker_lodi, special=False, members=(0,))
    services.plan_transition(plan=ended.plan, name="interrupt", by=worker_lodi, reason="Rinuncia")
    table = exports.open_data_table()
    shown = [v for _name, cells, total in table.rows for v in [*cells, total]] + [*table.totals, table.grand_total]
    assert all(v is None or v == 0 or v >= 5 for v in shown)
    assert table.suppressed_any
    page = client.get(reverse("beneficiaries:open_data"))
    content = page.content.decode()
    assert page.status_code == 200 and "oscurato" in content and "meno di 5" in content
    csv_text = client.get(reverse("beneficiaries:open_data") + "?formato=csv").content.decode()
    for line in csv_text.splitlines()[1:]:
        for cell in line.split(",")[1:]:
            assert not (cell.isdigit() and 0 < int(cell) < 5), line


def test_complementary_suppression_hides_what_would_reveal_a_small_cell():
    # Lodi: 7 in progress, 1 ended (total 8): the 1 is hidden, and so is another cell of its row.
    matrix = [[7, 1, 0, 8], [6, 0, 0, 6], [13, 1, 0, 14]]
    hidden = exports.suppress(matrix, 5)
    assert hidden[0][1] and sum(hidden[0]) >= 2
    for row in hidden:
        assert sum(row) != 1
    for col in zip(*hidden, strict=True):
        assert sum(col) != 1


def test_dashboard_for_staff_only(client):
    f.household()
    _login(client, f.worker())
    assert client.get(reverse("beneficiaries:dashboard")).status_code == 403
    _login(client, f.staff())
    page = client.get(reverse("beneficiaries:dashboard"))
    assert page.status_code == 200 and "Segnalato" in page.content.decode()
