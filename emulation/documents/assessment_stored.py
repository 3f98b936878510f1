"""The unit's biên bản of its assessment meeting in the stored-files mechanism (documents/stored.py): made by the
shared job when the unit asks the portal for it, served stored, final once the office confirms the assessment."""

from documents import stored

from .. import permissions
from ..models import Assessment
from ..selectors.assessment import meeting_roles
from .minutes import minutes_document


def assessment_minutes_document(assessment):
    return minutes_document(assessment, meeting_roles(assessment))


def minutes_filename(assessment, extension):
    return f"bien-ban-binh-xet-{assessment.unit.code}-{assessment.year.year}.{extension}"


def register():
    stored.register(
        Assessment,
        slug="bien-ban-binh-xet",
        build=assessment_minutes_document,
        filename=minutes_filename,
        is_final=lambda assessment: assessment.status == Assessment.Status.CONFIRMED,
        visible=permissions.get_visible_assessment,
        formats=("pdf", "docx"),
    )
