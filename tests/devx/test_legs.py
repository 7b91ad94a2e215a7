"""Which tests each leg of `make test` runs (conftest.py): every test runs at least once."""

import itertools

import pytest

import conftest


class Item:
    def __init__(self, *, marks=(), fixtures=()):
        self.marks, self.fixturenames = set(marks), list(fixtures)

    def get_closest_marker(self, name):
        return name if name in self.marks else None

    def add_marker(self, mark):
        self.marks.add(mark.name)


KINDS = {
    "pure": Item(),
    "db": Item(marks=["django_db"]),
    "db_fixture": Item(fixtures=["db"]),
    "live_server": Item(fixtures=["live_server", "transactional_db"]),
    "page_check": Item(marks=["browser", "django_db"]),
    "scenario": Item(marks=["browser", "scenario", "django_db"]),
    "postgres_only": Item(marks=["postgres_only", "django_db"]),
}


@pytest.mark.parametrize(
    ("kind", "legs"),
    [
        ("pure", {"sqlite"}),
        ("db", {"sqlite", "postgres"}),
        ("db_fixture", {"sqlite", "postgres"}),
        ("live_server", {"sqlite", "postgres"}),
        ("page_check", {"sqlite"}),
        ("scenario", {"postgres"}),
        ("postgres_only", {"postgres"}),
    ],
)
def test_each_kind_of_test_runs_on_its_legs(kind, legs):
    assert {leg for leg in ("sqlite", "postgres") if conftest._on_this_leg(KINDS[kind], leg)} == legs


def test_no_combination_of_marks_runs_on_no_leg():
    names = ["django_db", "browser", "scenario", "postgres_only"]
    for size in range(len(names) + 1):
        for marks in itertools.combinations(names, size):
            for fixtures in ([], ["db"], ["live_server"]):
                item = Item(marks=marks, fixtures=fixtures)
                assert any(conftest._on_this_leg(item, leg) for leg in ("sqlite", "postgres")), (marks, fixtures)


def test_a_targeted_run_deselects_nothing(monkeypatch):
    monkeypatch.delenv("TEST_LEG", raising=False)
    items = list(KINDS.values())

    class Config:
        class hook:
            @staticmethod
            def pytest_deselected(items):
                raise AssertionError("deselected %r" % items)

    conftest.pytest_collection_modifyitems(Config, items)
    assert len(items) == len(KINDS)


class NoDeselection:
    class hook:
        @staticmethod
        def pytest_deselected(items):
            pass


def test_each_test_is_measured_on_one_leg(monkeypatch):
    """Coverage: a test both legs run is measured on SQLite (pytest-cov's ``no_cover`` pauses it on
    PostgreSQL); one only PostgreSQL runs is measured there."""
    measured = {}
    for leg in ("sqlite", "postgres"):
        monkeypatch.setenv("TEST_LEG", leg)
        items = [Item(marks=kind.marks, fixtures=kind.fixturenames) for kind in KINDS.values()]
        names = dict(zip(map(id, items), KINDS, strict=True))
        conftest.pytest_collection_modifyitems(NoDeselection, items)
        for item in items:
            if item.get_closest_marker("no_cover") is None:
                measured.setdefault(names[id(item)], []).append(leg)
    assert measured == {
        "pure": ["sqlite"],
        "db": ["sqlite"],
        "db_fixture": ["sqlite"],
        "live_server": ["sqlite"],
        "page_check": ["sqlite"],
        "scenario": ["postgres"],
        "postgres_only": ["postgres"],
    }
