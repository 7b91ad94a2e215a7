"""Scheduled tasks of the programme: thin, idempotent, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def registrations_remind_task() -> int:
    """Remind the contracts to register with the tax agency (30 days from signing)."""
    return services.registrations_remind()


@shared_task(acks_late=True)
def reviews_remind_task() -> int:
    """Remind the plan reviews coming due."""
    return services.reviews_remind_due()


@shared_task(acks_late=True)
def follow_ups_remind_task() -> int:
    """Remind the follow-ups at 6 and 12 months after the end of a plan."""
    return services.follow_ups_remind_due()


@shared_task(acks_late=True)
def households_pseudonymise_task() -> int:
    """Pseudonymise the households closed longer than the retention period."""
    return services.households_pseudonymise()
