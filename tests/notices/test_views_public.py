import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from housingmix.core.documents import documents_of
from housingmix.notices import services
from housingmix.notices.models import DocumentKind
from tests.notices.factories import FaqEntryFactory, NoticeFactory

pytestmark = pytest.mark.django_db


def test_unpublished_notice_is_404_for_the_public(client):
    notice = NoticeFactory()
    assert client.get(notice.get_absolute_url()).status_code == 404


def test_staff_can_preview_a_draft(client, staff):
    notice = NoticeFactory()
    client.force_login(staff)
    response = client.get(notice.get_absolute_url())
    assert response.status_code == 200
    assert "Anteprima riservata" in response.content.decode()


def test_open_notice_offers_participation(client):
    notice = NoticeFactory(published=True)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert reverse("notices:participate", args=[notice.slug]) in page
    assert "Scade tra" in page
    assert client.get(reverse("notices:participate", args=[notice.slug])).status_code == 200


@pytest.mark.parametrize("trait", ["closed", "expired"])
def test_closed_notice_does_not_accept_participation(client, trait):
    notice = NoticeFactory(**{trait: True})
    page = client.get(notice.get_absolute_url()).content.decode()
    assert reverse("notices:participate", args=[notice.slug]) not in page
    assert "Non è più possibile partecipare" in page
    response = client.get(reverse("notices:participate", args=[notice.slug]))
    assert response.status_code == 410
    assert "non accetta più domande" in response.content.decode()


def test_amended_notice_shows_the_earlier_version(client, staff, run_on_commit):
    notice = NoticeFactory(published=True, title="Titolo originale")
    run_on_commit(services.notice_update, notice=notice, by=staff, reason="Rettifica del titolo", title="Titolo nuovo")
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "Rettifica del titolo" in page
    revision_url = reverse("notices:revision", args=[notice.slug, 1])
    assert revision_url in page
    old = client.get(revision_url).content.decode()
    assert "Titolo originale" in old
    assert "Non è più valida" in old


def test_list_filters_by_kind_state_year_and_text(client):
    match = NoticeFactory(published=True, title="Alloggi per il co-housing a Lodi")
    NoticeFactory(published=True, title="Altro avviso", kind="codesign")
    NoticeFactory(closed=True, title="Alloggi chiusi")
    url = reverse("notices:list")
    year = match.opens_at.year
    page = client.get(url, {"q": "alloggi", "kind": "interest", "state": "open", "year": year}).content.decode()
    assert "Alloggi per il co-housing a Lodi" in page
    assert "Altro avviso" not in page
    assert "Alloggi chiusi" not in page


def test_list_with_bad_filters_explains_instead_of_failing(client):
    response = client.get(reverse("notices:list"), {"year": "abc", "kind": "<script>", "page": "999"})
    assert response.status_code == 200
    assert "Scegli un&#x27;opzione valida" in response.content.decode()
    assert "<script>" not in response.content.decode()


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("notices:list")).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(client):
    NoticeFactory.create_batch(10, published=True)
    few = _queries_for_list(client)
    NoticeFactory.create_batch(40, published=True)
    from django.core.cache import cache

    from housingmix.core import fragments

    cache.clear()
    fragments.clear()  # the Ambito of the chrome, read again as by the first request
    assert _queries_for_list(client) == few


def test_document_of_a_draft_is_not_downloadable(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    notice = NoticeFactory()
    document = services.document_upload(
        notice=notice,
        kind=DocumentKind.ANNEX,
        title="Allegato riservato",
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"),
        by=staff,
    )
    assert client.get(document.get_absolute_url()).status_code == 404
    client.force_login(staff)
    assert client.get(document.get_absolute_url()).status_code == 200


def test_published_pdf_downloads_with_immutable_caching(client, staff, run_on_commit):
    notice = NoticeFactory()
    FaqEntryFactory(notice=notice)
    run_on_commit(services.notice_publish, notice=notice, by=staff)
    document = documents_of(notice, kinds=[DocumentKind.NOTICE_PDF]).get()
    url = reverse("notices:generated", kwargs={"pk": document.pk, "filename": document.filename})
    assert url in client.get(notice.get_absolute_url()).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "immutable" in response["Cache-Control"]
    wrong_name = reverse("notices:generated", kwargs={"pk": document.pk, "filename": "altro.pdf"})
    assert client.get(wrong_name).status_code == 404
    # The address PDFs had before they moved to core's documents (by file name) leads to the new one.
    legacy = reverse("notices:document", kwargs={"pk": 999999, "filename": document.filename})
    moved = client.get(legacy)
    assert moved.status_code == 301 and moved["Location"] == url


def test_cached_list_shows_a_new_notice_right_after_publishing(client, staff, run_on_commit):
    url = reverse("notices:list")
    assert "Nuovo avviso appena pubblicato" not in client.get(url).content.decode()
    notice = NoticeFactory(title="Nuovo avviso appena pubblicato")
    run_on_commit(services.notice_publish, notice=notice, by=staff)
    assert "Nuovo avviso appena pubblicato" in client.get(url).content.decode()


def test_feeds_and_sitemap_list_published_notices_only(client):
    public = NoticeFactory(published=True, title="Avviso nel feed")
    NoticeFactory(title="Bozza segreta")
    for name in ("notices:feed_rss", "notices:feed_atom"):
        body = client.get(reverse(name)).content.decode()
        assert "Avviso nel feed" in body
        assert "Bozza segreta" not in body
    sitemap = client.get("/sitemap.xml").content.decode()
    assert public.get_absolute_url() in sitemap


def test_english_pages_render(client):
    notice = NoticeFactory(published=True)
    from django.utils import translation

    with translation.override("en"):
        url = reverse("notices:detail", args=[notice.slug])
    assert url.startswith("/en/")
    response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
