"""What leaves the portal about households: the data-subject export (GDPR art. 15) and the
open-data aggregates, where no group smaller than OPEN_DATA_MIN_CELL is shown."""

import csv
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from housingmix.core import audit

from .models import Household, PlanStatus

SUPPRESSED = None


def subject_export(*, household, by) -> dict:
    """Everything held on a household and its members, for an access request; audited as a read
    of every part, special categories included (the DPO answers the data subject in full)."""
    from .selectors import (
        PART_ACTIONS,
        PART_ECONOMIC,
        PART_HOUSING,
        PART_IDENTITY,
        PART_PLAN,
        PART_SPECIAL,
        household_read_record,
    )

    plan = household.plan
    data = {
        "exported_at": timezone.now().isoformat(),
        "household": {
            "code": household.code,
            "comune": str(household.comune),
            "social_worker": household.social_worker.get_full_name(),
            "managing_organisation": str(household.managing_organisation or ""),
            "project": str(household.project or ""),
            "contact_phone": household.contact_phone,
            "contact_email": household.contact_email,
            "isee_value": household.isee_value,
            "isee_kind": household.isee_kind,
            "dsu_date": household.dsu_date,
            "dsu_expiry": household.dsu_expiry,
            "housing_situation": household.housing_situation,
            "housing_notes": household.housing_notes,
            "needs": household.needs,
            "monthly_budget": household.monthly_budget,
            "preferred_comuni": [str(c) for c in household.preferred_comuni.all()],
            "referred_on": household.referred_on,
            "closed_at": household.closed_at,
        },
        "members": [
            {
                "first_name": m.first_name,
                "last_name": m.last_name,
                "tax_code": m.tax_code,
                "birth_date": m.birth_date,
                "relation": m.relation,
                "occupation": m.occupation,
                "disability": m.disability,
                "health_notes": m.health_notes,
                "needs_step_free": m.needs_step_free,
            }
            for m in household.members.all()
        ],
        "plan": {
            "status": plan.status,
            "status_changed_on": plan.status_changed_on,
            "status_reason": plan.status_reason,
            "supports": plan.supports,
            "commitments": plan.commitments,
            "duration_months": plan.duration_months,
            "pact_signed_on": plan.pact_signed_on,
            "goals": [
                {
                    "description": g.description,
                    "indicator": g.indicator,
                    "baseline": g.baseline,
                    "target": g.target,
                    "due_on": g.due_on,
                }
                for g in plan.goals.all()
            ],
            "reviews": [{"held_on": r.held_on, "notes": r.notes} for r in plan.reviews.all()],
            "actions": [
                {
                    "line": a.line,
                    "done_on": a.done_on,
                    "hours": a.hours,
                    "note": a.note,
                    "operator": a.operator.get_full_name(),
                }
                for a in plan.actions.all()
            ],
        },
        "matches": [
            {"unit": str(m.entry), "status": m.status, "owner_reason": m.owner_reason, "worker_reason": m.worker_reason}
            for m in household.matches.all()
        ],
        "placements": [
            {
                "unit": str(p.entry.unit),
                "contract_kind": p.contract_kind,
                "signed_on": p.signed_on,
                "start_on": p.start_on,
                "end_on": p.end_on,
                "monthly_rent": p.monthly_rent,
                "household_share": p.household_share,
                "deposit": p.deposit,
                "tax_registered_on": p.tax_registered_on,
                "tax_registration_code": p.tax_registration_code,
            }
            for p in household.placements.all()
        ],
        "history": [
            {"at": e.created_at.isoformat(), "event": audit.label(e.verb), "reason": e.reason}
            for e in audit.history(household, public_only=False)
        ],
    }
    household_read_record(
        household=household,
        user=by,
        parts=[PART_IDENTITY, PART_ECONOMIC, PART_HOUSING, PART_PLAN, PART_ACTIONS, PART_SPECIAL],
        verb="household.export_viewed",
    )
    audit.record(target=household, verb="household.exported", by=by)
    return data


def subject_export_pdf(*, household, by) -> bytes:
    """The access-request report as a tagged PDF/UA-1, rendered on request and never stored
    (no second copy of the special categories at rest). The download is audited first, so the
    trail it prints ends with this very download."""
    from housingmix.core.pdf import render_pdf

    from .documents import subject_access_html
    from .selectors import (
        PART_ACTIONS,
        PART_ECONOMIC,
        PART_HOUSING,
        PART_IDENTITY,
        PART_PLAN,
        PART_SPECIAL,
        household_audit_trail,
        household_read_record,
    )

    household_read_record(
        household=household,
        user=by,
        parts=[PART_IDENTITY, PART_ECONOMIC, PART_HOUSING, PART_PLAN, PART_ACTIONS, PART_SPECIAL],
        verb="household.export_viewed",
    )
    audit.record(target=household, verb="household.exported", by=by, data={"format": "pdf"})
    html, _title = subject_access_html(
        household=household, officer=by, trail=household_audit_trail(household=household)
    )
    return render_pdf(html)


# Columns of the open-data table: the plan's states grouped as the public reads them.
OPEN_DATA_COLUMNS = [
    ("in_progress", gettext_lazy("in corso"), [PlanStatus.REFERRED, PlanStatus.ASSESSMENT, PlanStatus.PLAN_DRAFT,
                                    PlanStatus.PACT_SIGNED, PlanStatus.PLACED, PlanStatus.ACTIVE, PlanStatus.EXTENDED]),
    ("ended_positive", gettext_lazy("conclusi con autonomia abitativa"), [PlanStatus.ENDED_POSITIVE]),
    ("ended_other", gettext_lazy("conclusi senza autonomia o interrotti"), [PlanStatus.ENDED_NEGATIVE, PlanStatus.INTERRUPTED]),
]  # fmt: skip


