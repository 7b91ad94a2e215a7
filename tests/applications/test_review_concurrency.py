"""Two reviewers acting on the same manifestation at once: exactly one wins (row locks on
PostgreSQL, immediate transactions on SQLite)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from applications.models import Application, ApplicationStatus, Decision, InfoRequest
from applications.review import services as review
from housingmix.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, social_worker

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _territory(transactional_db):
    """The comuni of the data migration: a transactional test empties every table (see the
    same fixture in tests/browser/conftest.py for why not serialized_rollback)."""
    import importlib

    from django.apps import apps

    importlib.import_module("housingmix.territory.migrations.0002_ambito_lodi").seed(apps, None)


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except ValidationError as error:
            results[index] = ("refused", error)
        except Exception as error:  # surfaced by the assertions below
            results[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_reviewers_deciding_at_once_exactly_one_wins():
    staff = UserFactory(staff=True)
    reviewer = social_worker("Lodi")
    application = ApplicationFactory(submitted=True, units=1)
    review.review_assign(application=application, reviewer=reviewer, by=staff)
    expected = ApplicationStatus.UNDER_REVIEW

    results = _race(
        lambda: review.info_request_create(
            application=application, items="Visura", by=reviewer, expected_status=expected
        ),
        lambda: review.refusal_notice_issue(
            application=application, by=staff, reasons="Non conforme", expected_status=expected
        ),
    )

    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["ok", "refused"], results
    refused = next(r[1] for r in results if r[0] == "refused")
    assert isinstance(refused, review.StaleTransition)
    assert "un altro utente" in refused.messages[0]
    final = Application.objects.get(pk=application.pk).status
    assert final in (ApplicationStatus.INFO_REQUESTED, ApplicationStatus.NOTICE_OF_REFUSAL)
    assert InfoRequest.objects.count() + Decision.objects.count() == 1
    moves = AuditEvent.objects.filter(object_id=str(application.pk), from_state=expected)
    assert moves.count() == 1 and moves.get().to_state == final


def test_double_click_on_the_same_decision_registers_it_once():
    staff = UserFactory(staff=True)
    reviewer = social_worker("Lodi")
    application = ApplicationFactory(submitted=True, units=1)
    review.review_assign(application=application, reviewer=reviewer, by=staff)

    results = _race(
        *[lambda: review.refusal_notice_issue(application=application, by=staff, reasons="Non conforme")] * 3
    )

    assert sorted(r[0] for r in results) == ["ok", "refused", "refused"], results
    assert Decision.objects.count() == 1
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.NOTICE_OF_REFUSAL
