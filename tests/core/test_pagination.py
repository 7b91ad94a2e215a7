"""The office's long lists count their rows up to a cap (core.pagination): within it they page
exactly as Django's paginator does; above it the count stops, every page is still reachable and
the page says "more than"."""

import io

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator
from django.db import connection
from django.db.models.functions import Length
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.management.commands.seed_bench import STAFF_EMAIL
from housingmix.accounts.models import User
from housingmix.core import pagination
from housingmix.core.pagination import CappedCountPaginator
from housingmix.core.templatetags.portal import page_numbers
from housingmix.territory.models import Ambito
from properties.models import HousingUnit

pytestmark = pytest.mark.django_db

ROWS = 75


@pytest.fixture
def rows():
    Ambito.objects.bulk_create(Ambito(code="t-%03d" % i, name="Ambito %03d" % i) for i in range(ROWS))
    return Ambito.objects.filter(code__startswith="t-").order_by("name")


def _names(page):
    return [row.name for row in page.object_list]


def test_within_the_cap_it_pages_as_djangos_paginator(rows):
    ours, django = CappedCountPaginator(rows, 10, cap=100), Paginator(rows, 10)
    assert ours.count == django.count == ROWS and not ours.count_capped
    assert ours.num_pages == django.num_pages == 8
    for number in (1, 2, 7, 8, 9, 10**30, 0, -1, "x", None, "2"):
        a, b = ours.get_page(number), django.get_page(number)
        assert (a.number, _names(a), a.has_next(), a.has_previous()) == (
            b.number,
            _names(b),
            b.has_next(),
            b.has_previous(),
        )
        assert (a.start_index(), a.end_index()) == (b.start_index(), b.end_index())
        assert page_numbers(a) == list(django.get_elided_page_range(b.number))


def test_the_count_reads_at_most_cap_plus_one_rows_and_does_not_sort(rows):
    with CaptureQueriesContext(connection) as captured:
        assert CappedCountPaginator(rows, 10, cap=30).count == 31
    (query,) = captured.captured_queries
    sql = query["sql"].upper()
    assert "COUNT(" in sql and "LIMIT 31" in sql and "ORDER BY" not in sql
    # The key alone is read: no column the list shows or sorts by.
    assert '"TERRITORY_AMBITO"."NAME"' not in sql and '"TERRITORY_AMBITO"."ID"' in sql


def test_the_count_leaves_a_computed_column_out(rows):
    """Django keeps a sliced queryset's annotations in the count's subquery: the count asks for
    the key alone, so a column computed for the rows (an EXISTS, a function) is not computed."""
    annotated = rows.annotate(name_length=Length("name"))
    with CaptureQueriesContext(connection) as captured:
        assert CappedCountPaginator(annotated, 10, cap=30).count == 31
    (query,) = captured.captured_queries
    assert "LENGTH" not in query["sql"].upper()


def test_exactly_the_cap_is_counted_exactly(rows):
    paginator = CappedCountPaginator(rows.filter(code__lt="t-030"), 10, cap=30)
    assert paginator.count == 30 and not paginator.count_capped and paginator.num_pages == 3
    assert page_numbers(paginator.get_page(1)) == [1, 2, 3]


def test_the_queues_filtered_counts_are_exact(client):
    """The count leaves out the queue's computed columns and ordering, not its filters."""
    from applications.review import selectors

    call_command("seed_bench", count=60, stdout=io.StringIO())
    staff = User.objects.get(email=STAFF_EMAIL)
    unit = HousingUnit.objects.exclude(application__status="draft").order_by("pk").first()
    counts = []
    for data in (None, {"comune": str(unit.comune_id)}, {"overdue": "yes"}, {"status": "eligible"}):
        filterset = selectors.review_queue_filterset(user=staff, data=data, for_export=False)
        assert data is None or filterset.form.is_valid(), data
        counts.append(CappedCountPaginator(filterset.qs, 25).count)
        assert counts[-1] == len(list(filterset.qs)), data
    assert counts[0] > max(counts[1:]) and counts[1] > 0  # the filters did filter


def test_above_the_cap_every_page_is_reachable_and_knows_whether_another_follows(rows):
    paginator = CappedCountPaginator(rows, 10, cap=30)
    assert paginator.count_capped and paginator.num_pages == 4  # the pages 31 rows vouch for
    names = [row.name for row in rows]
    for number in (1, 3, 4, 5, 7):
        page = paginator.get_page(number)
        assert _names(page) == names[(number - 1) * 10 : number * 10]
        assert page.has_next() and page.next_page_number() == number + 1
        assert page.start_index() == (number - 1) * 10 + 1 and page.end_index() == number * 10
    last = paginator.get_page(8)
    assert _names(last) == names[70:] and not last.has_next() and last.end_index() == ROWS
    assert last.has_previous() and last.previous_page_number() == 7


