"""Celery tasks of the reports app: thin, take ids, idempotent; the work is in reports.services."""

from celery import shared_task

from .services import reminders
from .services.consolidation import COMPILE_JOB, consolidation_compile


@shared_task(name="reports.send_deadline_reminders")
def send_deadline_reminders():
    run = reminders.send_deadline_reminders()
    return {"sent": run.sent, "skipped": run.skipped}


@shared_task(name="reports.compile_consolidated_report", **COMPILE_JOB.task_options())
def compile_consolidated_report(self, report_id):
    """Compile one consolidated report. The row's lease decides who compiles; a duplicate run does nothing."""
    report = consolidation_compile(report_id=report_id, keep_alive=not self.request.is_eager)
    return None if report is None else report.status


@shared_task(name="reports.sweep_consolidated_reports", **COMPILE_JOB.sweep_task_options())
def sweep_consolidated_reports():
    """Publish queued consolidation jobs again and take over jobs whose worker died (expired lease)."""
    return COMPILE_JOB.sweep()
