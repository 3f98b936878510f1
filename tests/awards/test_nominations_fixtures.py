"""Fixtures and helpers of the rounds-and-nominations tests (no tests here): nominations built through the services."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.models import Nomination
from awards.services import nominations as services
from reports import services as report_services
from tests.reports.conftest import complete

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
ACHIEVEMENT = {"situation": "Phòng có 8 công chức.", "achievements": "Hoàn thành xuất sắc nhiệm vụ năm."}


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


def pdf(name="Báo cáo thành tích.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def nominate(award_round, form, unit, actor, person=None, **kwargs):
    if person is None and "new_person_name" not in kwargs:
        kwargs.setdefault("collective", True)
    return services.nomination_create(
        award_round=award_round, form=form, unit=unit, actor=actor, person=person, **kwargs
    )


def make_ready(nomination, actor):
    """Write the summary and upload every required dossier part: the nomination passes its own checks."""
    nomination = services.nomination_save(
        nomination=nomination, actor=actor, achievement=ACHIEVEMENT, evidence_reports=[], revision=nomination.revision
    )
    for part in nomination.form.dossier_parts:
        if part["required"]:
            services.dossier_add(
                nomination=nomination, actor=actor, part=part["code"], upload=pdf(f"{part['code']}.pdf")
            )
    nomination.refresh_from_db()
    return nomination


def accepted_report(period, unit, staff, head, reviewer, levels):
    report = report_services.report_start(unit=unit, period=period, actor=staff)
    complete(report, staff, levels)
    report_services.report_submit(report=report, actor=head)
    report_services.report_accept(report=report, actor=reviewer)
    report.refresh_from_db()
    return report


@pytest.fixture
def draft(annual_round, forms, own_unit, staff, person):
    """A draft of Lao động tiên tiến for the own unit's person, drafted by staff."""
    return nominate(annual_round, forms["lao-dong-tien-tien"], own_unit, staff, person)


@pytest.fixture
def ready(draft, staff):
    return make_ready(draft, staff)


@pytest.fixture
def sent(ready, head):
    return services.nomination_submit(nomination=ready, actor=head)


def snapshot_of_database():
    """Everything a nomination's refused move must leave as it was."""
    from awards.models import DossierFile, NominationTransition
    from notifications.models import Notification

    return (
        list(Nomination.objects.order_by("pk").values()),
        NominationTransition.objects.count(),
        DossierFile.objects.count(),
        Notification.objects.count(),
    )
