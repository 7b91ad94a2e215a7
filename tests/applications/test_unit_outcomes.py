"""Per-unit outcomes as the people involved meet them (issue 11, item 1 and 2): an owner offers
two units; the Ufficio di Piano declares one eligible and gives the other a preavviso di
diniego in one act; the owner answers; the final act refuses the second unit. The owner's
page and both letters (read back from the PDFs) show each unit with its outcome and reasons,
the RUP, the signatory with role and, on the final act, the appeal information of the Ambito.
"""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.models import Application, ApplicationStatus, GeneratedKind, UnitOutcome
from applications.review import services as review
from housingmix.core.documents import documents_of
from housingmix.territory.models import Ambito
from properties.models import RegistryEntry

pytestmark = pytest.mark.django_db


def _pdf_text(document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def visited(application, staff, reviewer, run_on_commit):
    run_on_commit(review.review_assign, application=application, reviewer=reviewer, by=staff)
    run_on_commit(
        review.site_visit_record,
        application=application,
        by=reviewer,
        visit_date=timezone.localdate(),
        attendees="Sara Neri",
        outcomes={},
    )
    return Application.objects.get(pk=application.pk)


def _act(client, application, outcomes, reasons="Esito dell'istruttoria."):
    data = {"outcomes-expected_status": application.status, "outcomes-reasons": reasons}
    for unit, (outcome, why) in outcomes.items():
        data["outcomes-outcome_%d" % unit.pk] = outcome
        data["outcomes-reasons_%d" % unit.pk] = why
    return client.post(reverse("review:outcomes", kwargs={"ref": application.reference}), data)


def test_two_units_one_eligible_one_refused_after_a_preavviso_the_owner_answers(
    committing_client, staff, visited, settings
):
    Ambito.objects.update(signatory_name="Dott.ssa Anna Bianchi", signatory_role="Responsabile dell'Ufficio di Piano")
    application = visited
    flat_a, flat_b = application.units.order_by("position", "pk")
    owner = application.created_by
    c = committing_client
    c.force_login(staff, backend="housingmix.accounts.backends.AuthenticationBackend")

    # The review page offers an outcome per unit, starting on a neutral choice.
    page = c.get(reverse("review:detail", kwargs={"ref": application.reference})).content.decode()
    assert 'name="outcomes-outcome_%d"' % flat_a.pk in page and 'name="outcomes-outcome_%d"' % flat_b.pk in page
    assert "Scegli…" in page

    # A preavviso without reasons for the refused unit is refused with an Italian message.
    response = _act(c, application, {flat_a: ("eligible", ""), flat_b: ("refusal_notice", "")})
    assert response.status_code == 400
    assert "Scrivi la motivazione per l&#x27;alloggio" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SITE_VISIT

    mail.outbox.clear()
    response = _act(
        c,
        application,
        {flat_a: ("eligible", ""), flat_b: ("refusal_notice", "Superficie insufficiente per i posti letto.")},
    )
    assert response.status_code == 302
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.NOTICE_OF_REFUSAL
    assert list(RegistryEntry.objects.values_list("unit_id", flat=True)) == [flat_a.pk]
    assert any("Superficie insufficiente" in m.body and flat_b.display_name in m.body for m in mail.outbox)

    notice_text = _pdf_text(documents_of(application, kinds=[GeneratedKind.REFUSAL_NOTICE]).get())
    assert flat_a.display_name in notice_text and flat_b.display_name in notice_text
    assert "Idoneo" in notice_text and "Superficie insufficiente per i posti letto." in notice_text
    assert "10-bis" in notice_text
    assert application.notice.rup in notice_text and "Dott.ssa Anna Bianchi" in notice_text

    # The owner sees each unit's outcome and answers the preavviso.
    c.force_login(owner, backend="housingmix.accounts.backends.AuthenticationBackend")
    status_url = reverse("review:offerer_status", kwargs={"ref": application.reference})
    page = c.get(status_url).content.decode()
    rows = page.split('id="esito-alloggio-')
    row_a = next(r for r in rows if r.startswith('%d"' % flat_a.pk))
    row_b = next(r for r in rows if r.startswith('%d"' % flat_b.pk))
    assert "Idoneo" in row_a.split("</tr>")[0]
    assert "Preavviso di diniego" in row_b.split("</tr>")[0] and "Superficie insufficiente" in row_b
    response = c.post(
        reverse("review:offerer_observations", kwargs={"ref": application.reference}),
        {"observations-text": "Il soggiorno è di 30 m², si veda la planimetria."},
    )
    assert response.status_code == 302

    # The final act decides only the unit with the preavviso; the eligible one is carried over.
    c.force_login(staff, backend="housingmix.accounts.backends.AuthenticationBackend")
    page = c.get(reverse("review:detail", kwargs={"ref": application.reference})).content.decode()
    assert 'name="outcomes-outcome_%d"' % flat_b.pk in page
    assert 'name="outcomes-outcome_%d"' % flat_a.pk not in page
    response = _act(
        c,
        application,
        {flat_b: ("not_eligible", "Le osservazioni non superano il limite di superficie per occupante.")},
        reasons="Esito finale dopo le osservazioni.",
    )
    assert response.status_code == 302
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.ELIGIBLE  # at least one unit is eligible

    final_text = _pdf_text(documents_of(application, kinds=[GeneratedKind.DECISION]).get())
    assert flat_a.display_name in final_text and flat_b.display_name in final_text
    assert "Idoneo" in final_text and "Non idoneo" in final_text
    assert "Le osservazioni non superano il limite" in final_text
    assert "TAR" in final_text and "60 giorni" in final_text and "120 giorni" in final_text
    assert "Presidente della Repubblica" in final_text
    assert "Responsabile dell'Ufficio di Piano" in final_text and "Dott.ssa Anna Bianchi" in final_text

    c.force_login(owner, backend="housingmix.accounts.backends.AuthenticationBackend")
    page = c.get(status_url).content.decode()
    row_b = next(r for r in page.split('id="esito-alloggio-') if r.startswith('%d"' % flat_b.pk))
    assert "Non idoneo" in row_b.split("</tr>")[0]
    assert UnitOutcome.objects.filter(decision__application=application).count() == 4


def test_every_unit_needs_an_outcome(committing_client, staff, visited):
    application = visited
    flat_a, _flat_b = application.units.order_by("position", "pk")
    committing_client.force_login(staff, backend="housingmix.accounts.backends.AuthenticationBackend")
    response = _act(committing_client, application, {flat_a: ("eligible", "")})
    assert response.status_code == 400
    assert "obbligatorio" in response.content.decode()  # the outcome of the second unit is required
    assert not RegistryEntry.objects.exists()


def test_final_act_waits_for_the_window_of_the_preavviso(committing_client, staff, visited):
    application = visited
    flat_a, flat_b = application.units.order_by("position", "pk")
    c = committing_client
    c.force_login(staff, backend="housingmix.accounts.backends.AuthenticationBackend")
    _act(c, application, {flat_a: ("refusal_notice", "Manca l'agibilità."), flat_b: ("refusal_notice", "Idem.")})
    application = Application.objects.get(pk=application.pk)
    response = _act(c, application, {flat_a: ("not_eligible", "x"), flat_b: ("not_eligible", "y")})
    assert response.status_code == 400
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.NOTICE_OF_REFUSAL
    # Once the window has passed without an answer, the final act is possible.
    application.decisions.update(reply_deadline=timezone.localdate() - timedelta(days=1))
    response = _act(c, application, {flat_a: ("not_eligible", "x"), flat_b: ("not_eligible", "y")})
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.NOT_ELIGIBLE
