"""Issue 11, item 3: the report of a site visit covering several units has a checklist per unit
(access, systems, safety, habitability, furniture, notes), shown on the review page and in the
visit report PDF; what it finds wrong in a unit drafts that unit's outcome reasons."""

import io
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.models import Application, GeneratedKind, SiteVisit, VisitCheckItem
from applications.review import services as review
from applications.review.selectors import visit_checklists
from housingmix.core.documents import documents_of
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(application, staff, reviewer, run_on_commit):
    run_on_commit(review.review_assign, application=application, reviewer=reviewer, by=staff)
    return Application.objects.get(pk=application.pk)


def _visit_data(first, second, **extra):
    return {
        "visit-expected_status": "under_review",
        "visit-visit_date": timezone.localdate().isoformat(),
        "visit-units": [str(first.pk), str(second.pk)],
        "visit-attendees": "Sara Neri, il proprietario",
        "visit-outcome_%d_access" % first.pk: "ok",
        "visit-outcome_%d_systems" % first.pk: "ok",
        "visit-note_%d_systems" % first.pk: "Caldaia revisionata nel 2025",
        "visit-note_%d_notes" % first.pk: "Alloggio luminoso, al secondo piano con ascensore",
        "visit-outcome_%d_access" % second.pk: "ok",
        "visit-outcome_%d_systems" % second.pk: "not_ok",
        "visit-note_%d_systems" % second.pk: "Impianto elettrico senza dichiarazione di conformità",
        "visit-outcome_%d_furniture" % second.pk: "missing",
        **extra,
    }


def _pdf_text(document) -> str:
    with document.file.open("rb") as handle:
        return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(handle.read())).pages)


def test_visit_of_two_units_keeps_a_checklist_per_unit_on_the_page_and_in_the_report(
    committing_client, login, assigned, reviewer
):
    first, second = assigned.units.order_by("position", "pk")
    c = login(reviewer)
    form = c.get(reverse("review:detail", kwargs={"ref": assigned.reference})).content.decode()
    assert 'name="visit-outcome_%d_safety"' % first.pk in form and 'name="visit-outcome_%d_safety"' % second.pk in form

    response = c.post(reverse("review:site_visit", kwargs={"ref": assigned.reference}), _visit_data(first, second))
    assert response.status_code == 302

    visit = SiteVisit.objects.get()
    rows = {(r["unit"], r["item"]): (r["outcome"], r["note"]) for r in visit.outcomes}
    assert rows[(first.pk, VisitCheckItem.SYSTEMS)] == ("ok", "Caldaia revisionata nel 2025")
    assert rows[(first.pk, VisitCheckItem.NOTES)] == ("", "Alloggio luminoso, al secondo piano con ascensore")
    assert rows[(second.pk, VisitCheckItem.SYSTEMS)] == (
        "not_ok",
        "Impianto elettrico senza dichiarazione di conformità",
    )
    assert rows[(second.pk, VisitCheckItem.FURNITURE)] == ("missing", "")
    assert (first.pk, VisitCheckItem.SAFETY) not in rows  # nothing recorded, nothing stored

    page = unescape(c.get(reverse("review:detail", kwargs={"ref": assigned.reference})).content.decode())
    section = page[page.index('id="sopralluoghi"') : page.index('id="comunicazioni"')]
    assert '<caption class="fw-semibold">%s</caption>' % first.display_name in section
    assert '<caption class="fw-semibold">%s</caption>' % second.display_name in section
    second_table = section[section.index('<caption class="fw-semibold">%s</caption>' % second.display_name) :]
    assert re.search(r"Impianti \(elettrico, gas, idrico, riscaldamento\)</th><td>Non conforme", second_table)
    assert "Impianto elettrico senza dichiarazione di conformità" in second_table

    text = _pdf_text(documents_of(assigned, kinds=[GeneratedKind.SITE_VISIT_REPORT]).get())
    assert "Verbale di sopralluogo" in text
    checks = text.split("Esito delle verifiche", 1)[1]  # after the visit's data, one table per unit
    first_part, second_part = checks.split(second.display_name, 1)
    assert first.display_name in first_part
    assert "Caldaia revisionata nel 2025" in first_part and "Alloggio luminoso" in first_part
    assert "Non conforme Impianto elettrico senza dichiarazione di conformità" in second_part
    assert "Arredi e dotazioni Mancante" in second_part


