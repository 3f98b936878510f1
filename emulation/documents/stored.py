"""The emulation year's documents in the stored-files mechanism (documents/stored.py): rendered once, served stored."""

from documents import stored

from ..models import DepartmentRegistration
from ..selectors.department import get_visible_department_registration
from .registration import department_registration_document


def department_registration_filename(registration, extension):
    return f"dang-ky-thi-dua-nam-{registration.year.year}-cua-so.{extension}"


def register():
    stored.register(
        DepartmentRegistration,
        slug="dang-ky-thi-dua-cua-so",
        build=department_registration_document,
        filename=department_registration_filename,
        # Issued: its number and date are printed and its files are the record.
        is_final=lambda registration: registration.status == DepartmentRegistration.Status.ISSUED,
        visible=get_visible_department_registration,
    )
