from celery import shared_task

from . import services


@shared_task
def appointments_anonymise_task() -> int:
    """Daily: erase the applicants' data of appointments past their retention (idempotent)."""
    return services.appointments_anonymise()
