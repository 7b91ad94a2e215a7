"""What the co-design services refuse, and the Italian reason they give: a malformed grid or
one changed after publication, a partner on a single-body proposal, an action line the call
does not foresee, a table convened too early or nowhere, a move that changes nothing, an
agreement that ends before it starts, a report's unknown or negative indicators."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects import services
from projects.models import ParticipantSide
from tests.applications.conftest import pdf_upload
from tests.projects.factories import (
    codesign_call,
    ets_operator,
    fresh,
    ranked_call,
    schedule_session,
    submitted_proposal,
)

pytestmark = pytest.mark.django_db


def _refused(message, service, **kwargs):
    with pytest.raises(ValidationError) as error:
        service(**kwargs)
    assert error.value.messages == [message]


def test_the_grid_needs_criteria_with_titles_and_points_and_freezes_on_publication():
    draft = codesign_call(publish=False)
    grid = services.call_grid_set
    _refused("La griglia di valutazione deve avere almeno un criterio.", grid, call=draft, by=draft.staff, grid=[])
    _refused(
        "Ogni criterio ha un titolo e un punteggio massimo maggiore di zero.",
        grid,
        call=draft,
        by=draft.staff,
        grid=[{"title": "  ", "max_points": 10}],
    )
    published = codesign_call()
    _refused(
        "La griglia non può più essere modificata dopo la pubblicazione.",
        grid,
        call=published,
        by=published.staff,
        grid=services.default_grid(),
    )


def test_a_single_body_proposal_takes_no_partner_and_only_the_calls_lines():
    call = codesign_call(action_lines=["a"])
    operator, organisation = ets_operator()
    _partner_user, partner = ets_operator(name="Altro ente")
    proposal = services.proposal_start(call=call, by=operator, organisation=organisation)
    _refused(
        "Una proposta presentata da un solo ente non ha componenti.",
        services.proposal_member_add,
        proposal=proposal,
        by=operator,
        organisation=partner,
        role="Mandante",
    )
    _refused(
        "Questa linea di azione non è prevista dall'avviso.",
        services.proposal_action_save,
        proposal=proposal,
        by=operator,
        line="c",
        activities="Tutoraggio",
    )
    assert not proposal.actions.exists()


def test_the_table_starts_after_the_ranking_and_somewhere():
    call = codesign_call()
    proposal = submitted_proposal(call)
    starts = timezone.now() + timedelta(days=3)
    participants = [(call.staff, ParticipantSide.PUBLIC, None)]
    _refused(
        "Il tavolo di co-progettazione si avvia dopo la pubblicazione della graduatoria.",
        services.session_schedule,
        call=call,
        by=call.staff,
        starts_at=starts,
        agenda="Avvio",
        place="Sala",
        participants=participants,
    )
    ranked, first, _second, _seats = ranked_call()
    _refused(
        "Indica il luogo o il collegamento online.",
        services.session_schedule,
        call=ranked,
        by=ranked.staff,
        starts_at=starts,
        agenda="Avvio",
        participants=participants,
    )
    assert not proposal.call.sessions.exists() and not ranked.sessions.exists()


def test_a_move_must_change_something_and_a_cancellation_needs_a_reason():
    call, first, _second, _seats = ranked_call()
    session = schedule_session(call, first)
    _refused(
        "La data e il luogo sono quelli già comunicati: nulla da aggiornare.",
        services.session_move,
        session=session,
        by=call.staff,
        starts_at=session.starts_at,
    )
    _refused(
        "Indica il luogo o il collegamento online.",
        services.session_move,
        session=session,
        by=call.staff,
        starts_at=session.starts_at + timedelta(days=1),
        place="",
        online_link="",
    )
    _refused("Indica il motivo dell'annullamento.", services.session_cancel, session=session, by=call.staff, reason=" ")
    assert fresh(session).starts_at == session.starts_at


def test_agreement_dates_and_report_indicators_and_costs_are_checked():
    call, first, _second, _seats = ranked_call()
    project = services.project_create(proposal=first, by=call.staff)
    _refused(
        "La fine della convenzione deve seguire il suo inizio.",
        services.agreement_create,
        project=project,
        by=call.staff,
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 4, 1),
    )
    _refused("Questa proposta ha già un progetto definitivo.", services.project_create, proposal=first, by=call.staff)
    assert type(project).objects.filter(proposal=first).count() == 1
    agreement = services.agreement_create(
        project=project, by=call.staff, starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31)
    )
    services.agreement_sign(agreement=agreement, by=call.staff, upload=pdf_upload("firmata.pdf"))
    services.agreement_activate(agreement=agreement, by=call.staff)
    report = services.report_create(
        project=project, by=first.operator, period_start=date(2026, 4, 1), period_end=date(2026, 6, 30)
    )
    line = first.actions.get().line
    indicators = services.report_indicators_set
    _refused(
        "Indicatori non previsti dal progetto: Inventato.",
        indicators,
        report=report,
        by=first.operator,
        values={(line, "Inventato"): Decimal("1")},
    )
    _refused(
        "Il valore di «Nuclei autonomi» non può essere negativo.",
        indicators,
        report=report,
        by=first.operator,
        values={(line, "Nuclei autonomi"): Decimal("-1")},
    )
    indicators(report=report, by=first.operator, values={(line, "Nuclei autonomi"): Decimal("3")})
    assert report.indicators.count() == 1
    indicators(report=report, by=first.operator, values={(line, "Nuclei autonomi"): None})
    assert not report.indicators.exists()
    _refused(
        "Tipo di risorsa non valido.",
        services.report_cost_add,
        report=report,
        by=first.operator,
        kind="yacht",
        description="Barca",
        amount=Decimal("10"),
    )
    _refused("Indica che cosa va modificato.", services.report_send_back, report=report, by=call.staff, notes=" ")
