"""Every write to unit reports. Views, commands and tasks call these; they never duplicate them."""

from .editing import previous_report, report_save_parts, report_start, section_keys_for
from .evidence import evidence_add, evidence_remove
from .reminders import send_deadline_reminders
from .workflow import (
    report_accept,
    report_comment,
    report_open_review,
    report_return,
    report_submit,
    report_withdraw,
    validate_for_submission,
)

__all__ = [
    "evidence_add",
    "evidence_remove",
    "previous_report",
    "report_accept",
    "report_comment",
    "report_open_review",
    "report_return",
    "report_save_parts",
    "report_start",
    "report_submit",
    "report_withdraw",
    "section_keys_for",
    "send_deadline_reminders",
    "validate_for_submission",
]
