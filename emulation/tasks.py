"""Celery tasks of the emulation year: thin, idempotent; the work is in emulation.services."""

from celery import shared_task

from .services import registration


@shared_task(name="emulation.send_registration_reminders")
def send_registration_reminders():
    """The daily reminders to units that have not registered for an open year (a second run sends nothing)."""
    run = registration.send_registration_reminders()
    return {"sent": run.sent, "skipped": run.skipped}
