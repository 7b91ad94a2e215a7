"""PDFs of notices and FAQ, rendered with WeasyPrint as tagged PDF/UA-1 in Italian."""

from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

# render_pdf and source_hash stay importable from here (the notices outbox, seed_demo and bench use them).
from housingmix.core.pdf import PDF_LANGUAGE, pdf_context, render_pdf, source_hash  # noqa: F401

from .models import Notice
from .selectors import faq_entries_public, faq_topics_grouped


def notice_html(*, notice: Notice) -> tuple[str, str]:
    """The notice PDF's HTML and title, deterministic for the same content."""
    with translation.override(PDF_LANGUAGE):
        title = notice.title
        html = render_to_string(
            "notices/pdf/notice.html", pdf_context(notice=notice, revisions=list(notice.revisions.all()), title=title)
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
            pdf_context(
                notice=notice,
                groups=faq_topics_grouped(entries),
                updated=timezone.localtime(updated).date() if updated else None,
                title=title,
            ),
        )
    return html, title


def faq_last_update(*, notice: Notice | None):
    value = faq_entries_public(notice=notice).aggregate(m=Max("updated_at"))["m"]
    return timezone.localtime(value).date() if value else None
