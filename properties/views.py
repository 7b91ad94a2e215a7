"""The unit registry for Ambito staff: list with filters, detail, export."""

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from housingmix.core.exports.views import export_response
from housingmix.core.pagination import CappedCountPaginator

from . import selectors
from .fitness import unit_fit
from .models import AvailabilityForm

PAGE_SIZE = 25


def _staff(request) -> None:
    # The rule itself, not user.has_perm(): that asks the model backends first (axes, allauth),
    # two queries for the user's and the groups' permissions on every page, before the rule.
    if not rules.has_perm("properties.view_registry", request.user):
        raise PermissionDenied


_SAMPLE_PK = 999999999


def _availability_label(entry) -> str:
    """ "dal 01/02/2026 al 31/12/2026", as the template's two blocktranslate printed it: the
    sentences translated, the dates escaped (two translations and two date filters per row were
    the most expensive part of the page)."""
    parts = []
    if entry.available_from:
        parts.append(_("dal %(start)s") % {"start": conditional_escape(date_format(entry.available_from, "d/m/Y"))})
    if entry.available_until:
        parts.append(" " + _("al %(end)s") % {"end": conditional_escape(date_format(entry.available_until, "d/m/Y"))})
    # The sentences come from the catalogue, the dates are escaped above.
    return mark_safe("".join(parts))  # nosec B308 B703


def _registry_rows(page) -> None:
    """Evaluate the page once, with each row's form label, availability and link built here: one
    reverse() and one label map per request instead of one per row (get_FOO_display rebuilds
    its map)."""
    forms = {value: str(label) for value, label in AvailabilityForm.choices}
    template = reverse("registry:detail", kwargs={"pk": _SAMPLE_PK})
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.form_label = forms.get(entry.availability_form, entry.availability_form)
        entry.detail_url = template.replace(str(_SAMPLE_PK), str(entry.pk))
        entry.availability_label = _availability_label(entry)


@login_required
def registry_list(request):
    _staff(request)
    filterset = selectors.registry_filterset(data=request.GET or None)
    page = CappedCountPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _registry_rows(page)
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
