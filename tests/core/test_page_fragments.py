"""The page chrome rendered once per process (core/fragments.py) shows what changed: the Ambito's
contacts and the settings are part of what it depends on, and what is per user or per page is not
kept in it."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from housingmix.core import fragments
from housingmix.territory.models import Ambito
from housingmix.territory.selectors import ambito_current
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _page(client, name="notices:list") -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def test_a_renamed_ambito_shows_in_the_header_and_footer_at_once(client):
    ambito = ambito_current()
    assert ambito.name in _page(client)
    Ambito.objects.filter(pk=ambito.pk).update(name="Ambito di prova", pec="nuova@pec.example.it")
    cache.clear()
    fragments.local_cache().delete("territory:ambito:%s" % ambito.code)  # its five minutes are over
    page = _page(client)
    assert page.count("Ambito di prova") >= 3  # title, header brand, footer brand
    assert ambito.name not in page
    assert 'href="mailto:nuova@pec.example.it"' in page


def test_a_changed_setting_is_not_served_from_a_piece_rendered_before(client):
    client.force_login(UserFactory())  # the whole page is never cached for a logged-in user
    default = reverse("accessibility")
    assert 'href="%s" data-element="accessibility-link"' % default in _page(client)
    # Not part of any piece's key: the pieces are dropped when a setting changes.
    assert '<link rel="stylesheet" href="/static/css/portal.' in _page(client)
    with override_settings(STATIC_URL="/risorse/"):
        assert '<link rel="stylesheet" href="/risorse/css/portal.' in _page(client)
    with override_settings(ACCESSIBILITY_STATEMENT_URL="https://form.agid.gov.it/view/prova"):
        assert 'href="https://form.agid.gov.it/view/prova" data-element="accessibility-link"' in _page(client)
    assert 'href="%s" data-element="accessibility-link"' % default in _page(client)


def test_each_language_and_each_user_get_their_own_header(client):
    assert 'lang="it"' in _page(client) and "Accedi all'area personale" in _page(client)
    english = client.get("/en/").content.decode()
    assert "Accedi all" not in english and "Vai al contenuto principale" not in english
    for first_name in ("Alda", "Bruno"):
        user = UserFactory(first_name=first_name, last_name="Rossi")
        client.force_login(user)
        page = _page(client, "home")
        assert "%s Rossi" % first_name in page
        assert "Accedi all'area personale" not in page


def test_the_rating_band_posts_the_page_it_is_on(client):
    for name in ("notices:list", "home"):
        assert '<input type="hidden" name="page" value="%s">' % reverse(name) in _page(client, name)


def test_a_notice_faq_shows_every_change_of_its_entries_and_topics(client):
    from housingmix.notices.models import FaqEntry, FaqTopic
    from tests.notices.factories import FaqEntryFactory, NoticeFactory

    notice = NoticeFactory(published=True)
    entry = FaqEntryFactory(notice=notice, is_published=True, answer="Prima risposta.")
    client.force_login(UserFactory())  # no whole-page cache: only the FAQ piece could be stale
    url = reverse("notices:detail", kwargs={"slug": notice.slug})
    assert "Prima risposta." in client.get(url).content.decode()
    # Without save(): no signal, no new date; the piece's key is what it shows.
    FaqEntry.objects.filter(pk=entry.pk).update(answer="Risposta corretta.")
    FaqTopic.objects.filter(pk=entry.topic_id).update(name="Requisiti di accesso")
    page = client.get(url).content.decode()
    assert "Risposta corretta." in page and "Prima risposta." not in page
    assert "Requisiti di accesso" in page
    FaqEntry.objects.filter(pk=entry.pk).update(is_published=False)
    assert "Risposta corretta." not in client.get(url).content.decode()
