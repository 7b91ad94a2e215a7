"""One size of the review benchmark, in a process of its own, driven line by line.

``python -m bench.review_timing`` with the bench environment on a database filled by
``manage.py seed_bench`` (and ANALYZEd). It logs in as the bench staff member, warms every
target up, counts the queries of one request each and prints one JSON line ``{"ready": ...}``.
Then it reads target names on stdin, one per line, and answers each with the seconds that
one request took (``{"t": ...}``); ``quit`` ends it. The parent (bench.review_bench) sends the
same target to every size in turn, so a noisy spell of the machine hits all sizes alike.

Targets:
- ``bare``: a constant view through a client with no middleware but allauth's (Django's floor);
- ``trivial``: the same constant view through the portal's full middleware, logged in;
- ``review_queue``, ``registry_list``, ``review_detail``: the pages, logged in.
"""

import json
import sys
import time


def main() -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from applications.models import Application, ApplicationStatus
    from bench.common import client_environment, login_verified
    from demo.management.commands.seed_bench import STAFF_EMAIL
    from housingmix.accounts.models import User

    client_environment()  # the test client's host allowed, templates not instrumented
    staff = User.objects.get(email=STAFF_EMAIL)
    # The richest manifestation: eligible (units, checks, visit, decision), the newest one.
    rich = (
        Application.objects.filter(status=ApplicationStatus.ELIGIBLE).order_by("-pk").only("reference").first()
        or Application.objects.exclude(status="draft").order_by("-pk").first()
    )
    client = Client()
    login_verified(client, staff)
    bare = Client()
    with override_settings(MIDDLEWARE=["allauth.account.middleware.AccountMiddleware"]):
        bare.get("/__bench_trivial__/")  # the handler loads its (empty) middleware chain now
    clients = {"bare": bare}
    targets = {
        "bare": "/__bench_trivial__/",
        "trivial": "/__bench_trivial__/",
        "review_queue": reverse("review:queue"),
        "registry_list": reverse("registry:list"),
        "review_detail": reverse("review:detail", kwargs={"ref": rich.reference}),
    }
    queries, sizes = {}, {}
    for name, url in targets.items():
        use = clients.get(name, client)
        for _ in range(3):
            response = use.get(url)
        if response.status_code != 200:
            print("%s answered %d" % (url, response.status_code), file=sys.stderr)
            return 1
        with CaptureQueriesContext(connection) as captured:
            response = use.get(url)
        queries[name] = len(captured.captured_queries)
        sizes[name] = len(response.content)
    ready = {"count": Application.objects.count(), "urls": targets, "queries": queries, "bytes": sizes}
    print(json.dumps({"ready": ready}), flush=True)
    for line in sys.stdin:
        name = line.strip()
        if name == "quit":
            break
        use, url = clients.get(name, client), targets[name]
        start = time.perf_counter()
        response = use.get(url)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            print("%s answered %d" % (url, response.status_code), file=sys.stderr)
            return 1
        print(json.dumps({"t": elapsed}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
