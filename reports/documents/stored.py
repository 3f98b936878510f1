"""The reports' documents in the stored-files mechanism (documents/stored.py): rendered once, served stored."""

from documents import stored

from .. import permissions
from ..models import ConsolidatedReport, UnitReport
from .consolidated import consolidated_document
from .unit_report import unit_report_document


def consolidated_filename(report, extension):
    return f"bao-cao-tong-hop-{report.period.code}-ban-{report.version}.{extension}"


def unit_report_filename(report, extension):
    return f"bao-cao-{report.unit.code}-{report.period.code}.{extension}"


def register():
    stored.register(
        ConsolidatedReport,
        slug="bao-cao-tong-hop",
        build=consolidated_document,
        filename=consolidated_filename,
        # Issued: its number and date are printed and its files are the record.
        is_final=lambda report: report.status == ConsolidatedReport.Status.ISSUED,
        visible=permissions.get_compiled_consolidated,
    )
    stored.register(
        UnitReport,
        slug="bao-cao-don-vi",
        build=unit_report_document,
        filename=unit_report_filename,
        is_final=lambda report: report.status == UnitReport.Status.ACCEPTED,
        visible=permissions.get_visible_report,
        formats=("pdf", "docx"),
    )
