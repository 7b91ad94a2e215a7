"""The published ranking inside the public page of its co-design notice (notices' panel registry;
notices imports nothing of projects)."""

import pytest
from django.urls import reverse

from projects import services
from tests.notices.factories import NoticeFactory
from tests.projects.factories import codesign_call, evaluation, ranked_call, score, submitted_proposal

pytestmark = pytest.mark.django_db


def _notice_page(client, notice):
    response = client.get(reverse("notices:detail", kwargs={"slug": notice.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_notice_page_shows_the_published_ranking_names_scores_and_appeal_window(client):
    call, first, second, _seats = ranked_call()
    body = _notice_page(client, call.notice)
    assert 'id="graduatoria"' in body
    assert first.organisation.name in body and second.organisation.name in body
    assert "87,50" in body and "75,00" in body
    assert call.ranking_protocol.display_number in body
    assert "Termine per il ricorso: %s" % call.appeal_deadline.strftime("%d/%m/%Y") in body
    assert reverse("projects:call_detail", kwargs={"pk": call.pk}) in body
    # Names and scores only: no reasons, no members, no tax codes.
    assert "Motivazione" not in body and "Commissario" not in body
    assert first.organisation.tax_code not in body


def test_before_the_ranking_the_notice_links_the_call_but_shows_no_ranking(client):
    call = codesign_call()
    body = _notice_page(client, call.notice)
    assert reverse("projects:call_detail", kwargs={"pk": call.pk}) in body
    assert 'id="graduatoria"' not in body


def test_other_notices_have_no_codesign_panel(client):
    notice = NoticeFactory(published=True)
    body = _notice_page(client, notice)
    assert "codesign-title" not in body and 'id="graduatoria"' not in body


def test_the_cached_notice_page_shows_the_ranking_once_published(client, django_capture_on_commit_callbacks):
    call = codesign_call()
    proposal = submitted_proposal(call)
    assert 'id="graduatoria"' not in _notice_page(client, call.notice)
    seats = evaluation(call, [proposal])
    for member in seats:
        score(proposal, member, [36, 18, 12, 12, 9])
    with django_capture_on_commit_callbacks(execute=True):
        services.ranking_publish(call=call, by=call.staff)
    body = _notice_page(client, call.notice)
    assert 'id="graduatoria"' in body and proposal.organisation.name in body
