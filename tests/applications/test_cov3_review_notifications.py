"""Who the review e-mails reach when an address is missing, the info request's default
deadline in calendar or working days, and a communication job left without its manifestation."""

from datetime import date

import pytest
from django.core import mail

from applications.models import Application
from applications.review import services as review
from housingmix.core.outbox import Job
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _recipients() -> list[str]:
    return [address for message in mail.outbox for address in message.to]


def test_an_offerer_without_an_address_is_not_e_mailed_but_the_reviewer_is(application, staff, run_on_commit):
    Application.objects.filter(pk=application.pk).update(email="")
    type(application.created_by).objects.filter(pk=application.created_by_id).update(email="")
    application = Application.objects.get(pk=application.pk)
    run_on_commit(review.review_assign, application=application, reviewer=staff, by=staff)
    assert _recipients() == [staff.email]


def test_a_reviewer_without_an_address_is_not_e_mailed(application, run_on_commit):
    silent = UserFactory(staff=True, email="")
    run_on_commit(review.review_assign, application=application, reviewer=silent, by=silent)
    assert _recipients() == [application.email]


def test_the_default_deadline_counts_working_days_unless_told_otherwise(settings):
    settings.REVIEW_INFO_REQUEST_DAYS = 10
    settings.REVIEW_INFO_REQUEST_BUSINESS_DAYS = False
    assert review.info_request_deadline(date(2026, 12, 21)) == date(2026, 12, 31)
    settings.REVIEW_INFO_REQUEST_BUSINESS_DAYS = True
    # Christmas, Santo Stefano, New Year's Day, Epiphany and the weekends are skipped.
    assert review.info_request_deadline(date(2026, 12, 21)) == date(2027, 1, 7)


def test_a_communication_job_whose_manifestation_is_gone_does_nothing():
    job = Job(kind="applications.info_request", target_id=987654, data={"source_id": 1})
    assert review.communication_job_run(job) is None
