"""The unit registry for Ambito staff: list with filters, detail, export."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from housingmix.core.exports.views import export_response

from . import selectors
from .fitness import unit_fit

PAGE_SIZE = 25


def _staff(request) -> None:
    if not request.user.has_perm("properties.view_registry"):
        raise PermissionDenied


@login_required
def registry_list(request):
    _staff(request)
    filterset = selectors.registry_filterset(data=request.GET or None)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/registry_list.html",
        {"filter": filterset, "page_obj": page, "querystring": query.urlencode()},
    )


@login_required
def registry_export(request, fmt: str):
    _staff(request)
    return export_response(request, kind="registry", fmt=fmt, list_url=reverse("review:exports"))


@login_required
def registry_detail(request, pk: int):
    _staff(request)
    entry = selectors.registry_entry_get(pk=pk)
    if entry is None:
        raise Http404
    return render(
        request, "registry/registry_detail.html", {"entry": entry, "unit": entry.unit, "fit": unit_fit(entry.unit)}
    )
