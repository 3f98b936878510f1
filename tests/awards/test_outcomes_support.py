"""Fixtures and helpers shared by the outcome tests (approval, documents, the render job). No tests here."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as WordDocument

from awards.models import AgendaItem, DossierFile, Nomination
from tests.awards.conftest import make_meeting, make_nomination
from tests.factories import Capability, UserFactory
from tests.pdf_text import pdf_text as collapsed_text_layer

Status = Nomination.Status


@pytest.fixture
def private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def deputy(db):
    from tests.factories import department

    return UserFactory(
        username="phogiamdoc",
        full_name="Trần Văn Phó",
        position_title="Phó Giám đốc",
        unit=department(),
        position="deputy",
        capabilities=[Capability.LEADERSHIP],
    )


def recommended(award_round, form, *, unit, person=None, meeting=None, agree=5):
    """A nomination the council recommended (with its passing agenda item when a meeting is given)."""
    nomination = make_nomination(award_round, form, unit=unit, person=person, status=Status.RECOMMENDED)
    if meeting is not None:
        AgendaItem.objects.create(
            meeting=meeting, nomination=nomination, agree=agree, disagree=0, outcome=AgendaItem.Outcome.PASSED
        )
    return nomination


def approved(award_round, form, *, unit, person=None, leader=None, meeting=None):
    nomination = recommended(award_round, form, unit=unit, person=person, meeting=meeting)
    nomination.status = Status.APPROVED
    nomination.decided_by = leader
    nomination.save(update_fields=["status", "decided_by"])
    return nomination


def add_dossier_file(
    nomination,
    name,
    content=b"%PDF-1.4\n%test\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\nstartxref\n0\n%%EOF\n",
    part="bao-cao-thanh-tich",
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    dossier = DossierFile(
        nomination=nomination,
        part=part,
        original_name=name,
        size=len(content),
        content_type="application/pdf",
        sha256="0" * 64,
        uploaded_by=nomination.created_by,
    )
    dossier.file.save(name, upload, save=False)
    dossier.save()
    return dossier


@pytest.fixture
def held_meeting(annual_round, council, reviewer):
    return make_meeting(annual_round, council, created_by=reviewer)


def pdf_text(content):
    """The PDF's text layer as pdftotext reads it (columns kept), white space collapsed."""
    return collapsed_text_layer(content, layout=True)


def docx_text(content):
    word = WordDocument(BytesIO(content))
    parts = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return " ".join(" ".join(parts).split())


def read(field):
    with field.open("rb") as handle:
        return handle.read()
