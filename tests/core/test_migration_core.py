"""A database made before the administrative core migrates forward with everything intact: every
manifestation, protocol number, document version and pending job (the rows are built in the old
schema with the migration executor, then migrated)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from housingmix.core.protocol import triggers

BEFORE = [("applications", "0005_export_job"), ("notices", "0001_initial"), ("core", "0001_initial")]


@pytest.fixture
def old_state(transactional_db, tmp_path):
    """A database of its own, empty, migrated forward to the state before the core: the test
    database stays as it is (migrating it back and then forward again took two minutes a leg).
    The default connection points at it for the test and back at the test database after."""
    test_database = connection.settings_dict["NAME"]
    connection.close()
    if connection.vendor == "postgresql":
        name = "%s_before_core" % test_database
        with connection._nodb_cursor() as cursor:
            cursor.execute('DROP DATABASE IF EXISTS "%s"' % name)
            cursor.execute('CREATE DATABASE "%s"' % name)
    else:
        name = str(tmp_path / "before-core.sqlite3")
    connection.settings_dict["NAME"] = name
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        yield executor.loader.project_state(BEFORE).apps
    finally:
        connection.close()
        connection.settings_dict["NAME"] = test_database
        ContentType.objects.clear_cache()  # its ids were the other database's
        if connection.vendor == "postgresql":
            with connection._nodb_cursor() as cursor:
                cursor.execute('DROP DATABASE IF EXISTS "%s"' % name)


def _build_old_rows(apps) -> dict:
    now = timezone.now()
    User = apps.get_model("accounts", "User")
    Notice = apps.get_model("notices", "Notice")
    NoticeDocument = apps.get_model("notices", "NoticeDocument")
    NoticeJob = apps.get_model("notices", "DocumentJob")
    Application = apps.get_model("applications", "Application")
    Counter = apps.get_model("applications", "ProtocolCounter")
    Entry = apps.get_model("applications", "ProtocolEntry")
    Generated = apps.get_model("applications", "GeneratedDocument")
    Job = apps.get_model("applications", "DocumentJob")
    Export = apps.get_model("applications", "ExportJob")
    Decision = apps.get_model("applications", "Decision")

    user = User.objects.create(email="vecchio@example.org", password="!")
    notice = Notice.objects.create(
        slug="avviso-vecchio",
        title="Avviso prima del nucleo",
        kind="interest",
        act_number="1/2026",
        act_date=timezone.localdate(),
        rup="RUP",
        summary="s",
        body="b",
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=20),
        status="published",
        created_by=user,
    )
    NoticeDocument.objects.create(
        notice=notice, kind="notice_pdf", title="Avviso", version=1, file="notices/2026/a", filename="avviso-v1.pdf",
        content_type="application/pdf", size=10, sha256="a" * 64, source_hash="s" * 64, generated=True,
    )  # fmt: skip
    NoticeDocument.objects.create(
        notice=notice, kind="annex", title="Modulo", version=1, file="notices/2026/b", filename="modulo-v1.pdf",
        content_type="application/pdf", size=11, sha256="b" * 64,
    )  # fmt: skip
    NoticeJob.objects.create(notice=notice, kind="faq_pdf")  # pending
    year = timezone.localdate().year
    Counter.objects.create(year=year, last_number=2)
    application = Application.objects.create(notice=notice, created_by=user, status="under_review", package={})
    incoming = Entry.objects.create(
        year=year, number=1, registered_at=now, direction="in", sender="Offerente", recipient="RUP",
        subject="Manifestazione", sha256="c" * 64, application=application,
    )  # fmt: skip
    outgoing = Entry.objects.create(
        year=year, number=2, registered_at=now, direction="out", sender="RUP", recipient="Offerente",
        subject="Preavviso", sha256="d" * 64, application=application,
    )  # fmt: skip
    Application.objects.filter(pk=application.pk).update(protocol=incoming)
    decision = Decision.objects.create(
        application=application, kind="refusal_notice", reasons="r", decided_by=user, protocol=outgoing
    )
    Generated.objects.create(
        application=application, kind="receipt", version=1, file="private/generated/r.pdf",
        filename="ricevuta-0000001.pdf", size=12, sha256="e" * 64, source_hash="f" * 64,
    )  # fmt: skip
    Generated.objects.create(
        application=application, kind="refusal_notice", version=1, file="private/generated/p.pdf",
        filename="preavviso.pdf", size=13, sha256="g" * 64, source_hash="h" * 64, source_id=decision.pk,
    )  # fmt: skip
    Job.objects.create(application=application, kind="receipt", done_at=now, emailed_at=now, attempts=1)
    Job.objects.create(application=application, kind="refusal_notice", source_id=decision.pk, attempts=2,
                       last_error="OSError")  # fmt: skip
    Export.objects.create(requested_by=user, kind="review_queue", fmt="csv", status="pending", rows=5000)
    return {"application": application.pk, "incoming": incoming.pk, "outgoing": outgoing.pk, "decision": decision.pk,
            "notice": notice.pk, "year": year}  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_data_made_before_the_core_migrates_forward_intact(old_state):
    ids = _build_old_rows(old_state)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from applications.models import Application, Decision
    from housingmix.core.documents import documents_of
    from housingmix.core.exports import ExportJob
    from housingmix.core.outbox import Job, JobStatus
    from housingmix.core.protocol import ProtocolCounter, ProtocolEntry, entries_for
    from housingmix.notices.models import Notice, NoticeDocument

    application = Application.objects.select_related("protocol").get(pk=ids["application"])
    assert application.status == "under_review"
    assert application.protocol.pk == ids["incoming"]
    assert application.protocol.display_number == "0000001/%d" % ids["year"]
    assert Decision.objects.get(pk=ids["decision"]).protocol.display_number == "0000002/%d" % ids["year"]
    assert [e.pk for e in entries_for(application)] == [ids["incoming"], ids["outgoing"]]
    assert ProtocolCounter.objects.get(year=ids["year"]).last_number == 2
    # The next number follows the old ones, in the same register.
    from django.db import transaction

    from housingmix.core import protocol

    with transaction.atomic():
        third = protocol.register(direction=protocol.INCOMING, sender="x", recipient="y", subject="z", sha256="0" * 64)
    assert (third.number, third.pk > ids["outgoing"]) == (3, True)
    assert ProtocolEntry.objects.count() == 3

    documents = {d.kind: d for d in documents_of(application)}
    assert documents["receipt"].filename == "ricevuta-0000001.pdf" and documents["receipt"].sha256 == "e" * 64
    assert documents["refusal_notice"].source_id == ids["decision"]
    notice = Notice.objects.get(pk=ids["notice"])
    [notice_pdf] = documents_of(notice)
    assert (notice_pdf.kind, notice_pdf.version, notice_pdf.filename) == ("notice_pdf", 1, "avviso-v1.pdf")
    assert list(NoticeDocument.objects.values_list("kind", flat=True)) == ["annex"]

    pending = {j.kind: j for j in Job.objects.filter(status=JobStatus.PENDING)}
    assert set(pending) == {"applications.refusal_notice", "notices.faq_pdf", "core.export"}
    assert pending["applications.refusal_notice"].data == {"source_id": ids["decision"]}
    assert pending["applications.refusal_notice"].attempts == 2
    assert pending["notices.faq_pdf"].target == notice
    assert pending["core.export"].target == ExportJob.objects.get()
    done = Job.objects.get(kind="applications.receipt")
    assert (done.status, done.steps) == (JobStatus.DONE, ["emailed"])
    assert triggers.installed(connection)
