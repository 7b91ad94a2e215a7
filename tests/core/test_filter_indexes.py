"""Every filter and sort of the staff lists is served by an index (issue 13): the database never
reads a whole table to answer a filter of the review queue or of the registry."""

import pytest
from django.db import connection

from applications.models import Application, InfoRequest
from applications.review.filters import ReviewQueueFilter
from properties.filters import RegistryFilter
from properties.models import HousingUnit, RegistryEntry

pytestmark = pytest.mark.django_db


def _indexed_prefixes(model) -> list[tuple[str, ...]]:
    """Column tuples of the model's indexes as the database has them (the migrations applied)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [tuple(c["columns"]) for c in constraints.values() if c["index"] or c["unique"] or c["primary_key"]]


def _served(model, column: str, *, under: tuple[str, ...] = ()) -> bool:
    """An index whose leading columns are ``under`` then ``column`` (or ``column`` alone)."""
    wanted = [(*under, column), (column,)]
    return any(cols[: len(w)] == w for cols in _indexed_prefixes(model) for w in wanted)


# filter or sort -> (model, column, leading columns the list always filters on)
QUEUE = {
    "status": (Application, "status", ()),
    "notice": (Application, "notice_id", ()),
    "comune": (HousingUnit, "comune_id", ()),
    "offerer_type": (Application, "offerer_type", ()),
    "availability_form": (HousingUnit, "availability_form", ()),
    "assigned_to": (Application, "assigned_to_id", ()),
    "overdue": (InfoRequest, "closed_at", ()),
    "sort:submitted": (Application, "submitted_at", ()),
    "sort:offerer": (Application, "offerer_name", ()),
}
REGISTRY = {
    "comune": (RegistryEntry, "comune_id", ("is_available",)),
    "availability_form": (RegistryEntry, "availability_form", ("is_available",)),
    "min_beds": (RegistryEntry, "beds", ("is_available",)),
    "step_free": (RegistryEntry, "available_from", ("is_available",)),
    "available_by": (RegistryEntry, "available_from", ("is_available",)),
    "sort:rent": (RegistryEntry, "monthly_rent", ("is_available",)),
    "sort:beds": (RegistryEntry, "beds", ("is_available",)),
}


def test_every_filter_of_the_lists_is_listed_here():
    assert set(ReviewQueueFilter.base_filters) - {"sort"} <= set(QUEUE)
    assert set(RegistryFilter.base_filters) - {"sort"} <= set(REGISTRY)


@pytest.mark.parametrize("name", sorted(QUEUE))
def test_review_queue_filter_has_an_index(name):
    model, column, under = QUEUE[name]
    assert _served(model, column, under=under), "%s: no index on %s.%s" % (name, model._meta.db_table, column)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_registry_filter_has_an_index(name):
    model, column, under = REGISTRY[name]
    assert _served(model, column, under=under), "%s: no index on %s.%s" % (name, model._meta.db_table, column)
