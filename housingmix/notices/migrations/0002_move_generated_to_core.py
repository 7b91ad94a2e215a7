"""Generated notice PDFs move to core's documents, their render jobs to core's outbox.

Every version keeps its number, file, size, hashes and date; its old public address redirects
to the new one (``notices.views.document_download``, by file name). Pending renders stay pending.
"""

from django.db import migrations

GENERATED = ("notice_pdf", "faq_pdf")


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    NoticeDocument = apps.get_model("notices", "NoticeDocument")
    OldJob = apps.get_model("notices", "DocumentJob")
    Document = apps.get_model("core", "GeneratedDocument")
    Job = apps.get_model("core", "Job")
    notice_ct = ContentType.objects.get_or_create(app_label="notices", model="notice")[0]

    moved = []
    for doc in NoticeDocument.objects.filter(kind__in=GENERATED).order_by("pk"):
        moved.append(
            Document(
                owner_type=notice_ct if doc.notice_id else None,
                owner_id=str(doc.notice_id) if doc.notice_id else "",
                kind=doc.kind,
                version=doc.version,
                title=doc.title,
                file=doc.file.name,
                filename=doc.filename,
                content_type=doc.content_type,
                size=doc.size,
                sha256=doc.sha256,
                source_hash=doc.source_hash,
                created_at=doc.created_at,
            )
        )
    Document.objects.bulk_create(moved, batch_size=1000)
    NoticeDocument.objects.filter(kind__in=GENERATED).delete()
    Job.objects.bulk_create(
        [
            Job(
                kind="notices.%s" % job.kind,
                target_type=notice_ct if job.notice_id else None,
                target_id=str(job.notice_id) if job.notice_id else "",
                status="done" if job.done_at else "pending",
                requested_at=job.requested_at,
                next_attempt_at=job.requested_at,
                done_at=job.done_at,
                attempts=job.attempts,
                last_error=job.last_error,
            )
            for job in OldJob.objects.order_by("pk")
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
        ("core", "0002_machinery"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