def test_what_the_visit_found_wrong_drafts_the_reasons_of_that_unit_only(
    committing_client, login, assigned, reviewer, staff
):
    first, second = assigned.units.order_by("position", "pk")
    login(reviewer).post(reverse("review:site_visit", kwargs={"ref": assigned.reference}), _visit_data(first, second))

    page = unescape(login(staff).get(reverse("review:detail", kwargs={"ref": assigned.reference})).content.decode())
    drafts = {
        pk: re.search(r'<textarea name="outcomes-reasons_%d"[^>]*>(.*?)</textarea>' % pk, page, re.S).group(1).strip()
        for pk in (first.pk, second.pk)
    }
    assert drafts[first.pk] == ""
    assert drafts[second.pk].startswith("Sopralluogo del %s:" % timezone.localdate().strftime("%d/%m/%Y"))
    assert "Impianti (elettrico, gas, idrico, riscaldamento): non conforme" in drafts[second.pk]
    assert "(Impianto elettrico senza dichiarazione di conformità)" in drafts[second.pk]
    assert "Arredi e dotazioni: mancante" in drafts[second.pk]


def test_a_forged_outcome_is_a_form_error_not_a_500(committing_client, login, assigned, reviewer):
    first, second = assigned.units.order_by("position", "pk")
    data = _visit_data(first, second, **{"visit-outcome_%d_safety" % first.pk: "perfect"})
    response = login(reviewer).post(reverse("review:site_visit", kwargs={"ref": assigned.reference}), data)
    assert response.status_code == 400
    assert not SiteVisit.objects.exists()


def test_checks_typed_for_a_unit_then_unticked_are_not_dropped_silently(committing_client, login, assigned, reviewer):
    first, second = assigned.units.order_by("position", "pk")
    data = _visit_data(first, second, **{"visit-units": [str(first.pk)]})
    response = login(reviewer).post(reverse("review:site_visit", kwargs={"ref": assigned.reference}), data)
    assert response.status_code == 400
    assert (
        "Hai compilato le verifiche di un alloggio non indicato tra quelli visitati: %s." % second.display_name
        in unescape(response.content.decode())
    )
    assert not SiteVisit.objects.exists()


def test_checks_of_a_unit_not_visited_or_of_another_manifestation_are_refused(assigned, reviewer):
    first, second = assigned.units.order_by("position", "pk")
    stranger = ApplicationFactory(submitted=True, units=1).units.get()
    for outcomes in (
        {second.pk: {VisitCheckItem.ACCESS: ("ok", "")}},  # second not among the units visited
        {stranger.pk: {VisitCheckItem.ACCESS: ("ok", "")}},
        {first.pk: {"kitchen": ("ok", "")}},
        {first.pk: {VisitCheckItem.NOTES: ("ok", "osservazioni senza esito")}},
    ):
        with pytest.raises(ValidationError):
            review.site_visit_record(
                application=assigned,
                by=reviewer,
                visit_date=timezone.localdate(),
                attendees="Sara Neri",
                outcomes=outcomes,
                units=[first],
            )
    assert not SiteVisit.objects.exists()


def test_rows_recorded_before_the_per_unit_checklist_still_read_as_the_whole_visit(assigned):
    units = list(assigned.units.order_by("position", "pk"))
    groups = visit_checklists(
        [
            {"item": "condition", "outcome": "ok", "note": "buono"},
            {"unit": units[1].pk, "item": "access", "outcome": "not_ok", "note": ""},
        ],
        units,
    )
    assert [g["unit"] for g in groups] == [None, units[1]]
    assert groups[0]["rows"] == [("condition", "Stato di manutenzione e lavori necessari", "ok", "Conforme", "buono")]
