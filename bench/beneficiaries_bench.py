"""Beneficiaries: matching over the registry and the households list, in-process.

``DATABASE_URL=sqlite:////tmp/hm-beneficiaries-bench.sqlite3 python -m bench.beneficiaries_bench``
(migrates that database, seeds it, measures, prints a Markdown section for bench/RESULTS.md).

- Matching for one household over 10,000 registry units: the ranked, rule-checked first page
  for the household as the units page holds it (``selectors.household_for_matching``: members and
  preferred comuni loaded, so its needs cost no query; the page loads it for its permission check
  and heading anyway), i.e. ``matching.ranked_units`` sliced to 25, those rows with their unit and
  comune and their reasons (``matching.page_assessments``), against the bare indexed query of the
  same page (available units in their index order, no rules, no reasons). Goal: ratio <= 2. For
  information, the same from a household read without its members (its needs: one more query).
- The households list page for staff at 100 and 10,000 households: queries constant, time
  ratio <= 1.5 (through the full middleware with the test client).

Seeding writes rows directly (bulk_create): it measures reads, not the services.
"""

import os
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

ROUNDS = 30


def _median_ms(fn, rounds=ROUNDS) -> float:
    for _ in range(3):
        fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _seed_units(n: int):
    from applications.models import Application
    from housingmix.accounts.models import User
    from housingmix.notices.models import Notice
    from housingmix.territory.models import Comune
    from properties.models import HousingUnit, RegistryEntry

    owner, _ = User.objects.get_or_create(email="bench-owner@example.org")
    notice = Notice.objects.first()
    if notice is None:
        from tests.notices.factories import NoticeFactory

        notice = NoticeFactory(published=True)
    application = Application.objects.create(notice=notice, created_by=owner)
    comuni = list(Comune.objects.all()[:20])
    units = HousingUnit.objects.bulk_create(
        [HousingUnit(application=application, position=i + 1, comune=comuni[i % len(comuni)]) for i in range(n)],
        batch_size=1000,
    )
    start = date(2026, 12, 1)
    RegistryEntry.objects.bulk_create(
        [
            RegistryEntry(
                unit=u,
                application=application,
                comune_id=u.comune_id,
                available_from=start + timedelta(days=i % 365),
                monthly_rent=Decimal(250 + (i % 40) * 10),
                beds=1 + i % 5,
                surface_m2=Decimal(25 + i % 80),
                step_free=i % 3 == 0,
            )
            for i, u in enumerate(units)
        ],
        batch_size=1000,
    )


