"""Review pages in-process: queries and time per request against a trivial view.

``python -m bench.review_timing <requests> <out.json>``, run with the bench environment on
a database filled by ``manage.py seed_bench``. Every request goes through the full
middleware stack with Django's test client, logged in as the bench staff member (the
pages are private: no page cache applies). Targets are interleaved request by request,
so a noisy spell of the machine hits all of them; each one is warmed up first.
"""

import json
import statistics
import sys
import time


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from applications.models import Application, ApplicationStatus
    from demo.management.commands.seed_bench import STAFF_EMAIL
    from housingmix.accounts.models import User

    setup_test_environment()  # the test client needs testserver in ALLOWED_HOSTS
    requests_per_target = int(sys.argv[1])
    out = sys.argv[2]
    staff = User.objects.get(email=STAFF_EMAIL)
    # The richest manifestation: eligible, with the most units (units, checks, visit, decision).
    rich = (
        Application.objects.filter(status=ApplicationStatus.ELIGIBLE).order_by("-pk").only("reference").first()
        or Application.objects.exclude(status="draft").order_by("-pk").first()
    )
    client = Client()
    client.force_login(staff, backend="allauth.account.auth_backends.AuthenticationBackend")
    targets = {
        "trivial": "/__bench_trivial__/",
        "review_queue": reverse("review:queue"),
        "registry_list": reverse("registry:list"),
        "review_detail": reverse("review:detail", kwargs={"ref": rich.reference}),
    }
    queries, sizes = {}, {}
    for name, url in targets.items():
        for _ in range(3):
            response = client.get(url)
        if response.status_code != 200:
            print("%s answered %d" % (url, response.status_code), file=sys.stderr)
            return 1
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        queries[name] = len(captured.captured_queries)
        sizes[name] = len(response.content)
    timings = {name: [] for name in targets}
    for _ in range(requests_per_target):
        for name, url in targets.items():
            start = time.perf_counter()
            response = client.get(url)
            timings[name].append(time.perf_counter() - start)
            assert response.status_code == 200
    result = {
        "count": Application.objects.count(),
        "requests": requests_per_target,
        "urls": targets,
        "queries": queries,
        "bytes": sizes,
        "median": {n: statistics.median(v) for n, v in timings.items()},
        "p95": {n: _p95(v) for n, v in timings.items()},
    }
    with open(out, "w") as handle:
        json.dump(result, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
