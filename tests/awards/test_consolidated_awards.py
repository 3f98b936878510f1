"""The consolidated report's section on awards comes from the award register."""

import pytest
from django.utils import timezone

from awards.models import AwardRecord
from reports.services import consolidation

pytestmark = pytest.mark.django_db


def _compile(period, actor):
    report = consolidation.consolidation_request(period=period, actor=actor)
    return consolidation.consolidation_compile(report_id=report.pk)


def test_section_on_awards_lists_the_decisions_of_the_period(
    open_period, forms, own_unit, reviewer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    for name in ("Nguyễn Văn Một", "Trần Thị Hai"):
        AwardRecord.objects.create(
            year=open_period.year,
            form=forms["lao-dong-tien-tien"],
            form_name=forms["lao-dong-tien-tien"].name,
            recipient_kind="individual",
            recipient_name=name,
            unit=own_unit,
            unit_name=own_unit.name,
            decision_number="07/QĐ-SKHCN",
            decision_date=timezone.localdate(),
            conferring_authority="Giám đốc Sở Khoa học và Công nghệ",
            source=AwardRecord.Source.DEPARTMENT,
        )
    report = _compile(open_period, reviewer)
    text = next(item["text"] for item in report.sections["items"] if item["key"] == "awards")
    assert "Lao động tiên tiến" in text
    assert "2 cá nhân" in text
    assert "07/QĐ-SKHCN" in text


def test_section_on_awards_is_empty_without_records(open_period, reviewer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = _compile(open_period, reviewer)
    assert report.snapshot["awards"] == []
