"""WeasyPrint helpers shared by every PDF the portal produces: tagged PDF/UA-1, in Italian.

Templates extend ``templates/pdf/base_pdf.html``, which expects the context of
``pdf_context`` (Ambito, font folder, page footer).
"""

import functools
import hashlib

from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _

from housingmix.territory.selectors import ambito_current

# The language of every generated PDF, whatever the language of the page that asked for it.
PDF_LANGUAGE = "it"


def page_footer_css() -> str:
    """The page footer as a CSS string: one translatable sentence with the page counters spliced in."""
    return '"%s"' % (_("Pagina %(page)s di %(pages)s") % {"page": '" counter(page) "', "pages": '" counter(pages) "'})


@functools.cache
def font_dir() -> str:
    """``file://`` URL of the folder holding the Titillium Web TTF files (empty if not found)."""
    path = finders.find("fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.ttf")
    return "file://" + path.rsplit("/", 1)[0] if path else ""


def pdf_context(**extra) -> dict:
    """The context ``base_pdf.html`` needs, plus ``extra``. Call it with PDF_LANGUAGE active."""
    return {"ambito": ambito_current(), "page_footer": page_footer_css(), "font_dir": font_dir(), **extra}


def source_hash(html: str) -> str:
    """SHA-256 of the HTML a PDF is rendered from: same hash, same document (no new version)."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def render_pdf(html: str) -> bytes:
    """Tagged PDF/UA-1 bytes for ``html`` (WeasyPrint is imported here, not by web workers)."""
    from weasyprint import HTML

    return HTML(string=html, base_url="/").write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True)