@pytest.mark.parametrize("number", [9, 500, 10**30, 0, -3])
def test_above_the_cap_a_page_past_the_end_answers_the_last_page(rows, number):
    page = CappedCountPaginator(rows, 10, cap=30).get_page(number)
    assert page.number == 8 and _names(page) == [row.name for row in rows][70:] and not page.has_next()


@pytest.mark.parametrize("number", ["abc", "2.5", "", None])
def test_above_the_cap_a_page_that_is_not_a_number_answers_the_first(rows, number):
    page = CappedCountPaginator(rows, 10, cap=30).get_page(number)
    assert page.number == 1 and page.has_next()


def test_above_the_cap_the_links_have_no_last_page(rows):
    paginator = CappedCountPaginator(rows, 10, cap=30)
    ellipsis = paginator.ELLIPSIS
    assert page_numbers(paginator.get_page(1)) == [1, 2, 3, 4, ellipsis]
    # Only pages known to exist are linked: the ones the count vouches for and the next one.
    assert page_numbers(paginator.get_page(4)) == [1, 2, 3, 4, 5, ellipsis]
    assert page_numbers(paginator.get_page(7)) == [1, 2, 3, 4, 5, 6, 7, 8, ellipsis]
    # The last page: nothing after it, no ellipsis.
    assert page_numbers(paginator.get_page(8)) == [1, 2, ellipsis, 5, 6, 7, 8]


def test_the_links_are_elided_around_the_current_page_not_the_first():
    paginator = Paginator(range(500), 10)
    page = paginator.get_page(25)
    numbers = page_numbers(page)
    assert 25 in numbers and numbers[:3] == [1, 2, paginator.ELLIPSIS] and numbers[-2:] == [49, 50]
    html = Template('{% include "notices/partials/_pagination.html" %}').render(
        Context({"page_obj": page, "querystring": ""})
    )
    assert 'aria-current="page" href="?page=25"' in html and 'href="?page=50"' in html


def test_a_cap_below_a_page_or_orphans_are_refused(rows):
    with pytest.raises(ValueError):
        CappedCountPaginator(rows, 10, cap=5)
    with pytest.raises(ValueError):
        CappedCountPaginator(rows, 10, orphans=2)


def test_a_list_of_objects_is_capped_too():
    paginator = CappedCountPaginator(list(range(75)), 10, cap=30)
    assert paginator.count == 31 and paginator.get_page(8).object_list == list(range(70, 75))


def test_the_review_queue_above_the_cap_says_more_than_and_pages_on(client, monkeypatch):
    call_command("seed_bench", count=60, stdout=io.StringIO())
    client.force_login(
        User.objects.get(email=STAFF_EMAIL), backend="housingmix.accounts.backends.AuthenticationBackend"
    )
    monkeypatch.setattr(pagination, "COUNT_CAP", 30)
    url = reverse("review:queue")
    response = client.get(url)
    assert response.context["page_obj"].paginator.count_capped
    assert "Più di 30 manifestazioni trovate" in response.content.decode()
    response = client.get(url, {"page": 2})
    page = response.context["page_obj"]
    assert page.number == 2 and len(page.object_list) == 25 and page.has_next()
    assert 'href="?page=3"' in response.content.decode()
    last = client.get(url, {"page": 99}).context["page_obj"]
    assert last.number > 2 and not last.has_next() and last.object_list
    monkeypatch.setattr(pagination, "COUNT_CAP", 10_000)
    response = client.get(url)
    assert not response.context["page_obj"].paginator.count_capped
    assert "manifestazioni trovate" in response.content.decode() and "Più di" not in response.content.decode()


def test_more_than_is_translated_and_grouped():
    from django.utils import translation

    paginator = CappedCountPaginator(list(range(20_000)), 25)
    template = Template(
        '{% load i18n %}{% blocktranslate trimmed with cap=paginator.cap|floatformat:"0g" %}Più di {{ cap }} manifestazioni trovate{% endblocktranslate %}'
    )
    with translation.override("it"):
        assert template.render(Context({"paginator": paginator})) == "Più di 10.000 manifestazioni trovate"
    with translation.override("en"):
        assert template.render(Context({"paginator": paginator})) == "More than 10,000 expressions of interest found"