@dataclass
class OpenDataTable:
    columns: list[tuple[str, str]]
    rows: list[tuple[str, list[int | None], int | None]]  # comune, cells, row total
    totals: list[int | None]
    grand_total: int | None
    min_cell: int
    suppressed_any: bool


def suppress(matrix: list[list[int]], min_cell: int) -> list[list[bool]]:
    """Which cells of ``matrix`` (last column and last row are the totals) to hide: every
    count from 1 to ``min_cell - 1``, then, wherever a line would have a single hidden cell,
    the smallest other non-zero cell of that line too, so that no hidden count can be worked
    out from its total (complementary suppression), until nothing changes."""
    hidden = [[0 < value < min_cell for value in row] for row in matrix]
    changed = True
    while changed:
        changed = False
        lines = [[(r, c) for c in range(len(matrix[0]))] for r in range(len(matrix))]
        lines += [[(r, c) for r in range(len(matrix))] for c in range(len(matrix[0]))]
        for line in lines:
            hidden_cells = [cell for cell in line if hidden[cell[0]][cell[1]]]
            if len(hidden_cells) != 1:
                continue
            candidates = [cell for cell in line if not hidden[cell[0]][cell[1]] and matrix[cell[0]][cell[1]] > 0]
            if not candidates:
                continue
            r, c = min(candidates, key=lambda cell: matrix[cell[0]][cell[1]])
            hidden[r][c] = True
            changed = True
    return hidden


def open_data_table() -> OpenDataTable:
    """Households by comune of residence and state of the plan, with small groups suppressed."""
    min_cell = settings.BENEFICIARIES_OPEN_DATA_MIN_CELL
    counts = Household.objects.values("comune__name", "plan__status").annotate(n=Count("pk")).order_by("comune__name")
    by_comune: dict[str, dict[str, int]] = {}
    for row in counts:
        cells = by_comune.setdefault(row["comune__name"], {})
        for key, _label, statuses in OPEN_DATA_COLUMNS:
            if row["plan__status"] in statuses:
                cells[key] = cells.get(key, 0) + row["n"]
    keys = [key for key, _label, _statuses in OPEN_DATA_COLUMNS]
    names = sorted(by_comune)
    matrix = [[by_comune[name].get(key, 0) for key in keys] for name in names]
    matrix = [row + [sum(row)] for row in matrix]
    matrix.append([sum(col) for col in zip(*matrix, strict=True)] if matrix else [0] * (len(keys) + 1))
    hidden = suppress(matrix, min_cell)
    shown = [[SUPPRESSED if hidden[r][c] else matrix[r][c] for c in range(len(matrix[0]))] for r in range(len(matrix))]
    return OpenDataTable(
        columns=[(key, str(label)) for key, label, _statuses in OPEN_DATA_COLUMNS],
        rows=[(name, shown[i][:-1], shown[i][-1]) for i, name in enumerate(names)],
        totals=shown[-1][:-1],
        grand_total=shown[-1][-1],
        min_cell=min_cell,
        suppressed_any=any(any(row) for row in hidden),
    )


def open_data_csv(table: OpenDataTable) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="housing-mix-nuclei.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Comune")] + [label for _key, label in table.columns] + [_("Totale")])
    mark = _("oscurato")
    for name, cells, total in table.rows:
        writer.writerow(
            [name] + [mark if v is SUPPRESSED else v for v in cells] + [mark if total is SUPPRESSED else total]
        )
    writer.writerow(
        [_("Totale")]
        + [mark if v is SUPPRESSED else v for v in table.totals]
        + [mark if table.grand_total is SUPPRESSED else table.grand_total]
    )
    return response


def processing_record() -> list[dict]:
    """The record of processing activities of the programme (GDPR art. 30), generated from the
    models the portal actually has: for each kind of record, the categories of data it holds (its
    fields, the special categories marked), how many records exist, who may read them and how
    long they are kept."""
    from django.apps import apps

    from housingmix.core.encryption import EncryptedTextField

    readers = {
        "Household": _(
            "assistente sociale di riferimento, coordinatori del suo comune, Ufficio di Piano, DPO, ETS del progetto"
        ),
        "Member": _(
            "come il nucleo; dati sanitari e di disabilità: assistente sociale, coordinatori, personale autorizzato"
        ),
        "SupportPlan": _("come il nucleo"),
        "SupportAction": _("come il nucleo"),
        "Placement": _("assistente sociale, coordinatori, Ufficio di Piano, DPO"),
        "Match": _("Ufficio di Piano, assistente sociale, proprietario dell'alloggio"),
    }
    rows = []
    for model in apps.get_app_config("beneficiaries").get_models():
        fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.name.endswith("_at")]
        rows.append(
            {
                "name": str(model._meta.verbose_name_plural),
                "count": model._default_manager.count(),
                "fields": [str(f.verbose_name) for f in fields if not isinstance(f, EncryptedTextField)],
                "special": [str(f.verbose_name) for f in fields if isinstance(f, EncryptedTextField)],
                "readers": str(readers.get(model.__name__, _("come il nucleo"))),
            }
        )
    return rows
