"""PDFs of notices and FAQ, rendered with WeasyPrint as tagged PDF/UA-1 in Italian."""

import functools
import hashlib

from django.contrib.staticfiles import finders
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from housingmix.territory.selectors import ambito_current

from .models import Notice
from .selectors import faq_entries_public, faq_topics_grouped

PDF_LANGUAGE = "it"


def _page_footer_css() -> str:
    # One translatable sentence; CSS counters are spliced in as string breaks.
    return '"%s"' % (_("Pagina %(page)s di %(pages)s") % {"page": '" counter(page) "', "pages": '" counter(pages) "'})


@functools.cache
def _font_dir() -> str:
    path = finders.find("fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.ttf")
    return "file://" + path.rsplit("/", 1)[0] if path else ""


def _context(**extra) -> dict:
    return {"ambito": ambito_current(), "page_footer": _page_footer_css(), "font_dir": _font_dir(), **extra}


def notice_html(*, notice: Notice) -> tuple[str, str]:
    """The notice PDF's HTML and title, deterministic for the same content."""
    with translation.override(PDF_LANGUAGE):
        title = notice.title
        html = render_to_string(
            "notices/pdf/notice.html", _context(notice=notice, revisions=list(notice.revisions.all()), title=title)
        )
    return html, title


def faq_html(*, notice: Notice | None) -> tuple[str, str]:
    """The FAQ PDF's HTML and title; ``notice`` None is the programme's general FAQ."""
    with translation.override(PDF_LANGUAGE):
        entries = list(faq_entries_public(notice=notice))
        updated = max((e.updated_at for e in entries), default=None)
        if notice is not None:
            title = _("FAQ - %(title)s") % {"title": notice.title}
        else:
            title = _("FAQ del programma Housing Mix")
        html = render_to_string(
            "notices/pdf/faq.html",
            _context(
                notice=notice,
                groups=faq_topics_grouped(entries),
                updated=timezone.localtime(updated).date() if updated else None,
                title=title,
            ),
        )
    return html, title


def source_hash(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def render_pdf(html: str) -> bytes:
    """Tagged PDF/UA-1 bytes for ``html`` (WeasyPrint is imported here, not by web workers)."""
    from weasyprint import HTML

    return HTML(string=html, base_url="/").write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True)


def faq_last_update(*, notice: Notice | None):
    value = faq_entries_public(notice=notice).aggregate(m=Max("updated_at"))["m"]
    return timezone.localtime(value).date() if value else None
