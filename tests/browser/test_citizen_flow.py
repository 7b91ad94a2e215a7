"""A citizen finds the open notice from the home page, reads it and downloads its PDFs."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect
from pypdf import PdfReader

from housingmix.core.documents import documents_of
from housingmix.notices.models import DocumentKind, Notice, NoticeKind
from tests.browser.helpers import assert_no_blocking_violations, open_page, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tr(language: str, message) -> str:
    """``message`` (an Italian msgid or a lazy label) as the visitor reads it in ``language``."""
    with translation.override(language):
        return str(translation.gettext(message) if isinstance(message, str) else message)


def document_href(notice: Notice, kind: str, language: str) -> str:
    document = documents_of(notice, kinds=[kind]).first()
    assert document is not None, "seed_demo rendered no %s" % kind
    with translation.override(language):
        return reverse("notices:generated", kwargs={"pk": document.pk, "filename": document.filename})


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


@pytest.mark.parametrize("language", ["it", "en"])
def test_citizen_filters_opens_the_notice_and_downloads_its_pdfs(live_server, page, seeded_portal, language):
    notice = seeded_portal
    other = Notice.objects.exclude(kind=NoticeKind.INTEREST).first()

    # Home, then "Novità" in the main navigation and its "Avvisi".
    open_page(page, live_server, "home", language)
    assert_no_blocking_violations(page)
    navigation = page.locator('[data-element="main-navigation"]')
    navigation.get_by_role("link", name=tr(language, "Novità"), exact=True).click()
    page.locator('[data-element="news-category-link"]', has_text=tr(language, "Avvisi")).click()
    expect(page).to_have_url(url_for(live_server, "notices:list", language))
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_no_blocking_violations(page)

    # Filters: kind "Manifestazione di interesse per alloggi".
    page.get_by_label(tr(language, "Tipologia")).select_option(label=tr(language, NoticeKind.INTEREST.label))
    page.get_by_role("button", name=tr(language, "Filtra")).click()
    expect(page).to_have_url(re.compile(r"[?&]kind=%s(&|$)" % NoticeKind.INTEREST))
    results = page.locator("main")
    expect(results.get_by_role("link", name=notice.title)).to_be_visible()
    if other is not None:
        expect(results.get_by_role("link", name=other.title)).to_have_count(0)
    assert_no_blocking_violations(page)

    # Detail page.
    results.get_by_role("link", name=notice.title).click()
    expect(page).to_have_url(url_for(live_server, "notices:detail", language, slug=notice.slug))
    expect(page.get_by_role("heading", level=1)).to_have_text(notice.title)
    assert_no_blocking_violations(page)

    # "Documenti": the notice PDF and the FAQ PDF.
    documents = page.locator("#documenti ~ .document-list")
    for kind, expected_text in [(DocumentKind.NOTICE_PDF, notice.act_number), (DocumentKind.FAQ_PDF, "FAQ")]:
        href = document_href(notice, kind, language)
        link = documents.locator('a[href="%s"]' % href)
        expect(link).to_be_visible()
        response = page.request.get(live_server.url + link.get_attribute("href"))
        assert response.status == 200, "%s answered %d" % (href, response.status)
        assert response.headers["content-type"] == "application/pdf"
        body = response.body()
        assert body.startswith(b"%PDF")
        assert expected_text in pdf_text(body), "%s PDF lacks %r" % (kind, expected_text)

    # A FAQ answer opens from the keyboard.
    question = page.locator("#faq ~ .accordion .accordion-button").first
    expect(question).to_have_attribute("aria-expanded", "false")
    question.focus()
    page.keyboard.press("Enter")
    expect(question).to_have_attribute("aria-expanded", "true")
    expect(page.locator(question.get_attribute("data-bs-target"))).to_be_visible()
    assert page.page_errors == []
