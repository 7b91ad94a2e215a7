"""Reads of notices, FAQ and documents, with their joins done here."""

from itertools import groupby

from django.db.models import Q, QuerySet
from django.utils import timezone

from .filters import NoticeFilter
from .models import (
    GENERATED_KINDS,
    LIVE_STATUSES,
    PUBLIC_STATUSES,
    DocumentJob,
    FaqEntry,
    Notice,
    NoticeDocument,
    NoticeStatus,
)


def notice_list_public() -> QuerySet[Notice]:
    """Public notices, newest first."""
    return Notice.objects.filter(status__in=PUBLIC_STATUSES).order_by("-opens_at", "-pk")


def notice_filterset(*, data) -> NoticeFilter:
    """The public list filtered by kind, state, year and text (django-filter)."""
    return NoticeFilter(data, queryset=notice_list_public())


def notice_list_open() -> QuerySet[Notice]:
    now = timezone.now()
    return Notice.objects.filter(status__in=LIVE_STATUSES, opens_at__lte=now, closes_at__gt=now).order_by("closes_at")


def notice_list_archive() -> QuerySet[Notice]:
    """Notices no longer accepting participation: closed, withdrawn, archived or past their deadline."""
    now = timezone.now()
    return Notice.objects.filter(
        Q(status__in=[NoticeStatus.CLOSED, NoticeStatus.WITHDRAWN, NoticeStatus.ARCHIVED])
        | Q(status__in=LIVE_STATUSES, closes_at__lte=now)
    ).order_by("-closes_at", "-pk")


def notice_get_public(*, slug: str, preview_user=None) -> Notice | None:
    """A public notice by slug, or any notice for a user allowed to preview drafts."""
    notice = Notice.objects.filter(slug=slug).first()
    if notice is None:
        return None
    if notice.is_public:
        return notice
    if preview_user is not None and preview_user.has_perm("notices.preview", notice):
        return notice
    return None


def notice_documents(*, notice: Notice | None) -> list[dict]:
    """Documents grouped by series (kind + title): latest version first, then earlier ones."""
    docs = NoticeDocument.objects.filter(notice=notice).order_by("kind", "title", "-version")
    series = []
    for _key, items in groupby(docs, key=lambda d: (d.kind, d.title)):
        items = list(items)
        series.append({"latest": items[0], "previous": items[1:]})
    order = {kind: i for i, kind in enumerate(["notice_pdf", "application_form", "annex", "faq_pdf"])}
    series.sort(key=lambda s: (order.get(s["latest"].kind, 9), s["latest"].title))
    return series


def document_pending_kinds(*, notice: Notice | None) -> set[str]:
    """Generated PDFs that are queued or not yet produced, to tell visitors they are being prepared."""
    pending = set(DocumentJob.objects.filter(notice=notice, done_at__isnull=True).values_list("kind", flat=True))
    return pending & set(GENERATED_KINDS)


def document_get_public(*, pk: int, user=None) -> NoticeDocument | None:
    """A document if its notice is public (or the general FAQ), or if ``user`` may preview."""
    doc = NoticeDocument.objects.select_related("notice").filter(pk=pk).first()
    if doc is None:
        return None
    if doc.notice is None or doc.notice.is_public:
        return doc
    if user is not None and user.has_perm("notices.preview", doc.notice):
        return doc
    return None


def faq_entries_public(*, notice: Notice | None) -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(notice=notice, is_published=True).select_related("topic")


def faq_topics_grouped(entries) -> list[dict]:
    """Entries (already ordered by topic) grouped as [{topic, entries}]."""
    return [{"topic": topic, "entries": list(items)} for topic, items in groupby(entries, key=lambda e: e.topic)]


def faq_updated_on(entries):
    updated = max((e.updated_at for e in entries), default=None)
    return timezone.localtime(updated).date() if updated else None


def notice_years() -> list[int]:
    return [d.year for d in Notice.objects.filter(status__in=PUBLIC_STATUSES).dates("opens_at", "year", order="DESC")]