def _seed_households(n: int, worker):
    from beneficiaries.models import Household, HousingSituation, Member, Occupation, Relation, SupportPlan

    existing = Household.objects.count()
    households = Household.objects.bulk_create(
        [
            Household(
                comune_id=worker.comune_id,
                social_worker=worker,
                housing_situation=HousingSituation.EVICTION,
                referred_on=date(2026, 1, 1) + timedelta(days=i % 300),
            )
            for i in range(existing, n)
        ],
        batch_size=1000,
    )
    SupportPlan.objects.bulk_create([SupportPlan(household=h) for h in households], batch_size=1000)
    Member.objects.bulk_create(
        [
            Member(
                household=h,
                first_name="Bench",
                last_name="Nucleo",
                tax_code="BNCNCL80A01E648X",
                birth_date=date(1980, 1, 1),
                relation=Relation.HEAD,
                occupation=Occupation.EMPLOYED,
                disability="bench" if h.pk % 7 == 0 else "",
            )
            for h in households
        ],
        batch_size=1000,
    )


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "housingmix.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.common import analyse, client_environment, interleaved_medians, login_verified

    call_command("migrate", verbosity=0)
    client_environment()
    from django.utils import translation

    from beneficiaries import matching, selectors
    from beneficiaries.models import Household, HousingSituation, Member, Occupation, Relation
    from housingmix.accounts.models import User
    from housingmix.accounts.roles import Role
    from housingmix.territory.models import Comune
    from properties.models import RegistryEntry

    if RegistryEntry.objects.count() < 10000:
        _seed_units(10000 - RegistryEntry.objects.count())
    lodi = Comune.objects.get(name="Lodi")
    worker, _ = User.objects.get_or_create(email="bench-worker@example.org", defaults={"comune": lodi})
    staff, created = User.objects.get_or_create(email="bench-staff@example.org")
    if created:
        from django.contrib.auth.models import Group

        staff.groups.add(Group.objects.get(name=Role.STAFF))
    household = Household.objects.filter(members__first_name="Giulia").first()
    if household is None:
        household = Household.objects.create(
            comune=lodi, social_worker=worker, housing_situation=HousingSituation.EVICTION, monthly_budget=Decimal(400)
        )
        for first, born in (("Giulia", date(1985, 4, 12)), ("Luca", date(2015, 9, 3))):
            Member.objects.create(
                household=household, first_name=first, last_name="Bench", tax_code="X%015d" % born.toordinal(),
                birth_date=born, relation=Relation.HEAD, occupation=Occupation.NONE, needs_step_free=True,
            )  # fmt: skip

    translation.activate("it")  # the reasons' sentences, as the page writes them
    loaded = selectors.household_for_matching(pk=household.pk)

    def ranked(of=loaded):
        needs, queryset = matching.units_for(household=of)
        return matching.page_assessments(needs=needs, entries=queryset[:25])

    def ranked_unloaded():
        return ranked(of=household)

    def bare():
        return list(RegistryEntry.objects.filter(is_available=True).select_related("unit", "comune")[:25])

    analyse()
    units = RegistryEntry.objects.count()
    fitting = matching.units_for(household=household)[1].count()
    medians = interleaved_medians({"ranked": ranked, "bare": bare, "unloaded": ranked_unloaded}, ROUNDS)
    ranked_ms, bare_ms, unloaded_ms = (medians[name] * 1000 for name in ("ranked", "bare", "unloaded"))
    with CaptureQueriesContext(connection) as captured:
        ranked()
    ranked_queries = len(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        ranked_unloaded()
    unloaded_queries = len(captured.captured_queries)

    client = Client()
    login_verified(client, staff)
    url = reverse("beneficiaries:list")
    lists = {}
    Household.objects.exclude(pk=household.pk).delete()  # a rerun starts again from 100
    for n in (100, 10000):
        _seed_households(n, worker)
        analyse()
        client.get(url)  # the first request after login also writes the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        lists[n] = (Household.objects.count(), len(captured.captured_queries), _median_ms(lambda: client.get(url)))

    ratio = ranked_ms / bare_ms
    list_ratio = lists[10000][2] / lists[100][2]
    print("## Beneficiaries, %s\n" % time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    print(
        "- In-process (`bench/beneficiaries_bench.py`), %s, %d rounds, medians after 3 warm-ups; nproc %s, load %.2f"
        % ("PostgreSQL" if connection.vendor == "postgresql" else "SQLite", ROUNDS, os.cpu_count(), os.getloadavg()[0])
    )
    print("\n| Measurement | Rows | Queries | Median ms | Goal |\n|---|---:|---:|---:|---|")
    print("| bare indexed query, first page of 25 | %d units | 1 | %.2f | |" % (units, bare_ms))
    print(
        "| matching: ranked first page + reasons (%d fit) | %d units | %d | %.2f | ratio %.2f (<= 2: **%s**) |"
        % (fitting, units, ranked_queries, ranked_ms, ratio, "met" if ratio <= 2 else "missed")
    )
    print(
        "| matching from a household read without its members (needs: one more query) | %d units | %d | %.2f | ratio %.2f (information) |"
        % (units, unloaded_queries, unloaded_ms, unloaded_ms / bare_ms)
    )
    for count, queries, ms in lists.values():
        print("| households list (staff), page 1 | %d households | %d | %.2f | |" % (count, queries, ms))
    same = lists[100][1] == lists[10000][1]
    print("\nHouseholds list: queries %s (%d and %d); time ratio 10,000/100 = %.2f (<= 1.5: **%s**)." % (
        "constant" if same else "NOT constant", lists[100][1], lists[10000][1], list_ratio, "met" if list_ratio <= 1.5 else "missed"))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
