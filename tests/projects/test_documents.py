"""The PDFs of co-design read back: names, numbers, totals, protocol numbers; tagged PDF/UA."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from housingmix.core.documents import documents_of
from projects import services
from projects.models import GeneratedKind
from tests.applications.conftest import pdf_upload
from tests.projects.factories import codesign_call, fresh, ranked_call, schedule_session, submitted_proposal

pytestmark = pytest.mark.django_db


def _read(document) -> tuple[PdfReader, str]:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def _tagged(reader: PdfReader, title: str) -> None:
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "it-IT"
    assert reader.metadata.title == title


def test_receipt_names_members_totals_share_and_protocol(django_capture_on_commit_callbacks):
    call = codesign_call()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = submitted_proposal(call, grouping=True)
    document = documents_of(proposal, kinds=[GeneratedKind.RECEIPT]).get()
    reader, text = _read(document)
    number = proposal.protocol.display_number
    _tagged(reader, "Ricevuta della proposta - prot. n. %s" % number)
    assert number in text and proposal.package_sha256[:20] in text.replace(" ", "")
    for member in proposal.package["members"]:
        assert member["name"] in text and member["runts_number"] in text
    assert "10.000,00" in text and "2.500,00" in text and "12.500,00" in text
    assert "20,00%" in text  # 2,500 of 12,500


def _run_ranking_jobs(call):
    from housingmix.core import outbox
    from housingmix.core.outbox.models import Job

    for job in Job.objects.filter(kind=services.RANKING_JOB, status="pending"):
        outbox.run(job_id=job.pk)


def test_ranking_and_score_sheets_read_back():
    call, first, second, seats = ranked_call()
    _run_ranking_jobs(call)
    ranking = documents_of(call, kinds=[GeneratedKind.RANKING]).get()
    reader, text = _read(ranking)
    _tagged(reader, "Graduatoria - prot. n. %s" % call.ranking_protocol.display_number)
    assert call.ranking_protocol.display_number in text
    assert second.organisation.name in text and first.organisation.name in text
    # second: means 37, 17, 12.5, 12, 9 = 87.5, first 32, 15, 11, 10, 7 = 75
    assert "87,50" in text and "75,00" in text
    assert text.index(second.organisation.name) < text.index(first.organisation.name)
    assert "Termine per il ricorso" in text
    sheet = documents_of(first, kinds=[GeneratedKind.SCORE_SHEET]).get()
    reader, text = _read(sheet)
    _tagged(reader, "Scheda di valutazione - prot. n. %s" % first.protocol.display_number)
    assert first.protocol.display_number in text and call.ranking_protocol.display_number in text
    for seat in seats:
        assert str(seat) in text
    assert "Motivazione Qualità della proposta progettuale" in text and "75,00" in text


def test_minutes_read_back_with_every_approval(django_capture_on_commit_callbacks):
    call, first, _second, _seats = ranked_call()
    session = schedule_session(call, first)
    services.session_hold(session=session, by=call.staff)
    services.session_minutes_write(session=session, by=call.staff, minutes="Il tavolo approva il cronoprogramma.")
    services.minutes_approve(session=session, by=call.staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(session=session, by=first.operator)
    session = fresh(session)
    document = documents_of(session, kinds=[GeneratedKind.MINUTES]).get()
    reader, text = _read(document)
    _tagged(reader, "Verbale della seduta n. 1 - prot. n. %s" % session.minutes_protocol.display_number)
    assert session.minutes_protocol.display_number in text
    assert "Il tavolo approva il cronoprogramma." in text
    assert str(call.staff) in text and str(first.operator) in text and first.organisation.name in text


def test_agreement_read_back_from_the_final_project(django_capture_on_commit_callbacks):
    call, first, _second, _seats = ranked_call()
    project = services.project_create(proposal=first, by=call.staff)
    with django_capture_on_commit_callbacks(execute=True):
        agreement = services.agreement_create(
            project=project, by=call.staff, starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31)
        )
    document = documents_of(agreement, kinds=[GeneratedKind.AGREEMENT]).get()
    reader, text = _read(document)
    _tagged(reader, "Convenzione - %s (versione 1 del progetto)" % project.title)
    assert "Lodi" in text and first.organisation.name in text and first.protocol.display_number in text
    assert "01/04/2026" in text and "31/03/2027" in text
    assert "10.000,00" in text and "12.500,00" in text
    signed = services.agreement_sign(agreement=agreement, by=call.staff, upload=pdf_upload("firmata.pdf"))
    assert signed.protocol.display_number
