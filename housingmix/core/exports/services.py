"""Taking an export: recorded, permission-checked, built at once or by the worker."""

from datetime import timedelta

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from housingmix.core import audit, outbox
from housingmix.core.uploads import delete_files

from . import writers
from .models import ExportJob, ExportStatus
from .registry import spec as spec_for

JOB_KIND = "core.export"


def export_permitted(*, kind: str, user) -> bool:
    found = spec_for(kind)
    return found is not None and rules.has_perm(found.permission, user)


def _build(job: ExportJob) -> tuple[str, bytes, int]:
    found = spec_for(job.kind)
    data = QueryDict(job.query) if job.query else None
    queryset = found.queryset(job.requested_by, data)
    header, rows = found.rows(queryset)
    body = writers.body_bytes(fmt=job.fmt, name=found.name, header=header, rows=rows)
    return writers.filename_for(name=found.name, fmt=job.fmt), body, len(rows)


@transaction.atomic
def export_request(*, kind: str, fmt: str, query: str, by) -> tuple[ExportJob, bytes | None]:
    """Record an export and, for at most ``EXPORT_SYNC_MAX_ROWS`` rows, build it now.

    Returns the job and the file's bytes (None when the worker builds it, through the outbox).
    Either way the export is in the audit trail. Raises PermissionDenied for users who may not
    see these data, ValidationError for an unknown kind or format.
    """
    found = spec_for(kind)
    if found is None or fmt not in writers.CONTENT_TYPES:
        raise ValidationError(_("Formato di esportazione non disponibile."))
    if not rules.has_perm(found.permission, by):
        raise PermissionDenied
    data = QueryDict(query) if query else None
    count = found.queryset(by, data).count()
    job = ExportJob.objects.create(requested_by=by, kind=kind, fmt=fmt, query=query[:2000], rows=count)
    audit.record(target=job, verb="export.requested", by=by, data={"kind": kind, "fmt": fmt, "rows": count})
    if count > settings.EXPORT_SYNC_MAX_ROWS:
        outbox.request(JOB_KIND, target=job)
        return job, None
    filename, body, rows = _build(job)
    job.status, job.done_at, job.filename, job.rows = ExportStatus.DONE, timezone.now(), filename, rows
    job.save(update_fields=["status", "done_at", "filename", "rows"])
    return job, body


def export_job_run(job: outbox.Job) -> ExportJob | None:
    """Outbox handler: build the file of a pending export with the requester's own scope.

    Safe to run twice: the file is stored under a lock on the export row, once.
    """
    export = ExportJob.objects.select_related("requested_by").filter(pk=job.target_id).first()
    if export is None or export.status != ExportStatus.PENDING:
        return None
    filename, body, rows = _build(export)
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().filter(pk=export.pk, status=ExportStatus.PENDING).first()
        if locked is None:
            return None
        locked.filename, locked.rows = filename, rows
        locked.file.save("export", ContentFile(body), save=False)
        locked.status, locked.done_at = ExportStatus.DONE, timezone.now()
        locked.save()
    return locked


def export_job_failed(job: outbox.Job) -> None:
    """Outbox ``on_failed``: the requester sees the export as failed."""
    ExportJob.objects.filter(pk=job.target_id, status=ExportStatus.PENDING).update(status=ExportStatus.FAILED)


def exports_purge(*, now=None) -> int:
    """Delete the files of exports older than ``EXPORT_RETENTION_DAYS`` (they hold personal data)."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(created_at__lte=now - timedelta(days=settings.EXPORT_RETENTION_DAYS)).exclude(
        file=""
    )
    names = list(expired.values_list("file", flat=True))
    expired.update(file="")
    delete_files(names)
    return len(names)


def exports_of(*, user, limit: int = 20) -> list[ExportJob]:
    """The user's own latest exports."""
    return list(ExportJob.objects.filter(requested_by=user).order_by("-created_at", "-pk")[:limit])


def export_get_for_download(*, user, pk: int) -> ExportJob | None:
    """A finished export of ``user`` (None for anybody else's, or one not ready)."""
    job = ExportJob.objects.filter(pk=pk, requested_by=user, status=ExportStatus.DONE).first()
    return job if job is not None and job.file else None
