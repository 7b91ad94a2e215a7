from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control

from housingmix.core.caching import public_page
from housingmix.core.files import FILE_CONTENT_SECURITY_POLICY

from . import selectors
from .models import DocumentKind
from .panels import panels_for

PAGE_SIZE = 10


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@public_page
def notice_list(request):
    filterset = selectors.notice_filterset(data=request.GET or None)
    page = _page(request, filterset.qs)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notices/notice_list.html",
        {"filter": filterset, "page_obj": page, "querystring": query.urlencode()},
    )


@public_page
def notice_archive(request):
    return render(request, "notices/notice_archive.html", {"page_obj": _page(request, selectors.notice_list_archive())})


def _notice_or_404(request, slug):
    notice = selectors.notice_get_public(slug=slug, preview_user=request.user)
    if notice is None:
        raise Http404
    return notice


def _faq_context(notice):
    entries = list(selectors.faq_entries_public(notice=notice))
    return {
        "faq_groups": selectors.faq_topics_grouped(entries),
        "faq_updated": selectors.faq_updated_on(entries),
        "faq_count": len(entries),
        "faq_digest": selectors.faq_digest(entries),
    }


@public_page
def notice_detail(request, slug):
    notice = _notice_or_404(request, slug)
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "document_series": selectors.notice_documents(notice=notice),
            "pending_kinds": selectors.document_pending_kinds(notice=notice),
            "revisions": list(notice.revisions.all()),
            "is_preview": not notice.is_public,
            "DocumentKind": DocumentKind,
            "panels": panels_for(notice),
            **_faq_context(notice),
        },
    )


@public_page
def notice_revision(request, slug, number):
    notice = _notice_or_404(request, slug)
    revision = notice.revisions.filter(number=number).first()
    if revision is None:
        raise Http404
    return render(request, "notices/notice_revision.html", {"notice": notice, "revision": revision})


def notice_participate(request, slug):
    notice = _notice_or_404(request, slug)
    context = {
        "notice": notice,
        "forms": [
            s for s in selectors.notice_documents(notice=notice) if s["latest"].kind == DocumentKind.APPLICATION_FORM
        ],
    }
    if not notice.is_open:
        # 410: participation is no longer (or not yet) available for this notice.
        return render(request, "notices/notice_participate_closed.html", context, status=410)
    return render(request, "notices/notice_participate.html", context)


@public_page
def faq(request):
    return render(
        request,
        "notices/faq.html",
        {
            "document_series": selectors.notice_documents(notice=None),
            "pending_kinds": selectors.document_pending_kinds(notice=None),
            **_faq_context(None),
        },
    )


def _public_file(document, *, public: bool):
    """A public version never changes: cached for good; a preview is never kept."""
    try:
        handle = document.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=document.content_type != "application/pdf",
        filename=document.filename,
        content_type=document.content_type,
    )
    response["Content-Length"] = document.size
    response["Content-Security-Policy"] = FILE_CONTENT_SECURITY_POLICY
    if public:
        patch_cache_control(response, public=True, max_age=31536000, immutable=True)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def document_download(request, pk, filename):
    document = selectors.document_get_public(pk=pk, user=request.user)
    if document is None or document.filename != filename:
        # A generated PDF published before the PDFs moved to the shared documents store.
        legacy = selectors.generated_by_legacy_filename(filename=filename)
        if legacy is not None and selectors.generated_get_public(pk=legacy.pk, user=request.user):
            return redirect("notices:generated", pk=legacy.pk, filename=legacy.filename, permanent=True)
        raise Http404
    return _public_file(document, public=document.notice is None or document.notice.is_public)


def generated_download(request, pk, filename):
    found = selectors.generated_get_public(pk=pk, user=request.user)
    if found is None or found[0].filename != filename:
        raise Http404
    document, notice = found
    return _public_file(document, public=notice is None or notice.is_public)
