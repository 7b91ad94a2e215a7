"""Move the protocol register, the generated documents, the outbox and the exports to core.

The rows are copied into core's tables with everything they had: protocol entries keep their ids
and numbers (the manifestations, requests, replies, visits and decisions point at them by id),
documents keep their versions, files and hashes, pending jobs stay pending. The next migration
points the foreign keys at core and drops the old tables.
"""

from django.db import migrations

RECEIPT = "receipt"


def _ct(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def forward(apps, schema_editor):
    OldCounter = apps.get_model("applications", "ProtocolCounter")
    OldEntry = apps.get_model("applications", "ProtocolEntry")
    OldDocument = apps.get_model("applications", "GeneratedDocument")
    OldJob = apps.get_model("applications", "DocumentJob")
    OldExport = apps.get_model("applications", "ExportJob")
    Counter = apps.get_model("core", "ProtocolCounter")
    Entry = apps.get_model("core", "ProtocolEntry")
    Document = apps.get_model("core", "GeneratedDocument")
    Job = apps.get_model("core", "Job")
    Export = apps.get_model("core", "ExportJob")
    application_ct = _ct(apps, "applications", "application")
    export_ct = _ct(apps, "core", "exportjob")

    for counter in OldCounter.objects.all():
        Counter.objects.create(year=counter.year, last_number=counter.last_number)
    Entry.objects.bulk_create(
        [
            Entry(
                pk=e.pk,
                year=e.year,
                number=e.number,
                registered_at=e.registered_at,
                direction=e.direction,
                sender=e.sender,
                recipient=e.recipient,
                subject=e.subject,
                sha256=e.sha256,
                record_type=application_ct if e.application_id else None,
                record_id=str(e.application_id) if e.application_id else "",
            )
            for e in OldEntry.objects.order_by("pk")
        ],
        batch_size=1000,
    )
    Document.objects.bulk_create(
        [
            Document(
                owner_type=application_ct,
                owner_id=str(d.application_id),
                kind=d.kind,
                source_id=d.source_id,
                version=d.version,
                title="",
                file=d.file.name,
                filename=d.filename,
                content_type="application/pdf",
                size=d.size,
                sha256=d.sha256,
                source_hash=d.source_hash,
                created_at=d.created_at,
            )
            for d in OldDocument.objects.order_by("pk")
        ],
        batch_size=1000,
    )
    jobs = []
    for job in OldJob.objects.order_by("pk"):
        done = job.done_at is not None
        jobs.append(
            Job(
                kind="applications.%s" % job.kind,
                target_type=application_ct,
                target_id=str(job.application_id),
                data={} if job.kind == RECEIPT else {"source_id": job.source_id},
                status="done" if done else "pending",
                requested_at=job.requested_at,
                next_attempt_at=job.requested_at,
                done_at=job.done_at,
                attempts=job.attempts,
                last_error=job.last_error,
                steps=["emailed"] if job.emailed_at else [],
            )
        )
    Job.objects.bulk_create(jobs, batch_size=1000)
    for old in OldExport.objects.order_by("pk"):
        export = Export.objects.create(
            requested_by_id=old.requested_by_id,
            kind=old.kind,
            fmt=old.fmt,
            query=old.query,
            status=old.status,
            rows=old.rows,
            file=old.file.name if old.file else "",
            filename=old.filename,
            created_at=old.created_at,
            done_at=old.done_at,
        )
        if old.status == "pending":
            Job.objects.create(
                kind="core.export",
                target_type=export_ct,
                target_id=str(export.pk),
                requested_at=old.created_at,
                next_attempt_at=old.created_at,
                attempts=old.attempts,
                last_error=old.last_error,
            )
    # Ids were given explicitly: move PostgreSQL's sequence past them.
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Entry]):
                cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_export_job"),
        ("core", "0002_machinery"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
