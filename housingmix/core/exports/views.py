"""Pages every export shares: download (or queue) an export, the user's exports, a finished file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from housingmix.core.files import private_file_response

from . import services, writers
from .models import ExportStatus


def export_response(request, *, kind: str, fmt: str, list_url: str):
    """Small exports are downloaded at once; large ones are built by the worker and listed on
    ``list_url``. Both are recorded (``services.export_request``)."""
    if fmt not in writers.CONTENT_TYPES:
        raise Http404
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    try:
        job, body = services.export_request(kind=kind, fmt=fmt, query=query.urlencode(), by=request.user)
    except ValidationError:
        raise Http404 from None
    if body is not None:
        return writers.file_response(body, fmt=fmt, filename=job.filename)
    messages.info(
        request,
        _("L'esportazione di %(rows)s righe è in preparazione: la trovi in questa pagina appena è pronta.")
        % {"rows": job.rows},
    )
    return redirect(list_url)


@login_required
def export_list(request, *, permission: str = ""):
    """The user's own exports of the last days, with their state and download links."""
    if permission and not request.user.has_perm(permission):
        raise PermissionDenied
    jobs = services.exports_of(user=request.user)
    pending = any(job.status == ExportStatus.PENDING for job in jobs)
    return render(request, "core/exports.html", {"jobs": jobs, "pending": pending})


@login_required
def export_download(request, pk: int):
    job = services.export_get_for_download(user=request.user, pk=pk)
    if job is None:
        raise Http404
    return private_file_response(job.file, filename=job.filename, content_type=writers.CONTENT_TYPES[job.fmt])
