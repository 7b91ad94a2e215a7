"""Co-design at 10 and 1,000 proposals/reports: the ranking computation and the staff lists.

``DATABASE_URL=sqlite:////tmp/codesign-bench.sqlite3 python -m bench.codesign_bench [requests]``
migrates that (fresh) database, seeds one ranked call per size with its proposals (two
commission members, the default grid of five criteria, a score per member and criterion) and
one active project with as many reports, then measures in-process, through the full
middleware stack with Django's test client logged in as staff:

- ``ranking_compute(call)``: queries and median seconds (it reads every admitted proposal, so
  its time grows with the call; its queries must not);
- the call management page (proposals, 20 a page) and the reports list (20 a page): queries
  and median seconds per request; goal: the same queries at both sizes and a time ratio
  1,000 / 10 of at most 1.5.

Seeding writes rows directly (bulk_create), as benchmark data may; the states are those the
services would leave. Prints a Markdown section on stdout (appended to bench/RESULTS.md by hand).
"""

import os
import sys
from datetime import date, timedelta
from decimal import Decimal

SIZES = (10, 1000)


def _seed(size: int, *, staff, members_users):
    from django.utils import timezone

    from housingmix.accounts.models import Organisation, OrganisationType
    from housingmix.core.protocol.models import ProtocolCounter, ProtocolEntry
    from housingmix.notices.models import Notice, NoticeKind, NoticeStatus
    from projects.models import (
        Agreement,
        AgreementStatus,
        CallStatus,
        CodesignCall,
        CommissionMember,
        ConflictDeclaration,
        FinalProject,
        FinalProjectVersion,
        Proposal,
        ProposalStatus,
        Report,
        ReportStatus,
        Score,
    )
    from projects.services import call_grid_set, default_grid

    now = timezone.now()
    notice = Notice.objects.create(
        slug="bench-codesign-%d" % size,
        title="Bench co-progettazione %d" % size,
        kind=NoticeKind.CODESIGN,
        act_number="%d/2026" % size,
        act_date=date(2026, 1, 10),
        summary="Bench",
        body="Bench",
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=1),
        rup="RUP",
        status=NoticeStatus.CLOSED,
    )
    call = CodesignCall.objects.create(
        notice=notice, objectives="o", requirements="r", created_by=staff, action_lines=["a", "b", "c", "d"]
    )
    call_grid_set(call=call, by=staff, grid=default_grid())
    CodesignCall.objects.filter(pk=call.pk).update(status=CallStatus.RANKED, ranking_published_at=now)
    seats = [CommissionMember.objects.create(call=call, user=u) for u in members_users]
    base = Organisation.objects.count()
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                type=OrganisationType.ETS,
                name="ETS bench %d-%d" % (size, i),
                tax_code="%011d" % (base + i + size * 10000),
                runts_number="1",
            )
            for i in range(size)
        ]
    )
    counter, _created = ProtocolCounter.objects.get_or_create(year=now.year, defaults={"last_number": 0})
    first = counter.last_number + 1
    entries = ProtocolEntry.objects.bulk_create(
        [
            ProtocolEntry(
                year=now.year,
                number=first + i,
                registered_at=now,
                direction="in",
                sender="s",
                recipient="r",
                subject="bench",
                sha256="0" * 64,
            )
            for i in range(size)
        ]
    )
    ProtocolCounter.objects.filter(pk=counter.pk).update(last_number=first + size - 1)
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                call=call,
                organisation=org,
                created_by=staff,
                title="Proposta %d" % i,
                protocol=entry,
                status=ProposalStatus.ADMITTED,
                submitted_at=now,
            )
            for i, (org, entry) in enumerate(zip(organisations, entries, strict=True))
        ]
    )
    criteria = list(call.criteria.all())
    ConflictDeclaration.objects.bulk_create(
        [ConflictDeclaration(member=s, proposal=p, has_conflict=False) for p in proposals for s in seats]
    )
    Score.objects.bulk_create(
        [
            Score(
                member=s, proposal=p, criterion=c, points=min(c.max_points, Decimal((p.pk + s.pk) % 9 + 5)), reason="r"
            )
            for p in proposals
            for s in seats
            for c in criteria
        ]
    )
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(status=ProposalStatus.RANKED)
    project = FinalProject.objects.create(call=call, proposal=proposals[0], title="Progetto bench %d" % size)
    version = FinalProjectVersion.objects.create(project=project, number=1, lines=[], created_by=staff)
    Agreement.objects.create(
        project=project,
        version=version,
        starts_on=date(2026, 4, 1),
        ends_on=date(2027, 3, 31),
        status=AgreementStatus.ACTIVE,
    )
    Report.objects.bulk_create(
        [
            Report(
                project=project,
                period_start=date(2026, 4, 1) + timedelta(days=i % 300),
                period_end=date(2026, 4, 30),
                activities="a",
                created_by=staff,
                status=ReportStatus.SUBMITTED,
            )
            for i in range(size)
        ]
    )
    return CodesignCall.objects.get(pk=call.pk)


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "housingmix.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.common import analyse, client_environment, interleaved_medians, login_verified
    from housingmix.accounts.roles import Role
    from projects.selectors import ranking_compute

    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    call_command("migrate", verbosity=0)
    client_environment()
    from django.contrib.auth.models import Group

    from housingmix.accounts.models import User

    staff = User.objects.create_user(email="bench-staff@example.org", password="x-Bench-2026-x")
    staff.groups.add(Group.objects.get(name=Role.STAFF))
    members = [User.objects.create_user(email="bench-m%d@example.org" % i, password="x") for i in range(2)]
    client = Client()
    login_verified(client, staff)

    report_list = reverse("projects:report_list")
    results = {size: {} for size in SIZES}
    calls, baseline = {}, None
    for size in SIZES:
        # The reports list shows every report: measured after each size is seeded, in turns with
        # a page that does not change (the first call's management page), and reported as the
        # ratio to it, so a machine that slows down between the two sizes does not count.
        calls[size] = _seed(size, staff=staff, members_users=members)
        analyse()
        baseline = baseline or reverse("projects:call_manage", kwargs={"pk": calls[size].pk})
        assert client.get(report_list).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            client.get(report_list)
        queries = len(captured.captured_queries)  # now: the query log is a bounded deque
        timings = interleaved_medians(
            {"list": lambda: client.get(report_list), "baseline": lambda b=baseline: client.get(b)}, rounds
        )
        results[size]["report_list"] = (
            queries,
            timings["list"],
            timings["list"] / timings["baseline"],
        )
        print("seeded and measured the reports list at %d" % size, file=sys.stderr)
    for size, call in calls.items():
        with CaptureQueriesContext(connection) as captured:
            ranking = ranking_compute(call=call)
        assert len(ranking) == size
        results[size]["ranking"] = len(captured.captured_queries)
        url = reverse("projects:call_manage", kwargs={"pk": call.pk})
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        results[size]["call_manage"] = len(captured.captured_queries)
    # Both sizes exist now: timed in turns.
    timings = interleaved_medians(
        {size: (lambda c=call: ranking_compute(call=c)) for size, call in calls.items()}, max(3, rounds // 4)
    )
    pages = interleaved_medians(
        {
            size: (lambda c=call: client.get(reverse("projects:call_manage", kwargs={"pk": c.pk})))
            for size, call in calls.items()
        },
        rounds,
    )
    for size in SIZES:
        results[size]["ranking"] = (results[size]["ranking"], timings[size], None)
        results[size]["call_manage"] = (results[size]["call_manage"], pages[size], None)
    small, large = results[SIZES[0]], results[SIZES[1]]
    lines = [
        "### Co-design: ranking and lists at %d and %d proposals/reports (%d requests each, median, in turns)"
        % (*SIZES, rounds),
        "",
        "| Measurement | Queries (%d) | Queries (%d) | Seconds (%d) | Seconds (%d) | Time ratio | Goal |" % (SIZES * 2),
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, label in (
        ("ranking", "`ranking_compute(call)` (all proposals; info: grows with the call)"),
        ("call_manage", "call management page (proposals, 20 a page)"),
        ("report_list", "reports list (20 a page; ratio of its ratios to a fixed page)"),
    ):
        (q1, t1, r1), (q2, t2, r2) = small[name], large[name]
        ratio = (r2 / r1) if r1 else (t2 / t1 if t1 else 0)
        if name == "ranking":
            goal = "queries constant: %s" % ("**met**" if q1 == q2 else "missed")
        else:
            goal = "**met**" if q1 == q2 and ratio <= 1.5 else "missed"
        lines.append("| %s | %d | %d | %.4f | %.4f | %.2f | %s |" % (label, q1, q2, t1, t2, ratio, goal))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main())
